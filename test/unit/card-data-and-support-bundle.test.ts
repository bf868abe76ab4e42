/**
 * After mixed transactions on a whole station (sales with a wrong PIN first, a decline, a refund, a
 * balance inquiry, a void, a settlement): a support bundle made inside the running station and one
 * made by `npm run support-bundle` hold what support needs (logs, redacted config, versions, devices,
 * the last journal entries masked, the store-and-forward backlog) and never a key, PIN pad key
 * material, a database or a card number; and no file anywhere in the data directory, the log files
 * included, holds a full PAN or track data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_KINDS } from '../../common/devices.ts';
import { DEFAULT_VIRTUAL_PIN_PAD_CONFIG } from '../../main/config/device-config.ts';
import { writeSupportBundle } from '../../main/support/support-bundle.ts';
import { bootDrivenStation, CARDS, REPO_ROOT, type DrivenStation } from '../support/station-driver.ts';

const LOST_CARD = { id: 'unionpay-lost', pan: '6214830000000033' };
const HOST_BDK = '0123456789ABCDEFFEDCBA9876543210';
const HOST_AES_BDK = 'FEDCBA9876543210F1F1F1F1F1F1F1F1';
const PANS = [CARDS.unionpay.pan, CARDS.visa.pan, CARDS.mastercard.pan, LOST_CARD.pan];

let station: DrivenStation;
let stopped = false;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** A PAN as text, and as the packed BCD an ISO 8583 numeric field would carry it in. */
function cardDataForms(pan: string): Buffer[] {
  const bcd = Buffer.from(pan.length % 2 === 0 ? pan : `0${pan}`, 'hex');
  return [Buffer.from(pan, 'latin1'), bcd, Buffer.from(`${pan}=`, 'latin1'), Buffer.from(`B${pan}^`, 'latin1')];
}

function openBundle(archive: string): Map<string, Buffer> {
  const folder = mkdtempSync(join(tmpdir(), 'bundle-open-'));
  const extracted = spawnSync('tar', ['-xzf', archive, '-C', folder], { encoding: 'utf8' });
  expect(extracted.status, extracted.stderr).toBe(0);
  return new Map(filesUnder(folder).map((file) => [relative(folder, file).split('\\').join('/'), readFileSync(file)]));
}

function expectNothingSecret(bundle: Map<string, Buffer>): void {
  const secrets = [HOST_BDK, HOST_AES_BDK, DEFAULT_VIRTUAL_PIN_PAD_CONFIG.ipek, DEFAULT_VIRTUAL_PIN_PAD_CONFIG.aesInitialKey];
  for (const [path, data] of bundle) {
    const text = data.toString('latin1');
    for (const secret of secrets) expect(text.toUpperCase(), `${path} holds key material`).not.toContain(secret.toUpperCase());
    for (const pan of PANS) for (const form of cardDataForms(pan)) expect(data.includes(form), `${path} holds ${pan} in some form`).toBe(false);
    expect(text, `${path} is a database`).not.toContain('SQLite format 3');
  }
  expect([...bundle.keys()].filter((path) => /(^|\/)(keys\/|.*\.(key|pem|sqlite|lock)$)/.test(path))).toEqual([]);
}

beforeAll(async () => {
  station = await bootDrivenStation();
  const sale = await station.sale(CARDS.unionpay.id, [CARDS.unionpay.pin], ['COF-001', 'BAO-001']);
  expect(sale.step).toBe('approved');
  expect((await station.sale(CARDS.visa.id, ['9999', CARDS.visa.pin])).step).toBe('approved');
  expect((await station.sale(LOST_CARD.id, ['123456'])).step).toBe('declined');
  expect((await station.refund(sale.outcome!.rrn!, 300, CARDS.unionpay.id)).step).toBe('approved');
  expect((await station.balanceInquiry(CARDS.unionpay.id, CARDS.unionpay.pin)).step).toBe('approved');
  const mastercard = await station.sale(CARDS.mastercard.id, [CARDS.mastercard.pin]);
  const [voidable] = (await station.journal()).filter((entry) => entry.rrn === mastercard.outcome?.rrn);
  await station.voidSale(voidable!.saleId);
  await station.settle();
}, 120_000);

afterAll(async () => {
  if (!stopped) await station.stop();
});

