/**
 * An ISO 8583 message as the rest of the code handles it: the MTI and a map of data elements.
 * Text fields (n, an, ans, z) are strings exactly as on the wire; `b` fields are bytes.
 */

export type FieldValue = string | Uint8Array;

export interface IsoMessage {
  mti: string;
  fields: Map<number, FieldValue>;
}

export function createMessage(mti: string, fields: Record<number, FieldValue> = {}): IsoMessage {
  const message: IsoMessage = { mti, fields: new Map() };
  for (const [number, value] of Object.entries(fields)) message.fields.set(Number(number), value);
  return message;
}

/** Sets a field and returns the message, so a response can be built in one expression. */
export function setField(message: IsoMessage, field: number, value: FieldValue): IsoMessage {
  message.fields.set(field, value);
  return message;
}

/** A text field's value, or undefined when absent. A binary value here is a caller bug, so it throws. */
export function getText(message: IsoMessage, field: number): string | undefined {
  const value = message.fields.get(field);
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`field ${field} holds bytes, not text`);
}

/** A binary field's value, or undefined when absent. */
export function getBytes(message: IsoMessage, field: number): Uint8Array | undefined {
  const value = message.fields.get(field);
  if (value === undefined || value instanceof Uint8Array) return value;
  throw new TypeError(`field ${field} holds text, not bytes`);
}

/** Copies the listed fields that `from` has into `to`: how a response echoes its request. */
export function copyFields(from: IsoMessage, to: IsoMessage, fields: readonly number[]): IsoMessage {
  for (const field of fields) {
    const value = from.fields.get(field);
    if (value !== undefined) to.fields.set(field, value);
  }
  return to;
}
