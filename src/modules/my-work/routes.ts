import { listOf } from '../../platform/http/page-kit.js';
import { z } from 'zod';
import { hasPermission } from '../../platform/access/decide.js';
import type { Actor } from '../../platform/access/actor.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { fieldErrorsOf, parseOrThrow } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { linkedPaths } from '../cases/paths.js';
import { nextDeadline, PRIORITIES, QUEUE_NAMES, QUEUES, URGENCIES, URGENCY_NAMES, urgencyOfItem, workFilter, type Queue, type WorkFilter, type WorkItem } from './rules.js';
import type { Work } from './service.js';
import { onTheWire } from '../../platform/http/api-endpoint.js';

export const myWorkPaths = { home: '/', api: '/api/v1/my-work' } as const;

// ---- The API's answer: the same queues as the page ------------------------------------------------

const id = z.uuid();
const timestamp = z.iso.datetime();
const deadline = z.object({
  id,
  kind: z.string().describe('e.g. referral.screen, waiting.risk_check, case.meeting'),
  ruleId: z.string().describe('The practice rule that set it, e.g. REF-3'),
  title: z.string(),
  dueAt: timestamp,
  urgency: z.enum(URGENCIES),
  owner: z.enum(['you', 'your team', 'someone else']),
});
const item = z.object({
  person: z.object({ id, name: z.string() }).nullable(),
  subject: z.object({ type: z.string().describe('What the row is about: referral, case, or another kind a module registers'), id, reference: z.string().nullable() }),
  stage: z.string(),
  priority: z.enum(PRIORITIES).nullable().describe('Where the subject’s kind grades it, e.g. a referral: emergency, urgent or routine (as screened, or as suggested until then); null otherwise'),
  urgency: z.enum(URGENCIES).nullable().describe('The urgency of the next deadline; null when nothing is due'),
  next: deadline.nullable(),
  deadlines: z.array(deadline).describe('Every still-due deadline, earliest first'),
});
export const workResponse = z.object({
  asAt: timestamp,
  queues: z.array(z.object({ queue: z.enum(QUEUES), name: z.string(), items: z.array(item) })).describe('Only the queues your roles give you, most pressing row first'),
});


function apiAnswer(work: Work) {
  return workResponse.parse(
    onTheWire({
      asAt: work.asAt,
      queues: work.sections.map((s) => ({
        queue: s.queue,
        name: QUEUE_NAMES[s.queue],
        items: s.items.map((i) => ({ ...i, urgency: urgencyOfItem(i), next: nextDeadline(i) })),
      })),
    }),
  );
}

// ---- The page ---------------------------------------------------------------------------------------

const HOME = 'my-work/views/home.njk';
/** Sorts rows with no deadline after every real one (the year 2286). */
const NO_DEADLINE = 9_999_999_999_999;


function filterUrl(filter: { kind: readonly string[]; urgency: readonly string[] }) {
  const query = new URLSearchParams();
  for (const k of filter.kind) query.append('kind', k);
  for (const u of filter.urgency) query.append('urgency', u);
  const text = query.toString();
  return text ? `${myWorkPaths.home}?${text}` : myWorkPaths.home;
}

function rowView(item: WorkItem) {
  const next = nextDeadline(item);
  return {
    person: item.person ? { name: item.person.name, href: linkedPaths.person(item.person.id) } : null,
    // A kind without references reads by its title; a subject with no page to go to is not a link.
    subject: { text: item.subject.reference ?? item.subject.title, href: item.subject.link },
    stage: item.stage,
    priority: item.priority,
    next,
    later: item.deadlines.slice(1),
    dueSort: next ? next.dueAt.getTime() : NO_DEADLINE,
    urgencySort: next ? URGENCIES.indexOf(next.urgency) : URGENCIES.length,
  };
}

/** The filter's checkboxes and the "selected filters" tags, each tag a link that removes it. */
function filterView(available: Queue[], chosen: { kind: string[]; urgency: string[] }) {
  const without = (name: 'kind' | 'urgency', value: string) => filterUrl({ ...chosen, [name]: chosen[name].filter((v) => v !== value) });
  const kinds = available.filter((q) => chosen.kind.includes(q));
  const urgencies = URGENCIES.filter((u) => chosen.urgency.includes(u));
  const categories = [
    ...(kinds.length ? [{ heading: { text: 'Kind of work' }, items: kinds.map((q) => ({ text: QUEUE_NAMES[q], href: without('kind', q) })) }] : []),
    ...(urgencies.length ? [{ heading: { text: 'Urgency' }, items: urgencies.map((u) => ({ text: URGENCY_NAMES[u], href: without('urgency', u) })) }] : []),
  ];
  return {
    kindItems: available.map((q) => ({ value: q, text: QUEUE_NAMES[q], checked: chosen.kind.includes(q) })),
    urgencyItems: URGENCIES.map((u) => ({ value: u, text: URGENCY_NAMES[u], checked: chosen.urgency.includes(u) })),
    selected: categories.length ? { heading: { text: 'Selected filters' }, clearLink: { text: 'Clear filters', href: myWorkPaths.home }, categories } : undefined,
  };
}

function otherLinks(actor: Actor) {
  return {
    canSearch: hasPermission(actor, 'people.search'),
    canManageDirectory: hasPermission(actor, 'directory.manage'),
    canAudit: hasPermission(actor, 'audit.view'),
    canAllocate: hasPermission(actor, 'referrals.allocate'),
  };
}

const READS_PEOPLE = { action: 'work.viewed' };

/** My work: the home page, and its API twin. */
export function myWorkRoutes(services: Services): RouteSpec[] {
  const work = services.myWork;
  return [
    {
      method: 'GET',
      url: myWorkPaths.home,
      access: { permission: 'workspace.view' },
      audit: READS_PEOPLE,
      kind: 'page',
      summary: 'My work: the duty queue, allocation and waiting list, your cases and deadlines near or passed',
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const parsed = workFilter.safeParse(request.query);
        if (!parsed.success) {
          // Nothing is read until the filter makes sense: the page shows what was wrong, with what was typed.
          const query = request.query as Record<string, unknown>;
          const { queues } = await work.available(actor);
          const known = { kind: listOf(query.kind).filter((k) => (QUEUES as readonly string[]).includes(k)), urgency: listOf(query.urgency).filter((u) => (URGENCIES as readonly string[]).includes(u)) };
          return reply.view(HOME, {
            ...otherLinks(actor),
            ...filterView(queues, known),
            available: queues,
            errors: fieldErrorsOf(parsed.error),
            sections: [],
          });
        }
        const result = await work.gather(actor, parsed.data);
        return reply.view(HOME, {
          ...otherLinks(actor),
          ...filterView(result.available, parsed.data),
          available: result.available,
          asAt: result.asAt,
          filtered: parsed.data.kind.length > 0 || parsed.data.urgency.length > 0,
          sections: result.sections.map((s) => ({ queue: s.queue, name: QUEUE_NAMES[s.queue], rows: s.items.map(rowView) })),
        });
      },
    },
    {
      method: 'GET',
      url: myWorkPaths.api,
      access: { permission: 'workspace.view' },
      audit: READS_PEOPLE,
      kind: 'api',
      summary: 'My work: the duty queue, allocation and waiting list, your cases and deadlines near or passed',
      api: { tags: ['My work'], query: workFilter, response: workResponse },
      handler: async (request, reply) => {
        const filter: WorkFilter = parseOrThrow(workFilter, request.query, 'MY_WORK.FILTER_INVALID');
        return reply.send(apiAnswer(await work.gather(actorOf(request), filter)));
      },
    },
  ];
}
