import { z } from 'zod';
import { dailySchema } from '../../platform/daily-schema.js';
import { INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';

/**
 * Notes on a person's record (NOTE-1, NOTE-2): what a note must hold, and how corrections line up.
 * The information categories are the access platform's words (a constant), so this stays pure.
 */

export const TITLE_MAX = 120;
export const TEXT_MAX = 10_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const isRealDate = (value: string) => {
  if (!ISO_DATE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** When what the note describes happened: optional, a real date, not after `today` (YYYY-MM-DD, London). */
export function happenedOnProblem(value: string, today: string): string | null {
  if (!isRealDate(value)) return 'Enter the date it happened as a real date, like 27 3 2026';
  if (value > today) return 'The date it happened must be today or in the past';
  return null;
}

const required = (missing: string, label: string, max: number) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, `The ${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

/** A note as written, or its correction (which is a whole new note: NOTE-2). */
export const noteInput = <C extends string>(today: string, categories: readonly [C, ...C[]]) =>
  z.object({
    category: z.enum(categories, { error: 'Select what kind of information the note holds' }),
    title: required('Enter a title', 'title', TITLE_MAX),
    text: required('Enter the note', 'note', TEXT_MAX),
    happenedOn: z
      .string({ error: 'Enter the date it happened as a real date, like 27 3 2026' })
      .trim()
      .optional()
      .nullable()
      .transform((value) => (value ? value : null))
      .superRefine((value, ctx) => {
        const problem = value === null ? null : happenedOnProblem(value, today);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  });
export type NoteInput<C extends string = string> = z.infer<ReturnType<typeof noteInput<C>>>;

/** The note schema over every category, as the service, the API and the form use it. */
export const noteSchema = dailySchema((today: string) => noteInput(today, INFORMATION_CATEGORIES));

export type LineNote = { id: string; corrects: string | null; recordedAt: Date };

/**
 * Why this agency may not correct this note, or null if it may. Only the agency that owns a note
 * corrects it, and only its latest version: a note is corrected once, so its versions stay one line.
 */
export function correctionRefusal(
  note: { owningAgencyId: string },
  correctedBy: LineNote | null,
  actorAgencyId: string,
): { code: 'NOTES.NOT_OWNER' | 'NOTES.ALREADY_CORRECTED'; message: string } | null {
  if (note.owningAgencyId !== actorAgencyId) {
    return { code: 'NOTES.NOT_OWNER', message: 'Only the agency that wrote a note can correct it. Ask them to correct it.' };
  }
  if (correctedBy) return { code: 'NOTES.ALREADY_CORRECTED', message: 'This note has already been corrected. Correct the latest version instead.' };
  return null;
}

/**
 * Each note's place in its line of versions: the note that corrected it (if any) and whether it is the
 * latest. `notes` are any notes of the person; a version whose correction is not among them is latest.
 */
export function linesOf<N extends LineNote>(notes: readonly N[]): Map<string, { correctedBy: N | null; latest: boolean }> {
  const correcting = new Map<string, N>();
  for (const note of notes) if (note.corrects) correcting.set(note.corrects, note);
  return new Map(notes.map((note) => {
    const correctedBy = correcting.get(note.id) ?? null;
    return [note.id, { correctedBy, latest: correctedBy === null }];
  }));
}
