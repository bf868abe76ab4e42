/** The kinds of tender and how each reaches the station: shared by the sale model and the payment progress. */

export const TENDER_TYPES = ['card', 'cash', 'qr'] as const;
export type TenderType = (typeof TENDER_TYPES)[number];

/** How the means of payment reached the station. A card tender's entry mode is known once the card is presented. */
export const ENTRY_MODES = ['magstripe', 'chip', 'contactless', 'qr', 'cash'] as const;
export type EntryMode = (typeof ENTRY_MODES)[number];
