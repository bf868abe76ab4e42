/**
 * Test support: builds 0200 purchases for deck cards the way the station does, with a real TDES
 * DUKPT PIN block under the ANSI X9.24 test BDK (the key in config/host.json).
 */
import { encodeTracks } from '../common/card/tracks.ts';
import type { TestDeckCard } from '../common/test-deck.ts';
import { deriveIpek, encryptPinTdesDukpt } from '../payments/crypto/dukpt-tdes.ts';
import { setKsnCounter } from '../payments/crypto/ksn.ts';
import { createMessage, type IsoMessage } from '../payments/iso8583/message.ts';

export const TEST_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const INITIAL_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
const IPEK = deriveIpek(TEST_BDK, INITIAL_KSN);

let lastKsnCounter = 0;

export interface PurchaseOptions {
  readonly amountMinor?: number;
  /** Defaults to the card's own PIN. */
  readonly pin?: string;
  readonly stan?: string;
  readonly terminalId?: string;
}

/** A purchase request for `card`; each call uses the PIN pad's next KSN, as a real one would. */
export function purchaseFor(card: TestDeckCard, options: PurchaseOptions = {}): IsoMessage {
  const ksn = setKsnCounter(INITIAL_KSN, ++lastKsnCounter);
  const track2 = encodeTracks(card).track2;
  return createMessage('0200', {
    2: card.pan,
    3: '000000',
    4: String(options.amountMinor ?? 10_000).padStart(12, '0'),
    7: '1121101530',
    11: options.stan ?? String(lastKsnCounter).padStart(6, '0'),
    12: '181530',
    13: '1121',
    14: card.expiry,
    22: '021',
    25: '00',
    // Track 2 equivalent data: the stripe's track without sentinels and LRC.
    35: track2.slice(1, track2.indexOf('?')),
    41: options.terminalId ?? 'POS00001',
    42: '898310048160001',
    49: '156',
    52: encryptPinTdesDukpt({ ipek: IPEK, ksn, pin: options.pin ?? card.pin, pan: card.pan }),
    53: ksn,
  });
}
