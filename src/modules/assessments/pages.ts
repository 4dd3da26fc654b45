import { answer, page } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission } from '../../platform/access/decide.js';
import { ROLE_NAMES } from '../../platform/access/policy.js';
import { CATEGORY_NAMES } from '../../platform/access/sharing-terms.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { notFound } from '../../platform/errors.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { recordPaths } from '../people/paths.js';
import { assessmentsPaths as paths } from './paths.js';
import { ASSESSMENT_KIND_NAMES, DOMAINS, ESCALATION_STEP_NAMES, domainOf, isDomainKey, nextDomain, SHORT_MAX, TEXT_MAX, type DomainKey } from './rules.js';
import { AssessmentsService, type RecordHeading, type SaveMode } from './service.js';

type Values = Record<string, unknown>;

const NAMES = {
  category: CATEGORY_NAMES,
  role: ROLE_NAMES,
  kind: ASSESSMENT_KIND_NAMES,
  step: ESCALATION_STEP_NAMES,
  agreement: { agreed: 'Agreed', declined: 'Declined', could_not_ask: 'Could not be asked' },
  state: { not_started: 'Not yet started', in_progress: 'In progress', completed: 'Completed' },
};

const params = (request: FastifyRequest) => request.params as Values;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).personId, 'PEOPLE.NOT_FOUND');
const draftIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).draftId, 'ASSESSMENTS.DRAFT_NOT_FOUND');
const assessmentIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).assessmentId, 'ASSESSMENTS.NOT_FOUND');
const difficultyIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).difficultyId, 'ASSESSMENTS.DIFFICULTY_NOT_FOUND');
const domainOfRequest = (request: FastifyRequest): DomainKey => {
  const domain = params(request).domain;
  if (!isDomainKey(domain)) throw notFound('ASSESSMENTS.DOMAIN_NOT_FOUND');
  return domain;
};
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Values;
/** "Save and come back later" keeps whatever was typed; "Save and continue" asks for the section to be whole. */
const modeOf = (request: FastifyRequest): SaveMode => (formOf(request).mode === 'later' ? 'later' : 'continue');
/** After a refusal the page shows what was typed; the version is always the latest saved, so saving again is a choice made knowing it. */
const typedOr = (request: FastifyRequest, saved: Values | null | undefined) => request.flash?.values ?? saved ?? {};

const render = (reply: FastifyReply, view: string, record: RecordHeading, data: Values) =>
  reply.view(`assessments/views/${view}.njk`, { paths, recordPaths, names: NAMES, domains: DOMAINS, textMax: TEXT_MAX, shortMax: SHORT_MAX, record, ...data });

