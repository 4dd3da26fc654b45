import type { Actor } from '../access/actor.js';
import type { Queryable } from '../db/database.js';
import type { Priority } from './obligation-rules.js';

/**
 * What an obligation is about (a referral, a case, an assessment review…), as every list of deadlines
 * shows it. Each module registers its own kinds of subject once, where the services are built, so My
 * work and anything else that lists deadlines shows a new kind without knowing it: a new module
 * registers; it edits no other module.
 */

/** How one subject reads, as its own module describes it. */
export type SubjectDescription = {
  /** What it is known by, e.g. REF-2026-000012; null for a kind that has no references. */
  reference: string | null;
  /** The page that shows it. */
  link: string;
  /** What a practitioner reads, e.g. "Referral to Riverside CMHT". */
  title: string;
  /** Where the kind grades its urgency (a referral's category); otherwise left out. */
  priority?: Priority | null;
};

export type SubjectKind = {
  /** The subject type obligations are started with, e.g. 'referral'. */
  kind: string;
  /** What a subject of this kind reads as when it cannot be described (it is gone, say): "Referral". */
  noun: string;
  /**
   * Describes many subjects at once (one call per kind, however many rows a page lists), in the
   * caller's transaction. The caller lists only deadlines the actor may already see; an id the kind
   * does not know is left out of the answer.
   */
  describe(db: Queryable, actor: Actor, ids: readonly string[]): Promise<ReadonlyMap<string, SubjectDescription>>;
};

export type Subject = { type: string; id: string };

/** A subject as a list shows it: no link when there is no page to go to. */
export type ListedSubject = Subject & { reference: string | null; link: string | null; title: string };
export type DescribedSubject = ListedSubject & { priority: Priority | null };

/** How a subject of a kind no module has registered reads: nothing is claimed about it. */
export const UNKNOWN_SUBJECT = 'Not known';

const warnOnce = (message: string) => process.emitWarning(message, { code: 'CONCORD_UNKNOWN_SUBJECT_KIND' });

export class ObligationSubjects {
  private readonly kinds = new Map<string, SubjectKind>();
  private readonly reported = new Set<string>();

  /** `warn` hears once of each unregistered kind met in the data (a module removed, a row written by hand). */
  constructor(private readonly warn: (message: string) => void = warnOnce) {}

  register(kind: SubjectKind): void {
    if (!kind.kind.trim()) throw new Error('An obligation subject kind needs a name.');
    if (this.kinds.has(kind.kind)) throw new Error(`The obligation subject kind "${kind.kind}" is registered twice.`);
    this.kinds.set(kind.kind, kind);
  }

  isRegistered(type: string): boolean {
    return this.kinds.has(type);
  }

  /** Starting a deadline on a kind nobody can show is a programming error: refused before anything is written. */
  requireRegistered(type: string): void {
    if (!this.kinds.has(type)) throw new Error(`No module has registered the obligation subject kind "${type}": register it where the services are built.`);
  }

  /** Describes these subjects, one call per kind; the answer reads any subject, described or not. */
  async describeAll(db: Queryable, actor: Actor, subjects: readonly Subject[]): Promise<(subject: Subject) => DescribedSubject> {
    const idsByType = new Map<string, Set<string>>();
    for (const s of subjects) idsByType.set(s.type, (idsByType.get(s.type) ?? new Set()).add(s.id));
    const described = new Map<string, ReadonlyMap<string, SubjectDescription>>();
    // One kind after another: the caller's transaction is one connection.
    for (const [type, ids] of idsByType) {
      const kind = this.kinds.get(type);
      if (kind) described.set(type, await kind.describe(db, actor, [...ids]));
      else this.reportUnknown(type);
    }
    return (subject) => {
      const kind = this.kinds.get(subject.type);
      const found = described.get(subject.type)?.get(subject.id);
      if (found) return { ...subject, reference: found.reference, link: found.link, title: found.title, priority: found.priority ?? null };
      return { ...subject, reference: null, link: null, title: kind ? kind.noun : UNKNOWN_SUBJECT, priority: null };
    };
  }

  private reportUnknown(type: string) {
    if (this.reported.has(type)) return;
    this.reported.add(type);
    this.warn(`Deadlines about the subject kind "${type}" are shown as "${UNKNOWN_SUBJECT}": no module has registered that kind.`);
  }
}
