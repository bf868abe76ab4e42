/**
 * Reader encryption benchmark (`npm run bench:sred`): what encrypting the card in the PIN pad's head
 * (issue #11 §2) costs, each measure five times, reported as the median of the runs and their
 * spread (min–max), since this shared 2-core machine is noisy:
 *
 *   1. the reader: a swipe's tracks laid out, the data KSN advanced and the block encrypted
 *      (TDES DUKPT data variant, AES-128 DUKPT "Data Encryption, encrypt"), µs per swipe;
 *   2. the host: DE120 decrypted with the reader's BDK and read back into tracks, µs per card, for a
 *      reader's successive KSNs (the TDES host caches transaction keys; AES derives from the BDK);
 *   3. the host's authorizations per second at CONNECTIONS connections, host in its own process,
 *      the same purchases (PIN block, CVV, risk rules, ledger commit) with the card in clear
 *      (DE2 + DE35) and encrypted (DE120), rounds alternating between the two.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EncryptedCardData } from '../common/card/encrypted-card-read.ts';
import { encodeTracks } from '../common/card/tracks.ts';
import { deriveInitialKeyAes } from '../payments/crypto/dukpt-aes.ts';
import { deriveIpek } from '../payments/crypto/dukpt-tdes.ts';
import { connectIsoChannel } from '../payments/iso8583/channel.ts';
import type { IsoMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { decryptCardData } from '../payments/sred/decrypt-card-data.ts';
import { aesDukptDataEncryptor, tdesDukptDataEncryptor, type CardDataEncryptor } from '../peripherals/pin-pad/card-data-encryption.ts';
import { memoryKsnStore } from '../peripherals/pin-pad/ksn-store.ts';
import { writeBenchFixtures } from './bench-fixtures.ts';
import { encryptedPurchasesFor, purchasesFor } from './bench-requests.ts';
import { runClosedLoop } from './closed-loop.ts';
import { startHostProcess } from './host-process.ts';

const RUNS = 5;
const OPS_PER_RUN = 2_000;
const CONNECTIONS = 16;
const PER_CONNECTION = 800;
const WARMUP_MS = 500;
const MEASURE_MS = 2_000;
const CARDS = 1_024;
const DATA_BDKS = { tdes: Buffer.from('FEDCBA98765432100123456789ABCDEF', 'hex'), aes: Buffer.from('F1F1F1F1F1F1F1F1FEDCBA9876543210', 'hex') };

const packager = createPackager(PROFILE_FIELDS);
const dir = mkdtempSync(join(tmpdir(), 'sred-bench-'));
const fixtures = writeBenchFixtures(dir, CARDS);
const tracks = fixtures.cards.slice(0, 64).map((card) => encodeTracks(card));

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const spread = (values: readonly number[], digits: number) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

function heads(): Record<'tdes' | 'aes', () => CardDataEncryptor> {
  const tdesKsn = Buffer.from('FFFF9876543211E00000', 'hex');
  const aesKsn = Buffer.from('123456789012345700000000', 'hex');
  return {
    tdes: () => tdesDukptDataEncryptor(deriveIpek(DATA_BDKS.tdes, tdesKsn), memoryKsnStore(tdesKsn)),
    aes: () => aesDukptDataEncryptor(deriveInitialKeyAes(DATA_BDKS.aes, aesKsn.subarray(0, 8)), memoryKsnStore(aesKsn)),
  };
}

/** µs per operation over OPS_PER_RUN operations, one figure per run; `prepare` runs before each run's clock starts. */
function perOperation<T>(prepare: () => T, run: (prepared: T, index: number) => void): number[] {
  return Array.from({ length: RUNS }, () => {
    const prepared = prepare();
    const start = performance.now();
    for (let i = 0; i < OPS_PER_RUN; i++) run(prepared, i);
    return ((performance.now() - start) * 1000) / OPS_PER_RUN;
  });
}

console.log(`reader encryption (issue #11 §2): median of ${RUNS} runs (spread min–max), ${OPS_PER_RUN} operations a run`);
for (const keyType of ['tdes', 'aes'] as const) {
  const encrypt = perOperation(heads()[keyType], (head, i) => head.encryptTracks(tracks[i % tracks.length]!));
  const decrypt = perOperation(
    (): EncryptedCardData[] => {
      const head = heads()[keyType]();
      return Array.from({ length: OPS_PER_RUN }, (_, j) => head.encryptTracks(tracks[j % tracks.length]!));
    },
    (blocks, i) => decryptCardData(blocks[i]!, DATA_BDKS),
  );
  console.log(`  ${keyType.toUpperCase().padEnd(4)}  reader encrypts a swipe ${spread(encrypt, 1)} µs   host decrypts DE120 ${spread(decrypt, 1)} µs`);
}

// Plain TCP: this measures reader encryption; what TLS adds to each message is bench:host's to measure.
const host = await startHostProcess({ ...fixtures, plain: true });
try {
  const muxes = await Promise.all(Array.from({ length: CONNECTIONS }, async () => new IsoMux(await connectIsoChannel({ host: '127.0.0.1', port: host.port, packager }))));
  const rates: Record<'clear' | 'encrypted', number[]> = { clear: [], encrypted: [] };
  for (let round = 0; round < RUNS; round++) {
    for (const form of round % 2 === 0 ? (['clear', 'encrypted'] as const) : (['encrypted', 'clear'] as const)) {
      // Each round's terminals are new ones (their STANs and KSNs fresh), so no request is a duplicate.
      const terminals = Array.from({ length: CONNECTIONS }, (_, index) => (round * 2 + (form === 'clear' ? 0 : 1)) * CONNECTIONS + index);
      const queues: IsoMessage[][] = terminals.map((terminal) =>
        (form === 'clear' ? purchasesFor : encryptedPurchasesFor)(`S${String(terminal).padStart(7, '0')}`, terminal, fixtures.cards, PER_CONNECTION),
      );
      const result = await runClosedLoop({ muxes, next: (index) => queues[index]!.shift(), warmupMs: WARMUP_MS, measureMs: MEASURE_MS });
      if (result.ranDry) console.log(`  (a ${form} round ran out of prepared requests; its rate is over the time it ran)`);
      rates[form].push(result.perSecond);
    }
  }
  console.log(`host authorizations/s at ${CONNECTIONS} connections (host in its own process, card checks, PIN, risk rules, ledger commit):`);
  console.log(`  card in clear (DE2 + DE35)   ${spread(rates.clear, 0)}`);
  console.log(`  card encrypted (DE120, TDES) ${spread(rates.encrypted, 0)}`);
  for (const mux of muxes) mux.close();
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
