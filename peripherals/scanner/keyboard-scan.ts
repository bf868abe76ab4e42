/**
 * A keyboard-emulation scanner's keystrokes → scans. The scanner types the code and, with its factory
 * suffix, Enter. A scanner set to no suffix ends a scan when its keystrokes stop for a poll period;
 * for one that sends Enter, keystrokes that stop before it are a half scan, reported as a bad read,
 * never looked up as a shorter code. A key that types no character spoils the scan the same way.
 */
import type { KeyStroke } from '../hid/boot-keyboard.ts';
import { KeyboardLineAssembler, UNTYPEABLE } from '../hid/keyboard-line.ts';
import { MAX_SCAN_LENGTH, type ScanRead } from './scan-read.ts';

export class KeyboardScanAssembler {
  readonly #endsWithEnter: boolean;
  // Past the longest scan the line ends at once, and fails as malformed: a stuck key cannot grow it forever.
  readonly #line = new KeyboardLineAssembler((typed) => typed.length > MAX_SCAN_LENGTH);

  constructor(options: { readonly endsWithEnter: boolean }) {
    this.#endsWithEnter = options.endsWithEnter;
  }

  push(stroke: KeyStroke): ScanRead | undefined {
    const typed = this.#line.push(stroke);
    return typed === undefined ? undefined : scanOf(typed);
  }

  idle(): ScanRead | undefined {
    const typed = this.#line.idle();
    if (typed === undefined) return undefined;
    return this.#endsWithEnter ? { kind: 'bad_read', reason: 'incomplete' } : scanOf(typed);
  }
}

function scanOf(typed: string): ScanRead {
  if (typed.length > MAX_SCAN_LENGTH) return { kind: 'bad_read', reason: 'malformed_report' };
  if (typed.includes(UNTYPEABLE)) return { kind: 'bad_read', reason: 'untypeable_key' };
  return { kind: 'scan', code: typed };
}
