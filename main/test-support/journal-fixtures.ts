/** Test support: what a card leg needs in a journal (a sale with a card tender), and a leg as the card flow writes it. */
import { createUuidV7Generator } from '../../common/uuid-v7.ts';
import { DEMO_CATALOG } from '../catalog/demo-catalog.ts';
import type { PendingLeg } from '../journal/card-legs.ts';
import type { Journal } from '../journal/journal.ts';
import { addItem, openSale, startTender } from '../sales/sale.ts';

const newId = createUuidV7Generator();

/** A sale of one coffee (15.00) with a card tender in progress; answers the tender's id. */
export function cardTenderIn(journal: Journal): number {
  const now = new Date();
  return journal.atomically(() => {
    const id = journal.counters.next('tender');
    const receipt = String(journal.counters.next('receipt')).padStart(6, '0');
    const open = addItem(openSale({ id: newId(), stationId: 'POS00001', receiptNumber: receipt, currency: 'CNY', now }), DEMO_CATALOG[1]!, 1, now);
    journal.sales.save(undefined, startTender(open, { id, type: 'card', amountMinor: 1500 }, now));
    return id;
  });
}

/** A purchase leg of 18.00 on the UnionPay test card, as the magstripe flow journals it. */
export function purchaseLeg(tenderId: number | undefined, stan: string, extra: Partial<PendingLeg> = {}): PendingLeg {
  return {
    tenderId,
    kind: 'purchase',
    mti: '0200',
    amount: { amountMinor: 1800, currency: 'CNY' },
    maskedPan: '621234******1232',
    scheme: 'unionpay',
    entryMode: '021',
    terminalId: 'POS00001',
    merchantId: '898310048160001',
    processingCode: '000000',
    stan,
    transmittedAt: '1121102030',
    localTime: '182030',
    localDate: '1121',
    ...extra,
  };
}
