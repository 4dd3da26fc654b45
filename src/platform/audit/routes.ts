import { z } from 'zod';
import type { Services } from '../../services.js';
import { auditActorOf, type Actor } from '../access/actor.js';
import { path } from '../http/paths.js';
import type { RouteSpec } from '../http/route-table.js';
import { actorOf } from '../http/request-actor.js';
import { fieldErrorsOf, parseOrThrow } from '../validation.js';
import type { auditEvent } from './schema.js';
import type { Unsealed } from './sealer.js';
import type { AuditFilters, VerificationResult } from './trail.js';
import { wholeNumber } from '../input-rules.js';

export const auditPaths = {
  trail: '/audit',
  verify: '/audit/verify',
  apiEvents: '/api/v1/audit-events',
  apiVerify: '/api/v1/audit/verify',
  apiVerification: '/api/v1/audit/verification',
  /** The trail opening at one event: keyset pages hold events older than `beforeId`. */
  event: (id: number) => `/audit?beforeId=${id + 1}`,
  /** Who opened a person's record, and which people a user opened (served by the access-review module). */
  personViewers: path('/audit/people/:personId/viewers'),
  userAccess: path('/audit/users/:userId/access'),
};

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Blank form fields mean "any", so an empty string is the same as a missing parameter. */
const blankAsMissing = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalText = (label: string, max: number) =>
  z.preprocess(blankAsMissing, z.string({ error: `Enter ${label.toLowerCase()} as text` }).trim().max(max, `${label} must be ${max} characters or fewer`).optional());

const optionalDay = (label: string) =>
  z.preprocess(
    blankAsMissing,
    z
      .string({ error: `${label} must be a real date` })
      .trim()
      .refine(isRealDay, `${label} must be a real date, like 2026-03-27`)
      .optional(),
  );

/** The trail's filters, shared by the page (a GET form) and the API (query parameters). Dates are days in UK time. */
export const auditQuery = z
  .object({
    who: optionalText('Name or user ID', 120),
    action: optionalText('Action', 80),
    subjectType: optionalText('Subject type', 40),
    subjectId: optionalText('Subject ID', 120),
    from: optionalDay('From date'),
    to: optionalDay('To date'),
    beforeId: z.preprocess(
      blankAsMissing,
      wholeNumber({ invalid: 'Older events must start from an event number', notWhole: 'Older events must start from a whole event number', min: [1, 'Older events must start from an event number above 0'] }).optional(),
    ),
  })
  .superRefine((value, context) => {
    if (value.from && value.to && value.from > value.to) {
      context.addIssue({ code: 'custom', path: ['from'], message: 'From date must be the same as or before the to date' });
    }
  });
export type AuditQuery = z.infer<typeof auditQuery>;

export function isRealDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/**
 * The instant a day begins in the UK. Clocks change at 01:00 UTC, so the offset at midnight UTC of
 * the same date is the offset at UK midnight.
 */
export function startOfLondonDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(year, month - 1, date);
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(new Date(guess)).map((p) => [p.type, Number(p.value)]));
  const wallClock = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return new Date(guess - (wallClock - guess));
}

function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/** From the typed filters to the search: "to" includes the whole of that day. */
export function searchFiltersOf(query: AuditQuery): AuditFilters {
  return {
    who: query.who,
    action: query.action,
    subjectType: query.subjectType,
    subjectId: query.subjectId,
    from: query.from ? startOfLondonDay(query.from) : undefined,
    to: query.to ? new Date(startOfLondonDay(nextDay(query.to)).getTime() - 1) : undefined,
    beforeId: query.beforeId,
  };
}

