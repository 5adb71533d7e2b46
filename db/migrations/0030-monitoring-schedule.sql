-- 贷后监测计划 (issue 16): each borrower's next monitoring visit, derived on every laptop from its own
-- rows and never synced. The frequency (shared/domain/monitoringSchedule.ts) depends on the borrower's
-- outstanding loans (worst five-level class, first disbursement), its open rectification cases, its
-- 环境信用 rating and the branch's settings; the base day on its last visit made. Computing that for
-- every borrower on each list read would cost the whole register, so the result is kept here with an
-- index on the due day: the due/overdue list is a range of that index, paged (db/monitoring.ts).
--
-- Triggers only note which enterprises changed (monitoring_schedule_dirty, a key insert — also cheap
-- during a first pull's bulk placement); the host recomputes those with the domain function before it
-- reads the schedule (refreshMonitoringSchedule), so the rule lives in TypeScript once.
CREATE TABLE monitoring_schedule (
  enterprise_id TEXT PRIMARY KEY,
  division_code TEXT NOT NULL,
  -- monitoringBands: which rule set the interval (normal, special_mention, non_performing, open_case, red_rating)
  band TEXT NOT NULL,
  interval_months INTEGER NOT NULL,
  worst_class TEXT NOT NULL,
  has_open_case INTEGER NOT NULL,
  rating TEXT,
  first_disbursed_on TEXT NOT NULL,
  last_visited_on TEXT,
  next_due_on TEXT NOT NULL
) STRICT, WITHOUT ROWID;
-- The list: a range of due days (overdue: before today; due: today to today + N), county and band on the index.
CREATE INDEX monitoring_schedule_by_due ON monitoring_schedule (next_due_on, division_code, band);
CREATE INDEX monitoring_schedule_by_division ON monitoring_schedule (division_code, next_due_on, band);

CREATE TABLE monitoring_schedule_dirty (enterprise_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;

-- Every borrower on file is computed at the first read after the upgrade.
INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) SELECT DISTINCT enterprise_id FROM loans WHERE deleted_at IS NULL;

CREATE TRIGGER monitoring_dirty_loan_insert AFTER INSERT ON loans BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (new.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_loan_update AFTER UPDATE OF enterprise_id, classification, status, disbursed_on, deleted_at ON loans BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (old.enterprise_id), (new.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_loan_delete AFTER DELETE ON loans BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (old.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_case_insert AFTER INSERT ON rectification_cases BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (new.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_case_update AFTER UPDATE OF enterprise_id, status, deleted_at ON rectification_cases BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (old.enterprise_id), (new.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_case_delete AFTER DELETE ON rectification_cases BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (old.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_visit_insert AFTER INSERT ON monitoring_visits BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (new.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_visit_update AFTER UPDATE OF enterprise_id, visited_on, deleted_at ON monitoring_visits BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (old.enterprise_id), (new.enterprise_id);
END;
CREATE TRIGGER monitoring_dirty_visit_delete AFTER DELETE ON monitoring_visits BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (old.enterprise_id);
END;
-- The rating (a derived column kept from its records), the county and a deleted file.
CREATE TRIGGER monitoring_dirty_enterprise_update AFTER UPDATE OF environmental_rating, division_code, deleted_at ON enterprises BEGIN
  INSERT OR IGNORE INTO monitoring_schedule_dirty (enterprise_id) VALUES (new.id);
END;
