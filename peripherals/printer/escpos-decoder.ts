/**
 * Decodes an ESC/POS byte stream into the ReceiptModel: what the paper would show. It reads the
 * Epson command set as any common encoder emits it, not only ours (the tests hold it to
 * node-thermal-printer's and receipt-printer-encoder's output), and is incremental: bytes may
 * arrive in packets split anywhere, as they do over USB. ESC t numbers are Epson's; vendors that
 * renumber their code pages (Citizen, some Xprinter models) decode wrongly above 0x7F.
 *
 * Nothing is silently dropped: a command it cannot frame or cannot represent goes to `unknown`
 * with its byte offset. Offsets count from the start of the receipt's raw bytes.
 */
import iconv from 'iconv-lite';
import type { ReceiptItem, ReceiptModel, TextRun } from '../../common/receipt/model.ts';
import { columnBandBitmap, rowBytes, scaleBitmap, stackBitmaps, type Bitmap } from './bitmap.ts';
import { decodeSingleByteText, isKnownCodePage } from './escpos-code-pages.ts';
import { frameCommand, INCOMPLETE, type CommandFrame } from './escpos-framing.ts';
import { barcodeSymbology, barcodeText, symbolPayloadText, twoDimensionalSymbology } from './escpos-symbologies.ts';
import { gb18030CharLength } from './gb18030-framing.ts';

type Align = 'left' | 'center' | 'right';

interface TextStyle {
  readonly bold: boolean;
  readonly underline: boolean;
  readonly invert: boolean;
  readonly width: number;
  readonly height: number;
}

const PLAIN: TextStyle = { bold: false, underline: false, invert: false, width: 1, height: 1 };

/** Commands that change nothing a receipt model can show (spacing, fonts, HRI, status requests): consumed. */
const WITHOUT_VISIBLE_EFFECT = new Set([
  // spacing, margins, positions, fonts, rotation, page mode
  ...['CR', 'CAN', 'ESC SP', 'ESC $', 'ESC 2', 'ESC 3', 'ESC D', 'ESC G', 'ESC L', 'ESC M', 'ESC S', 'ESC T', 'ESC U', 'ESC V', 'ESC W', 'ESC \\', 'ESC {'],
  ...['GS $', 'GS L', 'GS P', 'GS W', 'GS \\', 'GS b', 'GS |', 'FS !', 'FS -', 'FS C', 'FS S', 'FS W'],
  // character sets, peripherals, buzzer, colour, panel keys
  ...['ESC %', 'ESC ?', 'ESC R', 'ESC <', 'ESC =', 'ESC B', 'ESC c', 'ESC r'],
  // barcode HRI and size settings, read when the barcode prints
  ...['GS H', 'GS f', 'GS h', 'GS w'],
  // status requests and automatic status back: answered by the printer, not printed
  ...['DLE EOT', 'DLE ENQ', 'GS I', 'GS a', 'GS r', 'ESC u', 'ESC v'],
]);

/** Bytes shown for one unknown command; a whole unmodelled graphic would drown the report. */
const UNKNOWN_BYTES_SHOWN = 32;

export interface EscPosDecoderOptions {
  /**
   * Many Chinese-market printers power up in double-byte mode (a DIP or memory switch), so
   * encoders such as escpos (lsongdev) send GB18030 without FS &. Set this to decode like them;
   * ESC @ returns to this mode.
   */
  readonly doubleByteAtInit?: boolean;
  /** End a receipt at every cut (the virtual printer). False keeps a whole capture in one model. */
  readonly splitAtCuts?: boolean;
  /** Called as a drawer pulse (ESC p, DLE DC4 1) is decoded: a printer with a drawer opens it. */
  readonly onDrawerPulse?: (pin: 0 | 1) => void;
}

export interface DecodedReceipt {
  readonly model: ReceiptModel;
  /** The bytes this receipt was decoded from, up to and including its cut. */
  readonly raw: Uint8Array;
}

function hex(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, UNKNOWN_BYTES_SHOWN), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > UNKNOWN_BYTES_SHOWN ? `${shown} … (${bytes.length} bytes)` : shown;
}

function alignment(n: number): Align | undefined {
  return ({ 0: 'left', 48: 'left', 1: 'center', 49: 'center', 2: 'right', 50: 'right' } as const)[n];
}

/** ESC p and DLE DC4 name the drawer connector pin: 0 → pin 2, 1 → pin 5. */
function drawerPin(m: number): 0 | 1 | undefined {
  if (m === 0 || m === 48) return 0;
  if (m === 1 || m === 49) return 1;
  return undefined;
}

