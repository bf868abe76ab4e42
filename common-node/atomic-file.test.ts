import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileOnce, loadOrCreateFile, writeFileAtomic } from './atomic-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'atomic-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HELPER = pathToFileURL(join(import.meta.dirname, 'atomic-file.ts')).href;
let files = 0;
const freshPath = () => join(dir, `case-${++files}`, 'keys', 'secret.key');
const OLD = `${'a'.repeat(64)}\n`;
const NEW = `${'b'.repeat(64)}\n`;

/**
 * Runs `script` in a Node process of its own, with `fs` patched first by `patch` (an expression over
 * `fs`), so a real process can be killed at an exact point of the write.
 */
async function runNode(script: string, patch = ''): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const source = `
    import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    ${patch}
    syncBuiltinESMExports();
    const helper = await import(${JSON.stringify(HELPER)});
    ${script}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout };
}

const killSelf = 'process.kill(process.pid, "SIGKILL")';

describe('writeFileAtomic', () => {
  it('replaces the file, owner-only (0600) in an owner-only (0700) folder, and leaves no temp file', () => {
    const path = freshPath();
    writeFileAtomic(path, OLD);
    writeFileAtomic(path, NEW);
    expect(readFileSync(path, 'utf8')).toBe(NEW);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(path, '..'))).toEqual(['secret.key']);
  });

  it('a process killed just before the rename leaves the old key whole; the next write clears its temp file', async () => {
    const path = freshPath();
    writeFileAtomic(path, OLD);
    const run = await runNode(`helper.writeFileAtomic(${JSON.stringify(path)}, ${JSON.stringify(NEW)});`, `fs.renameSync = () => ${killSelf};`);
    expect(run.signal).toBe('SIGKILL');
    expect(readFileSync(path, 'utf8')).toBe(OLD);
    // The killed writer's temp file holds the whole new key, owner-only, and nothing else.
    const leftovers = readdirSync(join(path, '..')).filter((name) => name.endsWith('.tmp'));
    expect(leftovers).toHaveLength(1);
    expect(statSync(join(path, '..', leftovers[0]!)).mode & 0o777).toBe(0o600);
    writeFileAtomic(path, NEW);
    expect(readdirSync(join(path, '..'))).toEqual(['secret.key']);
  });

  it('a process killed half way through writing leaves the old key whole, or no key at all', async () => {
    const halfWrite = `const write = fs.writeSync; fs.writeSync = (fd, buffer, offset, length) => { write(fd, buffer, offset, Math.floor(length / 2)); ${killSelf}; };`;
    const existing = freshPath();
    writeFileAtomic(existing, OLD);
    expect((await runNode(`helper.writeFileAtomic(${JSON.stringify(existing)}, ${JSON.stringify(NEW)});`, halfWrite)).signal).toBe('SIGKILL');
    expect(readFileSync(existing, 'utf8')).toBe(OLD);

    const fresh = freshPath();
    expect((await runNode(`helper.writeFileAtomic(${JSON.stringify(fresh)}, ${JSON.stringify(NEW)});`, halfWrite)).signal).toBe('SIGKILL');
    expect(readdirSync(join(fresh, '..')).filter((name) => name === 'secret.key')).toEqual([]);
  });
});

describe('createFileOnce and loadOrCreateFile', () => {
  const key = { create: () => `${Math.random().toString(16).slice(2).padEnd(16, '0')}\n`, parse: (content: Buffer) => content.toString('utf8').trim() };

  it('creates a file once; a second create leaves the first content', () => {
    const path = freshPath();
    expect(createFileOnce(path, OLD)).toBe('created');
    expect(createFileOnce(path, NEW)).toBe('exists');
    expect(readFileSync(path, 'utf8')).toBe(OLD);
    expect(readdirSync(join(path, '..'))).toEqual(['secret.key']);
  });

  it('a process killed before the link leaves no key, and the next start creates one', async () => {
    const path = freshPath();
    const run = await runNode(`helper.createFileOnce(${JSON.stringify(path)}, ${JSON.stringify(NEW)});`, `fs.linkSync = () => ${killSelf};`);
    expect(run.signal).toBe('SIGKILL');
    expect(readdirSync(join(path, '..')).filter((name) => name === 'secret.key')).toEqual([]);
    expect(loadOrCreateFile(path, key)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('the loser of a creation race reads the winner\'s key instead of failing', () => {
    const path = freshPath();
    const winner = `${'c'.repeat(16)}\n`;
    // Another process finishes creating the file while this one is making its own key.
    const loaded = loadOrCreateFile(path, { ...key, create: () => (createFileOnce(path, winner), NEW) });
    expect(loaded).toBe('c'.repeat(16));
    expect(readFileSync(path, 'utf8')).toBe(winner);
  });

  it('processes starting together on a fresh data dir all get the same key, and none crashes', async () => {
    const path = freshPath();
    const script = `
      const value = helper.loadOrCreateFile(${JSON.stringify(path)}, {
        create: () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex') + '\\n',
        parse: (content) => content.toString('utf8').trim(),
      });
      process.stdout.write(value);`;
    const runs = await Promise.all(Array.from({ length: 4 }, () => runNode(script)));
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    const keys = new Set(runs.map((run) => run.stdout));
    expect(keys.size).toBe(1);
    expect(readFileSync(path, 'utf8').trim()).toBe([...keys][0]);
  });

  it('reads a file that exists without writing anything', () => {
    const path = freshPath();
    writeFileAtomic(path, OLD);
    writeFileSync(join(path, '..', 'other'), 'x');
    expect(loadOrCreateFile(path, key)).toBe('a'.repeat(64));
  });
});
