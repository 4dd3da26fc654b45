import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { decideItemAccess, PRACTICE_ROLES, type AccessMoment, type PersonAccessFacts, type RestrictionFact } from '../../platform/access/person-access.js';
import { canSeeItem } from '../../platform/access/person-filter.js';
import { INFORMATION_CATEGORIES, type InformationCategory } from '../../platform/access/sharing-terms.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import type { DirectoryService } from '../directory/service.js';
import { AGENCY_TYPE_NAMES } from '../directory/rules.js';
import { correctionRefusal, linesOf, noteSchema } from './rules.js';
import { recordNote, type RecordNote } from './schema.js';
import * as store from './store.js';
import { insertAsText } from '../../platform/db/row-json.js';
import type { RecordOpener } from '../../platform/access/open-record.js';

/** The record a notes page belongs to, as the record frame shows it. */
export type RecordHeading = { id: string; name: string; via: string; expiresAt: Date | null };

/** Who a restriction keeps a note from, in words: agencies, kinds of agency and other parties (a carer). */
export type RestrictionShown = { id: string; scope: 'note' | 'category'; parties: string[] };

export type NoteShown = RecordNote & {
  authorName: string;
  teamName: string;
  agencyName: string;
  /** The version that corrected this one; the latest version has none. */
  correctedBy: { id: string; recordedAt: Date; authorName: string } | null;
  /** The version this one corrects. */
  correctsNote: { id: string; recordedAt: Date } | null;
  latest: boolean;
  /** The reader's agency owns the note: it may correct it and sees who it is kept from. */
  ownedByReader: boolean;
  /** For the owning agency only: restrictions in force on this note or its category. */
  restrictions: RestrictionShown[];
};

/** Categories of other agencies' notes the reader does not see, and why; never how many notes that hides. */
export type Withheld = { noConsent: InformationCategory[]; restricted: InformationCategory[] };

/** An item owned by some other agency: what the decision says about another agency's notes in a category. */
const ANOTHER_AGENCY = '00000000-0000-0000-0000-000000000000';

/** PostgreSQL's unique_violation, as node-postgres reports it (Drizzle wraps it as the cause). */
const isUniqueViolation = (error: unknown) => [error, (error as { cause?: unknown })?.cause].some((e) => (e as { code?: string } | undefined)?.code === '23505');

const isCategory = (value: string): value is InformationCategory => (INFORMATION_CATEGORIES as readonly string[]).includes(value);

/**
 * Notes on a person's record (NOTE-1, NOTE-2), each with a category and an owning agency so the one
 * access decision shares or hides it (CON-2, CON-3). Lists apply that decision in SQL, so a note the
 * reader may not see changes nothing they are shown: not a count, not the order, not a "corrected" link.
 */
