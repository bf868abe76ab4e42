/**
 * DE90, original data elements (n42), as reversals carry it: the original's MTI (4), STAN (6) and
 * DE7 transmission date and time (10), then the acquiring and forwarding institution ids (11 each,
 * all zeros in this profile). With the request's DE41 it names the transaction to reverse.
 */
export interface OriginalDataElements {
  readonly mti: string;
  readonly stan: string;
  readonly transmissionDateTime: string;
}

const LAYOUT = /^(\d{4})(\d{6})(\d{10})\d{22}$/;

export function parseOriginalDataElements(de90: string): OriginalDataElements | undefined {
  const match = LAYOUT.exec(de90);
  if (match === null) return undefined;
  const [, mti = '', stan = '', transmissionDateTime = ''] = match;
  return { mti, stan, transmissionDateTime };
}
