/**
 * Between the kernel's online request and ISO 8583 profile v3: the card fields of a chip or
 * contactless 0200, and the kernel's view of the 0210. The station adds the rest (DE3, DE4, DE7,
 * DE11–13, DE25, DE41, DE42, DE49) as it does for a swipe.
 *
 *   DE2 PAN · DE14 expiry · DE22 051 (chip) / 071 (contactless), PIN entry capability 1 ·
 *   DE23 card sequence number (5F34) · DE35 track 2 equivalent data (57, `D` → `=`) ·
 *   DE55 the ICC data · DE52 + DE53 or DE111 the online PIN
 */
import type { FieldValue, IsoMessage } from '../iso8583/message.ts';
import { getBytes, getText } from '../iso8583/message.ts';
import { readIccData } from '../iso8583/icc-data-field.ts';
import { pinDataFields } from '../iso8583/pin-data.ts';
import { POS_ENTRY_MODES } from '../iso8583/profile.ts';
import type { AuthorizationResponse, OnlineRequest } from './kernel/ports.ts';

export const POS_ENTRY_MODE = { contact: POS_ENTRY_MODES.chip, contactless: POS_ENTRY_MODES.contactless } as const;

export function chipRequestFields(request: OnlineRequest): Record<number, FieldValue> {
  const fields: Record<number, FieldValue> = {
    2: request.pan,
    14: request.expiry,
    22: POS_ENTRY_MODE[request.entryMode],
    35: request.track2Equivalent.replace('D', '='),
    55: request.iccData,
    ...(request.pin ? pinDataFields(request.pin) : {}),
  };
  if (request.panSequenceNumber !== undefined) fields[23] = request.panSequenceNumber.padStart(3, '0');
  return fields;
}

/** The kernel's view of a 0210: DE39, DE38, DE37, and from DE55 the issuer authentication data and scripts. */
export function authorizationResponseOf(message: IsoMessage): AuthorizationResponse {
  const de55 = getBytes(message, 55);
  const icc = de55 ? readIccData(de55) : undefined;
  const approvalCode = getText(message, 38);
  const rrn = getText(message, 37);
  const issuerAuthenticationData = icc?.tags.get('91');
  return {
    kind: 'response',
    responseCode: getText(message, 39) ?? '96',
    ...(approvalCode ? { approvalCode } : {}),
    ...(rrn ? { rrn } : {}),
    ...(issuerAuthenticationData ? { issuerAuthenticationData } : {}),
    ...(icc && icc.scripts71.length > 0 ? { scripts71: icc.scripts71 } : {}),
    ...(icc && icc.scripts72.length > 0 ? { scripts72: icc.scripts72 } : {}),
  };
}
