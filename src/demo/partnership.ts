import type { PartnershipImport } from '../modules/directory/service.js';

/**
 * The Northshire demonstration partnership. Every name, address and number here is invented;
 * email domains use the reserved `.example` top-level domain.
 */
export const DEMO_PARTNERSHIP: PartnershipImport = {
  agencies: [
    {
      name: 'Northshire Care Partnership',
      type: 'other',
      email: 'partnership@northshire-care.example',
      teams: [{ name: 'Partnership Support', description: 'Runs Concord for the partnership: directory, access and information governance.' }],
    },
    {
      name: 'Riverside NHS Mental Health Trust',
      type: 'nhs_mental_health',
      phone: '01632 960 100',
      teams: [
        { name: 'Riverside Community Mental Health Team', description: 'Care coordination for adults with serious mental illness.', phone: '01632 960 101' },
        { name: 'Crisis Resolution and Home Treatment', description: '24-hour response to mental health crises.', phone: '01632 960 102' },
        { name: 'Early Intervention in Psychosis', description: 'First-episode psychosis, ages 14 to 65.' },
        { name: 'Information Governance', description: 'Caldicott guardian and records audit.' },
        { name: 'Business Support', description: 'Administration for the trust’s community teams.' },
      ],
    },
    {
      name: 'Northshire County Council Adult Social Care',
      type: 'la_adult_social_care',
      phone: '01632 960 200',
      teams: [
        { name: 'Adult Social Care Duty Team', description: 'Screening and first contact for adult referrals.' },
        { name: 'Learning Disability Team', description: 'Assessment and support planning for adults with a learning disability.' },
      ],
    },
    {
      name: 'Northshire Children’s Services',
      type: 'childrens_services',
      teams: [{ name: 'Children’s Front Door (MASH)', description: 'Multi-agency safeguarding hub for children.' }],
    },
    { name: 'Harbour Housing Options', type: 'housing', teams: [{ name: 'Housing Options and Homelessness' }] },
    { name: 'Pathways Drug and Alcohol Service', type: 'drug_and_alcohol', teams: [{ name: 'Pathways Recovery Team' }] },
    { name: 'Millbrook Medical Practice', type: 'gp_practice', phone: '01632 960 500', teams: [{ name: 'Millbrook Surgery' }] },
    { name: 'Northshire Probation Delivery Unit', type: 'probation', teams: [{ name: 'Offender Management' }] },
    { name: 'Northshire Police', type: 'police', teams: [{ name: 'Public Protection and Safeguarding Hub' }] },
    { name: 'Open Door Voluntary Services', type: 'voluntary_sector', teams: [{ name: 'Open Door Outreach', description: 'Street outreach and drop-in.' }] },
  ],
  users: [
    { email: 'alex.morgan@northshire-care.example', name: 'Alex Morgan', jobTitle: 'Partnership systems lead', agency: 'Northshire Care Partnership', memberships: [{ team: 'Partnership Support', roles: ['partnership_administrator'] }] },
    { email: 'helen.marsh@riverside-nhs.example', name: 'Helen Marsh', jobTitle: 'Caldicott guardian', agency: 'Riverside NHS Mental Health Trust', memberships: [{ team: 'Information Governance', roles: ['auditor'] }] },
    { email: 'aisha.bello@riverside-nhs.example', name: 'Aisha Bello', jobTitle: 'Systems administrator', agency: 'Riverside NHS Mental Health Trust', memberships: [{ team: 'Business Support', roles: ['agency_administrator'] }] },
    { email: 'priya.raman@riverside-nhs.example', name: 'Priya Raman', jobTitle: 'Team manager', agency: 'Riverside NHS Mental Health Trust', memberships: [{ team: 'Riverside Community Mental Health Team', roles: ['team_manager'] }] },
    { email: 'tom.okafor@riverside-nhs.example', name: 'Tom Okafor', jobTitle: 'Community psychiatric nurse', agency: 'Riverside NHS Mental Health Trust', memberships: [{ team: 'Riverside Community Mental Health Team', roles: ['care_coordinator'] }] },
    {
      email: 'grace.whitfield@riverside-nhs.example',
      name: 'Grace Whitfield',
      jobTitle: 'Social worker (mental health)',
      agency: 'Riverside NHS Mental Health Trust',
      memberships: [
        { team: 'Riverside Community Mental Health Team', roles: ['care_coordinator'] },
        { team: 'Early Intervention in Psychosis', roles: ['practitioner'] },
      ],
    },
    { email: 'daniel.hughes@riverside-nhs.example', name: 'Daniel Hughes', jobTitle: 'Crisis practitioner', agency: 'Riverside NHS Mental Health Trust', memberships: [{ team: 'Crisis Resolution and Home Treatment', roles: ['practitioner'] }] },
    { email: 'mark.ellison@northshire-council.example', name: 'Mark Ellison', jobTitle: 'Duty team manager', agency: 'Northshire County Council Adult Social Care', memberships: [{ team: 'Adult Social Care Duty Team', roles: ['team_manager'] }] },
    { email: 'raj.patel@northshire-council.example', name: 'Raj Patel', jobTitle: 'Duty social worker', agency: 'Northshire County Council Adult Social Care', memberships: [{ team: 'Adult Social Care Duty Team', roles: ['practitioner'] }] },
    { email: 'sophie.turner@northshire-council.example', name: 'Sophie Turner', jobTitle: 'Senior practitioner', agency: 'Northshire County Council Adult Social Care', memberships: [{ team: 'Learning Disability Team', roles: ['care_coordinator'] }] },
    { email: 'linda.fraser@northshire-council.example', name: 'Linda Fraser', jobTitle: 'Systems administrator', agency: 'Northshire County Council Adult Social Care', memberships: [{ team: 'Adult Social Care Duty Team', roles: ['agency_administrator'] }] },
    { email: 'owen.price@northshire-childrens.example', name: 'Owen Price', jobTitle: 'MASH team manager', agency: 'Northshire Children’s Services', memberships: [{ team: 'Children’s Front Door (MASH)', roles: ['team_manager'] }] },
    { email: 'emma.clarke@northshire-childrens.example', name: 'Emma Clarke', jobTitle: 'Children’s social worker', agency: 'Northshire Children’s Services', memberships: [{ team: 'Children’s Front Door (MASH)', roles: ['practitioner'] }] },
    { email: 'kofi.mensah@harbour-housing.example', name: 'Kofi Mensah', jobTitle: 'Housing options officer', agency: 'Harbour Housing Options', memberships: [{ team: 'Housing Options and Homelessness', roles: ['practitioner'] }] },
    { email: 'jade.robinson@pathways.example', name: 'Jade Robinson', jobTitle: 'Recovery worker', agency: 'Pathways Drug and Alcohol Service', memberships: [{ team: 'Pathways Recovery Team', roles: ['care_coordinator'] }] },
    { email: 'sarah.lin@millbrook-gp.example', name: 'Dr Sarah Lin', jobTitle: 'GP partner', agency: 'Millbrook Medical Practice', memberships: [{ team: 'Millbrook Surgery', roles: ['practitioner'] }] },
    { email: 'michael.dunn@northshire-probation.example', name: 'Michael Dunn', jobTitle: 'Probation officer', agency: 'Northshire Probation Delivery Unit', memberships: [{ team: 'Offender Management', roles: ['practitioner'] }] },
    { email: 'laura.evans@northshire-police.example', name: 'DC Laura Evans', jobTitle: 'Detective constable, safeguarding', agency: 'Northshire Police', memberships: [{ team: 'Public Protection and Safeguarding Hub', roles: ['practitioner'] }] },
    { email: 'ben.carter@opendoor.example', name: 'Ben Carter', jobTitle: 'Outreach worker', agency: 'Open Door Voluntary Services', memberships: [{ team: 'Open Door Outreach', roles: ['practitioner'] }] },
    { email: 'nina.shah@opendoor.example', name: 'Nina Shah', jobTitle: 'Service manager', agency: 'Open Door Voluntary Services', memberships: [{ team: 'Open Door Outreach', roles: ['team_manager', 'agency_administrator'] }] },
    { email: 'peter.quinn@riverside-nhs.example', name: 'Peter Quinn', jobTitle: 'Former care coordinator (left the trust)', agency: 'Riverside NHS Mental Health Trust', active: false, memberships: [{ team: 'Riverside Community Mental Health Team', roles: ['care_coordinator'] }] },
  ],
};

