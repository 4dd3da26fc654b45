CREATE TABLE "risk_review" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"owning_agency_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"level" text NOT NULL,
	"evidence" text NOT NULL,
	"mappa_level" text NOT NULL,
	"answers" jsonb NOT NULL,
	"follow_ups" jsonb NOT NULL,
	"actions" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "risk_review_person_idx" ON "risk_review" USING btree ("person_id","recorded_at" DESC NULLS LAST);--> statement-breakpoint
-- Risk reviews link to people and the directory here rather than in TypeScript (no module imports another's tables).
ALTER TABLE risk_review ADD CONSTRAINT risk_review_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_owning_agency_fk FOREIGN KEY (owning_agency_id) REFERENCES agency(id);--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_team_fk FOREIGN KEY (team_id) REFERENCES team(id);--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_author_fk FOREIGN KEY (author_id) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_level_known CHECK (level IN ('low', 'medium', 'high', 'very_high'));--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_mappa_level_known CHECK (mappa_level IN ('none', '1', '2', '3'));--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_evidence_length CHECK (char_length(evidence) BETWEEN 1 AND 4000);--> statement-breakpoint
ALTER TABLE risk_review ADD CONSTRAINT risk_review_answers_shape CHECK (jsonb_typeof(answers) = 'object' AND jsonb_typeof(follow_ups) = 'object' AND jsonb_typeof(actions) = 'array');--> statement-breakpoint
-- Entries are never changed or removed (RISK-1: the history is kept): a later review is a new row.
CREATE TRIGGER risk_review_no_update BEFORE UPDATE OR DELETE ON risk_review
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
--> statement-breakpoint
CREATE TABLE "risk_escalation" (
	"id" uuid PRIMARY KEY NOT NULL,
	"review_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"person_id" uuid NOT NULL,
	"owning_agency_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"step" text NOT NULL,
	"raised_with" text,
	"outcome" text,
	"text" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "risk_escalation" ADD CONSTRAINT "risk_escalation_review_id_risk_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."risk_review"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "risk_escalation_position_key" ON "risk_escalation" USING btree ("review_id","position");--> statement-breakpoint
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_owning_agency_fk FOREIGN KEY (owning_agency_id) REFERENCES agency(id);--> statement-breakpoint
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_team_fk FOREIGN KEY (team_id) REFERENCES team(id);--> statement-breakpoint
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_author_fk FOREIGN KEY (author_id) REFERENCES app_user(id);--> statement-breakpoint
-- A step raised names who with; an answer says whether the matter was progressed (RISK-7).
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_shape CHECK (
  step IN ('senior_and_line_manager', 'head_of_service')
  AND ((kind = 'raised' AND raised_with IS NOT NULL AND outcome IS NULL) OR (kind = 'answered' AND raised_with IS NULL AND outcome IN ('progressed', 'not_progressed'))));--> statement-breakpoint
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_position_range CHECK (position BETWEEN 0 AND 3);--> statement-breakpoint
ALTER TABLE risk_escalation ADD CONSTRAINT risk_escalation_text_length CHECK (char_length(text) BETWEEN 1 AND 2000);--> statement-breakpoint
-- Each step is kept as it was recorded: the ladder is append-only.
CREATE TRIGGER risk_escalation_no_update BEFORE UPDATE OR DELETE ON risk_escalation
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
