/**
 * Insert and tap at the station: the product's own composition (createStation) with the chip and
 * contactless flows registered beside the swipe, the virtual dual-interface CCID reader at the USB
 * transfer level holding the deck's virtual EMV cards, the terminal kernel, and 0200s with DE55 over
 * real TCP to the bundled host, which checks each ARQC and answers with its ARPC. Driven through the
 * checkout and simulator contracts as the cashier's screen and the simulated-devices panel do.
 *
 * The contactless limits are lowered (CVM at 20.00, no contactless from 50.00) so a coffee crosses them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { receiptText } from '../../common/receipt/model.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { hostAvailableMinor, hostTransactions } from '../test-support/host-ledger.ts';
import { CONTACT_SLOT } from '../../peripherals/ccid/virtual-ccid-reader.ts';
import { rigEnrolment, startRig, type Rig } from '../test-support/station-rig.ts';

let host: RunningHost;
let rig: Rig;
const receipts: { saleId?: string; text: string }[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chip-tenders-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined, enrolStation: rigEnrolment(dataDir) });
  rig = await startRig({ host: host.host, port: host.port, dataDir, chip: { contactlessCvmLimitMinor: 2_000, contactlessTransactionLimitMinor: 5_000 } });
  rig.services.devices.onReceiptPrinted((document, receipt) => receipts.push({ ...(document.kind === 'sale' ? { saleId: document.saleId } : {}), text: receiptText(receipt) }));
  await rig.waitUntilUp();
  await rig.signInAndOpenShift(20_000);
});

afterAll(async () => {
  await rig.stop();
  await host.close();
});

const TID = 'POS00001';
const receiptOf = (saleId: string) => vi.waitUntil(() => receipts.find((receipt) => receipt.saleId === saleId)?.text, { timeout: 5000 });
const stepsOf = (final: { paymentId: string }) => rig.progress.filter((event) => event.paymentId === final.paymentId);

/** Rings up the SKUs and pays by inserting or tapping; a sale left unpaid is cancelled. */
async function chipSale(cardId: string, how: Parameters<Rig['presentCard']>[3], pins: readonly string[], skus: readonly string[] = ['COF-001']) {
  const sale = await rig.ring(skus);
  const { paymentId } = await rig.call('startCardTender', {});
  const final = await rig.presentCard(paymentId, cardId, pins, how);
  if (rig.services.journal.sales.load(sale.id)?.status === 'tendering') await rig.call('cancelSale', {});
  return { final, saleId: sale.id };
}