/** Only the filters that were set, as recorded in `audit.viewed` and carried into the "Older events" link. */
function filtersUsed(query: AuditQuery): Record<string, string> {
  const { beforeId: _page, ...filters } = query;
  return Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Reading the trail is itself audited, in the same transaction as the read. */
async function readTrail(services: Services, actor: Actor, query: AuditQuery) {
  return services.audit.transaction(auditActorOf(actor), async (tx, record) => {
    const page = await services.audit.search(searchFiltersOf(query), PAGE_SIZE, tx);
    record({
      action: 'audit.viewed',
      details: { filters: filtersUsed(query), ...(query.beforeId ? { beforeId: query.beforeId } : {}), eventsShown: page.events.length },
    });
    // Events name people (and their details can carry a name): the auditor seeing them is a read of each, recorded like any other.
    const people = new Set(page.events.flatMap((e) => (e.personId ? [e.personId] : [])));
    for (const personId of people) record({ action: 'audit.viewed', personId, subject: { type: 'person', id: personId } });
    return page;
  });
}

type StoredEvent = typeof auditEvent.$inferSelect;

/** Details in one line for the table; the API gives them in full. */
export function summariseDetails(details: Record<string, unknown>, max = 160): string {
  const text = Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function eventRow(event: StoredEvent) {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    actorName: event.actorName,
    actorUserId: event.actorUserId,
    actorAgencyId: event.actorAgencyId,
    actorTeamId: event.actorTeamId,
    action: event.action,
    outcome: event.outcome,
    subject: event.subjectType ? `${event.subjectType} ${event.subjectId ?? ''}`.trim() : null,
    personId: event.personId,
    details: summariseDetails(event.details),
  };
}

function olderEventsHref(query: AuditQuery, nextBeforeId: number | null): string | null {
  if (nextBeforeId === null) return null;
  return `${auditPaths.trail}?${new URLSearchParams({ ...filtersUsed(query), beforeId: String(nextBeforeId) })}`;
}

export function describeVerification(result: Pick<VerificationResult, 'intact' | 'eventsChecked' | 'firstBroken' | 'brokenCount'>): string {
  if (result.intact) return `The audit chain is intact: ${result.eventsChecked} events checked.`;
  const others = result.brokenCount > 1 ? ` It is broken at ${result.brokenCount - 1} more ${result.brokenCount === 2 ? 'place' : 'places'}, listed on the audit trail page.` : '';
  return `The audit chain is broken at event ${result.firstBroken!.id}: ${result.firstBroken!.problem}.${others} Tell your information governance lead.`;
}

/** The unsealed window as auditors see it: how many events wait to be sealed, and how long the oldest has waited. */
export function unsealedWindow(unsealed: Unsealed, now: Date) {
  return { events: unsealed.events, oldestAt: unsealed.oldestAt, oldestAgeSeconds: unsealed.oldestAt ? Math.max(0, Math.round((now.getTime() - unsealed.oldestAt.getTime()) / 1000)) : null };
}

/** "Check everything" on the page or `full=true` in the API: every seal from the first, not only those since the last check. */
const verifyOptions = z.object({
  full: z.preprocess(blankAsMissing, z.enum(['true', 'false'], { error: 'Full must be true or false' }).optional()),
});

// ---- API shapes ----------------------------------------------------------------------------

const apiEvent = z.object({
  id: z.number().int(),
  occurredAt: z.string().describe('ISO 8601 instant'),
  actor: z.object({ userId: z.string().nullable(), name: z.string().nullable(), agencyId: z.string().nullable(), teamId: z.string().nullable() }),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  subject: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  personId: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

const apiEventPage = z.object({
  events: z.array(apiEvent).describe('Newest first'),
  nextBeforeId: z.number().int().nullable().describe('Pass as beforeId for the next, older page; null when there is none'),
});

const apiBreak = z.object({ id: z.number().int().describe('The event, or 0 for a record of a chain check'), problem: z.string() });
const apiUnsealed = z
  .object({
    events: z.number().int(),
    oldestAt: z.string().nullable(),
    oldestAgeSeconds: z.number().int().nullable(),
  })
  .describe('Events written but not yet sealed into the chain, which no check covers yet');

const apiVerificationResult = z.object({
  intact: z.boolean(),
  eventsChecked: z.number().int().describe('Sealed events checked by this run'),
  firstBroken: apiBreak.nullable(),
  broken: z.array(apiBreak).describe('Every broken event found, in order, up to 100'),
  brokenCount: z.number().int(),
  full: z.boolean().describe('False when the check continued from the last intact one'),
  continuedFrom: z.object({ checkedAt: z.string(), throughSealId: z.number().int() }).nullable(),
  throughSealId: z.number().int(),
  headHash: z.string().nullable().describe('The hash of the newest sealed event, when the chain is intact'),
  checkedAt: z.string(),
  unsealed: apiUnsealed,
});

const apiLatestVerification = z.object({
  verification: z
    .object({
      checkedAt: z.string(),
      checkedBy: z.string(),
      eventsChecked: z.number().int(),
      intact: z.boolean(),
      firstBrokenId: z.number().int().nullable(),
      problem: z.string().nullable(),
      headHash: z.string().nullable(),
      fullCheck: z.boolean(),
      brokenCount: z.number().int(),
      broken: z.array(apiBreak),
      throughSealId: z.number().int().nullable(),
    })
    .nullable()
    .describe('Null when the chain has never been checked'),
  unsealed: apiUnsealed,
});

function toApiEvent(event: StoredEvent): z.infer<typeof apiEvent> {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actor: { userId: event.actorUserId, name: event.actorName, agencyId: event.actorAgencyId, teamId: event.actorTeamId },
    action: event.action,
    outcome: event.outcome,
    subject: event.subjectType ? { type: event.subjectType, id: event.subjectId } : null,
    personId: event.personId,
    requestId: event.requestId,
    details: event.details,
  };
}

// ---- Routes --------------------------------------------------------------------------------

export function auditRoutes(services: Services): RouteSpec[] {
  const { audit } = services;
  const verifyFor = (actor: Actor, input: unknown) => {
    const { full } = parseOrThrow(verifyOptions, input ?? {}, 'AUDIT.VERIFY_OPTIONS_INVALID');
    return audit.verifyAndRecord(auditActorOf(actor), actor.name, { full: full === 'true' });
  };
  const unsealedNow = async () => unsealedWindow(await audit.unsealed(), services.clock.now());

  return [
    {
      method: 'GET',
      url: auditPaths.trail,
      access: { permission: 'audit.view' },
      audit: { action: 'audit.viewed' },
      kind: 'page',
      summary: 'Browse the audit trail, newest first, and see the latest chain check',
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const typed = (request.query ?? {}) as Record<string, unknown>;
        const [actions, latest, unsealed] = await Promise.all([audit.knownActions(), audit.latestVerification(), unsealedNow()]);
        const chosen = typeof typed.action === 'string' && typed.action && !actions.includes(typed.action) ? [typed.action] : [];
        const common = { actions: [...chosen, ...actions], latest, unsealed, values: typed, paths: auditPaths };
        const parsed = auditQuery.safeParse(typed);
        // Nothing is read when the filters cannot be understood, so nothing is audited either.
        if (!parsed.success) return reply.view('audit/trail.njk', { ...common, errors: fieldErrorsOf(parsed.error) }, 400);
        const page = await readTrail(services, actor, parsed.data);
        return reply.view('audit/trail.njk', {
          ...common,
          events: page.events.map(eventRow),
          olderHref: olderEventsHref(parsed.data, page.nextBeforeId),
          newestHref: parsed.data.beforeId ? `${auditPaths.trail}?${new URLSearchParams(filtersUsed(parsed.data))}` : null,
          filtered: Object.keys(filtersUsed(parsed.data)).length > 0,
        });
      },
    },
    {
      method: 'POST',
      url: auditPaths.verify,
      access: { permission: 'audit.view' },
      audit: { action: 'audit.verified' },
      kind: 'page',
      summary: 'Check the audit chain now: since the last check, or all of it',
      handler: async (request, reply) => {
        const result = await verifyFor(actorOf(request), request.body);
        return reply.redirectWithNotice(auditPaths.trail, describeVerification(result), result.intact ? 'success' : 'important');
      },
    },
    {
      method: 'GET',
      url: auditPaths.apiEvents,
      access: { permission: 'audit.view' },
      audit: { action: 'audit.viewed' },
      kind: 'api',
      summary: 'Audit events, newest first, a page at a time',
      api: { tags: ['Audit'], query: auditQuery, response: apiEventPage },
      handler: async (request) => {
        const query = parseOrThrow(auditQuery, request.query ?? {}, 'AUDIT.FILTERS_INVALID');
        const page = await readTrail(services, actorOf(request), query);
        return { events: page.events.map(toApiEvent), nextBeforeId: page.nextBeforeId };
      },
    },
    {
      method: 'POST',
      url: auditPaths.apiVerify,
      access: { permission: 'audit.view' },
      audit: { action: 'audit.verified' },
      kind: 'api',
      summary: 'Check the audit chain now: since the last intact check, or all of it with full=true',
      api: { tags: ['Audit'], query: verifyOptions, response: apiVerificationResult },
      handler: async (request) => {
        const result = await verifyFor(actorOf(request), request.query);
        const unsealed = unsealedWindow(result.unsealed, result.checkedAt);
        return {
          intact: result.intact,
          eventsChecked: result.eventsChecked,
          firstBroken: result.firstBroken,
          broken: result.broken,
          brokenCount: result.brokenCount,
          full: result.full,
          continuedFrom: result.continuedFrom ? { ...result.continuedFrom, checkedAt: result.continuedFrom.checkedAt.toISOString() } : null,
          throughSealId: result.throughSealId,
          headHash: result.intact ? result.headHash : null,
          checkedAt: result.checkedAt.toISOString(),
          unsealed: { ...unsealed, oldestAt: unsealed.oldestAt?.toISOString() ?? null },
        };
      },
    },
    {
      method: 'GET',
      url: auditPaths.apiVerification,
      access: { permission: 'audit.view' },
      audit: { none: 'reads only the result of the last chain check, which names no person' },
      kind: 'api',
      summary: 'The latest check of the audit chain',
      api: { tags: ['Audit'], response: apiLatestVerification },
      handler: async () => {
        const [latest, window] = await Promise.all([audit.latestVerification(), unsealedNow()]);
        const unsealed = { ...window, oldestAt: window.oldestAt?.toISOString() ?? null };
        if (!latest) return { verification: null, unsealed };
        const { checkedAt, checkedBy, eventsChecked, intact, firstBrokenId, problem, headHash, fullCheck, brokenCount, broken, throughSealId } = latest;
        return {
          verification: { checkedAt: checkedAt.toISOString(), checkedBy, eventsChecked, intact, firstBrokenId, problem, headHash, fullCheck, brokenCount, broken, throughSealId },
          unsealed,
        };
      },
    },
  ];
}
