-- Person search shows, for every person found, the agencies involved now or before: without this it read every involvement.
CREATE INDEX "involvement_person_idx" ON "involvement" USING btree ("person_id");
