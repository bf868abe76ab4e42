/** The device parts of station.json: older files still load, new fields are checked. */
import { describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../bank/config/host-config.ts';
import { BUNDLED_CONFIG_PATH } from '../../bank/start-host.ts';
import { deriveInitialKeyAes } from '../../payments/crypto/dukpt-aes.ts';
import { deriveIpek } from '../../payments/crypto/dukpt-tdes.ts';
import { createUsbCatalog } from '../devices/usb-catalog.ts';
import { DEFAULT_DEVICES_CONFIG, DEFAULT_VIRTUAL_PIN_PAD_CONFIG, DevicesConfigSchema, parseUsbId, VirtualPinPadConfigSchema } from './device-config.ts';
import { DEFAULT_STATION_CONFIG, parseStationConfig } from './station-config.ts';

describe('device config', () => {
  it('loads a station.json written before device models and AES keys existed, with the defaults', () => {
    const older = { ...DEFAULT_STATION_CONFIG, devices: { mode: 'auto' }, virtualPinPad: { ipek: DEFAULT_VIRTUAL_PIN_PAD_CONFIG.ipek, initialKsn: DEFAULT_VIRTUAL_PIN_PAD_CONFIG.initialKsn } };
    const config = parseStationConfig(older, 'station.json');
    expect(config.devices).toEqual({ ...DEFAULT_DEVICES_CONFIG, mode: 'auto' });
    expect(config.virtualPinPad).toEqual(DEFAULT_VIRTUAL_PIN_PAD_CONFIG);
  });

  it('injects the virtual PIN pad with the keys the bundled host’s BDKs derive: PIN keys and the stripe head’s data keys apart', () => {
    const { security } = loadHostConfig(BUNDLED_CONFIG_PATH);
    const hex = (text: string) => Buffer.from(text, 'hex');
    const keyOf = (key: Buffer) => key.toString('hex').toUpperCase();
    const pad = DEFAULT_VIRTUAL_PIN_PAD_CONFIG;
    expect(keyOf(deriveIpek(hex(security.bdk), hex(pad.initialKsn)))).toBe(pad.ipek);
    expect(keyOf(deriveInitialKeyAes(hex(security.aesBdk), hex(pad.aesInitialKsn).subarray(0, 8)))).toBe(pad.aesInitialKey);
    expect(keyOf(deriveIpek(hex(security.dataBdk), hex(pad.dataInitialKsn)))).toBe(pad.dataIpek);
    expect(keyOf(deriveInitialKeyAes(hex(security.aesDataBdk), hex(pad.aesDataInitialKsn).subarray(0, 8)))).toBe(pad.aesDataInitialKey);
    expect(security.dataBdk).not.toBe(security.bdk);
    expect(pad.dataInitialKsn).not.toBe(pad.initialKsn);
  });

  it('takes models by VID/PID, which the USB catalog matches before the built-in ones', () => {
    const devices = DevicesConfigSchema.parse({
      mode: 'usb',
      usb: {
        cardReaders: [{ name: 'Reprogrammed MagTek', usbId: '0801:0001', protocol: 'hid-keyboard', sendsLrc: true, endsWithEnter: false }],
        printers: [{ name: 'POS-80 (Chinese font)', usbId: '0416:5011', cjk: 'gb18030' }],
      },
    });
    const catalog = createUsbCatalog(devices.usb);
    expect(catalog.cardReaderModel({ vendorId: 0x0801, productId: 0x0001 })).toEqual({ name: 'Reprogrammed MagTek', vendorId: 0x0801, productId: 0x0001, protocol: 'hid-keyboard', sendsLrc: true, endsWithEnter: false });
    expect(catalog.cardReaderModel({ vendorId: 0x0801, productId: 0x0002 })?.protocol).toBe('magtek-hid');
    expect(catalog.printerCjk({ vendorId: 0x0416, productId: 0x5011 })).toBe('gb18030');
    expect(catalog.printerCjk({ vendorId: 0x04b8, productId: 0x0e28 })).toBe('none');
    expect(catalog.rules.slice(-2)).toEqual([
      { kind: 'printer', name: 'USB receipt printer (class 7)', interfaceClass: 7 },
      { kind: 'chipReader', name: 'USB smart-card reader (CCID)', interfaceClass: 0x0b },
    ]);
  });

  it('refuses a malformed USB id or an unknown key type, naming the field', () => {
    const badId = DevicesConfigSchema.safeParse({ mode: 'usb', usb: { pinPads: [{ name: 'Pad', usbId: '12345' }] } });
    expect(badId.success ? [] : badId.error.issues.map((issue) => issue.path.join('.'))).toEqual(['usb.pinPads.0.usbId']);
    expect(VirtualPinPadConfigSchema.safeParse({ ...DEFAULT_VIRTUAL_PIN_PAD_CONFIG, pinBlockFormat: 'iso1' }).success).toBe(false);
    expect(parseUsbId('0acd:0200')).toEqual({ vendorId: 0x0acd, productId: 0x0200 });
  });
});
