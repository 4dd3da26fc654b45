-- Audit events are inserted freely (no lock, no chain fields) and chained afterwards by the sealer,
-- which writes seals: each covers a run of event ids with every event's hash and the chain's head,
-- and hashes the seal before it. audit_event is partitioned by month on occurred_at.
-- The old table's events and their hashes are carried over as the first seals.
ALTER TABLE audit_event RENAME TO audit_event_legacy;
--> statement-breakpoint
ALTER TABLE audit_event_legacy RENAME CONSTRAINT audit_event_pkey TO audit_event_legacy_pkey;
--> statement-breakpoint
DROP INDEX audit_event_occurred_at_idx, audit_event_actor_idx, audit_event_action_idx, audit_event_subject_idx, audit_event_person_idx;
--> statement-breakpoint
ALTER TABLE audit_event_legacy ALTER COLUMN id DROP IDENTITY;
--> statement-breakpoint
CREATE SEQUENCE audit_event_id_seq AS bigint;
--> statement-breakpoint
CREATE TABLE audit_event (
  id bigint NOT NULL DEFAULT nextval('audit_event_id_seq'),
  occurred_at timestamp (3) with time zone NOT NULL,
  actor_user_id uuid,
  actor_name text,
  actor_agency_id uuid,
  actor_team_id uuid,
  action text NOT NULL,
  outcome text NOT NULL,
  subject_type text,
  subject_id text,
  person_id uuid,
  request_id text,
  source_ip text,
  details jsonb NOT NULL,
  -- The inserting transaction, taken before the event's id: the sealer waits for every transaction
  -- older than its own before sealing the ids handed out until then.
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
--> statement-breakpoint
ALTER SEQUENCE audit_event_id_seq OWNED BY audit_event.id;
--> statement-breakpoint
CREATE INDEX audit_event_occurred_at_idx ON audit_event (occurred_at);
--> statement-breakpoint
CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, id);
--> statement-breakpoint
CREATE INDEX audit_event_action_idx ON audit_event (action, id);
--> statement-breakpoint
CREATE INDEX audit_event_subject_idx ON audit_event (subject_type, subject_id, id);
--> statement-breakpoint
CREATE INDEX audit_event_person_idx ON audit_event (person_id, id);
--> statement-breakpoint
-- Row triggers on the parent apply to every partition; TRUNCATE is refused on each partition too (below).
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
-- Events whose time falls in no month's partition (a clock far off) still get written, never refused.
CREATE TABLE audit_event_other PARTITION OF audit_event DEFAULT;
--> statement-breakpoint
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event_other
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
-- One month's partition (UTC months), with its guard. Security definer, so the worker can run it
-- under a role that may not create tables itself.
CREATE FUNCTION audit_event_add_month(month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  first_day timestamp := date_trunc('month', month::timestamp);
  starts timestamptz := first_day AT TIME ZONE 'UTC';
  ends timestamptz := (first_day + interval '1 month') AT TIME ZONE 'UTC';
  partition_name text := 'audit_event_' || to_char(first_day, 'YYYY_MM');
BEGIN
  PERFORM pg_advisory_xact_lock(724110014);
  IF to_regclass(partition_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  -- A month that already has events in the default partition keeps them there.
  IF EXISTS (SELECT 1 FROM audit_event_other WHERE occurred_at >= starts AND occurred_at < ends) THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', partition_name, starts, ends);
  EXECUTE format('CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()', partition_name);
  RETURN true;
END;
$$;
--> statement-breakpoint
-- This month and the next `ahead`; the worker calls it, so partitions exist before they are needed.
CREATE FUNCTION audit_event_add_months(from_day date, ahead integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  added integer := 0;
BEGIN
  FOR i IN 0..ahead LOOP
    IF audit_event_add_month((from_day + make_interval(months => i))::date) THEN
      added := added + 1;
    END IF;
  END LOOP;
  RETURN added;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  month date;
BEGIN
  FOR month IN SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date FROM audit_event_legacy LOOP
    PERFORM audit_event_add_month(month);
  END LOOP;
  PERFORM audit_event_add_months(current_date, 3);
END;
$$;
--> statement-breakpoint
INSERT INTO audit_event (id, occurred_at, actor_user_id, actor_name, actor_agency_id, actor_team_id, action, outcome,
                         subject_type, subject_id, person_id, request_id, source_ip, details)
  SELECT id, occurred_at, actor_user_id, actor_name, actor_agency_id, actor_team_id, action, outcome,
         subject_type, subject_id, person_id, request_id, source_ip, details
  FROM audit_event_legacy;
--> statement-breakpoint
SELECT setval('audit_event_id_seq', coalesce((SELECT max(id) FROM audit_event_legacy), 1), (SELECT count(*) > 0 FROM audit_event_legacy));
--> statement-breakpoint
-- Seals are only ever inserted: the sealer needs no UPDATE on any audit table.
CREATE TABLE audit_seal (
  id bigint PRIMARY KEY,
  sealed_at timestamp with time zone NOT NULL,
  after_event_id bigint NOT NULL,
  through_event_id bigint NOT NULL,
  event_ids bigint[] NOT NULL,
  event_hashes text[] NOT NULL,
  prev_head text NOT NULL,
  head_hash text NOT NULL,
  prev_seal_hash text NOT NULL,
  seal_hash text NOT NULL,
  CONSTRAINT audit_seal_range CHECK (through_event_id > after_event_id),
  CONSTRAINT audit_seal_hashes CHECK (cardinality(event_ids) = cardinality(event_hashes) AND cardinality(event_ids) > 0)
);
--> statement-breakpoint
CREATE TRIGGER audit_seal_no_update BEFORE UPDATE OR DELETE ON audit_seal
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
-- The old chain becomes the first seals, a thousand events each, every event keeping the hash it had.
-- The seal hash is the one sealHash() in src/platform/audit/chain.ts computes.
DO $$
DECLARE
  chunk record;
  seal_number bigint := 0;
  after_id bigint := 0;
  prev_seal text := repeat('0', 64);
  head text;
  this_seal text;
BEGIN
  FOR chunk IN
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(hash ORDER BY id) AS hashes,
           (array_agg(prev_hash ORDER BY id))[1] AS prev_head, max(id) AS through
    FROM (SELECT id, hash, prev_hash, (row_number() OVER (ORDER BY id) - 1) / 1000 AS part FROM audit_event_legacy) numbered
    GROUP BY part ORDER BY part
  LOOP
    seal_number := seal_number + 1;
    head := chunk.hashes[cardinality(chunk.hashes)];
    this_seal := encode(sha256(convert_to(concat_ws('|', prev_seal, seal_number, after_id, chunk.through, cardinality(chunk.ids), chunk.prev_head, head), 'UTF8')), 'hex');
    INSERT INTO audit_seal VALUES (seal_number, now(), after_id, chunk.through, chunk.ids, chunk.hashes, chunk.prev_head, head, prev_seal, this_seal);
    prev_seal := this_seal;
    after_id := chunk.through;
  END LOOP;
END;
$$;
--> statement-breakpoint
DROP TABLE audit_event_legacy;
--> statement-breakpoint
-- Each check is a checkpoint: it names the last seal it verified and hashes the checkpoint before it,
-- so the next check can start there, and a changed or removed checkpoint is found.
ALTER TABLE audit_verification
  ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY,
  ADD COLUMN full_check boolean NOT NULL DEFAULT true,
  ADD COLUMN broken_count integer NOT NULL DEFAULT 0,
  ADD COLUMN broken jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN through_seal_id bigint,
  ADD COLUMN through_seal_hash text,
  ADD COLUMN unsealed_events bigint,
  ADD COLUMN oldest_unsealed_at timestamp with time zone,
  ADD COLUMN prev_checkpoint_hash text,
  ADD COLUMN checkpoint_hash text;
--> statement-breakpoint
CREATE TRIGGER audit_verification_no_truncate BEFORE TRUNCATE ON audit_verification
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
