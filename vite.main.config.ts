import { defineConfig } from 'vite';

// Main-process bundles (the Electron shell and the bundled host). usb is a native module: it stays
// outside the bundle and ships in node_modules. node:sqlite is built into Electron's Node.
export default defineConfig({
  build: {
    rollupOptions: {
      external: ['usb', 'node:sqlite'],
    },
  },
});
