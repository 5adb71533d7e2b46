-- The enterprise list and the one search box read one narrow covering index instead of the wide
-- rows (bench/scenarios/enterprise.ts, 100k enterprises): every filter column and every sort key of
-- listEnterprises is in it, so a count or a page is an index-only scan (~14 MB at 100k, stays in the
-- page cache) and only the 100 rows shown are read whole. The county code leads, so a county or
-- prefecture filter seeks. listEnterprises names it with INDEXED BY: without sqlite_stat1 the planner
-- preferred the partial USCC index and read every row through it (50–250 ms a page).
CREATE INDEX enterprises_list ON enterprises (
  division_code, focus_group, industry_code, environmental_rating, green_factory_level, scale,
  outdated_capacity, negative_list, green_list, miit_recommended, updated_at, name_initials, name, uscc
) WHERE deleted_at IS NULL;

-- USCC lookups and prefix counts, index-only (the 0004 index lacked deleted_at, so a count read every row).
CREATE INDEX enterprises_uscc_live ON enterprises (uscc) WHERE deleted_at IS NULL;
DROP INDEX enterprises_uscc_prefix;

-- The unfiltered list (the page a user first sees) walks its sort order and stops after one page.
CREATE INDEX enterprises_updated_live ON enterprises (updated_at) WHERE deleted_at IS NULL;
CREATE INDEX enterprises_name_live ON enterprises (name_initials, name) WHERE deleted_at IS NULL;

-- Two-character name fragments (华盛, 浮梁) and pinyin initials (HS, HSJC) are too short for the
-- trigram index, and a scan of 100k names costs ~10 ms of CPU. Character bigrams, as tokens, make
-- them index lookups: 华盛建材 → "华盛 盛建 建材", HSJC → "HS SJ JC" (initials of 2+ letters are
-- matched as a phrase of consecutive bigrams). Contentless; kept by triggers, like enterprises_fts.
CREATE VIRTUAL TABLE enterprises_grams USING fts5(name_grams, initials_grams, content = '', contentless_delete = 1, tokenize = 'unicode61');
CREATE TRIGGER enterprises_grams_insert AFTER INSERT ON enterprises BEGIN
  INSERT INTO enterprises_grams (rowid, name_grams, initials_grams) VALUES (NEW.rowid, (SELECT group_concat(substr(NEW.name, j.value, 2), ' ' ORDER BY j.value) FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]') j WHERE j.value < length(NEW.name)), (SELECT group_concat(substr(NEW.name_initials, j.value, 2), ' ' ORDER BY j.value) FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]') j WHERE j.value < length(NEW.name_initials)));
END;
CREATE TRIGGER enterprises_grams_delete AFTER DELETE ON enterprises BEGIN
  DELETE FROM enterprises_grams WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER enterprises_grams_update AFTER UPDATE OF name, name_initials ON enterprises BEGIN
  DELETE FROM enterprises_grams WHERE rowid = OLD.rowid;
  INSERT INTO enterprises_grams (rowid, name_grams, initials_grams) VALUES (NEW.rowid, (SELECT group_concat(substr(NEW.name, j.value, 2), ' ' ORDER BY j.value) FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]') j WHERE j.value < length(NEW.name)), (SELECT group_concat(substr(NEW.name_initials, j.value, 2), ' ' ORDER BY j.value) FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]') j WHERE j.value < length(NEW.name_initials)));
END;
INSERT INTO enterprises_grams (rowid, name_grams, initials_grams) SELECT rowid, (SELECT group_concat(substr(enterprises.name, j.value, 2), ' ' ORDER BY j.value) FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]') j WHERE j.value < length(enterprises.name)), (SELECT group_concat(substr(enterprises.name_initials, j.value, 2), ' ' ORDER BY j.value) FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]') j WHERE j.value < length(enterprises.name_initials)) FROM enterprises;

-- Led by branch_id, which no enterprise query constrains (a branch database holds its own branch's
-- files), so the planner could never seek them; enterprises_list covers what they were for.
DROP INDEX enterprises_industry;
DROP INDEX enterprises_focus;
DROP INDEX enterprises_division;
DROP INDEX enterprises_rating;
DROP INDEX enterprises_updated;
DROP INDEX enterprises_initials;
