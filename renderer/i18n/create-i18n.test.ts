// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../test-support/mount-app.ts';
import { createAppI18n } from './create-i18n.ts';
import { LOCALE_STORAGE_KEY } from './locales.ts';

describe('page i18n', () => {
  it('starts in zh-CN unless a valid locale is stored', () => {
    expect(createAppI18n({ storage: memoryStorage(), document }).global.locale.value).toBe('zh-CN');
    expect(createAppI18n({ storage: memoryStorage({ [LOCALE_STORAGE_KEY]: 'fr' }), document }).global.locale.value).toBe('zh-CN');
    expect(createAppI18n({ storage: memoryStorage({ [LOCALE_STORAGE_KEY]: 'en' }), document }).global.locale.value).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('follows a locale chosen in the other window', () => {
    const i18n = createAppI18n({ storage: memoryStorage(), document, window });
    window.dispatchEvent(new StorageEvent('storage', { key: LOCALE_STORAGE_KEY, newValue: 'en' }));
    expect(i18n.global.locale.value).toBe('en');
    window.dispatchEvent(new StorageEvent('storage', { key: LOCALE_STORAGE_KEY, newValue: 'klingon' }));
    expect(i18n.global.locale.value).toBe('en');
  });

  it('translates in both locales', () => {
    const i18n = createAppI18n({ storage: memoryStorage(), document });
    expect(i18n.global.t('responseCode.51')).toBe('余额不足');
    i18n.global.locale.value = 'en';
    expect(i18n.global.t('responseCode.51')).toBe('Insufficient funds');
  });
});
