import { page, answer, listOf } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.js';
import { decide, hasPermission } from '../../platform/access/decide.js';
import { ROLES, ROLE_NAMES, type Permission } from '../../platform/access/policy.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { fieldErrorsOf, referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { userListQuery } from './api.js';
import { directoryPaths as paths } from './paths.js';
import { AGENCY_TYPES, AGENCY_TYPE_NAMES, PARTNERSHIP_ONLY_ROLES, valuesToShow, type AccountChange } from './rules.js';

const READ = { none: 'the staff directory, not a person’s record' };
const SHOWS_FORM = { none: 'shows a form or a question; nothing changes until it is sent' };


const render = (reply: FastifyReply, view: string, data: Record<string, unknown>) =>
  reply.view(`directory/views/${view}.njk`, { paths, agencyTypeNames: AGENCY_TYPE_NAMES, ...data });

const idFrom = (request: FastifyRequest, name: string) => referenceOrNotFound((request.params as Record<string, unknown>)[name]);
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
/** What the last, refused submission held, if this GET follows one. */
const typed = (request: FastifyRequest) => request.flash?.values;
/** An edit form after a refused save shows what was typed, or what is saved now if someone else changed it meanwhile. */
function showSavedIfChanged(request: FastifyRequest, current: { version: number }): Record<string, unknown> {
  if (request.flash?.values) request.flash.values = valuesToShow(request.flash.values, current);
  return request.flash?.values ?? current;
}

/**
 * The roles this actor may hand out, as checkbox items: the same decisions the service applies. Roles
 * only a partnership administrator gives stay listed where the membership already holds them, so
 * saving other changes keeps them.
 */
function roleItems(actor: Actor, chosen: unknown, held: readonly string[] = []) {
  const picked = listOf(chosen);
  const mayGive = (role: (typeof ROLES)[number]) =>
    decide(actor, 'directory.manage', { grantsRoles: [role] }).allowed && (!PARTNERSHIP_ONLY_ROLES.includes(role) || actor.roles.includes('partnership_administrator'));
  return ROLES.filter((role) => mayGive(role) || held.includes(role)).map((role) => ({
    value: role,
    text: ROLE_NAMES[role],
    checked: picked.includes(role),
  }));
}

const agencyTypeItems = AGENCY_TYPES.map((type) => ({ value: type, text: AGENCY_TYPE_NAMES[type] }));

type Confirmation = { caption: string; title: string; lines: string[]; button: string; action: string; cancel: string; warning?: string; destructive?: boolean };
const confirm = (reply: FastifyReply, question: Confirmation) => render(reply, 'confirm', question);

