/**
 * The EMV data dictionary as data (EMV Book 3 Annex A1, plus the contactless tags of Book C-3 and
 * the PBOC/qUICS ones this station meets): tag, name, format, length bounds and who sets it. The
 * kernel pads DOL data by it, the ISO 8583 DE55 spec and the docs list tags from it, and a tag
 * missing here is refused rather than guessed at.
 *
 * Formats (Book 3 §4.3): b binary · n BCD numeric, right-justified, left-padded with 0 · cn
 * compressed numeric, left-justified, padded with F · an / ans text.
 */
import type { DolPadding } from './tlv.ts';

export type EmvFormat = 'b' | 'n' | 'cn' | 'an' | 'ans';
export type EmvSource = 'ICC' | 'Terminal' | 'Issuer';

export interface EmvDataElement {
  readonly tag: string;
  readonly name: string;
  readonly format: EmvFormat;
  /** Length bounds of the value in bytes. */
  readonly minLength: number;
  readonly maxLength: number;
  readonly source: EmvSource;
  /** Sensitive: clear ICC track-equivalent or PAN data; never journaled or logged (PCI DSS 3.2). */
  readonly sensitive?: true;
}

const e = (tag: string, name: string, format: EmvFormat, minLength: number, maxLength: number, source: EmvSource, sensitive?: true): EmvDataElement => ({
  tag,
  name,
  format,
  minLength,
  maxLength,
  source,
  ...(sensitive ? { sensitive } : {}),
});