/** The sign-ins printed at start, one per kind of user a newcomer would want to try. */
/**
 * Teams that are not front doors: they refer people to services and work with those they hold, but
 * take no referrals for casework, so they have no "is this person known?" check (REF-8) either: a
 * police officer finds only the people the police are involved with or hold an exception for.
 * Named "agency/team". The GP practice refers to services rather than receiving casework referrals.
 */
export const DEMO_TEAMS_NOT_TAKING_REFERRALS = [
  'Northshire Care Partnership/Partnership Support',
  'Riverside NHS Mental Health Trust/Information Governance',
  'Riverside NHS Mental Health Trust/Business Support',
  'Millbrook Medical Practice/Millbrook Surgery',
  'Northshire Probation Delivery Unit/Offender Management',
  'Northshire Police/Public Protection and Safeguarding Hub',
];

export const DEMO_SIGN_INS = [
  ['alex.morgan@northshire-care.example', 'partnership administrator'],
  ['helen.marsh@riverside-nhs.example', 'auditor / Caldicott guardian'],
  ['aisha.bello@riverside-nhs.example', 'agency administrator, Riverside NHS'],
  ['priya.raman@riverside-nhs.example', 'team manager, community mental health team'],
  ['tom.okafor@riverside-nhs.example', 'care coordinator, community mental health team'],
  ['raj.patel@northshire-council.example', 'duty practitioner, adult social care'],
  ['kofi.mensah@harbour-housing.example', 'partner agency practitioner, housing'],
] as const;
