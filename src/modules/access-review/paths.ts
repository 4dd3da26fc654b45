/**
 * Every URL the access-review module serves, written once. The record sections (emergency access, who can
 * see this) take their shape from the people module's `recordPaths`, which the record frame links to.
 */
import { path, withQuery } from '../../platform/http/paths.js';
import { auditPaths } from '../../platform/audit/routes.js';
import { recordPaths } from '../people/paths.js';

const alerts = path('/audit/alerts');
const access = recordPaths.access;

export const accessReviewPaths = {
  breakGlass: recordPaths.breakGlass,
  access,
  /** The viewers list, from an older event on (keyset paging). */
  accessBefore: (personId: string, beforeId: number) => withQuery(access(personId), { before: String(beforeId) }),
  alerts,
  alertsWhere: (filters: { kind?: string; status?: string; page?: number }) =>
    withQuery(alerts(), { kind: filters.kind, status: filters.status, page: filters.page && filters.page > 1 ? String(filters.page) : undefined }),
  alert: path('/audit/alerts/:alertId'),
  /** Emergency access waiting for the Caldicott guardian's decision. */
  request: path('/audit/alerts/requests/:requestId'),
  personViewers: auditPaths.personViewers,
  personViewersBefore: (personId: string, beforeId: number) => withQuery(auditPaths.personViewers(personId), { before: String(beforeId) }),
  userAccess: auditPaths.userAccess,
  trail: auditPaths.trail,
  /** The audit trail filtered to one user's events. */
  trailOfUser: (userId: string) => withQuery(auditPaths.trail, { who: userId }),
};

export const accessReviewApiPaths = {
  breakGlass: path('/api/v1/people/:personId/emergency-access'),
  alerts: path('/api/v1/access-alerts'),
  alert: path('/api/v1/access-alerts/:alertId'),
  review: path('/api/v1/access-alerts/:alertId/review'),
};

/** The record's own pages, which people pages serve; the frame needs them as `recordPaths`. */
export { recordPaths };
