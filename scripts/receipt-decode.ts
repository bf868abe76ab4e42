/**
 * `node scripts/receipt-decode.ts FILE [--json] [--double-byte]`: shows what a captured ESC/POS
 * file prints. Text mode writes one line per printed line with markers for QR codes, barcodes,
 * images, cuts and drawer pulses, and lists the commands it could not decode on stderr. --json
 * writes the whole ReceiptModel. --double-byte decodes like a printer that powers up in GB18030
 * mode (Chinese-market DIP switch), for captures from encoders that send Chinese without FS &.
 */
import { readFile } from 'node:fs/promises';
import { receiptText } from '../common/receipt/model.ts';
import { decodeEscPos } from '../peripherals/printer/escpos-decoder.ts';

const USAGE = 'usage: node scripts/receipt-decode.ts FILE [--json] [--double-byte]';
const FLAGS = new Set(['--json', '--double-byte']);

const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const files = args.filter((arg) => !arg.startsWith('--'));
const unknownFlag = [...flags].find((flag) => !FLAGS.has(flag));
const file = files[0];

if (unknownFlag !== undefined || file === undefined || files.length > 1) {
  console.error(unknownFlag === undefined ? USAGE : `unknown option ${unknownFlag}\n${USAGE}`);
  process.exit(2);
}

let bytes: Uint8Array;
try {
  bytes = await readFile(file);
} catch (error) {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
  console.error(`receipt-decode: cannot read ${file}: ${reason}`);
  process.exit(1);
}

const model = decodeEscPos(bytes, { doubleByteAtInit: flags.has('--double-byte') });
if (flags.has('--json')) {
  console.log(JSON.stringify(model, null, 2));
} else {
  console.log(receiptText(model));
  if (model.unknown.length > 0) {
    console.error(`${model.unknown.length} command(s) not decoded:`);
    for (const entry of model.unknown) console.error(`  @${entry.offset}: ${entry.bytes}`);
  }
}
