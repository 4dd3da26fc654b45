/**
 * Every URL the directory serves, written once. Routes register `.pattern`; handlers and templates
 * call the builder with the ids in the order they appear, e.g. `directoryPaths.agency(id)`.
 */
import { path } from '../../platform/http/paths.js';

export type UserSearch = { q?: string; agencyId?: string; teamId?: string; includeInactive?: boolean };

const users = path('/directory/users');

export const directoryPaths = {
  index: path('/directory'),

  agencyNew: path('/directory/agencies/new'),
  agency: path('/directory/agencies/:agencyId'),
  agencyEdit: path('/directory/agencies/:agencyId/edit'),
  agencyDeactivate: path('/directory/agencies/:agencyId/deactivate'),
  agencyReactivate: path('/directory/agencies/:agencyId/reactivate'),
  teamNew: path('/directory/agencies/:agencyId/teams/new'),
  userNew: path('/directory/agencies/:agencyId/users/new'),

  team: path('/directory/teams/:teamId'),
  teamEdit: path('/directory/teams/:teamId/edit'),
  teamDeactivate: path('/directory/teams/:teamId/deactivate'),
  teamReactivate: path('/directory/teams/:teamId/reactivate'),

  users,
  /** The people search with its filters filled in, e.g. an agency's deactivated users. */
  userSearch(filters: UserSearch): string {
    const query = new URLSearchParams();
    if (filters.q) query.set('q', filters.q);
    if (filters.agencyId) query.set('agencyId', filters.agencyId);
    if (filters.teamId) query.set('teamId', filters.teamId);
    if (filters.includeInactive) query.set('includeInactive', 'true');
    const text = query.toString();
    return text ? `${users()}?${text}` : users();
  },
  user: path('/directory/users/:userId'),
  userEdit: path('/directory/users/:userId/edit'),
  userDeactivate: path('/directory/users/:userId/deactivate'),
  userReactivate: path('/directory/users/:userId/reactivate'),
  userPassword: path('/directory/users/:userId/password'),
  membershipNew: path('/directory/users/:userId/memberships/new'),
  membershipRoles: path('/directory/memberships/:membershipId/roles'),
  membershipEnd: path('/directory/memberships/:membershipId/end'),
};

export const directoryApiPaths = {
  agencies: path('/api/v1/agencies'),
  agency: path('/api/v1/agencies/:agencyId'),
  agencyDeactivate: path('/api/v1/agencies/:agencyId/deactivate'),
  agencyReactivate: path('/api/v1/agencies/:agencyId/reactivate'),
  agencyTeams: path('/api/v1/agencies/:agencyId/teams'),
  agencyUsers: path('/api/v1/agencies/:agencyId/users'),

  team: path('/api/v1/teams/:teamId'),
  teamDeactivate: path('/api/v1/teams/:teamId/deactivate'),
  teamReactivate: path('/api/v1/teams/:teamId/reactivate'),

  users: path('/api/v1/users'),
  user: path('/api/v1/users/:userId'),
  userDeactivate: path('/api/v1/users/:userId/deactivate'),
  userReactivate: path('/api/v1/users/:userId/reactivate'),
  userPassword: path('/api/v1/users/:userId/password'),
  userMemberships: path('/api/v1/users/:userId/memberships'),
  membershipRoles: path('/api/v1/memberships/:membershipId/roles'),
  membershipEnd: path('/api/v1/memberships/:membershipId/end'),
};
