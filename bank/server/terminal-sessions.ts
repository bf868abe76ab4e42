/**
 * Which connection each terminal is signed on from. A terminal ID (DE41) names one till to the
 * acquirer: its STANs, its batch, its reversals. Two stations signed on with one ID would mix all
 * three, so a sign-on (0800 DE70 001) for an ID already signed on from another live connection is
 * refused with 58 and reported as a risk event, and every later request for that ID on the refused
 * connection is answered 58 too, unrouted, while the first connection holds it. The first connection
 * carries on untouched. The refused connection stays open (the host closes a connection only when
 * its framing breaks); the station drops it itself after a refused sign-on.
 *
 * "Live" means open and heard from recently: a station echoes (301) after 30 s idle, so a connection
 * silent for longer than `staleAfterMs` belongs to a till that lost power or its network, and a new
 * sign-on for its ID takes over (the old connection is closed) rather than locking the till out.
 */
import { isRequestMti } from '../../payments/iso8583/mti.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import type { RoutedAnswer } from './request-router.ts';
import { buildResponse, echoFieldsFor } from './responses.ts';

/** What the sessions need of a connection. */
export interface TerminalConnection {
  readonly remoteAddress: string;
  readonly isOpen: boolean;
  close(): void;
}

export interface TerminalConflict {
  readonly terminalId: string;
  /** Where the terminal is signed on from, and where the refused sign-on came from. */
  readonly signedOnFrom: string;
  readonly refusedFrom: string;
}

export interface TerminalSessionsOptions {
  readonly now: () => number;
  readonly staleAfterMs: number;
  readonly onConflict: (conflict: TerminalConflict) => void;
  readonly log: (line: string) => void;
}

/** Twice and a half the station's echo interval (main/acquirer/link-monitor.ts ECHO_IDLE_MS). */
export const SESSION_STALE_AFTER_MS = 75_000;

const SIGN_ON = '001';
const SIGN_OFF = '002';

export interface TerminalSessions {
  /** Before a request is routed: the refusal to send instead, or undefined. */
  screen(connection: TerminalConnection, request: IsoMessage): RoutedAnswer | undefined;
  /** After its answer was sent: an approved sign-on binds the terminal to the connection, a sign-off frees it. */
  answered(connection: TerminalConnection, request: IsoMessage, response: IsoMessage): void;
  closed(connection: TerminalConnection): void;
}

export function createTerminalSessions(options: TerminalSessionsOptions): TerminalSessions {
  const signedOn = new Map<string, TerminalConnection>();
  const lastHeard = new Map<TerminalConnection, number>();
  /** Terminal IDs a connection was refused, while another connection holds them. */
  const barred = new Map<TerminalConnection, Set<string>>();
  const networkCode = (message: IsoMessage) => (message.mti === '0800' || message.mti === '0810' ? getText(message, 70) : undefined);

  const isLive = (connection: TerminalConnection) => connection.isOpen && options.now() - (lastHeard.get(connection) ?? 0) <= options.staleAfterMs;

  return {
    screen(connection, request) {
      lastHeard.set(connection, options.now());
      const terminalId = getText(request, 41);
      if (terminalId === undefined || !isRequestMti(request.mti)) return undefined;
      const holder = signedOn.get(terminalId);
      const refuse = (note: string) => ({ response: buildResponse(request, echoFieldsFor(request.mti), RESPONSE_CODE.notPermittedToTerminal), note });
      if (holder === undefined || holder === connection) {
        barred.get(connection)?.delete(terminalId);
        return undefined;
      }
      if (networkCode(request) !== SIGN_ON) {
        return barred.get(connection)?.has(terminalId) && isLive(holder) ? refuse(`terminal signed on from ${holder.remoteAddress}`) : undefined;
      }
      if (!isLive(holder)) {
        options.log(`terminal ${terminalId.trimEnd()} signs on from ${connection.remoteAddress}; its silent connection from ${holder.remoteAddress} is closed`);
        signedOn.delete(terminalId);
        holder.close();
        return undefined;
      }
      options.onConflict({ terminalId, signedOnFrom: holder.remoteAddress, refusedFrom: connection.remoteAddress });
      barred.set(connection, (barred.get(connection) ?? new Set()).add(terminalId));
      return refuse(`terminal already signed on from ${holder.remoteAddress}`);
    },
    answered(connection, request, response) {
      const terminalId = getText(request, 41);
      const code = networkCode(request);
      if (terminalId === undefined || getText(response, 39) !== RESPONSE_CODE.approved) return;
      if (code === SIGN_ON) signedOn.set(terminalId, connection);
      else if (code === SIGN_OFF && signedOn.get(terminalId) === connection) signedOn.delete(terminalId);
    },
    closed(connection) {
      lastHeard.delete(connection);
      barred.delete(connection);
      for (const [terminalId, holder] of signedOn) if (holder === connection) signedOn.delete(terminalId);
    },
  };
}
