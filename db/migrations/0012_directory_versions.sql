-- Edits of the directory, referral settings and involvements carry the version they were made against,
-- so a second editor working from an old copy is refused instead of silently overwriting the first.
ALTER TABLE "agency" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "team_membership" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "receiving_service" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "involvement" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
