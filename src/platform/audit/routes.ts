import type { RouteSpec } from '../http/route-table.js';
import type { Services } from '../../services.js';

export function auditRoutes(_services: Services): RouteSpec[] {
  return [];
}
