import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../access/actor.js';
import type { Queryable } from '../db/database.js';
import { ObligationSubjects, UNKNOWN_SUBJECT, type SubjectDescription, type SubjectKind } from './subjects.js';

// The registry is checked without a database: the kinds here answer from memory, and the db and
// actor are only handed through to them.
const db = {} as Queryable;
const actor = { userId: 'u1' } as Actor;

/** A kind that knows some ids, and remembers each call it is asked. */
function kindKnowing(kind: string, noun: string, known: Record<string, SubjectDescription>) {
  const calls: { db: Queryable; actor: Actor; ids: readonly string[] }[] = [];
  const registered: SubjectKind = {
    kind,
    noun,
    async describe(given, by, ids) {
      calls.push({ db: given, actor: by, ids });
      return new Map(ids.flatMap((id) => (known[id] ? [[id, known[id]] as const] : [])));
    },
  };
  return { registered, calls };
}

function registry() {
  const warnings: string[] = [];
  const subjects = new ObligationSubjects((message) => warnings.push(message));
  const referrals = kindKnowing('referral', 'Referral', { r1: { reference: 'REF-2026-000001', link: '/referrals/r1', title: 'Referral to Riverside CMHT', priority: 'urgent' } });
  const cases = kindKnowing('case', 'Case', { c1: { reference: 'CASE-2026-000001', link: '/cases/c1', title: 'Case with Riverside CMHT' } });
  subjects.register(referrals.registered);
  subjects.register(cases.registered);
  return { subjects, warnings, referrals, cases };
}

describe('obligation subjects', () => {
  test('each subject reads as its own kind describes it: reference, link, title and priority', async () => {
    const { subjects } = registry();
    const of = await subjects.describeAll(db, actor, [{ type: 'referral', id: 'r1' }, { type: 'case', id: 'c1' }]);
    assert.deepEqual(of({ type: 'referral', id: 'r1' }), { type: 'referral', id: 'r1', reference: 'REF-2026-000001', link: '/referrals/r1', title: 'Referral to Riverside CMHT', priority: 'urgent' });
    assert.deepEqual(of({ type: 'case', id: 'c1' }), { type: 'case', id: 'c1', reference: 'CASE-2026-000001', link: '/cases/c1', title: 'Case with Riverside CMHT', priority: null });
  });

  test('one call per kind, with each id once, the caller’s db and actor; a kind with nothing listed is not asked', async () => {
    const { subjects, referrals, cases } = registry();
    await subjects.describeAll(db, actor, [{ type: 'referral', id: 'r1' }, { type: 'referral', id: 'r2' }, { type: 'referral', id: 'r1' }]);
    assert.equal(referrals.calls.length, 1);
    assert.deepEqual([...referrals.calls[0]!.ids].sort(), ['r1', 'r2']);
    assert.equal(referrals.calls[0]!.db, db);
    assert.equal(referrals.calls[0]!.actor, actor);
    assert.equal(cases.calls.length, 0);
  });

  test('a subject its kind cannot describe (gone, say) reads as the kind’s noun, with no link', async () => {
    const { subjects } = registry();
    const of = await subjects.describeAll(db, actor, [{ type: 'referral', id: 'gone' }]);
    assert.deepEqual(of({ type: 'referral', id: 'gone' }), { type: 'referral', id: 'gone', reference: null, link: null, title: 'Referral', priority: null });
  });

  test('a kind nobody registered is not passed off as another: a neutral label, no link, and one warning however often it is met', async () => {
    const { subjects, warnings, referrals, cases } = registry();
    const first = await subjects.describeAll(db, actor, [{ type: 'carer_review', id: 'x1' }, { type: 'carer_review', id: 'x2' }]);
    assert.deepEqual(first({ type: 'carer_review', id: 'x1' }), { type: 'carer_review', id: 'x1', reference: null, link: null, title: UNKNOWN_SUBJECT, priority: null });
    await subjects.describeAll(db, actor, [{ type: 'carer_review', id: 'x3' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /"carer_review".*no module has registered/);
    assert.equal(referrals.calls.length + cases.calls.length, 0, 'no other kind is asked about it');
    assert.equal(subjects.isRegistered('carer_review'), false);
  });

  test('starting a deadline needs a registered kind; a kind is registered once, with a name', () => {
    const { subjects, referrals } = registry();
    assert.doesNotThrow(() => subjects.requireRegistered('referral'));
    assert.throws(() => subjects.requireRegistered('carer_review'), /No module has registered the obligation subject kind "carer_review"/);
    assert.throws(() => subjects.register(referrals.registered), /"referral" is registered twice/);
    assert.throws(() => subjects.register({ ...referrals.registered, kind: ' ' }), /needs a name/);
  });
});
