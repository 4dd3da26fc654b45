import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';

export function referralRoutes(_services: Services): RouteSpec[] {
  return [];
}
