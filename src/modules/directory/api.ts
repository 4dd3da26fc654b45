import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { ROLES } from '../../platform/access/policy.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { parseOrThrow, referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { directoryApiPaths as api } from './paths.js';
import { AGENCY_TYPES, agencyInput, membershipInput, newUserInput, teamInput, userInput, versionField } from './rules.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';

// ---- Shapes, written once: requests reuse the rules' input schemas; responses are defined here ----

/** A reference chosen from a list; an empty choice (a form's "Any agency") means no filter. */
const optionalReference = (message: string) =>
  z
    .union([z.literal(''), z.uuid({ error: message })], { error: message })
    .optional()
    .transform((value) => value || undefined);

/** The people search, shared by the API's query string and the page's filter form. */
export const userListQuery = z.object({
  q: z
    .string({ error: 'Enter the name or email address to search for' })
    .trim()
    .max(100, 'Search text must be 100 characters or fewer')
    .optional()
    .transform((value) => value || undefined)
    .describe('Part of a name or email address'),
  agencyId: optionalReference('Select an agency from the list').describe('Only people in this agency'),
  teamId: optionalReference('Select a team from the list').describe('Only people with a current membership of this team'),
  includeInactive: z
    .enum(['true', 'false', ''], { error: 'Include deactivated users must be true or false' })
    .optional()
    .transform((value) => value === 'true')
    .describe('Administrators only: include deactivated users'),
});
export type UserListQuery = z.output<typeof userListQuery>;

const password = z.string().describe('At least 12 characters and not a common password (NCSC guidance: length and a deny-list)');
const newUserBody = newUserInput.extend({ password });
const passwordBody = z.object({ password });
/** An edit names the version it was made against: a change made since is then refused (409), not overwritten. */
const withVersion = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) => schema.extend({ version: versionField.describe('The version you last read') });
const rolesBody = withVersion(membershipInput.pick({ roles: true }));
const version = z.number().int().describe('Send it back with a change: a change made since is then refused, not overwritten');

const id = z.uuid();
const timestamp = z.iso.datetime();
const optionalText = z.string().nullable();
const roles = z.array(z.enum(ROLES));

const teamSummary = z.object({ id, agencyId: id, name: z.string(), description: optionalText, active: z.boolean(), memberCount: z.number().int() });
const agencySummary = z.object({ id, name: z.string(), type: z.enum(AGENCY_TYPES), active: z.boolean(), teamCount: z.number().int(), userCount: z.number().int() });
const agencyDetail = agencySummary
  .omit({ teamCount: true, userCount: true })
  .extend({ email: optionalText, phone: optionalText, version, createdAt: timestamp, updatedAt: timestamp, teams: z.array(teamSummary) });
const member = z.object({ membershipId: id, userId: id, name: z.string(), email: z.string(), roles });
const teamDetail = teamSummary
  .omit({ memberCount: true })
  .extend({ agencyName: z.string(), email: optionalText, phone: optionalText, version, createdAt: timestamp, updatedAt: timestamp, members: z.array(member) });
const userSummary = z.object({ id, name: z.string(), email: z.string(), jobTitle: optionalText, active: z.boolean(), agencyId: id, agencyName: z.string() });
const membership = z.object({
  id,
  teamId: id,
  teamName: z.string(),
  agencyId: id,
  agencyName: z.string(),
  roles,
  active: z.boolean(),
  version,
  createdAt: timestamp,
  endedAt: timestamp.nullable(),
});
const userDetail = userSummary.extend({
  phone: optionalText,
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
  deactivatedAt: timestamp.nullable(),
  memberships: z.array(membership).describe('Current memberships; administrators of the user’s agency also see ended ones'),
});

const agencyParams = z.object({ agencyId: id });
const teamParams = z.object({ teamId: id });
const userParams = z.object({ userId: id });
const membershipParams = z.object({ membershipId: id });

// ---- Plumbing ----

const READ = { none: 'the staff directory, not a person’s record' };
const endpoint = apiEndpoints(['Directory']);


const param = (request: FastifyRequest, name: string) => referenceOrNotFound((request.params as Record<string, unknown>)[name]);



