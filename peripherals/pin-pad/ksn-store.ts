/**
 * Where a PIN pad keeps its key serial number between power cycles. DUKPT's security depends on
 * never using a KSN twice, so the file is replaced atomically (common-node/atomic-file.ts: temp
 * file, fsync, rename, fsync of the folder). A TDES KSN is 10 bytes, an AES one 12; a file holding
 * the other kind belongs to another key and is refused.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../common-node/atomic-file.ts';

export interface KsnStore {
  load(): Buffer;
  save(ksn: Buffer): void;
}

export function memoryKsnStore(initial: Buffer): KsnStore {
  let current = Buffer.from(initial);
  return {
    load: () => Buffer.from(current),
    save: (ksn) => {
      current = Buffer.from(ksn);
    },
  };
}

export function fileKsnStore(path: string, initial: Buffer): KsnStore {
  const read = (): Buffer | undefined => {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { ksn?: unknown };
      const digits = initial.length * 2;
      if (typeof parsed.ksn !== 'string' || !new RegExp(`^[0-9A-F]{${digits}}$`).test(parsed.ksn)) throw new Error(`${path}: "ksn" must be ${digits} upper-case hex digits`);
      return Buffer.from(parsed.ksn, 'hex');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    load: () => read() ?? Buffer.from(initial),
    save: (ksn) => writeFileAtomic(path, JSON.stringify({ ksn: ksn.toString('hex').toUpperCase() })),
  };
}
