-- Where people and companies are: a postal address on both, and on people
-- their time zone and the web pages about them (website, social profiles:
-- a JSON array of {"label", "url"}). Every part is free text; "" is
-- unknown. The stage of a big import holds the people's as contacts do.

-- +goose Up
ALTER TABLE contacts ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
ALTER TABLE companies ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE import_stage_contacts ADD COLUMN links TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE contacts DROP COLUMN street;
ALTER TABLE contacts DROP COLUMN city;
ALTER TABLE contacts DROP COLUMN state;
ALTER TABLE contacts DROP COLUMN postal_code;
ALTER TABLE contacts DROP COLUMN country;
ALTER TABLE contacts DROP COLUMN time_zone;
ALTER TABLE contacts DROP COLUMN links;
ALTER TABLE companies DROP COLUMN street;
ALTER TABLE companies DROP COLUMN city;
ALTER TABLE companies DROP COLUMN state;
ALTER TABLE companies DROP COLUMN postal_code;
ALTER TABLE companies DROP COLUMN country;
ALTER TABLE import_stage_contacts DROP COLUMN street;
ALTER TABLE import_stage_contacts DROP COLUMN city;
ALTER TABLE import_stage_contacts DROP COLUMN state;
ALTER TABLE import_stage_contacts DROP COLUMN postal_code;
ALTER TABLE import_stage_contacts DROP COLUMN country;
ALTER TABLE import_stage_contacts DROP COLUMN time_zone;
ALTER TABLE import_stage_contacts DROP COLUMN links;
