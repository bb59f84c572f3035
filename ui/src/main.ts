import { createApp } from 'vue';
import * as El from 'element-plus';
// Only the styles of the components used (each brings its base and its parts' styles), not the whole
// library's sheet: 364 KB of CSS to parse and match on every first load.
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/checkbox-group/style/css';
import 'element-plus/es/components/config-provider/style/css';
import 'element-plus/es/components/descriptions/style/css';
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/loading/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/tab-pane/style/css';
import 'element-plus/es/components/tabs/style/css';
import './style.css';
import App from './App.vue';
import { i18n } from './i18n';
import { preloadPage, router } from './router';
import { restore } from './session';

const app = createApp(App);
// One list: the namespace import names no component itself, so each is named once, here.
// Each parent's install registers its parts too (ElRadio: RadioGroup and RadioButton; ElSelect: Option; ElTable: TableColumn …).
for (const c of [
  El.ElAlert,
  El.ElButton,
  El.ElCard,
  El.ElCheckbox,
  El.ElConfigProvider,
  El.ElDescriptions,
  El.ElDescriptionsItem,
  El.ElDialog,
  El.ElForm,
  El.ElFormItem,
  El.ElInput,
  El.ElInputNumber,
  El.ElMenu,
  El.ElMenuItem,
  El.ElOption,
  El.ElRadio,
  El.ElSelect,
  El.ElTable,
  El.ElTableColumn,
  El.ElTabPane,
  El.ElTabs,
  El.ElTag,
])
  app.use(c);
app.use(El.ElLoading);
app.use(i18n);
// The tab's token is checked before the first route is guarded; the page's chunk loads meanwhile.
preloadPage(location.hash.slice(1) || '/');
// The first page is resolved before the first render, so the frame and the page render and lay out once, together.
void restore()
  .then(() => {
    app.use(router);
    return router.isReady();
  })
  .finally(() => app.mount('#app'));
