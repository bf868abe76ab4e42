/**
 * Whether the devices a tender needs are there, decided before the tender starts (and again while
 * it runs), so the cashier learns it from the screen, not from a payment that cannot finish:
 *  - a card payment needs a card reader and the PIN pad connected;
 *  - a receipt needs a printer that is connected and able to print (paper in, cover shut). A sale
 *    can still go on without one, by the cashier's choice.
 * A device is usable while it is ready or busy; absent, connecting, recovering, disconnected or in
 * fault it is not. A card is read by the magstripe reader or the chip reader (insert or tap): either
 * one usable lets a card payment start.
 */
import type { DeviceAlert, DeviceKind, DeviceStatus } from './devices.ts';

export const CARD_READERS: readonly DeviceKind[] = ['cardReader', 'chipReader'];

/** Why a card payment cannot start now. */
export type CardBlocker = 'card_reader_missing' | 'pin_pad_missing';

/** Why a receipt would not print now. */
export type ReceiptBlocker = 'printer_missing' | 'paper_out' | 'cover_open' | 'printer_error';

const PRINT_STOPPERS: readonly (DeviceAlert & ReceiptBlocker)[] = ['paper_out', 'cover_open', 'printer_error'];

export function usable(status: DeviceStatus | undefined): boolean {
  return status !== undefined && (status.state === 'ready' || status.state === 'busy');
}

function statusOf(statuses: readonly DeviceStatus[], device: DeviceKind): DeviceStatus | undefined {
  return statuses.find((status) => status.device === device);
}

export function cardBlocker(statuses: readonly DeviceStatus[]): CardBlocker | undefined {
  if (!CARD_READERS.some((reader) => usable(statusOf(statuses, reader)))) return 'card_reader_missing';
  if (!usable(statusOf(statuses, 'pinPad'))) return 'pin_pad_missing';
  return undefined;
}

export function receiptBlocker(statuses: readonly DeviceStatus[]): ReceiptBlocker | undefined {
  const printer = statusOf(statuses, 'printer');
  if (!usable(printer)) return 'printer_missing';
  return PRINT_STOPPERS.find((alert) => printer?.alerts?.includes(alert));
}
