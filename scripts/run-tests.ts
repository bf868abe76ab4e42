/**
 * `npm test`: every check, in the order a failure is cheapest to find: typecheck, layering, unit and
 * component tests (Vitest), then the end-to-end specs on both targets (Playwright). It ends with one
 * summary line counting every test, and says why any were skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findElectronBinary } from './electron-binary.ts';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function step(title: string, command: string, args: readonly string[]): void {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed`);
    process.exit(result.status ?? 1);
  }
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestCounts(file: string): Counts {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

interface PlaywrightSuite {
  suites?: PlaywrightSuite[];
  specs?: { tests: { status: string; annotations: { type: string; description?: string }[] }[] }[];
}

function playwrightCounts(file: string): Counts & { reasons: Set<string> } {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { suites: PlaywrightSuite[] };
  const counts = { passed: 0, failed: 0, skipped: 0, reasons: new Set<string>() };
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === 'skipped') {
          counts.skipped += 1;
          for (const annotation of test.annotations) if (annotation.type === 'skip' && annotation.description) counts.reasons.add(annotation.description);
        } else if (test.status === 'expected' || test.status === 'flaky') counts.passed += 1;
        else counts.failed += 1;
      }
    }
    suite.suites?.forEach(walk);
  };
  report.suites.forEach(walk);
  return counts;
}

// Reports of an earlier run must never be counted as this run's.
rmSync(join(root, 'reports'), { recursive: true, force: true });
step('typecheck (Node side)', bin('tsc'), ['-p', 'tsconfig.json']);
step('typecheck (renderer)', bin('vue-tsc'), ['-p', 'renderer/tsconfig.json']);
step('layering (dependency-cruiser)', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', 'common', 'common-node', 'payments', 'bank', 'peripherals', 'main', 'preload', 'renderer', 'hq', 'bench']);
step('unit and component tests (Vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/unit.json']);
step('build the renderer', bin('vite'), ['build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn']);
step('build the head-office report page', bin('vite'), ['build', '-c', 'vite.hq.config.ts', '--logLevel', 'warn']);
const electron = findElectronBinary();
if (electron.available) step('build the Electron app', process.execPath, [join(root, 'scripts', 'build-electron.ts')]);
else console.log(`\n• Electron binary not available (${electron.reason}): the electron end-to-end target will be reported as skipped.`);
const e2e = spawnSync(bin('playwright'), ['test'], { cwd: root, stdio: 'inherit', env: process.env });

const unit = vitestCounts(join(root, 'reports', 'unit.json'));
const endToEnd = existsSync(join(root, 'reports', 'e2e.json'))
  ? playwrightCounts(join(root, 'reports', 'e2e.json'))
  : { passed: 0, failed: 1, skipped: 0, reasons: new Set<string>() };
console.log('\nSummary');
console.log(`  unit and component: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`  end-to-end:         ${endToEnd.passed} passed, ${endToEnd.failed} failed, ${endToEnd.skipped} skipped`);
for (const reason of endToEnd.reasons) console.log(`  skipped: ${reason}`);
const total = { passed: unit.passed + endToEnd.passed, failed: unit.failed + endToEnd.failed, skipped: unit.skipped + endToEnd.skipped };
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(e2e.status === 0 && total.failed === 0 ? 0 : 1);
