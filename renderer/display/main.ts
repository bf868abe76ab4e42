/** Entry of the customer display (display.html): it only listens, and renders what the station says. */
import '../shared/zod-jitless.ts';
import '../shared/base.css';
import { createApp } from 'vue';
import { createAppI18n } from '../i18n/create-i18n.ts';
import { customerDisplayApi } from '../platform.ts';
import { displayApi } from './display-api.ts';
import DisplayApp from './DisplayApp.vue';

createApp(DisplayApp)
  .use(createAppI18n({ storage: window.localStorage, document, window }))
  .provide(displayApi.key, customerDisplayApi())
  .mount('#app');
