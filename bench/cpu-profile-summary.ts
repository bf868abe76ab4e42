/**
 * Where a V8 CPU profile (node --cpu-prof) spent its time: self time per function and per area of
 * the code base, for the benchmark's report. Native work (SQLite, OpenSSL, the socket writes)
 * shows up as the JavaScript function that called into it, or as "(program)".
 */
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyPercent: number;
  readonly functions: readonly ProfileShare[];
  readonly areas: readonly ProfileShare[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function summarizeCpuProfile(path: string, top: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const hitsById = new Map<number, number>();
  for (const id of profile.samples) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += hits;
      continue;
    }
    const file = fileOf(url);
    const name = url === '' ? functionName : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const area = areaOf(functionName, file);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const busy = profile.samples.length - idle;
  const shares = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, percent: (100 * hits) / busy }));
  return { busyPercent: (100 * busy) / profile.samples.length, functions: shares(byFunction), areas: shares(byArea) };
}

function fileOf(url: string): string {
  if (url.startsWith('file://')) return relative(ROOT, fileURLToPath(url));
  return url;
}

/** Our code by directory, Node's own by module, native work by name. */
function areaOf(functionName: string, file: string): string {
  if (file === '') return functionName === '(garbage collector)' || functionName === '(program)' ? functionName : `native: ${functionName}`;
  if (file.startsWith('node:')) return `node:${file.slice(5).split('/')[0]}`;
  if (file.startsWith('node_modules/')) return file.split('/').slice(0, 2).join('/');
  return dirname(file);
}
