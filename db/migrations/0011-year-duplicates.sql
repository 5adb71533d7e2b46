-- Two laptops can each enter the same year's financials (or indicators) for an enterprise while
-- offline; both rows reach head office, and this unique index then stopped the other laptop's pull
-- at every sync (as enterprises_uscc did, migration 0009). The laptop now keeps both rows; saving a
-- year on this laptop still updates the year's row it finds (handlers/enterprises.ts).
DROP INDEX enterprise_financials_year;
CREATE INDEX enterprise_financials_year ON enterprise_financials (enterprise_id, year) WHERE deleted_at IS NULL;
DROP INDEX enterprise_indicators_year;
CREATE INDEX enterprise_indicators_year ON enterprise_indicators (enterprise_id, year) WHERE deleted_at IS NULL;
