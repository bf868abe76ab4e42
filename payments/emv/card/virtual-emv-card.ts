/**
 * A virtual EMV card: the card-side payment application, answering APDUs as a real chip does and
 * computing its cryptograms for real (its cryptogram version, crypto/cryptogram-versions.ts).
 *
 *   SELECT         1PAY.SYS.DDF01 (PSE, contact) / 2PAY.SYS.DDF01 (PPSE, contactless) / an AID
 *   GET PROCESSING OPTIONS   contact: AIP + AFL (format 1); contactless (qVSDC / qUICS): the ARQC
 *                  itself with AIP, AFL, track 2 equivalent and CTQ (format 2). The ATC counts here.
 *   READ RECORD    SFI 1 records 1–2 (record 1 signed for ODA)
 *   GET DATA       9F36 ATC, 9F13 last online ATC, 9F17 PIN try counter
 *   INTERNAL AUTHENTICATE    DDA signature over the DDOL data
 *   GENERATE AC    first (CDOL1): ARQC, or AAC when asked; second (CDOL2): TC or AAC
 *   EXTERNAL AUTHENTICATE    tag 91 for the cards whose AIP says so
 *   PUT DATA, APPLICATION BLOCK   issuer script commands, MAC-checked (secure messaging)
 *
 * Card state that outlives a transaction (ATC, last online ATC, blocked) goes to a CardStateStore,
 * so a card's ATC keeps counting across runs as a real card's does.
 */
import { AC_TYPE_BITS, acTypeOf, PPSE_NAME, PSE_NAME, type AcType } from '../emv-names.ts';
import { sameBytes, type AcData } from '../crypto/cryptogram-versions.ts';
import { signDynamicData } from '../crypto/oda-certificates.ts';
import { buildTlv, encodeDol, encodeTlv, splitDolData } from '../tlv.ts';
import { ApduFormatError, decodeCommand, encodeResponse, SW, type CommandApdu } from './apdu.ts';
import {
  AFL,
  applicationInterchangeProfile,
  CDOL1,
  cdol2,
  CONTACTLESS_PDOL,
  DDOL,
  iccPrivateKeyOf,
  records,
  usesExternalAuthenticate,
  versionOf,
  type ChipApplication,
  type ChipCardImage,
} from './card-image.ts';

export interface CardState {
  atc: number;
  lastOnlineAtc: number;
  blocked: boolean;
}

export interface CardStateStore {
  load(cardId: string): CardState | undefined;
  save(cardId: string, state: CardState): void;
}

/** A store that forgets: for tests that start every card afresh. */
export function memoryCardStateStore(): CardStateStore {
  const states = new Map<string, CardState>();
  return { load: (id) => (states.has(id) ? { ...states.get(id)! } : undefined), save: (id, state) => void states.set(id, { ...state }) };
}

export type CardInterface = 'contact' | 'contactless';

/** What anything holding a card (a CCID slot) needs: reset and exchange APDUs. */
export interface SmartCard {
  /** Answer to reset; undefined when the chip stays mute. */
  powerOn(cardInterface: CardInterface): Buffer | undefined;
  powerOff(): void;
  transmit(command: Uint8Array): Buffer;
}

/** The ATC is two bytes; a card that has used its last value blocks rather than wrap to 0 (every issuer would see a replay). */
const MAX_ATC = 0xffff;

/** A T=0 ATR: TS 3B, T0 with 2 historical bytes. */
const ATR = Buffer.from('3B6800000073C84013009000', 'hex');


interface Transaction {
  application: ChipApplication;
  gpoDone: boolean;
  firstAc?: { type: AcType; cryptogram: Buffer; unpredictableNumber: Buffer };
  issuerAuthentication: 'not_performed' | 'passed' | 'failed';
  secondAcDone: boolean;
}

export class VirtualEmvCard implements SmartCard {
  readonly image: ChipCardImage;
  readonly #store: CardStateStore;
  #state: CardState;
  #interface: CardInterface | undefined;
  #transaction: Transaction | undefined;

  constructor(image: ChipCardImage, store: CardStateStore) {
    this.image = image;
    this.#store = store;
    this.#state = store.load(image.cardId) ?? { atc: 0, lastOnlineAtc: 0, blocked: Boolean(image.faults?.applicationBlocked) };
  }

  get state(): Readonly<CardState> {
    return this.#state;
  }

