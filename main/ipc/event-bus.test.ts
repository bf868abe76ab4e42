import { describe, expect, it } from 'vitest';
import { simulatorContract } from '../../common/ipc/simulator-contract.ts';
import { EventBus } from './event-bus.ts';

describe('event bus', () => {
  it('checks payloads against the contract', () => {
    const bus = new EventBus(simulatorContract);
    expect(() => bus.emit('pinPadDisplay', { lines: [], pinDigits: 99, awaitingPin: true })).toThrow();
  });

  it('replays the latest state to a sink that connects later, and only the latest', () => {
    const bus = new EventBus(simulatorContract, { pinPadDisplay: () => 'screen' });
    bus.emit('pinPadDisplay', { lines: ['WELCOME'], pinDigits: 0, awaitingPin: false });
    bus.emit('pinPadDisplay', { lines: ['ENTER PIN'], pinDigits: 2, awaitingPin: true });
    const seen: unknown[] = [];
    bus.connect((event, payload) => seen.push([event, payload]));
    expect(seen).toEqual([['pinPadDisplay', { lines: ['ENTER PIN'], pinDigits: 2, awaitingPin: true }]]);
  });

  it('forgets a state once a payload ends it', () => {
    const bus = new EventBus(simulatorContract, { pinPadDisplay: (screen) => (screen.awaitingPin ? 'screen' : undefined) });
    bus.emit('pinPadDisplay', { lines: ['ENTER PIN'], pinDigits: 1, awaitingPin: true });
    bus.emit('pinPadDisplay', { lines: ['WELCOME'], pinDigits: 0, awaitingPin: false });
    const seen: unknown[] = [];
    bus.connect((event) => seen.push(event));
    expect(seen).toEqual([]);
  });

  it('does not replay events that are not state', () => {
    const bus = new EventBus(simulatorContract);
    bus.emit('pinPadDisplay', { lines: [], pinDigits: 0, awaitingPin: false });
    const seen: unknown[] = [];
    bus.connect((event) => seen.push(event));
    expect(seen).toEqual([]);
  });
});
