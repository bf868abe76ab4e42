/**
 * Runs one peripheral through its state machine: attach → connecting → open the driver → ready,
 * then keep its session running. A session that fails while the device is still plugged in goes to
 * recovering and is retried after a capped backoff; an unplug goes to disconnected and waits for
 * the device to come back; an access problem goes to fault with the fix in its detail.
 */
import type { DeviceAlert, DeviceKind, DeviceStatus } from '../../common/devices.ts';
import { UsbAccessError } from '../usb/claim-interface.ts';
import { UsbDisconnectedError, type MinimalUsbDevice } from '../usb/minimal-usb-device.ts';
import { DeviceStateMachine, recoveryDelay } from './device-state-machine.ts';

/** An opened driver: `run` resolves or rejects when the session ends; `close` ends it. */
export interface DeviceSession {
  run(): Promise<void>;
  close(): Promise<void>;
}

/** Which device fills the role: the status shows it, so the cashier knows real from virtual. */
export interface DeviceIdentity {
  readonly source: 'usb' | 'virtual';
  readonly model: string;
}

export interface ManagedDeviceOptions<S extends DeviceSession> extends DeviceIdentity {
  readonly kind: DeviceKind;
  readonly open: (device: MinimalUsbDevice) => Promise<S>;
}

export class ManagedDevice<S extends DeviceSession = DeviceSession> {
  readonly machine = new DeviceStateMachine();
  readonly #options: ManagedDeviceOptions<S>;
  readonly #listeners = new Set<(status: DeviceStatus) => void>();
  #identity: DeviceIdentity;
  #alerts: readonly DeviceAlert[] = [];
  #device: MinimalUsbDevice | undefined;
  #session: S | undefined;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(options: ManagedDeviceOptions<S>) {
    this.#options = options;
    this.#identity = { source: options.source, model: options.model };
    this.machine.onChange(() => this.#emit());
  }

  /** The device attached now, if any: what a hot-plug watcher compares a disconnect with. */
  get device(): MinimalUsbDevice | undefined {
    return this.#device;
  }

  get session(): S | undefined {
    return this.machine.state === 'ready' || this.machine.state === 'busy' ? this.#session : undefined;
  }

  status(): DeviceStatus {
    const detail = this.machine.detail;
    return {
      device: this.#options.kind,
      state: this.machine.state,
      source: this.#identity.source,
      model: this.#identity.model,
      ...(detail === undefined ? {} : { detail }),
      ...(this.#alerts.length === 0 ? {} : { alerts: [...this.#alerts] }),
    };
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The device appeared (at start-up or by hot-plug), or another device takes the role (`identity`
   * says which). A session on the previous device ends first: one role, one device.
   */
  attach(device: MinimalUsbDevice, identity?: DeviceIdentity): void {
    this.#device = device;
    if (identity) this.#identity = identity;
    this.#attempt = 0;
    this.#alerts = [];
    this.#clearRetry();
    void this.#closeSession();
    const generation = ++this.#generation;
    this.machine.send('attach');
    void this.#connect(generation);
  }

  /** The device went away. Whatever session it had ends; nothing is retried until it returns. */
  detach(): void {
    this.#generation += 1;
    this.#clearRetry();
    this.#device = undefined;
    this.#alerts = [];
    this.machine.send('detach', 'unplugged');
    void this.#closeSession();
  }

  /**
   * Nothing is attached, and `detail` says what the station is waiting for (e.g. no USB reader
   * found); `identity` names the kind of device it waits for.
   */
  waitFor(detail: string, identity?: DeviceIdentity): void {
    if (this.machine.state !== 'absent' && this.machine.state !== 'disconnected') return;
    if (identity) this.#identity = identity;
    this.machine.send('detach', detail);
  }

  /** The device's own condition (paper, cover) as its latest status query found it. */
  setAlerts(alerts: readonly DeviceAlert[]): void {
    if (alerts.length === this.#alerts.length && alerts.every((alert, index) => alert === this.#alerts[index])) return;
    this.#alerts = [...alerts];
    this.#emit();
  }

  /** Marks a job in progress (a print, a PIN entry) so the status panel and callers see busy. */
  async withJob<T>(job: (session: S) => Promise<T>): Promise<T> {
    const session = this.session;
    if (!session || this.machine.state !== 'ready') throw new Error(`${this.#options.kind} is ${this.machine.state}`);
    this.machine.send('job_start');
    try {
      return await job(session);
    } finally {
      if (this.machine.can('job_done')) this.machine.send('job_done');
    }
  }

  async stop(): Promise<void> {
    this.#generation += 1;
    this.#clearRetry();
    await this.#closeSession();
  }

  async #connect(generation: number): Promise<void> {
    const device = this.#device;
    if (!device) return;
    let session: S;
    try {
      session = await this.#options.open(device);
    } catch (error) {
      if (generation === this.#generation) this.#failed(error, generation);
      return;
    }
    if (generation !== this.#generation) {
      await session.close();
      return;
    }
    this.#session = session;
    this.#attempt = 0;
    this.machine.send('claimed');
    session.run().then(
      () => undefined,
      (error: unknown) => {
        if (generation === this.#generation) this.#failed(error, generation);
      },
    );
  }

  #failed(error: unknown, generation: number): void {
    void this.#closeSession();
    if (error instanceof UsbDisconnectedError) {
      if (this.machine.can('detach')) this.machine.send('detach', 'unplugged');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsbAccessError) {
      this.machine.send('fatal_error', message);
      return;
    }
    this.machine.send('transient_error', message);
    const delay = recoveryDelay(this.#attempt++);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (generation !== this.#generation || this.machine.state !== 'recovering') return;
      this.machine.send('retry');
      void this.#connect(generation);
    }, delay);
  }

  #emit(): void {
    const status = this.status();
    for (const listener of this.#listeners) listener(status);
  }

  async #closeSession(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session) await session.close();
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}
