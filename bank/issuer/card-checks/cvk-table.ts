/**
 * Which card verification key checks which card: keys are configured per BIN prefix (an issuer
 * keeps one CVK per card range) and the longest configured prefix of a PAN wins, so a range can
 * override its wider BIN.
 */
import { prepareCvk, type CvvKey } from './cvv.ts';

export interface CvkEntry {
  readonly binPrefix: string;
  /** 16 bytes: CVK A then CVK B. */
  readonly cvk: Buffer;
}

export interface CvkTable {
  cvkFor(pan: string): CvvKey | undefined;
}

export function createCvkTable(entries: readonly CvkEntry[]): CvkTable {
  const byPrefix = new Map(entries.map((entry) => [entry.binPrefix, prepareCvk(entry.cvk)]));
  const prefixLengths = [...new Set(entries.map((entry) => entry.binPrefix.length))].sort((a, b) => b - a);
  return {
    cvkFor(pan) {
      for (const length of prefixLengths) {
        const cvk = byPrefix.get(pan.slice(0, length));
        if (cvk !== undefined) return cvk;
      }
      return undefined;
    },
  };
}
