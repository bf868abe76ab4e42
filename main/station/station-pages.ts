/**
 * The station's pages, one table for both shells: each page of the renderer and the one contract it
 * may use. The station server gives every page its own token, which opens that page's socket and no
 * other; the Electron shell binds each contract to its page's window. A page that is not in the
 * table is not served at all: a station with real devices only (devices mode "usb") has no
 * simulated-devices page and no simulator socket.
 *
 * Adding a page is one entry here: its path in the built renderer, its contract and whether it may
 * change anything. A display-only page (the customer display) is `changesState: false`; its
 * connection carries the contract's events, replayed state first, and every call is refused as
 * forbidden before any handler sees it, whatever the contract declares.
 */
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import type { Contract } from '../../common/ipc/define-contract.ts';
import { displayContract } from '../../common/ipc/display-contract.ts';
import { fail } from '../../common/ipc/result.ts';
import { simulatorContract } from '../../common/ipc/simulator-contract.ts';
import type { StationConfig } from '../config/station-config.ts';
import type { Dispatch } from '../ipc/dispatcher.ts';
import type { EventSink } from '../ipc/event-bus.ts';
import type { Station } from './station.ts';

/** A contract as the station serves it: calls go to the dispatcher, events come from the bus. */
export interface ServedContract {
  readonly dispatch: Dispatch;
  readonly events: { connect(sink: EventSink): () => void };
}

export interface StationPage {
  /** The page's file in the built renderer: "index.html", "simulator.html". */
  readonly path: string;
  /** Who the page is for, in the station's start-up lines: "checkout", "simulated devices". */
  readonly label: string;
  /** The one contract the page may use; its name is the socket path (/ws/<name>) and the IPC channel prefix. */
  readonly contract: Contract;
  readonly served: ServedContract;
  /** False for a page that only shows the station's state: it gets events, and every call is refused. */
  readonly changesState: boolean;
}

/** The pages this station serves, checkout first. */
export function stationPages(station: Pick<Station, 'checkout' | 'simulator' | 'display'>, config: Pick<StationConfig, 'devices'>): readonly StationPage[] {
  return [
    page({ path: 'index.html', label: 'checkout', contract: checkoutContract, served: station.checkout, changesState: true }),
    // The screen facing the customer: shows the sale and the tender, can change nothing.
    page({ path: 'display.html', label: 'customer display', contract: displayContract, served: station.display, changesState: false }),
    // Real devices only: nothing to simulate, and nobody may press a PIN pad key from a web page.
    ...(config.devices.mode === 'usb' ? [] : [page({ path: 'simulator.html', label: 'simulated devices', contract: simulatorContract, served: station.simulator, changesState: true })]),
  ];
}

/** The table's one rule, applied once for both shells: a display-only page's calls never reach a handler. */
export function page(entry: StationPage): StationPage {
  if (entry.changesState) return entry;
  const refuse: Dispatch = (method) =>
    Promise.resolve(fail('forbidden', `the ${entry.label} page only shows the station's state; it may not call ${JSON.stringify(String(method)).slice(0, 80)}`));
  return { ...entry, served: { dispatch: refuse, events: entry.served.events } };
}
