/**
 * Test support: builds 0200 purchases for deck cards the way the station does, with a real TDES
 * DUKPT PIN block under the ANSI X9.24 test BDK (the key in config/host.json), and the card either
 * in clear (DE2 + DE35, a plain reader) or encrypted as an encrypting reader sends it (DE120, under
 * the data BDKs of config/host.json).
 */
import type { CardDataKeyType } from '../common/card/encrypted-card-read.ts';
import { encodeTracks } from '../common/card/tracks.ts';
import type { TestDeckCard } from '../common/test-deck.ts';
import { deriveInitialKeyAes, encryptDataAesDukpt } from '../payments/crypto/dukpt-aes.ts';
import { deriveIpek, encryptDataTdesDukpt, encryptPinTdesDukpt } from '../payments/crypto/dukpt-tdes.ts';
import { setKsnCounter } from '../payments/crypto/ksn.ts';
import { encryptedCardDataField } from '../payments/iso8583/encrypted-card-data.ts';
import { createMessage, type FieldValue, type IsoMessage } from '../payments/iso8583/message.ts';
import { formatTrackPlaintext } from '../payments/sred/track-plaintext.ts';

export const TEST_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const INITIAL_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
const IPEK = deriveIpek(TEST_BDK, INITIAL_KSN);

/** The encrypting readers' test BDKs, security.dataBdk and .aesDataBdk of config/host.json. */
export const TEST_DATA_BDKS = { tdes: Buffer.from('FEDCBA98765432100123456789ABCDEF', 'hex'), aes: Buffer.from('F1F1F1F1F1F1F1F1FEDCBA9876543210', 'hex') } as const;
const DATA_INITIAL_KSN = { tdes: Buffer.from('FFFF9876543211E00000', 'hex'), aes: Buffer.from('123456789012345700000000', 'hex') } as const;

let lastKsnCounter = 0;

export interface PurchaseOptions {
  readonly amountMinor?: number;
  /** Defaults to the card's own PIN. */
  readonly pin?: string;
  readonly stan?: string;
  readonly terminalId?: string;
  /** How the card travels: in clear (DE2 + DE35, the default) or encrypted by the reader (DE120). */
  readonly cardData?: 'clear' | CardDataKeyType;
}

/** A purchase request for `card`; each call uses the PIN pad's next KSN, as a real one would. */
export function purchaseFor(card: TestDeckCard, options: PurchaseOptions = {}): IsoMessage {
  const ksn = setKsnCounter(INITIAL_KSN, ++lastKsnCounter);
  return createMessage('0200', {
    ...cardFields(card, options.cardData ?? 'clear', lastKsnCounter),
    3: '000000',
    4: String(options.amountMinor ?? 10_000).padStart(12, '0'),
    7: '1121101530',
    11: options.stan ?? String(lastKsnCounter).padStart(6, '0'),
    12: '181530',
    13: '1121',
    14: card.expiry,
    22: '021',
    25: '00',
    41: options.terminalId ?? 'POS00001',
    42: '898310048160001',
    49: '156',
    52: encryptPinTdesDukpt({ ipek: IPEK, ksn, pin: options.pin ?? card.pin, pan: card.pan }),
    53: ksn,
  });
}

/** The card as a plain reader's swipe (DE2, DE35) or an encrypting reader's (DE120, the KSN counter `counter`). */
function cardFields(card: TestDeckCard, cardData: 'clear' | CardDataKeyType, counter: number): Record<number, FieldValue> {
  const tracks = encodeTracks(card);
  if (cardData === 'clear') {
    // Track 2 equivalent data: the stripe's track without sentinels and LRC.
    return { 2: card.pan, 35: tracks.track2.slice(1, tracks.track2.indexOf('?')) };
  }
  if (cardData === 'tdes-dukpt') {
    const ksn = setKsnCounter(DATA_INITIAL_KSN.tdes, counter);
    const ciphertext = encryptDataTdesDukpt({ ipek: deriveIpek(TEST_DATA_BDKS.tdes, ksn), ksn, data: formatTrackPlaintext(tracks, 8) });
    return encryptedCardDataField({ keyType: cardData, ksn, ciphertext });
  }
  const ksn = Buffer.concat([DATA_INITIAL_KSN.aes.subarray(0, 8), Buffer.from([0, 0, counter >> 8, counter & 0xff])]);
  const initialKey = deriveInitialKeyAes(TEST_DATA_BDKS.aes, ksn.subarray(0, 8));
  return encryptedCardDataField({ keyType: cardData, ksn, ciphertext: encryptDataAesDukpt({ initialKey, ksn, data: formatTrackPlaintext(tracks, 16) }) });
}