describe('a support bundle', () => {
  it('made inside the running station holds logs, redacted config, versions, live devices, masked entries and the backlog, and no secret', async () => {
    const liveDevices = (await station.call('pos', 'listDevices')) as never[];
    const archive = writeSupportBundle(mkdtempSync(join(tmpdir(), 'bundle-out-')), {
      dataDir: station.dataDir,
      hostConfigPath: join(REPO_ROOT, 'bank', 'config', 'host.json'),
      versions: { app: '0.1.0-test' },
      lastEntries: 5,
      liveDevices,
    });
    expect(archive).toMatch(/pos-support-.*\.tar\.gz$/);
    expect(statSync(archive).mode & 0o077).toBe(0);
    const bundle = openBundle(archive);
    const read = (path: string) => JSON.parse(bundle.get(path)!.toString('utf8')) as Record<string, never>;

    expect([...bundle.keys()].sort()).toEqual(
      expect.arrayContaining([
        'README.txt',
        'versions.json',
        'config/station.json',
        'config/host.json',
        'status.json',
        'journal/last-sales.json',
        'journal/last-entries.json',
        'journal/store-and-forward.json',
        'journal/head-office-outbox.json',
        'logs/station.log',
        'logs/host.log',
      ]),
    );
    expect(read('versions.json')).toMatchObject({ app: '0.1.0-test', node: process.versions.node, schemaVersions: { journal: { file: expect.any(Number) }, ledger: { file: expect.any(Number) } } });
    expect(read('config/station.json')).toMatchObject({ merchant: { terminalId: 'POS00001' }, virtualPinPad: { ipek: '[redacted]', aesInitialKey: '[redacted]', initialKsn: DEFAULT_VIRTUAL_PIN_PAD_CONFIG.initialKsn } });
    expect(read('config/host.json')).toMatchObject({ security: { bdk: '[redacted]', aesBdk: '[redacted]' } });
    // The risk log's card hash key is a per-install file (bank/keys/card-hash.key), never in the config.
    expect(read('config/host.json')).not.toHaveProperty('risk.cardHashKey');
    expect(JSON.stringify(read('config/host.json'))).not.toMatch(/"cvk":"[0-9A-F]/);
    expect(read('status.json')).toMatchObject({ station: { running: true, pid: process.pid }, devices: { as: 'live', list: expect.arrayContaining([expect.objectContaining({ device: 'cardReader', state: 'ready' })]) } });
    const journal = read('journal/last-entries.json') as unknown as { entries: { maskedPan: string }[] };
    expect(journal.entries).toHaveLength(5);
    for (const entry of journal.entries) expect(entry.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
    // The sales as the transactions view lists them, newest first: the voided Mastercard sale, the paid Visa one, the partly refunded first one.
    const { sales } = read('journal/last-sales.json') as unknown as { sales: { id: string; status: string; total: { amountMinor: number }; tenders: { type: string; state: string }[] }[] };
    const listed = (await station.sales(5)).map(({ id, status }) => ({ id, status }));
    expect(sales.map(({ id, status }) => ({ id, status }))).toEqual(listed);
    expect(sales.map((sale) => sale.status)).toEqual(expect.arrayContaining(['voided', 'paid', 'partly_refunded']));
    expect(Array.isArray(read('journal/store-and-forward.json'))).toBe(true);
    expect(read('journal/head-office-outbox.json')).toMatchObject({ events: expect.any(Number) });
    expect(bundle.get('logs/station.log')!.toString()).toMatch(/"src":"station"/);
    expect(bundle.get('logs/host.log')!.toString()).toMatch(/"src":"host".*0200 stan=/);
    expectNothingSecret(bundle);
  });

  it('refuses to be written at all when a log holds key material', () => {
    const copy = mkdtempSync(join(tmpdir(), 'bundle-planted-'));
    writeFileSync(join(copy, 'planted.key'), 'C0FFEE'.repeat(8));
    const logs = join(copy, 'logs');
    spawnSync('mkdir', ['-p', logs]);
    appendFileSync(join(logs, 'station.log'), `{"msg":"oops ${'C0FFEE'.repeat(8)}"}\n`);
    expect(() => writeSupportBundle(join(copy, 'out.tar.gz'), { dataDir: copy, hostConfigPath: undefined, versions: {}, lastEntries: 5 })).toThrow(/contains key material/);
    expect(readdirSync(copy)).not.toContain('out.tar.gz');
  });
});

describe('after the station stopped', () => {
  beforeAll(async () => {
    await station.stop();
    stopped = true;
  });

  it('`npm run support-bundle -- OUT` writes the same kind of bundle from the data directory, with the last saved device status', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bundle-cli-')), 'support.tar.gz');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'maintenance.ts'), 'support-bundle', out, '--data', station.dataDir, '--entries', '3'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(`support bundle written: ${out}`);
    const bundle = openBundle(out);
    const status = JSON.parse(bundle.get('status.json')!.toString()) as { station: unknown; devices: { as: string; list: unknown[] }; acquirerLink: unknown };
    expect(status.station).toEqual({ running: false });
    expect(status.devices.as).toBe('last saved by the station');
    expect(status.devices.list).toHaveLength(DEVICE_KINDS.length);
    expect(status.acquirerLink).toMatchObject({ state: expect.any(String) });
    expect((JSON.parse(bundle.get('journal/last-entries.json')!.toString()) as { entries: unknown[] }).entries).toHaveLength(3);
    expectNothingSecret(bundle);
  });

  it('no file of the data directory, logs included, holds a full PAN or track data', () => {
    const files = filesUnder(station.dataDir);
    expect(files.some((file) => file.endsWith('station.log'))).toBe(true);
    expect(files.some((file) => file.endsWith('host.log'))).toBe(true);
    expect(files.some((file) => file.endsWith('journal.sqlite'))).toBe(true);
    expect(files.some((file) => file.endsWith('ledger.sqlite'))).toBe(true);
    for (const file of files) {
      const data = readFileSync(file);
      for (const pan of PANS) for (const form of cardDataForms(pan)) expect(data.includes(form), `${relative(station.dataDir, file)} holds ${pan} in some form`).toBe(false);
    }
  });
});
