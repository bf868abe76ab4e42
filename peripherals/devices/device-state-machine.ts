/**
 * Every peripheral runs this explicit state machine:
 *
 *   absent ──attach──▶ connecting ──claimed──▶ ready ⇄ busy
 *                        │  ▲                    │
 *          transient_error  retry (after backoff) │ transient_error
 *                        ▼  │                    ▼
 *                      recovering ◀──────────────┘
 *   any ──detach──▶ disconnected ──attach──▶ connecting
 *   connecting/ready/busy/recovering ──fatal_error──▶ fault (no automatic retry; the detail says what to do)
 *   connecting/ready/busy/recovering ──attach──▶ connecting (another device took the role: in auto
 *     mode a real device found on USB replaces the virtual twin, or a device re-enumerated)
 *
 * An event that makes no sense in the current state is refused loudly: a silent no-op would hide a
 * driver bug behind a status panel that lies.
 */
import type { DeviceState } from '../../common/devices.ts';

export type DeviceEvent = 'attach' | 'claimed' | 'job_start' | 'job_done' | 'transient_error' | 'retry' | 'fatal_error' | 'detach';

export const DEVICE_TRANSITIONS: Readonly<Record<DeviceState, Partial<Record<DeviceEvent, DeviceState>>>> = {
  absent: { attach: 'connecting', detach: 'absent' },
  connecting: { attach: 'connecting', claimed: 'ready', transient_error: 'recovering', fatal_error: 'fault', detach: 'disconnected' },
  ready: { attach: 'connecting', job_start: 'busy', transient_error: 'recovering', fatal_error: 'fault', detach: 'disconnected' },
  busy: { attach: 'connecting', job_done: 'ready', transient_error: 'recovering', fatal_error: 'fault', detach: 'disconnected' },
  recovering: { attach: 'connecting', retry: 'connecting', fatal_error: 'fault', detach: 'disconnected' },
  disconnected: { attach: 'connecting', detach: 'disconnected' },
  fault: { attach: 'connecting', detach: 'disconnected' },
};

/** Capped exponential backoff for recovering → connecting, in milliseconds. */
export const RECOVERY_BACKOFF_MS = [500, 1000, 2000, 4000, 8000] as const;

export function recoveryDelay(attempt: number): number {
  return RECOVERY_BACKOFF_MS[Math.min(attempt, RECOVERY_BACKOFF_MS.length - 1)] as number;
}

export class InvalidDeviceTransitionError extends Error {
  override readonly name = 'InvalidDeviceTransitionError';
}

export type StateListener = (state: DeviceState, detail: string | undefined) => void;

export class DeviceStateMachine {
  #state: DeviceState = 'absent';
  #detail: string | undefined;
  readonly #listeners = new Set<StateListener>();

  get state(): DeviceState {
    return this.#state;
  }

  get detail(): string | undefined {
    return this.#detail;
  }

  can(event: DeviceEvent): boolean {
    return DEVICE_TRANSITIONS[this.#state][event] !== undefined;
  }

  send(event: DeviceEvent, detail?: string): DeviceState {
    const next = DEVICE_TRANSITIONS[this.#state][event];
    if (next === undefined) throw new InvalidDeviceTransitionError(`device cannot '${event}' while ${this.#state}`);
    const changed = next !== this.#state || detail !== this.#detail;
    this.#state = next;
    this.#detail = detail;
    if (changed) for (const listener of this.#listeners) listener(next, detail);
    return next;
  }

  onChange(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
