/**
 * Builds the head office's report page (renderer/hq.html) on its own, into .vite/renderer/hq, which
 * the head-office service serves. Same settings as the station's pages; a build of its own because
 * the station never ships it.
 */
import { join } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import rendererConfig from './vite.renderer.config.ts';

export default defineConfig({
  ...(rendererConfig as UserConfig),
  build: {
    outDir: join(import.meta.dirname, '.vite', 'renderer', 'hq'),
    emptyOutDir: true,
    rollupOptions: { input: { hq: join(import.meta.dirname, 'renderer', 'hq.html') } },
  },
});
