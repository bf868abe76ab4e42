/**
 * The station's log: every line to the shell's console as before, and to the rotating, structured
 * file <data dir>/logs/station.log at the level station.json asks for (common-node/rotating-log.ts).
 */
import { join } from 'node:path';
import { openRotatingLog, type LoggingConfig, type LogLevel } from '../../common-node/rotating-log.ts';

export const STATION_LOG_DIR = 'logs';

export interface StationLog {
  /** An ordinary line (info): what the station's services log. */
  readonly line: (text: string) => void;
  at(level: LogLevel, text: string): void;
  /** To the file only: for what the shell prints in its own words (a start-up failure). */
  fileOnly(level: LogLevel, text: string): void;
  close(): void;
}

export function openStationLog(dataDir: string, config: LoggingConfig, print: (line: string) => void): StationLog {
  const file = openRotatingLog({ dir: join(dataDir, STATION_LOG_DIR), name: 'station', source: 'station', ...config });
  const at = (level: LogLevel, text: string) => {
    print(text);
    file.write(level, text);
  };
  return { line: (text) => at('info', text), at, fileOnly: (level, text) => file.write(level, text), close: () => file.close() };
}
