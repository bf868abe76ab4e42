/**
 * EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode: the payload a station
 * shows for the customer's phone to scan, built and parsed. Both ends use this file: the station
 * builds what it shows, the virtual phone parses what it scans (this folder imports nothing but
 * common/, so it runs in the renderer too).
 *
 * Layout (ascending IDs, CRC last):
 *   00 payload format indicator "01"       01 point of initiation: 11 static, 12 dynamic
 *   26–51 merchant account information templates, each led by 00, a globally unique identifier
 *   52 MCC   53 currency (ISO 4217 numeric)   54 amount, decimal ("12.50"); a dynamic code needs one
 *   58 country   59 merchant name   60 merchant city (Latin: EMVCo's "Alphanumeric Special" set)
 *   61 postal code   62 additional data (01 bill number, 03 store, 05 reference, 07 terminal, 08 purpose)
 *   64 merchant information, language template (00 language, 01 name, 02 city: Chinese here)
 *   63 CRC-16/CCITT-FALSE over everything before its value, "6304" included
 */
import { emvCrcHex } from './crc16.ts';
import { readDataObjects, writeDataObject, type DataObject } from './data-objects.ts';
import { QrPayloadError } from './qr-payload-error.ts';

export interface MerchantAccountTemplate {
  /** 26–51. */
  readonly id: string;
  /** Sub-tag 00: an AID, a UUID without dashes, or a reverse domain name. */
  readonly globallyUniqueId: string;
  /** The template's other sub-tags ("01"–"99") and their values, as the payment system defines them. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface AdditionalData {
  readonly billNumber?: string;
  readonly storeLabel?: string;
  readonly referenceLabel?: string;
  readonly terminalLabel?: string;
  readonly purpose?: string;
}

export interface LanguageTemplate {
  /** ISO 639-1, upper case ("ZH"). */
  readonly languagePreference: string;
  readonly merchantName: string;
  readonly merchantCity?: string;
}

export interface MerchantPresentedPayload {
  readonly pointOfInitiation: 'static' | 'dynamic';
  readonly merchantAccounts: readonly MerchantAccountTemplate[];
  readonly merchantCategoryCode: string;
  /** ISO 4217 numeric, "156" for CNY. */
  readonly currencyNumeric: string;
  /** Tag 54 as written: a decimal string in major units ("12.50"). Required when dynamic. */
  readonly amount?: string;
  /** ISO 3166-1 alpha-2 ("CN"). */
  readonly countryCode: string;
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly postalCode?: string;
  readonly additionalData?: AdditionalData;
  readonly language?: LanguageTemplate;
}

export interface ParseOptions {
  /** Currencies (ISO 4217 numeric) the reader pays in; another one is refused as wrong_currency. Default: 156 only. */
  readonly acceptedCurrencies?: readonly string[];
  /** When given, at least one merchant account template must carry one of these identifiers (else unknown_template). */
  readonly knownGloballyUniqueIds?: readonly string[];
}

const ADDITIONAL_DATA_TAGS = { billNumber: '01', storeLabel: '03', referenceLabel: '05', terminalLabel: '07', purpose: '08' } as const;
const LATIN = /^[\x20-\x7E]+$/;

// --- build ------------------------------------------------------------------------------------

export function buildMerchantPresentedPayload(payload: MerchantPresentedPayload): string {
  checkPayload(payload);
  const parts = [writeDataObject('00', '01'), writeDataObject('01', payload.pointOfInitiation === 'dynamic' ? '12' : '11')];
  for (const account of [...payload.merchantAccounts].sort((a, b) => a.id.localeCompare(b.id))) {
    const inner = [writeDataObject('00', account.globallyUniqueId), ...Object.keys(account.fields).sort().map((tag) => writeDataObject(tag, account.fields[tag]!))];
    parts.push(writeDataObject(account.id, inner.join('')));
  }
  parts.push(writeDataObject('52', payload.merchantCategoryCode), writeDataObject('53', payload.currencyNumeric));
  if (payload.amount !== undefined) parts.push(writeDataObject('54', payload.amount));
  parts.push(writeDataObject('58', payload.countryCode), writeDataObject('59', payload.merchantName), writeDataObject('60', payload.merchantCity));
  if (payload.postalCode !== undefined) parts.push(writeDataObject('61', payload.postalCode));
  const additional = payload.additionalData === undefined ? [] : (Object.keys(ADDITIONAL_DATA_TAGS) as (keyof AdditionalData)[]).flatMap((key) => {
    const value = payload.additionalData![key];
    return value === undefined ? [] : [writeDataObject(ADDITIONAL_DATA_TAGS[key], value)];
  });
  if (additional.length > 0) parts.push(writeDataObject('62', additional.join('')));
  if (payload.language !== undefined) {
    const { languagePreference, merchantName, merchantCity } = payload.language;
    parts.push(writeDataObject('64', [writeDataObject('00', languagePreference), writeDataObject('01', merchantName), ...(merchantCity === undefined ? [] : [writeDataObject('02', merchantCity)])].join('')));
  }
  const body = `${parts.join('')}6304`;
  return `${body}${emvCrcHex(body)}`;
}

