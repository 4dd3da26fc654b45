import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { peopleApi } from './api.js';
import { peoplePages } from './pages.js';

/**
 * People: "is this person already known?" (REF-8), the person's record (REC-1, REC-3) and inquiries
 * without a case (REC-4). Pages (pages.ts) and the /api/v1 endpoints (api.ts) call the same
 * PeopleService, which decides access and writes the audit trail; these routes only parse, call and render.
 */
export function peopleRoutes(services: Services): RouteSpec[] {
  return [...peoplePages(services), ...peopleApi(services)];
}
