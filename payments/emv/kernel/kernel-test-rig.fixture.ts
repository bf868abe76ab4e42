/**
 * Test support for the kernel: the deck's virtual cards held directly (no reader), ports that
 * record what the kernel asked, and an issuer stand-in that checks the ARQC with the card image's
 * own keys and answers with an ARPC. (The bundled host, with its issuer master keys, is tested
 * over TCP in test/unit/emv-insert-and-tap.test.ts.)
 */
import { join } from 'node:path';
import { money } from '../../../common/money.ts';
import { decodeResponse } from '../card/apdu.ts';
import { loadChipCardImages } from '../card/chip-card-images.ts';
import type { ChipCardImage } from '../card/card-image.ts';
import { memoryCardStateStore, VirtualEmvCard, type CardInterface, type CardStateStore } from '../card/virtual-emv-card.ts';
import { CRYPTOGRAM_VERSIONS, cryptogramVersionOf, macedScriptCommand, sameBytes } from '../crypto/cryptogram-versions.ts';
import { flattenTlv, parseTlv } from '../tlv.ts';
import { loadCaPublicKeys } from './ca-public-keys.ts';
import { CardMuteError, CardRemovedError, type AuthorizationResponse, type CardholderMessage, type CardTransport, type KernelPorts, type OnlineRequest, type PinEntryResult } from './ports.ts';
import { CHINA_TERMINAL_DEFAULTS } from './terminal-config.ts';
import { runContactTransaction } from './contact-kernel.ts';
import { runContactlessTransaction } from './contactless-kernel.ts';

export const CHIP_CARDS_PATH = join(import.meta.dirname, '..', '..', '..', 'bank', 'deck', 'chip-cards.json');
const images = loadChipCardImages(CHIP_CARDS_PATH);
export const caKeys = loadCaPublicKeys();
export const config = CHINA_TERMINAL_DEFAULTS;
export const cny = (amountMinor: number) => money(amountMinor, 'CNY');

export function image(id: string): ChipCardImage {
  const found = images.find((card) => card.cardId === id);
  if (!found) throw new Error(`no chip card ${id}`);
  return found;
}

/** A card held in the hand: powered on the interface, APDUs straight to it; `removeAfter` pulls it after n commands. */
export function heldCard(id: string, cardInterface: CardInterface, options: { store?: CardStateStore; removeAfter?: number } = {}) {
  const card = new VirtualEmvCard(image(id), options.store ?? memoryCardStateStore());
  const atr = card.powerOn(cardInterface);
  const commands: Buffer[] = [];
  const transport: CardTransport = {
    async transceive(command) {
      if (atr === undefined) throw new CardMuteError('card does not answer the reset');
      if (options.removeAfter !== undefined && commands.length >= options.removeAfter) throw new CardRemovedError('card removed');
      commands.push(Buffer.from(command));
      return card.transmit(command);
    },
  };
  return { card, transport, commands };
}

export interface Recorded {
  readonly messages: CardholderMessage[];
  readonly requests: OnlineRequest[];
  readonly pinRequests: number[];
  readonly choices: string[][];
}

export interface IssuerBehaviour {
  readonly responseCode?: string;
  readonly tamperArpc?: boolean;
  readonly scripts71?: Buffer[];
  readonly scripts72?: Buffer[];
  readonly unreachable?: boolean;
}

