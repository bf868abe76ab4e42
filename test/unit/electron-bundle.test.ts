/**
 * The Electron build, checked where the Electron binary cannot run: Forge's own Vite build produces
 * the main bundle, the host bundle, three sandbox-safe preloads and the renderer; the host bundle
 * starts and listens from its CommonJS bundle, as the app's utilityProcess would run it; and the
 * main bundle itself boots and quits under a recording fake of electron (below).
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { simulatorContract } from '../../common/ipc/simulator-contract.ts';
import { probeLock } from '../../common-node/exclusive-lock.ts';

const root = resolve(import.meta.dirname, '..', '..');
const build = join(root, '.vite', 'build');

beforeAll(() => {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.ts')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build-electron failed:\n${result.stdout}\n${result.stderr}`);
}, 180_000);

describe('Electron build', () => {
  it('emits every bundle the app loads', () => {
    for (const file of ['main.cjs', 'bank-host.cjs', 'checkout-preload.cjs', 'simulator-preload.cjs', 'display-preload.cjs']) expect(existsSync(join(build, file)), file).toBe(true);
    for (const page of ['index.html', 'simulator.html', 'display.html']) expect(existsSync(join(root, '.vite', 'renderer', 'main_window', page)), page).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main).toBe('.vite/build/main.cjs');
  });

  it('bundles preloads that a sandboxed renderer can load: they require nothing but electron', () => {
    for (const preload of ['checkout-preload.cjs', 'simulator-preload.cjs', 'display-preload.cjs']) {
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

/**
 * The built main bundle, booted: `.vite/build/main.cjs` runs in a Node process of its own under a
 * recording fake of the `electron` module (test/unit/fake-electron/), injected there and nowhere
 * else. The app's own code runs for real (the station, its journal, the bundled host as a real
 * process); the fake records what it is asked and answers plainly, and this test reads the record,
 * calls IPC handlers as a given frame, fetches app:// pages, and quits. A wiring step missing from
 * main.ts fails it.
 */
interface Recorded {
  readonly record: { api: string; args: unknown[] }[];
  readonly windows: { id: number; webContentsId: number; url?: string; options: { webPreferences: Record<string, unknown> } }[];
  readonly ipcChannels: string[];
}

interface BootedBundle {
  readonly dataDir: string;
  readonly output: string[];
  ask(command: Record<string, unknown>): Promise<unknown>;
  state(): Promise<Recorded>;
  /** The fake's last record and the exit code, once the app exits. */
  readonly exit: Promise<{ code: number | null; final: Recorded | undefined }>;
}

