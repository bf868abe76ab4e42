/**
 * DE39 response codes this host produces (ISO 8583:1987). The profile also reserves 58, 61, 75, 91
 * and 94 (not permitted to terminal, over limit, PIN tries exceeded, issuer down, duplicate);
 * the simulator does not produce them yet.
 */
export const RESPONSE_CODE = {
  approved: '00',
  doNotHonour: '05',
  invalidTransaction: '12',
  invalidAmount: '13',
  invalidCardNumber: '14',
  formatError: '30',
  lostCard: '41',
  stolenCard: '43',
  insufficientFunds: '51',
  expiredCard: '54',
  incorrectPin: '55',
  notPermittedToCardholder: '57',
  systemMalfunction: '96',
} as const;

export type ResponseCode = (typeof RESPONSE_CODE)[keyof typeof RESPONSE_CODE];
