/**
 * `npm run emv:personalise`: personalises the virtual EMV cards of the test deck, the way a card
 * bureau would from the issuer's keys, and keeps the test PKI they chain to. TEST DATA ONLY.
 *
 * Reads   bank/deck/test-cards.json (cards with a `chip` section), bank/config/host.json (the issuer
 *         master keys per BIN, the CVKs for the iCVV), bank/deck/chip-test-pki.json (the test CA
 *         keys per RID and the issuer RSA keys per BIN; created when missing, kept otherwise);
 * Writes  bank/deck/chip-cards.json (one card image per chip card: ICC master keys by option A,
 *         track 2 equivalent with its iCVV, certificates, the card's RSA key) and
 *         payments/emv/kernel/test-ca-public-keys.json (the CA public keys the terminal holds).
 *
 * A card's RSA key is kept from the previous chip-cards.json when there is one, so running this
 * again only changes what the deck or the keys changed. `--fresh` regenerates every RSA key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHostConfig } from '../bank/config/host-config.ts';
import { createCvkTable } from '../bank/issuer/card-checks/cvk-table.ts';
import { computeCvv } from '../bank/issuer/card-checks/cvv.ts';
import type { TestDeck, TestDeckCard } from '../common/test-deck.ts';
import { TestDeckSchema } from '../common/test-deck.ts';
import { ChipCardImagesSchema, staticDataToAuthenticate, type ChipCardImage } from '../payments/emv/card/card-image.ts';
import { CRYPTOGRAM_VERSIONS } from '../payments/emv/crypto/cryptogram-versions.ts';
import { caKeyChecksum, issueIccCertificate, issueIssuerCertificate, panIdentifier } from '../payments/emv/crypto/oda-certificates.ts';
import { publicKeyOf, type RsaPrivateJwk } from '../payments/emv/crypto/rsa.ts';

const root = resolve(import.meta.dirname, '..');
const paths = {
  deck: join(root, 'bank/deck/test-cards.json'),
  config: join(root, 'bank/config/host.json'),
  pki: join(root, 'bank/deck/chip-test-pki.json'),
  cards: join(root, 'bank/deck/chip-cards.json'),
  caPublic: join(root, 'payments/emv/kernel/test-ca-public-keys.json'),
};

/** The station's own test CA index under each scheme's RID: not a key any scheme issued. */
export const TEST_CA_INDEX = 0xf1;
const CA_BITS = 1408;
const ISSUER_BITS = 1152;
const ICC_BITS = 1024;
const CA_EXPIRY = '351231';

interface TestPki {
  description: string;
  certificationAuthorities: Record<string, RsaPrivateJwk>;
  issuers: Record<string, RsaPrivateJwk>;
}

const generate = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 3 }).privateKey.export({ format: 'jwk' }) as RsaPrivateJwk;
const bytesOf = (jwk: RsaPrivateJwk) => Buffer.from(jwk.n, 'base64url').length;
const hex = (value: Buffer) => value.toString('hex').toUpperCase();

const { values: flags } = parseArgs({ options: { fresh: { type: 'boolean' } } });
const deck: TestDeck = TestDeckSchema.parse(JSON.parse(readFileSync(paths.deck, 'utf8')));
const config = loadHostConfig(paths.config);
const cvks = createCvkTable(config.cardSecurity.cvks.map(({ binPrefix, cvk }) => ({ binPrefix, cvk: Buffer.from(cvk, 'hex') })));
const pki: TestPki =
  existsSync(paths.pki) && !flags.fresh
    ? (JSON.parse(readFileSync(paths.pki, 'utf8')) as TestPki)
    : { description: '', certificationAuthorities: {}, issuers: {} };
pki.description =
  'TEST KEYS ONLY (scripts/emv-test-pki.ts): the private keys of the station test PKI. certificationAuthorities: a test CA per scheme RID, index F1, RSA 1408 bits, exponent 3; issuers: an issuer RSA key (1152 bits) per BIN prefix, certified by its scheme\'s test CA. They certify the virtual cards of chip-cards.json and nothing else; no real card or terminal trusts them.';
const previous = new Map<string, ChipCardImage>(
  existsSync(paths.cards) && !flags.fresh ? ChipCardImagesSchema.parse(JSON.parse(readFileSync(paths.cards, 'utf8'))).cards.map((card) => [card.cardId, card]) : [],
);

function issuerKeysFor(pan: string) {
  const entry = config.chip.issuerMasterKeys.filter((keys) => pan.startsWith(keys.binPrefix)).sort((a, b) => b.binPrefix.length - a.binPrefix.length)[0];
  if (!entry) throw new Error(`no issuer master keys for BIN of card ${pan.slice(0, 6)}`);
  return entry;
}

function lastDayOf(yymm: string): string {
  const year = 2000 + Number(yymm.slice(0, 2));
  const month = Number(yymm.slice(2, 4));
  return `${yymm}${String(new Date(Date.UTC(year, month, 0)).getUTCDate()).padStart(2, '0')}`;
}

