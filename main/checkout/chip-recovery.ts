/**
 * At start-up, before the tenders a crash left in progress are ended (sale-recovery.ts): a chip
 * tender is approved only once the card accepted the host's approval (emv-flow-steps.ts), so a
 * crash between the host's 00 and the card's TC leaves an approved purchase leg under a tender still
 * in progress. The card never completed: the authorization is reversed (0400, 68: the terminal did
 * not finish), and the tender then fails like any interrupted one. A magstripe leg is never in that
 * state (its approval and its tender's commit together).
 */
import type { Journal } from '../journal/journal.ts';
import type { ReversalPort } from './ports.ts';

export function reverseUncompletedChipLegs(journal: Journal, reversals: ReversalPort, log: (line: string) => void): void {
  for (const sale of journal.sales.current()) {
    for (const tender of sale.tenders.filter((candidate) => candidate.state === 'in_progress')) {
      for (const leg of tender.legs.filter((candidate) => candidate.kind === 'purchase' && candidate.status === 'approved')) {
        log(`sale ${sale.receiptNumber}: tender ${tender.id}'s leg ${leg.id} was approved by the host but the card never completed: reversing it`);
        reversals.queue(leg.id, '68');
      }
    }
  }
}
