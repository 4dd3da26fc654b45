import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';

export function caseRoutes(_services: Services): RouteSpec[] {
  return [];
}
