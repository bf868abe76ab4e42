/** Network management (0800 → 0810) over TCP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getText } from '../../payments/iso8583/message.ts';
import { startTestHost, type TestHost } from '../test-host.ts';
import { networkManagement } from '../transaction-fixtures.ts';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

describe('network management over TCP', () => {
  it.each([
    ['001', 'sign-on'],
    ['002', 'sign-off'],
    ['301', 'echo test'],
  ])('answers DE70 %s (%s) with 0810 echoing DE7, DE11, DE41, DE70 and DE39 00', async (code, name) => {
    const request = networkManagement(code, '000321');
    const response = await host.send(request);
    expect(response.mti).toBe('0810');
    expect(Object.fromEntries(response.fields)).toEqual({ 7: getText(request, 7), 11: '000321', 39: '00', 41: 'POS00001', 70: code });
    expect(host.logLines.some((line) => line.includes(' 0800 stan=000321 ') && line.endsWith(`(${name})`))).toBe(true);
  });

  it('answers an unknown DE70 with 12 and a missing one with 30', async () => {
    expect(getText(await host.send(networkManagement('999')), 39)).toBe('12');
    const request = networkManagement('301');
    request.fields.delete(70);
    expect(getText(await host.send(request), 39)).toBe('30');
  });

  it('answers the same echo again: network management is not checked for duplicates', async () => {
    expect(getText(await host.send(networkManagement('301', '000777')), 39)).toBe('00');
    expect(getText(await host.send(networkManagement('301', '000777')), 39)).toBe('00');
  });
});
