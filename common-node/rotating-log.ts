/**
 * Structured, rotating log files for the station and the bundled host: one JSON object per line
 * ({"t":ISO time,"level","src","msg"}), in `<dir>/<name>.log`, rotated to `<name>.1.log` … when a
 * file would pass its size cap, keeping `maxFiles` files in all, so the disk use is capped at
 * maxFileBytes × maxFiles. Every message goes through the card-data net first (scrub-card-data.ts).
 *
 * Written synchronously, line by line: a line the process wrote is in the file whatever happens
 * next (a kill -9 loses nothing already logged). A log that cannot be written (disk full, folder
 * removed) never takes the station down: the failure is reported once on stderr and lines are
 * dropped until a write works again.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { scrubCardData } from '../common/card/scrub-card-data.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LoggingConfigSchema = z.strictObject({
  /** Lines below this level are not written to the file. */
  level: z.enum(LOG_LEVELS).default('info'),
  /** A file is rotated before it would grow past this. */
  maxFileBytes: z
    .number()
    .int()
    .min(16 * 1024)
    .max(1024 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  /** Files kept, the current one included. */
  maxFiles: z.number().int().min(1).max(100).default(5),
});
export type LoggingConfig = z.infer<typeof LoggingConfigSchema>;
export const DEFAULT_LOGGING_CONFIG: LoggingConfig = { level: 'info', maxFileBytes: 5 * 1024 * 1024, maxFiles: 5 };

export interface RotatingLogOptions extends LoggingConfig {
  readonly dir: string;
  /** File name without ".log": "station", "host". */
  readonly name: string;
  /** Who writes: the "src" of every line. */
  readonly source: string;
  readonly now?: () => Date;
}

export interface RotatingLog {
  write(level: LogLevel, message: string): void;
  close(): void;
}

/** `<dir>/<name>.log` and its rotated files, newest first. */
export function logFilesOf(dir: string, name: string, maxFiles: number): string[] {
  return Array.from({ length: maxFiles }, (_, index) => join(dir, index === 0 ? `${name}.log` : `${name}.${index}.log`));
}

export function openRotatingLog(options: RotatingLogOptions): RotatingLog {
  const files = logFilesOf(options.dir, options.name, options.maxFiles);
  const threshold = LOG_LEVELS.indexOf(options.level);
  const now = options.now ?? (() => new Date());
  let fd: number | undefined;
  let size = 0;
  let failing = false;

  const open = () => {
    mkdirSync(options.dir, { recursive: true });
    fd = openSync(files[0]!, 'a', 0o640);
    size = fstatSync(fd).size;
  };
  const rotate = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(files.at(-1)!, { force: true });
    for (let index = files.length - 2; index >= 0; index--) if (existsSync(files[index]!)) renameSync(files[index]!, files[index + 1]!);
    open();
  };

  return {
    write(level, message) {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const line = Buffer.from(`${JSON.stringify({ t: now().toISOString(), level, src: options.source, msg: scrubCardData(message) })}\n`);
      try {
        if (fd === undefined) open();
        if (size > 0 && size + line.length > options.maxFileBytes) rotate();
        writeSync(fd!, line);
        size += line.length;
        failing = false;
      } catch (error) {
        if (!failing) process.stderr.write(`log ${files[0]} cannot be written (${error instanceof Error ? error.message : String(error)}); dropping lines until it can\n`);
        failing = true;
        const broken = fd;
        fd = undefined;
        try {
          if (broken !== undefined) closeSync(broken);
        } catch {
          // Reopened at the next line; a descriptor that will not even close has nothing left to lose.
        }
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