  powerOn(cardInterface: CardInterface): Buffer | undefined {
    if (this.image.faults?.mute || !this.image.interfaces[cardInterface]) return undefined;
    this.#interface = cardInterface;
    this.#transaction = undefined;
    return Buffer.from(ATR);
  }

  powerOff(): void {
    this.#interface = undefined;
    this.#transaction = undefined;
  }

  transmit(bytes: Uint8Array): Buffer {
    if (this.#interface === undefined) throw new Error('card is not powered');
    let command: CommandApdu;
    try {
      command = decodeCommand(bytes);
    } catch (error) {
      if (error instanceof ApduFormatError) return encodeResponse(Buffer.alloc(0), SW.wrongLength);
      throw error;
    }
    const { data, sw } = this.#dispatch(command);
    return encodeResponse(data, sw);
  }

  #dispatch(command: CommandApdu): { data: Buffer; sw: number } {
    const key = `${command.cla.toString(16).padStart(2, '0')}${command.ins.toString(16).padStart(2, '0')}`;
    switch (key) {
      case '00a4':
        return this.#select(command);
      case '80a8':
        return this.#getProcessingOptions(command);
      case '00b2':
        return this.#readRecord(command);
      case '80ca':
        return this.#getData(command);
      case '0088':
        return this.#internalAuthenticate(command);
      case '80ae':
        return this.#generateAc(command);
      case '0082':
        return this.#externalAuthenticate(command);
      case '04da':
        return this.#putData(command);
      case '841e':
        return this.#applicationBlock(command);
      default:
        return fail(command.cla === 0x00 || command.cla === 0x80 || command.cla === 0x84 || command.cla === 0x04 ? SW.insNotSupported : SW.claNotSupported);
    }
  }

