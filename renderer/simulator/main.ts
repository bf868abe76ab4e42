/** Entry of the simulated-devices page (simulator.html). */
import '../shared/zod-jitless.ts';
import '../shared/base.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createAppI18n } from '../i18n/create-i18n.ts';
import { simulatorApi } from '../platform.ts';
import { simApi } from './sim-api.ts';
import SimulatorApp from './SimulatorApp.vue';

createApp(SimulatorApp)
  .use(createPinia())
  .use(createAppI18n({ storage: window.localStorage, document, window }))
  .provide(simApi.key, simulatorApi())
  .mount('#app');