export class NotesService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly openPersonRecord: RecordOpener,
    private readonly directory: Pick<DirectoryService, 'namesFor'>,
  ) {}

  private visibleTo(actor: Actor, at: AccessMoment): store.Visible {
    return (note) => canSeeItem(actor, { personId: note.personId, category: note.category, owningAgencyId: note.owningAgencyId, entryId: note.id }, at);
  }

  /** The person's record as the actor may open it (the one way in: platform/access/open-record), with the facts the decision read. */
  private async openRecord(actor: Actor, personId: string): Promise<{ record: RecordHeading; facts: PersonAccessFacts; at: AccessMoment }> {
    const opened = await this.openPersonRecord(actor, personId, { section: 'notes' });
    return { record: { id: personId, name: opened.name, via: opened.access.via, expiresAt: opened.access.expiresAt ?? null }, facts: opened.facts, at: opened.at };
  }

  /** The person's notes the actor may see, newest first, optionally of one category; the read is recorded. */
  async list(actor: Actor, personId: string, filter: { category?: string | null } = {}) {
    await this.guard.require(actor, 'people.view');
    const category = filter.category ? filter.category : null;
    const opened = await this.openRecord(actor, personId);
    if (category !== null && !isCategory(category)) {
      const message = 'Select a kind of information from the list';
      throw invalid('NOTES.FILTER_INVALID', [{ field: 'category', message }], message);
    }
    return this.audit.read(auditActorOf(actor), async (tx, record) => {
      const rows = await store.notesOf(tx, personId, this.visibleTo(actor, opened.at), category);
      const notes = await this.shown(tx, actor, rows, opened.facts);
      record({ action: 'notes.viewed', personId, subject: { type: 'person', id: personId }, details: { notes: notes.length, ...(category ? { category } : {}) } });
      return { record: opened.record, notes, category, withheld: this.withheld(actor, opened.facts, opened.at) };
    });
  }

  /** What the new-note form shows: the person's name. Showing it is recorded as a read. */
  async forNewNote(actor: Actor, personId: string) {
    await this.guard.require(actor, 'notes.record');
    const { record } = await this.openRecord(actor, personId);
    await this.audit.recordNow(auditActorOf(actor), { action: 'person.viewed', personId, subject: { type: 'person', id: personId }, details: { purpose: 'new note' } });
    return { record };
  }

  /** Writes a note owned by the actor's agency and signed with their name, role and team (NOTE-1). */
  async record(actor: Actor, personId: string, input: unknown) {
    await this.guard.require(actor, 'notes.record');
    await this.openRecord(actor, personId);
    const values = this.parse(input);
    const id = randomUUID();
    // Every value is known here, so the note and its record go in one round trip.
    const note: RecordNote = { id, originalId: id, corrects: null, personId, category: values.category, title: values.title, text: values.text, happenedOn: values.happenedOn ?? null, ...this.signature(actor) };
    return this.audit.writeWithRecord(auditActorOf(actor), [insertAsText(recordNote, note)], [{ action: 'note.recorded', personId, subject: { type: 'note', id }, details: { category: note.category } }], note);
  }

  /** The note to correct and its line of versions, for the correction form; showing it is recorded as a read. */
  async forCorrection(actor: Actor, personId: string, noteId: string) {
    await this.guard.require(actor, 'notes.record');
    const opened = await this.openRecord(actor, personId);
    const found = await this.correctable(this.db, actor, personId, noteId, opened.at);
    const [note] = await this.shown(this.db, actor, [found.note], opened.facts);
    await this.audit.recordNow(auditActorOf(actor), { action: 'notes.viewed', personId, subject: { type: 'note', id: noteId }, details: { notes: 1, purpose: 'correction' } });
    return { record: opened.record, note: note! };
  }

  /**
   * Corrects a note (NOTE-2): a new note, linked to the one it corrects, which stays readable and shows
   * that it was corrected, when and by whom. Only the owning agency corrects, and only the latest version.
   */
  async correct(actor: Actor, personId: string, noteId: string, input: unknown) {
    await this.guard.require(actor, 'notes.record');
    const opened = await this.openRecord(actor, personId);
    await this.correctable(this.db, actor, personId, noteId, opened.at);
    const values = this.parse(input);
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      // Checked again inside the transaction; the unique index on `corrects` settles a race between two correctors.
      const { note } = await this.correctable(tx, actor, personId, noteId, opened.at);
      const id = randomUUID();
      const correction = await store.insertNote(tx, { id, originalId: note.originalId, corrects: note.id, personId, ...values, ...this.signature(actor) }).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw conflict('NOTES.ALREADY_CORRECTED', 'This note has just been corrected by someone else. Correct the latest version instead.');
        throw error;
      });
      record({ action: 'note.corrected', personId, subject: { type: 'note', id }, details: { corrects: note.id, category: correction.category } });
      return correction;
    });
  }

  private parse(input: unknown) {
    return parseOrThrow(noteSchema(londonDate(this.clock.now())), input, 'NOTES.NOTE_INVALID');
  }

  private signature(actor: Actor) {
    const role = actor.roles.find((r) => PRACTICE_ROLES.includes(r));
    // notes.record is held by practice roles only; a signature without one would be a wiring mistake.
    if (!role) throw forbidden('NOTES.NO_PRACTICE_ROLE', 'Your role does not include writing notes.');
    return { owningAgencyId: actor.agencyId, teamId: actor.teamId, authorId: actor.userId, authorRole: role, recordedAt: this.clock.now() };
  }

  private async correctable(db: Queryable, actor: Actor, personId: string, noteId: string, at: AccessMoment) {
    const found = await store.lineOf(db, personId, noteId, this.visibleTo(actor, at));
    if (!found) throw notFound('NOTES.NOT_FOUND', 'There is no note with that reference.');
    const correctedBy = found.line.find((n) => n.corrects === noteId) ?? null;
    const refusal = correctionRefusal(found.note, correctedBy, actor.agencyId);
    if (refusal?.code === 'NOTES.NOT_OWNER') throw forbidden(refusal.code, refusal.message);
    if (refusal) throw conflict(refusal.code, refusal.message);
    return found;
  }

  /**
   * Notes with their signatures in words, their place among their versions and, for the owner, their
   * restrictions. `rows` are the notes to show; their lines are read whole (every version of a shown
   * note is visible), so a filtered list still says which notes were corrected.
   */
  private async shown(db: Queryable, actor: Actor, rows: RecordNote[], facts: PersonAccessFacts): Promise<NoteShown[]> {
    const versions = await store.versionsOf(db, [...new Set(rows.map((n) => n.originalId))]);
    const restrictions = (facts.restrictions ?? []).filter((r) => !r.ended);
    const names = await this.directory.namesFor({
      userIds: versions.map((n) => n.authorId),
      teamIds: rows.map((n) => n.teamId),
      agencyIds: [...rows.map((n) => n.owningAgencyId), ...restrictions.flatMap((r) => r.agencyIds)],
    }, db);
    const lines = linesOf(versions);
    const byId = new Map(versions.map((n) => [n.id, n]));
    const authorOf = (note: RecordNote) => names.users.get(note.authorId)?.name ?? 'Unknown';
    const partiesOf = (r: RestrictionFact) => [
      ...r.agencyIds.map((id) => names.agencies.get(id)?.name ?? 'An agency no longer in the directory'),
      ...r.agencyTypes.map((type) => `Any ${((AGENCY_TYPE_NAMES as Record<string, string>)[type] ?? type).toLowerCase()} agency`),
    ];
    return rows.map((note) => {
      const corrected = lines.get(note.id)?.correctedBy ?? null;
      const correctsNote = note.corrects ? byId.get(note.corrects) : undefined;
      const ownedByReader = note.owningAgencyId === actor.agencyId;
      const line = versions.filter((n) => n.originalId === note.originalId).map((n) => n.id);
      return {
        ...note,
        authorName: authorOf(note),
        teamName: names.teams.get(note.teamId)?.name ?? 'Unknown team',
        agencyName: names.agencies.get(note.owningAgencyId)?.name ?? 'Unknown agency',
        correctedBy: corrected ? { id: corrected.id, recordedAt: corrected.recordedAt, authorName: authorOf(corrected) } : null,
        correctsNote: correctsNote ? { id: correctsNote.id, recordedAt: correctsNote.recordedAt } : null,
        latest: corrected === null,
        ownedByReader,
        // A restriction on any version holds for the whole note (see store.ts), so each version shows it.
        restrictions: ownedByReader
          ? restrictions
              .filter((r) => (r.entryId !== null && line.includes(r.entryId)) || (r.entryId === null && r.categories.includes(note.category)))
              .map((r) => ({ id: r.id, scope: r.entryId === null ? ('category' as const) : ('note' as const), parties: partiesOf(r) }))
          : [],
      };
    });
  }

  /** CON-5 for notes: the categories of other agencies' notes not shared with the reader's agency, and why. */
  private withheld(actor: Actor, facts: PersonAccessFacts, at: AccessMoment): Withheld {
    const result: Withheld = { noConsent: [], restricted: [] };
    for (const category of INFORMATION_CATEGORIES) {
      const decision = decideItemAccess(actor, facts, { category, owningAgencyId: ANOTHER_AGENCY }, at);
      if (decision.via === 'no_consent') result.noConsent.push(category);
      if (decision.via === 'restricted') result.restricted.push(category);
    }
    return result;
  }
}
