/**
 * One token per page and contract, on the running station: the checkout's link opens the checkout's
 * socket and nothing else, the simulated-devices panel's link the simulator's; a page keeps its token
 * where no other page of the shared origin can read it, and none can install a service worker; and
 * a station with real devices only (devices mode "usb", the production set-up) serves no simulator
 * page, script or socket at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STATION_CONFIG } from '../../main/config/station-config.ts';
import { REPO_ROOT, startBrowserStationProcess } from './fixtures/browser-station-process.ts';
import { closePayload, frame, OPCODE, openRawWebSocket, socketUrlOf } from './fixtures/raw-websocket.ts';
import { expect, test } from './fixtures/station.ts';

const tokenOf = (url: string) => new URL(url).hash.slice('#token='.length);

async function expectOpens(socketUrl: string, origin: string): Promise<void> {
  const socket = await openRawWebSocket(socketUrl, origin);
  socket.write(frame({ opcode: OPCODE.close, payload: closePayload(1000) }));
  expect(await socket.ending).toEqual({ closeCode: 1000 });
  socket.destroy();
}

test.describe('pages and their tokens', () => {
  test.skip(({ target }) => target !== 'browser', 'tokens belong to the station server (browser target); Electron binds each contract to its window');

  test("each page's token opens its own socket and no other", async ({ station }) => {
    const pages = station.server?.pages ?? {};
    const checkoutUrl = pages['index.html'] as string;
    const simulatorUrl = pages['simulator.html'] as string;
    const origin = new URL(checkoutUrl).origin;
    expect(tokenOf(checkoutUrl)).not.toBe(tokenOf(simulatorUrl));
    await expect(openRawWebSocket(socketUrlOf(checkoutUrl, 'sim', tokenOf(checkoutUrl)), origin)).rejects.toThrow('403');
    await expect(openRawWebSocket(socketUrlOf(checkoutUrl, 'pos', tokenOf(simulatorUrl)), origin)).rejects.toThrow('403');
    await expectOpens(socketUrlOf(checkoutUrl, 'pos'), origin);
    await expectOpens(socketUrlOf(simulatorUrl, 'sim'), origin);
  });

  test("a page keeps its token in its own history entry: a reload keeps it, the page opened next in the same tab cannot read it, and no page can install a service worker", async ({ browserStation, stationBrowser }) => {
    if (!browserStation?.simulatorUrl || !stationBrowser) throw new Error('the browser target runs a station with its simulated-devices page');
    const context = await stationBrowser.newContext();
    try {
      const tab = await context.newPage();
      // The panel first, then the checkout in the same tab: one origin, one tab, so one sessionStorage.
      await tab.goto(browserStation.simulatorUrl);
      await expect(tab.getByTestId('swipe-unionpay-debit-approved')).toBeVisible();
      await tab.goto(browserStation.checkoutUrl);
      await expect(tab.getByTestId('link-status')).toBeVisible();
      const held = () =>
        tab.evaluate(() => ({
          address: location.href,
          entry: Object.keys((history.state as Record<string, unknown> | null) ?? {}).filter((key) => key.startsWith('pos.stationToken.')),
          stored: [...Object.keys(sessionStorage), ...Object.keys(localStorage)].filter((key) => key.includes('stationToken')),
          text: JSON.stringify(history.state) + JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }),
        }));
      const checkout = await held();
      expect(checkout).toMatchObject({ entry: ['pos.stationToken.pos'], stored: [] });
      expect(checkout.address).not.toContain('#token=');
      expect(checkout.text).not.toContain(tokenOf(browserStation.simulatorUrl));

      // A reload keeps the checkout's socket; going back, the panel still has its own.
      await tab.reload();
      await expect(tab.getByTestId('link-status')).toBeVisible();
      await tab.goBack();
      await expect(tab.getByTestId('swipe-unionpay-debit-approved')).toBeVisible();
      expect((await held()).entry).toEqual(['pos.stationToken.sim']);

      // The CSP allows no worker, and the server gives no script to one.
      const script = await tab.evaluate(() => (document.querySelector('script[type="module"]') as HTMLScriptElement).src);
      const registered = await tab.evaluate((url) => navigator.serviceWorker.register(url, { type: 'module' }).then(() => 'registered', (error: Error) => error.name), script);
      expect(registered).not.toBe('registered');
    } finally {
      await context.close();
    }
  });

  test('a station with real devices only serves no simulated-devices page, script or socket', async () => {
    const station = await startBrowserStationProcess({ stationConfig: { ...DEFAULT_STATION_CONFIG, devices: { ...DEFAULT_STATION_CONFIG.devices, mode: 'usb' } } });
    try {
      expect(Object.keys(station.pages)).toEqual(['index.html', 'display.html']);
      const origin = new URL(station.checkoutUrl).origin;
      expect((await fetch(station.checkoutUrl)).status).toBe(200);
      expect((await fetch(`${origin}/simulator.html`)).status).toBe(404);
      // The built panel's own script, named as the build named it.
      const built = readFileSync(join(REPO_ROOT, '.vite', 'renderer', 'main_window', 'simulator.html'), 'utf8');
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(built)?.[1];
      expect(script).toMatch(/^assets\/simulator-/);
      expect((await fetch(`${origin}/${script}`)).status).toBe(404);
      await expect(openRawWebSocket(socketUrlOf(station.checkoutUrl, 'sim'), origin)).rejects.toThrow('404');
      await expectOpens(socketUrlOf(station.checkoutUrl, 'pos'), origin);
    } finally {
      await station.stop();
    }
  });
});
