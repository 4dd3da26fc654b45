-- The lexicon of 0007 mixed given and family words, so a search paired hundreds of family names with each other as
-- if they were given names. It is rebuilt with each word's role; the triggers of 0007 stay and call the new function.
DROP TABLE "person_name_word";--> statement-breakpoint
CREATE TABLE "person_name_word" (
	"role" text NOT NULL,
	"word" text NOT NULL,
	"sound" text NOT NULL,
	CONSTRAINT "person_name_word_role_word_pk" PRIMARY KEY("role","word")
);
--> statement-breakpoint
CREATE INDEX "person_name_word_family_trgm" ON "person_name_word" USING gin ("word" gin_trgm_ops) WHERE "person_name_word"."role" = 'family';--> statement-breakpoint
CREATE INDEX "person_name_word_given_trgm" ON "person_name_word" USING gin ("word" gin_trgm_ops) WHERE "person_name_word"."role" = 'given';--> statement-breakpoint
CREATE INDEX "person_name_word_family_sound_idx" ON "person_name_word" USING btree ("sound") WHERE "person_name_word"."role" = 'family';--> statement-breakpoint
CREATE OR REPLACE FUNCTION person_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_name_word (role, word, sound)
  SELECT w.role, w.word, dmetaphone(w.word)
  FROM (SELECT 'given' AS role, search_given AS word FROM new_rows UNION SELECT 'family', search_family FROM new_rows) w
  ON CONFLICT (role, word) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
INSERT INTO person_name_word (role, word, sound)
SELECT w.role, w.word, dmetaphone(w.word)
FROM (
  SELECT 'given', search_given FROM person UNION SELECT 'family', search_family FROM person
  UNION SELECT 'given', search_given FROM person_alias UNION SELECT 'family', search_family FROM person_alias
) w(role, word)
ON CONFLICT (role, word) DO NOTHING;
