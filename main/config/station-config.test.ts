import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_STATION_CONFIG, loadStationConfig } from './station-config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'station-config-'));

describe('station config', () => {
  it('is created with the defaults on first start, so the merchant has a file to edit', () => {
    const path = join(dir(), 'station.json');
    expect(loadStationConfig(path)).toEqual(DEFAULT_STATION_CONFIG);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(DEFAULT_STATION_CONFIG);
  });

  it('names the file, the JSON path and what was expected for every mistake', () => {
    const path = join(dir(), 'station.json');
    const broken = structuredClone(DEFAULT_STATION_CONFIG) as Record<string, unknown> & typeof DEFAULT_STATION_CONFIG;
    (broken.merchant as { terminalId: string }).terminalId = 'POS1';
    (broken.acquirer as { port: number }).port = 70000;
    (broken as Record<string, unknown>).surprise = true;
    writeFileSync(path, JSON.stringify(broken));
    let message = '';
    try {
      loadStationConfig(path);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(path);
    expect(message).toMatch(/merchant\.terminalId: exactly 8 printable ASCII characters/);
    expect(message).toMatch(/acquirer\.port/);
    expect(message).toMatch(/surprise/);
  });

  it('runs the acquirer link over TLS unless the file says "plain" explicitly (a file from before the setting included)', () => {
    const older = join(dir(), 'station.json');
    const { transport: _left, ...acquirer } = DEFAULT_STATION_CONFIG.acquirer;
    writeFileSync(older, JSON.stringify({ ...DEFAULT_STATION_CONFIG, acquirer }));
    expect(loadStationConfig(older).acquirer.transport).toBe('tls');
    const plain = join(dir(), 'station.json');
    writeFileSync(plain, JSON.stringify({ ...DEFAULT_STATION_CONFIG, acquirer: { ...acquirer, transport: 'plain' } }));
    expect(loadStationConfig(plain).acquirer.transport).toBe('plain');
    writeFileSync(plain, JSON.stringify({ ...DEFAULT_STATION_CONFIG, acquirer: { ...acquirer, transport: 'ssl' } }));
    expect(() => loadStationConfig(plain)).toThrow(/acquirer\.transport/);
  });

  it('refuses a file that is not JSON', () => {
    const path = join(dir(), 'station.json');
    writeFileSync(path, '{ merchant: ');
    expect(() => loadStationConfig(path)).toThrow(/is not valid JSON/);
  });
});
