/** Locale-aware display helpers that follow the page's current language. */
import { useI18n } from 'vue-i18n';
import { formatMoney, type Money } from '../../common/money.ts';
import { DEFAULT_LOCALE, isAppLocale } from '../i18n/locales.ts';

export function useFormat() {
  const { locale } = useI18n();
  return {
    money: (value: Money) => formatMoney(value, locale.value),
    /** Picks the current language out of a station-supplied { 'zh-CN', en } pair. */
    text: (localized: { readonly 'zh-CN': string; readonly en: string }) => localized[isAppLocale(locale.value) ? locale.value : DEFAULT_LOCALE],
    time: (iso: string) => {
      const date = new Date(iso);
      // Show an unparseable timestamp as sent rather than letting Intl throw mid-render.
      return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(locale.value, { timeStyle: 'medium' }).format(date);
    },
  };
}
