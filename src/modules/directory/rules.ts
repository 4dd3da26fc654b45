import { z } from 'zod';
import { ROLES, type Role } from '../../platform/access/policy.js';

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
