/**
 * The requests the benchmark sends, built the way the station builds them: 0800 echo tests, and
 * 0200 purchases with track 2 and a TDES DUKPT PIN block from each terminal's own PIN pad key
 * (its own initial KSN, so its own IPEK under the test BDK), or with the card encrypted by the PIN
 * pad's head (DE120, under its own data key). Purchases are prepared ahead of the measured window,
 * since a PIN pad's encryption is the terminal's work, not the host's.
 */
import { encodeTracks } from '../common/card/tracks.ts';
import type { TestDeckCard } from '../common/test-deck.ts';
import { deriveIpek, encryptPinTdesDukpt } from '../payments/crypto/dukpt-tdes.ts';
import { encryptedCardDataField } from '../payments/iso8583/encrypted-card-data.ts';
import { tdesDukptDataEncryptor } from '../peripherals/pin-pad/card-data-encryption.ts';
import { memoryKsnStore } from '../peripherals/pin-pad/ksn-store.ts';
import { nextKsn } from '../payments/crypto/ksn.ts';
import { createMessage, type IsoMessage } from '../payments/iso8583/message.ts';

const TEST_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
/** security.dataBdk of bank/config/host.json: the encrypting readers' test BDK. */
const TEST_DATA_BDK = Buffer.from('FEDCBA98765432100123456789ABCDEF', 'hex');
const TRANSMITTED = '1121101530';

export function echoRequest(tid: string, stan: number): IsoMessage {
  return createMessage('0800', { 7: TRANSMITTED, 11: String(stan % 1_000_000).padStart(6, '0'), 41: tid, 70: '301' });
}

/** A terminal's PIN pad: the initial KSN carries the terminal number in its device id bytes. */
export function pinPadFor(terminal: number): { ipek: Buffer; ksn: Buffer } {
  const initialKsn = Buffer.from('FFFF9876543210E00000', 'hex');
  initialKsn.writeUInt16BE(0x5000 + terminal, 5);
  return { ipek: deriveIpek(TEST_BDK, initialKsn), ksn: initialKsn };
}

/** `count` purchases from one terminal, its cards in turn, each with the PIN pad's next KSN; STANs from stanOffset + 1. */
export function purchasesFor(tid: string, terminal: number, cards: readonly TestDeckCard[], count: number, stanOffset = 0): IsoMessage[] {
  const pinPad = pinPadFor(terminal);
  let ksn = pinPad.ksn;
  return Array.from({ length: count }, (_, index) => {
    const card = cards[index % cards.length]!;
    ksn = nextKsn(ksn);
    const track2 = encodeTracks(card).track2;
    return createMessage('0200', {
      2: card.pan,
      3: '000000',
      4: String(100 + (index % 50)).padStart(12, '0'),
      7: TRANSMITTED,
      11: String(stanOffset + index + 1).padStart(6, '0'),
      12: '101530',
      13: '1121',
      14: card.expiry,
      22: '021',
      25: '00',
      35: track2.slice(1, track2.indexOf('?')),
      41: tid,
      42: '898310048160001',
      49: '156',
      52: encryptPinTdesDukpt({ ipek: pinPad.ipek, ksn, pin: card.pin, pan: card.pan }),
      53: ksn,
    });
  });
}

/**
 * The same purchases with the card as the terminal's PIN pad head sends it: DE120 under the head's
 * own data key (initial KSN by terminal, like the PIN key's), no DE2, DE14 or DE35.
 */
export function encryptedPurchasesFor(tid: string, terminal: number, cards: readonly TestDeckCard[], count: number): IsoMessage[] {
  const dataKsn = Buffer.from('FFFF9876543211E00000', 'hex');
  dataKsn.writeUInt16BE(0x5000 + terminal, 5);
  const head = tdesDukptDataEncryptor(deriveIpek(TEST_DATA_BDK, dataKsn), memoryKsnStore(dataKsn));
  return purchasesFor(tid, terminal, cards, count).map((request, index) => {
    for (const field of [2, 14, 35]) request.fields.delete(field);
    for (const [field, value] of Object.entries(encryptedCardDataField(head.encryptTracks(encodeTracks(cards[index % cards.length]!))))) request.fields.set(Number(field), value);
    return request;
  });
}
