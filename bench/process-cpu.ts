/**
 * CPU time a process has used, user + system, in microseconds: this process from Node, a child (the
 * host under benchmark) from /proc on Linux. CPU per message is a steadier figure than a rate on a
 * shared machine: other load slows a rate down but does not make a message cost more CPU.
 * Elsewhere a child's figure is unavailable (undefined) and the report leaves the row out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

export function ownCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

export function childCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1_000_000;
  } catch {
    return undefined;
  }
}

/** CPU seconds another process has used so far; 0 where /proc is missing (bench:emv's per-request cost). */
export function processCpuSeconds(pid: number): number {
  return (childCpuMicros(pid) ?? 0) / 1_000_000;
}
