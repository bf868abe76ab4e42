/**
 * End-to-end specs are written once against a `station` fixture and run on two targets:
 *   browser  — the station server (npm run station) driven in Chromium;
 *   electron — the built Electron app through Playwright's _electron, wherever the binary exists;
 *              elsewhere each test reports "skipped: Electron binary not available".
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { StationTarget } from './test/e2e/fixtures/station.ts';

interface StationOptions {
  target: StationTarget;
}

// Playwright cannot download its browsers here; Debian's Chromium works in its place.
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export default defineConfig<StationOptions>({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'browser',
      use: {
        target: 'browser',
        browserName: 'chromium',
        launchOptions: {
          ...(SYSTEM_CHROMIUM ? { executablePath: SYSTEM_CHROMIUM } : {}),
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
    // The head office's report page is a web page of its own service, not a station window.
    { name: 'electron', use: { target: 'electron' }, testIgnore: /head-office\.spec\.ts$/ },
  ],
});
