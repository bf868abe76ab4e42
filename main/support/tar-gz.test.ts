/** The archive opens with the system's own tar, byte for byte. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarGz } from './tar-gz.ts';

describe('tarGz', () => {
  it('writes an archive tar lists and extracts exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-gz-'));
    const entries = [
      { path: 'README.txt', data: Buffer.from('hello\n') },
      { path: 'logs/station.log', data: Buffer.from('x'.repeat(1500)) },
      { path: 'empty.json', data: Buffer.alloc(0) },
      { path: 'config/中文.json', data: Buffer.from('{"name":"示范便利店"}') },
    ];
    writeFileSync(join(dir, 'bundle.tar.gz'), tarGz(entries));
    const list = spawnSync('tar', ['-tzf', 'bundle.tar.gz'], { cwd: dir, encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual(entries.map((entry) => entry.path));
    expect(spawnSync('tar', ['-xzf', 'bundle.tar.gz'], { cwd: dir }).status).toBe(0);
    for (const entry of entries) expect(readFileSync(join(dir, entry.path))).toEqual(entry.data);
  });

  it('refuses paths that would land outside the folder it is extracted into', () => {
    expect(() => tarGz([{ path: '../etc/passwd', data: Buffer.alloc(1) }])).toThrow(/not allowed/);
    expect(() => tarGz([{ path: '/etc/passwd', data: Buffer.alloc(1) }])).toThrow(/not allowed/);
  });
});
