/**
 * The words of information sharing (CON-1 … CON-5): what kind of information an item is, why it
 * may be shared, and the lawful grounds for sharing without consent. Consent, restrictions and
 * exceptions are recorded in these terms and the access decision reads them in the same terms.
 */

export const INFORMATION_CATEGORIES = [
  'basic_details',
  'risk',
  'physical_health',
  'mental_health',
  'substance_use',
  'offending',
  'children_safeguarding',
  'housing',
  'finance',
  // Added for the holistic assessment's domains (ASSESS-2), so need-to-know applies domain by domain.
  // A consent names its categories, so one recorded before these existed does not cover them.
  'adult_safeguarding',
  'relationships_sexuality',
  'education_training',
  'beliefs',
  'leisure',
  'legal_status',
  'care_plan',
  'notes',
] as const;
export type InformationCategory = (typeof INFORMATION_CATEGORIES)[number];

export const CATEGORY_NAMES: Record<InformationCategory, string> = {
  basic_details: 'Basic details',
  risk: 'Risk',
  physical_health: 'Physical health',
  mental_health: 'Mental health',
  substance_use: 'Drug and alcohol use',
  offending: 'Offending',
  children_safeguarding: 'Children and safeguarding',
  housing: 'Housing',
  finance: 'Money and benefits',
  adult_safeguarding: 'Abuse and adult safeguarding',
  relationships_sexuality: 'Relationships and sexuality',
  education_training: 'Education and training',
  beliefs: 'Faith and spiritual matters',
  leisure: 'Hobbies and recreation',
  legal_status: 'Legal status',
  care_plan: 'Goals and support plan',
  notes: 'Other notes',
};

export const SHARING_PURPOSES = ['care_coordination', 'assessment', 'safety_planning', 'treatment', 'housing_support', 'benefits_and_money', 'safeguarding'] as const;
export type SharingPurpose = (typeof SHARING_PURPOSES)[number];

export const PURPOSE_NAMES: Record<SharingPurpose, string> = {
  care_coordination: 'Coordinating care and support',
  assessment: 'Assessing needs',
  safety_planning: 'Planning for safety and risk',
  treatment: 'Treatment and care',
  housing_support: 'Finding or keeping a home',
  benefits_and_money: 'Benefits and money advice',
  safeguarding: 'Safeguarding',
};

/** CON-4: the only grounds on which information is shared without consent. */
export const LAWFUL_BASES = ['serious_harm_to_person', 'serious_harm_to_others', 'child_protection', 'adult_protection', 'legal_duty'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export const LAWFUL_BASIS_NAMES: Record<LawfulBasis, string> = {
  serious_harm_to_person: 'Risk of serious harm to the person',
  serious_harm_to_others: 'Risk of serious harm to others',
  child_protection: 'Child protection',
  adult_protection: 'Adult protection (safeguarding)',
  legal_duty: 'Legal duty or court order',
};

export const BREAK_GLASS_REASONS = ['risk_to_life', 'safeguarding_emergency', 'crisis_out_of_hours', 'urgent_clinical_need'] as const;
export type BreakGlassReason = (typeof BREAK_GLASS_REASONS)[number];

export const BREAK_GLASS_REASON_NAMES: Record<BreakGlassReason, string> = {
  risk_to_life: 'Immediate risk to the person’s life or safety',
  safeguarding_emergency: 'Safeguarding emergency',
  crisis_out_of_hours: 'Crisis out of hours, the usual team unavailable',
  urgent_clinical_need: 'Urgent care decision that cannot wait',
};

/** Agency types, as codes: the access rules only compare them (their names belong to the directory). */
export type AgencyTypeCode = string;