export function directoryPages(services: Services): RouteSpec[] {
  const directory = services.directory;

  async function managedAgency(request: FastifyRequest) {
    const actor = actorOf(request);
    const agency = await directory.getAgency(actor, idFrom(request, 'agencyId'));
    await directory.requireManagerOf(actor, agency.id, { type: 'agency', id: agency.id });
    return agency;
  }
  async function managedTeam(request: FastifyRequest) {
    const actor = actorOf(request);
    const team = await directory.getTeam(actor, idFrom(request, 'teamId'));
    await directory.requireManagerOf(actor, team.agencyId, { type: 'team', id: team.id });
    return team;
  }
  /** A user this actor manages, for a form: refused first, as the write would be, for an account-wide change they may not make. */
  async function managedUser(request: FastifyRequest, change?: AccountChange) {
    const actor = actorOf(request);
    const user = await directory.getUser(actor, idFrom(request, 'userId'));
    await directory.requireManagerOf(actor, user.agencyId, { type: 'user', id: user.id });
    if (change) await directory.requireAccountChange(actor, user.id, change);
    return user;
  }
  const managedMembership = (request: FastifyRequest) => directory.getManagedMembership(actorOf(request), idFrom(request, 'membershipId'));

  /** Deactivate and reactivate, for agencies and teams: a question page and its answer at one URL. */
  function switchRoutes(kind: 'agency' | 'team', active: boolean): RouteSpec[] {
    const builder = kind === 'agency' ? (active ? paths.agencyReactivate : paths.agencyDeactivate) : active ? paths.teamReactivate : paths.teamDeactivate;
    const permission: Permission = kind === 'agency' ? 'directory.manage_agencies' : 'directory.manage';
    const verb = active ? 'reactivate' : 'deactivate';
    const load = async (request: FastifyRequest) => {
      if (kind === 'team') {
        const team = await managedTeam(request);
        await directory.requireSwitch(actorOf(request), 'team', team.id, active);
        return { id: team.id, name: team.name, caption: team.agencyName, home: paths.team(team.id) };
      }
      const agency = await directory.getAgency(actorOf(request), idFrom(request, 'agencyId'));
      await directory.requireSwitch(actorOf(request), 'agency', agency.id, active);
      return { id: agency.id, name: agency.name, caption: AGENCY_TYPE_NAMES[agency.type], home: paths.agency(agency.id) };
    };
    const consequence =
      kind === 'agency'
        ? active
          ? ['Its active teams and users can act for it again.']
          : ['Its users can no longer act for any of its teams. Their accounts and the agency’s records are kept.', 'You can reactivate the agency later.']
        : active
          ? ['Its members can act for it again.']
          : ['Its members can no longer act for it, and it cannot be chosen for new users. Memberships and records are kept.', 'You can reactivate the team later.'];
    return [
      page(builder.pattern, { permission: permission, audit: SHOWS_FORM, summary: `Check before you ${verb} a ${kind}` }, async (request, reply) => {
        const target = await load(request);
        return confirm(reply, {
          caption: target.caption,
          title: `${active ? 'Reactivate' : 'Deactivate'} ${target.name}?`,
          lines: consequence,
          button: `${active ? 'Reactivate' : 'Deactivate'} ${kind}`,
          action: builder(target.id),
          cancel: target.home,
          destructive: !active,
        });
      }),
      answer(builder.pattern, { permission: permission, audit: `directory.${kind}_${verb}d`, summary: `${active ? 'Reactivate' : 'Deactivate'} a ${kind}` }, async (request, reply) => {
        const actor = actorOf(request);
        const id = idFrom(request, kind === 'agency' ? 'agencyId' : 'teamId');
        const row = kind === 'agency' ? await directory.setAgencyActive(actor, id, active) : await directory.setTeamActive(actor, id, active);
        return reply.redirectWithNotice(kind === 'agency' ? paths.agency(id) : paths.team(id), `${row.name} has been ${verb}d`);
      }),
    ];
  }

  return [
    // ---- Agencies ----------------------------------------------------------------------------
    page(paths.index.pattern, { permission: 'directory.view', audit: READ, summary: 'The partnership’s agencies' }, async (request, reply) => {
      const actor = actorOf(request);
      return render(reply, 'index', { agencies: await directory.listAgencies(actor), canAddAgency: hasPermission(actor, 'directory.manage_agencies') });
    }),
    page(paths.agencyNew.pattern, { permission: 'directory.manage_agencies', audit: SHOWS_FORM, summary: 'Form to add an agency' }, async (_request, reply) =>
      render(reply, 'agency-form', { agencyTypeItems, action: paths.agencyNew(), cancel: paths.index() })),
    answer(paths.agencyNew.pattern, { permission: 'directory.manage_agencies', audit: 'directory.agency_created', summary: 'Add an agency' }, async (request, reply) => {
      const created = await directory.createAgency(actorOf(request), formOf(request));
      return reply.redirectWithNotice(paths.agency(created.id), `${created.name} has been added`);
    }),
    page(paths.agency.pattern, { permission: 'directory.view', audit: READ, summary: 'An agency, its teams and its users' }, async (request, reply) => {
      const actor = actorOf(request);
      const agency = await directory.getAgency(actor, idFrom(request, 'agencyId'));
      const users = await directory.listUsers(actor, { agencyId: agency.id });
      return render(reply, 'agency', { agency, users, canManageAgencies: hasPermission(actor, 'directory.manage_agencies') });
    }),
    page(paths.agencyEdit.pattern, { permission: 'directory.manage_agencies', audit: SHOWS_FORM, summary: 'Form to change an agency' }, async (request, reply) => {
      const agency = await directory.getAgency(actorOf(request), idFrom(request, 'agencyId'));
      showSavedIfChanged(request, agency);
      return render(reply, 'agency-form', { agency, values: agency, agencyTypeItems, action: paths.agencyEdit(agency.id), cancel: paths.agency(agency.id) });
    }),
    answer(paths.agencyEdit.pattern, { permission: 'directory.manage_agencies', audit: 'directory.agency_updated', summary: 'Change an agency' }, async (request, reply) => {
      const updated = await directory.updateAgency(actorOf(request), idFrom(request, 'agencyId'), formOf(request));
      return reply.redirectWithNotice(paths.agency(updated.id), `${updated.name} has been updated`);
    }),
    ...switchRoutes('agency', false),
    ...switchRoutes('agency', true),

    // ---- Teams -------------------------------------------------------------------------------
    page(paths.teamNew.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to add a team' }, async (request, reply) => {
      const agency = await managedAgency(request);
      return render(reply, 'team-form', { agency, action: paths.teamNew(agency.id), cancel: paths.agency(agency.id) });
    }),
    answer(paths.teamNew.pattern, { permission: 'directory.manage', audit: 'directory.team_created', summary: 'Add a team' }, async (request, reply) => {
      const created = await directory.createTeam(actorOf(request), idFrom(request, 'agencyId'), formOf(request));
      return reply.redirectWithNotice(paths.team(created.id), `${created.name} has been added`);
    }),
    page(paths.team.pattern, { permission: 'directory.view', audit: READ, summary: 'A team and its members' }, async (request, reply) =>
      render(reply, 'team', { team: await directory.getTeam(actorOf(request), idFrom(request, 'teamId')) })),
    page(paths.teamEdit.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to change a team' }, async (request, reply) => {
      const team = await managedTeam(request);
      showSavedIfChanged(request, team);
      return render(reply, 'team-form', { team, values: team, action: paths.teamEdit(team.id), cancel: paths.team(team.id) });
    }),
    answer(paths.teamEdit.pattern, { permission: 'directory.manage', audit: 'directory.team_updated', summary: 'Change a team' }, async (request, reply) => {
      const updated = await directory.updateTeam(actorOf(request), idFrom(request, 'teamId'), formOf(request));
      return reply.redirectWithNotice(paths.team(updated.id), `${updated.name} has been updated`);
    }),
    ...switchRoutes('team', false),
    ...switchRoutes('team', true),

    // ---- Users -------------------------------------------------------------------------------
    page(paths.users.pattern, { permission: 'directory.view', audit: READ, summary: 'Find people in the directory' }, async (request, reply) => {
      const actor = actorOf(request);
      const parsed = userListQuery.safeParse(request.query);
      const filters = parsed.success ? parsed.data : { q: undefined, agencyId: undefined, teamId: undefined, includeInactive: false };
      const [agencies, teams, people] = await Promise.all([
        directory.listAgencies(actor),
        directory.listAllTeams(actor),
        parsed.success ? directory.listUsers(actor, { ...filters, text: filters.q }) : Promise.resolve([]),
      ]);
      const teamChoices = teams.filter((t) => t.active && (!filters.agencyId || t.agencyId === filters.agencyId));
      return render(reply, 'users', {
        values: request.query,
        errors: parsed.success ? undefined : fieldErrorsOf(parsed.error),
        agencyItems: [{ value: '', text: 'Any agency' }, ...agencies.map((a) => ({ value: a.id, text: a.name }))],
        teamItems: [
          { value: '', text: 'Any team' },
          ...teamChoices.map((t) => ({ value: t.id, text: filters.agencyId ? t.name : `${t.name} (${t.agencyName})` })),
        ],
        people,
        searched: Object.values(filters).some(Boolean),
        canSeeInactive: hasPermission(actor, 'directory.manage'),
        includeInactive: filters.includeInactive,
      });
    }),
    page(paths.userNew.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to add a user' }, async (request, reply) => {
      const agency = await managedAgency(request);
      const preset = { teamId: (request.query as Record<string, unknown>).teamId };
      return render(reply, 'user-form', {
        agency,
        values: preset,
        teamItems: [{ value: '', text: 'Select a team' }, ...agency.teams.filter((t) => t.active).map((t) => ({ value: t.id, text: t.name }))],
        roleItems: roleItems(actorOf(request), typed(request)?.roles),
        action: paths.userNew(agency.id),
        cancel: paths.agency(agency.id),
      });
    }),
    answer(paths.userNew.pattern, { permission: 'directory.manage', audit: 'directory.user_created', summary: 'Add a user' }, async (request, reply) => {
      const form = formOf(request);
      const created = await directory.createUser(actorOf(request), idFrom(request, 'agencyId'), { ...form, roles: listOf(form.roles) });
      return reply.redirectWithNotice(paths.user(created.id), `${created.name} has been added`);
    }),
    page(paths.user.pattern, { permission: 'directory.view', audit: READ, summary: 'A user and their team memberships' }, async (request, reply) => {
      const actor = actorOf(request);
      const user = await directory.getUser(actor, idFrom(request, 'userId'));
      const current = user.memberships.filter((m) => m.active);
      return render(reply, 'user', { user, current, past: user.memberships.filter((m) => !m.active), isSelf: user.id === actor.userId });
    }),
    page(paths.userEdit.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to change a user’s details' }, async (request, reply) => {
      const user = await managedUser(request, 'details');
      showSavedIfChanged(request, user);
      return render(reply, 'user-form', { user, values: user, action: paths.userEdit(user.id), cancel: paths.user(user.id) });
    }),
    answer(paths.userEdit.pattern, { permission: 'directory.manage', audit: 'directory.user_updated', summary: 'Change a user’s details' }, async (request, reply) => {
      const updated = await directory.updateUser(actorOf(request), idFrom(request, 'userId'), formOf(request));
      return reply.redirectWithNotice(paths.user(updated.id), `${updated.name}’s details have been updated`);
    }),
    page(paths.userDeactivate.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Check before you deactivate a user' }, async (request, reply) => {
      const user = await managedUser(request, 'deactivate');
      return confirm(reply, {
        caption: user.agencyName,
        title: `Deactivate ${user.name}?`,
        lines: [
          `${user.name} will no longer be able to sign in or use the API.`,
          'Their account, memberships and everything they have recorded are kept. You can reactivate them later.',
        ],
        warning: 'Any session they have open and all their API tokens end immediately.',
        button: 'Deactivate user',
        action: paths.userDeactivate(user.id),
        cancel: paths.user(user.id),
        destructive: true,
      });
    }),
    answer(paths.userDeactivate.pattern, { permission: 'directory.manage', audit: 'directory.user_deactivated', summary: 'Deactivate a user, ending their sessions and API tokens' }, async (request, reply) => {
      const actor = actorOf(request);
      const id = idFrom(request, 'userId');
      const ended = await directory.deactivateUser(actor, id);
      const user = await directory.getUser(actor, id);
      const what = `${ended.sessions} ${ended.sessions === 1 ? 'session' : 'sessions'} and ${ended.tokens} API ${ended.tokens === 1 ? 'token' : 'tokens'} ended`;
      return reply.redirectWithNotice(paths.user(id), `${user.name} has been deactivated: ${what}`);
    }),
    page(paths.userReactivate.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Check before you reactivate a user' }, async (request, reply) => {
      const user = await managedUser(request, 'reactivate');
      return confirm(reply, {
        caption: user.agencyName,
        title: `Reactivate ${user.name}?`,
        lines: [`${user.name} will be able to sign in again, with their current team memberships and roles.`, 'Check their roles are still right first.'],
        button: 'Reactivate user',
        action: paths.userReactivate(user.id),
        cancel: paths.user(user.id),
      });
    }),
    answer(paths.userReactivate.pattern, { permission: 'directory.manage', audit: 'directory.user_reactivated', summary: 'Reactivate a user' }, async (request, reply) => {
      const actor = actorOf(request);
      const id = idFrom(request, 'userId');
      await directory.reactivateUser(actor, id);
      const user = await directory.getUser(actor, id);
      return reply.redirectWithNotice(paths.user(id), `${user.name} has been reactivated`);
    }),
    page(paths.userPassword.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to set a new password for a user' }, async (request, reply) => {
      const user = await managedUser(request, 'password');
      return render(reply, 'password', { user, action: paths.userPassword(user.id), cancel: paths.user(user.id) });
    }),
    answer(paths.userPassword.pattern, { permission: 'directory.manage', audit: 'directory.password_reset', summary: 'Set a new password for a user' }, async (request, reply) => {
      const id = idFrom(request, 'userId');
      await directory.resetPassword(actorOf(request), id, formOf(request).password);
      return reply.redirectWithNotice(paths.user(id), 'The new password has been set. Any sessions and API tokens the user had have ended');
    }),

    // ---- Memberships -------------------------------------------------------------------------
    page(paths.membershipNew.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to add a user to a team' }, async (request, reply) => {
      const actor = actorOf(request);
      const user = await managedUser(request);
      const agency = await directory.getAgency(actor, user.agencyId);
      const current = new Set(user.memberships.filter((m) => m.active).map((m) => m.teamId));
      return render(reply, 'membership-form', {
        user,
        teamItems: [{ value: '', text: 'Select a team' }, ...agency.teams.filter((t) => t.active && !current.has(t.id)).map((t) => ({ value: t.id, text: t.name }))],
        roleItems: roleItems(actor, typed(request)?.roles),
        action: paths.membershipNew(user.id),
        cancel: paths.user(user.id),
      });
    }),
    answer(paths.membershipNew.pattern, { permission: 'directory.manage', audit: 'directory.membership_added', summary: 'Add a user to a team' }, async (request, reply) => {
      const id = idFrom(request, 'userId');
      const form = formOf(request);
      await directory.addMembership(actorOf(request), id, { ...form, roles: listOf(form.roles) });
      return reply.redirectWithNotice(paths.user(id), 'The team membership has been added');
    }),
    page(paths.membershipRoles.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Form to change the roles a membership gives' }, async (request, reply) => {
      const membership = await managedMembership(request);
      const values = showSavedIfChanged(request, membership);
      return render(reply, 'membership-form', {
        membership,
        values,
        roleItems: roleItems(actorOf(request), values.roles, membership.roles),
        action: paths.membershipRoles(membership.id),
        cancel: paths.user(membership.userId),
      });
    }),
    answer(paths.membershipRoles.pattern, { permission: 'directory.manage', audit: 'directory.membership_changed', summary: 'Change the roles a membership gives' }, async (request, reply) => {
      const membership = await managedMembership(request);
      const form = formOf(request);
      await directory.changeRoles(actorOf(request), membership.id, { roles: listOf(form.roles), version: form.version });
      return reply.redirectWithNotice(paths.user(membership.userId), `${membership.userName}’s roles in ${membership.teamName} have been changed`);
    }),
    page(paths.membershipEnd.pattern, { permission: 'directory.manage', audit: SHOWS_FORM, summary: 'Check before you end a membership' }, async (request, reply) => {
      const membership = await managedMembership(request);
      return confirm(reply, {
        caption: membership.userName,
        title: `Remove ${membership.userName} from ${membership.teamName}?`,
        lines: membership.canEnd
          ? [`${membership.userName} will no longer be able to act for ${membership.teamName}. Their other teams are not affected.`]
          : [`${membership.teamName} is ${membership.userName}’s only team. Add them to another team first, or deactivate the user.`],
        button: membership.canEnd ? 'End membership' : '',
        action: paths.membershipEnd(membership.id),
        cancel: paths.user(membership.userId),
        destructive: true,
      });
    }),
    answer(paths.membershipEnd.pattern, { permission: 'directory.manage', audit: 'directory.membership_ended', summary: 'End a membership' }, async (request, reply) => {
      const membership = await managedMembership(request);
      await directory.endMembership(actorOf(request), membership.id);
      return reply.redirectWithNotice(paths.user(membership.userId), `${membership.userName} is no longer a member of ${membership.teamName}`);
    }),
  ];
}
