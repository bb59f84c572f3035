import { createApp } from 'vue';
import * as El from 'element-plus';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { restore } from './session';

const app = createApp(App);
// One list: the namespace import names no component itself, so each is named once, here.
// Each parent's install registers its parts too (ElRadio: RadioGroup and RadioButton; ElSelect: Option; ElTable: TableColumn …).
for (const c of [
  El.ElAlert,
  El.ElButton,
  El.ElCard,
  El.ElCheckbox,
  El.ElCol,
  El.ElConfigProvider,
  El.ElDescriptions,
  El.ElDescriptionsItem,
  El.ElDialog,
  El.ElEmpty,
  El.ElForm,
  El.ElFormItem,
  El.ElInput,
  El.ElInputNumber,
  El.ElMenu,
  El.ElMenuItem,
  El.ElOption,
  El.ElProgress,
  El.ElRadio,
  El.ElRow,
  El.ElSelect,
  El.ElTable,
  El.ElTableColumn,
  El.ElTabPane,
  El.ElTabs,
  El.ElTag,
  El.ElTimeline,
  El.ElTimelineItem,
])
  app.use(c);
app.use(El.ElLoading);
app.use(i18n);
// The tab's token is checked before the first route is guarded.
void restore().then(() => {
  app.use(router);
  app.mount('#app');
});
