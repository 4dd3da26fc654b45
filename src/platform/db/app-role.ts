import type pg from 'pg';

/** The role the embedded install's app connects as: it reads and writes rows, and owns nothing. */
export const APP_ROLE = 'concord_app';

// Any fixed number: role changes are cluster-wide, so instances starting together take turns.
const APP_ROLE_LOCK = 724_110_003;

/**
 * Creates or updates the least-privilege role, after the migrations (run as the superuser) and on
 * every start, so tables a later migration added are covered. It may read and write every table
 * and use every sequence, but it cannot change the schema, and it holds no UPDATE, DELETE or
 * TRUNCATE on any `audit_` table (the events, their partitions, seals, checkpoints): the audit
 * trail's append-only rule stands in the grants, not only in its triggers, which the owner could
 * drop. Advisory locks, the only server functions the app calls, need no privilege.
 */
export async function ensureAppRole(pool: pg.Pool, password: string): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [APP_ROLE_LOCK]);
    const exists = (await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE])).rowCount === 1;
    const role = client.escapeIdentifier(APP_ROLE);
    await client.query(`${exists ? 'alter' : 'create'} role ${role} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${client.escapeLiteral(password)}`);
    const database = client.escapeIdentifier((await client.query('select current_database() as name')).rows[0].name as string);
    await client.query(`grant connect on database ${database} to ${role}`);
    await client.query(`grant usage on schema public to ${role}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await client.query(`grant usage, select on all sequences in schema public to ${role}`);
    const audit = await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname like 'audit\\_%' order by 1`,
    );
    for (const { name } of audit.rows) {
      await client.query(`revoke update, delete, truncate on table ${client.escapeIdentifier(name)} from ${role}`);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch((failed: Error) => (broken = failed));
    throw error;
  } finally {
    client.release(broken);
  }
}
