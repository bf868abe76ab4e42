import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_CONFIG_PATH } from '../start-host.ts';
import { loadHostConfig } from './host-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'host-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundled = JSON.parse(readFileSync(BUNDLED_CONFIG_PATH, 'utf8')) as Record<string, unknown>;

function configWith(patch: Record<string, unknown>): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ ...bundled, ...patch }));
  return path;
}

describe('host config', () => {
  it('loads the bundled config: the ANSI test BDK on 127.0.0.1:8583', () => {
    const config = loadHostConfig(BUNDLED_CONFIG_PATH);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8583 });
    expect(config.security.bdk).toBe('0123456789ABCDEFFEDCBA9876543210');
    expect(config.security.description).toMatch(/TEST KEY ONLY/);
    expect(config.link.maxFrameBytes).toBe(8192);
  });

  it.each([
    [{ listen: { host: '127.0.0.1', port: 70000 } }, '$.listen.port'],
    [{ security: { bdk: '0123' } }, '$.security.bdk'],
    [{ timing: { responseDelayMs: -1 } }, '$.timing.responseDelayMs'],
    [{ link: {} }, '$.link.maxFrameBytes'],
    [{ unexpected: 1 }, '$'],
  ])('rejects %o naming %s', (patch, path) => {
    const file = configWith(patch);
    expect(() => loadHostConfig(file)).toThrow(`host config ${file} is invalid`);
    expect(() => loadHostConfig(file)).toThrow(`${path}:`);
  });
});
