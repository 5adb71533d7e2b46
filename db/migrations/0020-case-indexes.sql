-- The case register's indexes (0019) after EXPLAIN QUERY PLAN per filter of the cases bench (issue 16
-- acceptance 6): the overdue filter tests the deadline, which the found-day walk did not hold, so that
-- walk read each case's row (SCAN … USING INDEX, not COVERING); and a filter's few matches sorted by
-- found day read their rows off the status index for the same reason. Both now hold both dates.
DROP INDEX rectification_cases_by_found;
CREATE INDEX rectification_cases_by_found ON rectification_cases (found_on, status, category, measure, deadline, deleted_at) WHERE deleted_at IS NULL;
DROP INDEX rectification_cases_by_status;
CREATE INDEX rectification_cases_by_status ON rectification_cases (status, category, measure, deadline, found_on, deleted_at) WHERE deleted_at IS NULL;
-- A monitoring visit's cases (the case a finding opened, shown on the visit).
CREATE INDEX rectification_cases_by_visit ON rectification_cases (monitoring_visit_id) WHERE monitoring_visit_id IS NOT NULL AND deleted_at IS NULL;
