import { describe, expect, it } from 'vitest';
import { DEVICE_STATES, type DeviceState } from '../../common/devices.ts';
import { DEVICE_TRANSITIONS, DeviceStateMachine, InvalidDeviceTransitionError, RECOVERY_BACKOFF_MS, recoveryDelay, type DeviceEvent } from './device-state-machine.ts';

const EVENTS: readonly DeviceEvent[] = ['attach', 'claimed', 'job_start', 'job_done', 'transient_error', 'retry', 'fatal_error', 'detach'];

/** Drives a fresh machine into `state` along the shortest legal path. */
function machineIn(state: DeviceState): DeviceStateMachine {
  const paths: Record<DeviceState, DeviceEvent[]> = {
    absent: [],
    connecting: ['attach'],
    ready: ['attach', 'claimed'],
    busy: ['attach', 'claimed', 'job_start'],
    recovering: ['attach', 'transient_error'],
    disconnected: ['attach', 'detach'],
    fault: ['attach', 'fatal_error'],
  };
  const machine = new DeviceStateMachine();
  for (const event of paths[state]) machine.send(event);
  expect(machine.state).toBe(state);
  return machine;
}

describe('device state machine', () => {
  it('starts absent', () => {
    expect(new DeviceStateMachine().state).toBe('absent');
  });

  // Every (state, event) pair: the table's answer, or a loud refusal.
  for (const state of DEVICE_STATES) {
    for (const event of EVENTS) {
      const next = DEVICE_TRANSITIONS[state][event];
      it(next ? `${state} --${event}--> ${next}` : `${state} refuses ${event}`, () => {
        const machine = machineIn(state);
        if (next) {
          expect(machine.send(event)).toBe(next);
          expect(machine.state).toBe(next);
        } else {
          expect(() => machine.send(event)).toThrow(InvalidDeviceTransitionError);
          expect(machine.state).toBe(state);
        }
      });
    }
  }

  it('tells listeners about each change with its detail, and only about changes', () => {
    const machine = new DeviceStateMachine();
    const seen: string[] = [];
    machine.onChange((state, detail) => seen.push(`${state}:${detail ?? ''}`));
    machine.send('attach');
    machine.send('transient_error', 'stall on bulk OUT');
    machine.send('detach', 'unplugged');
    machine.send('detach', 'unplugged');
    expect(seen).toEqual(['connecting:', 'recovering:stall on bulk OUT', 'disconnected:unplugged']);
  });

  it('backs off exponentially and caps the delay', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(recoveryDelay)).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(Math.max(...RECOVERY_BACKOFF_MS)).toBe(8000);
  });
});
