-- The loan register's list (db/listLoans, issue 13 acceptance 5 and issue 20): every page first counts
-- its matches on one index, no further than a few thousand; when they are that few, they are sorted
-- from that same index and only the page's rows are read whole. The two indexes the matches are
-- counted on therefore carry every filter column AND every sort key after their leading columns:
-- counting, sorting and paging the few matches is then an index-only read (EXPLAIN QUERY PLAN:
-- SEARCH … USING COVERING INDEX, then a temp B-tree over those matches alone, bounded by the count),
-- where 0016's narrower ones read each match's row to find its sort key (a borrower search of 6,670
-- enterprises read 67,000 loan rows: about a second a page at 500,000 loans, bench/scenarios/loans.ts).
-- Many matches walk a sort's own index (0016), which stops after the page. deleted_at closes each
-- (always NULL in it) so the partial index's own condition is read from the index too.
DROP INDEX loans_by_class;
CREATE INDEX loans_by_class ON loans (status, classification, guarantee_mode, matures_on, disbursed_on, amount_fen, balance_fen, updated_at, loan_number, deleted_at) WHERE deleted_at IS NULL;
-- A borrower's loans (the enterprise page's 借据 tab, the register's borrower filter and name search):
-- the same columns, led by the borrower.
DROP INDEX loans_by_enterprise;
CREATE INDEX loans_by_enterprise ON loans (enterprise_id, status, classification, guarantee_mode, matures_on, disbursed_on, amount_fen, balance_fen, updated_at, loan_number, deleted_at) WHERE deleted_at IS NULL;
