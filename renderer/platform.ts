/**
 * Where the renderer gets its API: the preload's `window.pos` / `window.posSimulator` / `window.posDisplay` in Electron,
 * or the WebSocket bridge to the station server in a plain browser. Both have the same shape.
 */
import { checkoutContract, type CheckoutContract } from '../common/ipc/checkout-contract.ts';
import type { ApiOf } from '../common/ipc/define-contract.ts';
import { displayContract, type DisplayContract } from '../common/ipc/display-contract.ts';
import { simulatorContract, type SimulatorContract } from '../common/ipc/simulator-contract.ts';
import { createBrowserApi, type BrowserEnvironment } from './bridge/browser-api.ts';

function browserEnvironment(): BrowserEnvironment {
  return {
    location: window.location,
    history: window.history,
    openSocket: (url) => new WebSocket(url),
  };
}

export function checkoutApi(): ApiOf<CheckoutContract> {
  return window.pos ?? createBrowserApi(checkoutContract, browserEnvironment());
}

export function simulatorApi(): ApiOf<SimulatorContract> {
  return window.posSimulator ?? createBrowserApi(simulatorContract, browserEnvironment());
}

export function customerDisplayApi(): ApiOf<DisplayContract> {
  return window.posDisplay ?? createBrowserApi(displayContract, browserEnvironment());
}
