CREATE TABLE "person_name_word" (
	"word" text PRIMARY KEY NOT NULL,
	"sound" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "person_search_family_trgm";--> statement-breakpoint
DROP INDEX "person_search_given_trgm";--> statement-breakpoint
DROP INDEX "person_alias_family_trgm";--> statement-breakpoint
CREATE INDEX "person_name_word_trgm" ON "person_name_word" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "person_name_word_sound_idx" ON "person_name_word" USING btree ("sound");--> statement-breakpoint
CREATE INDEX "person_family_given_idx" ON "person" USING btree ("search_family","search_given","id");--> statement-breakpoint
CREATE INDEX "person_given_family_idx" ON "person" USING btree ("search_given","search_family","id");--> statement-breakpoint
CREATE INDEX "person_alias_family_given_idx" ON "person_alias" USING btree ("search_family","search_given","person_id");--> statement-breakpoint
CREATE INDEX "person_alias_given_family_idx" ON "person_alias" USING btree ("search_given","search_family","person_id");--> statement-breakpoint
-- Person search matches names fuzzily against this lexicon of name words, then finds people by the exact words
-- through the btree indexes above. Statement-level triggers with transition tables keep it filled without slowing
-- a bulk load: each statement adds its distinct new words once.
CREATE FUNCTION person_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_name_word (word, sound)
  SELECT w.word, dmetaphone(w.word)
  FROM (SELECT search_given AS word FROM new_rows UNION SELECT search_family FROM new_rows) w
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- One trigger per table and event: PostgreSQL allows transition tables only on single-event triggers.
CREATE TRIGGER person_name_word_on_insert AFTER INSERT ON person
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_name_word_add();
--> statement-breakpoint
CREATE TRIGGER person_name_word_on_update AFTER UPDATE ON person
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_name_word_add();
--> statement-breakpoint
CREATE TRIGGER person_alias_name_word_on_insert AFTER INSERT ON person_alias
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_name_word_add();
--> statement-breakpoint
CREATE TRIGGER person_alias_name_word_on_update AFTER UPDATE ON person_alias
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_name_word_add();
--> statement-breakpoint
INSERT INTO person_name_word (word, sound)
SELECT w.word, dmetaphone(w.word)
FROM (
  SELECT search_given FROM person UNION SELECT search_family FROM person
  UNION SELECT search_given FROM person_alias UNION SELECT search_family FROM person_alias
) w(word)
ON CONFLICT (word) DO NOTHING;
