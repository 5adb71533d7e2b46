-- The 工作台 (issue 17, db/workbench.ts) finds a person's own work by the person: the enterprises
-- they look after (files they created, collateral they entered, visits they make) and their visits.
-- Ids only, narrow: each is read for one person's rows, never walked for a sort.
CREATE INDEX enterprises_by_creator ON enterprises (created_by) WHERE deleted_at IS NULL;
CREATE INDEX collateral_by_maker ON collateral_items (maker_id, enterprise_id) WHERE deleted_at IS NULL;
CREATE INDEX monitoring_visits_by_officer ON monitoring_visits (officer_id, enterprise_id) WHERE deleted_at IS NULL;
