-- The enterprise list sorted by update (its default, half the pages) under a broad filter (a scale,
-- a rating, a green-factory level, a province) ordered every match of enterprises_list: with
-- 100,000 matches at 300,000 files, the list page's tail (issue 20: p95 36 ms at 300k, 2.3× the
-- 100k p95). The update walk now holds every filter column of enterprises_list, so such a page
-- walks it in sort order, testing the filters on the index (EXPLAIN: SCAN e USING COVERING INDEX
-- enterprises_updated_live, no temp B-tree) and stops after the page. db/enterprises.ts walks it
-- only when at least WALK_AFTER files match, so a walk reads at most (offset + page) × register ÷
-- WALK_AFTER entries; fewer matches are sorted from enterprises_list as before.
DROP INDEX enterprises_updated_live;
CREATE INDEX enterprises_updated_live ON enterprises (
  updated_at, division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, deleted_at
) WHERE deleted_at IS NULL;
