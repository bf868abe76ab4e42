/**
 * Realistic messages in the station's profile, shared by the tests and the pack/unpack benchmark
 * so both exercise the same shapes. Test card data only: the PAN is a test UnionPay number.
 */
import { createMessage, type IsoMessage } from './message.ts';

const TEST_PAN = '6212345678901232';

/** A magstripe PIN purchase as the station sends it. */
export function samplePurchaseRequest(): IsoMessage {
  return createMessage('0200', {
    2: TEST_PAN,
    3: '000000',
    4: '000000012345',
    7: '1121101530',
    11: '000042',
    12: '181530',
    13: '1121',
    14: '3012',
    22: '021',
    25: '00',
    35: `${TEST_PAN}=30121011234567890`,
    41: 'POS00001',
    42: 'MERCHANT0000001',
    49: '156',
    52: Buffer.from('3A4B5C6D7E8F9012', 'hex'),
    53: Buffer.from('FFFF9876543210E00001', 'hex'),
  });
}

/** The host's approval of samplePurchaseRequest(). */
export function samplePurchaseResponse(): IsoMessage {
  return createMessage('0210', {
    3: '000000',
    4: '000000012345',
    7: '1121101530',
    11: '000042',
    12: '181530',
    13: '1121',
    37: '632500000001',
    38: '123456',
    39: '00',
    41: 'POS00001',
    42: 'MERCHANT0000001',
    49: '156',
  });
}

/** A settlement request touching the secondary-bitmap fields. */
export function sampleSettlementRequest(): IsoMessage {
  return createMessage('0500', {
    3: '920000',
    7: '1121230000',
    11: '000099',
    41: 'POS00001',
    42: 'MERCHANT0000001',
    49: '156',
    54: '1002156C000000001000',
    60: '000017',
    62: 'TOTALS V1',
    66: '1',
    74: '0000000003',
    76: '0000000012',
    77: '0000000001',
    86: '0000000000005000',
    88: '0000000000123456',
    89: '0000000000001000',
    90: '020000004211211015300000000000000000000000',
    97: 'D0000000000117456',
    128: Buffer.from('0123456789ABCDEF', 'hex'),
  });
}
