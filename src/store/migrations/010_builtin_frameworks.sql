-- The three frameworks every install starts with. Names and structure are
-- the frameworks'; the short descriptions and level labels are coachd's
-- own, and a district that wants its own wording copies a framework into
-- a rubric of its own (built-ins are never edited). Codes match the focus
-- codes of coaching cycles (src/cycle/cycle.c), so a cycle's focus and a
-- walk's indicators speak the same language.

INSERT INTO rubric (builtin_key, name, created_at, updated_at) VALUES
	('tru', 'Teaching for Robust Understanding (TRU)', 0, 0),
	('tp', 'Effective mathematics teaching practices', 0, 0),
	('mp', 'Standards for Mathematical Practice', 0, 0);

INSERT INTO rubric_version (rubric_id, version, description, scale_min, scale_max, created_at)
SELECT id, 1, 'The five dimensions of powerful mathematics classrooms, each seen at one of three levels.', 1, 3, 0
FROM rubric WHERE builtin_key = 'tru';
INSERT INTO rubric_version (rubric_id, version, description, scale_min, scale_max, created_at)
SELECT id, 1, 'The eight teaching practices, each seen at one of four levels.', 1, 4, 0
FROM rubric WHERE builtin_key = 'tp';
INSERT INTO rubric_version (rubric_id, version, description, scale_min, scale_max, created_at)
SELECT id, 1, 'How far students engage in each of the eight practices, at one of four levels.', 1, 4, 0
FROM rubric WHERE builtin_key = 'mp';

UPDATE rubric SET current_version_id =
	(SELECT v.id FROM rubric_version v WHERE v.rubric_id = rubric.id AND v.version = 1)
WHERE builtin_key IS NOT NULL;

INSERT INTO rubric_level (version_id, level, label, descriptor)
SELECT v.id, x.column1, x.column2, x.column3
FROM rubric_version v JOIN rubric r ON r.id = v.rubric_id
CROSS JOIN (VALUES
	(1, 'Not yet', 'Little or none of the dimension is visible in the lesson.'),
	(2, 'Emerging', 'The dimension is visible in parts of the lesson or for some students.'),
	(3, 'Strong', 'The dimension shapes the lesson for most students most of the time.')
) AS x
WHERE r.builtin_key = 'tru';

INSERT INTO rubric_level (version_id, level, label, descriptor)
SELECT v.id, x.column1, x.column2, x.column3
FROM rubric_version v JOIN rubric r ON r.id = v.rubric_id
CROSS JOIN (VALUES
	(1, 'Not observed', 'The practice was not seen during the visit.'),
	(2, 'Beginning', 'The practice was seen briefly or led mostly by the teacher.'),
	(3, 'Developing', 'The practice was seen in several moments and involved some students.'),
	(4, 'Established', 'The practice ran through the lesson and involved most students.')
) AS x
WHERE r.builtin_key IN ('tp', 'mp');

INSERT INTO rubric_indicator (version_id, position, code, name, description)
SELECT v.id, x.column1, x.column2, x.column3, x.column4
FROM rubric_version v JOIN rubric r ON r.id = v.rubric_id
CROSS JOIN (VALUES
	(1, 'TRU1', 'The mathematics', 'How focused, coherent and rich the mathematics students meet is.'),
	(2, 'TRU2', 'Cognitive demand', 'Whether students have room to make sense of important ideas, with productive struggle.'),
	(3, 'TRU3', 'Equitable access to mathematics', 'Whether every student takes an active part in the central mathematics.'),
	(4, 'TRU4', 'Agency, ownership and identity', 'Whether students explain, build on each other''s ideas and see themselves as doers of mathematics.'),
	(5, 'TRU5', 'Formative assessment', 'Whether student thinking is drawn out and used to shape the lesson.')
) AS x
WHERE r.builtin_key = 'tru';

INSERT INTO rubric_indicator (version_id, position, code, name, description)
SELECT v.id, x.column1, x.column2, x.column3, x.column4
FROM rubric_version v JOIN rubric r ON r.id = v.rubric_id
CROSS JOIN (VALUES
	(1, 'TP1', 'Establish mathematics goals to focus learning', 'Clear goals for the mathematics being learned guide the lesson.'),
	(2, 'TP2', 'Implement tasks that promote reasoning and problem solving', 'Students work on tasks with more than one way in and room to reason.'),
	(3, 'TP3', 'Use and connect mathematical representations', 'Students use and connect several representations of the ideas.'),
	(4, 'TP4', 'Facilitate meaningful mathematical discourse', 'Students share and compare approaches and build on each other''s arguments.'),
	(5, 'TP5', 'Pose purposeful questions', 'Questions probe and advance students'' reasoning, not only their answers.'),
	(6, 'TP6', 'Build procedural fluency from conceptual understanding', 'Procedures grow out of and stay connected to understanding.'),
	(7, 'TP7', 'Support productive struggle in learning mathematics', 'Students grapple with ideas with support that keeps the thinking theirs.'),
	(8, 'TP8', 'Elicit and use evidence of student thinking', 'What students think is gathered and used to adjust the lesson.')
) AS x
WHERE r.builtin_key = 'tp';

INSERT INTO rubric_indicator (version_id, position, code, name, description)
SELECT v.id, x.column1, x.column2, x.column3, x.column4
FROM rubric_version v JOIN rubric r ON r.id = v.rubric_id
CROSS JOIN (VALUES
	(1, 'MP1', 'Make sense of problems and persevere in solving them', 'Students work out what a problem asks and keep at it.'),
	(2, 'MP2', 'Reason abstractly and quantitatively', 'Students move between quantities in context and symbols.'),
	(3, 'MP3', 'Construct viable arguments and critique the reasoning of others', 'Students justify their thinking and respond to others''.'),
	(4, 'MP4', 'Model with mathematics', 'Students use mathematics to describe and solve situations from life.'),
	(5, 'MP5', 'Use appropriate tools strategically', 'Students choose tools and know why.'),
	(6, 'MP6', 'Attend to precision', 'Students communicate precisely, with care for units and words.'),
	(7, 'MP7', 'Look for and make use of structure', 'Students notice and use patterns and structure.'),
	(8, 'MP8', 'Look for and express regularity in repeated reasoning', 'Students notice repeated reasoning and generalize it.')
) AS x
WHERE r.builtin_key = 'mp';
