import type { Actor } from './platform/access/actor.js';
import { hasPermission } from './platform/access/decide.js';
import { signInRoutes } from './platform/auth/routes.js';
import type { RouteSpec } from './platform/http/route-table.js';
import { systemRoutes } from './platform/http/system-routes.js';
import { IdempotentRequests, withIdempotency } from './platform/http/idempotency.js';
import { myWorkRoutes } from './modules/my-work/routes.js';
import { directoryRoutes } from './modules/directory/routes.js';
import { peopleRoutes } from './modules/people/routes.js';
import { involvementRoutes } from './modules/involvement/routes.js';
import { referralRoutes } from './modules/referrals/routes.js';
import { sharingRoutes } from './modules/sharing/routes.js';
import { caseRoutes } from './modules/cases/routes.js';
import { accessReviewRoutes } from './modules/access-review/routes.js';
import { notesRoutes } from './modules/notes/routes.js';
import { riskRoutes } from './modules/risk/routes.js';
import { assessmentsRoutes } from './modules/assessments/routes.js';
import { auditRoutes } from './platform/audit/routes.js';
import { accountRoutes } from './platform/auth/account-routes.js';
import type { Services } from './services.js';
import type pg from 'pg';

/** Every route Concord serves, gathered from each part's route table. */
export function allRoutes(services: Services, pool: pg.Pool, cookieSecure: boolean): RouteSpec[] {
  const routes: RouteSpec[] = [
    ...signInRoutes({
      db: services.db,
      clock: services.clock,
      audit: services.audit,
      signIn: services.signIn,
      sessions: services.sessions,
      cookieSecure,
      policy: services.config.signIn,
    }),
    ...myWorkRoutes(services),
    ...accountRoutes(services),
    ...directoryRoutes(services),
    ...peopleRoutes(services),
    ...involvementRoutes(services),
    ...notesRoutes(services),
    ...riskRoutes(services),
    ...assessmentsRoutes(services),
    ...sharingRoutes(services),
    ...referralRoutes(services),
    ...caseRoutes(services),
    ...accessReviewRoutes(services),
    ...auditRoutes(services),
  ];
  routes.push(...systemRoutes(pool, () => routes));
  // Every API POST takes an Idempotency-Key, so a client may retry one safely.
  return withIdempotency(routes, new IdempotentRequests(services.db, services.clock));
}

/** The main menu for this actor; an auditor sees how many access alerts wait for review. */
export async function navigationFor(actor: Actor, services: Pick<Services, 'accessReview'>) {
  const items = [{ href: '/', text: 'My work' }];
  if (hasPermission(actor, 'people.search')) items.push({ href: '/people/search', text: 'Find a person' });
  if (hasPermission(actor, 'referrals.make')) items.push({ href: '/referrals/made', text: 'Referrals made' });
  items.push({ href: '/directory', text: 'Directory' });
  if (hasPermission(actor, 'audit.view')) items.push({ href: '/audit', text: 'Audit' });
  if (hasPermission(actor, 'alerts.review')) items.push({ href: '/audit/alerts', text: `Access alerts (${await services.accessReview.unreviewedCount()} to review)` });
  items.push({ href: '/account', text: 'Your account' });
  return items;
}
