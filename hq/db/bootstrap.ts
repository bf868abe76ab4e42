/**
 * A head-office database in a cluster this code administers itself (the private cluster of
 * `npm run hq`, the tests', the benchmark's), set up as on a managed server: the superuser only
 * creates the roles and the database, and the service never uses it.
 *
 *   hq_app      the owner login: migrations, office reads and edits (through hq_office); no
 *               superuser, no CREATEROLE, no CREATEDB, no BYPASSRLS
 *   hq_upload   the upload login: a member of hq_ingest only (HQ_INGEST_DATABASE_URL)
 *   hq_ingest, hq_office   the group roles the first migration expects (NOLOGIN, NOBYPASSRLS)
 *
 * The private cluster listens on a Unix socket only, in a directory only its owner can reach, with
 * trust authentication: logins there need no password. A database made before these logins existed
 * (owned by the superuser) is handed over to hq_app.
 */
import pg from 'pg';

export const OWNER_LOGIN = 'hq_app';
export const UPLOAD_LOGIN = 'hq_upload';

export interface HeadOfficeLogins {
  /** DATABASE_URL: the owner login. */
  readonly url: string;
  /** HQ_INGEST_DATABASE_URL: the upload login. */
  readonly ingestUrl: string;
}

/** Creates what is missing only, so it runs at every start, and concurrently once the roles exist. */
const ROLES_SQL = `
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['hq_ingest', 'hq_office'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', role_name);
    END IF;
  END LOOP;
  FOREACH role_name IN ARRAY ARRAY['${OWNER_LOGIN}', '${UPLOAD_LOGIN}'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', role_name);
    END IF;
  END LOOP;
  IF NOT pg_has_role('${OWNER_LOGIN}', 'hq_ingest', 'MEMBER') THEN GRANT hq_ingest TO ${OWNER_LOGIN}; END IF;
  IF NOT pg_has_role('${OWNER_LOGIN}', 'hq_office', 'MEMBER') THEN GRANT hq_office TO ${OWNER_LOGIN}; END IF;
  IF NOT pg_has_role('${UPLOAD_LOGIN}', 'hq_ingest', 'MEMBER') THEN GRANT hq_ingest TO ${UPLOAD_LOGIN}; END IF;
END $$`;

/** Tables, views, sequences and functions of the public schema the superuser made are handed to the owner. */
const ADOPT_SQL = `
DO $$
DECLARE
  object record;
BEGIN
  FOR object IN
    SELECT format('ALTER %s %s OWNER TO ${OWNER_LOGIN}', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass) AS statement
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'S') AND pg_get_userbyid(c.relowner) <> '${OWNER_LOGIN}'
    UNION ALL
    SELECT format('ALTER FUNCTION %s OWNER TO ${OWNER_LOGIN}', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${OWNER_LOGIN}'
  LOOP
    EXECUTE object.statement;
  END LOOP;
END $$`;

export function asLogin(url: string, login: string, database?: string): string {
  const parsed = new URL(url);
  parsed.username = login;
  if (database !== undefined) parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function asSuperuser<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The logins and group roles, as the cluster's superuser at `superuserUrl`. */
export function ensureHeadOfficeRoles(superuserUrl: string): Promise<void> {
  return asSuperuser(superuserUrl, async (server) => {
    await server.query(ROLES_SQL);
  });
}

/** Makes `database` (if missing) owned by hq_app, with the roles, as the cluster's superuser at `superuserUrl`. */
export async function bootstrapDatabase(superuserUrl: string, database: string): Promise<HeadOfficeLogins> {
  await ensureHeadOfficeRoles(superuserUrl);
  await asSuperuser(superuserUrl, async (server) => {
    const exists = await server.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await server.query(`CREATE DATABASE ${pg.escapeIdentifier(database)} OWNER ${OWNER_LOGIN}`);
    else if (exists.rows[0]!.owner !== OWNER_LOGIN) await server.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} OWNER TO ${OWNER_LOGIN}`);
  });
  await asSuperuser(asLogin(superuserUrl, new URL(superuserUrl).username, database), async (inDatabase) => {
    await inDatabase.query(ADOPT_SQL);
  });
  return { url: asLogin(superuserUrl, OWNER_LOGIN, database), ingestUrl: asLogin(superuserUrl, UPLOAD_LOGIN, database) };
}
