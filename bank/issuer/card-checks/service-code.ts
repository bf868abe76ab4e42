/**
 * Service code rules for a card-present transaction at a POS terminal (ISO/IEC 7813 service code,
 * three digits on the stripe; the CVV covers it, so a rewritten service code already fails as 05).
 * A card the rules refuse answers DE39 57 "not permitted to cardholder".
 *
 *   digit 1 (interchange, technology): 1 international, 2 international with chip, 5 national,
 *           6 national with chip are accepted. 7 (private label: not valid on this network),
 *           9 (test card) and the reserved 0, 3, 4 and 8 are refused.
 *   digit 2 (authorization processing): 0 normal, 2 and 4 by issuer (every purchase here is online)
 *           are accepted; the reserved values are refused.
 *   digit 3 (allowed services, PIN): 3 "ATM only" and 4 "cash only" are refused, since a POS sells
 *           goods and services; 8 and 9 are reserved and refused. 0, 1, 2, 5, 6 and 7 are accepted;
 *           those that require a PIN (0, 5) get one, since the station always takes an online PIN.
 *
 * A chip card (2xx/6xx) read by its stripe is a purchase rule, not a card check (chip first:
 * chipCardSwiped below, applied to purchases only; a refund may still be swiped).
 */
const ACCEPTED_FIRST = '1256';
const ACCEPTED_SECOND = '024';
const ACCEPTED_THIRD = '012567';

export function serviceCodeAllowsPosPurchase(serviceCode: string): boolean {
  return (
    serviceCode.length === 3 &&
    ACCEPTED_FIRST.includes(serviceCode[0]!) &&
    ACCEPTED_SECOND.includes(serviceCode[1]!) &&
    ACCEPTED_THIRD.includes(serviceCode[2]!)
  );
}

/**
 * Chip first: a card whose service code says it has a chip (first digit 2 or 6) must be read by its
 * chip. A purchase reading its stripe as a plain swipe (DE22 02x or 90x), not as the technical
 * fallback the terminal allows after chip failures (80x), is what a skimmed copy of the stripe
 * looks like.
 */
export function chipCardSwiped(serviceCode: string, entryMode: 'swipe' | 'chip' | 'contactless' | 'fallback'): boolean {
  return entryMode === 'swipe' && (serviceCode.startsWith('2') || serviceCode.startsWith('6'));
}
