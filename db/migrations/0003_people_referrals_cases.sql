CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
--> statement-breakpoint
CREATE TABLE "involvement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"team_id" uuid,
	"role" text NOT NULL,
	"domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"communication" text,
	"source_type" text NOT NULL,
	"source_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" uuid,
	"ended_at" timestamp with time zone,
	"ended_reason" text
);
--> statement-breakpoint
CREATE TABLE "care_case" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"person_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_agency_id" uuid NOT NULL,
	"coordinator_user_id" uuid NOT NULL,
	"state" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "care_case_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "coordinator_allocation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reasons" text NOT NULL,
	"considerations" text[] NOT NULL,
	"allocated_at" timestamp with time zone NOT NULL,
	"allocated_by" uuid NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "child_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"child_name" text NOT NULL,
	"child_date_of_birth" date,
	"relationship" text NOT NULL,
	"lives_with_person" boolean NOT NULL,
	"notes" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_agency" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inquiry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid,
	"about" text NOT NULL,
	"inquirer_name" text NOT NULL,
	"inquirer_organisation" text,
	"inquirer_contact" text,
	"channel" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"response" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_team" uuid NOT NULL,
	"recorded_by_agency" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"given_name" text NOT NULL,
	"middle_names" text,
	"family_name" text NOT NULL,
	"preferred_name" text,
	"date_of_birth" date,
	"nhs_number" text,
	"gender" text,
	"address_line_1" text,
	"address_line_2" text,
	"town" text,
	"postcode" text,
	"phone" text,
	"email" text,
	"communication_needs" text,
	"interpreter_language" text,
	"search_given" text NOT NULL,
	"search_family" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_alias" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"search_given" text NOT NULL,
	"search_family" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "eligibility_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"eligible" boolean NOT NULL,
	"serious_mental_illness" boolean NOT NULL,
	"conditions" text,
	"risks" boolean NOT NULL,
	"level_of_need" text NOT NULL,
	"participants" text[] NOT NULL,
	"basis" text NOT NULL,
	"signposting" text,
	"decided_at" timestamp with time zone NOT NULL,
	"decided_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "information_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"items" text[] NOT NULL,
	"question" text,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"answer" text,
	"answered_by" uuid,
	"answered_by_name" text
);
--> statement-breakpoint
CREATE TABLE "receiving_service" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"accepts_referrals" boolean DEFAULT true NOT NULL,
	"required_information" text[] DEFAULT '{}'::text[] NOT NULL,
	"automatically_urgent_agencies" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"standards" jsonb,
	"information_request_working_days" integer DEFAULT 5 NOT NULL,
	"waiting_risk_check_days" integer DEFAULT 14 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"person_id" uuid NOT NULL,
	"receiving_team_id" uuid NOT NULL,
	"receiving_agency_id" uuid NOT NULL,
	"source_type" text NOT NULL,
	"referrer_agency_id" uuid,
	"referrer_team_id" uuid,
	"referrer_user_id" uuid,
	"referrer_name" text NOT NULL,
	"referrer_role" text,
	"referrer_organisation" text,
	"referrer_contact" text,
	"channel" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"presenting_needs" text,
	"risk_unintentional_self_harm" text NOT NULL,
	"risk_intentional_self_harm" text NOT NULL,
	"risk_harm_to_others" text NOT NULL,
	"risk_abuse_by_others" text NOT NULL,
	"risk_notes" text,
	"consent_to_referral" text NOT NULL,
	"consent_to_share" text NOT NULL,
	"consent_notes" text,
	"state" text NOT NULL,
	"suggested_category" text,
	"category" text,
	"category_reason" text,
	"pathway" text,
	"is_re_referral" boolean DEFAULT false NOT NULL,
	"previous_case_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "referral_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "referral_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid,
	"by_name" text NOT NULL,
	"by_team_id" uuid,
	"by_agency_id" uuid,
	"summary" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"visible_to_referrer" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "response_contact" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"happened_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"summary" text NOT NULL,
	"late_reason" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "waiting_risk_check" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"checked_by" uuid NOT NULL,
	"risk_summary" text NOT NULL,
	"expedite" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "coordinator_allocation" ADD CONSTRAINT "coordinator_allocation_case_id_care_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."care_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_link" ADD CONSTRAINT "child_link_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry" ADD CONSTRAINT "inquiry_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_alias" ADD CONSTRAINT "person_alias_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_decision" ADD CONSTRAINT "eligibility_decision_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_request" ADD CONSTRAINT "information_request_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_event" ADD CONSTRAINT "referral_event_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_contact" ADD CONSTRAINT "response_contact_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waiting_risk_check" ADD CONSTRAINT "waiting_risk_check_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "involvement_person_agency_idx" ON "involvement" USING btree ("person_id","agency_id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "involvement_agency_idx" ON "involvement" USING btree ("agency_id","person_id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "involvement_source_idx" ON "involvement" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "care_case_person_idx" ON "care_case" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "care_case_coordinator_idx" ON "care_case" USING btree ("coordinator_user_id") WHERE state <> 'closed';--> statement-breakpoint
CREATE INDEX "care_case_team_idx" ON "care_case" USING btree ("team_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "care_case_referral_key" ON "care_case" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "coordinator_allocation_case_idx" ON "coordinator_allocation" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "child_link_person_idx" ON "child_link" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "inquiry_agency_idx" ON "inquiry" USING btree ("recorded_by_agency","recorded_at");--> statement-breakpoint
CREATE INDEX "inquiry_person_idx" ON "inquiry" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_nhs_number_key" ON "person" USING btree ("nhs_number");--> statement-breakpoint
CREATE INDEX "person_search_family_trgm" ON "person" USING gin ("search_family" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "person_search_given_trgm" ON "person" USING gin ("search_given" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "person_dob_idx" ON "person" USING btree ("date_of_birth");--> statement-breakpoint
CREATE INDEX "person_postcode_idx" ON "person" USING btree ("postcode");--> statement-breakpoint
CREATE INDEX "person_alias_person_idx" ON "person_alias" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_alias_family_trgm" ON "person_alias" USING gin ("search_family" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "information_request_referral_idx" ON "information_request" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "referral_person_idx" ON "referral" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "referral_receiving_idx" ON "referral" USING btree ("receiving_team_id","state","received_at");--> statement-breakpoint
CREATE INDEX "referral_referrer_idx" ON "referral" USING btree ("referrer_agency_id","received_at");--> statement-breakpoint
CREATE INDEX "referral_event_referral_idx" ON "referral_event" USING btree ("referral_id","at");--> statement-breakpoint
CREATE INDEX "response_contact_referral_idx" ON "response_contact" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "waiting_risk_check_referral_idx" ON "waiting_risk_check" USING btree ("referral_id");