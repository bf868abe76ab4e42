/**
 * The layering rule must actually bite: run dependency-cruiser with the project's own config on a
 * fixture tree that breaks it on purpose, and on the real tree, which must be clean.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

function cruise(cwd: string, paths: string[]) {
  // spawnSync cuts stdout at 1 MiB by default; the JSON report of the whole tree is larger than that.
  const result = spawnSync(depcruise, ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', ...paths], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((violation) => ({ rule: violation.rule.name, from: violation.from, to: violation.to }));
}

describe('layering rule', () => {
  const violations = cruise(join(root, 'test', 'fixtures', 'layering'), ['renderer', 'main', 'common', 'peripherals', 'hq']);

  it('fails when a renderer file imports from main/', () => {
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'renderer-imports-only-common', from: 'renderer/imports-main.ts', to: 'main/secret-service.ts' }));
  });

  it('fails when a peripheral imports electron', () => {
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'only-the-electron-shell-imports-electron', from: 'peripherals/imports-electron.ts' }));
  });

  it('fails when common/ imports a Node built-in', () => {
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'common-is-runtime-neutral', from: 'common/imports-node.ts' }));
  });

  it('fails when the head office imports the station, or the station the head office', () => {
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'hq-imports-only-common', from: 'hq/imports-main.ts', to: 'main/secret-service.ts' }));
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'nothing-of-the-station-imports-hq', from: 'main/imports-hq.ts', to: 'hq/imports-main.ts' }));
  });

  it('lets the renderer import common/', () => {
    expect(violations.filter((violation) => violation.from === 'renderer/imports-common.ts')).toEqual([]);
  });

  it('finds the real tree clean', () => {
    expect(cruise(root, ['common', 'common-node', 'payments', 'bank', 'peripherals', 'main', 'preload', 'renderer', 'hq'])).toEqual([]);
  });
});
