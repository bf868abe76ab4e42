/**
 * DE39 response codes this host produces (ISO 8583:1987). docs/host-interface.md says when each is
 * produced.
 */
export const RESPONSE_CODE = {
  approved: '00',
  doNotHonour: '05',
  invalidTransaction: '12',
  invalidAmount: '13',
  invalidCardNumber: '14',
  unableToLocateOriginal: '25',
  formatError: '30',
  lostCard: '41',
  stolenCard: '43',
  insufficientFunds: '51',
  expiredCard: '54',
  incorrectPin: '55',
  notPermittedToCardholder: '57',
  notPermittedToTerminal: '58',
  suspectedFraud: '59',
  exceedsAmountLimit: '61',
  /** The chip's cryptogram (ARQC) does not verify (Visa's "negative online CAM" code). */
  cryptogramFailure: '82',
  pinTriesExceeded: '75',
  issuerInoperative: '91',
  duplicateTransmission: '94',
  systemMalfunction: '96',
} as const;

export type ResponseCode = (typeof RESPONSE_CODE)[keyof typeof RESPONSE_CODE];
