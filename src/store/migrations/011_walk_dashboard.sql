-- The walk dashboard reads only the kept counts, summed in SQL. Two
-- covering indexes let it do so without touching the table: the heatmap
-- seeks a district's rubric by month, the trend one indicator through
-- every month. Measured by bench/run bench_walk_dashboard (500,000 visits).
CREATE INDEX walk_tally_period ON walk_tally(district_id, rubric_id, month, school_id, code, grade_band, visits, total);
CREATE INDEX walk_tally_code ON walk_tally(district_id, rubric_id, code, month, school_id, grade_band, visits, total);
