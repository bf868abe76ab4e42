/**
 * USB HID boot keyboard input reports, as keyboard-emulation ("wedge") devices send them (the card
 * reader and the barcode scanner alike):
 *   byte 0 modifier bits (bit 1 left shift, bit 5 right shift, …), byte 1 reserved, bytes 2–7 the
 *   usage IDs of the keys held down (HID Usage Tables, page 0x07).
 * A key counts once, in the report where it first appears; a report that repeats it (the key still
 * held) or lists it no more (released) adds nothing. Characters follow the US layout, which is what
 * readers emulate unless reprogrammed.
 *
 * Caps Lock is not modelled: a reader sends Shift for every capital it types, and the station
 * claims the interface itself (the OS keyboard driver, with its lock state, never sees the reader).
 */

export const BOOT_KEYBOARD_REPORT_LENGTH = 8;

export type KeyStroke = { readonly kind: 'char'; readonly char: string } | { readonly kind: 'enter' } | { readonly kind: 'other'; readonly usage: number };

const LEFT_SHIFT = 0x02;
const RIGHT_SHIFT = 0x20;
/** "Too many keys held": the report's key slots carry no information. */
const ERROR_ROLL_OVER = 0x01;
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;

/** Usage ID → [unshifted, shifted] for the keys that type a character. */
const US_LAYOUT: ReadonlyMap<number, readonly [string, string]> = new Map([
  ...Array.from({ length: 26 }, (_, index): [number, [string, string]] => {
    const letter = String.fromCharCode(0x61 + index);
    return [0x04 + index, [letter, letter.toUpperCase()]];
  }),
  ...['1!', '2@', '3#', '4$', '5%', '6^', '7&', '8*', '9(', '0)'].map((pair, index): [number, [string, string]] => [0x1e + index, [pair[0] as string, pair[1] as string]]),
  [0x2c, [' ', ' ']],
  [0x2d, ['-', '_']],
  [0x2e, ['=', '+']],
  [0x2f, ['[', '{']],
  [0x30, [']', '}']],
  [0x31, ['\\', '|']],
  [0x33, [';', ':']],
  [0x34, ["'", '"']],
  [0x35, ['`', '~']],
  [0x36, [',', '<']],
  [0x37, ['.', '>']],
  [0x38, ['/', '?']],
]);

/** Turns a stream of boot keyboard reports into key strokes. One instance per device. */
export class BootKeyboardDecoder {
  #held = new Set<number>();

  push(report: Uint8Array): KeyStroke[] {
    if (report.length < BOOT_KEYBOARD_REPORT_LENGTH) return [];
    const keys = [...report.subarray(2, BOOT_KEYBOARD_REPORT_LENGTH)].filter((usage) => usage !== 0);
    if (keys.includes(ERROR_ROLL_OVER)) return [];
    const shifted = ((report[0] as number) & (LEFT_SHIFT | RIGHT_SHIFT)) !== 0;
    const strokes = keys.filter((usage) => !this.#held.has(usage)).map((usage) => stroke(usage, shifted));
    this.#held = new Set(keys);
    return strokes;
  }
}

function stroke(usage: number, shifted: boolean): KeyStroke {
  if (usage === ENTER || usage === KEYPAD_ENTER) return { kind: 'enter' };
  const chars = US_LAYOUT.get(usage);
  return chars ? { kind: 'char', char: chars[shifted ? 1 : 0] } : { kind: 'other', usage };
}

/** The reports a keyboard sends to type `char`: the key pressed (with Shift if needed), then released. */
export function reportsForChar(char: string): Uint8Array[] {
  const entry = [...US_LAYOUT].find(([, pair]) => pair.includes(char));
  if (!entry) throw new RangeError(`no US-layout key types ${JSON.stringify(char)}`);
  const [usage, [plain]] = entry;
  const press = new Uint8Array(BOOT_KEYBOARD_REPORT_LENGTH);
  press[0] = char === plain ? 0 : LEFT_SHIFT;
  press[2] = usage;
  return [press, new Uint8Array(BOOT_KEYBOARD_REPORT_LENGTH)];
}

/** The reports for the Enter key, pressed and released. */
export function reportsForEnter(): Uint8Array[] {
  const press = new Uint8Array(BOOT_KEYBOARD_REPORT_LENGTH);
  press[2] = ENTER;
  return [press, new Uint8Array(BOOT_KEYBOARD_REPORT_LENGTH)];
}
