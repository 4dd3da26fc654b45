import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, checkLinks, eventHash, GENESIS_HASH, type ChainedFields, type StoredEvent } from './chain.js';

function fields(id: number, overrides: Partial<ChainedFields> = {}): ChainedFields {
  return {
    id,
    occurredAt: new Date(Date.UTC(2026, 2, 3, 10, 0, id)),
    actorUserId: '6f1c1f53-6a51-4b43-9a8f-3f0f8f6f3b01',
    actorName: 'Helen Marsh',
    actorAgencyId: '0b7e6f0a-2a8d-4b57-8bd0-4a4f3f4f7c02',
    actorTeamId: '2a0d8c2b-6a1e-4b4f-9d55-0d2a7b1c9e03',
    action: 'audit.viewed',
    outcome: 'success',
    subjectType: 'user',
    subjectId: 'u-1',
    personId: null,
    requestId: `request-${id}`,
    sourceIp: '127.0.0.1',
    details: { filters: { action: 'auth.sign_in' }, eventsShown: id },
    ...overrides,
  };
}

/** A correctly linked run of events, as the trail writes them. */
function run(count: number, start = GENESIS_HASH): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = start;
  for (let id = 1; id <= count; id++) {
    const event = fields(id);
    const hash = eventHash(prevHash, event);
    events.push({ ...event, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe('canonicalJson', () => {
  test('sorts object keys at every depth, so key order never changes the text', () => {
    const a = { b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } };
    const b = { a: { c: 'x', d: [1, { y: null, z: true }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
    assert.equal(canonicalJson(a), canonicalJson(b));
  });

  test('keeps array order, which is meaningful', () => {
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  });

  test('drops undefined properties, as a jsonb round trip does, and writes undefined alone as null', () => {
    assert.equal(canonicalJson({ a: undefined, b: 2 }), '{"b":2}');
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson('text "quoted"'), '"text \\"quoted\\""');
  });
});

describe('eventHash', () => {
  const base = fields(7);
  const changes: { [K in keyof ChainedFields]: ChainedFields[K] } = {
    id: 8,
    occurredAt: new Date(base.occurredAt.getTime() + 1),
    actorUserId: null,
    actorName: 'Helen March',
    actorAgencyId: null,
    actorTeamId: null,
    action: 'audit.verified',
    outcome: 'denied',
    subjectType: 'team',
    subjectId: 'u-2',
    personId: '9d7c2d1e-0f1a-4c3b-8e2d-1a2b3c4d5e6f',
    requestId: 'request-other',
    sourceIp: '10.0.0.1',
    details: { filters: { action: 'auth.sign_in' }, eventsShown: 8 },
  };

  test('is the same for the same event, whatever the order of the keys in its details', () => {
    const reordered = { ...base, details: { eventsShown: 7, filters: { action: 'auth.sign_in' } } };
    assert.equal(eventHash(GENESIS_HASH, base), eventHash(GENESIS_HASH, reordered));
    assert.match(eventHash(GENESIS_HASH, base), /^[0-9a-f]{64}$/);
  });

  for (const field of Object.keys(changes) as (keyof ChainedFields)[]) {
    test(`changes when ${field} changes`, () => {
      assert.notEqual(eventHash(GENESIS_HASH, { ...base, [field]: changes[field] }), eventHash(GENESIS_HASH, base));
    });
  }

  test('changes when the hash of the event before it changes', () => {
    assert.notEqual(eventHash('1'.repeat(64), base), eventHash(GENESIS_HASH, base));
  });
});

describe('checkLinks', () => {
  test('passes an intact run and returns the hash the next run must follow', () => {
    const events = run(5);
    assert.deepEqual(checkLinks(GENESIS_HASH, events), { head: events[4]!.hash });
  });

  test('passes an empty run, leaving the head where it was', () => {
    assert.deepEqual(checkLinks('a'.repeat(64), []), { head: 'a'.repeat(64) });
  });

  test('checks a run that continues from an earlier one', () => {
    const events = run(6);
    const first = checkLinks(GENESIS_HASH, events.slice(0, 3));
    assert.ok('head' in first);
    assert.deepEqual(checkLinks(first.head, events.slice(3)), { head: events[5]!.hash });
    const wrongStart = checkLinks(GENESIS_HASH, events.slice(3));
    assert.ok('broken' in wrongStart);
    assert.equal(wrongStart.broken.id, 4);
  });

  test('finds an altered event: its contents no longer match its hash', () => {
    const events = run(5);
    events[2] = { ...events[2]!, details: { ...events[2]!.details, eventsShown: 999 } };
    const outcome = checkLinks(GENESIS_HASH, events);
    assert.ok('broken' in outcome);
    assert.equal(outcome.broken.id, 3);
    assert.match(outcome.broken.problem, /altered/);
  });

  test('finds an altered event whose hash was recomputed: the next event no longer follows it', () => {
    const events = run(5);
    const altered = { ...events[1]!, actorName: 'Someone Else' };
    events[1] = { ...altered, hash: eventHash(altered.prevHash, altered) };
    const outcome = checkLinks(GENESIS_HASH, events);
    assert.ok('broken' in outcome);
    assert.equal(outcome.broken.id, 3);
    assert.match(outcome.broken.problem, /removed, inserted or reordered/);
  });

  test('finds a removed event: the one after the gap does not follow the one before it', () => {
    const events = run(5);
    events.splice(2, 1);
    const outcome = checkLinks(GENESIS_HASH, events);
    assert.ok('broken' in outcome);
    assert.equal(outcome.broken.id, 4);
    assert.match(outcome.broken.problem, /removed, inserted or reordered/);
  });

  test('finds reordered events', () => {
    const events = run(5);
    [events[1], events[2]] = [events[2]!, events[1]!];
    const outcome = checkLinks(GENESIS_HASH, events);
    assert.ok('broken' in outcome);
    assert.equal(outcome.broken.id, 3, 'the first event out of place');
    assert.match(outcome.broken.problem, /reordered/);
  });

  test('finds the first event removed from the start of the chain', () => {
    const outcome = checkLinks(GENESIS_HASH, run(4).slice(1));
    assert.ok('broken' in outcome);
    assert.equal(outcome.broken.id, 2);
  });
});
