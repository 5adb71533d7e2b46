-- The enterprise list filtered by a flag (淘汰落后产能, 负面清单, 工信部推荐, 绿色名单: 2–8% of the files
-- each) had only enterprises_list (0006), led by the county code, to count and sort on: without a county
-- filter that read all of it, every page (issue 20: list_page p95 ~60 ms at 300,000 files, those
-- pages its tail). A partial index per flag holds only the flagged files, with enterprises_list's
-- columns, so a flagged page counts and sorts its few matches from it (EXPLAIN: SCAN e USING
-- COVERING INDEX enterprises_outdated_capacity) — about 18% of the list index's size for the four.
-- listEnterprises names the rarest flag asked for with INDEXED BY.
--
-- deleted_at closes every index the list reads (always NULL in it): EXPLAIN QUERY PLAN showed
-- enterprises_list, and the sort walks of 0006, as SCAN e USING INDEX, not COVERING INDEX — the
-- planner reads each entry's row to test the partial index's own condition (deleted_at IS NULL),
-- so a count or a sort of the list index read every matching file's row, scattered over the table.
-- With the column in the index the condition is tested there and only the page's rows are read.
DROP INDEX enterprises_list;
CREATE INDEX enterprises_list ON enterprises (
  division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, updated_at, name_initials, name, uscc, deleted_at
) WHERE deleted_at IS NULL;
DROP INDEX enterprises_uscc_live;
CREATE INDEX enterprises_uscc_live ON enterprises (uscc, deleted_at) WHERE deleted_at IS NULL;
DROP INDEX enterprises_updated_live;
CREATE INDEX enterprises_updated_live ON enterprises (updated_at, deleted_at) WHERE deleted_at IS NULL;
DROP INDEX enterprises_name_live;
CREATE INDEX enterprises_name_live ON enterprises (name_initials, name, deleted_at) WHERE deleted_at IS NULL;

CREATE INDEX enterprises_outdated_capacity ON enterprises (
  division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, updated_at, name_initials, name, uscc, deleted_at
) WHERE deleted_at IS NULL AND outdated_capacity = 1;
CREATE INDEX enterprises_negative_list ON enterprises (
  division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, updated_at, name_initials, name, uscc, deleted_at
) WHERE deleted_at IS NULL AND negative_list = 1;
CREATE INDEX enterprises_miit_recommended ON enterprises (
  division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, updated_at, name_initials, name, uscc, deleted_at
) WHERE deleted_at IS NULL AND miit_recommended = 1;
CREATE INDEX enterprises_green_list ON enterprises (
  division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, updated_at, name_initials, name, uscc, deleted_at
) WHERE deleted_at IS NULL AND green_list = 1;
