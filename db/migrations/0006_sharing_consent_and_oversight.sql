CREATE TABLE "access_alert" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid NOT NULL,
	"person_id" uuid,
	"break_glass_id" uuid,
	"window_start" timestamp with time zone,
	"details" jsonb NOT NULL,
	"raised_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_alert_review" (
	"alert_id" uuid PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"notes" text NOT NULL,
	"reviewed_by" uuid NOT NULL,
	"reviewed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "break_glass" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"reason_code" text NOT NULL,
	"reason_text" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consent_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"withdraws" uuid,
	"agency_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"agency_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"purposes" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"obtained_how" text NOT NULL,
	"obtained_at" timestamp with time zone NOT NULL,
	"review_date" date,
	"notes" text,
	"consequences" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_agency" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_exception" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"lawful_basis" text NOT NULL,
	"justification" text NOT NULL,
	"categories" text[] NOT NULL,
	"agency_ids" uuid[] NOT NULL,
	"checklist" jsonb NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_by_agency" uuid NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"review_date" date NOT NULL,
	"person_informed" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_exception_end" (
	"exception_id" uuid PRIMARY KEY NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"ended_by" uuid NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_restriction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"entry_type" text,
	"entry_id" uuid,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"agency_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"agency_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"other_parties" text,
	"reason" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_agency" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_restriction_end" (
	"restriction_id" uuid PRIMARY KEY NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"ended_by" uuid NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "involvement" ADD COLUMN "lead_domains" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "involvement" ADD COLUMN "key_contact" text;--> statement-breakpoint
CREATE INDEX "access_alert_raised_idx" ON "access_alert" USING btree ("raised_at");--> statement-breakpoint
CREATE UNIQUE INDEX "access_alert_window_key" ON "access_alert" USING btree ("kind","user_id","window_start");--> statement-breakpoint
CREATE INDEX "break_glass_person_user_idx" ON "break_glass" USING btree ("person_id","user_id","expires_at");--> statement-breakpoint
CREATE INDEX "break_glass_user_idx" ON "break_glass" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "consent_decision_person_idx" ON "consent_decision" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_decision_withdraws_key" ON "consent_decision" USING btree ("withdraws");--> statement-breakpoint
CREATE INDEX "sharing_exception_person_idx" ON "sharing_exception" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "sharing_restriction_person_idx" ON "sharing_restriction" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "sharing_restriction_entry_idx" ON "sharing_restriction" USING btree ("entry_id");--> statement-breakpoint
-- Sharing facts link to people and the directory here rather than in TypeScript (platform code does not import modules).
ALTER TABLE consent_decision ADD CONSTRAINT consent_decision_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE consent_decision ADD CONSTRAINT consent_decision_withdraws_fk FOREIGN KEY (withdraws) REFERENCES consent_decision(id);--> statement-breakpoint
ALTER TABLE consent_decision ADD CONSTRAINT consent_decision_recorded_by_fk FOREIGN KEY (recorded_by) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE consent_decision ADD CONSTRAINT consent_decision_withdrawal_shape CHECK ((decision = 'withdrawn') = (withdraws IS NOT NULL));--> statement-breakpoint
ALTER TABLE sharing_restriction ADD CONSTRAINT sharing_restriction_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE sharing_restriction ADD CONSTRAINT sharing_restriction_recorded_by_fk FOREIGN KEY (recorded_by) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE sharing_restriction_end ADD CONSTRAINT sharing_restriction_end_fk FOREIGN KEY (restriction_id) REFERENCES sharing_restriction(id);--> statement-breakpoint
ALTER TABLE sharing_exception ADD CONSTRAINT sharing_exception_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE sharing_exception ADD CONSTRAINT sharing_exception_decided_by_fk FOREIGN KEY (decided_by) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE sharing_exception_end ADD CONSTRAINT sharing_exception_end_fk FOREIGN KEY (exception_id) REFERENCES sharing_exception(id);--> statement-breakpoint
ALTER TABLE break_glass ADD CONSTRAINT break_glass_person_fk FOREIGN KEY (person_id) REFERENCES person(id);--> statement-breakpoint
ALTER TABLE break_glass ADD CONSTRAINT break_glass_user_fk FOREIGN KEY (user_id) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE access_alert ADD CONSTRAINT access_alert_user_fk FOREIGN KEY (user_id) REFERENCES app_user(id);--> statement-breakpoint
ALTER TABLE access_alert ADD CONSTRAINT access_alert_break_glass_fk FOREIGN KEY (break_glass_id) REFERENCES break_glass(id);--> statement-breakpoint
ALTER TABLE access_alert_review ADD CONSTRAINT access_alert_review_alert_fk FOREIGN KEY (alert_id) REFERENCES access_alert(id);--> statement-breakpoint
-- Consent, restrictions, exceptions, break-glass and alerts are a record: they are added to, never changed or removed.
CREATE FUNCTION sharing_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sharing records are append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER consent_decision_no_change BEFORE UPDATE OR DELETE ON consent_decision FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER sharing_restriction_no_change BEFORE UPDATE OR DELETE ON sharing_restriction FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER sharing_restriction_end_no_change BEFORE UPDATE OR DELETE ON sharing_restriction_end FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER sharing_exception_no_change BEFORE UPDATE OR DELETE ON sharing_exception FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER sharing_exception_end_no_change BEFORE UPDATE OR DELETE ON sharing_exception_end FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER break_glass_no_change BEFORE UPDATE OR DELETE ON break_glass FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER access_alert_no_change BEFORE UPDATE OR DELETE ON access_alert FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();--> statement-breakpoint
CREATE TRIGGER access_alert_review_no_change BEFORE UPDATE OR DELETE ON access_alert_review FOR EACH ROW EXECUTE FUNCTION sharing_record_refuse_change();
