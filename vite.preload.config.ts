import { defineConfig } from 'vite';

// Sandboxed preloads: Forge bundles each into one CommonJS file, which is all a sandbox allows.
export default defineConfig({});
