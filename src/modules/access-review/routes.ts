import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { accessReviewApi } from './api.js';
import { accessReviewPages } from './pages.js';

/**
 * Access review: emergency access (break-glass), the auditor's alert queue and reviews, and
 * transparency about who can see a record and who has opened it (CON-2). Pages and /api/v1 endpoints
 * call the same services, which decide access and write the audit trail.
 */
export function accessReviewRoutes(services: Services): RouteSpec[] {
  return [...accessReviewPages(services), ...accessReviewApi(services)];
}