function sameStyle(run: TextRun, style: TextStyle): boolean {
  return (
    run.bold === style.bold && run.underline === style.underline && run.invert === style.invert && run.width === style.width && run.height === style.height
  );
}

export class EscPosDecoder {
  readonly #doubleByteAtInit: boolean;
  readonly #splitAtCuts: boolean;
  readonly #onDrawerPulse: ((pin: 0 | 1) => void) | undefined;

  /** Bytes since the current receipt began; `#pos` is how far they are decoded. */
  #buffer = new Uint8Array(0);
  #pos = 0;
  #items: ReceiptItem[] = [];
  #unknown: { offset: number; bytes: string }[] = [];

  #style: TextStyle = PLAIN;
  #align: Align = 'left';
  #codePage = 0;
  #doubleByte: boolean;
  /** GS ( k keeps one stored symbol per kind until it is printed. */
  #storedSymbols = new Map<number, Uint8Array>();

  /** The line being composed; ESC a only counts at the start of a line, so its alignment is fixed by its first text. */
  #runs: TextRun[] = [];
  #lineAlign: Align | undefined;
  /** An ESC * band sits in the print buffer: the LF that prints it is not a blank line. */
  #bandInLine = false;
  /** The image item the next ESC * band extends, while nothing else has been printed since. */
  #openBandImage: { index: number; bitmap: Bitmap } | undefined;

  constructor(options: EscPosDecoderOptions = {}) {
    this.#doubleByteAtInit = options.doubleByteAtInit ?? false;
    this.#splitAtCuts = options.splitAtCuts ?? true;
    this.#onDrawerPulse = options.onDrawerPulse;
    this.#doubleByte = this.#doubleByteAtInit;
  }

  /** Feeds bytes; returns the receipts that a cut in them completed. */
  push(chunk: Uint8Array): DecodedReceipt[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
    return this.#decode(false);
  }

  /**
   * Ends the stream: a command cut short goes to `unknown`, text not yet ended by a line feed
   * becomes a line. Returns what was left as a receipt, or undefined when nothing was printed.
   */
  end(): DecodedReceipt | undefined {
    // push() decoded every complete command, so what is left is a cut-short tail: it holds no cut
    this.#decode(true);
    this.#flushLine();
    const rest = this.#items.length > 0 || this.#unknown.length > 0 ? this.#takeReceipt(this.#buffer.length) : undefined;
    this.#buffer = new Uint8Array(0);
    this.#pos = 0;
    return rest;
  }

