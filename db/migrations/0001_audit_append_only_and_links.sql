-- The audit trail is append-only: PostgreSQL itself refuses to change or remove an event.
CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only: % is not allowed on audit_event', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
-- Verification results are a record too.
CREATE TRIGGER audit_verification_no_update BEFORE UPDATE OR DELETE ON audit_verification
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
--> statement-breakpoint
-- Platform tables link to the directory here rather than in TypeScript, so platform code does not import a module.
ALTER TABLE credential ADD CONSTRAINT credential_user_fk FOREIGN KEY (user_id) REFERENCES app_user(id);
--> statement-breakpoint
ALTER TABLE session ADD CONSTRAINT session_user_fk FOREIGN KEY (user_id) REFERENCES app_user(id);
--> statement-breakpoint
ALTER TABLE session ADD CONSTRAINT session_team_fk FOREIGN KEY (team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE api_token ADD CONSTRAINT api_token_user_fk FOREIGN KEY (user_id) REFERENCES app_user(id);
--> statement-breakpoint
ALTER TABLE api_token ADD CONSTRAINT api_token_team_fk FOREIGN KEY (team_id) REFERENCES team(id);
--> statement-breakpoint
ALTER TABLE team_membership ADD CONSTRAINT team_membership_roles_not_empty CHECK (cardinality(roles) > 0);
