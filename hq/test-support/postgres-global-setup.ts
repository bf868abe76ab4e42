/**
 * Vitest global setup: one private PostgreSQL cluster for the whole unit run (a temp directory,
 * fsync off: it is thrown away), with the head office's roles and logins (hq/db/bootstrap.ts), its
 * URL handed to the test files, which each make databases of their own in it. Tests that kill
 * PostgreSQL start a cluster of their own instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureHeadOfficeRoles } from '../db/bootstrap.ts';
import { startPrivateCluster } from '../postgres/private-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    hqPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'hq-test-pg-'));
  const cluster = startPrivateCluster({ dir, fsync: false });
  await ensureHeadOfficeRoles(cluster.url());
  project.provide('hqPostgresUrl', cluster.url());
  return () => {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
