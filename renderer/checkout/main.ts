/** Entry of the checkout page (index.html). */
import '../shared/zod-jitless.ts';
import '../shared/base.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createAppI18n } from '../i18n/create-i18n.ts';
import { checkoutApi } from '../platform.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

createApp(CheckoutApp)
  .use(createPinia())
  .use(createAppI18n({ storage: window.localStorage, document, window }))
  .provide(posApi.key, checkoutApi())
  .mount('#app');
