import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { PATIENT_WAIT_MS } from './test/support/patience.ts';

// Unit and component tests. Node-side suites run in Node; renderer component suites opt into a DOM
// with a `// @vitest-environment happy-dom` docblock. End-to-end suites are Playwright's (test/e2e).
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['{common,common-node,payments,bank,peripherals,main,preload,renderer,hq,test/unit,test/head-office,scripts}/**/*.test.ts'],
    // One private PostgreSQL cluster for the head-office tests (hq/test-support/postgres-global-setup.ts).
    globalSetup: ['hq/test-support/postgres-global-setup.ts'],
    // Waits that poll get a deadline two loaded cores cannot miss: expect.poll here, vi.waitFor and
    // vi.waitUntil in the setup file (Vitest's default for all three is 1 s).
    setupFiles: ['test/support/patient-waits.ts'],
    expect: { poll: { timeout: PATIENT_WAIT_MS } },
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/fixtures/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