function bootBundle(env: Record<string, string> = {}, args: string[] = []): BootedBundle {
  const dataDir = env.POS_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'electron-boot-'));
  const child = fork(join(build, 'main.cjs'), args, {
    cwd: root,
    execArgv: ['--import', join(root, 'test', 'unit', 'fake-electron', 'register.ts')],
    env: { ...process.env, POS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const pending = new Map<number, (value: unknown) => void>();
  let final: Recorded | undefined;
  let nextId = 0;
  child.on('message', (message: { type: string; id?: number; value?: unknown; error?: string; state?: Recorded }) => {
    if (message.type === 'final') final = message.state;
    if (message.type === 'answer') pending.get(message.id!)?.(message.error === undefined ? message.value : new Error(message.error));
  });
  const exit = new Promise<{ code: number | null; final: Recorded | undefined }>((resolvePromise) => child.once('exit', (code) => resolvePromise({ code, final })));
  const ask = (command: Record<string, unknown>) =>
    new Promise<unknown>((resolvePromise) => {
      const id = ++nextId;
      pending.set(id, resolvePromise);
      child.send({ id, command });
    });
  return { dataDir, output, ask, state: () => ask({ cmd: 'record' }) as Promise<Recorded>, exit };
}

const apis = (state: Recorded) => state.record.map((call) => call.api);
const indexOf = (state: Recorded, api: string, match: (args: unknown[]) => boolean = () => true) => state.record.findIndex((call) => call.api === api && match(call.args));

describe('the built main bundle, booted under a recording fake of electron', () => {
  const contracts = [checkoutContract, simulatorContract];
  const allChannels = contracts.flatMap((contract) => Object.keys(contract.methods).map((method) => `${contract.name}:${method}`));
  let app: BootedBundle;
  let booted: Recorded;

  beforeAll(async () => {
    app = bootBundle();
    // Booted: both windows exist and every contract method is served.
    await vi.waitFor(
      async () => {
        booted = await app.state();
        expect(booted.windows).toHaveLength(3);
        expect(new Set(booted.ipcChannels)).toEqual(new Set(allChannels));
      },
      { timeout: 60_000, interval: 100 },
    );
  }, 90_000);

  it('takes the single-instance lock on the data directory, after making it userData', () => {
    const setPath = indexOf(booted, 'app.setPath', ([name, path]) => name === 'userData' && path === app.dataDir);
    const lock = indexOf(booted, 'app.requestSingleInstanceLock', ([userData]) => userData === app.dataDir);
    expect(setPath).toBeGreaterThanOrEqual(0);
    expect(lock).toBeGreaterThan(setPath);
    expect(indexOf(booted, 'app.on', ([event]) => event === 'second-instance')).toBeGreaterThan(lock);
    expect(existsSync(join(app.dataDir, 'station.lock'))).toBe(true);
  });

  it('registers app:// as a privileged scheme before ready, then serves the renderer over it with the CSP, inside its folder only', async () => {
    const privileged = booted.record[indexOf(booted, 'protocol.registerSchemesAsPrivileged')]!;
    expect(privileged.args).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }], { ready: false }]);
    expect(indexOf(booted, 'protocol.handle', ([scheme]) => scheme === 'app')).toBeGreaterThan(indexOf(booted, 'app:ready'));
    expect(await app.ask({ cmd: 'fetch', url: 'app://station/index.html' })).toMatchObject({ status: 200, contentType: 'text/html', csp: expect.stringContaining("script-src 'self'") });
    expect(await app.ask({ cmd: 'fetch', url: 'app://station/../../../../etc/passwd' })).toMatchObject({ status: 404 });
  });

  it('hardens the session and every web contents: sandbox, permissions and devices denied, CSP, no navigation, no new windows', async () => {
    expect(apis(booted)).toEqual(expect.arrayContaining(['app.enableSandbox', 'session.setPermissionRequestHandler', 'session.setPermissionCheckHandler', 'session.setDevicePermissionHandler', 'session.setUSBProtectedClassesHandler', 'session.webRequest.onHeadersReceived']));
    for (const event of ['select-usb-device', 'select-hid-device', 'select-serial-port']) expect(indexOf(booted, 'session.on', ([name]) => name === event), event).toBeGreaterThanOrEqual(0);
    for (const window of booted.windows) {
      for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) expect(indexOf(booted, `webContents#${window.webContentsId}.on`, ([name]) => name === event), event).toBeGreaterThanOrEqual(0);
      expect(await app.ask({ cmd: 'navigate', webContentsId: window.webContentsId })).toEqual({ navigationPrevented: true, windowOpen: { action: 'deny' } });
    }
  });

  it('creates the checkout, customer display and simulated-devices windows with hardened web preferences and their own preloads', () => {
    expect(booted.windows.map((window) => window.url)).toEqual(['app://station/index.html', 'app://station/display.html', 'app://station/simulator.html']);
    for (const window of booted.windows) {
      const preferences = window.options.webPreferences;
      expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false });
      expect(existsSync(String(preferences.preload)), String(preferences.preload)).toBe(true);
    }
    // One display (the fake screen's): the customer display stays a window of its own, not full screen.
    expect(apis(booted).some((api) => api.endsWith('.setFullScreen'))).toBe(false);
  });

  it('serves every contract method over IPC to its own window only, checking the sender before anything else', async () => {
    const windowOf = (page: string) => booted.windows.find((window) => window.url === `app://station/${page}`);
    const [checkout, simulator] = [windowOf('index.html'), windowOf('simulator.html')];
    const call = (channel: string, window: (typeof booted.windows)[number], frameUrl: string | null, mainFrame = true) =>
      app.ask({ cmd: 'invoke', channel, input: {}, frameUrl, mainFrame, webContentsId: window.webContentsId }) as Promise<{ ok: boolean; error?: { code: string }; value?: unknown }>;
    for (const contract of contracts) {
      const [own, other] = contract === checkoutContract ? [checkout!, simulator!] : [simulator!, checkout!];
      for (const method of Object.keys(contract.methods)) {
        const channel = `${contract.name}:${method}`;
        const refusals = [await call(channel, other, own.url!), await call(channel, own, own.url!, false), await call(channel, own, null), await call(channel, own, 'https://example.com/index.html')];
        for (const refused of refusals) expect(refused, channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    expect(await call('pos:getStationInfo', checkout!, checkout!.url!)).toMatchObject({ ok: true, value: { shell: 'electron', terminalId: 'POS00001', acquirer: { bundled: true } } });
    expect(await call('sim:listTestCards', simulator!, simulator!.url!)).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: 'unionpay-debit-approved' })]) });
    expect(await call('pos:addItem', checkout!, checkout!.url!)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('starts the bundled host through the utility-process interface, and the station signs on to it', async () => {
    const forks = booted.record.filter((call) => call.api === 'utilityProcess.fork');
    expect(forks).toHaveLength(1);
    const [entry, args, options] = forks[0]!.args as [string, string[], Record<string, unknown>];
    expect(entry).toBe(join(build, 'bank-host.cjs'));
    expect(args).toEqual([
      ...['--port', '0', '--data', join(app.dataDir, 'bank'), '--deck', join(root, 'bank', 'deck', 'test-cards.json'), '--config', join(root, 'bank', 'config', 'host.json')],
      // TLS on the link: the host enrols the station that started it.
      ...['--enrol-terminal', 'POS00001', '--enrol-dir', join(app.dataDir, 'acquirer-tls')],
    ]);
    expect(options).toMatchObject({ serviceName: 'POS acquirer host' });
    await vi.waitFor(() => expect(app.output.some((line) => /^\[host\] .* 0800 .*rc=00 .*\(sign-on\)$/.test(line))).toBe(true), { timeout: 30_000 });
  });

  it('sets the app menu (the station menu; none in kiosk mode)', () => {
    const menu = booted.record.filter((call) => call.api === 'Menu.setApplicationMenu').at(-1)!;
    expect(JSON.stringify(menu.args)).toContain('Save support bundle…');
  });

  it('on before-quit stops the host and closes the journal cleanly, then lets the app go', async () => {
    await app.ask({ cmd: 'quit' });
    const { code, final } = await app.exit;
    expect(code).toBe(0);
    const record = final!.record;
    const firstQuit = record.findIndex((call) => call.api === 'app:before-quit');
    expect(record[firstQuit]!.args).toEqual([{ prevented: true }]);
    const hostExit = record.findIndex((call) => call.api === 'utilityProcess:exit');
    expect(hostExit).toBeGreaterThan(firstQuit);
    expect(record[hostExit]!.args).toEqual([0, null]);
    expect(record.findLast((call) => call.api === 'app:before-quit')!.args).toEqual([{ prevented: false }]);
    expect(record.at(-1)).toEqual({ api: 'process.exit', args: [0] });
    expect(app.output).toContain('station stopped');
    // Closed cleanly: SQLite removes a WAL file when its last connection closes; the locks are free.
    expect(existsSync(join(app.dataDir, 'journal.sqlite'))).toBe(true);
    expect(existsSync(join(app.dataDir, 'journal.sqlite-wal'))).toBe(false);
    expect(existsSync(join(app.dataDir, 'bank', 'ledger.sqlite-wal'))).toBe(false);
    expect(probeLock(join(app.dataDir, 'station.lock'))).toEqual({ held: false });
    expect(probeLock(join(app.dataDir, 'bank', 'ledger.lock'))).toEqual({ held: false });
  });

  it('as a second instance on a data directory, quits at once: no window, no host', async () => {
    const second = bootBundle({ FAKE_ELECTRON_INSTANCE: 'second' });
    const { code, final } = await second.exit;
    expect(code).toBe(0);
    const record = apis(final!);
    expect(record).toContain('app.requestSingleInstanceLock');
    expect(record).toContain('app.quit');
    expect(record).not.toContain('new BrowserWindow');
    expect(record).not.toContain('utilityProcess.fork');
    expect(second.output.join('\n')).toMatch(/another POS Station runs on .*; it comes to the front instead/);
  });

  it('runs a maintenance command from its own command line and exits, without a window', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'electron-backups-'));
    const backup = bootBundle({ POS_DATA_DIR: app.dataDir }, ['backup', '--to', folder]);
    const { code, final } = await backup.exit;
    expect(code, backup.output.join('\n')).toBe(0);
    expect(backup.output[0]).toMatch(new RegExp(`^backup written: ${folder}/pos-backup-`));
    expect(apis(final!)).not.toContain('new BrowserWindow');
    expect(apis(final!)).not.toContain('app.requestSingleInstanceLock');
  });
});

