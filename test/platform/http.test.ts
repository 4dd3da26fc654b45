import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { apiClient, Browser, testConcord } from '../support/app.js';

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

test('no framing at all: X-Frame-Options is DENY, as frame-ancestors is none', async () => {
  for (const url of ['/sign-in', '/api/v1/no-such-thing', '/health/live']) {
    const response = await t.app.inject({ method: 'GET', url });
    assert.equal(response.headers['x-frame-options'], 'DENY', url);
  }
});

/** The headers every answer of Concord's carries, whoever wrote it. */
function assertSecurityHeaders(headers: Record<string, unknown>, what: string) {
  assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/, what);
  assert.match(String(headers['strict-transport-security']), /max-age=31536000/, what);
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['x-frame-options'], 'DENY', what);
  assert.equal(headers['cache-control'], 'no-store', what);
}

test("Fastify's own refusals (bad JSON, wrong content type, too large, a malformed address) carry the security headers and Concord's error format", async () => {
  const tom = await apiClient(t, 'tom.okafor@riverside-nhs.example');
  const api = [
    { what: 'bad JSON', status: 400, headers: { 'content-type': 'application/json' }, payload: '{not json' },
    { what: 'wrong content type', status: 415, headers: { 'content-type': 'text/csv' }, payload: 'a,b' },
    { what: 'too large', status: 413, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(300 * 1024) }) },
  ];
  for (const { what, status, headers, payload } of api) {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { ...headers, authorization: `Bearer ${tom.secret}` }, payload });
    assert.equal(response.statusCode, status, what);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', what);
    assert.equal(response.json().status, status, what);
    assertSecurityHeaders(response.headers, what);
  }
  const page = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
  assert.equal(page.statusCode, 415);
  assert.match(page.body, /<h1 class="govuk-heading-l">/);
  assertSecurityHeaders(page.headers, 'a page with the wrong content type');

  const badUrl = await t.app.inject({ method: 'GET', url: '/api/v1/people/%E0%A4%A' });
  assert.equal(badUrl.statusCode, 400);
  assert.equal(badUrl.headers['content-type'], 'application/problem+json; charset=utf-8');
  assertSecurityHeaders(badUrl.headers, 'a malformed API address');
  const badPage = await t.app.inject({ method: 'GET', url: '/people/%E0%A4%A' });
  assert.equal(badPage.statusCode, 400);
  assert.match(badPage.body, /<h1 class="govuk-heading-l">The request could not be read<\/h1>/);
  assertSecurityHeaders(badPage.headers, 'a malformed page address');
});

test('headers too large are refused with 431 in Concord\'s format and with the security headers', async () => {
  // Node's HTTP parser refuses these before any request exists, so they are sent over a real socket.
  const server = await testConcord();
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = new URL(address);
  const ask = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  try {
    for (const [path, type] of [['/api/v1/people', 'application/problem+json'], ['/sign-in', 'text/html']] as const) {
      const raw = await ask(path);
      const [head, body] = raw.split('\r\n\r\n', 2) as [string, string];
      const [statusLine, ...lines] = head.split('\r\n');
      assert.equal(statusLine, 'HTTP/1.1 431 Request Header Fields Too Large', path);
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      assert.ok(String(headers['content-type']).startsWith(type), `${path}: ${headers['content-type']}`);
      assertSecurityHeaders(headers, path);
      if (type === 'text/html') assert.match(body, /govuk-heading-l/);
      else assert.equal(JSON.parse(body).status, 431);
    }
  } finally {
    await server.app.close();
  }
});

test('a known address asked with the wrong method is 405 with Allow, not 404', async () => {
  const api = await t.app.inject({ method: 'DELETE', url: '/api/openapi.json' });
  assert.equal(api.statusCode, 405);
  assert.equal(api.headers.allow, 'GET, HEAD');
  assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
  assertSecurityHeaders(api.headers, 'API 405');
  const page = await t.app.inject({ method: 'PUT', url: '/sign-in' });
  assert.equal(page.statusCode, 405);
  assert.match(String(page.headers.allow), /^GET, HEAD, POST$/);
  assert.match(page.body, /govuk-heading-l/);
  const unknown = await t.app.inject({ method: 'DELETE', url: '/no-such-page' });
  assert.equal(unknown.statusCode, 404, 'an unknown address is still 404');
  const missingAsset = await t.app.inject({ method: 'GET', url: '/assets/app/no-such-file.js' });
  assert.equal(missingAsset.statusCode, 404, 'a missing asset is 404, though its folder answers GET');
});