describe('insert (chip)', () => {
  it('approves with the online PIN, the card accepting the ARPC (TC); the leg keeps AID, label, TVR, TSI and AC type; the receipt shows them', async () => {
    const { final, saleId } = await chipSale('unionpay-chip-debit', 'insert', ['123456']);
    expect(final).toMatchObject({ step: 'approved', entryMode: 'chip', outcome: { responseCode: '00' }, application: { aid: 'A000000333010101', label: 'UnionPay Debit' } });
    expect(stepsOf(final).map((event) => event.step)).toEqual(expect.arrayContaining(['present_card', 'reading', 'enter_pin', 'authorizing', 'approved']));
    const leg = rig.lastLeg();
    expect(leg).toMatchObject({ kind: 'purchase', entryMode: '051', status: 'approved' });
    const chip = rig.services.journal.chip.ofLeg(leg.id)!;
    expect(chip).toMatchObject({ entryMode: 'contact', aid: 'A000000333010101', applicationLabel: 'UnionPay Debit', acType: 'TC', cvm: 'online_pin' });
    // The whitelist only: never the track 2 equivalent, the PAN, track 1 or the cardholder's name.
    for (const tag of ['57', '5A', '56', '9F6B', '9F1F', '5F20']) expect(chip.iccData[tag]).toBeUndefined();
    expect(chip.iccData['9F26']).toMatch(/^[0-9A-F]{16}$/);
    expect(await rig.call('getSale', { saleId })).toMatchObject({ status: 'paid' });
    const text = await receiptOf(saleId);
    expect(text).toMatch(/AID +A000000333010101/);
    expect(text).toMatch(/APP +UnionPay Debit/);
    expect(text).toMatch(/ENTRY +CHIP/);
    expect(text).toMatch(/TC +[0-9A-F]{16}/);
  });

  it('lists a card\'s applications for the cashier, who picks the customer\'s choice (the second: credit)', async () => {
    await rig.ring(['TEA-001']);
    const { paymentId } = await rig.call('startCardTender', {});
    const choosing = rig.presentCard(paymentId, 'unionpay-chip-two-apps', ['123456'], 'insert');
    await vi.waitUntil(() => rig.progress.some((event) => event.paymentId === paymentId && event.applicationChoice?.length === 2), { timeout: 10_000 });
    const listed = rig.progress.find((event) => event.paymentId === paymentId && event.applicationChoice)!.applicationChoice!;
    expect(listed.map((choice) => choice.label)).toEqual(['UnionPay Debit', 'UnionPay Credit']);
    expect(await rig.call('chooseApplication', { paymentId, index: 5 })).toEqual({ chosen: false });
    expect(await rig.call('chooseApplication', { paymentId, index: 1 })).toEqual({ chosen: true });
    const final = await choosing;
    expect(final).toMatchObject({ step: 'approved', application: { aid: 'A000000333010102', label: 'UnionPay Credit' } });
  });

  it('declines 55 on a wrong PIN (the card gets the issuer\'s refusal and answers AAC)', async () => {
    const { final } = await chipSale('visa-chip-credit', 'insert', ['9999']);
    expect(final).toMatchObject({ step: 'declined', outcome: { responseCode: '55' } });
    expect(rig.services.journal.chip.ofLeg(rig.lastLeg().id)).toMatchObject({ acType: 'AAC' });
  });

  it('declines 82 a card whose ARQC does not verify at the host', async () => {
    const { final } = await chipSale('unionpay-chip-wrong-key', 'insert', ['123456']);
    expect(final).toMatchObject({ step: 'declined', outcome: { responseCode: '82' } });
  });

  it('reverses the authorization when the card declines after the host approved (second GENERATE AC: AAC)', async () => {
    const before = hostAvailableMinor(host.ledgerPath, 'visa-chip-declines-at-completion');
    const { final, saleId } = await chipSale('visa-chip-declines-at-completion', 'insert', ['1234']);
    expect(final).toMatchObject({ step: 'failed', failure: 'card_declined' });
    const leg = rig.services.journal.legs.ofTender(rig.services.journal.sales.load(saleId)!.tenders[0]!.id)[0]!;
    await rig.waitForLeg(leg.id, 'voided');
    expect(hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.rrn === leg.rrn)).toMatchObject({ state: 'reversed' });
    expect(hostAvailableMinor(host.ledgerPath, 'visa-chip-declines-at-completion')).toBe(before);
  });

  it('runs the issuer\'s scripts, keeps their results and reports them (DF31) in the next chip request', async () => {
    const { final } = await chipSale('unionpay-chip-script-put-data', 'insert', ['123456']);
    expect(final.step).toBe('approved');
    expect(rig.services.journal.chip.unreportedScriptResults()).toHaveLength(1);
    const next = await chipSale('unionpay-chip-debit', 'insert', ['123456']);
    expect(next.final.step).toBe('approved');
    expect(rig.services.journal.chip.unreportedScriptResults()).toHaveLength(0);
  });

  it('reverses the approval when the card is pulled out while the bank answers (the card never gave its TC)', async () => {
    rig.onNextStep('authorizing', () => rig.services.devices.virtualChipReader.remove(CONTACT_SLOT));
    const { final, saleId } = await chipSale('unionpay-chip-debit', 'insert', ['123456']);
    expect(final).toMatchObject({ step: 'failed', failure: 'card_removed', outcome: { responseCode: '00' } });
    const leg = rig.services.journal.legs.ofTender(rig.services.journal.sales.load(saleId)!.tenders[0]!.id)[0]!;
    await rig.waitForLeg(leg.id, 'voided');
    expect(hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.rrn === leg.rrn)).toMatchObject({ state: 'reversed' });
  });

  it('ends with card_removed, nothing sent, when the card is pulled out during the read', async () => {
    const legs = rig.services.journal.legs.recent(1)[0]!.id;
    const { final } = await chipSale('unionpay-chip-debit', { insert: 'removed_mid_transaction' }, []);
    expect(final).toMatchObject({ step: 'failed', failure: 'card_removed' });
    expect(rig.lastLeg().id).toBe(legs);
  });
});

