/**
 * The counter PC: one station per data directory (a second start is refused in one line naming the
 * directory and the holder's PID, and the first keeps selling), a kill -9 leaves the directory free
 * for the next start at once, and two stations on two directories share one host only under
 * different terminal IDs (the host refuses a second sign-on of one ID and logs a risk event). The
 * stations that use the first one's host are enrolled with it over the documented command
 * (`npm run bank -- enrol`), as a station of a host elsewhere is: the link is TLS with client certificates.
 *
 * Those start extra browser-target stations as processes, so they run on the browser target only.
 * On the Electron target, a second launch of the app on the data directory hands over to the first
 * and quits (wherever the Electron binary exists; elsewhere it reports as skipped).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { findElectronBinary } from '../../scripts/electron-binary.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { probeLock } from '../../common-node/exclusive-lock.ts';
import { stationTlsDir } from '../../main/acquirer/link-security.ts';
import { DEFAULT_STATION_CONFIG, type StationConfig } from '../../main/config/station-config.ts';
import { REPO_ROOT } from './fixtures/browser-station-process.ts';
import { CheckoutPage } from './fixtures/checkout-page.ts';
import { SimulatorPanel } from './fixtures/simulator-panel.ts';
import { expect, test } from './fixtures/station.ts';

interface StationProcess {
  readonly pid: number;
  readonly output: string[];
  readonly stderr: string[];
  /** The URLs once STATION_READY is printed; rejects if the process exits first. */
  readonly ready: Promise<{ checkoutUrl: string; simulatorUrl: string }>;
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

const started: StationProcess[] = [];
test.afterEach(async () => {
  await Promise.all(started.splice(0).map((station) => station.kill('SIGTERM')));
});

function startStation(dataDir: string): StationProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'main', 'station-server', 'start.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, POS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ checkoutUrl: string; simulatorUrl: string }>((resolve, reject) => {
    const collect = (into: string[]) => (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        into.push(line);
        if (into !== output) output.push(line);
        if (!line.startsWith('STATION_READY ')) continue;
        const { pages } = JSON.parse(line.slice('STATION_READY '.length)) as { pages: Record<string, string> };
        resolve({ checkoutUrl: pages['index.html']!, simulatorUrl: pages['simulator.html']! });
      }
    };
    child.stdout.on('data', collect(output));
    child.stderr.on('data', collect(stderr));
    void exited.then((code) => reject(new Error(`station exited with ${code}:\n${output.join('\n')}`)));
  });
  ready.catch(() => undefined);
  const station: StationProcess = {
    pid: child.pid!,
    output,
    stderr,
    ready,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  started.push(station);
  return station;
}

function dataDirWith(config: StationConfig): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-counter-'));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'station.json'), JSON.stringify(config, null, 2));
  return dataDir;
}

