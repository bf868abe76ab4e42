/** The platform API reaches components and stores through provide/inject, so tests can hand in a fake. */
import { inject, type InjectionKey } from 'vue';

export interface ApiInjection<T> {
  readonly key: InjectionKey<T>;
  /** Call from a component's setup or a Pinia setup store (which runs in the app's injection context). */
  use(): T;
}

export function defineApiInjection<T>(name: string): ApiInjection<T> {
  const key: InjectionKey<T> = Symbol(name);
  return {
    key,
    use() {
      const api = inject(key);
      if (api === undefined) throw new Error(`The ${name} API was not provided to the app`);
      return api;
    },
  };
}
