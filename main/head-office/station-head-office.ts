/**
 * The station's side of the head office, as the composition root builds it when station.json has a
 * `headOffice` section (without one there is no outbox writer, uploader or price-list client):
 *
 *  - the journal's changes go into its outbox in their own transactions (journal-uploads.ts);
 *  - the uploader sends the outbox, woken after each commit that appended to it, and reports its
 *    state and backlog (the checkout's status bar);
 *  - the price-list client polls the head office and hands a newer list to the catalog between
 *    sales only: at once when no sale is open, else when the open one is paid or cancelled.
 *
 * The credential (the JSON `npm run hq:station -- add` prints once) is kept in the data
 * directory, keys/head-office.json (0600), never in station.json, which support bundles carry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StationIdSchema } from '../../common/head-office/upload-schema.ts';
import type { StationCatalog } from '../catalog/station-catalog.ts';
import { headOfficePriceListCatalog } from '../catalog/head-office-price-lists.ts';
import type { Journal } from '../journal/journal.ts';
import { HeadOfficeClient } from './head-office-client.ts';
import { JournalUploads } from './journal-uploads.ts';
import { BetweenSalesPriceList, PriceListClient } from './price-list-client.ts';
import { Uploader, type UploaderStatus } from './uploader.ts';

export interface HeadOfficeSettings {
  readonly url: string;
  /** A file with the PEM of the CA that signed the head office's certificate, when it is not a public one. */
  readonly caFile?: string;
  /** How often to ask for a newer price list, in seconds (default 300). */
  readonly priceListPollSeconds?: number;
}

/** How long acknowledged uploads stay in the outbox (docs/head-office.md, "Failure"). */
const KEEP_ACKNOWLEDGED_MS = 31 * 24 * 60 * 60 * 1000;

const CredentialSchema = z.strictObject({ stationId: StationIdSchema, keyId: z.string().min(1).max(64), secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'base64url of 32 bytes') });

export class HeadOfficeCredentialError extends Error {
  override readonly name = 'HeadOfficeCredentialError';
}

export function credentialPath(dataDir: string): string {
  return join(dataDir, 'keys', 'head-office.json');
}

function loadCredential(dataDir: string) {
  const path = credentialPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HeadOfficeCredentialError(`station.json names a head office, but its credential is missing: put the JSON that \`npm run hq:station -- add\` printed in ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HeadOfficeCredentialError(`${path} is not JSON: it should hold the credential \`npm run hq:station -- add\` printed`);
  }
  const checked = CredentialSchema.safeParse(parsed);
  if (!checked.success) throw new HeadOfficeCredentialError(`${path}: ${checked.error.issues.map((issue) => `${issue.path.join('.') || 'credential'}: ${issue.message}`).join('; ')}`);
  return checked.data;
}

export interface StationHeadOffice {
  readonly uploads: JournalUploads;
  readonly uploader: Uploader;
  readonly prices: BetweenSalesPriceList;
  /** Asks the head office for a newer price list now (the client also asks on its own, every poll). */
  checkPrices(): Promise<boolean>;
  status(): UploaderStatus;
  onStatus(listener: (status: UploaderStatus) => void): () => void;
  stop(): Promise<void>;
}

export interface StationHeadOfficeOptions {
  readonly settings: HeadOfficeSettings;
  readonly dataDir: string;
  readonly journal: Journal;
  readonly catalog: StationCatalog;
  readonly log: (line: string) => void;
  /** Tests shorten the uploader's backoff and heartbeat. */
  readonly tuning?: { readonly retryBaseMs?: number; readonly retryMaxMs?: number; readonly heartbeatMs?: number; readonly batchSize?: number };
}

export function connectHeadOffice(options: StationHeadOfficeOptions): StationHeadOffice {
  const { settings, journal, catalog, log } = options;
  const credential = loadCredential(options.dataDir);
  const client = new HeadOfficeClient({ url: settings.url, credential, ...(settings.caFile ? { ca: readFileSync(settings.caFile, 'utf8') } : {}) });
  const priceCatalog = headOfficePriceListCatalog(catalog);
  const uploads = new JournalUploads(journal, { stationId: credential.stationId, priceListVersion: () => priceCatalog.appliedVersion() || undefined, log });
  const uploader = new Uploader({ outbox: journal.outbox, client, log: (line) => log(`head office: ${line}`), ...options.tuning });
  const prices = new BetweenSalesPriceList(priceCatalog, { saleOpen: () => journal.sales.current().length > 0 });
  const priceClient = new PriceListClient({ client, target: prices, pollMs: (settings.priceListPollSeconds ?? 300) * 1000, log: (line) => log(`head office: ${line}`) });

  const stops = [
    uploads.attach(),
    journal.uow.subscribe((event) => {
      if (event.type === 'sale.status_changed' && (event.from === 'open' || event.from === 'tendering') && event.to !== 'open' && event.to !== 'tendering') {
        try {
          prices.saleEnded();
        } catch (error) {
          log(`head office: the waiting price list could not be applied: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  ];
  // Woken once per committed change that may have appended (notify is cheap when idle or sending).
  let woken = false;
  stops.push(
    journal.uow.subscribe(() => {
      if (woken) return;
      woken = true;
      queueMicrotask(() => {
        woken = false;
        uploader.notify();
      });
    }),
  );
  // Acknowledged uploads are kept a month, for a head office restored from a backup to ask for again
  // (sequence_gap), then dropped, so the journal does not grow for ever: at start and once a day.
  const prune = () => {
    try {
      journal.outbox.prune(new Date(Date.now() - KEEP_ACKNOWLEDGED_MS).toISOString());
    } catch (error) {
      log(`head office: acknowledged uploads could not be pruned: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  prune();
  const pruning = setInterval(prune, 24 * 60 * 60 * 1000);
  pruning.unref();
  stops.push(() => clearInterval(pruning));
  uploader.start();
  priceClient.start();

  return {
    uploads,
    uploader,
    prices,
    checkPrices: () => priceClient.checkNow(),
    status: () => uploader.status(),
    onStatus: (listener) => uploader.onStatus(listener),
    async stop() {
      for (const stop of stops) stop();
      priceClient.stop();
      await uploader.stop();
    },
  };
}
