import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { involvementApi } from './api.js';
import { involvementPages } from './pages.js';

/**
 * Agencies involved (COORD-6): the section of a person's record saying which agencies are involved,
 * what each covers and leads on, who to ask and how they keep in touch. Pages and the /api/v1 twins
 * call the same InvolvementService, which decides access and writes the audit trail.
 */
export function involvementRoutes(services: Services): RouteSpec[] {
  return [...involvementPages(services), ...involvementApi(services)];
}
