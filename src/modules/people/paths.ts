/**
 * Every URL the people module serves, written once. Routes register `.pattern`; handlers and
 * templates call the builder with the ids in the order they appear, e.g. `peoplePaths.person(id)`.
 */
import { path, withQuery } from '../../platform/http/paths.js';

const search = path('/people/search');
const inquiryNew = path('/inquiries/new');
const referralIntake = path('/referrals/new');

export type PersonSearch = { name?: string; dateOfBirth?: string; nhsNumber?: string; postcode?: string };

export const peoplePaths = {
  search,
  /** The search with its criteria filled in; the date of birth (YYYY-MM-DD) goes in the date input's three fields. */
  searchFor(criteria: PersonSearch): string {
    const [year, month, day] = criteria.dateOfBirth?.split('-') ?? [];
    return withQuery(search(), {
      name: criteria.name,
      'dateOfBirth-day': day,
      'dateOfBirth-month': month,
      'dateOfBirth-year': year,
      nhsNumber: criteria.nhsNumber,
      postcode: criteria.postcode,
    });
  },
  person: path('/people/:personId'),
  personEdit: path('/people/:personId/edit'),
  childNew: path('/people/:personId/children/new'),
  aliasNew: path('/people/:personId/aliases/new'),

  inquiries: path('/inquiries'),
  inquiryNew,
  /** The inquiry form for a person found by the search (REC-4), with what it is about filled in. */
  inquiryAbout: (personId: string, about: string) => withQuery(inquiryNew(), { personId, about }),
};

export const peopleApiPaths = {
  people: path('/api/v1/people'),
  person: path('/api/v1/people/:personId'),
  children: path('/api/v1/people/:personId/children'),
  aliases: path('/api/v1/people/:personId/aliases'),
  inquiries: path('/api/v1/inquiries'),
};

/** Pages other modules serve that people pages link to (their modules own them; only the shape is known here). */
export const linkedPaths = {
  /** The referral intake for a person already found (REF-8). */
  referralFor: (personId: string) => withQuery(referralIntake(), { personId }),
  referralIntake,
  referral: path('/referrals/:referralId'),
  case: path('/cases/:caseId'),
};

/**
 * The sections of a person's record. Each is served by the module that owns it (notes, agencies
 * involved, consent and sharing, access); every one of them renders inside `people/views/record-frame.njk`,
 * which needs these as `recordPaths`.
 */
export const recordPaths = {
  search,
  person: peoplePaths.person,
  notes: path('/people/:personId/notes'),
  risk: path('/people/:personId/risk'),
  assessments: path('/people/:personId/assessments'),
  agencies: path('/people/:personId/agencies'),
  sharing: path('/people/:personId/sharing'),
  access: path('/people/:personId/access'),
  /** Emergency access to a record with no relationship (break-glass). */
  breakGlass: path('/people/:personId/emergency-access'),
};
