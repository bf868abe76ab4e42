/**
 * The daily backup, run by the station itself while it runs: at the configured local time of day,
 * and soon after start when the newest backup in the folder is more than a day old (a counter PC
 * switched off every night would otherwise never reach its 02:30). A failed backup (a USB disk
 * unplugged) is logged as an error and tried again an hour later.
 */
import { takeBackup, newestBackupAt, type BackupOptions, type BackupResult } from './backup.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** After start-up, long enough that the first sales are not kept waiting behind a backup. */
export const CATCH_UP_DELAY_MS = 60_000;
export const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;

/** The next time of day `dailyAt` (HH:MM, local) after `now`; or sooner, when the newest backup is overdue. */
export function nextBackupAt(now: Date, dailyAt: string, newest: Date | undefined): Date {
  const [hours, minutes] = dailyAt.split(':').map(Number) as [number, number];
  const slot = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes);
  if (slot.getTime() <= now.getTime()) slot.setDate(slot.getDate() + 1);
  const overdue = newest === undefined || now.getTime() - newest.getTime() > DAY_MS;
  const catchUp = new Date(now.getTime() + CATCH_UP_DELAY_MS);
  return overdue && catchUp < slot ? catchUp : slot;
}

export interface ScheduleOptions extends Omit<BackupOptions, 'now'> {
  readonly dailyAt: string;
  readonly log: (level: 'info' | 'error', line: string) => void;
  readonly now?: () => Date;
  /** The backup itself; takeBackup unless a test says otherwise. */
  readonly backup?: (options: BackupOptions) => Promise<BackupResult>;
}

/** stop() cancels the next backup and waits for one in progress, so the station stops after it. */
export function scheduleDailyBackups(options: ScheduleOptions): { stop(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const backup = options.backup ?? takeBackup;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;

  const arm = (at: Date) => {
    if (stopped) return;
    timer = setTimeout(() => (running = run().finally(() => (running = undefined))), Math.max(0, at.getTime() - now().getTime()));
    // A pending backup never keeps a stopping station alive.
    timer.unref?.();
  };
  const run = async () => {
    try {
      const result = await backup({ dataDir: options.dataDir, folder: options.folder, keep: options.keep, now });
      options.log('info', `backup written: ${result.path}${result.deleted.length > 0 ? ` (deleted ${result.deleted.length} older)` : ''}`);
      arm(nextBackupAt(now(), options.dailyAt, now()));
    } catch (error) {
      options.log('error', `daily backup to ${options.folder} failed: ${error instanceof Error ? error.message : String(error)}; trying again in an hour`);
      arm(new Date(now().getTime() + RETRY_AFTER_FAILURE_MS));
    }
  };

  let newest: Date | undefined;
  try {
    newest = newestBackupAt(options.folder);
  } catch (error) {
    options.log('error', `backup folder ${options.folder} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const first = nextBackupAt(now(), options.dailyAt, newest);
  options.log('info', `daily backup to ${options.folder} at ${options.dailyAt}; next ${first.toISOString()}`);
  arm(first);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
