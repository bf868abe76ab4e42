/**
 * DE55, the ICC data: a BER-TLV field whose subfields are data, like the fields of the profile
 * itself. Each subfield names a tag, its format and its length bounds (taken from the EMV data
 * dictionary, payments/emv/data-dictionary.ts) and which direction may carry it. The packager
 * checks a DE55 against this table both ways: well-formed BER-TLV, every tag listed and in its
 * direction (a 0200 never carries 91 or scripts, a 0210 never the card's data), each length within
 * bounds, no tag twice. Clear track or PAN data (57, 5A, 56, 9F6B, 9F1F) is not listed, so a
 * DE55 carrying it is refused before it leaves or after it arrives.
 */
import { dataElement, type EmvFormat } from '../emv/data-dictionary.ts';
import { buildTlv, parseTlv, TlvError } from '../emv/tlv.ts';

export interface TlvSubfieldSpec {
  readonly tag: string;
  readonly name: string;
  readonly format: EmvFormat;
  readonly minLength: number;
  readonly maxLength: number;
  /** request: station → host (0200, 0400, 0320); response: host → station (0210). */
  readonly direction: 'request' | 'response';
}

const request = ['9F26', '9F27', '9F10', '9F37', '9F36', '95', '9A', '9C', '9F02', '9F03', '5F2A', '82', '9F1A', '9F33', '9F34', '9F35', '84', '9F09', '9F1E', '9F41', 'DF31'];
const response = ['91', '71', '72'];

function subfield(tag: string, direction: TlvSubfieldSpec['direction']): TlvSubfieldSpec {
  const element = dataElement(tag);
  if (!element) throw new Error(`DE55 subfield ${tag} is not in the EMV data dictionary`);
  return { tag, name: element.name, format: element.format, minLength: element.minLength, maxLength: element.maxLength, direction };
}

/** The subfields of DE55 in profile v3. */
export const ICC_DATA_SUBFIELDS: ReadonlyMap<string, TlvSubfieldSpec> = new Map([
  ...request.map((tag) => [tag, subfield(tag, 'request')] as const),
  ...response.map((tag) => [tag, subfield(tag, 'response')] as const),
]);

/** Checks a TLV field against its subfields and the direction it travels; returns what is wrong, or undefined when it fits. */
export function tlvFieldProblem(subfields: ReadonlyMap<string, TlvSubfieldSpec>, bytes: Uint8Array, direction: TlvSubfieldSpec['direction']): string | undefined {
  let entries;
  try {
    entries = parseTlv(bytes);
  } catch (error) {
    return error instanceof TlvError ? `not BER-TLV: ${error.message}` : String(error);
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const spec = subfields.get(entry.tag);
    if (!spec) return `tag ${entry.tag} is not a subfield of this field`;
    if (spec.direction !== direction) return `tag ${entry.tag} travels only in a ${spec.direction}`;
    // Issuer script templates (71, 72) may repeat; every other tag appears once.
    if (seen.has(entry.tag) && entry.tag !== '71' && entry.tag !== '72') return `tag ${entry.tag} appears twice`;
    seen.add(entry.tag);
    if (entry.value.length < spec.minLength || entry.value.length > spec.maxLength) return `tag ${entry.tag} is ${entry.value.length} bytes, allowed ${spec.minLength}–${spec.maxLength}`;
  }
  return undefined;
}

/** Builds DE55 from tag → value, in the order given. */
export function buildIccData(entries: Iterable<readonly [string, Uint8Array]>): Buffer {
  return buildTlv(entries);
}

/** DE55's tags and values; repeated templates (71, 72) are kept in order under `scripts`. */
export function readIccData(bytes: Uint8Array): { tags: Map<string, Buffer>; scripts71: Buffer[]; scripts72: Buffer[] } {
  const tags = new Map<string, Buffer>();
  const scripts71: Buffer[] = [];
  const scripts72: Buffer[] = [];
  for (const entry of parseTlv(bytes)) {
    if (entry.tag === '71' || entry.tag === '72') (entry.tag === '71' ? scripts71 : scripts72).push(buildTlv([[entry.tag, entry.value]]));
    else tags.set(entry.tag, entry.value);
  }
  return { tags, scripts71, scripts72 };
}
