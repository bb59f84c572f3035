import { ElMessage } from 'element-plus';
import { ApiRefusal } from './api/client';
import { i18n } from './i18n';

/** The API's own words for a refusal, in the reader's language, with its code and the fields it names. */
export const refusalText = (e: unknown): string => {
  if (!(e instanceof ApiRefusal)) return e instanceof Error ? e.message : String(e);
  const zh = i18n.global.locale.value !== 'en';
  const fields = e.issues.map((i) => (zh && i.zh ? i.zh : `${i.field}: ${i.message}`)).join('；');
  return `${zh ? e.zh : e.en}${fields ? `（${fields}）` : ''} [${e.code}]`;
};

/** Shown where the person is looking, and kept until they close it. */
export const showRefusal = (e: unknown): string => {
  const text = refusalText(e);
  ElMessage({ type: 'error', message: text, showClose: true, duration: 8000 });
  return text;
};
