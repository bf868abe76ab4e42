/** The acquirer's own answers over real TCP: 58 for a terminal not permitted the transaction, 91 for an issuer that is down. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getText } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { BUNDLED_CONFIG_PATH } from '../start-host.ts';
import { deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { balanceInquiryFor, refundFor } from '../transaction-fixtures.ts';
import { createAcquiringRules } from './acquiring-rules.ts';

const RESTRICTED_TERMINAL = 'POS00009';

describe('acquiring rules', () => {
  const rules = createAcquiringRules({ terminalPermissions: { [RESTRICTED_TERMINAL]: ['purchase'] }, issuerOutages: [{ binPrefix: '3530' }], terminalCountry: '156' });

  it('lets an unlisted terminal run everything and a listed one only what it lists', () => {
    expect(rules.terminalMay('POS00001', 'refund')).toBe(true);
    expect(rules.terminalMay(RESTRICTED_TERMINAL, 'purchase')).toBe(true);
    expect(rules.terminalMay(RESTRICTED_TERMINAL, 'refund')).toBe(false);
  });

  it('finds an outage by BIN prefix', () => {
    expect(rules.issuerDown('3530110000000018')).toBe(true);
    expect(rules.issuerDown('6212345678901232')).toBe(false);
  });
});

describe('acquiring rules over TCP', () => {
  let host: TestHost;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acquiring-config-'));
    const config = JSON.parse(readFileSync(BUNDLED_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
    delete config.wallet; // this copy of the config runs no wallet platform (its files stay with the bundled config)
    config.acquiring = { terminalPermissions: { [RESTRICTED_TERMINAL]: ['purchase'] }, issuerOutages: [{ binPrefix: '353011', description: 'JCB test issuer down' }] };
    writeFileSync(join(dir, 'host.json'), JSON.stringify(config));
    // The risk rules file is named relative to the config.
    copyFileSync(join(dirname(BUNDLED_CONFIG_PATH), 'risk-rules.json'), join(dir, 'risk-rules.json'));
    host = await startTestHost({ configPath: join(dir, 'host.json') });
  });
  afterAll(() => host.close());

  it('answers 58 to a terminal not permitted refunds or balance inquiries, and approves its purchases', async () => {
    const card = deckCard('unionpay-debit-approved');
    const purchase = await host.send(purchaseFor(card, { terminalId: RESTRICTED_TERMINAL, amountMinor: 500 }));
    expect(getText(purchase, 39)).toBe('00');
    const refund = await host.send(refundFor(card, { terminalId: RESTRICTED_TERMINAL, amountMinor: 500, originalRrn: getText(purchase, 37) ?? '' }));
    expect(getText(refund, 39)).toBe('58');
    expect(getText(await host.send(balanceInquiryFor(card, { terminalId: RESTRICTED_TERMINAL })), 39)).toBe('58');
  });

  it('answers 91 for a card whose issuer is down, whatever else is wrong with the request', async () => {
    const jcb = deckCard('jcb-credit');
    expect(getText(await host.send(purchaseFor(jcb, { amountMinor: 100 })), 39)).toBe('91');
    expect(getText(await host.send(purchaseFor(jcb, { amountMinor: 100, pin: '0000' })), 39)).toBe('91');
    expect(getText(await host.send(purchaseFor(deckCard('visa-credit'), { amountMinor: 100 })), 39)).toBe('00');
  });
});