describe('tap (contactless)', () => {
  it('approves under the CVM limit without PIN, the customer told to remove the card before the authorization; DE22 071', async () => {
    const { final, saleId } = await chipSale('visa-chip-credit', 'tap', [], ['TEA-001']);
    expect(final).toMatchObject({ step: 'approved', entryMode: 'contactless' });
    const steps = stepsOf(final);
    expect(steps.some((event) => event.step === 'enter_pin')).toBe(false);
    const removed = steps.findIndex((event) => event.cardholderMessage === 'remove_card');
    expect(removed).toBeGreaterThanOrEqual(0);
    expect(removed).toBeLessThan(steps.findIndex((event) => event.step === 'authorizing'));
    expect(rig.lastLeg()).toMatchObject({ entryMode: '071', status: 'approved' });
    expect(rig.services.journal.chip.ofLeg(rig.lastLeg().id)).toMatchObject({ entryMode: 'contactless', acType: 'ARQC', cvm: 'no_cvm' });
    expect(await receiptOf(saleId)).toMatch(/ENTRY +CONTACTLESS/);
  });

  it('asks for the online PIN at or above the CVM limit', async () => {
    const { final } = await chipSale('unionpay-chip-debit', 'tap', ['123456'], ['COF-001', 'COF-002']); // 33.00 ≥ 20.00
    expect(final.step).toBe('approved');
    expect(stepsOf(final).some((event) => event.step === 'enter_pin')).toBe(true);
    expect(rig.services.journal.chip.ofLeg(rig.lastLeg().id)).toMatchObject({ cvm: 'online_pin' });
  });

  it('declines 55 a tap whose online PIN is wrong, and 82 a tapped card whose ARQC does not verify', async () => {
    const wrongPin = await chipSale('unionpay-chip-debit', 'tap', ['000000'], ['COF-001', 'COF-002']);
    expect(wrongPin.final).toMatchObject({ step: 'declined', outcome: { responseCode: '55' } });
    const wrongKey = await chipSale('unionpay-chip-wrong-key', 'tap', [], ['TEA-001']);
    expect(wrongKey.final).toMatchObject({ step: 'declined', outcome: { responseCode: '82' } });
  });

  it('refuses a tap at or above the contactless limit: the cashier asks for an insert', async () => {
    const legs = rig.lastLeg().id;
    const { final } = await chipSale('unionpay-chip-debit', 'tap', [], ['COF-001', 'COF-002', 'COF-002']); // 51.00 ≥ 50.00
    expect(final).toMatchObject({ step: 'failed', failure: 'insert_card' });
    expect(rig.lastLeg().id).toBe(legs);
  });

  it('asks to tap again when the card leaves the field before the read is complete', async () => {
    const { final } = await chipSale('unionpay-chip-debit', { tap: 'leaves_field_early' }, []);
    expect(final).toMatchObject({ step: 'failed', failure: 'present_card_again' });
  });
});

describe('fallback', () => {
  it('asks for the chip when a chip card is swiped, and takes its stripe as fallback (DE22 801) after two chip failures', async () => {
    const swiped = await rig.cardSale('unionpay-chip-mute', ['123456'], ['TEA-001']);
    expect(swiped.final).toMatchObject({ step: 'failed', failure: 'insert_card' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const { final } = await chipSale('unionpay-chip-mute', 'insert', [], ['TEA-001']);
      expect(final).toMatchObject({ step: 'failed', failure: 'chip_error' });
    }
    const fallback = await rig.cardSale('unionpay-chip-mute', ['123456'], ['TEA-001']);
    expect(fallback.final).toMatchObject({ step: 'approved' });
    expect(rig.lastLeg()).toMatchObject({ entryMode: '801', status: 'approved' });
  });
});

describe('giving back a chip tender', () => {
  it('voids an inserted sale (reversal confirmed) and refunds a tapped one by its stripe', async () => {
    const inserted = await chipSale('mastercard-chip-credit', 'insert', ['2468']);
    expect(inserted.final.step).toBe('approved');
    const purchase = rig.lastLeg();
    await rig.voidLeg(purchase);
    await rig.waitForLeg(purchase.id, 'voided');

    const tapped = await chipSale('visa-chip-credit', 'tap', [], ['TEA-001']);
    expect(tapped.final.step).toBe('approved');
    const tap = rig.lastLeg();
    const refund = await rig.refundLeg(tap, 450, 'visa-chip-credit');
    expect(refund).toMatchObject({ step: 'approved', kind: 'refund' });
  });
});
