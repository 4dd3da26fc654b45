import { z } from 'zod';
import { PARTNERSHIP_ROLES, ROLES, type Role } from '../../platform/access/policy.js';

export const AGENCY_TYPES = [
  'nhs_mental_health',
  'la_adult_social_care',
  'childrens_services',
  'housing',
  'drug_and_alcohol',
  'gp_practice',
  'probation',
  'police',
  'voluntary_sector',
  'other',
] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export const AGENCY_TYPE_NAMES: Record<AgencyType, string> = {
  nhs_mental_health: 'NHS mental health service',
  la_adult_social_care: 'Local authority adult social care',
  childrens_services: "Children's services",
  housing: 'Housing',
  drug_and_alcohol: 'Drug and alcohol service',
  gp_practice: 'GP practice',
  probation: 'Probation',
  police: 'Police',
  voluntary_sector: 'Voluntary sector',
  other: 'Other',
};

const trimmed = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `The ${label} must be ${max} characters or fewer`);

const optionalTrimmed = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${label} must be ${max} characters or fewer`)
    .optional()
    .transform((value) => (value ? value : null));

const optionalEmail = z
  .string()
  .trim()
  .max(254, 'The email address must be 254 characters or fewer')
  .optional()
  .transform((value) => (value ? value : null))
  .refine((value) => value === null || EMAIL.test(value), 'Enter an email address in the correct format, like name@example.org');

// Deliberately plain: one @, something either side, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+() -]{6,20}$/;

const optionalPhone = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : null))
  .refine((value) => value === null || PHONE.test(value), 'Enter a telephone number, like 01632 960 001');

export const agencyInput = z.object({
  name: trimmed('agency name', 120),
  type: z.enum(AGENCY_TYPES, { error: 'Select the type of agency' }),
  email: optionalEmail,
  phone: optionalPhone,
});
export type AgencyInput = z.infer<typeof agencyInput>;

export const teamInput = z.object({
  name: trimmed('team name', 120),
  description: optionalTrimmed('description', 500),
  email: optionalEmail,
  phone: optionalPhone,
});
export type TeamInput = z.infer<typeof teamInput>;

export const roleList = z
  .array(z.enum(ROLES, { error: 'Select a role from the list' }), { error: 'Select at least one role' })
  .min(1, 'Select at least one role')
  .transform((roles) => [...new Set(roles)] as Role[]);

export const userInput = z.object({
  name: trimmed('full name', 120),
  email: z
    .string({ error: 'Enter an email address' })
    .trim()
    .min(1, 'Enter an email address')
    .max(254, 'The email address must be 254 characters or fewer')
    .refine((value) => EMAIL.test(value), 'Enter an email address in the correct format, like name@example.org')
    .transform((value) => value.toLowerCase()),
  jobTitle: optionalTrimmed('job title', 120),
  phone: optionalPhone,
});
export type UserInput = z.infer<typeof userInput>;

export const newUserInput = userInput.extend({
  teamId: z.uuid({ error: 'Select a team' }),
  roles: roleList,
});
export type NewUserInput = z.infer<typeof newUserInput>;

export const membershipInput = z.object({
  teamId: z.uuid({ error: 'Select a team' }),
  roles: roleList,
});
export type MembershipInput = z.infer<typeof membershipInput>;

/** Every active user keeps at least one team to act for; the last membership is ended by deactivating the user. */
export function canEndMembership(activeMembershipCount: number): boolean {
  return activeMembershipCount > 1;
}

// ---- Versions: no silent overwrites ------------------------------------------------------------

const VERSION_PROBLEM = 'Reload the page and make your changes again: the version of what you changed is missing or wrong';

/**
 * The version of the row an edit was made against: a whole number from 1, sent as a number (API) or
 * as the digits of a hidden field (forms). Nothing else is coerced: `true` or `""` is not a version.
 */
export const versionField = z.union([z.number(), z.string().trim().regex(/^\d{1,9}$/, VERSION_PROBLEM).transform(Number)], { error: VERSION_PROBLEM })
  .pipe(z.number({ error: VERSION_PROBLEM }).int(VERSION_PROBLEM).min(1, VERSION_PROBLEM).max(2_147_483_647, VERSION_PROBLEM));

/** What an edit carries besides its fields: the version it was made against. */
export const versioned = z.object({ version: versionField });

/** The refusal when the row changed after the editor read it; `what` names it for the editor ("This agency"). */
export const changedSinceOpened = (what: string) => `${what} changed since you opened it. It now shows what is saved: make your changes again.`;

/**
 * What an edit form shows after a refused save: what the editor typed when only the input was wrong,
 * but the saved values (and their version) when someone else changed the row meanwhile, so the
 * editor sees the other change before making theirs again.
 */
export function valuesToShow<T extends { version: number }>(typed: Record<string, unknown> | undefined, current: T): Record<string, unknown> {
  if (!typed) return current;
  return String(typed.version ?? '') === String(current.version) ? typed : current;
}

// ---- Privileges: nobody raises their own -------------------------------------------------------

/**
 * Roles that reach beyond one agency: auditors read the partnership-wide audit trail and access
 * alerts, partnership administrators manage every agency. Only a partnership administrator gives or
 * takes them away.
 */
export const PARTNERSHIP_ONLY_ROLES: readonly Role[] = [...new Set<Role>([...PARTNERSHIP_ROLES, 'auditor'])];

/**
 * Roles whose every change the Caldicott guardian is told of: each opens data or powers beyond a
 * practitioner's. Auditor (the whole audit trail and the access alerts), partnership administrator
 * (every account), agency administrator (an agency's accounts and passwords) and team manager (lawful
 * exceptions that share without consent, allocation, the team's restricted entries). Practitioner and
 * care coordinator are casework roles whose reach comes from a person's involvement, not the role.
 */
export const SENSITIVE_ROLES: readonly Role[] = ['auditor', 'partnership_administrator', 'agency_administrator', 'team_manager'];

export type MembershipChange = {
  kind: 'add' | 'change' | 'end';
  subjectUserId: string;
  /** Roles the membership gave before (none when added) and gives after (none when ended). */
  before: readonly Role[];
  after: readonly Role[];
};
type Changer = { userId: string; roles: readonly Role[] };
export type PrivilegeRefusal = { rule: 'DIRECTORY.OWN_PRIVILEGES' | 'DIRECTORY.OWN_PASSWORD' | 'DIRECTORY.PARTNERSHIP_ROLES_ONLY'; reason: string };

/** Roles given or taken away by a change. */
export function rolesTouched(change: Pick<MembershipChange, 'before' | 'after'>): Role[] {
  const given = change.after.filter((r) => !change.before.includes(r));
  const taken = change.before.filter((r) => !change.after.includes(r));
  return ROLES.filter((r) => given.includes(r) || taken.includes(r));
}

/**
 * Whether this actor may make this change to someone's memberships. Agency scope (their own agency
 * only) is the access decision's; this adds what it cannot see: who the change is for, and which roles
 * it gives or takes away.
 */
export function privilegeRefusal(actor: Changer, change: MembershipChange): PrivilegeRefusal | null {
  if (change.subjectUserId === actor.userId) {
    return { rule: 'DIRECTORY.OWN_PRIVILEGES', reason: 'Nobody changes their own roles or team memberships: ask another administrator to do it.' };
  }
  const touched = rolesTouched(change).filter((r) => PARTNERSHIP_ONLY_ROLES.includes(r));
  if (touched.length && !actor.roles.includes('partnership_administrator')) {
    return {
      rule: 'DIRECTORY.PARTNERSHIP_ROLES_ONLY',
      reason: 'Only a partnership administrator gives or takes away the auditor and partnership administrator roles: agency administrators grant roles within their agency.',
    };
  }
  return null;
}

/** The sensitive roles a change gives or takes away: any at all raises an alert for the Caldicott guardian. */
export function sensitiveRolesTouched(change: Pick<MembershipChange, 'before' | 'after'>): Role[] {
  return rolesTouched(change).filter((r) => SENSITIVE_ROLES.includes(r));
}

/** What can be done to an account as a whole: each reaches every role the account holds. */
export type AccountChange = 'details' | 'password' | 'deactivate' | 'reactivate';

/** Someone whose account or membership a change reaches, with the roles their current memberships give. */
export type RoleHolder = { userId: string; roles: readonly Role[] };

/**
 * Whether this actor may make this change to an account. An account's roles go with it: whoever sets
 * its password or its email address can act as it, and deactivating or reactivating it takes its roles
 * away or gives them back. So an auditor's or a partnership administrator's account is a partnership
 * administrator's to change, as those roles are; and nobody sets their own password here, where the
 * current one is not asked for (Your account asks for it, so a session left open cannot take the account).
 */
export function accountChangeRefusal(actor: Changer, account: RoleHolder, change: AccountChange): PrivilegeRefusal | null {
  if (change === 'password' && account.userId === actor.userId) {
    return { rule: 'DIRECTORY.OWN_PASSWORD', reason: 'Change your own password under Your account, where your current password is asked for.' };
  }
  if (account.roles.some((r) => PARTNERSHIP_ONLY_ROLES.includes(r)) && !actor.roles.includes('partnership_administrator')) {
    return {
      rule: 'DIRECTORY.PARTNERSHIP_ROLES_ONLY',
      reason: 'Only a partnership administrator changes the account of an auditor or a partnership administrator: their roles are the partnership’s to give.',
    };
  }
  return null;
}

/**
 * Deactivating a team or an agency takes away the roles its members hold there, and reactivating it
 * gives them back, so each member's loss or gain is held to the membership rules: nobody switches off
 * or on a team they are in, and only a partnership administrator one where someone holds a
 * partnership-wide role.
 */
export function switchRefusal(actor: Changer, members: readonly RoleHolder[], active: boolean): PrivilegeRefusal | null {
  for (const member of members) {
    const change: MembershipChange = { kind: active ? 'add' : 'end', subjectUserId: member.userId, before: active ? [] : member.roles, after: active ? member.roles : [] };
    const refusal = privilegeRefusal(actor, change);
    if (refusal) return refusal;
  }
  return null;
}
