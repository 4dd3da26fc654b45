import type { Actor } from '../../src/platform/access/actor.js';
import { DOMAINS } from '../../src/modules/assessments/rules.js';
import type { TestConcord } from '../support/app.js';
import { notesWorld } from '../notes/world.js';

/**
 * What the assessment tests need: the notes world's people (known to Riverside CMHT, with Harbour
 * Housing as a partner) and consent facts, and drafts filled in through the service as a practitioner would.
 */

export const ANSWERED = { status: 'assessed', needs: 'Needs support here', strengths: 'Copes well with help', ownWords: 'I want to manage', source: 'The person, at home', verified: 'no', unverifiedReason: 'No one else to ask yet' };
export const OUTCOME = { goals: 'Keep the flat and stay well', options: 'CMHT support; tenancy support', nextSteps: 'Weekly visits for six weeks', agenciesToInvolve: 'Harbour Housing Options' };
export const AGREED = { kind: 'core', assessmentAgreement: 'agreed', sharingAgreement: 'agreed' };

export async function assessmentsWorld(t: TestConcord) {
  const notes = await notesWorld(t);
  const service = () => t.services.assessments;

  /** A draft with `domains` answered (all of them unless told) and, unless told otherwise, the outcome. */
  async function draft(by: Actor, personId: string, options: { kind?: string; domains?: readonly string[]; outcome?: boolean; answers?: Record<string, Record<string, unknown>> } = {}) {
    let current = await service().start(by, personId, { ...AGREED, kind: options.kind ?? 'core' });
    for (const key of options.domains ?? DOMAINS.map((d) => d.key)) {
      current = await service().saveDomain(by, personId, current.id, key, { ...ANSWERED, needs: `${key}: needs`, ...options.answers?.[key], version: current.version });
    }
    if (options.outcome ?? true) current = await service().saveOutcome(by, personId, current.id, { ...OUTCOME, version: current.version });
    return current;
  }

  /** A completed assessment, written through the service. */
  async function completed(by: Actor, personId: string, options: { kind?: string } = {}) {
    const ready = await draft(by, personId, options);
    t.clock.advance(60_000);
    return service().complete(by, personId, ready.id, { version: ready.version });
  }

  const rows = async (personId: string) => ({
    drafts: (await t.pool.query('select id, version, domains, outcome from assessment_draft where person_id = $1 order by started_at', [personId])).rows,
    assessments: (await t.pool.query('select id from assessment where person_id = $1', [personId])).rows,
    items: (await t.pool.query('select i.id from assessment_item i where i.person_id = $1', [personId])).rows,
    obligations: (await t.pool.query(`select kind, rule_id, state, subject_id, due_at from obligation where person_id = $1 and subject_type = 'assessment' order by created_at`, [personId])).rows,
  });

  return { ...notes, draft, completed, rows };
}
