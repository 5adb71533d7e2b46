-- The enterprise list under a filter with no county and no flag (a rating, a scale, a green-factory
-- level, a focus group) had no index to seek: enterprises_list leads with the county code, so both
-- the count and the sort read all of it, and a sort by name, USCC or industry ordered every match
-- (issue 20: list_page p95 grew 3.07× from 100k to 300k files; sorted by industry with no filter at
-- all, 300 ms at 300k, as no index held that order). Every sort but the county's now has an index in
-- its own order that also holds every filter column, as 0024 gave the update walk: such a page walks
-- it (EXPLAIN: SCAN e USING COVERING INDEX enterprises_<sort>_live), tests the filters on the index,
-- and stops after the page — it reads (offset + page) ÷ the filter's share of the register, not the
-- register. The county sort walks enterprises_list, which leads with the county.
DROP INDEX enterprises_name_live;
CREATE INDEX enterprises_name_live ON enterprises (
  name_initials, name, division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, deleted_at
) WHERE deleted_at IS NULL;
DROP INDEX enterprises_uscc_live;
CREATE INDEX enterprises_uscc_live ON enterprises (
  uscc, division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, deleted_at
) WHERE deleted_at IS NULL;
CREATE INDEX enterprises_industry_live ON enterprises (
  industry_code, name_initials, division_code, focus_group, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, deleted_at
) WHERE deleted_at IS NULL;
