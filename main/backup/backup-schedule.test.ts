import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATCH_UP_DELAY_MS, nextBackupAt, RETRY_AFTER_FAILURE_MS, scheduleDailyBackups } from './backup-schedule.ts';
import type { BackupResult } from './backup.ts';

const local = (day: number, hours: number, minutes = 0) => new Date(2026, 10, day, hours, minutes);

describe('nextBackupAt', () => {
  it('is today at the configured time while it is still ahead, else tomorrow', () => {
    expect(nextBackupAt(local(21, 1), '02:30', local(20, 2, 30))).toEqual(local(21, 2, 30));
    expect(nextBackupAt(local(21, 3), '02:30', local(21, 2, 30))).toEqual(local(22, 2, 30));
  });

  it('comes soon after start when the newest backup is over a day old or there is none', () => {
    const now = local(21, 9);
    expect(nextBackupAt(now, '02:30', undefined)).toEqual(new Date(now.getTime() + CATCH_UP_DELAY_MS));
    expect(nextBackupAt(now, '02:30', local(19, 23))).toEqual(new Date(now.getTime() + CATCH_UP_DELAY_MS));
    expect(nextBackupAt(now, '02:30', local(21, 2, 30))).toEqual(local(22, 2, 30));
  });
});

describe('scheduleDailyBackups', () => {
  afterEach(() => vi.useRealTimers());

  it('backs up at the time, then daily; a failure is logged and tried again an hour later', async () => {
    vi.useFakeTimers({ now: local(21, 1) });
    const result: BackupResult = { path: '/backups/pos-backup-x', manifest: {} as never, deleted: [] };
    let fail = false;
    const backup = vi.fn(async () => {
      if (fail) throw new Error('the USB disk is gone');
      return result;
    });
    const lines: string[] = [];
    const schedule = scheduleDailyBackups({ dataDir: '/data', folder: '/backups-that-do-not-exist', keep: 7, dailyAt: '02:30', log: (level, line) => lines.push(`${level} ${line}`), backup });
    // No backup in the folder yet: catch up a minute after start.
    await vi.advanceTimersByTimeAsync(CATCH_UP_DELAY_MS);
    expect(backup).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(local(21, 2, 30).getTime() - Date.now());
    expect(backup).toHaveBeenCalledTimes(2);
    fail = true;
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(backup).toHaveBeenCalledTimes(3);
    expect(lines.at(-1)).toBe('error daily backup to /backups-that-do-not-exist failed: the USB disk is gone; trying again in an hour');
    fail = false;
    await vi.advanceTimersByTimeAsync(RETRY_AFTER_FAILURE_MS);
    expect(backup).toHaveBeenCalledTimes(4);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(48 * 60 * 60 * 1000);
    expect(backup).toHaveBeenCalledTimes(4);
  });
});