  #select(command: CommandApdu): { data: Buffer; sw: number } {
    this.#transaction = undefined;
    const name = command.data;
    if (name.equals(PSE_NAME) || name.equals(PPSE_NAME)) {
      if (name.equals(PSE_NAME) !== (this.#interface === 'contact')) return fail(SW.fileNotFound);
      const entries = this.image.applications.map((app) =>
        encodeTlv('61', buildTlv([['4F', Buffer.from(app.aid, 'hex')], ['50', Buffer.from(app.label, 'ascii')], ['87', Buffer.from([app.priority])]])),
      );
      // The PSE's directory lives in records (SFI 1 in the FCI's 88); the PPSE lists the applications in its FCI.
      const proprietary = name.equals(PSE_NAME) ? encodeTlv('88', Buffer.from([0x01])) : encodeTlv('BF0C', Buffer.concat(entries));
      return ok(encodeTlv('6F', Buffer.concat([encodeTlv('84', name), encodeTlv('A5', proprietary)])));
    }
    const application = this.image.applications.find((app) => Buffer.from(app.aid, 'hex').equals(name));
    if (!application) return fail(SW.fileNotFound);
    const fci = encodeTlv(
      '6F',
      Buffer.concat([
        encodeTlv('84', name),
        encodeTlv(
          'A5',
          buildTlv([
            ['50', Buffer.from(application.label, 'ascii')],
            ['87', Buffer.from([application.priority])],
            ...(this.#interface === 'contactless' ? ([['9F38', encodeDol(CONTACTLESS_PDOL)]] as const) : []),
            ['5F2D', Buffer.from('zhen', 'ascii')],
          ]),
        ),
      ]),
    );
    if (this.#state.blocked) return { data: fci, sw: SW.selectedFileInvalidated };
    this.#transaction = { application, gpoDone: false, issuerAuthentication: 'not_performed', secondAcDone: false };
    return ok(fci);
  }

  /** The PSE directory record (SFI 1 record 1) when the PSE is selected on the contact interface. */
  #pseRecord(): Buffer {
    return encodeTlv(
      '70',
      Buffer.concat(this.image.applications.map((app) => encodeTlv('61', buildTlv([['4F', Buffer.from(app.aid, 'hex')], ['50', Buffer.from(app.label, 'ascii')], ['87', Buffer.from([app.priority])]])))),
    );
  }

  #getProcessingOptions(command: CommandApdu): { data: Buffer; sw: number } {
    const transaction = this.#transaction;
    if (!transaction || transaction.gpoDone) return fail(SW.conditionsOfUseNotSatisfied);
    if (command.data[0] !== 0x83) return fail(SW.wrongData);
    const pdolData = command.data.subarray(2, 2 + command.data[1]!);
    if (this.#state.atc >= MAX_ATC) {
      // The counter never wraps: a card at its last ATC blocks its application for good.
      this.#state.blocked = true;
      this.#persist();
      return fail(SW.conditionsOfUseNotSatisfied);
    }
    this.#state.atc += 1;
    this.#persist();
    transaction.gpoDone = true;
    const aip = applicationInterchangeProfile(this.image);
    if (this.#interface === 'contact') {
      if (pdolData.length !== 0) return fail(SW.wrongLength);
      return ok(encodeTlv('80', Buffer.concat([aip, AFL])));
    }
    let values: Map<string, Buffer>;
    try {
      values = splitDolData(CONTACTLESS_PDOL, pdolData);
    } catch {
      return fail(SW.wrongLength);
    }
    // qVSDC / qUICS online: the cryptogram comes with GPO. CVM: the reader's TTQ says a CVM is
    // required (byte 2 bit 7) and the card asks for online PIN in its CTQ (byte 1 bit 8).
    const ttq = values.get('9F66')!;
    const cvmRequired = (ttq[1]! & 0x40) !== 0;
    const ctq = Buffer.from([cvmRequired ? 0x80 : 0x00, 0x00]);
    const atc = this.#atcBytes();
    const iad = versionOf(this.image).issuerApplicationData(this.image.dki, this.#cvr('ARQC', 'ARQC_ONLY'));
    const un = values.get('9F37')!;
    const cryptogram = this.#cryptogram(values, atc, iad, aip);
    transaction.firstAc = { type: 'ARQC', cryptogram, unpredictableNumber: un };
    return ok(
      encodeTlv(
        '77',
        buildTlv([
          ['82', aip],
          ['94', Buffer.from([0x08, 0x01, 0x01, 0x00])],
          ['9F36', atc],
          ['9F27', Buffer.from([AC_TYPE_BITS.ARQC])],
          ['9F26', cryptogram],
          ['9F10', iad],
          // Track 2 equivalent data and the PAN sequence number come in record 1 (the AFL), not here twice.
          ['9F6C', ctq],
        ]),
      ),
    );
  }

  #readRecord(command: CommandApdu): { data: Buffer; sw: number } {
    const sfi = command.p2 >> 3;
    const record = command.p1;
    if ((command.p2 & 0x07) !== 0x04 || sfi !== 1) return fail(SW.fileNotFound);
    if (!this.#transaction) return record === 1 && this.#interface === 'contact' ? ok(this.#pseRecord()) : fail(SW.conditionsOfUseNotSatisfied);
    if (!this.#transaction.gpoDone) return fail(SW.conditionsOfUseNotSatisfied);
    const body = records(this.image)[record - 1];
    return body ? ok(encodeTlv('70', body)) : fail(SW.recordNotFound);
  }

  #getData(command: CommandApdu): { data: Buffer; sw: number } {
    const tag = ((command.p1 << 8) | command.p2).toString(16).toUpperCase();
    if (tag === '9F36') return ok(encodeTlv('9F36', this.#atcBytes()));
    if (tag === '9F13') return ok(encodeTlv('9F13', Buffer.from([this.#state.lastOnlineAtc >> 8, this.#state.lastOnlineAtc & 0xff])));
    if (tag === '9F17') return ok(encodeTlv('9F17', Buffer.from([0x03])));
    return fail(SW.referencedDataNotFound);
  }

  #internalAuthenticate(command: CommandApdu): { data: Buffer; sw: number } {
    const key = iccPrivateKeyOf(this.image);
    if (!key || !this.#transaction?.gpoDone) return fail(SW.conditionsOfUseNotSatisfied);
    if (command.data.length !== DDOL.reduce((sum, entry) => sum + entry.length, 0)) return fail(SW.wrongLength);
    // ICC dynamic data: the ICC dynamic number (length + 2 bytes: the ATC here, unique per transaction).
    const dynamicNumber = Buffer.concat([Buffer.from([0x02]), this.#atcBytes()]);
    const length = Buffer.from(key.n, 'base64url').length;
    return ok(encodeTlv('80', signDynamicData(key, length, dynamicNumber, Buffer.from(command.data))));
  }

  #generateAc(command: CommandApdu): { data: Buffer; sw: number } {
    const transaction = this.#transaction;
    if (!transaction?.gpoDone || transaction.secondAcDone || this.#interface !== 'contact') return fail(SW.conditionsOfUseNotSatisfied);
    // P1 bits 11 are reserved (Book 3 Table 12).
    if ((command.p1 & 0xc0) === 0xc0) return fail(SW.wrongData);
    const requested = acTypeOf(command.p1);
    const aip = applicationInterchangeProfile(this.image);
    const atc = this.#atcBytes();
    if (!transaction.firstAc) {
      let values: Map<string, Buffer>;
      try {
        values = splitDolData(CDOL1, command.data);
      } catch {
        return fail(SW.wrongLength);
      }
      // Card action analysis: an online-only card answers ARQC unless the terminal declines (AAC).
      const type: AcType = requested === 'AAC' ? 'AAC' : 'ARQC';
      const iad = versionOf(this.image).issuerApplicationData(this.image.dki, this.#cvr(type, undefined));
      const cryptogram = this.#cryptogram(values, atc, iad, aip);
      transaction.firstAc = { type, cryptogram, unpredictableNumber: values.get('9F37')! };
      if (type === 'AAC') transaction.secondAcDone = true;
      return ok(this.#acResponse(type, atc, cryptogram, iad));
    }
    if (transaction.firstAc.type !== 'ARQC') return fail(SW.conditionsOfUseNotSatisfied);
    let values: Map<string, Buffer>;
    try {
      values = splitDolData(cdol2(this.image), command.data);
    } catch {
      return fail(SW.wrongLength);
    }
    const arc = values.get('8A')!;
    const issuerData = values.get('91');
    if (issuerData && !issuerData.equals(Buffer.alloc(issuerData.length))) transaction.issuerAuthentication = this.#checkIssuerData(issuerData) ? 'passed' : 'failed';
    const approved = arc.equals(Buffer.from('00', 'ascii')) || arc.equals(Buffer.from('3030', 'hex'));
    const onlineCompleted = !arc.equals(Buffer.from('Z3', 'ascii')) && !arc.equals(Buffer.from('Y3', 'ascii'));
    // The card refuses when the terminal declines, when the issuer did not authenticate itself, or
    // when it is personalised to refuse at completion.
    const type: AcType =
      requested === 'TC' && approved && transaction.issuerAuthentication !== 'failed' && !this.image.faults?.declinesAtCompletion ? 'TC' : 'AAC';
    if (onlineCompleted && transaction.issuerAuthentication === 'passed') {
      this.#state.lastOnlineAtc = this.#state.atc;
      this.#persist();
    }
    transaction.secondAcDone = true;
    const first = transaction.firstAc;
    const iad = versionOf(this.image).issuerApplicationData(this.image.dki, this.#cvr(type, 'ARQC'));
    const data = new Map(values);
    data.set('9F37', values.get('9F37') ?? first.unpredictableNumber);
    // The second AC covers the first's transaction data with the updated TVR and CVR.
    const cryptogram = this.#cryptogram(new Map([...this.#lastCdol1, ...data]), atc, iad, aip);
    return ok(this.#acResponse(type, atc, cryptogram, iad));
  }

  #lastCdol1 = new Map<string, Buffer>();

  #cryptogram(values: Map<string, Buffer>, atc: Buffer, iad: Buffer, aip: Buffer): Buffer {
    if (this.#lastCdol1.size === 0 || values.has('9F02')) this.#lastCdol1 = new Map(values);
    const v = (tag: string, length: number) => values.get(tag) ?? this.#lastCdol1.get(tag) ?? Buffer.alloc(length);
    const data: AcData = {
      amount: v('9F02', 6),
      amountOther: v('9F03', 6),
      terminalCountry: v('9F1A', 2),
      tvr: v('95', 5),
      currency: v('5F2A', 2),
      date: v('9A', 3),
      type: v('9C', 1),
      unpredictableNumber: v('9F37', 4),
      aip,
      atc,
      iad,
    };
    return versionOf(this.image).applicationCryptogram(Buffer.from(this.image.keys.ac, 'hex'), data);
  }

  #acResponse(type: AcType, atc: Buffer, cryptogram: Buffer, iad: Buffer): Buffer {
    return encodeTlv('80', Buffer.concat([Buffer.from([AC_TYPE_BITS[type]]), atc, cryptogram, iad]));
  }

  /**
   * The card verification results this station's cards keep (Visa-style bytes; M/Chip cards carry
   * six): byte 1 bits 8–7 the type of the second AC (00 AAC, 01 TC, 10 not asked), bits 6–5 the
   * first (00 AAC, 01 TC, 10 ARQC), bit 4 issuer authentication failed; the rest zero.
   */
  #cvr(type: AcType, first: AcType | 'ARQC_ONLY' | undefined): Buffer {
    const code = (ac: AcType) => (ac === 'AAC' ? 0 : ac === 'TC' ? 1 : 2);
    const firstType = first === undefined ? type : first === 'ARQC_ONLY' ? 'ARQC' : first;
    const second = first === undefined || first === 'ARQC_ONLY' ? 2 : code(type);
    const failed = this.#transaction?.issuerAuthentication === 'failed' ? 0x08 : 0;
    const byte1 = (second << 6) | (code(firstType) << 4) | failed;
    return this.image.cryptogramVersion === 'mastercard-cvn16' ? Buffer.from([byte1, 0, 0, 0, 0, 0]) : Buffer.from([0x03, byte1, 0x00, 0x00]);
  }

  #checkIssuerData(issuerData: Buffer): boolean {
    const first = this.#transaction?.firstAc;
    if (!first) return false;
    const version = versionOf(this.image);
    const mkAc = Buffer.from(this.image.keys.ac, 'hex');
    const atc = this.#atcBytes();
    try {
      const expected =
        version.arpcMethod === 1
          ? version.issuerAuthenticationData(mkAc, first.cryptogram, { atc, unpredictableNumber: first.unpredictableNumber }, { method: 1, arc: issuerData.subarray(8, 10) })
          : version.issuerAuthenticationData(mkAc, first.cryptogram, { atc, unpredictableNumber: first.unpredictableNumber }, { method: 2, csu: issuerData.subarray(4, 8), proprietary: issuerData.subarray(8) });
      return sameBytes(expected, issuerData);
    } catch {
      return false;
    }
  }

  #externalAuthenticate(command: CommandApdu): { data: Buffer; sw: number } {
    const transaction = this.#transaction;
    if (!usesExternalAuthenticate(this.image) || !transaction?.firstAc || transaction.issuerAuthentication !== 'not_performed') return fail(SW.conditionsOfUseNotSatisfied);
    const passed = this.#checkIssuerData(Buffer.from(command.data));
    transaction.issuerAuthentication = passed ? 'passed' : 'failed';
    return passed ? ok(Buffer.alloc(0)) : fail(SW.authenticationFailed);
  }

  /** Secure messaging: the last 4 or 8 bytes of the data are the MAC over header, ATC, ARQC and the rest. */
  #checkScriptMac(command: CommandApdu): Buffer | undefined {
    const first = this.#transaction?.firstAc;
    if (!first) return undefined;
    const version = versionOf(this.image);
    const macLength = version.scriptMacLength;
    if (command.data.length < macLength) return undefined;
    const plain = command.data.subarray(0, command.data.length - macLength);
    const header = Buffer.from([command.cla, command.ins, command.p1, command.p2, command.data.length]);
    const expected = version.scriptMac(Buffer.from(this.image.keys.smi, 'hex'), { header, data: plain }, this.#atcBytes(), first.cryptogram);
    return sameBytes(expected.subarray(0, macLength), command.data.subarray(plain.length)) ? Buffer.from(plain) : undefined;
  }

  #putData(command: CommandApdu): { data: Buffer; sw: number } {
    const plain = this.#checkScriptMac(command);
    if (!plain) return fail(SW.securityStatusNotSatisfied);
    // Updatable data objects of this card: none changes its behaviour, but the write is accepted as on a real card.
    return ok(Buffer.alloc(0));
  }

  #applicationBlock(command: CommandApdu): { data: Buffer; sw: number } {
    if (!this.#checkScriptMac(command)) return fail(SW.securityStatusNotSatisfied);
    this.#state.blocked = true;
    this.#persist();
    return ok(Buffer.alloc(0));
  }

  #atcBytes(): Buffer {
    return Buffer.from([this.#state.atc >> 8, this.#state.atc & 0xff]);
  }

  #persist(): void {
    this.#store.save(this.image.cardId, this.#state);
  }
}

function ok(data: Buffer): { data: Buffer; sw: number } {
  return { data, sw: SW.ok };
}

function fail(sw: number): { data: Buffer; sw: number } {
  return { data: Buffer.alloc(0), sw };
}