export function directoryApi(services: Services): RouteSpec[] {
  const directory = services.directory;
  const agencyOf = (actor: Actor, agencyId: string) => directory.getAgency(actor, agencyId);
  const teamOf = (actor: Actor, teamId: string) => directory.getTeam(actor, teamId);
  const userOf = (actor: Actor, userId: string) => directory.getUser(actor, userId);
  const membershipOf = async (actor: Actor, userId: string, membershipId: string) => {
    const user = await directory.getUser(actor, userId);
    return user.memberships.find((m) => m.id === membershipId);
  };

  return [
    // Agencies
    endpoint('GET', api.agencies.pattern, 'directory.view', READ, 'List the partnership’s agencies',
      { response: z.object({ agencies: z.array(agencySummary) }) },
      async (_request, actor) => ({ agencies: await directory.listAgencies(actor) })),
    endpoint('POST', api.agencies.pattern, 'directory.manage_agencies', { action: 'directory.agency_created' }, 'Add an agency',
      { body: agencyInput, response: agencyDetail, successStatus: 201 },
      async (request, actor) => agencyOf(actor, (await directory.createAgency(actor, request.body)).id),
      (body) => api.agency(body.id)),
    endpoint('GET', api.agency.pattern, 'directory.view', READ, 'An agency, with its teams',
      { params: agencyParams, response: agencyDetail },
      async (request, actor) => agencyOf(actor, param(request, 'agencyId'))),
    endpoint('PUT', api.agency.pattern, 'directory.manage_agencies', { action: 'directory.agency_updated' }, 'Change an agency’s details',
      { params: agencyParams, body: withVersion(agencyInput), response: agencyDetail },
      async (request, actor) => agencyOf(actor, (await directory.updateAgency(actor, param(request, 'agencyId'), request.body)).id)),
    endpoint('POST', api.agencyDeactivate.pattern, 'directory.manage_agencies', { action: 'directory.agency_deactivated' }, 'Deactivate an agency',
      { params: agencyParams, response: agencyDetail },
      async (request, actor) => agencyOf(actor, (await directory.setAgencyActive(actor, param(request, 'agencyId'), false)).id)),
    endpoint('POST', api.agencyReactivate.pattern, 'directory.manage_agencies', { action: 'directory.agency_reactivated' }, 'Reactivate an agency',
      { params: agencyParams, response: agencyDetail },
      async (request, actor) => agencyOf(actor, (await directory.setAgencyActive(actor, param(request, 'agencyId'), true)).id)),

    // Teams
    endpoint('GET', api.agencyTeams.pattern, 'directory.view', READ, 'List an agency’s teams',
      { params: agencyParams, response: z.object({ teams: z.array(teamSummary) }) },
      async (request, actor) => ({ teams: (await agencyOf(actor, param(request, 'agencyId'))).teams })),
    endpoint('POST', api.agencyTeams.pattern, 'directory.manage', { action: 'directory.team_created' }, 'Add a team to an agency',
      { params: agencyParams, body: teamInput, response: teamDetail, successStatus: 201 },
      async (request, actor) => teamOf(actor, (await directory.createTeam(actor, param(request, 'agencyId'), request.body)).id),
      (body) => api.team(body.id)),
    endpoint('GET', api.team.pattern, 'directory.view', READ, 'A team, with its current members and their roles',
      { params: teamParams, response: teamDetail },
      async (request, actor) => teamOf(actor, param(request, 'teamId'))),
    endpoint('PUT', api.team.pattern, 'directory.manage', { action: 'directory.team_updated' }, 'Change a team’s details',
      { params: teamParams, body: withVersion(teamInput), response: teamDetail },
      async (request, actor) => teamOf(actor, (await directory.updateTeam(actor, param(request, 'teamId'), request.body)).id)),
    endpoint('POST', api.teamDeactivate.pattern, 'directory.manage', { action: 'directory.team_deactivated' }, 'Deactivate a team',
      { params: teamParams, response: teamDetail },
      async (request, actor) => teamOf(actor, (await directory.setTeamActive(actor, param(request, 'teamId'), false)).id)),
    endpoint('POST', api.teamReactivate.pattern, 'directory.manage', { action: 'directory.team_reactivated' }, 'Reactivate a team',
      { params: teamParams, response: teamDetail },
      async (request, actor) => teamOf(actor, (await directory.setTeamActive(actor, param(request, 'teamId'), true)).id)),

    // Users
    endpoint('GET', api.users.pattern, 'directory.view', READ, 'Find people in the directory (at most 200, by name)',
      { query: userListQuery, response: z.object({ users: z.array(userSummary) }) },
      async (request, actor) => {
        const { q, ...filters } = parseOrThrow(userListQuery, request.query, 'DIRECTORY.SEARCH_INVALID');
        return { users: await directory.listUsers(actor, { ...filters, text: q }) };
      }),
    endpoint('POST', api.agencyUsers.pattern, 'directory.manage', { action: 'directory.user_created' }, 'Add a user to an agency, with their first team, roles and initial password',
      { params: agencyParams, body: newUserBody, response: userDetail, successStatus: 201 },
      async (request, actor) => userOf(actor, (await directory.createUser(actor, param(request, 'agencyId'), request.body)).id),
      (body) => api.user(body.id)),
    endpoint('GET', api.user.pattern, 'directory.view', READ, 'A user, with their team memberships',
      { params: userParams, response: userDetail },
      async (request, actor) => userOf(actor, param(request, 'userId'))),
    endpoint('PUT', api.user.pattern, 'directory.manage', { action: 'directory.user_updated' }, 'Change a user’s details',
      { params: userParams, body: withVersion(userInput), response: userDetail },
      async (request, actor) => userOf(actor, (await directory.updateUser(actor, param(request, 'userId'), request.body)).id)),
    endpoint('POST', api.userDeactivate.pattern, 'directory.manage', { action: 'directory.user_deactivated' }, 'Deactivate a user: their sessions and API tokens end at once',
      { params: userParams, response: userDetail },
      async (request, actor) => {
        const userId = param(request, 'userId');
        await directory.deactivateUser(actor, userId);
        return userOf(actor, userId);
      }),
    endpoint('POST', api.userReactivate.pattern, 'directory.manage', { action: 'directory.user_reactivated' }, 'Reactivate a user',
      { params: userParams, response: userDetail },
      async (request, actor) => {
        const userId = param(request, 'userId');
        await directory.reactivateUser(actor, userId);
        return userOf(actor, userId);
      }),
    endpoint('PUT', api.userPassword.pattern, 'directory.manage', { action: 'directory.password_reset' }, 'Set a new password for a user: their sessions and API tokens end at once',
      { params: userParams, body: passwordBody, successStatus: 204 },
      async (request, actor) => directory.resetPassword(actor, param(request, 'userId'), (request.body as { password?: unknown } | null)?.password)),

    // Memberships
    endpoint('POST', api.userMemberships.pattern, 'directory.manage', { action: 'directory.membership_added' }, 'Add a user to another team in their agency',
      { params: userParams, body: membershipInput, response: membership, successStatus: 201 },
      async (request, actor) => {
        const userId = param(request, 'userId');
        const added = await directory.addMembership(actor, userId, request.body);
        return membershipOf(actor, userId, added.id);
      }),
    endpoint('PUT', api.membershipRoles.pattern, 'directory.manage', { action: 'directory.membership_changed' }, 'Change the roles a membership gives',
      { params: membershipParams, body: rolesBody, response: membership },
      async (request, actor) => {
        const membershipId = param(request, 'membershipId');
        const before = await directory.getManagedMembership(actor, membershipId);
        await directory.changeRoles(actor, membershipId, request.body ?? {});
        return membershipOf(actor, before.userId, membershipId);
      }),
    endpoint('POST', api.membershipEnd.pattern, 'directory.manage', { action: 'directory.membership_ended' }, 'End a membership (not the user’s last)',
      { params: membershipParams, response: membership },
      async (request, actor) => {
        const membershipId = param(request, 'membershipId');
        const before = await directory.getManagedMembership(actor, membershipId);
        await directory.endMembership(actor, membershipId);
        return membershipOf(actor, before.userId, membershipId);
      }),
  ];
}
