/**
 * A private PostgreSQL cluster in a directory of its own, from the OS packages (Debian's
 * `postgresql`: initdb and pg_ctl in /usr/lib/postgresql/15/bin). For a developer machine, CI and the
 * tests; production points DATABASE_URL at a managed server instead.
 *
 * It listens on a Unix socket only, in `<dir>/socket` (mode 0700), never on TCP: nothing else on
 * the machine can reach it, no port is taken, and several clusters run side by side. Trust
 * authentication is safe for the same reason. PostgreSQL refuses to run as root, so under root
 * (CI runs as root) it runs as the `postgres` OS user the package creates, or `nobody`.
 *
 *   <dir>/data            PGDATA
 *   <dir>/socket          the socket directory
 *   <dir>/postgres.log    the server log
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The socket file is named after the port; the port is never opened on TCP. */
const SOCKET_PORT = 5432;
export const CLUSTER_SUPERUSER = 'postgres';

export interface ClusterOptions {
  readonly dir: string;
  /**
   * fsync off: for throwaway test clusters only. A kill -9 of PostgreSQL still loses nothing
   * committed (the OS keeps the written pages); only a power cut would.
   */
  readonly fsync?: boolean;
  /** Extra postgresql.conf settings, e.g. shared_buffers for the benchmark. */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface PrivateCluster {
  readonly dir: string;
  /** False when the cluster was already running (another process started it). */
  readonly startedNow: boolean;
  /** A connection URL for `database` as the cluster's superuser. */
  url(database?: string): string;
  /** The postmaster's process id while it runs. */
  pid(): number | undefined;
  running(): boolean;
  stop(): void;
}

export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const preferred = join(root, '15', 'bin');
  if (existsSync(join(preferred, 'initdb'))) return preferred;
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return join(root, newest, 'bin');
  throw new Error('PostgreSQL server binaries not found: install Debian\'s "postgresql" package (initdb and pg_ctl in /usr/lib/postgresql/15/bin), or set PG_BIN_DIR');
}

interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Who runs PostgreSQL: ourselves, or under root an unprivileged account. */
function clusterUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root, and neither a "postgres" nor a "nobody" account exists to run PostgreSQL as');
}

function run(user: OsUser | undefined, command: string, args: readonly string[]): string {
  const [file, argv] = user ? ['runuser', ['-u', user.name, '--', command, ...args]] : [command, [...args]];
  try {
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${failure.stderr || failure.stdout || failure.message}`);
  }
}

function paths(dir: string) {
  const root = resolve(dir);
  return { root, data: join(root, 'data'), socket: join(root, 'socket'), log: join(root, 'postgres.log') };
}

function readPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  // A postmaster killed with -9 stays a zombie until its parent reaps it (in a container, PID 1 may
  // take its time): it is gone all the same.
  const stat = `/proc/${pid}/stat`;
  if (existsSync(stat) && /^\d+ \([^)]*\) Z/.test(readFileSync(stat, 'utf8'))) return undefined;
  return pid;
}

function initCluster(dirs: ReturnType<typeof paths>, user: OsUser | undefined, options: ClusterOptions): void {
  const bin = postgresBinDir();
  mkdirSync(dirs.socket, { recursive: true, mode: 0o700 });
  if (user) {
    chownSync(dirs.root, user.uid, user.gid);
    chownSync(dirs.socket, user.uid, user.gid);
  }
  run(user, join(bin, 'initdb'), ['-D', dirs.data, '-U', CLUSTER_SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  const settings: Record<string, string> = {
    listen_addresses: "''",
    unix_socket_directories: `'${dirs.socket}'`,
    unix_socket_permissions: '0700',
    port: String(SOCKET_PORT),
    fsync: options.fsync === false ? 'off' : 'on',
    max_connections: '200',
    ...options.settings,
  };
  const conf = Object.entries(settings).map(([key, value]) => `${key} = ${value}`);
  const confFile = join(dirs.data, 'postgresql.conf');
  writeFileSync(confFile, `${readFileSync(confFile, 'utf8')}\n# private cluster (hq/postgres/private-cluster.ts)\n${conf.join('\n')}\n`);
}

/** Starts the cluster in `dir`, creating it on first use; returns at once if it already runs. */
export function startPrivateCluster(options: ClusterOptions): PrivateCluster {
  const dirs = paths(options.dir);
  const user = clusterUser();
  mkdirSync(dirname(dirs.root), { recursive: true });
  mkdirSync(dirs.root, { recursive: true, mode: 0o700 });
  if (user && spawnSync('runuser', ['-u', user.name, '--', 'test', '-x', dirname(dirs.root)]).status !== 0) {
    throw new Error(`PostgreSQL runs as the "${user.name}" account here (root may not run it), and it cannot reach ${dirs.root}: every directory above it must be open to others (o+x), as /tmp is`);
  }
  if (!existsSync(join(dirs.data, 'PG_VERSION'))) initCluster(dirs, user, options);
  const startedNow = readPid(dirs.data) === undefined;
  if (startedNow) startServer(dirs, user);
  return {
    dir: dirs.root,
    startedNow,
    url: (database = 'postgres') => `postgresql://${CLUSTER_SUPERUSER}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(dirs.socket)}&port=${SOCKET_PORT}`,
    pid: () => readPid(dirs.data),
    running: () => readPid(dirs.data) !== undefined,
    stop: () => stopPrivateCluster(dirs.root),
  };
}

function startServer(dirs: ReturnType<typeof paths>, user: OsUser | undefined): void {
  // After a kill -9, backends of the old postmaster may take a moment to notice and exit; the new
  // postmaster refuses to start while they still hold the shared memory, so try a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      run(user, join(postgresBinDir(), 'pg_ctl'), ['-D', dirs.data, '-l', dirs.log, '-w', '-t', '120', 'start']);
      return;
    } catch (error) {
      if (attempt >= 5) throw new Error(`${error instanceof Error ? error.message : String(error)}\nlog (${dirs.log}):\n${existsSync(dirs.log) ? readFileSync(dirs.log, 'utf8').slice(-2000) : ''}`);
      spawnSync('sleep', ['1']);
    }
  }
}

/** The postmaster's pid if the cluster in `dir` runs. */
export function privateClusterPid(dir: string): number | undefined {
  return readPid(paths(dir).data);
}

/** Stops the cluster in `dir` (fast shutdown: open sessions are ended, committed work is kept). */
export function stopPrivateCluster(dir: string): void {
  const dirs = paths(dir);
  if (readPid(dirs.data) === undefined) return;
  run(clusterUser(), join(postgresBinDir(), 'pg_ctl'), ['-D', dirs.data, '-m', 'fast', '-w', '-t', '120', 'stop']);
}
