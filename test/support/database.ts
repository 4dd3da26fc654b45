import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with "npm test", which prepares the test databases.`);
  return value;
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: required('CONCORD_TEST_ADMIN_URL') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of this test file's own, cloned from a template prepared by `npm test`:
 * `empty` has the schema only, `demo` also has the demo partnership. Dropped when the file ends.
 */
export async function freshDatabase(template: 'empty' | 'demo' = 'demo'): Promise<DatabaseHandle & { url: string }> {
  const templateName = required(template === 'empty' ? 'CONCORD_TEST_TEMPLATE_EMPTY' : 'CONCORD_TEST_TEMPLATE_DEMO');
  const name = `concord_t_${process.env.CONCORD_TEST_RUN ?? 'adhoc'}_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name} template ${templateName}`);
  const url = new URL(required('CONCORD_TEST_ADMIN_URL'));
  url.pathname = `/${name}`;
  const handle = connectDatabase(url.toString(), 5);
  after(async () => {
    await handle.close();
    await admin(`drop database if exists ${name} with (force)`);
  });
  return { ...handle, url: url.toString() };
}
