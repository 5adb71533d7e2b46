-- The green book (issue 17 acceptance 4): the green-loan statistics as of any day over 500,000 loans
-- with twelve monthly snapshots, in a report's time (p95 ≤ 300 ms, bench stats).
--
-- Reading each candidate loan's newest snapshot on or before the day (0027: one index seek per loan
-- and day, plus the loan, the tag and the borrower) cost seconds per report. green_book keeps, for
-- every loan with a confirmed tag (the candidates db/stats.ts read), one row per live snapshot
-- holding exactly what the reports group and sum by: the snapshot's balance and class and the day
-- the loan's next snapshot takes over (until, '9999-12-31' for its newest; a same-day snapshot with
-- the smaller id gets an empty interval), the borrower (its rowid: integers are what make the read fast), its focus group and county, the tag's
-- catalogue version, code, evidence flag, total investment and benefit figures. The book as of D is
-- then every row with as_of <= D < until — one range of the table's own key, read in one pass.
-- Which candidates count green (the catalogue is reference data) stays greenTag.ts's greenStanding.
--
-- green_book_source is the definition (the backfill below, the triggers and the tests' recomputation
-- read it); the triggers rewrite one loan's rows whenever its loan, tags, snapshots or borrower are
-- written — in the same transaction, a pull's upserts included. Derived on every laptop, never synced.
CREATE TABLE green_book (
  until TEXT NOT NULL,
  as_of TEXT NOT NULL,
  loan_rowid INTEGER NOT NULL,
  snapshot_rowid INTEGER NOT NULL,
  balance_fen INTEGER NOT NULL,
  classification TEXT NOT NULL,
  -- the borrower's rowid (a customer); a loan whose borrower has not arrived yet counts as its own
  -- (minus its rowid) until the borrower's insert rewrites it
  enterprise_key INTEGER NOT NULL,
  catalogue_version TEXT NOT NULL,
  catalogue_code TEXT NOT NULL,
  has_evidence INTEGER NOT NULL,
  focus_group TEXT,
  division_code TEXT NOT NULL,
  project_total_investment_fen INTEGER,
  coal_saved_tce TEXT,
  co2_reduced_t TEXT,
  cod_reduced_t TEXT,
  nh3n_reduced_t TEXT,
  so2_reduced_t TEXT,
  nox_reduced_t TEXT,
  water_saved_t TEXT,
  PRIMARY KEY (until, as_of, loan_rowid, snapshot_rowid)
) STRICT, WITHOUT ROWID;
-- A loan's rows, for the triggers' rewrite.
CREATE INDEX green_book_loan ON green_book (loan_rowid);

CREATE VIEW green_book_source AS
SELECT
  coalesce((SELECT n.as_of FROM loan_snapshots n WHERE n.loan_id = s.loan_id AND n.deleted_at IS NULL AND (n.as_of, n.id) > (s.as_of, s.id) ORDER BY n.as_of, n.id LIMIT 1), '9999-12-31') AS until,
  s.as_of AS as_of,
  l.rowid AS loan_rowid,
  s.rowid AS snapshot_rowid,
  s.balance_fen AS balance_fen,
  s.classification AS classification,
  coalesce(e.rowid, -l.rowid) AS enterprise_key,
  t.catalogue_version AS catalogue_version,
  t.catalogue_code AS catalogue_code,
  -- evidenceIds(...).length > 0: a JSON array holding a string (tested in that order: json_type needs valid JSON)
  CASE WHEN t.evidence_attachment_ids = '[]' THEN 0 WHEN NOT json_valid(t.evidence_attachment_ids) THEN 0 WHEN json_type(t.evidence_attachment_ids) <> 'array' THEN 0
       ELSE EXISTS (SELECT 1 FROM json_each(t.evidence_attachment_ids) j WHERE j.type = 'text') END AS has_evidence,
  e.focus_group AS focus_group,
  coalesce(e.division_code, '') AS division_code,
  t.project_total_investment_fen AS project_total_investment_fen,
  t.coal_saved_tce, t.co2_reduced_t, t.cod_reduced_t, t.nh3n_reduced_t, t.so2_reduced_t, t.nox_reduced_t, t.water_saved_t
FROM loans l
JOIN green_tags t ON t.owner_type = 'loan' AND t.owner_id = l.id AND t.deleted_at IS NULL
  AND t.status = 'confirmed' AND t.confirmed_by IS NOT NULL AND t.catalogue_code IS NOT NULL
  -- the loan's oldest live tag (the one green.tag shows)
  AND NOT EXISTS (SELECT 1 FROM green_tags o WHERE o.owner_type = 'loan' AND o.owner_id = t.owner_id AND o.deleted_at IS NULL AND (o.created_at, o.id) < (t.created_at, t.id))
JOIN loan_snapshots s ON s.loan_id = l.id AND s.deleted_at IS NULL
LEFT JOIN enterprises e ON e.id = l.enterprise_id
WHERE l.deleted_at IS NULL;

