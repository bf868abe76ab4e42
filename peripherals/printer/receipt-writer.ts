/**
 * Receipt layout on top of node-thermal-printer: it supplies the ESC/POS commands (styles,
 * alignment, QR, barcode, image, cut), this adds what it lacks: CJK text in double-byte mode,
 * columns measured in display cells, and a well-formed drawer pulse. Constructed without an
 * interface, node-thermal-printer only accumulates bytes; getBuffer() hands them over.
 */
import { BreakLine, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { encodePrinterText, type CjkSupport } from './printer-text.ts';
import { spreadColumns, wrapColumns } from './text-columns.ts';

export type Alignment = 'left' | 'center' | 'right';

const INITIALIZE = Buffer.from([0x1b, 0x40]); // ESC @
/**
 * ESC p 0 t1 t2: pulse drawer pin 2 on for 50 ms (t1 = 25 × 2 ms), then off for 500 ms.
 * node-thermal-printer's openCashDrawer sends ESC p 0 and ESC p 1 without t1/t2, so the printer
 * reads the next command's bytes as timings.
 */
export const DRAWER_PULSE = Uint8Array.of(0x1b, 0x70, 0x00, 25, 250);
const CODE128 = 73; // GS k function B, m = 73

export class ReceiptWriter {
  readonly columns: number;
  readonly #cjk: CjkSupport;
  readonly #printer: ThermalPrinter;
  /** Double-width text takes two cells a character, so fewer fit on a line. */
  #widthFactor = 1;

  constructor(columns: number, cjk: CjkSupport) {
    this.columns = columns;
    this.#cjk = cjk;
    // No interface: node-thermal-printer only builds the byte buffer. Its own line folding
    // counts UTF-16 units, not cells, so folding is ours.
    this.#printer = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: columns, breakLine: BreakLine.NONE });
  }

  initialize(): void {
    this.#printer.add(INITIALIZE);
  }

  kickDrawer(): void {
    this.#printer.add(Buffer.from(DRAWER_PULSE));
  }

  align(alignment: Alignment): void {
    if (alignment === 'center') this.#printer.alignCenter();
    else if (alignment === 'right') this.#printer.alignRight();
    else this.#printer.alignLeft();
  }

  bold(on: boolean): void {
    this.#printer.bold(on);
  }

  /** Character magnification 1–8. */
  size(width: number, height: number): void {
    // node-thermal-printer names its arguments (height, width) but puts the first in GS ! bits
    // 4–7, which ESC/POS defines as width: so width goes first.
    this.#printer.setTextSize(width - 1, height - 1);
    this.#widthFactor = width;
  }

  /** Text wrapped to the line at the current size, one LF per printed line. */
  text(text: string): void {
    for (const line of wrapColumns(text, this.#lineColumns())) this.#printLine(line);
  }

  /** A label flush left and a value flush right. */
  pair(left: string, right: string): void {
    for (const line of spreadColumns(left, right, this.#lineColumns())) this.#printLine(line);
  }

  rule(): void {
    this.#printLine('-'.repeat(this.#lineColumns()));
  }

  qr(data: string, cellSize: number): void {
    this.#printer.printQR(data, { model: 2, cellSize, correction: 'M' });
    this.#printer.newLine();
  }

  code128(data: string, moduleWidth: number, heightDots: number): void {
    this.#printer.printBarcode(data, CODE128, { hriPos: 0, hriFont: 0, width: moduleWidth, height: heightDots });
    this.#printer.newLine();
  }

  async image(png: Buffer): Promise<void> {
    await this.#printer.printImageBuffer(png);
    this.#printer.newLine();
  }

  partialCut(): void {
    this.#printer.partialCut();
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#printer.getBuffer());
  }

  #lineColumns(): number {
    return Math.floor(this.columns / this.#widthFactor);
  }

  #printLine(line: string): void {
    this.#printer.add(Buffer.from(encodePrinterText(line, this.#cjk)));
    this.#printer.newLine();
  }
}
