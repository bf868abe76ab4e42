/**
 * Builds the renderer's three pages: the checkout (index.html), the simulated devices
 * (simulator.html) and the customer display (display.html). Electron Forge's Vite plugin merges its own settings under these; the station
 * server serves the same output to a browser.
 */
import { join } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const root = join(import.meta.dirname, 'renderer');

/**
 * The dev server injects component CSS as <style> elements, which the pages' style-src 'self' blocks.
 * Relax style-src in the served HTML only; the production build keeps the strict policy.
 */
function devServerInlineStyles(): Plugin {
  return {
    name: 'pos:dev-server-inline-styles',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [vue(), devServerInlineStyles()],
  define: {
    // vue-i18n feature flags: composition API only, no devtools hooks in production. Messages are
    // compiled just in time to an AST and interpreted, never with eval, as the CSP requires.
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: join(import.meta.dirname, '.vite', 'renderer', 'main_window'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: join(root, 'index.html'),
        simulator: join(root, 'simulator.html'),
        display: join(root, 'display.html'),
      },
    },
  },
});
