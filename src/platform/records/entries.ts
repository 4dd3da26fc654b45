import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '../access/actor.js';
import type { AccessMoment } from '../access/person-access.js';
import { canSeeItem } from '../access/person-filter.js';
import type { InformationCategory } from '../access/sharing-terms.js';
import type { Queryable } from '../db/database.js';

/*
 * Entries as a platform contract (DESIGN.md, "Entries"). Notes, assessments, risk reviews, plans and
 * decisions are entries: attributed, dated by the server, never changed in place (a correction or a new
 * version is a new entry linked to the one before), each with an information category and an owning
 * agency, which is all the access decision needs to share or hide it. A module registers its kind once;
 * the access decision's SQL twin, restrictions on single entries, the record's latest entries and the
 * chronology read every kind from here, so a new module edits no other.
 */

/** One entry as any list of entries across kinds shows it. */
export type EntrySummary = {
  type: string;
  id: string;
  personId: string;
  title: string;
  category: InformationCategory;
  owningAgencyId: string;
  recordedAt: Date;
  /** Marked significant by its author or by its kind's rule (NOTE-4: what a chronology leads with). */
  significant: boolean;
};

export type EntryKind = {
  /** The kind's name: a restriction's entry type, an audit subject's type, a chronology item's kind. */
  type: string;
  /** What a practitioner calls one, in a sentence ("note", "risk review"). */
  noun: string;
  table: PgTable;
  /**
   * Its columns. `category` may be a fixed category for a kind that holds one kind of information.
   * `current` is true for the entry that stands (not superseded by a correction or a later version):
   * lists show only those.
   */
  columns: {
    id: AnyPgColumn;
    personId: AnyPgColumn;
    category: AnyPgColumn | InformationCategory;
    owningAgencyId: AnyPgColumn;
    recordedAt: AnyPgColumn;
    title: AnyPgColumn | SQL;
    significant: AnyPgColumn | SQL;
    current: SQL;
  };
  /**
   * The access decision on one entry, where the kind's differs from canSeeItem on its own columns
   * (a note is hidden when any version of it is, so a correction cannot show what a restriction hid).
   */
  visibleTo?: (actor: Actor, at: AccessMoment) => SQL;
  /** Whether an agency may restrict one entry of this kind on its own (CON-3): its owner only, and only kinds that say so. */
  restrictable: boolean;
  /** The page that shows one, for its person. */
  link: (personId: string, id: string) => string;
};

export class EntryKinds {
  private readonly kinds = new Map<string, EntryKind>();

  /** Registers a kind at start-up. Two kinds of one name are a wiring mistake. */
  register(kind: EntryKind): void {
    if (!/^[a-z][a-z_]*$/.test(kind.type)) throw new Error(`An entry kind needs a lower-case name: "${kind.type}"`);
    if (this.kinds.has(kind.type)) throw new Error(`The entry kind "${kind.type}" is registered twice`);
    this.kinds.set(kind.type, kind);
  }

  get types(): string[] {
    return [...this.kinds.keys()];
  }

  kind(type: string): EntryKind | undefined {
    return this.kinds.get(type);
  }

  get restrictableTypes(): string[] {
    return [...this.kinds.values()].filter((k) => k.restrictable).map((k) => k.type);
  }

  /** The access decision's SQL twin on an entry of this kind (decideItemAccess on its category, owner and id). */
  visibleTo(kind: EntryKind, actor: Actor, at: AccessMoment): SQL {
    if (kind.visibleTo) return kind.visibleTo(actor, at);
    const { id, personId, category, owningAgencyId } = kind.columns;
    return canSeeItem(actor, { personId, category, owningAgencyId, entryId: id }, at);
  }

  /** One entry that stands, of a person, if the actor may see it: for a form that names one (restricting it, say). */
  async summaryFor(db: Queryable, actor: Actor, at: AccessMoment, personId: string, type: string, id: string): Promise<EntrySummary | null> {
    const kind = this.kinds.get(type);
    if (!kind) return null;
    const [row] = await db.execute<SummaryRow>(sql`${summarySelect(kind)} where ${and(eq(kind.columns.personId, personId), eq(kind.columns.id, id), kind.columns.current, this.visibleTo(kind, actor, at))}`).then(rowsOf);
    return row ? summaryOf(row) : null;
  }

  /** The latest entries of a person across every kind, newest first, each only if the actor may see it. */
  async latestOf(db: Queryable, actor: Actor, at: AccessMoment, personId: string, limit: number): Promise<EntrySummary[]> {
    if (this.kinds.size === 0) return [];
    const parts = [...this.kinds.values()].map(
      (kind) => sql`(${summarySelect(kind)} where ${and(eq(kind.columns.personId, personId), kind.columns.current, this.visibleTo(kind, actor, at))} order by ${desc(kind.columns.recordedAt)} limit ${limit})`,
    );
    const rows = await db.execute<SummaryRow>(sql`select * from (${sql.join(parts, sql` union all `)}) entries order by "recordedAt" desc, id limit ${limit}`).then(rowsOf);
    return rows.map(summaryOf);
  }
}

type SummaryRow = { type: string; id: string; personId: string; title: string; category: InformationCategory; owningAgencyId: string; recordedAt: Date | string; significant: boolean };

const asValue = (value: AnyPgColumn | SQL | string) => (typeof value === 'string' ? sql`${value}::text` : value);

function summarySelect(kind: EntryKind): SQL {
  const c = kind.columns;
  return sql`select ${kind.type}::text as type, ${c.id} as id, ${c.personId} as "personId", ${asValue(c.title)}::text as title, ${asValue(c.category)}::text as category,
    ${c.owningAgencyId} as "owningAgencyId", ${c.recordedAt} as "recordedAt", coalesce(${asValue(c.significant)}, false) as significant from ${kind.table}`;
}

const rowsOf = (result: { rows: SummaryRow[] }) => result.rows;
const summaryOf = (row: SummaryRow): EntrySummary => ({ ...row, recordedAt: new Date(row.recordedAt) });
