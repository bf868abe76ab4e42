/**
 * Pack and unpack throughput of a full 0200 purchase: this repository's packager against the npm
 * package iso_8583, configured from the same profile table as in
 * payments/iso8583/npm-iso8583-interop.test.ts. Each side packs from and unpacks to its own message
 * representation (iso_8583 carries binary fields as hex strings), as an application would use it.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { FieldSpec } from '../payments/iso8583/field-spec.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { samplePurchaseRequest } from '../payments/iso8583/sample-messages.ts';

interface NpmIsoMessage {
  getRawMessage(): Buffer | { error: string };
  getIsoJSON(bytes: Buffer, config: { lenHeader: boolean }): Record<string, string>;
}
type NpmIsoConstructor = new (message: Record<string, string> | undefined, formats: Record<string, unknown>) => NpmIsoMessage;
const NpmIso8583 = createRequire(import.meta.url)('iso_8583') as NpmIsoConstructor;

function npmFormat(number: number, spec: FieldSpec) {
  return {
    ContentType: number === 97 ? 'x+n' : spec.type === 'an' ? 'anp' : spec.type,
    Label: spec.name,
    LenType: spec.prefix === 'fixed' ? 'fixed' : spec.prefix === 'LL' ? 'llvar' : 'lllvar',
    MaxLen: spec.type === 'b' ? spec.length * 2 : spec.length,
  };
}

export interface OpsPerSecond {
  readonly pack: number;
  readonly unpack: number;
  /** One pack plus one unpack: the work per message a link does. */
  readonly packUnpack: number;
}

export function measurePackUnpack(secondsEach: number): { ours: OpsPerSecond; npm: OpsPerSecond } {
  const packager = createPackager(PROFILE_FIELDS);
  const message = samplePurchaseRequest();
  const packed = packager.pack(message);

  const formats = Object.fromEntries([...PROFILE_FIELDS].map(([number, spec]) => [String(number), npmFormat(number, spec)]));
  const npmJson: Record<string, string> = { '0': message.mti };
  for (const [field, value] of message.fields) npmJson[String(field)] = typeof value === 'string' ? value : Buffer.from(value).toString('hex');
  const npmPacked = new NpmIso8583(npmJson, formats).getRawMessage();
  if (!Buffer.isBuffer(npmPacked)) throw new Error(`iso_8583 could not pack the sample: ${npmPacked.error}`);
  if (new NpmIso8583(undefined, formats).getIsoJSON(npmPacked, { lenHeader: false })['2'] !== npmJson['2']) throw new Error('iso_8583 did not round-trip the sample');

  const ours = rates(secondsEach, () => packager.pack(message), () => packager.unpack(packed));
  const npm = rates(
    secondsEach,
    () => new NpmIso8583(npmJson, formats).getRawMessage(),
    () => new NpmIso8583(undefined, formats).getIsoJSON(npmPacked, { lenHeader: false }),
  );
  return { ours, npm };
}

function rates(secondsEach: number, pack: () => unknown, unpack: () => unknown): OpsPerSecond {
  const packRate = opsPerSecond(pack, secondsEach);
  const unpackRate = opsPerSecond(unpack, secondsEach);
  return { pack: packRate, unpack: unpackRate, packUnpack: 1 / (1 / packRate + 1 / unpackRate) };
}

/** Runs `work` for about `seconds` (after a short warm-up) and returns calls per second. */
function opsPerSecond(work: () => unknown, seconds: number): number {
  let sink: unknown;
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) for (let i = 0; i < 100; i++) sink = work();
  let calls = 0;
  const startedAt = performance.now();
  const until = startedAt + seconds * 1000;
  let now = startedAt;
  while (now < until) {
    for (let i = 0; i < 500; i++) sink = work();
    calls += 500;
    now = performance.now();
  }
  if (sink === undefined) throw new Error('benchmark work returned nothing');
  return calls / ((now - startedAt) / 1000);
}
