/**
 * The Electron build, checked where the Electron binary cannot run: Forge's own Vite build produces
 * the main bundle, the host bundle, two sandbox-safe preloads and the renderer; the host bundle
 * starts and listens from its CommonJS bundle, as the app's utilityProcess would run it.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const build = join(root, '.vite', 'build');

beforeAll(() => {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.ts')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build-electron failed:\n${result.stdout}\n${result.stderr}`);
}, 180_000);

describe('Electron build', () => {
  it('emits every bundle the app loads', () => {
    for (const file of ['main.cjs', 'bank-host.cjs', 'checkout-preload.cjs', 'simulator-preload.cjs']) expect(existsSync(join(build, file)), file).toBe(true);
    for (const page of ['index.html', 'simulator.html']) expect(existsSync(join(root, '.vite', 'renderer', 'main_window', page)), page).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main).toBe('.vite/build/main.cjs');
  });

  it('bundles preloads that a sandboxed renderer can load: they require nothing but electron', () => {
    for (const preload of ['checkout-preload.cjs', 'simulator-preload.cjs']) {
      const required = [...readFileSync(join(build, preload), 'utf8').matchAll(/require\(["'`]([^"'`]+)["'`]\)/g)].map((match) => match[1]);
      expect(new Set(required), preload).toEqual(new Set(['electron']));
    }
  });

  it('keeps the native usb module outside the main bundle', () => {
    const main = readFileSync(join(build, 'main.cjs'), 'utf8');
    expect(main).not.toMatch(/nativeGetDevices|napi_register/);
  });

  it('starts the bundled host from its CommonJS bundle and reports where it listens', async () => {
    const child = fork(
      join(build, 'bank-host.cjs'),
      ['--port', '0', '--data', mkdtempSync(join(tmpdir(), 'bundle-host-')), '--deck', join(root, 'bank', 'deck', 'test-cards.json'), '--config', join(root, 'bank', 'config', 'host.json')],
      { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const message = await new Promise<unknown>((resolvePromise, reject) => {
      child.once('message', resolvePromise);
      child.once('exit', (code) => reject(new Error(`bundled host exited with ${code}: ${output}`)));
    });
    expect(message).toMatchObject({ type: 'listening', host: '127.0.0.1', port: expect.any(Number) });
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGTERM');
    await exited;
  });
});
