-- Idempotency-Key of API POSTs: the first answer, kept (for a bounded time) so a retry replays it instead of acting twice.
-- The body is json, not jsonb: a replay sends the answer's text exactly as it was, key order included.
CREATE TABLE "idempotent_request" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"request_id" text NOT NULL,
	"status" integer,
	"body" json,
	"location" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotent_request_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE INDEX "idempotent_request_expires_idx" ON "idempotent_request" USING btree ("expires_at");
