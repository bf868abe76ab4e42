/** A crash between the host's approval of a chip leg and the card's TC: the leg is reversed at start-up, and only that leg. */
import { describe, expect, it } from 'vitest';
import { Journal } from '../journal/journal.ts';
import { cardTenderIn, purchaseLeg } from '../test-support/journal-fixtures.ts';
import { reverseUncompletedChipLegs } from './chip-recovery.ts';

describe('reverseUncompletedChipLegs', () => {
  it('reverses (68) an approved purchase leg under a tender still in progress, and leaves a settled tender\'s leg alone', () => {
    const journal = new Journal(':memory:');
    const running = cardTenderIn(journal);
    const leg = journal.legs.record(purchaseLeg(running, '000001', { entryMode: '051' }));
    journal.legs.complete(leg, { status: 'approved', responseCode: '00', approvalCode: '123456', rrn: '000000000001' });
    const declined = journal.legs.record(purchaseLeg(running, '000002', { entryMode: '051' }));
    journal.legs.complete(declined, { status: 'declined', responseCode: '55' });

    const queued: { leg: number; reason: string }[] = [];
    reverseUncompletedChipLegs(journal, { queue: (legId, reason) => queued.push({ leg: legId, reason }) }, () => undefined);
    expect(queued).toEqual([{ leg, reason: '68' }]);
    journal.close();
  });
});
