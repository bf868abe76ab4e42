/** The contact kernel against the test deck's virtual cards, held directly, and an issuer stand-in. */
import { describe, expect, it } from 'vitest';
import { buildTlv, encodeTlv, flattenTlv, parseTlv } from '../tlv.ts';
import { memoryCardStateStore } from '../card/virtual-emv-card.ts';
import { runContactTransaction } from './contact-kernel.ts';
import { caKeys, cny, config, heldCard, ports, scriptCommand, type IssuerBehaviour } from './kernel-test-rig.fixture.ts';
import type { AuthorizationPort } from './ports.ts';

const run = (transport: Parameters<typeof ports>[0], amountMinor: number, options: Parameters<typeof ports>[1] = {}) => {
  const rig = ports(transport, options);
  return { rig, outcome: runContactTransaction({ amount: cny(amountMinor), config, caKeys, ports: rig.ports, signal: new AbortController().signal, now: new Date(2026, 10, 21, 10, 0) }) };
};

describe('contact kernel', () => {
  it.each(['unionpay-chip-debit', 'visa-chip-credit', 'visa-chip-cvn10', 'mastercard-chip-credit'])('%s: approved online with DDA, online PIN and TC', async (id) => {
    const { transport } = heldCard(id, 'contact');
    const { rig, outcome } = run(transport, 12_345);
    const result = await outcome;
    expect(result.kind).toBe('approved');
    if (result.kind !== 'approved') return;
    expect(result.record.acType).toBe('TC');
    expect(result.record.cvm).toBe('online_pin');
    const tvr = Buffer.from(result.record.tvr, 'hex');
    // DDA performed where the card offers it (not CVN 10's card), and never failed.
    expect(tvr[0]! & 0x80).toBe(id === 'visa-chip-cvn10' ? 0x80 : 0);
    expect(tvr[0]! & 0x08).toBe(0);
    expect(result.record.iccData['57']).toBeUndefined();
    expect(result.record.iccData['5A']).toBeUndefined();
    const request = rig.recorded.requests[0]!;
    expect(request.entryMode).toBe('contact');
    expect(request.pin).toBeDefined();
    const tags = flattenTlv(parseTlv(request.iccData));
    for (const tag of ['9F26', '9F27', '9F10', '9F37', '9F36', '95', '9A', '9C', '9F02', '5F2A', '82', '9F1A', '9F33', '9F34', '9F35', '84']) expect(tags.has(tag), tag).toBe(true);
    expect(tags.has('57')).toBe(false);
    expect(request.track2Equivalent).toMatch(/^\d+D\d+$/);
    expect(rig.recorded.messages).toContain('approved');
  });

  it('a Visa card: the offline PIN rule falls through to online PIN (terminal has no offline PIN)', async () => {
    const { transport } = heldCard('visa-chip-credit', 'contact');
    const result = await run(transport, 100).outcome;
    expect(result.kind).toBe('approved');
    if (result.kind === 'approved') expect(result.record.iccData['9F34']).toBe('420300');
  });

  it('asks the cardholder to choose between two applications, and uses the one chosen', async () => {
    const { transport } = heldCard('unionpay-chip-two-apps', 'contact');
    const { rig, outcome } = run(transport, 100, { choose: 1 });
    const result = await outcome;
    expect(rig.recorded.choices).toEqual([['UnionPay Debit', 'UnionPay Credit']]);
    expect(result.kind === 'approved' && result.record.aid).toBe('A000000333010102');
  });

  it('a blocked application is not accepted, without fallback', async () => {
    const { transport } = heldCard('unionpay-chip-blocked', 'contact');
    expect(await run(transport, 100).outcome).toEqual({ kind: 'not_accepted', reason: 'application_blocked' });
  });

  it('an expired ICC certificate fails DDA (TVR byte 1 0x08) and the transaction still goes online', async () => {
    const { transport } = heldCard('unionpay-chip-expired-cert', 'contact');
    const result = await run(transport, 100).outcome;
    expect(result.kind).toBe('approved');
    if (result.kind === 'approved') expect(Buffer.from(result.record.tvr, 'hex')[0]! & 0x08).toBe(0x08);
  });

  it('the issuer declines the cryptogram (82); the card ends with an AAC', async () => {
    const { transport } = heldCard('unionpay-chip-debit', 'contact');
    const result = await run(transport, 100, { issuer: { responseCode: '82' } }).outcome;
    expect(result).toMatchObject({ kind: 'declined', by: 'issuer', response: { responseCode: '82' }, record: { acType: 'AAC' } });
  });

  it('wrong online PIN: declined 55 by the issuer, AAC from the card', async () => {
    const { transport } = heldCard('unionpay-chip-debit', 'contact');
    const result = await run(transport, 100, { issuer: { responseCode: '55' } }).outcome;
    expect(result).toMatchObject({ kind: 'declined', by: 'issuer', response: { responseCode: '55' }, record: { acType: 'AAC' } });
  });

  it.each([
    ['a card personalised to refuse at completion', 'visa-chip-declines-at-completion', {}],
    ['an ARPC the card cannot verify (CDOL2 91)', 'visa-chip-credit', { tamperArpc: true }],
    ['an ARPC the card cannot verify (EXTERNAL AUTHENTICATE)', 'unionpay-chip-debit', { tamperArpc: true }],
  ] as const)('%s: approved by the issuer, declined by the card → the station must reverse', async (_name, id, issuer: IssuerBehaviour) => {
    const { transport } = heldCard(id, 'contact');
    const result = await run(transport, 100, { issuer }).outcome;
    expect(result).toMatchObject({ kind: 'card_declined_after_approval', record: { acType: 'AAC' }, response: { responseCode: '00' } });
  });

  it('no answer from the host: the card declines offline (Z3)', async () => {
    const { transport } = heldCard('unionpay-chip-debit', 'contact');
    expect(await run(transport, 100, { issuer: { unreachable: true } }).outcome).toMatchObject({ kind: 'unable_to_go_online', record: { acType: 'AAC' } });
  });

  it('runs issuer scripts: PUT DATA before the second GENERATE AC, APPLICATION BLOCK after; the card is blocked next time', async () => {
    const store = memoryCardStateStore();
    const { transport } = heldCard('unionpay-chip-script-block', 'contact', { store });
    const rig = ports(transport);
    const authorize = rig.ports.authorization.authorize;
    const withScripts: AuthorizationPort = {
      async authorize(request, signal) {
        const answer = await authorize(request, signal);
        if (answer.kind !== 'response') return answer;
        const put = scriptCommand('unionpay-chip-script-block', Buffer.from('04DA9F58', 'hex'), Buffer.from('01', 'hex'), request);
        const block = scriptCommand('unionpay-chip-script-block', Buffer.from('841E0000', 'hex'), Buffer.alloc(0), request);
        return {
          ...answer,
          scripts71: [encodeTlv('71', buildTlv([['9F18', Buffer.from('00000001', 'hex')], ['86', put]]))],
          scripts72: [encodeTlv('72', buildTlv([['9F18', Buffer.from('00000002', 'hex')], ['86', block]]))],
        };
      },
    };
    const result = await runContactTransaction({ amount: cny(100), config, caKeys, ports: { ...rig.ports, authorization: withScripts }, signal: new AbortController().signal });
    expect(result.kind).toBe('approved');
    if (result.kind !== 'approved') return;
    expect(result.record.scriptResults.map((script) => [script.template, script.result, script.scriptId.toString('hex')])).toEqual([
      ['71', 'successful', '00000001'],
      ['72', 'successful', '00000002'],
    ]);
    expect(Buffer.from(result.record.tsi, 'hex')[0]! & 0x04).toBe(0x04);
    const again = heldCard('unionpay-chip-script-block', 'contact', { store });
    expect(await run(again.transport, 100).outcome).toEqual({ kind: 'not_accepted', reason: 'application_blocked' });
  });

  it('a script with a bad MAC fails and is reported as failed', async () => {
    const { transport } = heldCard('unionpay-chip-debit', 'contact');
    const bad = Buffer.from('841E00000400000000', 'hex');
    const result = await run(transport, 100, { issuer: { scripts72: [encodeTlv('72', buildTlv([['86', bad]]))] } }).outcome;
    expect(result.kind).toBe('approved');
    if (result.kind === 'approved') {
      expect(result.record.scriptResults).toMatchObject([{ template: '72', result: 'failed', failedCommand: 1 }]);
      expect(Buffer.from(result.record.tvr, 'hex')[4]! & 0x10).toBe(0x10);
    }
  });

  it('a card pulled out mid-transaction, before and after going online', async () => {
    expect(await run(heldCard('unionpay-chip-debit', 'contact', { removeAfter: 4 }).transport, 100).outcome).toEqual({ kind: 'card_removed', online: false });
    const { transport, commands } = heldCard('unionpay-chip-debit', 'contact');
    const count = commands.length;
    const probe = await run(transport, 100).outcome;
    expect(probe.kind).toBe('approved');
    const total = commands.length - count;
    // Pulled right after the first GENERATE AC (the authorization is sent), before EXTERNAL AUTHENTICATE.
    expect(await run(heldCard('unionpay-chip-debit', 'contact', { removeAfter: total - 2 }).transport, 100).outcome).toEqual({ kind: 'card_removed', online: true });
  });

  it('a card pulled out during the 72 scripts, after its TC, is an approved sale with the script failed (no reversal)', async () => {
    const probe = heldCard('unionpay-chip-debit', 'contact');
    expect((await run(probe.transport, 100).outcome).kind).toBe('approved');
    // Every command up to the second GENERATE AC answers; the card leaves at the 72 script's first command.
    const { transport } = heldCard('unionpay-chip-debit', 'contact', { removeAfter: probe.commands.length });
    const rig = ports(transport);
    const authorize = rig.ports.authorization.authorize;
    const withScript: AuthorizationPort = {
      async authorize(request, signal) {
        const answer = await authorize(request, signal);
        if (answer.kind !== 'response') return answer;
        const block = scriptCommand('unionpay-chip-debit', Buffer.from('841E0000', 'hex'), Buffer.alloc(0), request);
        const template = (id: string) => encodeTlv('72', buildTlv([['9F18', Buffer.from(id, 'hex')], ['86', block]]));
        return { ...answer, scripts72: [template('00000007'), template('00000008')] };
      },
    };
    const result = await runContactTransaction({ amount: cny(100), config, caKeys, ports: { ...rig.ports, authorization: withScript }, signal: new AbortController().signal });
    expect(result).toMatchObject({ kind: 'approved', record: { acType: 'TC' } });
    if (result.kind !== 'approved') return;
    expect(result.record.scriptResults.map((script) => [script.result, script.failedCommand, script.scriptId.toString('hex')])).toEqual([
      ['failed', 1, '00000007'],
      ['not_performed', 0, '00000008'],
    ]);
    expect(Buffer.from(result.record.tvr, 'hex')[4]! & 0x10).toBe(0x10);
  });

  it('TSI: card risk management after the first GENERATE AC; issuer authentication only when the terminal sent EXTERNAL AUTHENTICATE', async () => {
    const tsiOf = async (id: string) => {
      const result = await run(heldCard(id, 'contact').transport, 100).outcome;
      if (result.kind !== 'approved') throw new Error(`${id}: ${result.kind}`);
      return Buffer.from(result.record.tsi, 'hex')[0]!;
    };
    const external = await tsiOf('unionpay-chip-debit');
    expect(external & 0x20).toBe(0x20);
    expect(external & 0x10).toBe(0x10);
    const inCdol2 = await tsiOf('visa-chip-credit');
    expect(inCdol2 & 0x20).toBe(0x20);
    expect(inCdol2 & 0x10).toBe(0);
  });

  it('CVM results name the last rule that failed: online PIN not entered at a terminal with neither signature nor no CVM (420301)', async () => {
    const { transport } = heldCard('unionpay-chip-debit', 'contact');
    const rig = ports(transport, { pin: 'timeout' });
    const pinOnly = { ...config, capabilities: 'E04040' };
    const result = await runContactTransaction({ amount: cny(100), config: pinOnly, caKeys, ports: rig.ports, signal: new AbortController().signal });
    expect(result.kind === 'approved' || result.kind === 'declined').toBe(true);
    if (result.kind !== 'approved' && result.kind !== 'declined') return;
    expect(result.record.iccData['9F34']).toBe('420301');
    const tvr = Buffer.from(result.record.tvr, 'hex');
    expect(tvr[2]! & 0x88).toBe(0x88); // cardholder verification failed, PIN not entered
  });

  it('a mute card is a chip error (counts towards fallback)', async () => {
    const { transport } = heldCard('unionpay-chip-mute', 'contact');
    expect(await run(transport, 100).outcome).toMatchObject({ kind: 'chip_error' });
  });

  it('a card at its last ATC (FFFF) blocks its application instead of wrapping to 0', async () => {
    const store = memoryCardStateStore();
    store.save('unionpay-chip-debit', { atc: 0xffff, lastOnlineAtc: 0xfff0, blocked: false });
    expect(await run(heldCard('unionpay-chip-debit', 'contact', { store }).transport, 100).outcome).toEqual({ kind: 'not_accepted', reason: 'conditions_not_satisfied' });
    expect(store.load('unionpay-chip-debit')).toMatchObject({ atc: 0xffff, blocked: true });
    expect(await run(heldCard('unionpay-chip-debit', 'contact', { store }).transport, 100).outcome).toEqual({ kind: 'not_accepted', reason: 'application_blocked' });
  });

  it('keeps the ATC counting across transactions', async () => {
    const store = memoryCardStateStore();
    for (let i = 0; i < 3; i++) await run(heldCard('unionpay-chip-debit', 'contact', { store }).transport, 100).outcome;
    expect(store.load('unionpay-chip-debit')).toMatchObject({ atc: 3, lastOnlineAtc: 3, blocked: false });
  });
});
