import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, checkSeal, eventHash, GENESIS_HASH, makeSeal, ORIGIN, PROBLEMS, sealHash, type ChainedFields } from './chain.js';

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

/** Events 1…count, as stored. */
const events = (count: number) => Array.from({ length: count }, (_, i) => fields(i + 1));

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

describe('seals', () => {
  test('a seal chains its events from the head before it, and hashes the seal before it', () => {
    const first = makeSeal(ORIGIN, events(3), 3);
    assert.deepEqual(first.eventIds, [1, 2, 3]);
    assert.equal(first.eventHashes[0], eventHash(GENESIS_HASH, fields(1)));
    assert.equal(first.eventHashes[2], eventHash(first.eventHashes[1]!, fields(3)));
    assert.equal(first.headHash, first.eventHashes[2]);
    const second = makeSeal(first, [fields(5)], 6);
    assert.deepEqual([second.id, second.afterEventId, second.throughEventId, second.prevHead, second.prevSealHash], [2, 3, 6, first.headHash, first.sealHash]);
    assert.equal(second.eventHashes[0], eventHash(first.headHash, fields(5)), 'the chain runs on across seals');
  });

  test('the seal hash is the text the migration hashes in SQL', () => {
    const seal = { id: 1, afterEventId: 0, throughEventId: 2, eventCount: 2, prevHead: GENESIS_HASH, headHash: 'b'.repeat(64), prevSealHash: GENESIS_HASH };
    const text = `${GENESIS_HASH}|1|0|2|2|${GENESIS_HASH}|${'b'.repeat(64)}`; // concat_ws('|', …) in 0014_audit_sealed_chain.sql
    assert.equal(sealHash(seal), createHash('sha256').update(text).digest('hex'));
  });

  test('an intact seal has no problems, whatever order its events are read in', () => {
    const seal = makeSeal(ORIGIN, events(4), 4);
    assert.deepEqual(checkSeal(ORIGIN, seal, events(4).reverse()), []);
  });

  test('names every tampered event of a seal, each in its own way', () => {
    const seal = makeSeal(ORIGIN, events(8), 8);
    const stored = events(8);
    stored[1] = { ...stored[1]!, actorName: 'Someone Else' }; // 2 altered
    stored.splice(3, 1); // 4 removed
    const [five, six] = [stored.find((e) => e.id === 5)!, stored.find((e) => e.id === 6)!];
    stored[stored.indexOf(five)] = { ...six, id: 5 }; // 5 and 6 reordered: each holds the other's contents
    stored[stored.indexOf(six)] = { ...five, id: 6 };
    stored.push(fields(7, { action: 'forged' })); // a forged copy sharing 7's number
    assert.deepEqual(checkSeal(ORIGIN, seal, stored), [
      { id: 2, problem: PROBLEMS.altered },
      { id: 4, problem: PROBLEMS.removed },
      { id: 5, problem: PROBLEMS.altered },
      { id: 6, problem: PROBLEMS.altered },
      { id: 7, problem: PROBLEMS.inserted },
    ]);
  });

  test('an event that was never sealed, in a sealed range, is named as inserted', () => {
    const seal = makeSeal(ORIGIN, [fields(1), fields(3)], 3);
    assert.deepEqual(checkSeal(ORIGIN, seal, [fields(1), fields(2), fields(3)]), [{ id: 2, problem: PROBLEMS.inserted }]);
  });

  test('a seal that was altered, or does not follow the one before, is named at its first event', () => {
    const first = makeSeal(ORIGIN, events(2), 2);
    const second = makeSeal(first, [fields(3)], 3);
    assert.match(checkSeal(ORIGIN, { ...first, throughEventId: 9 }, events(2))[0]!.problem, /seal 1, which begins here, no longer matches its hash/);
    assert.match(checkSeal(ORIGIN, second, [fields(3)])[0]!.problem, /seal 2, which begins here, does not follow seal 0/);
    const forgedBefore = makeSeal(ORIGIN, [fields(1, { action: 'forged' })], 2);
    assert.deepEqual(checkSeal(forgedBefore, { ...second, id: 2 }, [fields(3)]), [{ id: 3, problem: PROBLEMS.seal(2, 'does not follow the seal before it') }]);
  });
});
