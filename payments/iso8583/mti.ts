/**
 * Message type indicator arithmetic. The MTI's digits are version, class, function and origin;
 * function digits 0/2/4 are request/advice/notification and 1/3/5 their responses.
 */

const FOUR_DIGITS = /^\d{4}$/;

export function isMti(text: string): boolean {
  return FOUR_DIGITS.test(text);
}

/** Whether the MTI expects an answer: a request, advice or notification (function digit 0, 2 or 4). */
export function isRequestMti(mti: string): boolean {
  const fn = mti.charCodeAt(2) - 48;
  return isMti(mti) && (fn === 0 || fn === 2 || fn === 4);
}

/** Whether the MTI answers another message (function digit 1, 3 or 5). */
export function isResponseMti(mti: string): boolean {
  const fn = mti.charCodeAt(2) - 48;
  return fn === 1 || fn === 3 || fn === 5;
}

/**
 * The response MTI for a request, as jPOS's ISOMsg.setResponseMTI: function digit + 1, and the
 * origin's "repeat" flag dropped (0200 → 0210, 0401 → 0410, 0421 → 0430, 0800 → 0810).
 */
export function responseMti(requestMti: string): string {
  if (!isRequestMti(requestMti)) throw new RangeError(`not a request MTI: ${requestMti}`);
  const origin = requestMti.charCodeAt(3) - 48;
  const responseOrigin = origin - (origin % 2);
  return `${requestMti.slice(0, 2)}${requestMti.charCodeAt(2) - 48 + 1}${responseOrigin}`;
}

// jPOS QMUX's default mapper: a request and its response share a class key (0210 → 020, 0430 → 042).
const FUNCTION_CLASS = '0022446789';

/** The part of an MTI a request and its response have in common: version, class and mapped function. */
export function mtiMatchClass(mti: string): string {
  return mti.slice(0, 2) + FUNCTION_CLASS.charAt(mti.charCodeAt(2) - 48);
}
