import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { oversightApi } from './api.js';
import { oversightPages } from './pages.js';

/**
 * Oversight of access: emergency access (break-glass), the auditor's alert queue and reviews, and
 * transparency about who can see a record and who has opened it (CON-2). Pages and /api/v1 endpoints
 * call the same services, which decide access and write the audit trail.
 */
export function oversightRoutes(services: Services): RouteSpec[] {
  return [...oversightPages(services), ...oversightApi(services)];
}
