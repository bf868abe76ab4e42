/** Mounts a page component the way its main.ts does, but with a fake API and a throwaway locale store. */
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { Component, InjectionKey } from 'vue';
import { createAppI18n } from '../i18n/create-i18n.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { LOCALE_STORAGE_KEY } from '../i18n/locales.ts';

export function memoryStorage(initial: Record<string, string> = {}): Pick<Storage, 'getItem' | 'setItem'> {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
  };
}

export function mountApp<T>(
  component: Component,
  injection: { key: InjectionKey<T>; api: T },
  options: { locale?: AppLocale; props?: Record<string, unknown> } = {},
) {
  const storage = memoryStorage(options.locale ? { [LOCALE_STORAGE_KEY]: options.locale } : {});
  const i18n = createAppI18n({ storage, document });
  const mountingOptions: ComponentMountingOptions<Component> = {
    props: options.props,
    attachTo: document.body,
    global: { plugins: [createPinia(), i18n], provide: { [injection.key as symbol]: injection.api } },
  };
  return { wrapper: mount(component, mountingOptions), storage, i18n };
}
