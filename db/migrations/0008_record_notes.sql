CREATE TABLE "record_note" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"category" text NOT NULL,
	"owning_agency_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"happened_on" date,
	"recorded_at" timestamp with time zone NOT NULL,
	"corrects" uuid,
	"original_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "record_note" ADD CONSTRAINT "record_note_corrects_record_note_id_fk" FOREIGN KEY ("corrects") REFERENCES "public"."record_note"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "record_note_person_idx" ON "record_note" USING btree ("person_id","recorded_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "record_note_corrects_key" ON "record_note" USING btree ("corrects");--> statement-breakpoint
CREATE INDEX "record_note_original_idx" ON "record_note" USING btree ("original_id");--> statement-breakpoint
-- Notes link to people and the directory here rather than in TypeScript (no module imports another's tables).
ALTER TABLE record_note ADD CONSTRAINT record_note_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE record_note ADD CONSTRAINT record_note_owning_agency_fk FOREIGN KEY (owning_agency_id) REFERENCES agency(id);--> statement-breakpoint
ALTER TABLE record_note ADD CONSTRAINT record_note_team_fk FOREIGN KEY (team_id) REFERENCES team(id);--> statement-breakpoint
ALTER TABLE record_note ADD CONSTRAINT record_note_author_fk FOREIGN KEY (author_id) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE record_note ADD CONSTRAINT record_note_original_fk FOREIGN KEY (original_id) REFERENCES record_note(id);--> statement-breakpoint
-- An original is the first of its line; a correction belongs to the line of the note it corrects.
ALTER TABLE record_note ADD CONSTRAINT record_note_line_shape CHECK ((corrects IS NULL) = (original_id = id));--> statement-breakpoint
ALTER TABLE record_note ADD CONSTRAINT record_note_title_length CHECK (char_length(title) BETWEEN 1 AND 120);--> statement-breakpoint
ALTER TABLE record_note ADD CONSTRAINT record_note_text_length CHECK (char_length(text) BETWEEN 1 AND 10000);--> statement-breakpoint
-- Entries are never changed or removed (NOTE-2): a correction is a new, linked note.
CREATE TRIGGER record_note_no_update BEFORE UPDATE OR DELETE ON record_note
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
