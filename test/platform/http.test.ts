import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, testConcord } from '../support/app.js';

const t = await testConcord();

test('pages carry the security headers: CSP with nonces and no unsafe-inline, HSTS, no framing, nosniff, referrer policy', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const csp = String(response.headers['content-security-policy']);
  assert.match(csp, /script-src 'self' 'nonce-[0-9a-f]{32}'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const nonce = /nonce-([0-9a-f]{32})/.exec(csp)![1];
  assert.match(response.body, new RegExp(`<script nonce="${nonce}">`), 'the one inline script carries the nonce');
  assert.match(String(response.headers['strict-transport-security']), /max-age=31536000/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['referrer-policy'], 'same-origin');
  assert.equal(response.headers['cache-control'], 'no-store');
});

test('a nonce is never reused between responses', async () => {
  const a = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const b = await t.app.inject({ method: 'GET', url: '/sign-in' });
  assert.notEqual(a.headers['content-security-policy'], b.headers['content-security-policy']);
});

test('assets are served by Concord itself and may be cached', async () => {
  for (const url of ['/assets/build/concord.css', '/assets/app/init.mjs', '/assets/js/govuk/govuk-frontend.min.js', '/assets/js/moj/moj-frontend.min.js', '/assets/govuk/images/favicon.svg']) {
    const response = await t.app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, url);
    assert.notEqual(response.headers['cache-control'], 'no-store', url);
  }
  const escape = await t.app.inject({ method: 'GET', url: '/assets/app/../../config.ts' });
  assert.equal(escape.statusCode, 404);
  const hidden = await t.app.inject({ method: 'GET', url: '/assets/app/concord.scss' });
  assert.equal(hidden.statusCode, 404, 'only the listed files of a source folder are served');
});

test('an unknown page is a GOV.UK 404 page; an unknown API path is problem+json', async () => {
  const browser = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example');
  const page = await browser.get('/no-such-page');
  assert.equal(page.statusCode, 404);
  assert.match(page.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/);
  const api = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
  assert.equal(api.statusCode, 404);
  assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
});

test('health: live always, ready only when the database answers', async () => {
  assert.equal((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
  assert.equal((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
  const broken = await testConcord();
  await broken.pool.end();
  const ready = await broken.app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(ready.statusCode, 503);
});

test('an internal error shows a reference number and never a stack trace, SQL or path', async () => {
  const broken = await testConcord();
  const browser = new Browser(broken.app);
  await browser.get('/sign-in');
  await broken.pool.end();
  const response = await browser.post('/sign-in', { email: 'tom.okafor@riverside-nhs.example', password: 'whatever password' });
  assert.equal(response.statusCode, 500);
  assert.match(response.body, /quote reference <strong data-qa="error-reference">[0-9A-F]{8}<\/strong>/);
  assert.doesNotMatch(response.body, /at \w+ \(|\/work\/|select |pool|Error:/i);
});

test('an oversized or malformed body is refused with 4xx, not 500', async () => {
  const big = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=' + 'a'.repeat(300 * 1024) });
  assert.equal(big.statusCode, 413);
  const json = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { 'content-type': 'application/json', authorization: 'Bearer concord_x' }, payload: '{not json' });
  assert.ok(json.statusCode === 400 || json.statusCode === 401, `got ${json.statusCode}`);
});

test('the OpenAPI document is OpenAPI 3.1 and describes bearer authentication', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(response.statusCode, 200);
  const doc = response.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
    assert.match(path, /^\/api\/v1\//);
    for (const operation of Object.values(operations)) assert.ok(operation.responses, path);
  }
});
