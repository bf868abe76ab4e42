/** The store-and-forward queue's rules, with the link faked and time in fake timers. */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkState } from '../../common/acquirer.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import type { PendingLeg } from '../journal/card-legs.ts';
import { Journal } from '../journal/journal.ts';
import { cardTenderIn, purchaseLeg } from '../test-support/journal-fixtures.ts';
import { AcquirerNoAnswerError } from './acquirer-link.ts';
import { Reversals } from './reversals.ts';
import { StoreAndForward } from './store-and-forward.ts';

/** A purchase leg of a fresh card tender. */
const sale = (journal: Journal, extra: Partial<PendingLeg> = {}): PendingLeg => ({ ...purchaseLeg(cardTenderIn(journal), '000042'), ...extra });

class FakeLinkState extends EventEmitter<{ state: [LinkState] }> {
  state: LinkState = 'down';
  set(state: LinkState): void {
    this.state = state;
    this.emit('state', state);
  }
}

/** The host's answer to a reversal, echoing its key fields. */
const answer = (request: IsoMessage, responseCode: string, mti = '0410') => createMessage(mti, { 11: getText(request, 11)!, 39: responseCode, 41: getText(request, 41)! });

function setUp(path = ':memory:') {
  const journal = new Journal(path);
  const sent: IsoMessage[] = [];
  let reply: (request: IsoMessage) => Promise<IsoMessage> = async (request) => answer(request, '00');
  const link = {
    request: vi.fn(async (request: IsoMessage) => {
      sent.push(request);
      return reply(request);
    }),
  };
  const linkState = new FakeLinkState();
  let saf: StoreAndForward | undefined;
  const reversals = new Reversals({ journal, merchantId: '898310048160001', now: () => new Date(), log: () => undefined, onQueued: () => saf?.kick() });
  saf = new StoreAndForward({
    journal,
    link,
    linkState,
    now: () => new Date(),
    log: () => undefined,
    onAnswer: (item, code) => reversals.answered(item, code),
    retryBaseMs: 1000,
  });
  return { journal, sent, link, linkState, reversals, saf, answerWith: (next: typeof reply) => (reply = next) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-21T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('store and forward', () => {
  it('sends nothing while the link is down, then the queue oldest first once it is up', async () => {
    const { journal, sent, linkState, reversals, saf } = setUp();
    const first = journal.legs.record(sale(journal));
    const second = journal.legs.record(sale(journal, { stan: '000043' }));
    reversals.queue(first, '68');
    reversals.queue(second, '68');
    await saf.flush();
    expect(sent).toEqual([]);
    expect(saf.pending).toBe(2);

    linkState.set('up');
    await vi.waitUntil(() => saf.pending === 0);
    expect(sent.map((message) => getText(message, 11))).toEqual(['000042', '000043']);
    expect(journal.legs.row(first)?.status).toBe('reversed');
    expect(journal.legs.row(second)?.status).toBe('reversed');
  });

  it('sends a 0400 as the spec lays it out: the original STAN, reason, DE90, DE7 of this transmission, and no card data', async () => {
    const { journal, sent, linkState, reversals, saf } = setUp();
    linkState.set('up');
    reversals.queue(journal.legs.record(sale(journal)), '68');
    await saf.flush();
    const [reversal] = sent;
    expect(reversal?.mti).toBe('0400');
    expect(Object.fromEntries(reversal!.fields)).toEqual({
      3: '000000',
      4: '000000001800',
      7: '1121100000',
      11: '000042',
      12: '182030',
      13: '1121',
      22: '021',
      25: '00',
      39: '68',
      41: 'POS00001',
      42: '898310048160001',
      49: '156',
      // Original MTI, STAN and DE7, then the acquiring and forwarding institution ids (zeros).
      90: `0200${'000042'}${'1121102030'}${'0'.repeat(22)}`,
    });
  });

  it('marks every try after the first a repeat (0401) and waits a growing delay between unanswered tries', async () => {
    const { journal, sent, linkState, reversals, saf, answerWith } = setUp();
    answerWith(async () => {
      throw new AcquirerNoAnswerError('timeout', 'no answer');
    });
    linkState.set('up');
    const id = journal.legs.record(sale(journal));
    reversals.queue(id, '68');
    await saf.flush();
    expect(sent.map((message) => message.mti)).toEqual(['0400']);

    // 1 s, then 2 s, then 4 s.
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((message) => message.mti)).toEqual(['0400', '0401']);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((message) => message.mti)).toEqual(['0400', '0401', '0401']);
    expect(new Set(sent.map((message) => getText(message, 7))).size).toBe(3);

    // Asked to deliver now (a cashier's void or settlement), it does not wait for the timer.
    answerWith(async (request) => answer(request, '00'));
    await saf.flush({ now: true });
    expect(sent).toHaveLength(4);
    expect(journal.legs.row(id)?.status).toBe('reversed');
  });

  it('stops on any 0410: 00 reverses or voids the original, another code leaves a void refused and a timeout reversal failed', async () => {
    const { journal, linkState, reversals, saf, answerWith } = setUp();
    linkState.set('up');
    const voided = journal.legs.record(sale(journal));
    journal.legs.complete(voided, { status: 'approved', responseCode: '00', approvalCode: '123456', rrn: '632510000001' });
    reversals.queue(voided, '17');
    await saf.flush();
    expect(journal.legs.row(voided)?.status).toBe('voided');

    answerWith(async (request) => answer(request, '12'));
    const refusedVoid = journal.legs.record(sale(journal, { stan: '000043' }));
    journal.legs.complete(refusedVoid, { status: 'approved', responseCode: '00', approvalCode: '123457', rrn: '632510000002' });
    reversals.queue(refusedVoid, '17');
    const refusedTimeout = journal.legs.record(sale(journal, { stan: '000044' }));
    reversals.queue(refusedTimeout, '68');
    await saf.flush();
    expect(saf.pending).toBe(0);
    expect(journal.legs.row(refusedVoid)).toMatchObject({ status: 'approved' });
    expect(journal.legs.row(refusedVoid)?.responseCode).toBe('00');
    expect(journal.legs.row(refusedTimeout)?.status).toBe('failed');
    expect(journal.legs.row(refusedTimeout + 1)).toMatchObject({ kind: 'reversal', status: 'declined', responseCode: '12' });
  });

  it('at start-up, reverses a purchase or refund a crash left pending, and only fails a pending balance inquiry', () => {
    const { journal, reversals, saf } = setUp();
    const purchase = journal.legs.record(sale(journal));
    const inquiry = journal.legs.record(sale(journal, { tenderId: undefined, stan: '000043', kind: 'balance_inquiry', processingCode: '310000', amount: { amountMinor: 0, currency: 'CNY' } }));
    reversals.recoverInterrupted();
    expect(journal.legs.row(purchase)?.status).toBe('reversal_pending');
    expect(journal.legs.row(inquiry)?.status).toBe('failed');
    expect(saf.pending).toBe(1);
    // Running it again finds nothing left pending: a reversal row is not an interrupted transaction.
    reversals.recoverInterrupted();
    expect(saf.pending).toBe(1);
  });

  it('is not fooled by an answer of another type: the item stays queued', async () => {
    const { journal, linkState, reversals, saf, answerWith } = setUp();
    answerWith(async (request) => answer(request, '00', '0810'));
    linkState.set('up');
    reversals.queue(journal.legs.record(sale(journal)), '68');
    await saf.flush();
    expect(saf.pending).toBe(1);
  });

  it('survives a restart: a new queue over the same journal sends what was left, as a repeat when it was tried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'saf-'));
    const before = setUp(join(dir, 'journal.sqlite'));
    before.answerWith(async () => {
      throw new AcquirerNoAnswerError('link_lost', 'gone');
    });
    before.linkState.set('up');
    const id = before.journal.legs.record(sale(before.journal));
    before.reversals.queue(id, '68');
    await before.saf.flush();
    await before.saf.stop();
    before.journal.close();

    const after = setUp(join(dir, 'journal.sqlite'));
    expect(after.saf.pending).toBe(1);
    after.linkState.set('up');
    await vi.waitUntil(() => after.saf.pending === 0);
    expect(after.sent.map((message) => [message.mti, getText(message, 11)])).toEqual([['0401', '000042']]);
    expect(after.journal.legs.row(id)?.status).toBe('reversed');
  });
});
