CREATE TABLE "obligation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"rule_id" text NOT NULL,
	"title" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"person_id" uuid,
	"owner_user_id" uuid,
	"owner_team_id" uuid,
	"owner_agency_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"breached_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"late" boolean DEFAULT false NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE INDEX "obligation_open_due_idx" ON "obligation" USING btree ("due_at") WHERE state in ('open', 'breached');--> statement-breakpoint
CREATE INDEX "obligation_team_idx" ON "obligation" USING btree ("owner_team_id","due_at") WHERE state in ('open', 'breached');--> statement-breakpoint
CREATE INDEX "obligation_user_idx" ON "obligation" USING btree ("owner_user_id","due_at") WHERE state in ('open', 'breached');--> statement-breakpoint
CREATE INDEX "obligation_subject_idx" ON "obligation" USING btree ("subject_type","subject_id");