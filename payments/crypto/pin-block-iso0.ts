/**
 * ISO 9564-1 PIN block format 0 (ANSI X9.8): an 8-byte clear PIN block bound to the PAN.
 *
 * PIN field (ISO 9564-1:2017 §9.3.2.2): control 0, PIN length N (4–12), N PIN digits, fill nibbles F.
 * Account field (§9.3.2.3): 0000 then the 12 rightmost PAN digits excluding the check digit,
 * left-padded with zeros when shorter. The clear PIN block is their XOR.
 */
import { isPanShaped } from '../../common/card/pan.ts';
import { PinBlockError } from './pin-block-error.ts';
import { xor } from './xor.ts';

const FORMAT_0 = 0x0;

export function formatIso0PinBlock(pin: string, pan: string): Buffer {
  // §8.1: a PIN is 4 to 12 decimal digits.
  if (!/^\d{4,12}$/.test(pin)) throw new PinBlockError('PIN must be 4 to 12 decimal digits');
  const pinField = Buffer.from(`${FORMAT_0}${pin.length.toString(16)}${pin}`.padEnd(16, 'F'), 'hex');
  return xor(pinField, accountField(pan));
}

/** Recovers the PIN, rejecting anything a format-0 encoder could not have produced. */
export function parseIso0PinBlock(block: Buffer, pan: string): string {
  if (block.length !== 8) throw new PinBlockError(`format 0 PIN block must be 8 bytes, got ${block.length}`);
  const nibbles = xor(block, accountField(pan)).toString('hex').toUpperCase();
  if (nibbles[0] !== '0') throw new PinBlockError('PIN block control field is not format 0');
  const length = parseInt(nibbles[1]!, 16);
  if (length < 4 || length > 12) throw new PinBlockError('PIN block declares a PIN length outside 4 to 12');
  const pin = nibbles.slice(2, 2 + length);
  if (!/^\d+$/.test(pin)) throw new PinBlockError('PIN block holds a non-decimal PIN digit');
  if (!/^F*$/.test(nibbles.slice(2 + length))) throw new PinBlockError('PIN block fill is not all F');
  return pin;
}

function accountField(pan: string): Buffer {
  if (!isPanShaped(pan)) throw new PinBlockError('PAN must be 12 to 19 decimal digits');
  const withoutCheckDigit = pan.slice(0, -1);
  return Buffer.from(`0000${withoutCheckDigit.slice(-12).padStart(12, '0')}`, 'hex');
}
