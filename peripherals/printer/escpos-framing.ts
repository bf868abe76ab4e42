/**
 * ESC/POS command framing: how many bytes a command at a given position occupies, without acting
 * on it. Knowing the exact length of commands we do not model keeps their parameter bytes from
 * being misread as text. Lengths follow the Epson ESC/POS reference.
 */

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

/**
 * A framed command: its mnemonic ("ESC a", "GS ( k") and total length in bytes. `framed: false`
 * means only the prefix was recognised and `length` covers just those bytes: the command's real
 * length is unknowable, so what follows it is decoded afresh.
 */
export interface CommandFrame {
  readonly name: string;
  readonly length: number;
  readonly framed: boolean;
}

/** The command starts at the buffer's end and more bytes are needed to know its length. */
export const INCOMPLETE = 'incomplete';
export type FrameResult = CommandFrame | typeof INCOMPLETE;

/** Beyond this a length field is garbage, not an image: treat the prefix as unknown rather than wait forever. */
const MAX_COMMAND_BYTES = 8 * 1024 * 1024;

/** Second byte → total length for fixed-length ESC commands. */
const ESC_FIXED: ReadonlyMap<number, number> = new Map([
  [0x0c, 2], // ESC FF  print in page mode
  [0x20, 3], // ESC SP  right character spacing
  [0x21, 3], // ESC !   print mode
  [0x24, 4], // ESC $   absolute position
  [0x25, 3], // ESC %   user-defined characters on/off
  [0x2d, 3], // ESC -   underline
  [0x32, 2], // ESC 2   default line spacing
  [0x33, 3], // ESC 3   line spacing
  [0x3c, 2], // ESC <   return home
  [0x3d, 3], // ESC =   select peripheral
  [0x3f, 3], // ESC ?   cancel user-defined character
  [0x40, 2], // ESC @   initialize
  [0x42, 4], // ESC B   buzzer (Chinese models, node-thermal-printer's beep)
  [0x45, 3], // ESC E   emphasis
  [0x47, 3], // ESC G   double strike
  [0x4a, 3], // ESC J   print and feed n dots
  [0x4b, 3], // ESC K   print and reverse feed
  [0x4c, 2], // ESC L   page mode
  [0x4d, 3], // ESC M   font
  [0x52, 3], // ESC R   international character set
  [0x53, 2], // ESC S   standard mode
  [0x54, 3], // ESC T   page mode direction
  [0x55, 3], // ESC U   unidirectional printing
  [0x56, 3], // ESC V   90° rotation
  [0x57, 10], // ESC W  page mode area
  [0x5c, 4], // ESC \   relative position
  [0x61, 3], // ESC a   justification
  [0x63, 4], // ESC c 3/4/5 n  paper sensors, panel keys
  [0x64, 3], // ESC d   print and feed n lines
  [0x65, 3], // ESC e   print and reverse feed n lines
  [0x69, 2], // ESC i   partial cut (one point left)
  [0x6d, 2], // ESC m   partial cut (three points left)
  [0x70, 5], // ESC p   drawer pulse
  [0x72, 3], // ESC r   colour
  [0x74, 3], // ESC t   code page
  [0x75, 3], // ESC u   transmit peripheral status
  [0x76, 2], // ESC v   transmit paper status
  [0x7b, 3], // ESC {   upside-down
]);

const GS_FIXED: ReadonlyMap<number, number> = new Map([
  [0x21, 3], // GS !   character size
  [0x24, 4], // GS $   absolute vertical position
  [0x2f, 3], // GS /   print downloaded bit image
  [0x3a, 2], // GS :   macro start/end
  [0x42, 3], // GS B   reverse (white on black)
  [0x48, 3], // GS H   HRI position
  [0x49, 3], // GS I   transmit printer ID
  [0x4c, 4], // GS L   left margin
  [0x50, 4], // GS P   motion units
  [0x57, 4], // GS W   print area width
  [0x5c, 4], // GS \   relative vertical position
  [0x5e, 5], // GS ^   run macro
  [0x61, 3], // GS a   automatic status back
  [0x62, 3], // GS b   smoothing
  [0x66, 3], // GS f   HRI font
  [0x68, 3], // GS h   barcode height
  [0x72, 3], // GS r   transmit status
  [0x77, 3], // GS w   barcode module width
  [0x7c, 3], // GS |   print density (node-thermal-printer's PD_* settings)
]);

const FS_FIXED: ReadonlyMap<number, number> = new Map([
  [0x21, 3], // FS !   Kanji print mode
  [0x26, 2], // FS &   enter double-byte (Kanji/Chinese) mode
  [0x2d, 3], // FS -   Kanji underline
  [0x2e, 2], // FS .   leave double-byte mode
  [0x32, 76], // FS 2  define user Kanji: c1 c2 + 72 bytes
  [0x43, 3], // FS C   Kanji code system
  [0x53, 4], // FS S   Kanji spacing
  [0x57, 3], // FS W   Kanji quadruple size
]);