INSERT INTO green_book SELECT * FROM green_book_source;

-- One loan's rows rewritten from the definition (by loan id: a snapshot or a tag may arrive before
-- its loan, whose own insert then writes them).
CREATE TRIGGER green_book_snapshot_insert AFTER INSERT ON loan_snapshots
  WHEN EXISTS (SELECT 1 FROM green_tags WHERE owner_type = 'loan' AND owner_id = new.loan_id AND deleted_at IS NULL) BEGIN
  DELETE FROM green_book WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = new.loan_id);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = new.loan_id);
END;
CREATE TRIGGER green_book_snapshot_delete AFTER DELETE ON loan_snapshots
  WHEN EXISTS (SELECT 1 FROM green_tags WHERE owner_type = 'loan' AND owner_id = old.loan_id AND deleted_at IS NULL) BEGIN
  DELETE FROM green_book WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = old.loan_id);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = old.loan_id);
END;
CREATE TRIGGER green_book_snapshot_update AFTER UPDATE OF id, loan_id, as_of, balance_fen, classification, deleted_at ON loan_snapshots
  WHEN EXISTS (SELECT 1 FROM green_tags WHERE owner_type = 'loan' AND owner_id IN (old.loan_id, new.loan_id) AND deleted_at IS NULL) BEGIN
  DELETE FROM green_book WHERE loan_rowid IN (SELECT rowid FROM loans WHERE id IN (old.loan_id, new.loan_id));
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid IN (SELECT rowid FROM loans WHERE id IN (old.loan_id, new.loan_id));
END;

CREATE TRIGGER green_book_tag_insert AFTER INSERT ON green_tags WHEN new.owner_type = 'loan' BEGIN
  DELETE FROM green_book WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = new.owner_id);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = new.owner_id);
END;
CREATE TRIGGER green_book_tag_delete AFTER DELETE ON green_tags WHEN old.owner_type = 'loan' BEGIN
  DELETE FROM green_book WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = old.owner_id);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid = (SELECT rowid FROM loans WHERE id = old.owner_id);
END;
CREATE TRIGGER green_book_tag_update AFTER UPDATE ON green_tags WHEN 'loan' IN (old.owner_type, new.owner_type) BEGIN
  DELETE FROM green_book WHERE loan_rowid IN (SELECT rowid FROM loans WHERE id IN (old.owner_id, new.owner_id));
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid IN (SELECT rowid FROM loans WHERE id IN (old.owner_id, new.owner_id));
END;

CREATE TRIGGER green_book_loan_insert AFTER INSERT ON loans
  WHEN EXISTS (SELECT 1 FROM green_tags WHERE owner_type = 'loan' AND owner_id = new.id AND deleted_at IS NULL) BEGIN
  DELETE FROM green_book WHERE loan_rowid = new.rowid;
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid = new.rowid;
END;
CREATE TRIGGER green_book_loan_delete AFTER DELETE ON loans BEGIN
  DELETE FROM green_book WHERE loan_rowid = old.rowid;
END;
CREATE TRIGGER green_book_loan_update AFTER UPDATE OF id, enterprise_id, deleted_at ON loans
  WHEN EXISTS (SELECT 1 FROM green_tags WHERE owner_type = 'loan' AND owner_id IN (old.id, new.id) AND deleted_at IS NULL) BEGIN
  DELETE FROM green_book WHERE loan_rowid = new.rowid;
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid = new.rowid;
END;

-- A borrower's focus group or county: every one of its live loans (seeked in loans_by_enterprise,
-- which holds live loans only; a deleted loan has no rows).
CREATE TRIGGER green_book_enterprise_insert AFTER INSERT ON enterprises BEGIN
  DELETE FROM green_book WHERE loan_rowid IN (SELECT rowid FROM loans WHERE enterprise_id = new.id AND deleted_at IS NULL);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid IN (SELECT rowid FROM loans WHERE enterprise_id = new.id AND deleted_at IS NULL);
END;
CREATE TRIGGER green_book_enterprise_delete AFTER DELETE ON enterprises BEGIN
  DELETE FROM green_book WHERE loan_rowid IN (SELECT rowid FROM loans WHERE enterprise_id = old.id AND deleted_at IS NULL);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid IN (SELECT rowid FROM loans WHERE enterprise_id = old.id AND deleted_at IS NULL);
END;
CREATE TRIGGER green_book_enterprise_update AFTER UPDATE OF id, focus_group, division_code ON enterprises
  WHEN old.id IS NOT new.id OR old.focus_group IS NOT new.focus_group OR old.division_code IS NOT new.division_code BEGIN
  DELETE FROM green_book WHERE loan_rowid IN (SELECT rowid FROM loans WHERE enterprise_id IN (old.id, new.id) AND deleted_at IS NULL);
  INSERT INTO green_book SELECT * FROM green_book_source WHERE loan_rowid IN (SELECT rowid FROM loans WHERE enterprise_id IN (old.id, new.id) AND deleted_at IS NULL);
END;
