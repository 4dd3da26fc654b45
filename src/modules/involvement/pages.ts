import { page, answer, listOf } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PersonAccess } from '../../platform/access/person-access.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { recordPaths } from '../people/paths.js';
import { involvementPaths as paths } from './paths.js';
import { valuesToShow } from '../directory/rules.js';
import { ADDED_ROLES, DOMAIN_NAMES, LIFE_DOMAINS, ROLE_NAMES } from './rules.js';

type Values = Record<string, unknown>;

const VIEWED = { action: 'involvement.viewed' };
const NAMES = { domain: DOMAIN_NAMES, role: ROLE_NAMES };

const idsOf = (request: FastifyRequest) => {
  const params = request.params as Values;
  return {
    personId: referenceOrNotFound(params.personId, 'PEOPLE.NOT_FOUND'),
    involvementId: params.involvementId === undefined ? '' : referenceOrNotFound(params.involvementId, 'INVOLVEMENT.NOT_FOUND'),
  };
};
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Values;
/** What the form sends, as the service reads it: the aspects of care as lists. */
const fromForm = (form: Values) => ({ ...form, domains: listOf(form.domains), leadDomains: listOf(form.leadDomains) });
/** What a form shows: what was typed before a refusal, else the defaults, with its checkboxes as lists. */
const shown = (request: FastifyRequest, defaults: Values): Values & { domains: string[]; leadDomains: string[] } => {
  const values: Values = request.flash?.values ?? defaults;
  return { ...values, domains: listOf(values.domains), leadDomains: listOf(values.leadDomains) };
};
/**
 * A form for an involvement that exists: after a refused save it shows what was typed, unless the
 * involvement changed meanwhile; then what is saved now, and its version, so the coordinator sees
 * the other change before making theirs again.
 */
const showSavedIfChanged = (request: FastifyRequest, saved: Values & { version: number }) => {
  if (request.flash?.values) request.flash.values = valuesToShow(request.flash.values, saved);
  return shown(request, saved);
};

const recordOf = (person: { id: string; name: string }, access: PersonAccess) => ({
  id: person.id,
  name: person.name,
  via: access.via,
  expiresAt: access.level === 'record' ? (access.expiresAt ?? null) : null,
});

/** The aspects of care as checkbox items, ticked as `chosen` says. */
const domainItems = (chosen: readonly string[]) => LIFE_DOMAINS.map((d) => ({ value: d, text: DOMAIN_NAMES[d], checked: chosen.includes(d) }));

export function involvementPages(services: Services): RouteSpec[] {
  const involvement = services.involvement;
  const render = (reply: FastifyReply, view: string, data: Values) => reply.view(`involvement/views/${view}.njk`, { paths, recordPaths, names: NAMES, ...data });

  return [
    page(paths.agencies.pattern, { permission: 'people.view', audit: VIEWED, summary: 'The agencies involved in a person’s care: what each covers, who leads on what, who to ask and how they keep in touch (COORD-6)' }, async (request, reply) => {
      const { personId } = idsOf(request);
      const seen = await involvement.list(actorOf(request), personId);
      return render(reply, 'agencies', { ...seen, record: recordOf(seen.person, seen.access) });
    }),

    page(paths.add.pattern, { permission: 'involvement.manage', audit: VIEWED, summary: 'Form to add an agency to a person’s care' }, async (request, reply) => {
      const { personId } = idsOf(request);
      const offer = await involvement.forAdding(actorOf(request), personId);
      const values = shown(request, { role: 'partner' });
      return render(reply, 'add', {
        ...offer,
        record: recordOf(offer.person, offer.access),
        values,
        agencyItems: [{ value: '', text: 'Select an agency' }, ...offer.agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === values.agencyId }))],
        teamItems: [{ value: '', text: 'No particular team' }, ...offer.teams.map((t) => ({ value: t.id, text: `${t.name} (${t.agencyName})`, selected: t.id === values.teamId }))],
        roleItems: ADDED_ROLES.map((r) => ({ value: r, text: ROLE_NAMES[r], checked: values.role === r })),
        domainItems: domainItems(values.domains),
        leadItems: domainItems(values.leadDomains),
      });
    }),
    answer(paths.add.pattern, { permission: 'involvement.manage', audit: 'involvement.started', summary: 'Add an agency to a person’s care, which shares the record with it (COORD-6, CON-1)' }, async (request, reply) => {
      const { personId } = idsOf(request);
      const added = await involvement.add(actorOf(request), personId, fromForm(formOf(request)));
      return reply.redirectWithNotice(paths.agencies(personId), `${added.agencyName} has been added as ${added.role === 'lead_agency' ? 'the lead agency' : 'a partner agency'}`);
    }),

    page(paths.change.pattern, { permission: 'involvement.manage', audit: VIEWED, summary: 'Form to change what an agency covers and leads on, its key contact and how agencies communicate' }, async (request, reply) => {
      const { personId, involvementId } = idsOf(request);
      const current = await involvement.forChanging(actorOf(request), personId, involvementId, 'change');
      const values = showSavedIfChanged(request, current.values);
      return render(reply, 'change', {
        ...current,
        record: recordOf(current.person, current.access),
        values,
        domainItems: domainItems(values.domains),
        leadItems: domainItems(values.leadDomains),
      });
    }),
    answer(paths.change.pattern, { permission: 'involvement.manage', audit: 'involvement.changed', summary: 'Change what an agency covers and leads on, its key contact and how agencies communicate (COORD-6)' }, async (request, reply) => {
      const { personId, involvementId } = idsOf(request);
      const changed = await involvement.change(actorOf(request), personId, involvementId, fromForm(formOf(request)));
      return reply.redirectWithNotice(paths.agencies(personId), `${changed.agencyName}’s involvement has been updated`);
    }),

    page(paths.end.pattern, { permission: 'involvement.manage', audit: VIEWED, summary: 'Form to end an agency’s involvement in a person’s care' }, async (request, reply) => {
      const { personId, involvementId } = idsOf(request);
      const current = await involvement.forChanging(actorOf(request), personId, involvementId, 'end');
      return render(reply, 'end', { ...current, record: recordOf(current.person, current.access), values: showSavedIfChanged(request, { version: current.values.version }) });
    }),
    answer(paths.end.pattern, { permission: 'involvement.manage', audit: 'involvement.ended', summary: 'End an agency’s involvement in a person’s care; its access ends with it' }, async (request, reply) => {
      const { personId, involvementId } = idsOf(request);
      const { involvement: ended, stillHasAccess } = await involvement.end(actorOf(request), personId, involvementId, formOf(request));
      const notice = `${ended.agencyName}’s involvement has ended`;
      if (stillHasAccess) return reply.redirectWithNotice(paths.agencies(personId), notice);
      // The actor ended their own agency's part: the record is no longer theirs to open.
      return reply.redirectWithNotice(recordPaths.search(), `${notice}. Your agency is no longer involved, so you can no longer open the record.`);
    }),
  ];
}
