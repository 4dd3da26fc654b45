-- Tokens carry what they may do. Tokens made before scopes existed could do everything their user's
-- roles allow, and the systems using them were built on that: they stay read-and-write, so no
-- integration breaks silently; their owners can replace them with read tokens.
ALTER TABLE "api_token" ADD COLUMN "scope" text DEFAULT 'write' NOT NULL;
--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_scope_check" CHECK ("scope" IN ('read', 'write'));
--> statement-breakpoint
-- New tokens must name their scope: no default a forgotten column could fall back on.
ALTER TABLE "api_token" ALTER COLUMN "scope" DROP DEFAULT;
--> statement-breakpoint
-- Failed sign-ins per account and address: an address that keeps failing waits longer and longer for
-- that account, without locking the account's owner out from anywhere else.
CREATE TABLE "sign_in_throttle" (
	"user_id" uuid NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE,
	"address" text NOT NULL,
	"failures" integer NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone,
	CONSTRAINT "sign_in_throttle_pk" PRIMARY KEY("user_id", "address")
);
--> statement-breakpoint
-- Secrets the server makes once and every instance shares (the sign-in form's CSRF key).
CREATE TABLE "server_secret" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
