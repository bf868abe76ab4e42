import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LoggingConfigSchema, openRotatingLog } from './rotating-log.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'rotating-log-'));
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);

describe('rotating log', () => {
  it('writes one JSON object per line with time, level, source and message, from the configured level up', () => {
    const folder = dir();
    const log = openRotatingLog({ dir: folder, name: 'station', source: 'station', level: 'info', maxFileBytes: 1 << 20, maxFiles: 3, now: () => new Date('2026-11-21T10:00:00Z') });
    log.write('debug', 'not written');
    log.write('info', 'acquirer host: 127.0.0.1:8583');
    log.write('error', 'the printer caught fire');
    log.close();
    expect(lines(join(folder, 'station.log'))).toEqual([
      { t: '2026-11-21T10:00:00.000Z', level: 'info', src: 'station', msg: 'acquirer host: 127.0.0.1:8583' },
      { t: '2026-11-21T10:00:00.000Z', level: 'error', src: 'station', msg: 'the printer caught fire' },
    ]);
  });

  it('never writes a full PAN or track data, whatever the caller passes', () => {
    const folder = dir();
    const log = openRotatingLog({ dir: folder, name: 'host', source: 'host', level: 'debug', maxFileBytes: 1 << 20, maxFiles: 1 });
    log.write('info', 'swiped ;6212345678901232=30121010834567890? pan 6212345678901232');
    log.close();
    const text = readFileSync(join(folder, 'host.log'), 'utf8');
    expect(text).not.toContain('6212345678901232');
    expect(text).toContain('621234******1232');
  });

  it('rotates before a file passes its cap and keeps maxFiles files, so the disk use is capped', () => {
    const folder = dir();
    const log = openRotatingLog({ dir: folder, name: 'station', source: 'station', level: 'info', maxFileBytes: 16 * 1024, maxFiles: 3 });
    for (let i = 0; i < 2000; i++) log.write('info', `line ${i} ${'x'.repeat(80)}`);
    log.close();
    expect(readdirSync(folder).sort()).toEqual(['station.1.log', 'station.2.log', 'station.log']);
    for (const file of readdirSync(folder)) expect(statSync(join(folder, file)).size).toBeLessThanOrEqual(16 * 1024);
    // The newest line is in the current file, the older ones in order behind it.
    expect(lines(join(folder, 'station.log')).at(-1)?.msg).toMatch(/^line 1999 /);
    const lastOfPrevious = Number(lines(join(folder, 'station.1.log')).at(-1)?.msg?.split(' ')[1]);
    expect(Number(lines(join(folder, 'station.log'))[0]?.msg?.split(' ')[1])).toBe(lastOfPrevious + 1);
  });

  it('appends to the file a previous run left', () => {
    const folder = dir();
    for (const message of ['first run', 'second run']) {
      const log = openRotatingLog({ dir: folder, name: 'station', source: 'station', level: 'info', maxFileBytes: 1 << 20, maxFiles: 2 });
      log.write('info', message);
      log.close();
    }
    expect(lines(join(folder, 'station.log')).map((line) => line.msg)).toEqual(['first run', 'second run']);
  });

  it('drops lines it cannot write, says so once, and never throws', () => {
    const parent = dir();
    chmodSync(parent, 0o500);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const log = openRotatingLog({ dir: join(parent, 'logs'), name: 'station', source: 'station', level: 'info', maxFileBytes: 1 << 20, maxFiles: 2 });
      log.write('info', 'one');
      log.write('info', 'two');
      log.close();
      // root can write anywhere; the point there is only that nothing throws.
      if (!existsSync(join(parent, 'logs'))) expect(stderr).toHaveBeenCalledTimes(1);
    } finally {
      stderr.mockRestore();
      chmodSync(parent, 0o700);
    }
  });

  it('has defaults for a config that leaves the block out, and refuses a cap too small to hold a line', () => {
    expect(LoggingConfigSchema.parse({})).toEqual({ level: 'info', maxFileBytes: 5 * 1024 * 1024, maxFiles: 5 });
    expect(LoggingConfigSchema.safeParse({ maxFileBytes: 100 }).success).toBe(false);
  });
});
