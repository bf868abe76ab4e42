import { describe, expect, it } from 'vitest';
import { encodeDeviceId, getDeviceIdSetup, getPortStatusSetup, parseDeviceId, PRINTER_REQUEST } from './usb-printer-class.ts';

describe('GET_DEVICE_ID', () => {
  it('addresses interface and alternate setting in wIndex', () => {
    expect(getDeviceIdSetup(1, 2)).toEqual({ requestType: 'class', recipient: 'interface', request: PRINTER_REQUEST.GET_DEVICE_ID, value: 0, index: 0x0102 });
  });

  it('encodes a big-endian length that counts itself', () => {
    const id = encodeDeviceId({ MFG: 'ACME', CMD: 'ESCPOS', MDL: 'TP-80' });
    const text = 'MFG:ACME;CMD:ESCPOS;MDL:TP-80;';
    expect(id[0]).toBe(0);
    expect(id[1]).toBe(text.length + 2);
    expect(Buffer.from(id.subarray(2)).toString('latin1')).toBe(text);
  });

  it('parses short and long key names', () => {
    expect(parseDeviceId(encodeDeviceId({ MFG: 'EPSON', CMD: 'ESCPOS', MDL: 'TM-T20III' }))).toEqual({
      manufacturer: 'EPSON',
      commandSet: 'ESCPOS',
      model: 'TM-T20III',
      fields: { MFG: 'EPSON', CMD: 'ESCPOS', MDL: 'TM-T20III' },
    });
    expect(parseDeviceId(encodeDeviceId({ MANUFACTURER: 'Star', 'COMMAND SET': 'STAR', MODEL: 'TSP100' }))).toMatchObject({ manufacturer: 'Star', commandSet: 'STAR', model: 'TSP100' });
  });

  it('tolerates a little-endian length and trailing NULs', () => {
    const text = Buffer.from('MFG:X;MDL:Y;', 'latin1');
    expect(parseDeviceId(Uint8Array.from([text.length + 2, 0, ...text, 0, 0]))).toMatchObject({ manufacturer: 'X', model: 'Y' });
  });

  it('rejects an answer without a length prefix', () => {
    expect(parseDeviceId(Uint8Array.of(5))).toBeUndefined();
  });
});

describe('GET_PORT_STATUS', () => {
  it('addresses the interface', () => {
    expect(getPortStatusSetup(3)).toEqual({ requestType: 'class', recipient: 'interface', request: PRINTER_REQUEST.GET_PORT_STATUS, value: 0, index: 3 });
  });
});