  #decode(final: boolean): DecodedReceipt[] {
    const receipts: DecodedReceipt[] = [];
    while (this.#pos < this.#buffer.length) {
      if ((this.#buffer[this.#pos] ?? 0) >= 0x20) {
        if (!this.#decodeText(final)) break;
        continue;
      }
      const frame = frameCommand(this.#buffer, this.#pos);
      if (frame === INCOMPLETE) {
        if (!final) break;
        this.#reportUnknown(this.#pos, this.#buffer.length);
        this.#pos = this.#buffer.length;
        break;
      }
      const start = this.#pos;
      this.#pos += frame.length;
      const cut = this.#apply(frame, start);
      if (cut && this.#splitAtCuts) receipts.push(this.#takeReceipt(this.#pos));
    }
    return receipts;
  }

  /** Decodes the text run at the current position; false when it must wait for the rest of a character. */
  #decodeText(final: boolean): boolean {
    const buf = this.#buffer;
    let end = this.#pos;
    while (end < buf.length && (buf[end] ?? 0) >= 0x20) {
      if (!this.#doubleByte || (buf[end] ?? 0) < 0x80) {
        end++;
        continue;
      }
      const length = gb18030CharLength(buf, end);
      if (length === INCOMPLETE) {
        if (final) end = buf.length;
        break;
      }
      end += length;
    }
    if (end === this.#pos) return false;
    const bytes = buf.subarray(this.#pos, end);
    this.#pos = end;
    this.#addText(this.#doubleByte ? iconv.decode(bytes, 'gb18030') : decodeSingleByteText(bytes, this.#codePage));
    return true;
  }

  /** Acts on one framed command; true when it was a cut. */
  #apply(frame: CommandFrame, start: number): boolean {
    const end = start + frame.length;
    const param = (index: number): number => this.#buffer[start + index] ?? 0;
    const u16 = (index: number): number => param(index) | (param(index + 1) << 8);
    if (!frame.framed) {
      this.#reportUnknown(start, end);
      return false;
    }
    if (WITHOUT_VISIBLE_EFFECT.has(frame.name)) return false;
    switch (frame.name) {
      case 'LF':
        this.#endLine();
        return false;
      case 'FF':
      case 'ESC J':
        this.#flushLine();
        return false;
      case 'HT':
        this.#addText('\t');
        return false;
      case 'ESC d':
        this.#feedLines(param(2));
        return false;
      case 'ESC @':
        this.#initialize();
        return false;
      case 'ESC !': {
        const n = param(2);
        this.#style = { bold: (n & 0x08) !== 0, underline: (n & 0x80) !== 0, invert: this.#style.invert, width: n & 0x20 ? 2 : 1, height: n & 0x10 ? 2 : 1 };
        return false;
      }
      case 'GS !':
        this.#style = { ...this.#style, width: ((param(2) >> 4) & 0x07) + 1, height: (param(2) & 0x07) + 1 };
        return false;
      case 'ESC E':
        this.#style = { ...this.#style, bold: (param(2) & 1) === 1 };
        return false;
      case 'ESC -':
        this.#style = { ...this.#style, underline: (param(2) & 0x03) !== 0 };
        return false;
      case 'GS B':
        this.#style = { ...this.#style, invert: (param(2) & 1) === 1 };
        return false;
      case 'ESC a': {
        const align = alignment(param(2));
        if (align === undefined) this.#reportUnknown(start, end);
        else this.#align = align;
        return false;
      }
      case 'ESC t':
        this.#codePage = param(2);
        // Understood, but its text will decode as U+FFFD: say why
        if (!isKnownCodePage(this.#codePage)) this.#reportUnknown(start, end);
        return false;
      case 'FS &':
        this.#doubleByte = true;
        return false;
      case 'FS .':
        this.#doubleByte = false;
        return false;
      case 'GS k':
        this.#barcode(start, end);
        return false;
      case 'GS ( k':
        this.#symbolFunction(start, end);
        return false;
      case 'GS v 0': {
        const widthBytes = u16(4);
        const height = u16(6);
        if (widthBytes === 0 || height === 0) {
          this.#reportUnknown(start, end);
          return false;
        }
        // m: bit 0 doubles the width, bit 1 the height (0–3 or '0'–'3')
        const mode = param(3);
        const raster = { widthDots: widthBytes * 8, heightDots: height, bits: this.#buffer.slice(start + 8, end) };
        this.#flushLine();
        this.#pushImage(scaleBitmap(raster, mode & 1 ? 2 : 1, mode & 2 ? 2 : 1));
        return false;
      }
      case 'ESC *':
        this.#columnBand(param(2), u16(3), start + 5, end);
        return false;
      case 'ESC p': {
        const pin = drawerPin(param(2));
        if (pin === undefined) this.#reportUnknown(start, end);
        else this.#drawer(pin);
        return false;
      }
      case 'DLE DC4': {
        // fn 1 is the real-time drawer pulse; the others (power off, clear buffers) are not receipt content
        const pin = param(2) === 1 ? drawerPin(param(3)) : undefined;
        if (pin === undefined) this.#reportUnknown(start, end);
        else this.#drawer(pin);
        return false;
      }
      case 'ESC i':
      case 'ESC m':
        return this.#cut(true);
      case 'GS V':
        return this.#cut([1, 49, 66, 98, 104].includes(param(2)));
      default:
        this.#reportUnknown(start, end);
        return false;
    }
  }

  #initialize(): void {
    // ESC @ clears the print buffer; text left in it is an encoder bug worth seeing, so keep it
    this.#flushLine();
    this.#style = PLAIN;
    this.#align = 'left';
    this.#codePage = 0;
    this.#doubleByte = this.#doubleByteAtInit;
    this.#storedSymbols.clear();
  }

  #barcode(start: number, end: number): void {
    const mode = this.#buffer[start + 2] ?? 0;
    const symbology = barcodeSymbology(mode);
    if (symbology === undefined) {
      this.#reportUnknown(start, end);
      return;
    }
    // Function B carries a length byte; function A ends with NUL
    const data = mode >= 65 ? this.#buffer.subarray(start + 4, end) : this.#buffer.subarray(start + 3, end - 1);
    this.#flushLine();
    this.#pushItem({ kind: 'barcode', symbology, data: barcodeText(symbology, data), align: this.#align });
  }

  /** GS ( k pL pH cn fn …: fn 80 stores a symbol's data, fn 81 prints it, the rest are its settings. */
  #symbolFunction(start: number, end: number): void {
    const cn = this.#buffer[start + 5] ?? 0;
    const fn = this.#buffer[start + 6] ?? 0;
    const symbology = twoDimensionalSymbology(cn);
    if (symbology === undefined) {
      this.#reportUnknown(start, end);
      return;
    }
    if (fn === 80) {
      this.#storedSymbols.set(cn, this.#buffer.slice(start + 8, end));
      return;
    }
    if (fn !== 81) return;
    const stored = this.#storedSymbols.get(cn);
    if (stored === undefined) {
      this.#reportUnknown(start, end);
      return;
    }
    const data = symbolPayloadText(stored);
    this.#flushLine();
    this.#pushItem(symbology === 'QR' ? { kind: 'qr', data, align: this.#align } : { kind: 'barcode', symbology, data, align: this.#align });
  }

  /** ESC * m nL nH: one band of a column-format image; consecutive bands of one image are stacked. */
  #columnBand(mode: number, columns: number, dataStart: number, end: number): void {
    if (columns === 0) {
      this.#reportUnknown(dataStart - 5, end);
      return;
    }
    this.#flushLine();
    const band = columnBandBitmap(this.#buffer.subarray(dataStart, end), columns, mode >= 32 ? 3 : 1);
    const open = this.#openBandImage;
    if (open !== undefined && open.bitmap.widthDots === band.widthDots) {
      const bitmap = stackBitmaps(open.bitmap, band);
      this.#items[open.index] = this.#imageItem(bitmap);
      this.#openBandImage = { index: open.index, bitmap };
    } else {
      this.#pushImage(band);
      this.#openBandImage = { index: this.#items.length - 1, bitmap: band };
    }
    this.#bandInLine = true;
  }

  #imageItem(bitmap: Bitmap): ReceiptItem {
    const bits = bitmap.bits.subarray(0, rowBytes(bitmap.widthDots) * bitmap.heightDots);
    return { kind: 'image', widthDots: bitmap.widthDots, heightDots: bitmap.heightDots, bitsBase64: Buffer.from(bits).toString('base64') };
  }

  #pushImage(bitmap: Bitmap): void {
    this.#pushItem(this.#imageItem(bitmap));
  }

  #drawer(pin: 0 | 1): void {
    this.#pushItem({ kind: 'drawer', pin });
    this.#onDrawerPulse?.(pin);
  }

