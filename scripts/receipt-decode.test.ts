import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptModelSchema } from '../common/receipt/model.ts';

const script = resolve(import.meta.dirname, 'receipt-decode.ts');
const run = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function decode(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let dir: string;
let capture: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'receipt-decode-'));
  capture = join(dir, 'capture.bin');
  const qrData = 'P-1';
  await writeFile(
    capture,
    Buffer.concat([
      Buffer.from('\x1b@\x1ba\x01\x1bE\x01Shop\x1bE\x00\n', 'latin1'),
      Buffer.from([0x1c, 0x26]),
      iconv.encode('合计 12.00', 'gb18030'),
      Buffer.from([0x1c, 0x2e, 0x0a]),
      Buffer.from([0x1d, 0x28, 0x6b, qrData.length + 3, 0, 0x31, 0x50, 0x30, ...Buffer.from(qrData), 0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30]),
      Buffer.from([0x1b, 0x70, 0, 25, 250, 0x1b, 0x78, 0x1d, 0x56, 0x01]),
    ]),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scripts/receipt-decode.ts', () => {
  it('prints one line per printed line, with markers, and lists undecoded commands on stderr', async () => {
    const outcome = await decode(capture);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe('Shop\n合计 12.00\n[QR P-1]\n[drawer pin 2]\n[partial cut]\n');
    expect(outcome.stderr).toContain('1 command(s) not decoded');
    expect(outcome.stderr).toContain('1b 78');
  });

  it('prints the ReceiptModel as JSON with --json', async () => {
    const outcome = await decode('--json', capture);
    expect(outcome.code).toBe(0);
    const model = ReceiptModelSchema.parse(JSON.parse(outcome.stdout));
    expect(model.items[0]).toMatchObject({ kind: 'line', align: 'center', runs: [{ text: 'Shop', bold: true }] });
    expect(model.unknown).toEqual([{ offset: expect.any(Number), bytes: '1b 78' }]);
  });

  it('says clearly when the file is missing', async () => {
    const outcome = await decode(join(dir, 'missing.bin'));
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/cannot read .*missing\.bin: no such file/);
  });

  it('says clearly when the path cannot be read as a file', async () => {
    const outcome = await decode(dir);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`cannot read ${dir}`);
  });

  it('shows its usage without a file or with an unknown option', async () => {
    expect(await decode()).toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
    expect(await decode(capture, '--yaml')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option --yaml') });
  });
});
