import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const GENDERS = ['female', 'male', 'non_binary', 'other', 'not_known', 'prefers_not_to_say'] as const;

/** One record per person, shared across the agencies involved (REC-1). */
export const person = pgTable(
  'person',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    givenName: text('given_name').notNull(),
    middleNames: text('middle_names'),
    familyName: text('family_name').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth'),
    nhsNumber: text('nhs_number'),
    gender: text('gender', { enum: GENDERS }),
    addressLine1: text('address_line_1'),
    addressLine2: text('address_line_2'),
    town: text('town'),
    postcode: text('postcode'),
    phone: text('phone'),
    email: text('email'),
    communicationNeeds: text('communication_needs'),
    interpreterLanguage: text('interpreter_language'),
    /** Normalised given and family names, maintained by the service, for fuzzy matching. */
    searchGiven: text('search_given').notNull(),
    searchFamily: text('search_family').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('person_nhs_number_key').on(t.nhsNumber),
    // Search finds people by exact name words (fuzzy matching is done on person_name_word), in either order;
    // the id makes each name's people an ordered, index-only list.
    index('person_family_given_idx').on(t.searchFamily, t.searchGiven, t.id),
    index('person_given_family_idx').on(t.searchGiven, t.searchFamily, t.id),
    index('person_dob_idx').on(t.dateOfBirth),
    index('person_postcode_idx').on(t.postcode),
  ],
);

/** Other names a person is or was known by: previous family names, aliases, other spellings. */
export const personAlias = pgTable(
  'person_alias',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull().references(() => person.id),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    searchGiven: text('search_given').notNull(),
    searchFamily: text('search_family').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [
    index('person_alias_person_idx').on(t.personId),
    index('person_alias_family_given_idx').on(t.searchFamily, t.searchGiven, t.personId),
    index('person_alias_given_family_idx').on(t.searchGiven, t.searchFamily, t.personId),
  ],
);

export const NAME_WORD_ROLES = ['given', 'family'] as const;

/**
 * Every normalised given name and every family name of people and their other names, once per role:
 * the words person search matches fuzzily (trigrams, sound) before looking people up by the words
 * found. A few tens of thousands of words stand for a million people. Given and family words are
 * kept apart because they are searched apart: a family name sought is compared with the ~33,000
 * family words, a given name with the few hundred given words. Filled by triggers on person and
 * person_alias (migrations 0007, 0009); a word stays when nobody bears it any more, which only costs
 * a lookup that finds nobody.
 */
export const personNameWord = pgTable(
  'person_name_word',
  {
    role: text('role', { enum: NAME_WORD_ROLES }).notNull(),
    word: text('word').notNull(),
    /** dmetaphone(word), for sound-alike family names. */
    sound: text('sound').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.role, t.word] }),
    index('person_name_word_family_trgm').using('gin', sql`${t.word} gin_trgm_ops`).where(sql`${t.role} = 'family'`),
    index('person_name_word_given_trgm').using('gin', sql`${t.word} gin_trgm_ops`).where(sql`${t.role} = 'given'`),
    index('person_name_word_family_sound_idx').on(t.sound).where(sql`${t.role} = 'family'`),
  ],
);

export const CHILD_RELATIONSHIPS = ['dependent', 'significant_contact'] as const;

/** Dependent children and children with whom the person has significant contact (REC-3). */
export const childLink = pgTable(
  'child_link',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull().references(() => person.id),
    childName: text('child_name').notNull(),
    childDateOfBirth: date('child_date_of_birth'),
    relationship: text('relationship', { enum: CHILD_RELATIONSHIPS }).notNull(),
    livesWithPerson: boolean('lives_with_person').notNull(),
    notes: text('notes'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedByAgency: uuid('recorded_by_agency').notNull(),
  },
  (t) => [index('child_link_person_idx').on(t.personId)],
);

export const INQUIRY_CHANNELS = ['phone', 'letter', 'email', 'in_person', 'electronic'] as const;

/**
 * "Is this person or family known to you?" asked with no referral and no direct work (REC-4):
 * kept as an inquiry, visible to colleagues and managers in the recording agency, without opening a case.
 */
export const inquiry = pgTable(
  'inquiry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').references(() => person.id),
    about: text('about').notNull(),
    inquirerName: text('inquirer_name').notNull(),
    inquirerOrganisation: text('inquirer_organisation'),
    inquirerContact: text('inquirer_contact'),
    channel: text('channel', { enum: INQUIRY_CHANNELS }).notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull(),
    response: text('response').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedByTeam: uuid('recorded_by_team').notNull(),
    recordedByAgency: uuid('recorded_by_agency').notNull(),
  },
  (t) => [index('inquiry_agency_idx').on(t.recordedByAgency, t.recordedAt), index('inquiry_person_idx').on(t.personId)],
);