  #pushItem(item: ReceiptItem): void {
    this.#openBandImage = undefined;
    this.#items.push(item);
  }

  #addText(text: string): void {
    this.#openBandImage = undefined;
    if (this.#runs.length === 0) this.#lineAlign = this.#align;
    const last = this.#runs.at(-1);
    if (last !== undefined && sameStyle(last, this.#style)) this.#runs[this.#runs.length - 1] = { ...last, text: last.text + text };
    else this.#runs.push({ text, ...this.#style });
  }

  /** LF: prints the line, even an empty one, which is a blank line on paper. */
  #endLine(): void {
    if (this.#bandInLine && this.#runs.length === 0) {
      this.#bandInLine = false;
      return;
    }
    this.#bandInLine = false;
    const runs = this.#runs;
    const align = this.#lineAlign ?? this.#align;
    this.#runs = [];
    this.#lineAlign = undefined;
    this.#pushItem({ kind: 'line', align, runs });
  }

  /** Prints pending text, if any, without adding a blank line. */
  #flushLine(): void {
    if (this.#runs.length > 0) this.#endLine();
  }

  /** ESC d n: prints the buffer and feeds n lines, so n−1 blank lines follow a line of text. */
  #feedLines(n: number): void {
    if (n === 0) {
      this.#flushLine();
      return;
    }
    for (let i = 0; i < n; i++) this.#endLine();
  }

  #cut(partial: boolean): boolean {
    this.#flushLine();
    this.#pushItem({ kind: 'cut', partial });
    return true;
  }

  #reportUnknown(start: number, end: number): void {
    this.#unknown.push({ offset: start, bytes: hex(this.#buffer.subarray(start, end)) });
  }

  /** Hands over everything before `end` as one receipt; decoding state (styles, code page) carries on. */
  #takeReceipt(end: number): DecodedReceipt {
    const receipt = { model: { items: this.#items, unknown: this.#unknown }, raw: this.#buffer.slice(0, end) };
    this.#items = [];
    this.#unknown = [];
    this.#openBandImage = undefined;
    this.#buffer = this.#buffer.slice(end);
    this.#pos -= end;
    return receipt;
  }
}

/** Decodes a whole capture into one model; cuts appear as items rather than splitting it. */
export function decodeEscPos(bytes: Uint8Array, options: Omit<EscPosDecoderOptions, 'splitAtCuts'> = {}): ReceiptModel {
  const decoder = new EscPosDecoder({ ...options, splitAtCuts: false });
  decoder.push(bytes);
  return decoder.end()?.model ?? { items: [], unknown: [] };
}
