import assert from 'node:assert/strict';
import { auditSince, lastAuditId, type TestConcord } from './app.js';

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };

/**
 * An API request refused as it should be: its status, problem+json naming each field at fault (when
 * `errors` is given), what `written` reads unchanged, and no success recorded in the audit trail.
 */
export async function assertApiRefused(t: TestConcord, written: () => Promise<unknown>, call: () => Promise<Response>, status: number, errors?: Record<string, string>): Promise<Response> {
  const before = { written: await written(), audit: await lastAuditId(t) };
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  if (errors) assert.deepEqual(Object.fromEntries(JSON.parse(response.body).errors.map((e: { field: string; message: string }) => [e.field, e.message])), errors);
  assert.deepEqual(await written(), before.written);
  assert.deepEqual((await auditSince(t, before.audit)).filter((e) => e.outcome === 'success').map((e) => e.action), []);
  return response;
}