function personalise(card: TestDeckCard): ChipCardImage {
  const chip = card.chip!;
  const rid = chip.applications[0]!.aid.slice(0, 10);
  const ca = (pki.certificationAuthorities[rid] ??= generate(CA_BITS));
  const bin = card.pan.slice(0, 6);
  const issuer = (pki.issuers[bin] ??= generate(ISSUER_BITS));
  const imk = issuerKeysFor(card.pan);
  const derive = (key: string) => hex(CRYPTOGRAM_VERSIONS[chip.cryptogramVersion].iccMasterKey(Buffer.from(key, 'hex'), card.pan, chip.panSequenceNumber));
  const keys = chip.faults?.wrongAcKey
    ? // Keys of the right form from a master key the issuer does not have: every ARQC fails at the host.
      { ac: derive('0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F'), smi: derive(imk.smi), smc: derive(imk.smc) }
    : { ac: derive(imk.ac), smi: derive(imk.smi), smc: derive(imk.smc) };
  // iCVV: the CVV algorithm with service code 999, in place of the stripe's CVV (discretionary-data.ts layout).
  const icvv = computeCvv(cvks.cvkFor(card.pan)!, { pan: card.pan, expiry: card.expiry, serviceCode: '999' });
  const track2Equivalent = `${card.pan}D${card.expiry}${card.serviceCode}${icvv}${card.discretionary.slice(3)}`;
  const image: ChipCardImage = {
    cardId: card.id,
    pan: card.pan,
    panSequenceNumber: chip.panSequenceNumber,
    expiry: lastDayOf(card.expiry),
    effective: '240101',
    cardholderName: card.cardholderName,
    track2Equivalent,
    issuerCountry: '0156',
    currency: '0156',
    applications: chip.applications,
    cryptogramVersion: chip.cryptogramVersion,
    dki: 0x01,
    keys,
    interfaces: { contact: chip.contact, contactless: chip.contactless },
    ...(chip.faults?.applicationBlocked || chip.faults?.declinesAtCompletion || chip.faults?.mute
      ? { faults: { ...(chip.faults.applicationBlocked ? { applicationBlocked: true } : {}), ...(chip.faults.declinesAtCompletion ? { declinesAtCompletion: true } : {}), ...(chip.faults.mute ? { mute: true } : {}) } }
      : {}),
  };
  if (!chip.oda) return image;
  const icc = (previous.get(card.id)?.oda?.iccPrivateKey as RsaPrivateJwk | undefined) ?? generate(ICC_BITS);
  const issuerCertificate = issueIssuerCertificate(ca, bytesOf(ca), {
    identifier: panIdentifier(bin, 4),
    expiry: Buffer.from('1234', 'hex'),
    serial: Buffer.from('000001', 'hex'),
    publicKey: publicKeyOf(issuer),
  });
  // The ICC certificate covers the static data, which includes the ODA record itself only through
  // record 1: build the image with placeholder certificates first, then sign its static data.
  const provisional: ChipCardImage = {
    ...image,
    oda: {
      caIndex: TEST_CA_INDEX,
      issuerCertificate: hex(issuerCertificate.certificate),
      issuerRemainder: hex(issuerCertificate.remainder),
      issuerExponent: hex(publicKeyOf(issuer).exponent),
      iccCertificate: '00'.repeat(bytesOf(issuer)),
      iccRemainder: '',
      iccExponent: hex(publicKeyOf(icc).exponent),
      iccPrivateKey: icc,
    },
  };
  const expiry = chip.faults?.expiredCertificate ? '0124' : `${card.expiry.slice(2)}${card.expiry.slice(0, 2)}`;
  const iccCertificate = issueIccCertificate(
    issuer,
    bytesOf(issuer),
    { identifier: panIdentifier(card.pan, 10), expiry: Buffer.from(expiry, 'hex'), serial: Buffer.from(card.pan.slice(-6), 'hex'), publicKey: publicKeyOf(icc) },
    staticDataToAuthenticate(provisional),
  );
  return { ...provisional, oda: { ...provisional.oda!, iccCertificate: hex(iccCertificate.certificate), iccRemainder: hex(iccCertificate.remainder) } };
}

const cards = deck.cards.filter((card) => card.chip !== undefined).map(personalise);
writeFileSync(paths.pki, `${JSON.stringify(pki, null, 2)}\n`);
writeFileSync(
  paths.cards,
  `${JSON.stringify(
    {
      description:
        'TEST DATA ONLY, generated by scripts/emv-test-pki.ts (npm run emv:personalise) from test-cards.json and config/host.json: the card images of the virtual EMV cards (payments/emv/card/). Keys, the iCVV and the ICC private keys are in clear because these cards are test cards; docs/chip-and-contactless.md says how to personalise another.',
      cards,
    },
    null,
    2,
  )}\n`,
);
const caKeys = Object.entries(pki.certificationAuthorities).map(([rid, jwk]) => {
  const { modulus, exponent } = publicKeyOf(jwk);
  return { rid, index: TEST_CA_INDEX, modulus: hex(modulus), exponent: hex(exponent), expiry: CA_EXPIRY, checksum: hex(caKeyChecksum({ rid, index: TEST_CA_INDEX, modulus, exponent })) };
});
writeFileSync(
  paths.caPublic,
  `${JSON.stringify({ description: 'TEST CA public keys of the station test PKI (scripts/emv-test-pki.ts), by RID and index F1. Only the test deck\'s virtual cards chain to them.', keys: caKeys }, null, 2)}\n`,
);
console.log(`personalised ${cards.length} chip cards; ${caKeys.length} test CA keys`);
