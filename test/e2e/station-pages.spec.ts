/**
 * One token per page and contract, on the running station: the checkout's link opens the checkout's
 * socket and nothing else, the simulated-devices panel's link the simulator's; and a station with
 * real devices only (devices mode "usb", the production set-up) serves no simulator page, script or
 * socket at all.
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

  test('a station with real devices only serves no simulated-devices page, script or socket', async () => {
    const station = await startBrowserStationProcess({ stationConfig: { ...DEFAULT_STATION_CONFIG, devices: { ...DEFAULT_STATION_CONFIG.devices, mode: 'usb' } } });
    try {
      expect(Object.keys(station.pages)).toEqual(['index.html']);
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
