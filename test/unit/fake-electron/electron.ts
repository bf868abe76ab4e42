/**
 * A recording fake of the `electron` module, for one test only (test/unit/electron-bundle.test.ts):
 * the BUILT main bundle runs on it in a Node process of its own (register.ts routes its
 * require('electron') here), so the app's own code runs for real where the Electron binary cannot.
 *
 * It only records and answers: every call lands in `record` in order, with its arguments (functions
 * shown as "[function]"), and each API answers as Electron would, plainly. Two answers do real work
 * because the app's code needs them to: net.fetch reads a file: URL, and utilityProcess.fork runs
 * the bundled host as a Node child process (Electron's utilityProcess is a Node process too). The
 * test drives the app over this process's IPC channel: it reads the record, invokes IPC handlers as
 * a given frame, calls the app:// handler, presses keys in a window, closes a window, and quits the app.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Call {
  readonly api: string;
  readonly args: unknown;
}

const record: Call[] = [];

/** JSON-safe copy of call arguments: functions become "[function]", class instances their fields. */
function snapshot(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return '[function]';
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item) => snapshot(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, snapshot(inner, depth + 1)]));
}

function note(api: string, ...args: unknown[]): void {
  record.push({ api, args: snapshot(args) });
}

type Listener = (...args: unknown[]) => unknown;

/** An EventEmitter that records who listens to what. */
class RecordingEmitter extends EventEmitter {
  readonly #name: string;

  constructor(name: string) {
    super();
    this.#name = name;
  }

  override on(event: string | symbol, listener: Listener): this {
    note(`${this.#name}.on`, String(event));
    return super.on(event, listener);
  }

  override once(event: string | symbol, listener: Listener): this {
    note(`${this.#name}.once`, String(event));
    return super.once(event, listener);
  }
}

/** What Electron hands to 'before-quit', 'close' and friends. */
function cancellable(): { preventDefault(): void; readonly defaultPrevented: boolean } {
  let prevented = false;
  return {
    preventDefault: () => {
      prevented = true;
    },
    get defaultPrevented() {
      return prevented;
    },
  };
}

// ——— app ———

let userData = join(tmpdir(), 'fake-electron-user-data');
let ready = false;
let quitting = false;

class FakeApp extends RecordingEmitter {
  readonly isPackaged = false;

  constructor() {
    super('app');
    setImmediate(() => {
      ready = true;
      note('app:ready');
      this.emit('ready');
    });
  }

  whenReady(): Promise<void> {
    note('app.whenReady');
    return ready ? Promise.resolve() : new Promise((resolve) => this.once('ready', () => resolve()));
  }

  isReady(): boolean {
    return ready;
  }

  getPath(name: string): string {
    return name === 'userData' ? userData : tmpdir();
  }

  setPath(name: string, path: string): void {
    note('app.setPath', name, path);
    if (name === 'userData') userData = path;
  }

  getAppPath(): string {
    return process.cwd();
  }

  getVersion(): string {
    return '0.1.0';
  }

  getLocale(): string {
    return 'en-US';
  }

  enableSandbox(): void {
    note('app.enableSandbox');
  }

  requestSingleInstanceLock(): boolean {
    const granted = process.env.FAKE_ELECTRON_INSTANCE !== 'second';
    note('app.requestSingleInstanceLock', userData, granted);
    return granted;
  }

  /** Electron's quit: 'before-quit' may be cancelled; if it is not, the app exits. */
  quit(): void {
    note('app.quit');
    if (quitting) return;
    const event = cancellable();
    this.emit('before-quit', event);
    note('app:before-quit', { prevented: event.defaultPrevented });
    if (event.defaultPrevented) return;
    quitting = true;
    this.emit('will-quit', cancellable());
    finish(0);
  }

  exit(code = 0): void {
    note('app.exit', code);
    finish(code);
  }
}

export const app = new FakeApp();

// ——— windows ———

let nextId = 1;
const windows: FakeBrowserWindow[] = [];

class FakeWebContents extends RecordingEmitter {
  readonly id: number;
  sent = 0;
  windowOpenHandler: Listener | undefined;

  constructor(id: number) {
    super(`webContents#${id}`);
    this.id = id;
  }

  /** Events to the page: the channel is recorded, the payload is not (the page has no fake here). */
  send(channel: string): void {
    this.sent++;
    note(`webContents#${this.id}.send`, channel);
  }

  setWindowOpenHandler(handler: Listener): void {
    note(`webContents#${this.id}.setWindowOpenHandler`);
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends RecordingEmitter {
  readonly id: number;
  readonly webContents: FakeWebContents;
  readonly options: unknown;
  url: string | undefined;
  destroyed = false;

  constructor(options: unknown) {
    const id = nextId++;
    super(`window#${id}`);
    this.id = id;
    this.options = options;
    this.webContents = new FakeWebContents(100 + id);
    note('new BrowserWindow', options);
    windows.push(this);
    app.emit('web-contents-created', cancellable(), this.webContents);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return windows.filter((window) => !window.destroyed);
  }

  loadURL(url: string): Promise<void> {
    note(`window#${this.id}.loadURL`, url);
    this.url = url;
    return Promise.resolve();
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isMinimized(): boolean {
    return false;
  }

  show(): void {}
  focus(): void {}
  restore(): void {}

  setBounds(bounds: unknown): void {
    note(`window#${this.id}.setBounds`, bounds);
  }

  setFullScreen(flag: boolean): void {
    note(`window#${this.id}.setFullScreen`, flag);
  }

  setKiosk(flag: boolean): void {
    note(`window#${this.id}.setKiosk`, flag);
  }

  removeMenu(): void {
    note(`window#${this.id}.removeMenu`);
  }
}

export { FakeBrowserWindow as BrowserWindow };

// ——— session, protocol, net ———

function recorder(prefix: string, names: readonly string[]): Record<string, (...args: unknown[]) => void> {
  return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => note(`${prefix}.${name}`, ...args)]));
}

