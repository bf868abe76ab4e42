/**
 * The input report of a vendor-HID magstripe reader in the MagTek USB HID layout (vendor usage
 * page 0xFF00): three decode-status bytes, three track lengths, the card encode type, then three
 * 110-byte track buffers. Track data is the decoded characters with their sentinels.
 */

export const TRACK_BUFFER_LENGTH = 110;
const HEADER_LENGTH = 7;
export const MAGTEK_REPORT_LENGTH = HEADER_LENGTH + 3 * TRACK_BUFFER_LENGTH;

/** Per-track decode status: 0 is a clean decode; anything else is a read error on that track. */
export const TRACK_DECODE_OK = 0;
export const TRACK_DECODE_ERROR = 1;

export interface MagstripeReport {
  readonly tracks: readonly [TrackRead, TrackRead, TrackRead];
  readonly encodeType: number;
}

export interface TrackRead {
  readonly status: number;
  readonly data: string;
}

export class MalformedReportError extends Error {
  override readonly name = 'MalformedReportError';
}

export function decodeMagtekReport(report: Uint8Array): MagstripeReport {
  if (report.length < MAGTEK_REPORT_LENGTH) {
    throw new MalformedReportError(`magstripe report is ${report.length} bytes, expected ${MAGTEK_REPORT_LENGTH}`);
  }
  const track = (index: number): TrackRead => {
    const length = report[3 + index] ?? 0;
    if (length > TRACK_BUFFER_LENGTH) throw new MalformedReportError(`track ${index + 1} length ${length} exceeds ${TRACK_BUFFER_LENGTH}`);
    const start = HEADER_LENGTH + index * TRACK_BUFFER_LENGTH;
    return { status: report[index] ?? TRACK_DECODE_ERROR, data: String.fromCharCode(...report.subarray(start, start + length)) };
  };
  return { tracks: [track(0), track(1), track(2)], encodeType: report[6] ?? 0 };
}

export function encodeMagtekReport(tracks: readonly TrackRead[], encodeType = 0): Uint8Array {
  const report = new Uint8Array(MAGTEK_REPORT_LENGTH);
  tracks.slice(0, 3).forEach((track, index) => {
    const bytes = Uint8Array.from(track.data.slice(0, TRACK_BUFFER_LENGTH), (char) => char.charCodeAt(0) & 0x7f);
    report[index] = track.status;
    report[3 + index] = bytes.length;
    report.set(bytes, HEADER_LENGTH + index * TRACK_BUFFER_LENGTH);
  });
  report[6] = encodeType;
  return report;
}
