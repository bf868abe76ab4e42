/**
 * The station's ISO 8583:1987 profile, as data: the field formats (ASCII MTI, 8-byte binary bitmaps,
 * ASCII text fields with ASCII LL/LLL length prefixes, raw bytes for `b` fields) and the codes the
 * messages carry (processing codes, entry modes, condition codes, network codes, reversal reasons).
 * Host and station both take them from here, so a format or a code changes here and nowhere else.
 * docs/host-interface.md describes the same version, field by field.
 */
import type { FieldSpec, MessageSpec } from './field-spec.ts';
import { ICC_DATA_SUBFIELDS } from './icc-data-field.ts';

/**
 * Profile version (docs/host-interface.md's title says the same): 3 adds chip data (DE23 card
 * sequence number, DE55 ICC data as BER-TLV); 4 adds encrypted card data from encrypting readers
 * (DE120), and reversals and batch uploads carry no DE2.
 */
export const PROFILE_VERSION = 4;

const fields: Record<number, FieldSpec> = {
  2: { type: 'n', length: 19, prefix: 'LL', name: 'Primary account number' },
  3: { type: 'n', length: 6, prefix: 'fixed', name: 'Processing code' },
  4: { type: 'n', length: 12, prefix: 'fixed', name: 'Amount, transaction' },
  7: { type: 'n', length: 10, prefix: 'fixed', name: 'Transmission date and time (MMDDhhmmss, UTC)' },
  11: { type: 'n', length: 6, prefix: 'fixed', name: 'System trace audit number' },
  12: { type: 'n', length: 6, prefix: 'fixed', name: 'Time, local transaction (hhmmss)' },
  13: { type: 'n', length: 4, prefix: 'fixed', name: 'Date, local transaction (MMDD)' },
  14: { type: 'n', length: 4, prefix: 'fixed', name: 'Date, expiration (YYMM)' },
  22: { type: 'n', length: 3, prefix: 'fixed', name: 'Point of service entry mode' },
  23: { type: 'n', length: 3, prefix: 'fixed', name: 'Card sequence number (tag 5F34)' },
  25: { type: 'n', length: 2, prefix: 'fixed', name: 'Point of service condition code' },
  35: { type: 'z', length: 37, prefix: 'LL', name: 'Track 2 data' },
  37: { type: 'an', length: 12, prefix: 'fixed', name: 'Retrieval reference number' },
  38: { type: 'an', length: 6, prefix: 'fixed', name: 'Authorization identification response' },
  39: { type: 'an', length: 2, prefix: 'fixed', name: 'Response code' },
  41: { type: 'ans', length: 8, prefix: 'fixed', name: 'Card acceptor terminal identification' },
  42: { type: 'ans', length: 15, prefix: 'fixed', name: 'Card acceptor identification code' },
  49: { type: 'n', length: 3, prefix: 'fixed', name: 'Currency code, transaction' },
  52: { type: 'b', length: 8, prefix: 'fixed', name: 'PIN data' },
  // A 10-byte DUKPT key serial number, not the 1987 n16 "security related control information".
  53: { type: 'b', length: 10, prefix: 'fixed', name: 'Security related control information (DUKPT KSN)' },
  54: { type: 'an', length: 120, prefix: 'LLL', name: 'Additional amounts' },
  55: { type: 'b', length: 255, prefix: 'LLL', name: 'ICC data (BER-TLV)', tlv: ICC_DATA_SUBFIELDS },
  60: { type: 'ans', length: 999, prefix: 'LLL', name: 'Reserved private (batch number)' },
  62: { type: 'ans', length: 999, prefix: 'LLL', name: 'Reserved private' },
  66: { type: 'n', length: 1, prefix: 'fixed', name: 'Settlement code' },
  70: { type: 'n', length: 3, prefix: 'fixed', name: 'Network management information code' },
  74: { type: 'n', length: 10, prefix: 'fixed', name: 'Credits, number' },
  76: { type: 'n', length: 10, prefix: 'fixed', name: 'Debits, number' },
  77: { type: 'n', length: 10, prefix: 'fixed', name: 'Debits, reversal number' },
  86: { type: 'n', length: 16, prefix: 'fixed', name: 'Credits, amount' },
  88: { type: 'n', length: 16, prefix: 'fixed', name: 'Debits, amount' },
  89: { type: 'n', length: 16, prefix: 'fixed', name: 'Debits, reversal amount' },
  90: { type: 'n', length: 42, prefix: 'fixed', name: 'Original data elements' },
  // x+n16 in the standard: carried as an17 whose first character is the sign, 'C' credit or 'D' debit.
  97: { type: 'an', length: 17, prefix: 'fixed', name: 'Amount, net settlement (x+n16)' },
  // Private use: an AES DUKPT PIN (key type, 12-byte KSN, 16-byte format 4 block), too big for DE52/DE53 (pin-data.ts).
  111: { type: 'b', length: 999, prefix: 'LLL', name: 'Reserved private (AES DUKPT PIN data)' },
  // Private use: an encrypting reader's tracks under its DUKPT data key, with key type and KSN (encrypted-card-data.ts).
  120: { type: 'b', length: 999, prefix: 'LLL', name: 'Reserved private (encrypted card data)' },
  128: { type: 'b', length: 8, prefix: 'fixed', name: 'Message authentication code' },
};

export const PROFILE_FIELDS: MessageSpec = new Map(Object.entries(fields).map(([number, spec]) => [Number(number), spec]));

/** DE3. */
export const PROCESSING_CODES = {
  purchase: '000000',
  refund: '200000',
  balanceInquiry: '310000',
  /** 0500: the terminal's totals at the first close of a batch. */
  settlementClose: '920000',
  /** 0500: the close after a batch upload. */
  settlementAfterUpload: '960000',
} as const;

/** DE22: PAN entry mode (2 digits) and PIN entry capability (1: can accept PINs). */
export const POS_ENTRY_MODES = {
  /** 02: magnetic stripe read. */
  magstripeWithPin: '021',
  /** 05: integrated circuit card read (insert). */
  chip: '051',
  /** 07: contactless, EMV data (tap). */
  contactless: '071',
  /** 80: magnetic stripe read as the technical fallback after the chip failed. */
  fallback: '801',
} as const;

/** DE25. */
export const POS_CONDITION_CODES = { normal: '00' } as const;

/** DE70 of an 0800. */
export const NETWORK_CODES = { signOn: '001', signOff: '002', echo: '301' } as const;

/** DE39 of an 0400: why the original is reversed. */
export const REVERSAL_REASON_CODES = { customerCancellation: '17', noResponse: '68' } as const;

/** DE39 answers the terminal acts on. */
export const RESPONSE_CODES = { approved: '00', incorrectPin: '55', pinTriesExceeded: '75' } as const;

/** DE66 of an 0510. */
export const SETTLEMENT_CODES = { inBalance: '1', outOfBalance: '2' } as const;
