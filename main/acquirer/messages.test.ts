/** The station's messages (profile version 2), field by field, and that each packs under the profile. */
import { describe, expect, it } from 'vitest';
import { createMessage, type IsoMessage } from '../../payments/iso8583/message.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import { parseAdditionalAmounts } from './additional-amounts.ts';
import { buildCardRequest, readAuthorizationAnswer } from './card-request.ts';
import { buildNetworkRequest, isNetworkApproval } from './network-message.ts';
import { buildBatchUpload, buildSettlementRequest, netSettlementAmount, readSettlementAnswer } from './settlement-messages.ts';

const packager = createPackager(PROFILE_FIELDS);
const now = new Date('2026-11-21T10:15:30Z');
const card = { pan: '6212345678901232', expiry: '3012', serviceCode: '101', discretionary: '0834567890', track2: '6212345678901232=30121010834567890' };
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });
const fields = (message: IsoMessage) => Object.fromEntries(message.fields);
/** Packs and unpacks, as the channel would: proves the profile accepts every field as built. */
const roundTrip = (message: IsoMessage) => packager.unpack(packager.pack(message));

describe('card requests (0200)', () => {
  it('a refund carries the card and the purchase RRN in DE37, and no PIN', () => {
    const refund = buildCardRequest({ kind: 'refund', stan: '000007', terminalId: 'POS00001', merchantId: '898310048160001', amount: cny(500), card, posEntryMode: '021', originalRrn: '632510000001', now });
    expect(fields(roundTrip(refund))).toMatchObject({ 2: card.pan, 3: '200000', 4: '000000000500', 7: '1121101530', 11: '000007', 35: card.track2, 37: '632510000001' });
    expect(refund.fields.has(52)).toBe(false);
    expect(refund.fields.has(53)).toBe(false);
  });

  it('a balance inquiry has DE3 310000, DE4 zero and the PIN', () => {
    const pin = { pinBlock: new Uint8Array(8).fill(1), ksn: new Uint8Array(10).fill(2) };
    const inquiry = buildCardRequest({ kind: 'balance_inquiry', stan: '000008', terminalId: 'POS00001', merchantId: '898310048160001', amount: cny(0), card, posEntryMode: '021', pin, now });
    const unpacked = roundTrip(inquiry);
    expect(fields(unpacked)).toMatchObject({ 3: '310000', 4: '000000000000' });
    expect([...(unpacked.fields.get(52) as Uint8Array)]).toEqual([...pin.pinBlock]);
    expect([...(unpacked.fields.get(53) as Uint8Array)]).toEqual([...pin.ksn]);
  });

  it('reads DE54 from a 0210', () => {
    const response = createMessage('0210', { 11: '000008', 39: '00', 41: 'POS00001', 54: '0001156C000000500000' });
    expect(readAuthorizationAnswer(response)).toEqual({ responseCode: '00', additionalAmounts: '0001156C000000500000' });
  });
});

describe('DE54 additional amounts', () => {
  it('reads ledger (01) and available (02) blocks with their sign, and skips what it does not know', () => {
    expect(parseAdditionalAmounts('0001156C0000005000000002156C000000482000' + '0003156C000000000001' + '0002999C000000000001')).toEqual([
      { type: 'ledger', amount: cny(500_000), sign: 'credit' },
      { type: 'available', amount: cny(482_000), sign: 'credit' },
    ]);
    expect(parseAdditionalAmounts('0001156D000000012345')).toEqual([{ type: 'ledger', amount: cny(12_345), sign: 'debit' }]);
  });
});

describe('network management (0800)', () => {
  it('carries DE7, DE11, DE41 and DE70, and is approved only by an 0810 00 for the same code', () => {
    const signOn = roundTrip(buildNetworkRequest('001', '000001', 'POS00001', now));
    expect(fields(signOn)).toEqual({ 7: '1121101530', 11: '000001', 41: 'POS00001', 70: '001' });
    expect(isNetworkApproval(createMessage('0810', { 39: '00', 70: '001' }), '001')).toBe(true);
    expect(isNetworkApproval(createMessage('0810', { 39: '00', 70: '301' }), '001')).toBe(false);
    expect(isNetworkApproval(createMessage('0810', { 39: '12', 70: '001' }), '001')).toBe(false);
  });
});

describe('settlement (0500) and batch upload (0320)', () => {
  const totals = { debits: { count: 3, amount: cny(6_900) }, credits: { count: 1, amount: cny(300) } };

  it('states the batch number and the totals: credits count and amount, debits count and amount, signed net', () => {
    const request = roundTrip(buildSettlementRequest({ processingCode: '920000', stan: '000010', terminalId: 'POS00001', merchantId: '898310048160001', currency: 'CNY', batchNumber: '000001', totals, now }));
    expect(fields(request)).toEqual({
      3: '920000',
      7: '1121101530',
      11: '000010',
      41: 'POS00001',
      42: '898310048160001',
      49: '156',
      60: '000001',
      74: '0000000001',
      76: '0000000003',
      86: '0000000000000300',
      88: '0000000000006900',
      97: 'D0000000000006600',
    });
    expect(netSettlementAmount({ debits: { count: 0, amount: cny(0) }, credits: { count: 1, amount: cny(300) } })).toBe('C0000000000000300');
    expect(netSettlementAmount({ debits: { count: 0, amount: cny(0) }, credits: { count: 0, amount: cny(0) } })).toBe('D0000000000000000');
  });

  it('reads DE66: 1 in balance, 2 out of balance', () => {
    expect(readSettlementAnswer(createMessage('0510', { 39: '00', 66: '1' }))).toEqual({ responseCode: '00', inBalance: true });
    expect(readSettlementAnswer(createMessage('0510', { 39: '00', 66: '2' }))).toEqual({ responseCode: '00', inBalance: false });
    expect(() => readSettlementAnswer(createMessage('0810', { 39: '00' }))).toThrow(/expected a 0510/);
  });

  it('uploads a transaction as the original was: its DE3, DE4, DE12, DE13, DE22, DE37, DE38, DE39, and DE60 = MTI + STAN + batch', () => {
    const row = {
      processingCode: '200000',
      amount: cny(300),
      localTime: '181530',
      localDate: '1121',
      entryMode: '021',
      rrn: '632510000004',
      approvalCode: '654321',
      responseCode: '00',
      terminalId: 'POS00001',
      merchantId: undefined,
      stan: '000005',
    } as unknown as CardLegRow;
    const upload = roundTrip(buildBatchUpload({ row, stan: '000011', batchNumber: '000001', merchantId: '898310048160001', now }));
    expect(fields(upload)).toEqual({
      3: '200000',
      4: '000000000300',
      7: '1121101530',
      11: '000011',
      12: '181530',
      13: '1121',
      22: '021',
      37: '632510000004',
      38: '654321',
      39: '00',
      41: 'POS00001',
      42: '898310048160001',
      49: '156',
      60: '0200000005000001',
    });
  });
});
