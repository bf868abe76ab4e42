import { describe, expect, it } from 'vitest';
import { defineMachine, IllegalTransitionError } from './fsm.ts';

describe('defineMachine', () => {
  const door = defineMachine<'closed' | 'open' | 'gone', 'open' | 'close' | 'remove', { locked: boolean }>({
    name: 'door',
    initial: 'closed',
    states: ['closed', 'open', 'gone'],
    final: ['gone'],
    transitions: [
      { from: 'closed', event: 'open', to: 'open', guard: { name: 'unlocked', test: (c) => !c.locked } },
      { from: 'open', event: 'close', to: 'closed' },
      { from: 'closed', event: 'remove', to: 'gone' },
    ],
  });

  it('moves along the table and says why it will not', () => {
    expect(door.next('closed', 'open', { locked: false })).toBe('open');
    expect(() => door.next('closed', 'open', { locked: true })).toThrow('door: open is not allowed from closed (needs unlocked)');
    expect(() => door.next('open', 'remove', { locked: false })).toThrow(IllegalTransitionError);
    expect(door.can('open', 'close', { locked: true })).toBe(true);
    expect(door.isFinal('gone')).toBe(true);
    expect(door.eventsFrom('closed')).toEqual(['open', 'remove']);
  });

  it('refuses a table with unknown states or a way out of a final state', () => {
    expect(() => defineMachine({ name: 'bad', initial: 'a', states: ['a'], final: [], transitions: [{ from: 'a', event: 'x', to: 'b' as 'a' }] })).toThrow(/unknown state/);
    expect(() => defineMachine({ name: 'bad', initial: 'a', states: ['a', 'b'], final: ['b'], transitions: [{ from: 'b', event: 'x', to: 'a' }] })).toThrow(/final state/);
  });
});
