/**
 * A shift at the till, through the product's composition over TCP to the real host: sign-in, the
 * float, sales in cash and by card, a refund and a void, paid in and out, a supervisor's no-sale,
 * the X report mid-shift, the blind close with the Z report (expected cash, over/short), both
 * printed in the receipt's language; and settlement with a supervisor, refused on an empty batch.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { receiptText } from '../../common/receipt/model.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { APPROVAL, CASHIER, rigEnrolment, startRig, type Rig } from '../test-support/station-rig.ts';

let host: RunningHost;
let rig: Rig;
const reports: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shift-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined, enrolStation: rigEnrolment(dataDir) });
  rig = await startRig({ host: host.host, port: host.port, dataDir });
  rig.services.devices.onReceiptPrinted((document, receipt) => document.kind === 'report' && reports.push(receiptText(receipt)));
  await rig.waitUntilUp();
});

afterAll(async () => {
  await rig.stop();
  await host.close();
});

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });

describe('a shift', () => {
  it('needs a signed-in cashier and an open shift before a sale, and a PIN that matches', async () => {
    await expect(rig.call('addItem', { sku: 'TEA-001', quantity: 1 })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/sign in first/) });
    await expect(rig.call('signIn', { operatorId: CASHIER.id, pin: '0000' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await rig.call('signIn', { operatorId: CASHIER.id, pin: CASHIER.pin })).toMatchObject({ operator: { id: CASHIER.id, role: 'cashier' } });
    await expect(rig.call('addItem', { sku: 'TEA-001', quantity: 1 })).rejects.toThrow(/open a shift first/);
    expect(await rig.call('openShift', { floatMinor: 20_000 })).toMatchObject({ status: 'open', float: cny(20_000), openedBy: CASHIER.id });
    await expect(rig.call('openShift', { floatMinor: 100 })).rejects.toThrow(/already open/);
  });

  it('counts sales by tender, scheme and VAT rate, refunds, voids and cash movements in the X report', async () => {
    // Cash 18.00 (13 % and 9 %), card 39.00 (13 %), a card sale of 12.00 then voided, a cash refund of 3.00.
    const cash = await rig.ring(['COF-001', 'BAO-001']);
    await rig.call('startCashTender', { receivedMinor: 2000 });
    await rig.services.tenders.whenIdle();
    await rig.ring(['HOM-002']);
    await rig.payByCard('unionpay-debit-approved', ['123456']);
    const voided = await rig.ring(['SNK-002']);
    await rig.payByCard('visa-credit', ['1234']);
    await rig.call('voidSale', { saleId: voided.id, approval: APPROVAL });
    await rig.call('refundTender', { saleId: cash.id, tenderId: (await rig.call('getSale', { saleId: cash.id })).tenders[0]!.id, amountMinor: 300, approval: APPROVAL });
    await rig.call('moveCash', { kind: 'paid_in', amountMinor: 5000, reason: 'change from the bank' });
    await rig.call('moveCash', { kind: 'paid_out', amountMinor: 1200, reason: 'window cleaner' });
    await expect(rig.call('noSale', { reason: 'customer wanted change', approval: { operatorId: CASHIER.id, pin: CASHIER.pin } })).rejects.toThrow(/is not a supervisor/);
    expect(await rig.call('noSale', { reason: 'customer wanted change', approval: APPROVAL })).toEqual({ opened: true });

    const x = await rig.call('getXReport', {});
    expect(x).toMatchObject({
      kind: 'X',
      sales: { count: 2, amount: cny(5700) },
      voids: { count: 1, amount: cny(1200) },
      byTender: expect.arrayContaining([
        { type: 'cash', count: 1, amount: cny(1800) },
        { type: 'card', count: 1, amount: cny(3900) },
      ]),
      byScheme: [{ scheme: 'unionpay', count: 1, amount: cny(3900) }],
      byVatRate: [
        // The VAT of each line, summed: 15.00 → 1.73, 39.00 → 4.49 (not 6.21 on the 54.00 together).
        { rateBp: 1300, amount: cny(5400), vat: cny(622) },
        { rateBp: 900, amount: cny(300), vat: cny(25) },
      ],
      refunds: { total: { count: 1, amount: cny(300) }, byTender: [{ type: 'cash', count: 1, amount: cny(300) }] },
      // 200.00 float + 18.00 cash sales − 3.00 refunded + 50.00 in − 12.00 out
      cash: { float: cny(20_000), sales: cny(1800), refunds: cny(300), paidIn: cny(5000), paidOut: cny(1200), expected: cny(25_300) },
      noSales: 1,
      batch: { debits: { count: 1, amount: cny(3900) }, credits: { count: 0 } },
    });
    expect(x.cash.counted).toBeUndefined();
    await rig.call('printXReport', {});
    const printed = await vi.waitUntil(() => reports[0], { timeout: 5000 });
    expect(printed).toContain('X REPORT');
    expect(printed).toMatch(/EXPECTED +CNY 253\.00/);
  });

  it('settles the card batch with a supervisor, and refuses an empty batch', async () => {
    await expect(rig.call('settleBatch', { approval: { operatorId: CASHIER.id, pin: CASHIER.pin } })).rejects.toThrow(/is not a supervisor/);
    expect(await rig.call('settleBatch', { approval: APPROVAL })).toMatchObject({ settlement: 'in_balance', totals: { debits: { count: 1, amount: cny(3900) } } });
    await expect(rig.call('settleBatch', { approval: APPROVAL })).rejects.toThrow(/is empty: there is nothing to settle/);
  });

  it('closes blind: the count goes in first, then the Z report shows the expected cash and the over/short', async () => {
    const z = await rig.call('closeShift', { countedMinor: 25_250 });
    expect(z).toMatchObject({ kind: 'Z', shift: { status: 'closed' }, cash: { expected: cny(25_300), counted: cny(25_250), overShort: { sign: 'short', amount: cny(50) } }, sales: { count: 2 } });
    const printed = await vi.waitUntil(() => reports[1], { timeout: 5000 });
    expect(printed).toContain('Z REPORT');
    expect(printed).toMatch(/SHORT +CNY 0\.50/);
    expect((await rig.call('getSession', {})).shift).toBeUndefined();
    await expect(rig.call('addItem', { sku: 'TEA-001', quantity: 1 })).rejects.toThrow(/open a shift first/);
  });
});
