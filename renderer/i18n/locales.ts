/** The UI languages and where the cashier's choice is kept, shared by the checkout and the simulator pages. */

export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'zh-CN';

/** localStorage, not sessionStorage: both windows (and the next shift) should open in the same language. */
export const LOCALE_STORAGE_KEY = 'pos.locale';

export function isAppLocale(value: unknown): value is AppLocale {
  return (LOCALES as readonly unknown[]).includes(value);
}

export function loadLocale(storage: Pick<Storage, 'getItem'>): AppLocale {
  const stored = storage.getItem(LOCALE_STORAGE_KEY);
  return isAppLocale(stored) ? stored : DEFAULT_LOCALE;
}

export function saveLocale(storage: Pick<Storage, 'setItem'>, locale: AppLocale): void {
  storage.setItem(LOCALE_STORAGE_KEY, locale);
}

export function otherLocale(locale: AppLocale): AppLocale {
  return locale === 'zh-CN' ? 'en' : 'zh-CN';
}