/** The builder refuses what the parser would refuse: a payload this file writes always reads back. */
function checkPayload(payload: MerchantPresentedPayload): void {
  const problem = (message: string) => {
    throw new QrPayloadError('bad_field', message);
  };
  if (payload.merchantAccounts.length === 0) problem('at least one merchant account information template (26–51) is required');
  for (const account of payload.merchantAccounts) {
    if (!isTemplateId(account.id)) problem(`merchant account template ID must be 26–51, got ${account.id}`);
    if (Object.hasOwn(account.fields, '00')) problem(`template ${account.id}: sub-tag 00 is the globally unique identifier; give it as globallyUniqueId`);
  }
  if (payload.pointOfInitiation === 'dynamic' && payload.amount === undefined) problem('a dynamic (12) payload carries the amount (54)');
  checkCommonFields(payload);
}

// --- parse ------------------------------------------------------------------------------------

export function parseMerchantPresentedPayload(text: string, options: ParseOptions = {}): MerchantPresentedPayload {
  checkCrc(text);
  const objects = readDataObjects(text, 'payload');
  const byId = new Map<string, string>();
  for (const { id, value } of objects) {
    if (byId.has(id)) throw new QrPayloadError('malformed', `tag ${id} appears more than once`);
    byId.set(id, value);
  }
  if (objects[0]?.id !== '00' || objects[0].value !== '01') throw new QrPayloadError('bad_field', 'the payload must start with tag 00 (payload format indicator) "01"');
  for (const { id } of objects) {
    if (Number(id) >= 65 && Number(id) <= 79) throw new QrPayloadError('unknown_template', `tag ${id} is reserved for future use by EMVCo; this reader does not know it`);
  }

  const initiation = required(byId, '01', 'point of initiation');
  if (initiation !== '11' && initiation !== '12') throw new QrPayloadError('bad_field', `tag 01 (point of initiation) must be 11 (static) or 12 (dynamic), got "${initiation}"`);
  const merchantAccounts = objects.filter(({ id }) => isTemplateId(id)).map(readMerchantAccount);
  const hasPrimitiveAccount = objects.some(({ id }) => Number(id) >= 2 && Number(id) <= 25);
  if (merchantAccounts.length === 0 && !hasPrimitiveAccount) throw new QrPayloadError('missing_field', 'no merchant account information (tags 02–51)');
  const known = options.knownGloballyUniqueIds;
  if (known !== undefined && !merchantAccounts.some((account) => known.includes(account.globallyUniqueId))) {
    const seen = merchantAccounts.map((account) => `${account.id}:${account.globallyUniqueId}`).join(', ') || 'none';
    throw new QrPayloadError('unknown_template', `no merchant account template of a payment system this reader knows (${known.join(', ')}); found ${seen}`);
  }

  const currencyNumeric = required(byId, '53', 'transaction currency');
  const accepted = options.acceptedCurrencies ?? ['156'];
  if (!/^\d{3}$/.test(currencyNumeric)) throw new QrPayloadError('bad_field', `tag 53 (currency) must be 3 digits, got "${currencyNumeric}"`);
  if (!accepted.includes(currencyNumeric)) throw new QrPayloadError('wrong_currency', `tag 53 (currency) is ${currencyNumeric}; this reader pays in ${accepted.join(', ')} only`);

  const payload: MerchantPresentedPayload = {
    pointOfInitiation: initiation === '12' ? 'dynamic' : 'static',
    merchantAccounts,
    merchantCategoryCode: required(byId, '52', 'merchant category code'),
    currencyNumeric,
    ...optional('amount', byId.get('54')),
    countryCode: required(byId, '58', 'country code'),
    merchantName: required(byId, '59', 'merchant name'),
    merchantCity: required(byId, '60', 'merchant city'),
    ...optional('postalCode', byId.get('61')),
    ...optional('additionalData', byId.has('62') ? readAdditionalData(byId.get('62')!) : undefined),
    ...optional('language', byId.has('64') ? readLanguage(byId.get('64')!) : undefined),
  };
  if (payload.pointOfInitiation === 'dynamic' && payload.amount === undefined) throw new QrPayloadError('missing_field', 'a dynamic (12) payload must carry the amount (54)');
  checkCommonFields(payload);
  return payload;
}