/** An issuer that checks the ARQC under the card image's keys and answers 00, or 82 for a wrong cryptogram. */
export function ports(transport: CardTransport, options: { pin?: PinEntryResult['kind']; choose?: number | 'cancelled'; issuer?: IssuerBehaviour } = {}): { ports: KernelPorts; recorded: Recorded } {
  const recorded: Recorded = { messages: [], requests: [], pinRequests: [], choices: [] };
  return {
    recorded,
    ports: {
      card: transport,
      messages: { show: (message) => void recorded.messages.push(message) },
      pin: {
        async enterOnlinePin(request) {
          recorded.pinRequests.push(request.attempt);
          const kind = options.pin ?? 'entered';
          return kind === 'entered' ? { kind, pinBlock: Buffer.alloc(8, 0x11), ksn: Buffer.alloc(10, 0x22) } : { kind };
        },
      },
      choose: {
        async choose(candidates) {
          recorded.choices.push(candidates.map((candidate) => candidate.label));
          return options.choose ?? 0;
        },
      },
      authorization: {
        async authorize(request) {
          recorded.requests.push(request);
          if (options.issuer?.unreachable) return { kind: 'unreachable' };
          return issue(request, options.issuer ?? {});
        },
      },
    },
  };
}

function issue(request: OnlineRequest, behaviour: IssuerBehaviour): AuthorizationResponse {
  const tags = flattenTlv(parseTlv(request.iccData));
  const card = images.find((candidate) => candidate.pan === request.pan)!;
  const iad = tags.get('9F10')!;
  const version = cryptogramVersionOf(iad)!;
  const arqc = tags.get('9F26')!;
  const mkAc = Buffer.from(card.keys.ac, 'hex');
  const data = {
    amount: tags.get('9F02')!, amountOther: tags.get('9F03')!, terminalCountry: tags.get('9F1A')!, tvr: tags.get('95')!, currency: tags.get('5F2A')!,
    date: tags.get('9A')!, type: tags.get('9C')!, unpredictableNumber: tags.get('9F37')!, aip: tags.get('82')!, atc: tags.get('9F36')!, iad,
  };
  if (!sameBytes(CRYPTOGRAM_VERSIONS[version.id].applicationCryptogram(mkAc, data), arqc)) return { kind: 'response', responseCode: '82' };
  const responseCode = behaviour.responseCode ?? '00';
  const arc = Buffer.from(responseCode, 'ascii');
  let arpc = version.arpcMethod === 1 ? version.issuerAuthenticationData(mkAc, arqc, data, { method: 1, arc }) : version.issuerAuthenticationData(mkAc, arqc, data, { method: 2, csu: Buffer.from(responseCode === '00' ? '00000000' : '00800000', 'hex') });
  if (behaviour.tamperArpc) arpc = Buffer.from(arpc.map((byte, index) => (index === 0 ? byte ^ 0xff : byte)));
  return { kind: 'response', responseCode, approvalCode: '123456', issuerAuthenticationData: arpc, scripts71: behaviour.scripts71, scripts72: behaviour.scripts72 };
}

/** Builds an issuer script command with its secure-messaging MAC, as the issuer would for this card. */
export function scriptCommand(cardId: string, header: Buffer, data: Buffer, request: OnlineRequest): Buffer {
  const card = image(cardId);
  const tags = flattenTlv(parseTlv(request.iccData));
  return macedScriptCommand(CRYPTOGRAM_VERSIONS[card.cryptogramVersion], Buffer.from(card.keys.smi, 'hex'), header, data, tags.get('9F36')!, tags.get('9F26')!);
}

export function statusOf(response: Buffer): number {
  return decodeResponse(response).sw;
}

/** The online request a real kernel run builds for a deck card held directly (the authorization is stopped there). */
export async function onlineRequestOf(cardId: string, cardInterface: CardInterface, amountMinor: number, store?: CardStateStore): Promise<OnlineRequest> {
  const { transport } = heldCard(cardId, cardInterface, store ? { store } : {});
  const rig = ports(transport, { pin: 'entered', issuer: { unreachable: true } });
  const run = { amount: cny(amountMinor), config, caKeys, ports: rig.ports, signal: new AbortController().signal, now: new Date(2026, 10, 21, 10, 0) };
  await (cardInterface === 'contact' ? runContactTransaction(run) : runContactlessTransaction(run));
  const request = rig.recorded.requests[0];
  if (!request) throw new Error(`${cardId}: the kernel sent no authorization request`);
  return request;
}