/** Enrols a station (its data directory) with the host of another, as an operator would: the host's `enrol` command. */
async function enrolWithHost(hostDataDir: string, terminalId: string, stationDataDir: string): Promise<void> {
  const enrolment = spawn(process.execPath, [join(REPO_ROOT, 'bank', 'bank-host.ts'), 'enrol', '--terminal', terminalId, '--out', stationTlsDir(stationDataDir), '--data', join(hostDataDir, 'bank')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  enrolment.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(enrolment, 'exit')) as [number | null];
  expect(code, stderr).toBe(0);
}

async function openStation(browser: Browser, urls: { checkoutUrl: string; simulatorUrl: string }): Promise<{ checkout: CheckoutPage; simulator: SimulatorPanel; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const checkout = await context.newPage();
  const simulator = await context.newPage();
  await checkout.goto(urls.checkoutUrl);
  await simulator.goto(urls.simulatorUrl);
  return { checkout: new CheckoutPage(checkout), simulator: new SimulatorPanel(simulator), close: () => context.close() };
}

async function sellCoffee(checkout: CheckoutPage, simulator: SimulatorPanel): Promise<void> {
  // Pages opened here, outside the station fixture, start at the sign-in gate like any new till.
  await checkout.ensureReady();
  await checkout.addToCart('COF-001');
  await checkout.payByCard();
  await simulator.swipe('unionpay-debit-approved');
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('123456');
  await checkout.expectStep('approved');
  await checkout.newSale();
}

const bundledHostPort = (output: readonly string[]) => {
  const line = output.find((candidate) => /^acquirer host: 127\.0\.0\.1:\d+ \(bundled\)$/.test(candidate));
  return line === undefined ? undefined : Number(/:(\d+) /.exec(line)?.[1]);
};

test.describe('browser target', () => {
  test.skip(({ target }) => target !== 'browser', 'starts browser-target stations as processes: browser target only');

  test('a second station on the same data directory is refused in one line, and the first keeps selling', async ({ station }) => {
    const holder = probeLock(join(station.dataDir, 'station.lock'));
    expect(holder).toMatchObject({ held: true, holderPid: expect.any(Number) });
    const second = startStation(station.dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output).toEqual([
      `The station could not start: the data directory ${station.dataDir} is in use by another station (PID ${holder.held ? holder.holderPid : '?'})`,
    ]);
    await sellCoffee(station.checkout, station.simulator);
  });

  test('after a kill -9 the data directory is free at once, and the next start recovers and sells', async ({ browser }) => {
    const dataDir = dataDirWith(DEFAULT_STATION_CONFIG);
    const first = startStation(dataDir);
    await first.ready;
    await first.kill('SIGKILL');
    const second = startStation(dataDir);
    const pages = await openStation(browser, await second.ready);
    await sellCoffee(pages.checkout, pages.simulator);
    await pages.close();
  });

  test('two stations share a host under different terminal IDs; a third signing on with a taken ID is refused and logged as a risk event', async ({ browser }) => {
    const firstDir = dataDirWith(DEFAULT_STATION_CONFIG);
    const first = startStation(firstDir);
    await first.ready;
    const port = bundledHostPort(first.output);
    expect(port).toBeDefined();
    await expect.poll(() => first.output.some((line) => /\[host\].* 0800 .*tid=POS00001 .*rc=00 .*\(sign-on\)/.test(line))).toBe(true);

    const onFirstHost = (terminalId: string): StationConfig => ({
      ...DEFAULT_STATION_CONFIG,
      merchant: { ...DEFAULT_STATION_CONFIG.merchant, terminalId },
      acquirer: { ...DEFAULT_STATION_CONFIG.acquirer, mode: 'remote', port: port! },
    });
    const secondDir = dataDirWith(onFirstHost('POS00002'));
    await enrolWithHost(firstDir, 'POS00002', secondDir);
    const second = startStation(secondDir);
    const secondPages = await openStation(browser, await second.ready);
    await sellCoffee(secondPages.checkout, secondPages.simulator);
    await secondPages.close();

    // Enrolled as POS00001 too: the certificate is good, the host refuses the second sign-on of the ID.
    const thirdDir = dataDirWith(onFirstHost('POS00001'));
    await enrolWithHost(firstDir, 'POS00001', thirdDir);
    const third = startStation(thirdDir);
    await third.ready;
    await expect.poll(() => third.output.some((line) => line.includes('acquirer link: sign-on refused (0810 DE39 58)'))).toBe(true);
    await expect.poll(() => first.output.some((line) => /\[host\] .*risk event: terminal POS00001 sign-on from 127\.0\.0\.1:\d+ refused: already signed on from/.test(line))).toBe(true);

    const firstPages = await openStation(browser, await first.ready);
    await sellCoffee(firstPages.checkout, firstPages.simulator);
    await firstPages.close();
  });
});

test.describe('Electron', () => {
  test.skip(({ target }) => target !== 'electron', 'launches the Electron app a second time: Electron target only');

  test('a second launch on the same data directory hands over to the first and quits; the first keeps selling', async ({ station }) => {
    const electron = findElectronBinary();
    if (!electron.available) throw new Error(electron.reason);
    // As Playwright does for the first: Chromium's sandbox needs a user namespace that root does not get.
    const args = [REPO_ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    const second = spawn(electron.path, args, { cwd: REPO_ROOT, env: { ...process.env, POS_DATA_DIR: station.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    second.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    second.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain(`another POS Station runs on ${station.dataDir}; it comes to the front instead`);
    await sellCoffee(station.checkout, station.simulator);
  });
});
