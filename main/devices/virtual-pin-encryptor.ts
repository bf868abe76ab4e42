/**
 * The virtual PIN pad's key injection, from the station config: TDES DUKPT (ISO 9564 format 0) or
 * AES DUKPT (format 4). Each key type keeps its own KSN file, so switching back and forth never
 * reuses a key serial number.
 */
import { join } from 'node:path';
import { fileKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { aesDukptEncryptor, tdesDukptEncryptor, type PinEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import type { VirtualPinPadConfig } from '../config/device-config.ts';

export function virtualPinEncryptor(config: VirtualPinPadConfig, dataDir: string): PinEncryptor {
  const folder = join(dataDir, 'virtual-devices');
  if (config.pinBlockFormat === 'iso4-aes-dukpt') {
    const store = fileKsnStore(join(folder, 'pin-pad-aes-ksn.json'), Buffer.from(config.aesInitialKsn, 'hex'));
    return aesDukptEncryptor(Buffer.from(config.aesInitialKey, 'hex'), store);
  }
  return tdesDukptEncryptor(Buffer.from(config.ipek, 'hex'), fileKsnStore(join(folder, 'pin-pad-ksn.json'), Buffer.from(config.initialKsn, 'hex')));
}