const PREFIX_NAMES: ReadonlyMap<number, string> = new Map([
  [ESC, 'ESC'],
  [GS, 'GS'],
  [FS, 'FS'],
  [DLE, 'DLE'],
]);

/** Control bytes that are whole commands by themselves. */
const SINGLE_BYTE: ReadonlyMap<number, string> = new Map([
  [0x09, 'HT'],
  [0x0a, 'LF'],
  [0x0c, 'FF'],
  [0x0d, 'CR'],
  [0x18, 'CAN'],
]);

function mnemonic(prefix: number, second: number): string {
  const byte = second === 0x20 ? 'SP' : second > 0x20 && second <= 0x7e ? String.fromCharCode(second) : `0x${second.toString(16).padStart(2, '0')}`;
  return `${PREFIX_NAMES.get(prefix) ?? 'unknown'} ${byte}`;
}

function frame(name: string, length: number): CommandFrame {
  return { name, length, framed: true };
}

/** A prefix we cannot frame: only the two bytes we are sure of are reported. */
function unknownPrefix(buf: Uint8Array, pos: number): CommandFrame {
  const second = buf[pos + 1] ?? 0;
  return { name: mnemonic(buf[pos] ?? 0, second), length: 2, framed: false };
}

function u16(buf: Uint8Array, at: number): number {
  return (buf[at] ?? 0) | ((buf[at + 1] ?? 0) << 8);
}

/** A variable-length frame, or INCOMPLETE until all its bytes are in, or an unknown prefix if absurd. */
function sized(buf: Uint8Array, pos: number, name: string, length: number): FrameResult {
  if (length > MAX_COMMAND_BYTES) return unknownPrefix(buf, pos);
  return pos + length <= buf.length ? frame(name, length) : INCOMPLETE;
}

/** `ESC (`, `GS (` and `FS (` functions: prefix, letter, pL pH, then pL + pH·256 bytes. */
function parenthesised(buf: Uint8Array, pos: number): FrameResult {
  if (pos + 5 > buf.length) return INCOMPLETE;
  const letter = String.fromCharCode(buf[pos + 2] ?? 0);
  return sized(buf, pos, `${PREFIX_NAMES.get(buf[pos] ?? 0)} ( ${letter}`, 5 + u16(buf, pos + 3));
}

function frameEsc(buf: Uint8Array, pos: number): FrameResult {
  const second = buf[pos + 1] ?? 0;
  const fixed = ESC_FIXED.get(second);
  if (fixed !== undefined) return pos + fixed <= buf.length ? frame(mnemonic(ESC, second), fixed) : INCOMPLETE;
  switch (second) {
    case 0x28: // ESC ( …
      return parenthesised(buf, pos);
    case 0x2a: {
      // ESC * m nL nH: column bit image, 1 byte per column (8-dot) or 3 (24-dot)
      if (pos + 5 > buf.length) return INCOMPLETE;
      const mode = buf[pos + 2] ?? 0;
      const bytesPerColumn = mode === 0 || mode === 1 ? 1 : mode === 32 || mode === 33 ? 3 : 0;
      if (bytesPerColumn === 0) return unknownPrefix(buf, pos);
      return sized(buf, pos, 'ESC *', 5 + u16(buf, pos + 3) * bytesPerColumn);
    }
    case 0x44: {
      // ESC D n1 … nk NUL: up to 32 tab positions
      for (let i = pos + 2; i < buf.length && i <= pos + 34; i++) if (buf[i] === 0) return frame('ESC D', i - pos + 1);
      return buf.length - pos < 35 ? INCOMPLETE : unknownPrefix(buf, pos);
    }
    case 0x26: {
      // ESC & y c1 c2 then, per character, x and y·x bytes
      if (pos + 5 > buf.length) return INCOMPLETE;
      const y = buf[pos + 2] ?? 0;
      const first = buf[pos + 3] ?? 0;
      const last = buf[pos + 4] ?? 0;
      if (last < first) return unknownPrefix(buf, pos);
      let at = pos + 5;
      for (let code = first; code <= last; code++) {
        if (at >= buf.length) return INCOMPLETE;
        at += 1 + y * (buf[at] ?? 0);
      }
      return sized(buf, pos, 'ESC &', at - pos);
    }
    default:
      return unknownPrefix(buf, pos);
  }
}

