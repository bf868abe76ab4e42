/**
 * The running station's devices and acquirer link, kept in <data dir>/station-status.json as they
 * change, so a support bundle made from the command line (which cannot ask the station) still says
 * what the station last saw, and when.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkStatus } from '../../common/acquirer.ts';
import type { DeviceStatus } from '../../common/devices.ts';
import { writeFileAtomic } from '../../common-node/atomic-file.ts';
import type { EventSink } from '../ipc/event-bus.ts';

export const STATION_STATUS_FILE = 'station-status.json';

export interface StationStatus {
  readonly updatedAt: string;
  readonly pid: number;
  readonly devices: readonly DeviceStatus[];
  readonly link: LinkStatus | undefined;
}

/**
 * Keeps the file current from the checkout's events until the returned function is called. A write
 * that fails is logged and skipped: it must never disturb the payment that changed a device's state.
 */
export function recordStationStatus(dataDir: string, events: { connect(sink: EventSink): () => void }, log: (line: string) => void, now: () => Date = () => new Date()): () => void {
  const devices = new Map<string, DeviceStatus>();
  let link: LinkStatus | undefined;
  return events.connect((event, payload) => {
    if (event === 'deviceStatus') devices.set((payload as DeviceStatus).device, payload as DeviceStatus);
    else if (event === 'linkStatus') link = payload as LinkStatus;
    else return;
    const status: StationStatus = { updatedAt: now().toISOString(), pid: process.pid, devices: [...devices.values()], link };
    try {
      writeFileAtomic(join(dataDir, STATION_STATUS_FILE), `${JSON.stringify(status, null, 2)}\n`);
    } catch (error) {
      log(`station status not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

export function readStationStatus(dataDir: string): StationStatus | undefined {
  const path = join(dataDir, STATION_STATUS_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StationStatus;
  } catch {
    return undefined;
  }
}
