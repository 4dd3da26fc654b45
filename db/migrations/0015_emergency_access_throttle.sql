-- Emergency access beyond BREAK_GLASS_PER_HOUR in an hour waits for the Caldicott guardian: the request, then her decision (once).
CREATE TABLE "break_glass_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL REFERENCES person(id),
	"user_id" uuid NOT NULL REFERENCES app_user(id),
	"agency_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"reason_code" text NOT NULL,
	"reason_text" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "break_glass_request_requested_idx" ON "break_glass_request" USING btree ("requested_at");
--> statement-breakpoint
CREATE TABLE "break_glass_decision" (
	"request_id" uuid PRIMARY KEY NOT NULL REFERENCES break_glass_request(id),
	"decision" text NOT NULL CHECK (decision IN ('approved', 'declined')),
	"notes" text NOT NULL,
	"decided_by" uuid NOT NULL REFERENCES app_user(id),
	"decided_at" timestamp with time zone NOT NULL,
	"break_glass_id" uuid REFERENCES break_glass(id),
	CHECK ((decision = 'approved') = (break_glass_id IS NOT NULL))
);
--> statement-breakpoint
CREATE TRIGGER break_glass_request_no_change BEFORE UPDATE OR DELETE ON break_glass_request FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();
--> statement-breakpoint
CREATE TRIGGER break_glass_decision_no_change BEFORE UPDATE OR DELETE ON break_glass_decision FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();