function frameGs(buf: Uint8Array, pos: number): FrameResult {
  const second = buf[pos + 1] ?? 0;
  const fixed = GS_FIXED.get(second);
  if (fixed !== undefined) return pos + fixed <= buf.length ? frame(mnemonic(GS, second), fixed) : INCOMPLETE;
  switch (second) {
    case 0x28: // GS ( k (2D codes), GS ( L (graphics), …
      return parenthesised(buf, pos);
    case 0x2a: // GS * x y d: downloaded bit image of x·y·8 bytes
      if (pos + 4 > buf.length) return INCOMPLETE;
      return sized(buf, pos, 'GS *', 4 + (buf[pos + 2] ?? 0) * (buf[pos + 3] ?? 0) * 8);
    case 0x38: {
      // GS 8 L p1 p2 p3 p4 …: graphics with a 32-bit length
      if (pos + 7 > buf.length) return INCOMPLETE;
      if (buf[pos + 2] !== 0x4c) return unknownPrefix(buf, pos);
      const length = u16(buf, pos + 3) + u16(buf, pos + 5) * 0x10000;
      return sized(buf, pos, 'GS 8 L', 7 + length);
    }
    case 0x56: {
      // GS V m, plus n for the feed-and-cut functions
      if (pos + 3 > buf.length) return INCOMPLETE;
      const mode = buf[pos + 2] ?? 0;
      const length = [0, 1, 48, 49].includes(mode) ? 3 : [65, 66, 97, 98, 103, 104].includes(mode) ? 4 : 0;
      if (length === 0) return unknownPrefix(buf, pos);
      return pos + length <= buf.length ? frame('GS V', length) : INCOMPLETE;
    }
    case 0x6b: {
      // GS k m d1 … dk NUL (m 0–6), or GS k m n d1 … dn (m 65–79)
      if (pos + 4 > buf.length) return INCOMPLETE;
      const mode = buf[pos + 2] ?? 0;
      if (mode >= 65) return sized(buf, pos, 'GS k', 4 + (buf[pos + 3] ?? 0));
      for (let i = pos + 3; i < buf.length && i <= pos + 258; i++) if (buf[i] === 0) return frame('GS k', i - pos + 1);
      return buf.length - pos < 259 ? INCOMPLETE : unknownPrefix(buf, pos);
    }
    case 0x76: {
      // GS v 0 m xL xH yL yH d: raster image of x bytes by y rows
      if (pos + 8 > buf.length) return INCOMPLETE;
      if (buf[pos + 2] !== 0x30) return unknownPrefix(buf, pos);
      return sized(buf, pos, 'GS v 0', 8 + u16(buf, pos + 4) * u16(buf, pos + 6));
    }
    default:
      return unknownPrefix(buf, pos);
  }
}

function frameFs(buf: Uint8Array, pos: number): FrameResult {
  const second = buf[pos + 1] ?? 0;
  const fixed = FS_FIXED.get(second);
  if (fixed !== undefined) return pos + fixed <= buf.length ? frame(mnemonic(FS, second), fixed) : INCOMPLETE;
  if (second === 0x28) return parenthesised(buf, pos);
  if (second === 0x70) return pos + 4 <= buf.length ? frame('FS p', 4) : INCOMPLETE; // print NV bit image n m
  return unknownPrefix(buf, pos);
}

function frameDle(buf: Uint8Array, pos: number): FrameResult {
  const second = buf[pos + 1] ?? 0;
  if (second === 0x05) return pos + 3 <= buf.length ? frame('DLE ENQ', 3) : INCOMPLETE;
  if (pos + 3 > buf.length) return INCOMPLETE;
  const fn = buf[pos + 2] ?? 0;
  if (second === 0x04) {
    // DLE EOT n, with one more parameter for n = 7 and 8
    const length = fn === 7 || fn === 8 ? 4 : 3;
    return pos + length <= buf.length ? frame('DLE EOT', length) : INCOMPLETE;
  }
  if (second === 0x14) {
    const lengths: Record<number, number> = { 1: 5, 2: 5, 3: 5, 7: 4, 8: 10 };
    const length = lengths[fn];
    if (length === undefined) return unknownPrefix(buf, pos);
    return pos + length <= buf.length ? frame('DLE DC4', length) : INCOMPLETE;
  }
  return unknownPrefix(buf, pos);
}

/**
 * Frames the control command at `pos` (a byte below 0x20). Returns INCOMPLETE when the bytes
 * after it are not all in yet; the caller decides whether more can come.
 */
export function frameCommand(buf: Uint8Array, pos: number): FrameResult {
  const first = buf[pos] ?? 0;
  const single = SINGLE_BYTE.get(first);
  if (single !== undefined) return frame(single, 1);
  if (!PREFIX_NAMES.has(first)) return { name: `0x${first.toString(16).padStart(2, '0')}`, length: 1, framed: false };
  if (pos + 2 > buf.length) return INCOMPLETE;
  switch (first) {
    case ESC:
      return frameEsc(buf, pos);
    case GS:
      return frameGs(buf, pos);
    case FS:
      return frameFs(buf, pos);
    default:
      return frameDle(buf, pos);
  }
}
