/** The physical keyboard as a PIN pad: digits, Enter, Backspace for Clear, Escape for Cancel. */
import type { PinPadKey } from '../../common/ipc/simulator-contract.ts';

const NAMED_KEYS: Readonly<Record<string, PinPadKey>> = { Enter: 'enter', Backspace: 'clear', Escape: 'cancel' };

export function pinPadKeyFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat'>): PinPadKey | undefined {
  // Shortcuts belong to the browser, and a held key must not type the same digit twenty times.
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return undefined;
  if (/^[0-9]$/.test(event.key)) return event.key as PinPadKey;
  return NAMED_KEYS[event.key];
}
