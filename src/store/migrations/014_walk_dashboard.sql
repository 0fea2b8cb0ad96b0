-- The walk dashboard's trend follows one indicator through every month:
-- this index seeks its rows instead of reading all of a rubric's.
CREATE INDEX walk_tally_code ON walk_tally(district_id, rubric_id, code, month);
