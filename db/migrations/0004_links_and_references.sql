-- Links between parts of the practice, declared here so that no module's TypeScript imports another's tables.
ALTER TABLE involvement ADD CONSTRAINT involvement_person_fk FOREIGN KEY (person_id) REFERENCES person(id);
--> statement-breakpoint
ALTER TABLE involvement ADD CONSTRAINT involvement_agency_fk FOREIGN KEY (agency_id) REFERENCES agency(id);
--> statement-breakpoint
ALTER TABLE involvement ADD CONSTRAINT involvement_team_fk FOREIGN KEY (team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE obligation ADD CONSTRAINT obligation_owner_agency_fk FOREIGN KEY (owner_agency_id) REFERENCES agency(id);
--> statement-breakpoint
ALTER TABLE obligation ADD CONSTRAINT obligation_owner_team_fk FOREIGN KEY (owner_team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE obligation ADD CONSTRAINT obligation_owner_user_fk FOREIGN KEY (owner_user_id) REFERENCES app_user(id);
--> statement-breakpoint
ALTER TABLE receiving_service ADD CONSTRAINT receiving_service_team_fk FOREIGN KEY (team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE referral ADD CONSTRAINT referral_person_fk FOREIGN KEY (person_id) REFERENCES person(id);
--> statement-breakpoint
ALTER TABLE referral ADD CONSTRAINT referral_receiving_team_fk FOREIGN KEY (receiving_team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE referral ADD CONSTRAINT referral_referrer_agency_fk FOREIGN KEY (referrer_agency_id) REFERENCES agency(id);
--> statement-breakpoint
ALTER TABLE care_case ADD CONSTRAINT care_case_person_fk FOREIGN KEY (person_id) REFERENCES person(id);
--> statement-breakpoint
ALTER TABLE care_case ADD CONSTRAINT care_case_referral_fk FOREIGN KEY (referral_id) REFERENCES referral(id);
--> statement-breakpoint
ALTER TABLE care_case ADD CONSTRAINT care_case_team_fk FOREIGN KEY (team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE care_case ADD CONSTRAINT care_case_coordinator_fk FOREIGN KEY (coordinator_user_id) REFERENCES app_user(id);
--> statement-breakpoint
-- Human-readable references for referrals and cases, quoted on the phone and in letters.
CREATE SEQUENCE referral_reference_seq;
--> statement-breakpoint
CREATE SEQUENCE case_reference_seq;
--> statement-breakpoint
-- Entries are never changed or removed (NOTE-2): a correction is a new, linked entry.
CREATE FUNCTION entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'entries in % are never changed or removed: % is not allowed (record a correction instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER referral_event_no_update BEFORE UPDATE OR DELETE ON referral_event
  FOR EACH ROW EXECUTE FUNCTION entry_refuse_change();
