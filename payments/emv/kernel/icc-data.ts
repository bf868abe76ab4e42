/**
 * Which ICC data goes where. One list per use, so a tag never leaks into a place it does not belong:
 *   ONLINE_ICC_TAGS   DE55 of the 0200: what the issuer needs to check the ARQC and decide
 *                     (5F34 travels as DE23 and 57 as DE35, not in DE55);
 *   JOURNAL_ICC_TAGS  what the station's journal may keep of a card leg. Never 57, 5A, 56, 9F6B or
 *                     9F1F (clear track-equivalent data and PAN), never a PIN block.
 */
import { buildTlv } from '../tlv.ts';
import { SENSITIVE_TAGS } from '../data-dictionary.ts';

export const ONLINE_ICC_TAGS = ['9F26', '9F27', '9F10', '9F37', '9F36', '95', '9A', '9C', '9F02', '9F03', '5F2A', '82', '9F1A', '9F33', '9F34', '9F35', '84', '9F09', '9F1E', '9F41'] as const;

export const JOURNAL_ICC_TAGS = ['84', '9F26', '9F27', '9F10', '9F36', '95', '9B', '9A', '9C', '9F02', '9F03', '5F2A', '82', '9F1A', '9F33', '9F34', '9F35', '9F37', '5F34'] as const;

// The whitelist is checked against the dictionary's sensitive tags when this module loads.
for (const tag of JOURNAL_ICC_TAGS) if (SENSITIVE_TAGS.includes(tag)) throw new Error(`journal whitelist names sensitive tag ${tag}`);

export function iccDataFor(tags: readonly string[], get: (tag: string) => Buffer | undefined): Buffer {
  return buildTlv(tags.flatMap((tag) => {
    const value = get(tag);
    return value === undefined ? [] : [[tag, value] as const];
  }));
}

export function journalIccData(get: (tag: string) => Buffer | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of JOURNAL_ICC_TAGS) {
    const value = get(tag);
    if (value !== undefined) out[tag] = value.toString('hex').toUpperCase();
  }
  return out;
}