function checkCrc(text: string): void {
  const at = text.length - 8;
  if (at < 0 || text.slice(at, at + 4) !== '6304') throw new QrPayloadError('bad_crc', 'the payload must end with tag 63 (CRC): "6304" and 4 hexadecimal digits');
  const written = text.slice(at + 4);
  const computed = emvCrcHex(text.slice(0, at + 4));
  if (written.toUpperCase() !== computed) throw new QrPayloadError('bad_crc', `CRC mismatch: the payload says ${written}, its content gives ${computed} (damaged or altered)`);
}

function readMerchantAccount({ id, value }: DataObject): MerchantAccountTemplate {
  const fields: Record<string, string> = {};
  let globallyUniqueId: string | undefined;
  for (const sub of readDataObjects(value, `template ${id}`)) {
    if (sub.id === '00') globallyUniqueId = sub.value;
    else fields[sub.id] = sub.value;
  }
  if (globallyUniqueId === undefined) throw new QrPayloadError('missing_field', `merchant account template ${id} has no globally unique identifier (sub-tag 00)`);
  return { id, globallyUniqueId, fields };
}

function readAdditionalData(value: string): AdditionalData {
  const subs = new Map(readDataObjects(value, 'template 62').map((sub) => [sub.id, sub.value]));
  const data: Record<string, string> = {};
  for (const [key, tag] of Object.entries(ADDITIONAL_DATA_TAGS)) if (subs.has(tag)) data[key] = subs.get(tag)!;
  return data;
}

function readLanguage(value: string): LanguageTemplate {
  const subs = new Map(readDataObjects(value, 'template 64').map((sub) => [sub.id, sub.value]));
  const languagePreference = subs.get('00');
  const merchantName = subs.get('01');
  if (languagePreference === undefined || merchantName === undefined) throw new QrPayloadError('missing_field', 'template 64 (language) needs 00 (language preference) and 01 (merchant name)');
  return { languagePreference, merchantName, ...optional('merchantCity', subs.get('02')) };
}

/** Field rules both directions share. */
function checkCommonFields(payload: MerchantPresentedPayload): void {
  const bad = (message: string) => {
    throw new QrPayloadError('bad_field', message);
  };
  if (!/^\d{4}$/.test(payload.merchantCategoryCode)) bad(`tag 52 (MCC) must be 4 digits, got "${payload.merchantCategoryCode}"`);
  if (!/^\d{3}$/.test(payload.currencyNumeric)) bad(`tag 53 (currency) must be 3 digits, got "${payload.currencyNumeric}"`);
  if (payload.amount !== undefined && (!/^\d+(\.\d*)?$/.test(payload.amount) || payload.amount.length > 13 || !/[1-9]/.test(payload.amount))) {
    bad(`tag 54 (amount) must be a decimal string of up to 13 characters above zero, like "12.50"; got "${payload.amount}"`);
  }
  if (!/^[A-Z]{2}$/.test(payload.countryCode)) bad(`tag 58 (country) must be 2 upper-case letters, got "${payload.countryCode}"`);
  latin('59', 'merchant name', payload.merchantName, 25);
  latin('60', 'merchant city', payload.merchantCity, 15);
  if (payload.postalCode !== undefined) latin('61', 'postal code', payload.postalCode, 10);
  if (payload.additionalData?.billNumber !== undefined) latin('62.01', 'bill number', payload.additionalData.billNumber, 25);
  if (payload.language !== undefined) {
    if (!/^[A-Z]{2}$/.test(payload.language.languagePreference)) bad(`tag 64.00 (language preference) must be 2 upper-case letters, got "${payload.language.languagePreference}"`);
    if ([...payload.language.merchantName].length > 25) bad('tag 64.01 (merchant name, alternate language) must be at most 25 characters');
    if (payload.language.merchantCity !== undefined && [...payload.language.merchantCity].length > 15) bad('tag 64.02 (merchant city, alternate language) must be at most 15 characters');
  }
}

function latin(tag: string, name: string, value: string, max: number): void {
  if (!LATIN.test(value) || value.length > max) {
    throw new QrPayloadError('bad_field', `tag ${tag} (${name}) must be 1–${max} Latin characters (EMVCo Alphanumeric Special); put Chinese in template 64. Got "${value}"`);
  }
}

function required(byId: ReadonlyMap<string, string>, id: string, name: string): string {
  const value = byId.get(id);
  if (value === undefined) throw new QrPayloadError('missing_field', `tag ${id} (${name}) is missing`);
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isTemplateId(id: string): boolean {
  return Number(id) >= 26 && Number(id) <= 51;
}
