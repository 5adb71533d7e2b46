-- 整改日历 (issue 16, cases.calendar): a range of days read off the follow-ups' next follow-up day.
-- Without it every follow-up of the branch was read to find the few due this month. The case id is on
-- the index so the join to the case and the "no later follow-up" check need not read the follow-up's
-- row first. Deadlines use rectification_cases_by_deadline (0019); monitoring days the schedule's and
-- the visits' own due-day indexes (0030, 0019).
CREATE INDEX rectification_follow_ups_by_next ON rectification_follow_ups (next_follow_up_on, case_id) WHERE deleted_at IS NULL AND next_follow_up_on IS NOT NULL;
