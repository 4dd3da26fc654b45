-- The holistic assessment (ASSESS-1 … ASSESS-3): drafts are the author's working copy, changed in place
-- under a version count; a completed assessment and its items are entries, never changed.
CREATE TABLE "assessment_draft" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL REFERENCES person(id),
	"kind" text NOT NULL CHECK (kind IN ('core', 'short_term')),
	"agency_id" uuid NOT NULL REFERENCES agency(id),
	"team_id" uuid NOT NULL REFERENCES team(id),
	"author_id" uuid NOT NULL REFERENCES app_user(id),
	"assessment_agreement" text NOT NULL CHECK (assessment_agreement IN ('agreed', 'could_not_ask')),
	"sharing_agreement" text NOT NULL CHECK (sharing_agreement IN ('agreed', 'declined', 'could_not_ask')),
	"could_not_ask_reason" text CHECK (char_length(could_not_ask_reason) <= 500),
	"domains" jsonb NOT NULL,
	"outcome" jsonb,
	"version" integer NOT NULL CHECK (version >= 1),
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid NOT NULL REFERENCES app_user(id)
);
--> statement-breakpoint
CREATE INDEX "assessment_draft_person_idx" ON "assessment_draft" USING btree ("person_id", "team_id");
--> statement-breakpoint
CREATE TABLE "assessment" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL REFERENCES person(id),
	"kind" text NOT NULL CHECK (kind IN ('core', 'short_term')),
	"owning_agency_id" uuid NOT NULL REFERENCES agency(id),
	"team_id" uuid NOT NULL REFERENCES team(id),
	"author_id" uuid NOT NULL REFERENCES app_user(id),
	"author_role" text NOT NULL,
	"signed_name" text NOT NULL,
	"signed_agency_name" text NOT NULL,
	"assessment_agreement" text NOT NULL CHECK (assessment_agreement IN ('agreed', 'could_not_ask')),
	"sharing_agreement" text NOT NULL CHECK (sharing_agreement IN ('agreed', 'declined', 'could_not_ask')),
	"could_not_ask_reason" text,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	-- ASSESS-1: where agreement could not be sought, the record says why.
	CONSTRAINT assessment_agreement_reason CHECK ((assessment_agreement <> 'could_not_ask' AND sharing_agreement <> 'could_not_ask') OR could_not_ask_reason IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX "assessment_person_idx" ON "assessment" USING btree ("person_id", "completed_at" DESC NULLS LAST);
--> statement-breakpoint
CREATE TABLE "assessment_item" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assessment_id" uuid NOT NULL REFERENCES assessment(id),
	"person_id" uuid NOT NULL REFERENCES person(id),
	"owning_agency_id" uuid NOT NULL REFERENCES agency(id),
	"section" text NOT NULL,
	"category" text NOT NULL,
	"content" jsonb NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_item_section_key" ON "assessment_item" USING btree ("assessment_id", "section");
--> statement-breakpoint
CREATE INDEX "assessment_item_person_idx" ON "assessment_item" USING btree ("person_id");
--> statement-breakpoint
-- Entries are never changed or removed: a later assessment is a new entry.
CREATE TRIGGER assessment_no_update BEFORE UPDATE OR DELETE ON assessment
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
--> statement-breakpoint
CREATE TRIGGER assessment_item_no_update BEFORE UPDATE OR DELETE ON assessment_item
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
--> statement-breakpoint
-- ASSESS-6: each step taken to get information another agency holds, with its answer; never changed.
CREATE TABLE "information_escalation" (
	"id" uuid PRIMARY KEY NOT NULL,
	"difficulty_id" uuid NOT NULL REFERENCES information_escalation(id),
	"person_id" uuid NOT NULL REFERENCES person(id),
	"owning_agency_id" uuid NOT NULL REFERENCES agency(id),
	"team_id" uuid NOT NULL REFERENCES team(id),
	"recorded_by" uuid NOT NULL REFERENCES app_user(id),
	"held_by" text NOT NULL CHECK (char_length(held_by) BETWEEN 1 AND 500),
	"information_sought" text NOT NULL CHECK (char_length(information_sought) BETWEEN 1 AND 5000),
	"step" text NOT NULL CHECK (step IN ('supervisor', 'manager', 'onward')),
	"escalated_to" text NOT NULL CHECK (char_length(escalated_to) BETWEEN 1 AND 500),
	"answer" text NOT NULL CHECK (char_length(answer) BETWEEN 1 AND 5000),
	"resolved" boolean NOT NULL,
	-- The step's place in its difficulty, 1 for the first: the order does not hang on clock resolution,
	-- and two people taking the same next step at once cannot both succeed.
	"position" integer NOT NULL CHECK (position >= 1),
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT information_escalation_first CHECK ((position = 1) = (difficulty_id = id))
);
--> statement-breakpoint
CREATE INDEX "information_escalation_person_idx" ON "information_escalation" USING btree ("person_id", "recorded_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "information_escalation_position_key" ON "information_escalation" USING btree ("difficulty_id", "position");
--> statement-breakpoint
CREATE TRIGGER information_escalation_no_update BEFORE UPDATE OR DELETE ON information_escalation
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