export const EMV_DATA_ELEMENTS: readonly EmvDataElement[] = [
  e('4F', 'Application Identifier (AID) – card', 'b', 5, 16, 'ICC'),
  e('50', 'Application Label', 'ans', 1, 16, 'ICC'),
  e('56', 'Track 1 Data (contactless)', 'ans', 1, 76, 'ICC', true),
  e('57', 'Track 2 Equivalent Data', 'b', 1, 19, 'ICC', true),
  e('5A', 'Application Primary Account Number (PAN)', 'cn', 1, 10, 'ICC', true),
  e('5F20', 'Cardholder Name', 'ans', 2, 26, 'ICC', true),
  e('5F24', 'Application Expiration Date', 'n', 3, 3, 'ICC'),
  e('5F25', 'Application Effective Date', 'n', 3, 3, 'ICC'),
  e('5F28', 'Issuer Country Code', 'n', 2, 2, 'ICC'),
  e('5F2A', 'Transaction Currency Code', 'n', 2, 2, 'Terminal'),
  e('5F2D', 'Language Preference', 'an', 2, 8, 'ICC'),
  e('5F30', 'Service Code', 'n', 2, 2, 'ICC'),
  e('5F34', 'Application PAN Sequence Number', 'n', 1, 1, 'ICC'),
  e('61', 'Application Template', 'b', 0, 252, 'ICC'),
  e('6F', 'File Control Information (FCI) Template', 'b', 0, 252, 'ICC'),
  e('70', 'READ RECORD Response Message Template', 'b', 0, 252, 'ICC'),
  e('71', 'Issuer Script Template 1', 'b', 0, 252, 'Issuer'),
  e('72', 'Issuer Script Template 2', 'b', 0, 252, 'Issuer'),
  e('77', 'Response Message Template Format 2', 'b', 0, 252, 'ICC'),
  e('80', 'Response Message Template Format 1', 'b', 0, 252, 'ICC'),
  e('82', 'Application Interchange Profile', 'b', 2, 2, 'ICC'),
  e('84', 'Dedicated File (DF) Name', 'b', 5, 16, 'ICC'),
  e('86', 'Issuer Script Command', 'b', 0, 261, 'Issuer'),
  e('87', 'Application Priority Indicator', 'b', 1, 1, 'ICC'),
  e('88', 'Short File Identifier (SFI)', 'b', 1, 1, 'ICC'),
  e('8A', 'Authorisation Response Code', 'an', 2, 2, 'Issuer'),
  e('8C', 'Card Risk Management Data Object List 1 (CDOL1)', 'b', 0, 252, 'ICC'),
  e('8D', 'Card Risk Management Data Object List 2 (CDOL2)', 'b', 0, 252, 'ICC'),
  e('8E', 'Cardholder Verification Method (CVM) List', 'b', 10, 252, 'ICC'),
  e('8F', 'Certification Authority Public Key Index', 'b', 1, 1, 'ICC'),
  e('90', 'Issuer Public Key Certificate', 'b', 0, 248, 'ICC'),
  e('91', 'Issuer Authentication Data', 'b', 8, 16, 'Issuer'),
  e('92', 'Issuer Public Key Remainder', 'b', 0, 248, 'ICC'),
  e('93', 'Signed Static Application Data', 'b', 0, 248, 'ICC'),
  e('94', 'Application File Locator (AFL)', 'b', 0, 252, 'ICC'),
  e('95', 'Terminal Verification Results', 'b', 5, 5, 'Terminal'),
  e('9A', 'Transaction Date', 'n', 3, 3, 'Terminal'),
  e('9B', 'Transaction Status Information', 'b', 2, 2, 'Terminal'),
  e('9C', 'Transaction Type', 'n', 1, 1, 'Terminal'),
  e('9F02', 'Amount, Authorised (Numeric)', 'n', 6, 6, 'Terminal'),
  e('9F03', 'Amount, Other (Numeric)', 'n', 6, 6, 'Terminal'),
  e('9F06', 'Application Identifier (AID) – terminal', 'b', 5, 16, 'Terminal'),
  e('9F07', 'Application Usage Control', 'b', 2, 2, 'ICC'),
  e('9F08', 'Application Version Number – card', 'b', 2, 2, 'ICC'),
  e('9F09', 'Application Version Number – terminal', 'b', 2, 2, 'Terminal'),
  e('9F0D', 'Issuer Action Code – Default', 'b', 5, 5, 'ICC'),
  e('9F0E', 'Issuer Action Code – Denial', 'b', 5, 5, 'ICC'),
  e('9F0F', 'Issuer Action Code – Online', 'b', 5, 5, 'ICC'),
  e('9F10', 'Issuer Application Data', 'b', 0, 32, 'ICC'),
  e('9F11', 'Issuer Code Table Index', 'n', 1, 1, 'ICC'),
  e('9F12', 'Application Preferred Name', 'ans', 1, 16, 'ICC'),
  e('9F13', 'Last Online ATC Register', 'b', 2, 2, 'ICC'),
  e('9F14', 'Lower Consecutive Offline Limit', 'b', 1, 1, 'ICC'),
  e('9F17', 'PIN Try Counter', 'b', 1, 1, 'ICC'),
  e('9F1A', 'Terminal Country Code', 'n', 2, 2, 'Terminal'),
  e('9F1B', 'Terminal Floor Limit', 'b', 4, 4, 'Terminal'),
  e('9F1E', 'Interface Device (IFD) Serial Number', 'an', 8, 8, 'Terminal'),
  e('9F1F', 'Track 1 Discretionary Data', 'ans', 0, 54, 'ICC', true),
  e('9F21', 'Transaction Time', 'n', 3, 3, 'Terminal'),
  e('9F23', 'Upper Consecutive Offline Limit', 'b', 1, 1, 'ICC'),
  e('9F26', 'Application Cryptogram', 'b', 8, 8, 'ICC'),
  e('9F27', 'Cryptogram Information Data', 'b', 1, 1, 'ICC'),
  e('9F32', 'Issuer Public Key Exponent', 'b', 1, 3, 'ICC'),
  e('9F33', 'Terminal Capabilities', 'b', 3, 3, 'Terminal'),
  e('9F34', 'Cardholder Verification Method (CVM) Results', 'b', 3, 3, 'Terminal'),
  e('9F35', 'Terminal Type', 'n', 1, 1, 'Terminal'),
  e('9F36', 'Application Transaction Counter (ATC)', 'b', 2, 2, 'ICC'),
  e('9F37', 'Unpredictable Number', 'b', 4, 4, 'Terminal'),
  e('9F38', 'Processing Options Data Object List (PDOL)', 'b', 0, 252, 'ICC'),
  e('9F39', 'Point-of-Service (POS) Entry Mode', 'n', 1, 1, 'Terminal'),
  e('9F40', 'Additional Terminal Capabilities', 'b', 5, 5, 'Terminal'),
  e('9F41', 'Transaction Sequence Counter', 'n', 2, 4, 'Terminal'),
  e('9F42', 'Application Currency Code', 'n', 2, 2, 'ICC'),
  e('9F44', 'Application Currency Exponent', 'n', 1, 1, 'ICC'),
  e('9F46', 'ICC Public Key Certificate', 'b', 0, 248, 'ICC'),
  e('9F47', 'ICC Public Key Exponent', 'b', 1, 3, 'ICC'),
  e('9F48', 'ICC Public Key Remainder', 'b', 0, 248, 'ICC'),
  e('9F49', 'Dynamic Data Authentication Data Object List (DDOL)', 'b', 0, 252, 'ICC'),
  e('9F4A', 'Static Data Authentication Tag List', 'b', 0, 252, 'ICC'),
  e('9F4B', 'Signed Dynamic Application Data', 'b', 0, 248, 'ICC'),
  e('9F4C', 'ICC Dynamic Number', 'b', 2, 8, 'ICC'),
  e('9F4E', 'Merchant Name and Location', 'ans', 0, 64, 'Terminal'),
  e('9F5D', 'Available Offline Spending Amount', 'b', 6, 6, 'ICC'),
  e('9F66', 'Terminal Transaction Qualifiers (TTQ)', 'b', 4, 4, 'Terminal'),
  e('9F6B', 'Track 2 Data (contactless)', 'b', 1, 19, 'ICC', true),
  e('9F6C', 'Card Transaction Qualifiers (CTQ)', 'b', 2, 2, 'ICC'),
  e('9F6E', 'Form Factor Indicator', 'b', 4, 32, 'ICC'),
  e('9F7C', 'Customer Exclusive Data', 'b', 0, 32, 'ICC'),
  e('A5', 'FCI Proprietary Template', 'b', 0, 252, 'ICC'),
  e('BF0C', 'FCI Issuer Discretionary Data', 'b', 0, 222, 'ICC'),
  // Not an EMV tag: the station's own carrier for issuer script results in the next message (DE55), as
  // many networks define it (e.g. UnionPay's DF31): per script, 1 byte result + 4 bytes script id.
  e('DF31', 'Issuer Script Results', 'b', 5, 80, 'Terminal'),
];

const BY_TAG = new Map(EMV_DATA_ELEMENTS.map((element) => [element.tag, element]));

export function dataElement(tag: string): EmvDataElement | undefined {
  return BY_TAG.get(tag.toUpperCase());
}

/** How a DOL pads the tag's value: by its format (n left with zeros, cn right with FF, others right with zeros). */
export function dolPaddingOf(tag: string): DolPadding {
  const format = dataElement(tag)?.format;
  return format === 'n' ? 'numeric' : format === 'cn' ? 'compressed-numeric' : 'other';
}

/** Tags whose clear value must never be stored or logged. */
export const SENSITIVE_TAGS: readonly string[] = EMV_DATA_ELEMENTS.filter((element) => element.sensitive).map((element) => element.tag);
