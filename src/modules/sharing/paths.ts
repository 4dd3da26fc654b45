/**
 * Every URL the consent and sharing section serves, written once. The section itself is
 * `recordPaths.sharing` (the record frame links to it); the forms hang below it.
 */
import { path, withQuery } from '../../platform/http/paths.js';
import { recordPaths } from '../people/paths.js';

const restrictionNew = path('/people/:personId/sharing/restrictions/new');

export const sharingPaths = {
  sharing: recordPaths.sharing,
  consentNew: path('/people/:personId/sharing/consents/new'),
  withdraw: path('/people/:personId/sharing/consents/:consentId/withdraw'),
  restrictionNew,
  /** "Restrict this entry", from the entry itself (a note). */
  restrictEntry: (personId: string, entryType: string, entryId: string) => withQuery(restrictionNew(personId), { entryType, entryId }),
  lift: path('/people/:personId/sharing/restrictions/:restrictionId/lift'),
  exceptionNew: path('/people/:personId/sharing/exceptions/new'),
  endException: path('/people/:personId/sharing/exceptions/:exceptionId/end'),
};

export const sharingApiPaths = {
  consents: path('/api/v1/people/:personId/consents'),
  withdrawal: path('/api/v1/people/:personId/consents/:consentId/withdrawal'),
  restrictions: path('/api/v1/people/:personId/restrictions'),
  restrictionEnd: path('/api/v1/people/:personId/restrictions/:restrictionId/end'),
  exceptions: path('/api/v1/people/:personId/exceptions'),
  exceptionEnd: path('/api/v1/people/:personId/exceptions/:exceptionId/end'),
};
