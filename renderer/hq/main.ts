/** Entry of the head office's report page (hq.html), served by the head-office service. */
import '../shared/zod-jitless.ts';
import '../shared/base.css';
import { createApp } from 'vue';
import { takeStationToken } from '../bridge/station-token.ts';
import { createAppI18n } from '../i18n/create-i18n.ts';
import HeadOfficeApp from './HeadOfficeApp.vue';
import { createReportApi, reportApiKey } from './report-api.ts';

// The office token arrives in the URL fragment like the station's, and is kept the same way.
const token = takeStationToken({ location: window.location, history: window.history }, 'hq');

createApp(HeadOfficeApp)
  .use(createAppI18n({ storage: window.localStorage, document, window }))
  .provide(reportApiKey, token === undefined ? undefined : createReportApi(token, (input, init) => window.fetch(input, init)))
  .mount('#app');
