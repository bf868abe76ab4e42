/**
 * EMVCo QR data objects: a two-digit ID, a two-digit length and the value, one after another, the
 * same at the top level and inside templates. Lengths count characters (Unicode code points), not
 * bytes, so "0104最佳运输" is ID 01 with four characters.
 */
import { QrPayloadError } from './qr-payload-error.ts';

export interface DataObject {
  readonly id: string;
  readonly value: string;
}

/** "59" + "14" + "BEST TRANSPORT". Refuses what no length field can carry. */
export function writeDataObject(id: string, value: string): string {
  if (!/^\d{2}$/.test(id)) throw new RangeError(`data object ID must be two digits, got "${id}"`);
  const length = [...value].length;
  if (length < 1 || length > 99) throw new RangeError(`data object ${id} must be 1–99 characters, got ${length}`);
  return `${id}${String(length).padStart(2, '0')}${value}`;
}

/** Reads every data object of `text`; `where` names the enclosing template in messages. */
export function readDataObjects(text: string, where: string): DataObject[] {
  const chars = [...text];
  const objects: DataObject[] = [];
  let at = 0;
  while (at < chars.length) {
    const header = chars.slice(at, at + 4).join('');
    if (!/^\d{4}$/.test(header)) throw new QrPayloadError('malformed', `${where}: expected a two-digit ID and a two-digit length at character ${at}, found "${header}"`);
    const id = header.slice(0, 2);
    const length = Number(header.slice(2));
    if (length === 0) throw new QrPayloadError('malformed', `${where}: data object ${id} has length 00`);
    if (at + 4 + length > chars.length) throw new QrPayloadError('malformed', `${where}: data object ${id} says ${length} characters but only ${chars.length - at - 4} remain`);
    objects.push({ id, value: chars.slice(at + 4, at + 4 + length).join('') });
    at += 4 + length;
  }
  return objects;
}
