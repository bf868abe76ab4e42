/**
 * The browser target's stand-in for the preload: the same named API, built from the same contract
 * with createApi, carried over a WebSocket to the station server instead of Electron IPC.
 */
import { createApi, type ApiOf, type Contract, type ContractTransport } from '../../common/ipc/define-contract.ts';
import { fail } from '../../common/ipc/result.ts';
import { takeStationToken, type TokenEnvironment } from './station-token.ts';
import { createWsTransport, type SocketLike } from './ws-transport.ts';

export interface BrowserEnvironment extends TokenEnvironment {
  readonly location: TokenEnvironment['location'] & Pick<Location, 'protocol' | 'host'>;
  readonly openSocket: (url: string) => SocketLike;
}

/** `/ws/<contract name>` on the page's own origin, ws: or wss: to match http: or https:. */
export function stationSocketUrl(contract: Contract, location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/${encodeURIComponent(contract.name)}?token=${encodeURIComponent(token)}`;
}

export function createBrowserApi<C extends Contract>(contract: C, env: BrowserEnvironment): ApiOf<C> {
  const token = takeStationToken(env, contract.name);
  const transport =
    token === undefined ? tokenlessTransport() : createWsTransport({ url: stationSocketUrl(contract, env.location, token), openSocket: env.openSocket });
  return createApi(contract, transport);
}

/** Without a token the server would refuse the socket anyway; say why instead of retrying forever. */
function tokenlessTransport(): ContractTransport {
  return {
    invoke: () => Promise.resolve(fail('unavailable', 'No station token: open this page with its own link, the one the station server printed for it')),
    subscribe: () => () => undefined,
  };
}
