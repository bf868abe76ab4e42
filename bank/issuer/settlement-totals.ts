/**
 * Settlement totals as a 0500 carries them: DE74 credits count (refunds), DE76 debits count
 * (purchases), DE86 credits amount, DE88 debits amount, and DE97 the net amount, "D" + n16 when
 * debits are at least the credits, else "C" + n16.
 */
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import type { BatchTotals } from '../ledger/batches.ts';

/** DE97 for these totals. */
export function formatNetAmount(totals: BatchTotals): string {
  const net = totals.debitsMinor - totals.creditsMinor;
  return `${net >= 0 ? 'D' : 'C'}${String(Math.abs(net)).padStart(16, '0')}`;
}

export interface TerminalTotals extends BatchTotals {
  /** DE97 as the terminal sent it. */
  readonly netAmount: string;
}

/** The totals of a 0500, or undefined when a field is missing or DE97 is not x+n16. */
export function readTerminalTotals(message: IsoMessage): TerminalTotals | undefined {
  const [credits, debits, creditsAmount, debitsAmount, net] = [74, 76, 86, 88, 97].map((field) => getText(message, field));
  if (credits === undefined || debits === undefined || creditsAmount === undefined || debitsAmount === undefined || net === undefined) return undefined;
  if (!/^[CD]\d{16}$/.test(net)) return undefined;
  return {
    creditsCount: Number(credits),
    creditsMinor: Number(creditsAmount),
    debitsCount: Number(debits),
    debitsMinor: Number(debitsAmount),
    netAmount: net,
  };
}

/** In balance: every count and amount agrees, and the terminal's DE97 is the net of the host's totals. */
export function totalsAgree(host: BatchTotals, terminal: TerminalTotals): boolean {
  return (
    host.creditsCount === terminal.creditsCount &&
    host.creditsMinor === terminal.creditsMinor &&
    host.debitsCount === terminal.debitsCount &&
    host.debitsMinor === terminal.debitsMinor &&
    formatNetAmount(host) === terminal.netAmount
  );
}
