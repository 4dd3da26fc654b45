import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';

test('defaults are safe and work for trying Concord out on this machine', () => {
  const config = loadConfig({});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, path.resolve('./data'));
  assert.deepEqual(config.session, { idleMinutes: 30, absoluteHours: 12 });
  assert.deepEqual(config.signIn, { maxFailures: 5, lockoutMinutes: 15, rateLimitPerMinute: 20 });
  assert.equal(config.cookieSecure, false, 'plain http on loopback in development');
});

test('secure cookies are the default everywhere but loopback development', () => {
  assert.equal(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/concord' }).cookieSecure, true);
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).cookieSecure, true);
});

test('secure cookies cannot be switched off away from loopback', () => {
  assert.throws(() => loadConfig({ HOST: '0.0.0.0', COOKIE_SECURE: 'false' }), (error: Error) => error instanceof ConfigError && /COOKIE_SECURE=false/.test(error.message));
});

test('production needs an external database', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /DATABASE_URL must be set in production/);
});

test('a wrong setting stops the start with a message naming it', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (error: Error) => error instanceof ConfigError && /PORT/.test(error.message));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: must be a postgres:\/\/ connection string/);
  assert.throws(() => loadConfig({ SESSION_IDLE_MINUTES: '0' }), /SESSION_IDLE_MINUTES/);
  assert.throws(() => loadConfig({ COOKIE_SECURE: 'maybe' }), /COOKIE_SECURE/);
});

test('timeouts are configurable', () => {
  const config = loadConfig({ SESSION_IDLE_MINUTES: '10', SESSION_ABSOLUTE_HOURS: '8', SIGN_IN_MAX_FAILURES: '3' });
  assert.deepEqual(config.session, { idleMinutes: 10, absoluteHours: 8 });
  assert.equal(config.signIn.maxFailures, 3);
});