export function assessmentsPages(services: Services): RouteSpec[] {
  const assessments = services.assessments;
  return [
    page(paths.assessments.pattern, { permission: 'people.view', audit: 'assessments.viewed', summary: 'The person’s completed assessments, and your team’s drafts to resume (ASSESS-2)' }, async (request, reply) => {
      const actor = actorOf(request);
      const listed = await assessments.list(actor, personIdOf(request));
      return render(reply, 'assessments', listed.record, { assessments: listed.assessments, drafts: listed.drafts, canAssess: hasPermission(actor, 'assessments.record') });
    }),
    page(paths.start.pattern, { permission: 'assessments.record', audit: 'person.viewed', summary: 'Start an assessment: the person’s agreement to be assessed and to share first (ASSESS-1)' }, async (request, reply) => {
      const { record } = await assessments.forStart(actorOf(request), personIdOf(request));
      return render(reply, 'start', record, { values: typedOr(request, {}) });
    }),
    answer(paths.start.pattern, { permission: 'assessments.record', audit: 'assessment.started', summary: 'Record the person’s agreement (or why it could not be sought) and start a draft (ASSESS-1)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const draft = await assessments.start(actorOf(request), personId, formOf(request));
      return reply.redirectWithNotice(paths.domain(personId, draft.id, DOMAINS[0].key), 'The person’s agreement is recorded. The draft is saved as you go.');
    }),
    page(paths.draft.pattern, { permission: 'assessments.record', audit: 'assessment.draft_viewed', summary: 'An assessment draft: each domain and the outcome, and how far each has got' }, async (request, reply) => {
      const { record, draft } = await assessments.draft(actorOf(request), personIdOf(request), draftIdOf(request));
      return render(reply, 'draft', record, { draft });
    }),
    page(paths.domain.pattern, { permission: 'assessments.record', audit: 'assessment.draft_viewed', summary: 'One domain of an assessment draft: needs, strengths, the person’s own words, the source and whether it was verified (ASSESS-2, REC-2)' }, async (request, reply) => {
      const domain = domainOfRequest(request);
      const { record, draft } = await assessments.draft(actorOf(request), personIdOf(request), draftIdOf(request));
      const saved = draft.domains[domain] ?? null;
      return render(reply, 'domain', record, { draft, domain: domainOf(domain), values: typedOr(request, saved), saved, position: DOMAINS.findIndex((d) => d.key === domain) + 1 });
    }),
    answer(paths.domain.pattern, { permission: 'assessments.record', audit: 'assessment.draft_saved', summary: 'Save one domain of an assessment draft, against the version opened (409 if someone saved since)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const draftId = draftIdOf(request);
      const domain = domainOfRequest(request);
      const mode = modeOf(request);
      await assessments.saveDomain(actorOf(request), personId, draftId, domain, formOf(request), mode);
      const next = nextDomain(domain);
      const to = mode === 'later' ? paths.draft(personId, draftId) : next ? paths.domain(personId, draftId, next) : paths.outcome(personId, draftId);
      return reply.redirectWithNotice(to, `${domainOf(domain).name} is saved`);
    }),
    page(paths.outcome.pattern, { permission: 'assessments.record', audit: 'assessment.draft_viewed', summary: 'The outcome of an assessment draft: goals, options, next steps and other agencies to involve (ASSESS-3)' }, async (request, reply) => {
      const { record, draft } = await assessments.draft(actorOf(request), personIdOf(request), draftIdOf(request));
      return render(reply, 'outcome', record, { draft, values: typedOr(request, draft.outcome), saved: draft.outcome });
    }),
    answer(paths.outcome.pattern, { permission: 'assessments.record', audit: 'assessment.draft_saved', summary: 'Save the outcome of an assessment draft, against the version opened (ASSESS-3)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const draftId = draftIdOf(request);
      const mode = modeOf(request);
      await assessments.saveOutcome(actorOf(request), personId, draftId, formOf(request), mode);
      return reply.redirectWithNotice(mode === 'later' ? paths.draft(personId, draftId) : paths.complete(personId, draftId), 'The outcome is saved');
    }),
    page(paths.complete.pattern, { permission: 'assessments.record', audit: 'assessment.draft_viewed', summary: 'Check an assessment draft before signing and completing it' }, async (request, reply) => {
      const { record, draft } = await assessments.draft(actorOf(request), personIdOf(request), draftIdOf(request));
      return render(reply, 'complete', record, { draft, actor: actorOf(request) });
    }),
    answer(paths.complete.pattern, { permission: 'assessments.record', audit: 'assessment.completed', summary: 'Sign and complete an assessment: it becomes an entry, and its review clock starts (ASSESS-3, ASSESS-4, ASSESS-5)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const completed = await assessments.complete(actorOf(request), personId, draftIdOf(request), formOf(request));
      return reply.redirectWithNotice(paths.assessment(personId, completed.id), 'The assessment is complete and signed');
    }),
    page(paths.assessment.pattern, { permission: 'people.view', audit: 'assessment.viewed', summary: 'A completed assessment, domain by domain as far as your agency may see it, and which consent would show the rest (CON-2)' }, async (request, reply) => {
      const shown = await assessments.show(actorOf(request), personIdOf(request), assessmentIdOf(request));
      return render(reply, 'assessment', shown.record, { assessment: shown.assessment, consentToAsk: AssessmentsService.consentToAsk(shown.assessment) });
    }),
    page(paths.escalations.pattern, { permission: 'people.view', audit: 'assessment.escalations_viewed', summary: 'Difficulties getting information from other agencies, and each step taken to resolve them (ASSESS-6)' }, async (request, reply) => {
      const actor = actorOf(request);
      const listed = await services.escalations.list(actor, personIdOf(request));
      return render(reply, 'escalations', listed.record, { difficulties: listed.difficulties, canAssess: hasPermission(actor, 'assessments.record'), actor });
    }),
    page(paths.escalationNew.pattern, { permission: 'assessments.record', audit: 'person.viewed', summary: 'Form to record difficulty getting information and its first step (ASSESS-6)' }, async (request, reply) => {
      const { record } = await services.escalations.forEscalation(actorOf(request), personIdOf(request), null);
      return render(reply, 'escalation-form', record, { difficulty: null, values: typedOr(request, {}), action: paths.escalationNew(record.id) });
    }),
    answer(paths.escalationNew.pattern, { permission: 'assessments.record', audit: 'assessment.escalated', summary: 'Record difficulty getting information from another agency and its first step (ASSESS-6)' }, async (request, reply) => {
      const personId = personIdOf(request);
      await services.escalations.escalate(actorOf(request), personId, formOf(request));
      return reply.redirectWithNotice(paths.escalations(personId), 'The escalation is recorded');
    }),
    page(paths.escalationStep.pattern, { permission: 'assessments.record', audit: 'person.viewed', summary: 'Form to record the next step in escalating a difficulty (ASSESS-6)' }, async (request, reply) => {
      const { record, difficulty } = await services.escalations.forEscalation(actorOf(request), personIdOf(request), difficultyIdOf(request));
      return render(reply, 'escalation-form', record, { difficulty, values: typedOr(request, {}), action: paths.escalationStep(record.id, difficulty!.id) });
    }),
    answer(paths.escalationStep.pattern, { permission: 'assessments.record', audit: 'assessment.escalated', summary: 'Record the next step in escalating a difficulty: further up, never back down, not once resolved (ASSESS-6)' }, async (request, reply) => {
      const personId = personIdOf(request);
      await services.escalations.escalateFurther(actorOf(request), personId, difficultyIdOf(request), formOf(request));
      return reply.redirectWithNotice(paths.escalations(personId), 'The next step is recorded');
    }),
  ];
}
