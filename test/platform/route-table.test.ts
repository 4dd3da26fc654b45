import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testConcord } from '../support/app.js';
import { PERMISSIONS } from '../../src/platform/access/policy.js';

const t = await testConcord();

test('every route is declared in a route table with the permission it needs and the audit action it writes', () => {
  const served = t.app.registeredRoutes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/assets/'));
  assert.ok(served.length >= 5, 'the app serves routes');
  const undeclared = served.filter((r) => !r.spec).map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(undeclared, [], 'routes registered outside the route tables');
  for (const { spec } of served) {
    const name = `${spec!.method} ${spec!.url}`;
    if ('permission' in spec!.access) {
      assert.ok(Object.hasOwn(PERMISSIONS, spec!.access.permission), `${name}: unknown permission ${spec!.access.permission}`);
    } else {
      assert.ok(spec!.access.public.trim().length >= 5, `${name}: a public route must say why it is public`);
    }
    if ('action' in spec!.audit) {
      assert.match(spec!.audit.action, /^[a-z]+\.[a-z_]+$/, `${name}: audit action names look like "module.event"`);
    } else {
      assert.ok(spec!.audit.none.trim().length >= 5, `${name}: a route that writes no audit event must say why`);
    }
    assert.ok(spec!.summary.length > 0, `${name}: needs a summary`);
    if (spec!.url.startsWith('/api/v1/')) assert.equal(spec!.kind, 'api', `${name}: /api/v1 routes are api routes`);
  }
});

test('every API route is public only if it is the description or health', () => {
  const publicApi = t.app.registeredRoutes.filter((r) => r.method !== 'HEAD' && r.spec && r.url.startsWith('/api/') && 'public' in r.spec.access).map((r) => r.url);
  assert.deepEqual(publicApi, ['/api/openapi.json']);
});

test('pages that change things are POSTs (so CSRF protection applies), never GETs; a GET writes only the record of a read', () => {
  const writingGets = t.app.registeredRoutes.filter(
    (r) => r.spec && r.spec.method === 'GET' && 'action' in r.spec.audit && !/viewed|verified|searched/.test(r.spec.audit.action),
  );
  assert.deepEqual(writingGets.map((r) => r.url), []);
});