describe('the built main bundle in kiosk mode (--kiosk), under the same fake', () => {
  const CASHIER = { operatorId: '1001', pin: '2580' };
  const SUPERVISOR = { operatorId: '9001', pin: '7391' };
  let kiosk: BootedBundle;
  let booted: Recorded;

  beforeAll(async () => {
    kiosk = bootBundle({}, ['--kiosk']);
    await vi.waitFor(
      async () => {
        booted = await kiosk.state();
        expect(booted.windows).toHaveLength(3);
        expect(booted.ipcChannels).toContain('pos:exitKiosk');
      },
      { timeout: 60_000, interval: 100 },
    );
  }, 90_000);

  it('fills the screen with the checkout, no menu, and refuses the window manager\'s close', async () => {
    const checkout = booted.windows[0]!;
    expect(indexOf(booted, `window#${checkout.id}.setKiosk`, ([flag]) => flag === true)).toBeGreaterThanOrEqual(0);
    expect(indexOf(booted, `window#${checkout.id}.removeMenu`)).toBeGreaterThanOrEqual(0);
    expect(booted.record.filter((call) => call.api === 'Menu.setApplicationMenu').map((call) => call.args)).toEqual([[null]]);
    expect(await kiosk.ask({ cmd: 'close', windowId: checkout.id })).toEqual({ prevented: true });
  });

  it('on the exit keys asks the checkout page for a supervisor; a cashier\'s approval is refused and the app stays; a supervisor\'s quits it cleanly', async () => {
    const windowOf = (page: string) => booted.windows.find((window) => window.url === `app://station/${page}`);
    const [checkout, simulator] = [windowOf('index.html'), windowOf('simulator.html')];
    const exitRequests = async () => (await kiosk.state()).record.filter((call) => call.api === `webContents#${checkout!.webContentsId}.send` && (call.args as string[])[0] === 'pos:event:kioskExitRequested').length;
    expect(await exitRequests()).toBe(0);
    expect(await kiosk.ask({ cmd: 'press', webContentsId: checkout!.webContentsId, input: { key: 'Q', control: true, alt: true, shift: true } })).toEqual({ prevented: true });
    expect(await exitRequests()).toBe(1);

    const exit = (approval: typeof SUPERVISOR, window = checkout!) =>
      kiosk.ask({ cmd: 'invoke', channel: 'pos:exitKiosk', input: { approval }, frameUrl: window.url, mainFrame: true, webContentsId: window.webContentsId }) as Promise<{ ok: boolean; error?: { code: string; message: string }; value?: unknown }>;
    // Only the checkout's own frame may ask, and only a supervisor's own id and PIN are enough.
    expect(await exit(SUPERVISOR, simulator!)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await exit(CASHIER)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('is not a supervisor') } });
    expect(await exit({ ...SUPERVISOR, pin: '0000' })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'wrong operator id or PIN' } });
    expect(await kiosk.ask({ cmd: 'close', windowId: checkout!.id })).toEqual({ prevented: true });
    expect(apis(await kiosk.state())).not.toContain('app.quit');

    expect(await exit(SUPERVISOR)).toEqual({ ok: true, value: { exiting: true } });
    const { code, final } = await kiosk.exit;
    expect(code).toBe(0);
    // The quit went through the station's stop: the host stopped, the journal closed, the lock free.
    const record = final!.record;
    expect(record.findIndex((call) => call.api === 'utilityProcess:exit')).toBeGreaterThan(record.findIndex((call) => call.api === 'app:before-quit'));
    expect(kiosk.output).toContain('kiosk: leaving kiosk mode, approved by supervisor Wang Fang (9001)');
    expect(kiosk.output).toContain('station stopped');
    expect(probeLock(join(kiosk.dataDir, 'station.lock'))).toEqual({ held: false });
  });
});
