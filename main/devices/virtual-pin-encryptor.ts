/**
 * The virtual PIN pad's key injection, from the station config: TDES DUKPT (ISO 9564 format 0) or
 * AES DUKPT (format 4) for PINs, and a DUKPT data key of the same type for its stripe head. Each
 * key keeps its own KSN file, so switching back and forth never reuses a key serial number.
 */
import { join } from 'node:path';
import { aesDukptDataEncryptor, tdesDukptDataEncryptor, type CardDataEncryptor } from '../../peripherals/pin-pad/card-data-encryption.ts';
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

/** The stripe head's data key: its own initial key and KSN file (pin-pad-data-ksn.json, pin-pad-aes-data-ksn.json). */
export function virtualCardDataEncryptor(config: VirtualPinPadConfig, dataDir: string): CardDataEncryptor {
  const folder = join(dataDir, 'virtual-devices');
  if (config.pinBlockFormat === 'iso4-aes-dukpt') {
    const store = fileKsnStore(join(folder, 'pin-pad-aes-data-ksn.json'), Buffer.from(config.aesDataInitialKsn, 'hex'));
    return aesDukptDataEncryptor(Buffer.from(config.aesDataInitialKey, 'hex'), store);
  }
  return tdesDukptDataEncryptor(Buffer.from(config.dataIpek, 'hex'), fileKsnStore(join(folder, 'pin-pad-data-ksn.json'), Buffer.from(config.dataInitialKsn, 'hex')));
}
