/**
 * One vue-i18n instance per page, in composition mode. The chosen locale is persisted in
 * localStorage and followed across windows through the storage event, and mirrored to <html lang>
 * so the browser picks Simplified Chinese glyphs from the CJK fonts.
 */
import { watch } from 'vue';
import { createI18n } from 'vue-i18n';
import { en } from './messages/en.ts';
import { zhCN, type MessageSchema } from './messages/zh-CN.ts';
import { DEFAULT_LOCALE, isAppLocale, LOCALE_STORAGE_KEY, loadLocale, saveLocale, type AppLocale } from './locales.ts';

export interface I18nEnvironment {
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly document: Pick<Document, 'documentElement'>;
  /** Where storage events arrive from other windows; omitted in tests that do not need it. */
  readonly window?: Pick<Window, 'addEventListener'>;
}

export function createAppI18n(env: I18nEnvironment) {
  const i18n = createI18n<[MessageSchema], AppLocale, false>({
    legacy: false,
    locale: loadLocale(env.storage),
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
  });
  const locale = i18n.global.locale;
  env.document.documentElement.lang = locale.value;
  watch(locale, (next) => {
    env.document.documentElement.lang = next;
    saveLocale(env.storage, next);
  });
  env.window?.addEventListener('storage', (event) => {
    if (event.key === LOCALE_STORAGE_KEY && isAppLocale(event.newValue)) locale.value = event.newValue;
  });
  return i18n;
}

export type AppI18n = ReturnType<typeof createAppI18n>;
