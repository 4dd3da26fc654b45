import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/platform/db/database.js';
import { systemClock } from '../../src/platform/clocks/clock.js';
import { createServices } from '../../src/services.js';
import { loadDemoPartnershipIfEmpty } from '../../src/demo/load.js';
import { DEMO_PARTNERSHIP } from '../../src/demo/partnership.js';
import { freshDatabase } from '../support/database.js';

/*
 * Two Concord instances started together on one empty database (`npm start` loads the demo when
 * empty): one loads the demo, the other waits and finds it there. Before, both saw an empty
 * directory and both loaded it, and the second failed on the first's rows (or doubled them).
 */

test('two instances loading the demo into one empty database at once: one loads it, the other waits, neither fails, nothing is doubled', async () => {
  const database = await freshDatabase('empty');
  const config = loadConfig({ NODE_ENV: 'test' });
  const instances = [connectDatabase(database.url, 3), connectDatabase(database.url, 3)];
  try {
    const outcomes = await Promise.all(instances.map((instance) => loadDemoPartnershipIfEmpty(createServices(instance.db, systemClock, config))));
    assert.deepEqual(outcomes.map((outcome) => outcome?.loadedNow).sort(), [false, true]);
    const { rows } = await database.pool.query('select count(*)::int as n from agency');
    assert.equal(rows[0].n, DEMO_PARTNERSHIP.agencies.length, 'the demo agencies once each');
    const again = await loadDemoPartnershipIfEmpty(createServices(instances[0]!.db, systemClock, config));
    assert.equal(again?.loadedNow, false, 'a later start finds the demo there');
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
  }
});