const defaultSession = Object.assign(new RecordingEmitter('session'), recorder('session', ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler', 'setUSBProtectedClassesHandler']), {
  webRequest: recorder('session.webRequest', ['onHeadersReceived']),
});
export const session = { defaultSession };

const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => note('protocol.registerSchemesAsPrivileged', schemes, { ready }),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
    note('protocol.handle', scheme);
    protocolHandlers.set(scheme, handler);
  },
};

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
export const net = {
  fetch: async (url: string) => {
    const path = fileURLToPath(url);
    return new Response(readFileSync(path), { headers: { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' } });
  },
};

// ——— IPC ———

const ipcHandlers = new Map<string, Listener>();
export const ipcMain = {
  handle: (channel: string, handler: Listener) => {
    note('ipcMain.handle', channel);
    ipcHandlers.set(channel, handler);
  },
  removeHandler: (channel: string) => {
    note('ipcMain.removeHandler', channel);
    ipcHandlers.delete(channel);
  },
};

// ——— utility processes: the bundled host, run as the Node process it is ———

class FakeUtilityProcess extends EventEmitter {
  readonly #child: ChildProcess;

  constructor(child: ChildProcess) {
    super();
    this.#child = child;
    child.on('message', (message) => this.emit('message', message));
    child.once('exit', (code, signal) => {
      note('utilityProcess:exit', code, signal);
      this.emit('exit', code ?? 1);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get stdout() {
    return this.#child.stdout;
  }

  get stderr() {
    return this.#child.stderr;
  }

  postMessage(message: unknown): void {
    this.#child.send(message as never);
  }

  kill(): boolean {
    note('utilityProcess.kill');
    return this.#child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args: string[], options: unknown) => {
    note('utilityProcess.fork', modulePath, args, options);
    return new FakeUtilityProcess(fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
  },
};

// ——— the rest the shell touches ———

export const shell = {};
export const Menu = {
  buildFromTemplate: (template: unknown) => ({ template: snapshot(template) }),
  setApplicationMenu: (menu: unknown) => note('Menu.setApplicationMenu', menu),
};
export const dialog = recorder('dialog', ['showErrorBox', 'showMessageBox', 'showSaveDialog', 'showOpenDialog']);
const PRIMARY = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
export const screen = { getAllDisplays: () => [PRIMARY], getPrimaryDisplay: () => PRIMARY };

// ——— the test's side of the IPC channel ———

type Command =
  | { readonly cmd: 'record' }
  | { readonly cmd: 'invoke'; readonly channel: string; readonly input: unknown; readonly frameUrl: string | null; readonly mainFrame: boolean; readonly webContentsId: number }
  | { readonly cmd: 'fetch'; readonly url: string }
  | { readonly cmd: 'navigate'; readonly webContentsId: number }
  | { readonly cmd: 'press'; readonly webContentsId: number; readonly input: Record<string, unknown> }
  | { readonly cmd: 'close'; readonly windowId: number }
  | { readonly cmd: 'quit' };

function state() {
  return {
    record,
    windows: windows.map((window) => ({ id: window.id, webContentsId: window.webContents.id, url: window.url, options: snapshot(window.options) })),
    ipcChannels: [...ipcHandlers.keys()],
  };
}

function finish(code: number): void {
  note('process.exit', code);
  process.send?.({ type: 'final', state: state() }, () => process.exit(code));
}

async function answer(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'record':
      return state();
    case 'invoke': {
      const handler = ipcHandlers.get(command.channel);
      if (handler === undefined) return { missing: command.channel };
      const event = { sender: { id: command.webContentsId }, senderFrame: command.frameUrl === null ? null : { url: command.frameUrl, parent: command.mainFrame ? null : {} } };
      return handler(event, command.input);
    }
    case 'fetch': {
      const handler = protocolHandlers.get(new URL(command.url).protocol.slice(0, -1));
      if (handler === undefined) return { missing: command.url };
      const response = await handler(new Request(command.url));
      return { status: response.status, contentType: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), body: (await response.text()).slice(0, 200) };
    }
    case 'navigate': {
      const contents = windows.find((window) => window.webContents.id === command.webContentsId)?.webContents;
      if (contents === undefined) return { missing: command.webContentsId };
      const navigation = cancellable();
      contents.emit('will-navigate', navigation, 'https://example.com/');
      return { navigationPrevented: navigation.defaultPrevented, windowOpen: contents.windowOpenHandler?.({ url: 'https://example.com/' }) };
    }
    case 'press': {
      // A key going to the page: Electron asks 'before-input-event' listeners first.
      const contents = windows.find((window) => window.webContents.id === command.webContentsId)?.webContents;
      if (contents === undefined) return { missing: command.webContentsId };
      const input = cancellable();
      contents.emit('before-input-event', input, { type: 'keyDown', key: '', control: false, alt: false, shift: false, meta: false, ...command.input });
      return { prevented: input.defaultPrevented };
    }
    case 'close': {
      // The window manager's close (Alt+F4, the title bar's X).
      const window = windows.find((candidate) => candidate.id === command.windowId);
      if (window === undefined) return { missing: command.windowId };
      const close = cancellable();
      window.emit('close', close);
      return { prevented: close.defaultPrevented };
    }
    case 'quit':
      app.quit();
      return { quitting: true };
  }
}

process.on('message', (message: { id: number; command: Command }) => {
  void answer(message.command).then(
    (value) => process.send?.({ type: 'answer', id: message.id, value }),
    (error: unknown) => process.send?.({ type: 'answer', id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
