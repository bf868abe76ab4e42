/** Globals the Electron preload exposes; absent in a plain browser, where the WebSocket bridge stands in. */
import type { CheckoutContract } from '../common/ipc/checkout-contract.ts';
import type { ApiOf } from '../common/ipc/define-contract.ts';
import type { DisplayContract } from '../common/ipc/display-contract.ts';
import type { SimulatorContract } from '../common/ipc/simulator-contract.ts';

declare global {
  interface Window {
    /** The checkout window's API (preload/checkout). */
    readonly pos?: ApiOf<CheckoutContract>;
    /** The simulated-devices window's API (preload/simulator). */
    readonly posSimulator?: ApiOf<SimulatorContract>;
    /** The customer display's API (preload/display): events only. */
    readonly posDisplay?: ApiOf<DisplayContract>;
  }
}

export {};
