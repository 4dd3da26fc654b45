/**
 * Every URL the agencies-involved section serves, written once. The section's own page is the one the
 * record frame links to (`recordPaths.agencies`); the forms sit beneath it.
 */
import { path } from '../../platform/http/paths.js';
import { recordPaths } from '../people/paths.js';

export const involvementPaths = {
  agencies: recordPaths.agencies,
  add: path('/people/:personId/agencies/new'),
  change: path('/people/:personId/agencies/:involvementId/change'),
  end: path('/people/:personId/agencies/:involvementId/end'),
};

export const involvementApiPaths = {
  involvements: path('/api/v1/people/:personId/involvements'),
  involvement: path('/api/v1/people/:personId/involvements/:involvementId'),
  end: path('/api/v1/people/:personId/involvements/:involvementId/end'),
};
