/** For the head office's command-line tools: the same database `npm run hq` uses, opened for one command. */
import type { HqDatabase } from '../db/database.ts';
import { openHeadOffice } from '../db/resolve-database.ts';

export async function withHqDatabase<T>(work: (database: HqDatabase) => Promise<T>): Promise<T> {
  const opened = await openHeadOffice({ poolSize: 4 });
  try {
    return await work(opened.database);
  } finally {
    await opened.close();
  }
}

/** Runs a CLI's main, printing a failure as one line and exiting non-zero. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
