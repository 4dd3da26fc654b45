/**
 * Who may do what, as data. Roles are held per team membership: the same person can be a care
 * coordinator in one team and a practitioner in another. Scoped permissions are narrowed further
 * by `decide` (an agency administrator acts only within their own agency).
 */
export const ROLES = [
  'practitioner',
  'care_coordinator',
  'team_manager',
  'agency_administrator',
  'partnership_administrator',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  practitioner: 'Practitioner',
  care_coordinator: 'Care coordinator',
  team_manager: 'Team manager',
  agency_administrator: 'Agency administrator',
  partnership_administrator: 'Partnership administrator',
  auditor: 'Auditor / Caldicott guardian',
};

export const PERMISSIONS = {
  'workspace.view': 'See your own work and account',
  'account.tokens': 'Create and revoke your own API tokens',
  'directory.view': 'See the partnership directory',
  'directory.manage': 'Manage teams, users and memberships (own agency, or all for partnership administrators)',
  'directory.manage_agencies': 'Add and change agencies in the partnership',
  'audit.view': 'Browse the audit trail and check its chain',
  'people.search': 'Check whether a person is already known, and to whom',
  'people.view': 'Open a person’s record where your agency is involved',
  'people.record': 'Add people, and record their details, children and inquiries',
  'referrals.make': 'Refer a person to a service',
  'referrals.work': 'Screen referrals, request information, record contacts, assessments, eligibility and risk checks',
  'referrals.allocate': 'Allocate a care coordinator and open a case',
  'notes.record': 'Write notes on a person’s record',
  'risk.record': 'Complete risk reviews on a person’s record: the risk considerations, their guided actions and the level of risk',
  'assessments.record': 'Write, save and complete holistic assessments of a person',
  'sharing.record': 'Record consent decisions and restrictions on sharing',
  'sharing.exception': 'Decide to share without consent under a lawful exception (team manager or above)',
  'involvement.manage': 'Add agencies to a person’s care and end their involvement',
  'records.break_glass': 'Open a record with no relationship in an emergency, giving a reason (alerts the Caldicott guardian)',
  'records.viewers': 'See who has viewed a person’s record',
  'alerts.review': 'Review break-glass use and unusual access, and record the outcome',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const EVERY_SIGNED_IN_USER: Permission[] = ['workspace.view', 'account.tokens', 'directory.view'];
const CASEWORK: Permission[] = ['people.search', 'people.view', 'people.record', 'referrals.make', 'referrals.work', 'notes.record', 'risk.record', 'assessments.record', 'sharing.record', 'records.break_glass'];
/** Coordinators and their managers hold the whole picture: who is involved, and who has looked. */
const COORDINATION: Permission[] = ['involvement.manage', 'records.viewers'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  practitioner: [...EVERY_SIGNED_IN_USER, ...CASEWORK],
  care_coordinator: [...EVERY_SIGNED_IN_USER, ...CASEWORK, ...COORDINATION],
  team_manager: [...EVERY_SIGNED_IN_USER, ...CASEWORK, ...COORDINATION, 'referrals.allocate', 'sharing.exception'],
  agency_administrator: [...EVERY_SIGNED_IN_USER, 'directory.manage'],
  partnership_administrator: [...EVERY_SIGNED_IN_USER, 'directory.manage', 'directory.manage_agencies'],
  auditor: [...EVERY_SIGNED_IN_USER, 'audit.view', 'alerts.review'],
};

/** Roles only a partnership administrator may hand out: they reach across every agency. */
export const PARTNERSHIP_ROLES: readonly Role[] = ['partnership_administrator'];
