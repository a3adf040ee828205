/*
 * storage_sql.c: the SQL engine behind storage.h. It holds every SQL
 * statement Crucible runs: the schema migrations, and one cached prepared
 * statement per query, with bound parameters only. storage.c has checked
 * every argument before a function here runs. The statements are written
 * in SQLite's dialect and run on SQLite or, rewritten by sqldb_pg.c where
 * the two differ, on PostgreSQL (sqldb.h): one schema, one set of queries.
 * On PostgreSQL write transactions take one lock, as SQLite's BEGIN
 * IMMEDIATE does, so the event log's ids commit in order (scoreboards and
 * feeds read it by id) and a claim's read-then-write cannot race.
 */
#include "storage_int.h"

#include "sqldb.h"

#include <sqlite3.h>   /* the backup API */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- schema migrations ----------------------------------------------------------
 * How this works: schema_version records each migration applied (version,
 * when, what). At open, each migration newer than the recorded maximum runs
 * in its own BEGIN IMMEDIATE transaction together with its schema_version
 * row, so a crash or a failing statement leaves the schema as it was, and two
 * servers starting at once apply it once. Migrations are never edited once
 * released: a change to the schema is a new entry at the end of the list
 * (foreign keys are on while it runs: rebuild a table the way SQLite's
 * "ALTER TABLE" page describes). A database that records a version beyond
 * the list is refused, since this build would misread it.
 */
struct migration {
    int64_t version;
    const char *description;
    const char *sql;
};

static const struct migration migrations[] = {
    { 1, "initial schema",
      "CREATE TABLE settings (\n"
      "    key TEXT PRIMARY KEY,\n"
      "    value TEXT NOT NULL\n"
      ");\n"
      "CREATE TABLE users (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
      "    display_name TEXT NOT NULL,\n"
      "    email TEXT NOT NULL DEFAULT '',\n"
      "    password_hash TEXT NOT NULL DEFAULT '',\n"
      "    role TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'teacher', 'contestant', 'judge')),\n"
      "    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),\n"
      "    created_at INTEGER NOT NULL\n"
      ");\n"
      "CREATE TABLE sessions (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    token_hash TEXT NOT NULL UNIQUE,\n"
      "    created_at INTEGER NOT NULL,\n"
      "    expires_at INTEGER NOT NULL,\n"
      "    address TEXT NOT NULL DEFAULT ''\n"
      ");\n"
      "CREATE INDEX sessions_user ON sessions(user_id);\n"
      "CREATE INDEX sessions_expiry ON sessions(expires_at);\n"
      "CREATE TABLE api_tokens (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    name TEXT NOT NULL,\n"
      "    token_hash TEXT NOT NULL UNIQUE,\n"
      "    created_at INTEGER NOT NULL,\n"
      "    expires_at INTEGER NOT NULL DEFAULT 0\n"
      ");\n"
      "CREATE INDEX api_tokens_user ON api_tokens(user_id);\n"
      "CREATE TABLE login_failures (\n"
      "    scope TEXT NOT NULL CHECK (scope IN ('account', 'address')),\n"
      "    key TEXT NOT NULL,\n"
      "    window_start INTEGER NOT NULL,\n"
      "    count INTEGER NOT NULL,\n"
      "    PRIMARY KEY (scope, key)\n"
      ");\n"
      "CREATE TABLE audit_log (\n"
      "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
      "    at INTEGER NOT NULL,\n"
      "    actor_user_id INTEGER REFERENCES users(id),\n"
      "    address TEXT NOT NULL DEFAULT '',\n"
      "    action TEXT NOT NULL,\n"
      "    target TEXT NOT NULL DEFAULT '',\n"
      "    detail TEXT\n"
      ");\n"
      "CREATE TABLE judge_hosts (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
      "    token_hash TEXT NOT NULL UNIQUE,\n"
      "    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),\n"
      "    created_at INTEGER NOT NULL,\n"
      "    last_heartbeat INTEGER NOT NULL DEFAULT 0,\n"
      "    capabilities TEXT NOT NULL DEFAULT '{}',\n"
      "    current_judging_id INTEGER REFERENCES judgings(id)\n"
      ");\n"
      "CREATE TABLE problems (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    short_name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
      "    title TEXT NOT NULL,\n"
      "    package_hash TEXT NOT NULL,\n"
      "    time_limit REAL NOT NULL CHECK (time_limit > 0),\n"
      "    memory_limit INTEGER NOT NULL CHECK (memory_limit > 0),\n"
      "    type TEXT NOT NULL,\n"
      "    published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),\n"
      "    created_by INTEGER REFERENCES users(id),\n"
      "    created_at INTEGER NOT NULL\n"
      ");\n"
      "CREATE TABLE contests (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    short_name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
      "    title TEXT NOT NULL,\n"
      "    start_time INTEGER NOT NULL,\n"
      "    duration INTEGER NOT NULL CHECK (duration > 0),\n"
      "    freeze INTEGER NOT NULL DEFAULT 0 CHECK (freeze >= 0),\n"
      "    unfrozen INTEGER NOT NULL DEFAULT 0 CHECK (unfrozen IN (0, 1)),\n"
      "    is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),\n"
      "    registration TEXT NOT NULL CHECK (registration IN ('admin', 'open', 'code')),\n"
      "    registration_code TEXT NOT NULL DEFAULT '',\n"
      "    team_mode INTEGER NOT NULL DEFAULT 0 CHECK (team_mode IN (0, 1)),\n"
      "    rules TEXT NOT NULL CHECK (rules IN ('icpc', 'ioi', 'oi')),\n"
      "    penalty_minutes INTEGER NOT NULL DEFAULT 20,\n"
      "    languages TEXT NOT NULL DEFAULT '',\n"
      "    max_submissions INTEGER NOT NULL DEFAULT 0,\n"
      "    submission_interval INTEGER NOT NULL DEFAULT 0,\n"
      "    created_by INTEGER REFERENCES users(id),\n"
      "    created_at INTEGER NOT NULL\n"
      ");\n"
      "CREATE TABLE contest_problems (\n"
      "    contest_id INTEGER NOT NULL REFERENCES contests(id),\n"
      "    problem_id INTEGER NOT NULL REFERENCES problems(id),\n"
      "    label TEXT NOT NULL,\n"
      "    color TEXT NOT NULL DEFAULT '',\n"
      "    points REAL NOT NULL DEFAULT 1,\n"
      "    ordinal INTEGER NOT NULL DEFAULT 0,\n"
      "    PRIMARY KEY (contest_id, problem_id),\n"
      "    UNIQUE (contest_id, label)\n"
      ");\n"
      "CREATE TABLE teams (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    contest_id INTEGER NOT NULL REFERENCES contests(id),\n"
      "    name TEXT NOT NULL,\n"
      "    created_at INTEGER NOT NULL,\n"
      "    UNIQUE (contest_id, name),\n"
      "    UNIQUE (id, contest_id)\n"
      ");\n"
      /* The composite key keeps a participant's team in the same contest. */
      "CREATE TABLE contest_participants (\n"
      "    contest_id INTEGER NOT NULL REFERENCES contests(id),\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    role TEXT NOT NULL CHECK (role IN ('jury', 'participant')),\n"
      "    team_id INTEGER,\n"
      "    registered_at INTEGER NOT NULL,\n"
      "    PRIMARY KEY (contest_id, user_id),\n"
      "    FOREIGN KEY (team_id, contest_id) REFERENCES teams(id, contest_id)\n"
      ");\n"
      "CREATE INDEX contest_participants_team ON contest_participants(team_id);\n"
      "CREATE TABLE clarifications (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    contest_id INTEGER NOT NULL REFERENCES contests(id),\n"
      "    problem_id INTEGER REFERENCES problems(id),\n"
      "    kind TEXT NOT NULL CHECK (kind IN ('question', 'answer', 'announcement')),\n"
      "    from_user_id INTEGER REFERENCES users(id),\n"
      "    to_user_id INTEGER REFERENCES users(id),\n"
      "    team_id INTEGER REFERENCES teams(id),\n"
      "    reply_to INTEGER REFERENCES clarifications(id),\n"
      "    created_at INTEGER NOT NULL,\n"
      "    text TEXT NOT NULL\n"
      ");\n"
      "CREATE INDEX clarifications_contest ON clarifications(contest_id, id);\n"
      "CREATE TABLE submissions (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    team_id INTEGER REFERENCES teams(id),\n"
      "    contest_id INTEGER REFERENCES contests(id),\n"
      "    problem_id INTEGER NOT NULL REFERENCES problems(id),\n"
      "    language TEXT NOT NULL,\n"
      "    filename TEXT NOT NULL,\n"
      "    source_hash TEXT NOT NULL,\n"
      "    source_size INTEGER NOT NULL,\n"
      "    submitted_at INTEGER NOT NULL,\n"
      "    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'judging', 'judged')),\n"
      "    ignored INTEGER NOT NULL DEFAULT 0 CHECK (ignored IN (0, 1))\n"
      ");\n"
      "CREATE INDEX submissions_queued ON submissions(id) WHERE status = 'queued';\n"
      "CREATE INDEX submissions_contest ON submissions(contest_id, submitted_at);\n"
      "CREATE INDEX submissions_user ON submissions(user_id, id);\n"
      "CREATE TABLE judgings (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    submission_id INTEGER NOT NULL REFERENCES submissions(id),\n"
      "    judge_host_id INTEGER NOT NULL REFERENCES judge_hosts(id),\n"
      "    started_at INTEGER NOT NULL,\n"
      "    lease_expires INTEGER NOT NULL,\n"
      "    finished_at INTEGER,\n"
      "    verdict TEXT,\n"
      "    score REAL NOT NULL DEFAULT 0,\n"
      "    time_seconds REAL NOT NULL DEFAULT 0,\n"
      "    memory_bytes INTEGER NOT NULL DEFAULT 0,\n"
      "    compile_output_hash TEXT,\n"
      "    valid INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1))\n"
      ");\n"
      "CREATE INDEX judgings_submission ON judgings(submission_id, id);\n"
      /* The queue's invariant, kept by the database itself. */
      "CREATE UNIQUE INDEX judgings_one_valid ON judgings(submission_id) WHERE valid = 1;\n"
      "CREATE INDEX judgings_leases ON judgings(lease_expires) WHERE valid = 1 AND finished_at IS NULL;\n"
      "CREATE TABLE judging_tests (\n"
      "    judging_id INTEGER NOT NULL REFERENCES judgings(id),\n"
      "    ordinal INTEGER NOT NULL,\n"
      "    name TEXT NOT NULL,\n"
      "    verdict TEXT NOT NULL,\n"
      "    time_seconds REAL NOT NULL,\n"
      "    wall_seconds REAL NOT NULL,\n"
      "    memory_bytes INTEGER NOT NULL,\n"
      "    score REAL NOT NULL,\n"
      "    message TEXT,\n"
      "    PRIMARY KEY (judging_id, ordinal)\n"
      ") WITHOUT ROWID;\n" },
    { 2, "problem statements, samples and inferred time limits; judging max score and message",
      "ALTER TABLE problems ADD COLUMN time_limit_inferred INTEGER NOT NULL DEFAULT 0 "
      "CHECK (time_limit_inferred IN (0, 1));\n"
      "ALTER TABLE problems ADD COLUMN statement_hash TEXT NOT NULL DEFAULT '';\n"
      "ALTER TABLE problems ADD COLUMN samples_hash TEXT NOT NULL DEFAULT '';\n"
      "ALTER TABLE judgings ADD COLUMN max_score REAL NOT NULL DEFAULT 0;\n"
      "ALTER TABLE judgings ADD COLUMN message TEXT;\n" },
    { 3, "scoreboards: the event log; judging groups",
      /* No foreign keys: the log outlives nothing and is only appended to. */
      "CREATE TABLE events (\n"
      "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
      "    contest_id INTEGER NOT NULL,\n"
      "    kind TEXT NOT NULL,\n"
      "    ref_id INTEGER NOT NULL DEFAULT 0,\n"
      "    submission_id INTEGER NOT NULL DEFAULT 0,\n"
      "    at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))\n"
      ");\n"
      "CREATE INDEX events_contest ON events(contest_id, id);\n"
      "CREATE TABLE judging_groups (\n"
      "    judging_id INTEGER NOT NULL REFERENCES judgings(id),\n"
      "    ordinal INTEGER NOT NULL,\n"
      "    name TEXT NOT NULL,\n"
      "    score REAL NOT NULL,\n"
      "    max_score REAL NOT NULL,\n"
      "    PRIMARY KEY (judging_id, ordinal)\n"
      ") WITHOUT ROWID;\n"
      "CREATE INDEX submissions_problem ON submissions(problem_id, id);\n" },
    { 4, "rejudgings: who rejudged which submissions, and their verdicts before",
      "CREATE TABLE rejudgings (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    created_by INTEGER REFERENCES users(id),\n"
      "    created_at INTEGER NOT NULL,\n"
      "    submission_id INTEGER REFERENCES submissions(id),\n"
      "    problem_id INTEGER REFERENCES problems(id),\n"
      "    contest_id INTEGER REFERENCES contests(id),\n"
      "    jury_user_id INTEGER REFERENCES users(id),\n"
      "    verdict TEXT NOT NULL DEFAULT ''\n"
      ");\n"
      "CREATE TABLE rejudging_submissions (\n"
      "    rejudging_id INTEGER NOT NULL REFERENCES rejudgings(id),\n"
      "    submission_id INTEGER NOT NULL REFERENCES submissions(id),\n"
      "    judging_before INTEGER REFERENCES judgings(id),\n"
      "    verdict_before TEXT,\n"
      "    PRIMARY KEY (rejudging_id, submission_id)\n"
      ") WITHOUT ROWID;\n" },
    { 5, "problem tags and difficulty",
      "ALTER TABLE problems ADD COLUMN difficulty INTEGER "
      "CHECK (difficulty IS NULL OR difficulty BETWEEN 1 AND 10);\n"
      "CREATE TABLE problem_tags (\n"
      "    problem_id INTEGER NOT NULL REFERENCES problems(id),\n"
      "    tag TEXT NOT NULL,\n"
      "    PRIMARY KEY (problem_id, tag)\n"
      ") WITHOUT ROWID;\n"
      "CREATE INDEX problem_tags_tag ON problem_tags(tag, problem_id);\n" },
    { 6, "compute budgets: cpu and gpu seconds per judging, problem gpus, contest quotas",
      "ALTER TABLE judgings ADD COLUMN cpu_seconds REAL NOT NULL DEFAULT 0;\n"
      "ALTER TABLE judgings ADD COLUMN gpu_seconds REAL NOT NULL DEFAULT 0;\n"
      "ALTER TABLE problems ADD COLUMN gpus INTEGER NOT NULL DEFAULT 0 CHECK (gpus >= 0);\n"
      "CREATE TABLE contest_quotas (\n"
      "    contest_id INTEGER NOT NULL REFERENCES contests(id),\n"
      "    scope TEXT NOT NULL CHECK (scope IN ('user', 'team')),\n"
      "    cpu_seconds_per_day REAL NOT NULL DEFAULT 0,\n"
      "    cpu_seconds_total REAL NOT NULL DEFAULT 0,\n"
      "    gpu_seconds_per_day REAL NOT NULL DEFAULT 0,\n"
      "    gpu_seconds_total REAL NOT NULL DEFAULT 0,\n"
      "    updated_at INTEGER NOT NULL,\n"
      "    PRIMARY KEY (contest_id, scope)\n"
      ") WITHOUT ROWID;\n"
      "CREATE INDEX submissions_judging ON submissions(user_id) WHERE status = 'judging';\n" },
    { 7, "AI leaderboards: judging scores, problem direction and precision, finals, baselines, contest limits",
      "ALTER TABLE judgings ADD COLUMN public_score REAL;\n"
      "ALTER TABLE judgings ADD COLUMN private_score REAL;\n"
      "ALTER TABLE contests ADD COLUMN final_submissions INTEGER NOT NULL DEFAULT 2;\n"
      "ALTER TABLE contests ADD COLUMN daily_submissions INTEGER NOT NULL DEFAULT 0;\n"
      "ALTER TABLE contests ADD COLUMN private_published INTEGER NOT NULL DEFAULT 0 "
      "CHECK (private_published IN (0, 1));\n"
      "CREATE TABLE ai_problems (\n"
      "    problem_id INTEGER PRIMARY KEY REFERENCES problems(id),\n"
      "    maximize INTEGER NOT NULL DEFAULT 1 CHECK (maximize IN (0, 1)),\n"
      "    precision INTEGER NOT NULL DEFAULT 5\n"
      ");\n"
      "CREATE TABLE ai_finals (\n"
      "    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),\n"
      "    contest_id INTEGER NOT NULL REFERENCES contests(id),\n"
      "    team_id INTEGER NOT NULL DEFAULT 0,\n"
      "    user_id INTEGER NOT NULL DEFAULT 0\n"
      ");\n"
      "CREATE INDEX ai_finals_owner ON ai_finals(contest_id, team_id, user_id);\n"
      "CREATE TABLE ai_baselines (\n"
      "    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id)\n"
      ");\n" },
    { 8, "AI problem files: ai/public's downloadable files, the metric's name",
      "CREATE TABLE problem_files (\n"
      "    problem_id INTEGER NOT NULL REFERENCES problems(id),\n"
      "    name TEXT NOT NULL,\n"
      "    hash TEXT NOT NULL,\n"
      "    size INTEGER NOT NULL CHECK (size >= 0),\n"
      "    PRIMARY KEY (problem_id, name)\n"
      ") WITHOUT ROWID;\n"
      "ALTER TABLE ai_problems ADD COLUMN metric TEXT NOT NULL DEFAULT '';\n" },
    /* courses (api_courses.c) */
    { 9, "courses: members, units, lessons, assignments, extensions; submissions' assignment",
      "CREATE TABLE courses (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    title TEXT NOT NULL,\n"
      "    description TEXT NOT NULL DEFAULT '',\n"
      "    join_code TEXT NOT NULL UNIQUE,\n"
      "    created_by INTEGER REFERENCES users(id),\n"
      "    created_at INTEGER NOT NULL\n"
      ");\n"
      "CREATE TABLE course_members (\n"
      "    course_id INTEGER NOT NULL REFERENCES courses(id),\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    role TEXT NOT NULL CHECK (role IN ('teacher', 'ta', 'student')),\n"
      "    student_number TEXT NOT NULL DEFAULT '',\n"
      "    class TEXT NOT NULL DEFAULT '',\n"
      "    PRIMARY KEY (course_id, user_id)\n"
      ") WITHOUT ROWID;\n"
      "CREATE INDEX course_members_user ON course_members(user_id);\n"
      "CREATE TABLE course_units (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    course_id INTEGER NOT NULL REFERENCES courses(id),\n"
      "    title TEXT NOT NULL,\n"
      "    position INTEGER NOT NULL DEFAULT 0\n"
      ");\n"
      "CREATE INDEX course_units_course ON course_units(course_id, position);\n"
      "CREATE TABLE lessons (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    course_id INTEGER NOT NULL REFERENCES courses(id),\n"
      "    unit_id INTEGER NOT NULL REFERENCES course_units(id),\n"
      "    title TEXT NOT NULL,\n"
      "    markdown TEXT NOT NULL DEFAULT '',\n"
      "    position INTEGER NOT NULL DEFAULT 0,\n"
      "    created_at INTEGER NOT NULL\n"
      ");\n"
      "CREATE INDEX lessons_course ON lessons(course_id, unit_id, position);\n"
      "CREATE TABLE assignments (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    course_id INTEGER NOT NULL REFERENCES courses(id),\n"
      "    unit_id INTEGER REFERENCES course_units(id),\n"
      "    title TEXT NOT NULL,\n"
      "    open_time INTEGER NOT NULL,\n"
      "    due_time INTEGER NOT NULL,\n"
      "    late_until INTEGER NOT NULL,\n"
      "    late_rule TEXT NOT NULL DEFAULT 'none' "
      "CHECK (late_rule IN ('none', 'percent_per_day', 'coefficient_per_hour')),\n"
      "    late_value REAL NOT NULL DEFAULT 0,\n"
      "    counting TEXT NOT NULL DEFAULT 'best' CHECK (counting IN ('best', 'last')),\n"
      "    created_at INTEGER NOT NULL,\n"
      "    CHECK (late_until >= due_time)\n"
      ");\n"
      "CREATE INDEX assignments_course ON assignments(course_id);\n"
      "CREATE TABLE assignment_problems (\n"
      "    assignment_id INTEGER NOT NULL REFERENCES assignments(id),\n"
      "    problem_id INTEGER NOT NULL REFERENCES problems(id),\n"
      "    position INTEGER NOT NULL DEFAULT 0,\n"
      "    points REAL NOT NULL DEFAULT 100,\n"
      "    feedback TEXT NOT NULL DEFAULT 'all' CHECK (feedback IN ('all', 'samples', 'after_due')),\n"
      "    template TEXT NOT NULL DEFAULT '',\n"
      "    PRIMARY KEY (assignment_id, problem_id)\n"
      ") WITHOUT ROWID;\n"
      "CREATE TABLE assignment_extensions (\n"
      "    assignment_id INTEGER NOT NULL REFERENCES assignments(id),\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    due_time INTEGER NOT NULL,\n"
      "    late_until INTEGER NOT NULL,\n"
      "    PRIMARY KEY (assignment_id, user_id),\n"
      "    CHECK (late_until >= due_time)\n"
      ") WITHOUT ROWID;\n"
      "ALTER TABLE submissions ADD COLUMN assignment_id INTEGER REFERENCES assignments(id);\n"
      "CREATE INDEX submissions_assignment ON submissions(assignment_id, user_id) WHERE assignment_id IS NOT NULL;\n" },
    /* judge: run on samples (migration 10) */
    { 10, "run on samples: submissions judged on data/sample only, counted nowhere",
      "ALTER TABLE submissions ADD COLUMN samples_only INTEGER NOT NULL DEFAULT 0 "
      "CHECK (samples_only IN (0, 1));\n" },
    { 11, "talent: profiles and their views, rated contests, the rating cache",
      "ALTER TABLE contests ADD COLUMN rated INTEGER NOT NULL DEFAULT 0 CHECK (rated IN (0, 1));\n"
      "CREATE TABLE profiles (\n"
      "    user_id INTEGER PRIMARY KEY REFERENCES users(id),\n"
      "    public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),\n"
      "    school TEXT NOT NULL DEFAULT '',\n"
      "    region TEXT NOT NULL DEFAULT '',\n"
      "    bio TEXT NOT NULL DEFAULT '',\n"
      "    updated_at INTEGER NOT NULL\n"
      ");\n"
      "CREATE TABLE profile_views (\n"
      "    id INTEGER PRIMARY KEY,\n"
      "    user_id INTEGER NOT NULL REFERENCES users(id),\n"
      "    viewer_id INTEGER REFERENCES users(id),\n"
      "    at INTEGER NOT NULL,\n"
      "    kind TEXT NOT NULL CHECK (kind IN ('view', 'export'))\n"
      ");\n"
      "CREATE INDEX profile_views_user ON profile_views(user_id, at);\n"
      /* A cache, rebuilt whole from the contests whenever its key changes. */
      "CREATE TABLE rating_cache (\n"
      "    id INTEGER PRIMARY KEY CHECK (id = 1),\n"
      "    key TEXT NOT NULL\n"
      ");\n"
      "CREATE TABLE rating_changes (\n"
      "    contest_id INTEGER NOT NULL,\n"
      "    user_id INTEGER NOT NULL,\n"
      "    ordinal INTEGER NOT NULL,\n"
      "    rank INTEGER NOT NULL,\n"
      "    old_rating INTEGER NOT NULL,\n"
      "    new_rating INTEGER NOT NULL,\n"
      "    PRIMARY KEY (contest_id, user_id)\n"
      ") WITHOUT ROWID;\n"
      "CREATE INDEX rating_changes_user ON rating_changes(user_id, ordinal);\n" },
    /* Without it, the fair-share claim (QUEUE_HEAD's GROUP BY user_id) walked
     * submissions_user, every submission ever made, on each claim: with
     * 100,000 submissions each claim cost milliseconds and a burst's drain
     * grew quadratic. Found by tests/bench/queue_drain.py's setup. */
    { 12, "the queue: queued submissions by user, for the fair-share claim",
      "CREATE INDEX submissions_queued_user ON submissions(user_id, id) WHERE status = 'queued';\n" },
    /* PostgreSQL: several servers share one database and no folder, so the
     * blobs live in the database too (SQLite leaves this table empty: its
     * one server keeps them in data_dir/blobs). */
    { 13, "blobs kept in the database, for web servers sharing it (PostgreSQL)",
      "CREATE TABLE blobs (\n"
      "    hash TEXT PRIMARY KEY,\n"
      "    data BLOB NOT NULL\n"
      ");\n" },
};

#define NMIGRATIONS ((int64_t)(sizeof(migrations) / sizeof(migrations[0])))

/* ---- statements ------------------------------------------------------------------
 * Every query, by name. Each is prepared once per connection on first use,
 * kept, and reset after every use.
 */
#define USER_COLS "id, name, display_name, email, password_hash, role, disabled, created_at"
#define SESSION_COLS "s.id, s.user_id, s.created_at, s.expires_at, s.address"
#define TOKEN_COLS "t.id, t.user_id, t.name, t.created_at, t.expires_at"
#define HOST_COLS "id, name, enabled, created_at, last_heartbeat, current_judging_id, capabilities"
#define AUDIT_COLS "id, at, actor_user_id, address, action, target, detail"
#define PROBLEM_COLS "id, short_name, title, package_hash, time_limit, memory_limit, type, published, " \
                     "created_by, created_at, time_limit_inferred, statement_hash, samples_hash, " \
                     PROBLEM_TAG_COLS
/* problem tags: the difficulty, and the tags as "a,b" (a tag holds no ',') */
#define PROBLEM_TAG_COLS "difficulty, (SELECT group_concat(tag, ',') FROM problem_tags WHERE problem_id = problems.id)"
#define CONTEST_COLS "id, short_name, title, start_time, duration, freeze, unfrozen, is_public, registration, " \
                     "registration_code, team_mode, rules, penalty_minutes, languages, max_submissions, " \
                     "submission_interval, created_by, created_at, " \
                     "final_submissions, daily_submissions, private_published, "   /* AI leaderboards */ \
                     "rated"                                                      /* talent */
#define CP_COLS "contest_id, problem_id, label, color, points, ordinal"
#define TEAM_COLS "id, contest_id, name, created_at"
#define PART_COLS "contest_id, user_id, role, team_id, registered_at"
#define CLAR_COLS "id, contest_id, problem_id, kind, from_user_id, to_user_id, team_id, reply_to, created_at, text"
#define SUB_COLS "id, user_id, team_id, contest_id, problem_id, language, filename, source_hash, source_size, " \
                 "submitted_at, status, ignored, assignment_id, "   /* courses: assignment_id */ \
                 "samples_only"                                     /* judge: run on samples */
#define JUDGING_COLS "id, submission_id, judge_host_id, started_at, lease_expires, finished_at, verdict, score, " \
                     "time_seconds, memory_bytes, compile_output_hash, valid, max_score, message"
#define TEST_COLS "ordinal, name, verdict, time_seconds, wall_seconds, memory_bytes, score, message"
#define RESULT_COLS "s.id, s.user_id, s.team_id, s.problem_id, s.submitted_at, s.status, j.verdict, j.score, " \
                    "s.contest_id, s.ignored, j.id, j.max_score"
#define GROUP_COLS "judging_id, ordinal, name, score, max_score"
#define EVENT_COLS "id, contest_id, kind, ref_id, submission_id, at"
/* talent: a profile with its user's names and latest submission (u users, p profiles, maybe NULL) */
#define PROFILE_COLS "u.id, coalesce(p.public, 0), coalesce(p.school, ''), coalesce(p.region, ''), " \
                     "coalesce(p.bio, ''), coalesce(p.updated_at, 0), u.name, u.display_name, " \
                     "(SELECT coalesce(max(submitted_at), 0) FROM submissions WHERE user_id = u.id " \
                     "AND samples_only = 0)"
/* scoreboards: a judging's event, for contest submissions only. */
#define EVENT_OF_JUDGINGS "INSERT INTO events (contest_id, kind, ref_id, submission_id) " \
                          "SELECT s.contest_id, 'judging', j.id, s.id FROM judgings j " \
                          "JOIN submissions s ON s.id = j.submission_id WHERE s.contest_id IS NOT NULL AND " \
                          "s.samples_only = 0 AND "   /* judge: run on samples counts nowhere */

/* ?1 contest (0 any, -1 practice), ?2 user, ?3 team, ?4 problem, ?5 status ('' any), ?6 before id. */
#define SUB_FILTER \
    "(?1 = 0 OR (?1 = -1 AND contest_id IS NULL) OR contest_id = ?1) AND (?2 = 0 OR user_id = ?2) " \
    "AND (?3 = 0 OR team_id = ?3) AND (?4 = 0 OR problem_id = ?4) AND (?5 = '' OR status = ?5) " \
    "AND (?6 = 0 OR id < ?6) AND (?8 = 0 OR samples_only = 0)"   /* judge: ?8 counted only */

/* A lease that ran out: its valid, unfinished judging with lease_expires <= ?1. */
#define EXPIRED_JUDGINGS "SELECT id FROM judgings WHERE valid = 1 AND finished_at IS NULL AND lease_expires <= ?1"

/* The submissions a rejudging selects, each joined with its valid judging
 * (j, finished or not): ?1 submission, ?2 problem, ?3 contest, ?4 jury user
 * (only contests where that user is jury), ?5 verdict in effect; 0 or ''
 * match all. */
#define REJ_MATCH \
    "FROM submissions s LEFT JOIN judgings j ON j.submission_id = s.id AND j.valid = 1 " \
    "WHERE (?1 = 0 OR s.id = ?1) AND (?2 = 0 OR s.problem_id = ?2) AND (?3 = 0 OR s.contest_id = ?3) " \
    "AND (?4 = 0 OR s.contest_id IN (SELECT contest_id FROM contest_participants WHERE user_id = ?4 " \
    "AND role = 'jury')) AND (?5 = '' OR (j.finished_at IS NOT NULL AND j.verdict = ?5))"
#define REJ_BEFORE "CASE WHEN j.finished_at IS NOT NULL THEN j.verdict END"

/* compute budgets: a quota row; the usage sums of finished judgings (?3 the day's start). */
#define QUOTA_COLS "contest_id, scope, cpu_seconds_per_day, cpu_seconds_total, gpu_seconds_per_day, " \
                   "gpu_seconds_total, updated_at"
#define USAGE_SUMS "sum(CASE WHEN j.finished_at >= ?3 THEN j.cpu_seconds ELSE 0 END), sum(j.cpu_seconds), " \
                   "sum(CASE WHEN j.finished_at >= ?3 THEN j.gpu_seconds ELSE 0 END), sum(j.gpu_seconds) " \
                   "FROM judgings j JOIN submissions s ON s.id = j.submission_id AND j.finished_at IS NOT NULL"

/* courses */
#define COURSE_COLS "id, title, description, join_code, created_by, created_at"
#define MEMBER_COLS "m.course_id, m.user_id, m.role, m.student_number, m.class, u.name, u.display_name " \
                    "FROM course_members m JOIN users u ON u.id = m.user_id"
#define ASSIGN_COLS "id, course_id, unit_id, title, open_time, due_time, late_until, late_rule, late_value, " \
                    "counting, created_at"
#define EXT_COLS "e.assignment_id, e.user_id, e.due_time, e.late_until, u.name " \
                 "FROM assignment_extensions e JOIN users u ON u.id = e.user_id"

#define STATEMENTS(X) \
    X(BEGIN, "BEGIN IMMEDIATE") \
    X(COMMIT, "COMMIT") \
    X(ROLLBACK, "ROLLBACK") \
    X(SAVEPOINT, "SAVEPOINT store_inner") \
    X(RELEASE, "RELEASE store_inner") \
    X(ROLLBACK_TO, "ROLLBACK TO store_inner") \
    X(SCHEMA_VERSION, "SELECT coalesce(max(version), 0) FROM schema_version") \
    X(SCHEMA_RECORD, "INSERT INTO schema_version (version, applied_at, description) " \
                     "VALUES (?1, CAST(strftime('%s', 'now') AS INTEGER), ?2)") \
    X(SETTING_GET, "SELECT value FROM settings WHERE key = ?1") \
    X(SETTING_SET, "INSERT INTO settings (key, value) VALUES (?1, ?2) " \
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value") \
    X(USER_INSERT, "INSERT INTO users (name, display_name, email, password_hash, role, disabled, created_at) " \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id") \
    X(USER_BY_ID, "SELECT " USER_COLS " FROM users WHERE id = ?1") \
    X(USER_BY_NAME, "SELECT " USER_COLS " FROM users WHERE name = ?1") \
    X(USER_UPDATE, "UPDATE users SET display_name = ?2, email = ?3, password_hash = ?4, role = ?5, " \
                   "disabled = ?6 WHERE id = ?1") \
    X(USER_LIST, "SELECT " USER_COLS " FROM users WHERE id > ?1 ORDER BY id LIMIT ?2") \
    X(SESSION_INSERT, "INSERT INTO sessions (user_id, token_hash, created_at, expires_at, address) " \
                      "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id") \
    X(SESSION_LOOKUP, "SELECT " SESSION_COLS " FROM sessions s JOIN users u ON u.id = s.user_id " \
                      "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0") \
    X(SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?1") \
    X(SESSION_DELETE_USER, "DELETE FROM sessions WHERE user_id = ?1") \
    X(SESSION_PURGE, "DELETE FROM sessions WHERE expires_at <= ?1") \
    X(TOKEN_INSERT, "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) " \
                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id") \
    X(TOKEN_LOOKUP, "SELECT " TOKEN_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id " \
                    "WHERE t.token_hash = ?1 AND (t.expires_at = 0 OR t.expires_at > ?2) AND u.disabled = 0") \
    X(TOKEN_LIST, "SELECT " TOKEN_COLS " FROM api_tokens t WHERE t.user_id = ?1 ORDER BY t.id") \
    X(TOKEN_REVOKE, "DELETE FROM api_tokens WHERE id = ?2 AND (?1 = 0 OR user_id = ?1)") \
    X(LOGIN_ADD, "INSERT INTO login_failures (scope, key, window_start, count) VALUES (?1, ?2, ?3, 1) " \
                 "ON CONFLICT (scope, key) DO UPDATE SET " \
                 "count = CASE WHEN login_failures.window_start <= ?3 - ?4 THEN 1 " \
                 "ELSE login_failures.count + 1 END, " \
                 "window_start = CASE WHEN login_failures.window_start <= ?3 - ?4 THEN ?3 " \
                 "ELSE login_failures.window_start END " \
                 "RETURNING count") \
    X(LOGIN_COUNT, "SELECT CASE WHEN window_start <= ?3 - ?4 THEN 0 ELSE count END FROM login_failures " \
                   "WHERE scope = ?1 AND key = ?2") \
    X(LOGIN_CLEAR, "DELETE FROM login_failures WHERE scope = ?1 AND key = ?2") \
    X(AUDIT_INSERT, "INSERT INTO audit_log (at, actor_user_id, address, action, target, detail) " \
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id") \
    X(AUDIT_LIST, "SELECT " AUDIT_COLS " FROM audit_log WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2") \
    X(HOST_INSERT, "INSERT INTO judge_hosts (name, token_hash, enabled, created_at, capabilities) " \
                   "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id") \
    X(HOST_BY_ID, "SELECT " HOST_COLS " FROM judge_hosts WHERE id = ?1") \
    X(HOST_BY_TOKEN, "SELECT " HOST_COLS " FROM judge_hosts WHERE token_hash = ?1 AND enabled = 1") \
    X(HOST_BY_NAME, "SELECT " HOST_COLS " FROM judge_hosts WHERE name = ?1") \
    X(HOST_UPDATE, "UPDATE judge_hosts SET enabled = ?2, capabilities = ?3 WHERE id = ?1") \
    X(HOST_LIST, "SELECT " HOST_COLS " FROM judge_hosts ORDER BY id") \
    X(HOST_HEARTBEAT, "UPDATE judge_hosts SET last_heartbeat = ?2 WHERE id = ?1") \
    X(HOST_CLAIMING, "UPDATE judge_hosts SET last_heartbeat = ?2 WHERE id = ?1 AND enabled = 1") \
    X(HOST_SET_JOB, "UPDATE judge_hosts SET current_judging_id = ?2 WHERE id = ?1") \
    X(HOST_DONE, "UPDATE judge_hosts SET current_judging_id = NULL, last_heartbeat = ?3 " \
                 "WHERE id = ?1 AND current_judging_id = ?2") \
    X(PROBLEM_INSERT, "INSERT INTO problems (short_name, title, package_hash, time_limit, memory_limit, type, " \
                      "published, created_by, created_at, time_limit_inferred, statement_hash, samples_hash, " \
                      "difficulty) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id") \
    X(PROBLEM_BY_ID, "SELECT " PROBLEM_COLS " FROM problems WHERE id = ?1") \
    X(PROBLEM_BY_NAME, "SELECT " PROBLEM_COLS " FROM problems WHERE short_name = ?1") \
    X(PROBLEM_UPDATE, "UPDATE problems SET title = ?2, package_hash = ?3, time_limit = ?4, memory_limit = ?5, " \
                      "type = ?6, published = ?7, time_limit_inferred = ?8, statement_hash = ?9, " \
                      "samples_hash = ?10, difficulty = ?11 WHERE id = ?1") \
    X(PROBLEM_LIST, "SELECT " PROBLEM_COLS " FROM problems WHERE (?1 = 0 OR published = 1) AND id > ?2 " \
                    "ORDER BY id LIMIT ?3") \
    X(CONTEST_INSERT, "INSERT INTO contests (short_name, title, start_time, duration, freeze, unfrozen, " \
                      "is_public, registration, registration_code, team_mode, rules, penalty_minutes, " \
                      "languages, max_submissions, submission_interval, created_by, created_at, " \
                      "final_submissions, daily_submissions, private_published, rated) " \
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, " \
                      "?18, ?19, ?20, ?21) RETURNING id") \
    X(CONTEST_BY_ID, "SELECT " CONTEST_COLS " FROM contests WHERE id = ?1") \
    X(CONTEST_BY_NAME, "SELECT " CONTEST_COLS " FROM contests WHERE short_name = ?1") \
    X(CONTEST_UPDATE, "UPDATE contests SET title = ?2, start_time = ?3, duration = ?4, freeze = ?5, " \
                      "unfrozen = ?6, is_public = ?7, registration = ?8, registration_code = ?9, " \
                      "team_mode = ?10, rules = ?11, penalty_minutes = ?12, languages = ?13, " \
                      "max_submissions = ?14, submission_interval = ?15, final_submissions = ?18, " \
                      "daily_submissions = ?19, private_published = ?20, rated = ?21 WHERE id = ?1") \
    X(CONTEST_LIST, "SELECT " CONTEST_COLS " FROM contests WHERE id > ?1 ORDER BY id LIMIT ?2") \
    X(CP_PUT, "INSERT INTO contest_problems (" CP_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) " \
              "ON CONFLICT (contest_id, problem_id) DO UPDATE SET label = excluded.label, " \
              "color = excluded.color, points = excluded.points, ordinal = excluded.ordinal") \
    X(CP_REMOVE, "DELETE FROM contest_problems WHERE contest_id = ?1 AND problem_id = ?2") \
    X(CP_LIST, "SELECT " CP_COLS " FROM contest_problems WHERE contest_id = ?1 ORDER BY ordinal, label") \
    X(TEAM_INSERT, "INSERT INTO teams (contest_id, name, created_at) VALUES (?1, ?2, ?3) RETURNING id") \
    X(TEAM_BY_ID, "SELECT " TEAM_COLS " FROM teams WHERE id = ?1") \
    X(TEAM_LIST, "SELECT " TEAM_COLS " FROM teams WHERE contest_id = ?1 ORDER BY id") \
    X(PART_PUT, "INSERT INTO contest_participants (" PART_COLS ") VALUES (?1, ?2, ?3, ?4, ?5) " \
                "ON CONFLICT (contest_id, user_id) DO UPDATE SET role = excluded.role, " \
                "team_id = excluded.team_id") \
    X(PART_GET, "SELECT " PART_COLS " FROM contest_participants WHERE contest_id = ?1 AND user_id = ?2") \
    X(PART_REMOVE, "DELETE FROM contest_participants WHERE contest_id = ?1 AND user_id = ?2") \
    X(PART_LIST, "SELECT " PART_COLS " FROM contest_participants WHERE contest_id = ?1 " \
                 "AND (?2 = 0 OR team_id = ?2) ORDER BY user_id") \
    X(CLAR_INSERT, "INSERT INTO clarifications (contest_id, problem_id, kind, from_user_id, to_user_id, " \
                   "team_id, reply_to, created_at, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id") \
    X(CLAR_BY_ID, "SELECT " CLAR_COLS " FROM clarifications WHERE id = ?1") \
    X(CLAR_FOR, "SELECT " CLAR_COLS " FROM clarifications WHERE contest_id = ?1 AND (?2 = 0 " \
                "OR kind = 'announcement' OR (kind = 'answer' AND to_user_id IS NULL) " \
                "OR from_user_id = ?2 OR to_user_id = ?2 OR (?3 > 0 AND team_id = ?3)) ORDER BY id") \
    X(SUB_INSERT, "INSERT INTO submissions (user_id, team_id, contest_id, problem_id, language, filename, " \
                  "source_hash, source_size, submitted_at, status, ignored, assignment_id, samples_only) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'queued', ?10, ?11, ?12) RETURNING id") \
    X(SUB_BY_ID, "SELECT " SUB_COLS " FROM submissions WHERE id = ?1") \
    X(SUB_LIST, "SELECT " SUB_COLS " FROM submissions WHERE " SUB_FILTER " ORDER BY id DESC LIMIT ?7") \
    X(SUB_COUNT, "SELECT count(*) FROM submissions WHERE " SUB_FILTER) \
    X(SUB_IGNORE, "UPDATE submissions SET ignored = ?2 WHERE id = ?1") \
    X(RESULTS, "SELECT " RESULT_COLS " FROM submissions s LEFT JOIN judgings j ON j.submission_id = s.id " \
               "AND j.valid = 1 AND j.finished_at IS NOT NULL WHERE s.contest_id = ?1 AND s.ignored = 0 " \
               "AND s.samples_only = 0 ORDER BY s.submitted_at, s.id") \
    X(JUDGING_BY_ID, "SELECT " JUDGING_COLS " FROM judgings WHERE id = ?1") \
    X(JUDGINGS_OF, "SELECT " JUDGING_COLS " FROM judgings WHERE submission_id = ?1 ORDER BY id") \
    X(TESTS_OF, "SELECT " TEST_COLS " FROM judging_tests WHERE judging_id = ?1 ORDER BY ordinal") \
    X(EXPIRE_SUBS, "UPDATE submissions SET status = 'queued' WHERE id IN " \
                   "(SELECT submission_id FROM judgings WHERE valid = 1 AND finished_at IS NULL " \
                   "AND lease_expires <= ?1)") \
    X(EXPIRE_HOSTS, "UPDATE judge_hosts SET current_judging_id = NULL WHERE current_judging_id IN (" \
                    EXPIRED_JUDGINGS ")") \
    X(EXPIRE_JUDGINGS, "UPDATE judgings SET valid = 0 WHERE id IN (" EXPIRED_JUDGINGS ")") \
    /* compute budgets and scheduling: fair share (storage.h, web_store_job_claim_caps). ?1 languages, \
     * ?2 free GPUs, ?3 memory (0 unknown), ?4 judgings per user at most (0 no cap). */ \
    /* The users with queued work found by skipping through the queued index \
     * one user at a time (a recursive min), and each one's first eligible \
     * submission by walking that user's queued rows in order: a claim costs \
     * O(users), not O(queued submissions) (tests/bench/queue_drain.py). The \
     * head is chosen before the join, so it is one lookup by id (PostgreSQL \
     * otherwise hashed the whole submissions table for it). */ \
    X(QUEUE_HEAD, "WITH RECURSIVE u(user_id) AS (SELECT min(user_id) FROM submissions WHERE status = 'queued' " \
                  "UNION ALL SELECT (SELECT min(user_id) FROM submissions WHERE status = 'queued' " \
                  "AND user_id > u.user_id) FROM u WHERE u.user_id IS NOT NULL), " \
                  "busy AS (SELECT user_id, count(*) AS n FROM submissions WHERE status = 'judging' " \
                  "GROUP BY user_id), heads AS (SELECT u.user_id AS user_id, coalesce(b.n, 0) AS running, " \
                  "(SELECT s.id FROM submissions s JOIN problems p ON p.id = s.problem_id " \
                  "WHERE s.user_id = u.user_id AND s.status = 'queued' " \
                  "AND (?1 = '' OR instr(',' || ?1 || ',', ',' || s.language || ',') > 0) " \
                  "AND p.gpus <= ?2 AND (?3 = 0 OR p.memory_limit <= ?3) ORDER BY s.id LIMIT 1) AS first " \
                  "FROM u LEFT JOIN busy b ON b.user_id = u.user_id WHERE u.user_id IS NOT NULL " \
                  "AND (?4 = 0 OR coalesce(b.n, 0) < ?4)) " \
                  "SELECT s.id, s.problem_id, s.contest_id, s.language, s.filename, s.source_hash, " \
                  "s.source_size, p.package_hash, p.time_limit, p.memory_limit, p.gpus, " \
                  "s.samples_only FROM (SELECT first FROM heads WHERE first IS NOT NULL " \
                  "ORDER BY running, first LIMIT 1) h " \
                  "JOIN submissions s ON s.id = h.first JOIN problems p ON p.id = s.problem_id") \
    X(JUDGING_START, "INSERT INTO judgings (submission_id, judge_host_id, started_at, lease_expires, valid) " \
                     "VALUES (?1, ?2, ?3, ?4, 1) RETURNING id") \
    X(SUB_STATUS, "UPDATE submissions SET status = ?2 WHERE id = ?1") \
    X(LEASE_RENEW, "UPDATE judgings SET lease_expires = ?4 WHERE id = ?1 AND judge_host_id = ?2 " \
                   "AND valid = 1 AND finished_at IS NULL AND lease_expires > ?3") \
    X(LEASE_STATE, "SELECT judge_host_id, valid, finished_at, lease_expires FROM judgings WHERE id = ?1") \
    X(JUDGING_FINISH, "UPDATE judgings SET finished_at = ?3, verdict = ?4, score = ?5, time_seconds = ?6, " \
                      "memory_bytes = ?7, compile_output_hash = ?8, max_score = ?9, message = ?10 " \
                      "WHERE id = ?1 AND judge_host_id = ?2 " \
                      "AND valid = 1 AND finished_at IS NULL AND lease_expires > ?3") \
    X(TEST_INSERT, "INSERT INTO judging_tests (judging_id, " TEST_COLS ") " \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
    X(SUB_JUDGED, "UPDATE submissions SET status = 'judged' WHERE id = " \
                  "(SELECT submission_id FROM judgings WHERE id = ?1)") \
    X(REJUDGE_SUB, "UPDATE submissions SET status = 'queued' WHERE id = ?1") \
    X(REJUDGE_HOSTS, "UPDATE judge_hosts SET current_judging_id = NULL WHERE current_judging_id IN " \
                     "(SELECT id FROM judgings WHERE submission_id = ?1 AND valid = 1)") \
    X(REJUDGE_JUDGINGS, "UPDATE judgings SET valid = 0 WHERE submission_id = ?1 AND valid = 1") \
    /* rejudgings (the jury) */ \
    X(REJ_PREVIEW, "SELECT s.id, s.contest_id, s.problem_id, s.user_id, s.status, " REJ_BEFORE ", NULL " \
                   REJ_MATCH " ORDER BY s.id LIMIT ?6") \
    X(REJ_COUNT, "SELECT count(*) " REJ_MATCH) \
    X(REJ_INSERT, "INSERT INTO rejudgings (created_by, created_at, submission_id, problem_id, contest_id, " \
                  "jury_user_id, verdict) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id") \
    X(REJ_FILL, "INSERT INTO rejudging_submissions (rejudging_id, submission_id, judging_before, verdict_before) " \
                "SELECT ?6, s.id, j.id, " REJ_BEFORE " " REJ_MATCH) \
    X(REJ_SUBS, "SELECT submission_id FROM rejudging_submissions WHERE rejudging_id = ?1 ORDER BY submission_id") \
    X(REJ_BY_ID, "SELECT id, created_by, created_at, submission_id, problem_id, contest_id, jury_user_id, verdict " \
                 "FROM rejudgings WHERE id = ?1") \
    X(REJ_ENTRIES, "SELECT r.submission_id, s.contest_id, s.problem_id, s.user_id, s.status, r.verdict_before, " \
                   "j.verdict FROM rejudging_submissions r JOIN submissions s ON s.id = r.submission_id " \
                   "LEFT JOIN judgings j ON j.submission_id = r.submission_id AND j.valid = 1 " \
                   "AND j.finished_at IS NOT NULL AND j.id > coalesce(r.judging_before, 0) " \
                   "WHERE r.rejudging_id = ?1 ORDER BY r.submission_id") \
    /* scoreboards, the event log and judging groups */ \
    X(EVENT_ADD, "INSERT INTO events (contest_id, kind, ref_id, submission_id) VALUES (?1, ?2, ?3, 0)") \
    X(EVENT_SUB, "INSERT INTO events (contest_id, kind, ref_id, submission_id) " \
                 "SELECT contest_id, 'submission', id, id FROM submissions WHERE id = ?1 AND contest_id IS NOT NULL " \
                 "AND samples_only = 0") \
    X(EVENT_JUDGING, EVENT_OF_JUDGINGS "j.id = ?1") \
    X(EVENT_EXPIRED, EVENT_OF_JUDGINGS "j.valid = 1 AND j.finished_at IS NULL AND j.lease_expires <= ?1") \
    X(EVENT_REJUDGE, EVENT_OF_JUDGINGS "j.submission_id = ?1 AND j.valid = 1") \
    X(EVENT_TEAM, "INSERT INTO events (contest_id, kind, ref_id) SELECT contest_id, 'teams', id FROM teams " \
                  "WHERE id = ?1") \
    X(EVENTS_AFTER, "SELECT " EVENT_COLS " FROM events WHERE contest_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3") \
    X(EVENT_LAST, "SELECT coalesce(max(id), 0) FROM events WHERE ?1 = 0 OR contest_id = ?1") \
    X(RESULT_ONE, "SELECT " RESULT_COLS " FROM submissions s LEFT JOIN judgings j ON j.submission_id = s.id " \
                  "AND j.valid = 1 AND j.finished_at IS NOT NULL WHERE s.id = ?1 AND s.samples_only = 0") \
    X(GROUP_INSERT, "INSERT INTO judging_groups (" GROUP_COLS ") VALUES (?1, ?2, ?3, ?4, ?5)") \
    X(GROUPS_OF, "SELECT " GROUP_COLS " FROM judging_groups WHERE judging_id = ?1 ORDER BY ordinal") \
    X(GROUPS_CONTEST, "SELECT g.judging_id, g.ordinal, g.name, g.score, g.max_score FROM judging_groups g " \
                      "JOIN judgings j ON j.id = g.judging_id AND j.valid = 1 AND j.finished_at IS NOT NULL " \
                      "JOIN submissions s ON s.id = j.submission_id WHERE s.contest_id = ?1 " \
                      "AND (?2 = 0 OR s.id = ?2) AND s.ignored = 0 AND s.samples_only = 0 " \
                      "ORDER BY g.judging_id, g.ordinal") \
    X(GROUPS_PROBLEM, "SELECT " GROUP_COLS " FROM judging_groups WHERE judging_id = " \
                      "(SELECT max(g.judging_id) FROM judging_groups g JOIN judgings j ON j.id = g.judging_id " \
                      "JOIN submissions s ON s.id = j.submission_id WHERE s.problem_id = ?1) ORDER BY ordinal") \
    X(CONTEST_JUDGINGS, "SELECT j.id, j.submission_id, j.judge_host_id, j.started_at, j.lease_expires, " \
                        "j.finished_at, j.verdict, j.score, j.time_seconds, j.memory_bytes, j.compile_output_hash, " \
                        "j.valid, j.max_score, j.message FROM judgings j JOIN submissions s " \
                        "ON s.id = j.submission_id WHERE s.contest_id = ?1 AND j.valid = 1 AND s.samples_only = 0 " \
                        "ORDER BY j.id") \
    /* live judging progress */ \
    X(PROGRESS_CLEAR, "DELETE FROM judging_tests WHERE judging_id = ?1") \
    X(PROGRESS_TEST, "INSERT INTO judging_tests (judging_id, " TEST_COLS ") " \
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (judging_id, ordinal) DO UPDATE SET " \
                     "name = excluded.name, verdict = excluded.verdict, time_seconds = excluded.time_seconds, " \
                     "wall_seconds = excluded.wall_seconds, memory_bytes = excluded.memory_bytes, " \
                     "score = excluded.score, message = excluded.message") \
    /* problem tags and archive search */ \
    X(PROBLEM_TAGS_CLEAR, "DELETE FROM problem_tags WHERE problem_id = ?1") \
    X(PROBLEM_TAG_INSERT, "INSERT INTO problem_tags (problem_id, tag) VALUES (?1, ?2)") \
    X(PROBLEM_SEARCH, "SELECT " PROBLEM_COLS " FROM problems WHERE (?1 = 0 OR published = 1) AND id > ?2 " \
                      "AND (?3 = '' OR instr(lower(title), lower(?3)) > 0 OR instr(lower(short_name), lower(?3)) > 0) " \
                      "AND (?4 = '' OR EXISTS (SELECT 1 FROM problem_tags t WHERE t.problem_id = problems.id " \
                      "AND t.tag = ?4)) AND (?5 = 0 OR difficulty >= ?5) AND (?6 = 0 OR difficulty <= ?6) " \
                      "ORDER BY id LIMIT ?7") \
    X(PROBLEM_TAG_COUNTS, "SELECT t.tag, count(*) FROM problem_tags t JOIN problems p ON p.id = t.problem_id " \
                          "WHERE ?1 = 0 OR p.published = 1 GROUP BY t.tag ORDER BY t.tag") \
    /* compute budgets and scheduling */ \
    X(JUDGING_COMPUTE, "UPDATE judgings SET cpu_seconds = ?2, gpu_seconds = ?3 WHERE id = ?1") \
    X(PROBLEM_GPUS_SET, "UPDATE problems SET gpus = ?2 WHERE id = ?1") \
    X(PROBLEM_GPUS_GET, "SELECT gpus FROM problems WHERE id = ?1") \
    X(QUOTA_GET, "SELECT " QUOTA_COLS " FROM contest_quotas WHERE contest_id = ?1 AND scope = ?2") \
    X(QUOTA_PUT, "INSERT INTO contest_quotas (" QUOTA_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) " \
                 "ON CONFLICT (contest_id, scope) DO UPDATE SET cpu_seconds_per_day = excluded.cpu_seconds_per_day, " \
                 "cpu_seconds_total = excluded.cpu_seconds_total, gpu_seconds_per_day = excluded.gpu_seconds_per_day, " \
                 "gpu_seconds_total = excluded.gpu_seconds_total, updated_at = excluded.updated_at") \
    X(USAGE_USER, "SELECT s.user_id, " USAGE_SUMS " WHERE s.contest_id = ?1 AND (?2 = 0 OR s.user_id = ?2) " \
                  "GROUP BY s.user_id ORDER BY s.user_id") \
    X(USAGE_TEAM, "SELECT s.team_id, " USAGE_SUMS " WHERE s.contest_id = ?1 AND s.team_id IS NOT NULL " \
                  "AND (?2 = 0 OR s.team_id = ?2) GROUP BY s.team_id ORDER BY s.team_id") \
    /* AI leaderboards */ \
    X(AI_JUDGING_SET, "UPDATE judgings SET public_score = ?2, private_score = ?3 WHERE id = ?1") \
    X(AI_PROBLEM_GET, "SELECT maximize, precision FROM ai_problems WHERE problem_id = ?1") \
    X(AI_PROBLEM_PUT, "INSERT INTO ai_problems (problem_id, maximize, precision) VALUES (?1, ?2, ?3) " \
                      "ON CONFLICT (problem_id) DO UPDATE SET maximize = excluded.maximize, " \
                      "precision = excluded.precision") \
    X(AI_ENTRIES, "SELECT s.id, s.user_id, coalesce(s.team_id, 0), s.problem_id, s.submitted_at, j.public_score, " \
                  "coalesce(j.private_score, j.public_score), " \
                  "EXISTS (SELECT 1 FROM ai_baselines b WHERE b.submission_id = s.id), " \
                  "EXISTS (SELECT 1 FROM ai_finals f WHERE f.submission_id = s.id) " \
                  "FROM submissions s JOIN judgings j ON j.submission_id = s.id AND j.valid = 1 " \
                  "AND j.finished_at IS NOT NULL WHERE s.contest_id = ?1 AND s.ignored = 0 " \
                  "AND s.samples_only = 0 AND j.public_score IS NOT NULL ORDER BY s.submitted_at, s.id") \
    X(AI_FINAL_CLEAR, "DELETE FROM ai_finals WHERE contest_id = ?1 AND team_id = ?2 AND (?2 > 0 OR user_id = ?3)") \
    X(AI_FINAL_ADD, "INSERT INTO ai_finals (submission_id, contest_id, team_id, user_id) VALUES (?1, ?2, ?3, ?4)") \
    X(AI_BASELINE_ADD, "INSERT INTO ai_baselines (submission_id) VALUES (?1) ON CONFLICT DO NOTHING") \
    X(AI_BASELINE_DEL, "DELETE FROM ai_baselines WHERE submission_id = ?1") \
    /* failed: finished without a score and not AC; a pending one counts */ \
    X(AI_DAILY_COUNT, "SELECT count(*) FROM submissions s LEFT JOIN judgings j ON j.submission_id = s.id " \
                      "AND j.valid = 1 WHERE s.contest_id = ?1 AND ((?2 > 0 AND s.team_id = ?2) OR " \
                      "(?2 = 0 AND s.team_id IS NULL AND s.user_id = ?3)) AND s.submitted_at >= ?4 " \
                      "AND s.submitted_at < ?5 AND s.samples_only = 0 " \
                      "AND NOT (j.finished_at IS NOT NULL AND j.public_score IS NULL " \
                      "AND j.verdict <> 'AC')") \
    /* AI problem files */ \
    X(PROBLEM_FILES_CLEAR, "DELETE FROM problem_files WHERE problem_id = ?1") \
    X(PROBLEM_FILE_ADD, "INSERT INTO problem_files (problem_id, name, hash, size) VALUES (?1, ?2, ?3, ?4)") \
    X(PROBLEM_FILES, "SELECT name, hash, size FROM problem_files WHERE problem_id = ?1 ORDER BY name") \
    X(AI_METRIC_SET, "INSERT INTO ai_problems (problem_id, metric) VALUES (?1, ?2) " \
                     "ON CONFLICT (problem_id) DO UPDATE SET metric = excluded.metric") \
    X(AI_METRIC_GET, "SELECT metric FROM ai_problems WHERE problem_id = ?1") \
    /* talent: profiles, views, the rating cache */ \
    X(PROFILE_GET, "SELECT " PROFILE_COLS " FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id = ?1") \
    X(PROFILES_PUBLIC, "SELECT " PROFILE_COLS " FROM users u JOIN profiles p ON p.user_id = u.id " \
                       "WHERE p.public = 1 AND u.disabled = 0 ORDER BY u.id") \
    X(PROFILE_PUT, "INSERT INTO profiles (user_id, public, school, region, bio, updated_at) " \
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (user_id) DO UPDATE SET public = excluded.public, " \
                   "school = excluded.school, region = excluded.region, bio = excluded.bio, " \
                   "updated_at = excluded.updated_at") \
    X(PROFILE_VIEW_ADD, "INSERT INTO profile_views (user_id, viewer_id, at, kind) SELECT ?1, ?2, ?3, ?4 " \
                        "WHERE ?5 <= 0 OR NOT EXISTS (SELECT 1 FROM profile_views WHERE user_id = ?1 " \
                        "AND viewer_id IS NOT DISTINCT FROM ?2 AND kind = ?4 AND at >= ?5)") \
    X(PROFILE_VIEWS, "SELECT coalesce(v.viewer_id, 0), coalesce(u.name, ''), v.at, v.kind FROM profile_views v " \
                     "LEFT JOIN users u ON u.id = v.viewer_id WHERE v.user_id = ?1 ORDER BY v.at DESC, v.id DESC " \
                     "LIMIT ?2") \
    X(RATED_CONTESTS, "SELECT c.id, c.title, c.start_time + c.duration, " \
                      "(SELECT coalesce(max(e.id), 0) FROM events e WHERE e.contest_id = c.id) FROM contests c " \
                      "WHERE c.rated = 1 AND c.start_time + c.duration <= ?1 ORDER BY c.start_time + c.duration, c.id") \
    X(RATING_KEY_GET, "SELECT key FROM rating_cache WHERE id = 1") \
    X(RATING_KEY_SET, "INSERT INTO rating_cache (id, key) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET key = excluded.key") \
    X(RATING_CLEAR, "DELETE FROM rating_changes") \
    X(RATING_ADD, "INSERT INTO rating_changes (contest_id, user_id, ordinal, rank, old_rating, new_rating) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
    X(RATING_CHANGES, "SELECT contest_id, user_id, ordinal, rank, old_rating, new_rating FROM rating_changes " \
                      "WHERE ?1 = 0 OR user_id = ?1 ORDER BY ordinal, user_id") \
    X(USER_PROBLEMS, "SELECT " PROBLEM_COLS ", x.solved FROM problems JOIN (SELECT s.problem_id AS pid, " \
                     "max(CASE WHEN j.verdict = 'AC' THEN 1 ELSE 0 END) AS solved FROM submissions s LEFT JOIN judgings j " \
                     "ON j.submission_id = s.id AND j.valid = 1 AND j.finished_at IS NOT NULL " \
                     "WHERE s.user_id = ?1 AND s.ignored = 0 AND s.samples_only = 0 " \
                     "GROUP BY s.problem_id) x ON x.pid = problems.id " \
                     "WHERE problems.published = 1 OR EXISTS (SELECT 1 FROM contest_problems cp JOIN contests c " \
                     "ON c.id = cp.contest_id WHERE cp.problem_id = problems.id AND c.is_public = 1 " \
                     "AND c.start_time + c.duration <= ?2) ORDER BY problems.id") \
    /* ops: metrics and backup manifests */ \
    X(OPS_COUNTS, "SELECT (SELECT count(*) FROM submissions WHERE status = 'queued'), " \
                  "(SELECT count(*) FROM judgings WHERE valid = 1 AND finished_at IS NULL), " \
                  "(SELECT count(*) FROM submissions), (SELECT count(*) FROM judgings), " \
                  "(SELECT count(*) FROM users), (SELECT count(*) FROM problems), (SELECT count(*) FROM contests)") \
    X(OPS_VERDICTS, "SELECT verdict, count(*) FROM judgings WHERE finished_at IS NOT NULL AND verdict IS NOT NULL " \
                    "GROUP BY verdict ORDER BY verdict") \
    /* similarity: each student's last judged (else last) submission for a problem of an assignment */ \
    X(SIM_ENTRIES, "SELECT s.id, s.user_id, u.name, s.problem_id, s.language, s.source_hash, s.source_size " \
                   "FROM submissions s JOIN users u ON u.id = s.user_id " \
                   "JOIN assignments a ON a.id = s.assignment_id JOIN course_members m " \
                   "ON m.course_id = a.course_id AND m.user_id = s.user_id AND m.role = 'student' " \
                   "WHERE s.assignment_id = ?1 AND s.problem_id = ?2 AND s.id = (SELECT t.id FROM submissions t " \
                   "WHERE t.assignment_id = ?1 AND t.user_id = s.user_id AND t.problem_id = ?2 " \
                   "AND t.samples_only = 0 ORDER BY t.status = 'judged' DESC, t.submitted_at DESC, t.id DESC " \
                   "LIMIT 1) ORDER BY u.name, s.id") \
    X(SIM_SUBMISSION, "SELECT s.id, s.user_id, u.name, s.problem_id, s.language, s.source_hash, s.source_size " \
                      "FROM submissions s JOIN users u ON u.id = s.user_id WHERE s.id = ?2 AND s.assignment_id = ?1") \
    /* courses */ \
    X(COURSE_INSERT, "INSERT INTO courses (title, description, join_code, created_by, created_at) " \
                     "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id") \
    X(COURSE_BY_ID, "SELECT " COURSE_COLS " FROM courses WHERE id = ?1") \
    X(COURSE_BY_CODE, "SELECT " COURSE_COLS " FROM courses WHERE join_code = ?1") \
    X(COURSE_UPDATE, "UPDATE courses SET title = ?2, description = ?3, join_code = ?4 WHERE id = ?1") \
    X(COURSES_OF_USER, "SELECT " COURSE_COLS " FROM courses WHERE ?1 = 0 OR id IN " \
                       "(SELECT course_id FROM course_members WHERE user_id = ?1) ORDER BY id") \
    X(MEMBER_PUT, "INSERT INTO course_members (course_id, user_id, role, student_number, class) " \
                  "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (course_id, user_id) DO UPDATE SET " \
                  "role = excluded.role, student_number = excluded.student_number, class = excluded.class") \
    X(MEMBER_GET, "SELECT " MEMBER_COLS " WHERE m.course_id = ?1 AND m.user_id = ?2") \
    X(MEMBER_REMOVE, "DELETE FROM course_members WHERE course_id = ?1 AND user_id = ?2") \
    X(MEMBERS, "SELECT " MEMBER_COLS " WHERE m.course_id = ?1 ORDER BY CASE m.role WHEN 'teacher' THEN 0 " \
               "WHEN 'ta' THEN 1 ELSE 2 END, m.student_number, u.name") \
    X(UNIT_INSERT, "INSERT INTO course_units (course_id, title, position) VALUES (?1, ?2, ?3) RETURNING id") \
    X(UNITS, "SELECT id, course_id, title, position FROM course_units WHERE course_id = ?1 ORDER BY position, id") \
    X(LESSON_INSERT, "INSERT INTO lessons (course_id, unit_id, title, markdown, position, created_at) " \
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id") \
    X(LESSON_BY_ID, "SELECT id, course_id, unit_id, title, markdown, position, created_at FROM lessons " \
                    "WHERE id = ?1") \
    X(LESSON_UPDATE, "UPDATE lessons SET unit_id = ?2, title = ?3, markdown = ?4, position = ?5 WHERE id = ?1") \
    X(LESSON_DELETE, "DELETE FROM lessons WHERE id = ?1") \
    X(LESSONS, "SELECT id, course_id, unit_id, title, NULL, position, created_at FROM lessons " \
               "WHERE course_id = ?1 ORDER BY position, id") \
    X(ASSIGN_INSERT, "INSERT INTO assignments (course_id, unit_id, title, open_time, due_time, late_until, " \
                     "late_rule, late_value, counting, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id") \
    X(ASSIGN_BY_ID, "SELECT " ASSIGN_COLS " FROM assignments WHERE id = ?1") \
    X(ASSIGN_UPDATE, "UPDATE assignments SET unit_id = ?2, title = ?3, open_time = ?4, due_time = ?5, " \
                     "late_until = ?6, late_rule = ?7, late_value = ?8, counting = ?9 WHERE id = ?1") \
    X(ASSIGN_UNLINK, "UPDATE submissions SET assignment_id = NULL WHERE assignment_id = ?1") \
    X(ASSIGN_EXT_CLEAR, "DELETE FROM assignment_extensions WHERE assignment_id = ?1") \
    X(ASSIGN_DELETE, "DELETE FROM assignments WHERE id = ?1") \
    X(ASSIGNS_OF_COURSE, "SELECT " ASSIGN_COLS " FROM assignments WHERE course_id = ?1 ORDER BY open_time, id") \
    X(AP_CLEAR, "DELETE FROM assignment_problems WHERE assignment_id = ?1") \
    X(AP_INSERT, "INSERT INTO assignment_problems (assignment_id, problem_id, position, points, feedback, " \
                 "template) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
    X(AP_LIST, "SELECT a.assignment_id, a.problem_id, a.position, a.points, a.feedback, a.template, " \
               "p.short_name, p.title FROM assignment_problems a JOIN problems p ON p.id = a.problem_id " \
               "WHERE a.assignment_id = ?1 ORDER BY a.position, a.problem_id") \
    X(EXT_PUT, "INSERT INTO assignment_extensions (assignment_id, user_id, due_time, late_until) " \
               "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (assignment_id, user_id) DO UPDATE SET " \
               "due_time = excluded.due_time, late_until = excluded.late_until") \
    X(EXT_GET, "SELECT " EXT_COLS " WHERE e.assignment_id = ?1 AND e.user_id = ?2") \
    X(EXT_REMOVE, "DELETE FROM assignment_extensions WHERE assignment_id = ?1 AND user_id = ?2") \
    X(EXTS, "SELECT " EXT_COLS " WHERE e.assignment_id = ?1 ORDER BY u.name") \
    /* blobs shared through the database (PostgreSQL) */ \
    X(BLOB_SAVE, "INSERT INTO blobs (hash, data) VALUES (?1, ?2) ON CONFLICT DO NOTHING") \
    X(BLOB_LOAD, "SELECT data FROM blobs WHERE hash = ?1") \
    X(ASSIGN_RESULTS, "SELECT " RESULT_COLS " FROM submissions s LEFT JOIN judgings j ON j.submission_id = s.id " \
                      "AND j.valid = 1 AND j.finished_at IS NOT NULL WHERE s.assignment_id = ?1 " \
                      "AND (?2 = 0 OR s.user_id = ?2) ORDER BY s.submitted_at, s.id")

enum stmt_id {
#define X(id, sql) ST_##id,
    STATEMENTS(X)
#undef X
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
#define X(id, sql) [ST_##id] = sql,
    STATEMENTS(X)
#undef X
};

struct sq {
    struct web_store base;          /* first: storage.c sees a struct web_store */
    struct sqldb *db;
    struct sqldb_stmt *stmts[ST_COUNT];  /* owned; prepared on first use */
    int user_tx;                    /* inside web_store_tx_begin */
};

static struct sq *SQ(struct web_store *s)
{
    return (struct sq *)s;
}

#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

/* ---- helpers ------------------------------------------------------------------------ */

/* The last failed step's error (rc is SQLDB_ERROR), mapped to ours. */
static int sql_error(struct sq *s, int rc, const char *what, struct err *err)
{
    if (rc != SQLDB_ERROR)
        return err_set(err, ERR_SYSTEM, "%s: unexpected result %d", what, rc);
    return s->db->ops->error(s->db, what, err);
}

static int prep(struct sq *s, enum stmt_id id, struct sqldb_stmt **out, struct err *err)
{
    *out = NULL;
    if (!s->stmts[id])
        TRY(s->db->ops->prepare(s->db, stmt_sql[id], &s->stmts[id], err));
    *out = s->stmts[id];
    return 0;
}

static int step(struct sqldb_stmt *st)
{
    return st->db->ops->step(st);
}

static void finish(struct sqldb_stmt *st)
{
    st->db->ops->reset(st);
}

/* Runs st to completion, ignoring rows, then resets it. */
static int step_done(struct sq *s, struct sqldb_stmt *st, const char *what, struct err *err)
{
    int rc;
    while ((rc = step(st)) == SQLDB_ROW)
        ;
    int out = rc == SQLDB_DONE ? 0 : sql_error(s, rc, what, err);
    finish(st);
    return out;
}

/* Runs an INSERT ... RETURNING id and reads the new row's id into *id. */
static int insert_id(struct sq *s, struct sqldb_stmt *st, int64_t *id, const char *what, struct err *err)
{
    int rc = step(st);
    if (rc == SQLDB_ROW) {
        *id = st->db->ops->col_i64(st, 0);
        return step_done(s, st, what, err);
    }
    int out = rc == SQLDB_DONE ? err_set(err, ERR_SYSTEM, "%s: no row was inserted", what) : sql_error(s, rc, what, err);
    finish(st);
    return out;
}

/* Runs a statement that has no parameters. */
static int run(struct sq *s, enum stmt_id id, const char *what, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, id, &st, err));
    return step_done(s, st, what, err);
}

static int changes(struct sq *s)
{
    return (int)s->db->ops->changes(s->db);
}

static void bind_text(struct sqldb_stmt *st, int i, const char *v)
{
    st->db->ops->bind_text(st, i, v);
}

static void bind_null(struct sqldb_stmt *st, int i)
{
    st->db->ops->bind_null(st, i);
}

static void bind_opt_text(struct sqldb_stmt *st, int i, const char *v)
{
    if (v && *v)
        bind_text(st, i, v);
    else
        bind_null(st, i);
}

static void bind_i64(struct sqldb_stmt *st, int i, int64_t v)
{
    st->db->ops->bind_i64(st, i, v);
}

static void bind_f64(struct sqldb_stmt *st, int i, double v)
{
    st->db->ops->bind_f64(st, i, v);
}

/* 0 is "none": NULL in the database. */
static void bind_id(struct sqldb_stmt *st, int i, int64_t v)
{
    if (v)
        bind_i64(st, i, v);
    else
        bind_null(st, i);
}

static int64_t col_i64(struct sqldb_stmt *st, int i)
{
    return st->db->ops->col_i64(st, i);
}

static double col_f64(struct sqldb_stmt *st, int i)
{
    return st->db->ops->col_f64(st, i);
}

/* A text column; NULL for NULL. */
static const char *col_text(struct sqldb_stmt *st, int i)
{
    size_t n;
    return st->db->ops->col_bytes(st, i, &n);
}

static void col_copy(struct sqldb_stmt *st, int i, char *dst, size_t size)
{
    size_t n = 0;
    const char *t = st->db->ops->col_bytes(st, i, &n);
    if (!t)
        n = 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
}

#define COL_COPY(st, i, arr) col_copy(st, i, arr, sizeof(arr))

/* A heap copy of a text column; NULL for NULL. */
static char *col_dup(struct sqldb_stmt *st, int i)
{
    size_t n = 0;
    const char *t = st->db->ops->col_bytes(st, i, &n);
    if (!t)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memcpy(p, t, n);
    p[n] = '\0';
    return p;
}

/* An enumeration stored by name. The schema's CHECKs keep names valid. */
static int col_enum(struct sqldb_stmt *st, int i, int (*parse)(const char *, void *))
{
    int v = 0;
    parse(col_text(st, i), &v);
    return v;
}

#define ENUM_PARSER(fn, type) \
    static int fn##_any(const char *s, void *out) \
    { \
        enum type v; \
        if (!s || web_##fn##_parse(s, &v) < 0) \
            return ERR_INVALID; \
        *(int *)out = (int)v; \
        return 0; \
    }

ENUM_PARSER(role, web_role)
ENUM_PARSER(contest_role, web_contest_role)
ENUM_PARSER(registration, web_registration)
ENUM_PARSER(rules, web_rules)
ENUM_PARSER(clar_kind, web_clar_kind)
ENUM_PARSER(sub_status, web_sub_status)

typedef void (*row_reader)(struct sqldb_stmt *st, void *row);

/* Reads the one row st yields into row; ERR_NOTFOUND without one. */
static int fetch_one(struct sq *s, struct sqldb_stmt *st, row_reader rd, void *row, const char *notfound,
                     struct err *err)
{
    int rc = step(st);
    int out;
    if (rc == SQLDB_ROW) {
        rd(st, row);
        out = 0;
    } else if (rc == SQLDB_DONE) {
        out = err_set(err, ERR_NOTFOUND, "%s", notfound);
    } else {
        out = sql_error(s, rc, "cannot read", err);
    }
    finish(st);
    return out;
}

/* Appends every row st yields to a list (v_ptr points at its v). */
static int fetch_all(struct sq *s, struct sqldb_stmt *st, row_reader rd, void *v_ptr, size_t *n, size_t elem,
                     struct err *err)
{
    size_t alloc = 0;
    int rc, out = 0;
    while ((rc = step(st)) == SQLDB_ROW) {
        if (*n >= WEB_RESULTS_MAX) {
            out = err_set(err, ERR_LIMIT, "more than %d rows", WEB_RESULTS_MAX);
            break;
        }
        rd(st, web_list_push(v_ptr, n, &alloc, elem));
    }
    if (out == 0 && rc != SQLDB_DONE)
        out = sql_error(s, rc, "cannot read", err);
    finish(st);
    return out;
}

#define FETCH_LIST(s, st, rd, list, release, err) \
    do { \
        int fl_rc_ = fetch_all(s, st, rd, &(list)->v, &(list)->n, sizeof(*(list)->v), err); \
        if (fl_rc_ < 0) \
            release(list); \
        return fl_rc_; \
    } while (0)

static int is_pg(const struct sq *s);

/* A write transaction: BEGIN IMMEDIATE takes the write lock at once, so a
 * transaction never fails halfway for want of it; inside a caller's
 * web_store_tx_begin it is a savepoint instead on SQLite. On PostgreSQL it
 * is nothing there: a savepoint is a subtransaction, and thousands of them
 * in one transaction make every row check slow (a CSV import, the
 * benchmark's world); a failure there ends the caller's transaction anyway,
 * and the caller rolls it back (storage.h, web_store_tx_begin). */
static int wtx_begin(struct sq *s, struct err *err)
{
    if (s->user_tx && is_pg(s))
        return 0;
    return run(s, s->user_tx ? ST_SAVEPOINT : ST_BEGIN, "cannot start a transaction", err);
}

static int wtx_commit(struct sq *s, struct err *err)
{
    if (s->user_tx && is_pg(s))
        return 0;
    return run(s, s->user_tx ? ST_RELEASE : ST_COMMIT, "cannot commit", err);
}

static void wtx_rollback(struct sq *s)
{
    if (s->user_tx && is_pg(s))
        return;
    if (s->user_tx) {
        run(s, ST_ROLLBACK_TO, "rollback", NULL);
        run(s, ST_RELEASE, "rollback", NULL);
    } else if (s->db->ops->in_tx(s->db)) {
        run(s, ST_ROLLBACK, "rollback", NULL);
    }
}

/* scoreboards: ends a write transaction begun for a change and its event:
 * commits when rc is 0, else rolls back; returns rc or the commit's error. */
static int wtx_end(struct sq *s, int rc, struct err *err)
{
    if (rc == 0)
        rc = wtx_commit(s, err);
    if (rc < 0)
        wtx_rollback(s);
    return rc;
}

/* scoreboards: runs an event statement whose one parameter is an id. */
static int event_run(struct sq *s, enum stmt_id id, int64_t a, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, id, &st, err));
    bind_i64(st, 1, a);
    return step_done(s, st, "cannot log an event", err);
}

static int event_add(struct sq *s, int64_t contest_id, const char *kind, int64_t ref_id, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_EVENT_ADD, &st, err));
    bind_i64(st, 1, contest_id);
    bind_text(st, 2, kind);
    bind_i64(st, 3, ref_id);
    return step_done(s, st, "cannot log an event", err);
}

/* Runs a script of statements without parameters (migrations). */
static int exec_script(struct sq *s, const char *sql, const char *what, struct err *err)
{
    return s->db->ops->exec(s->db, sql, what, err);
}

static int is_pg(const struct sq *s)
{
    return strcmp(s->db->ops->engine, "postgresql") == 0;
}

/* ---- lifecycle ------------------------------------------------------------------------ */

static void sq_close(struct web_store *base)
{
    struct sq *s = SQ(base);
    if (s->user_tx)
        run(s, ST_ROLLBACK, "rollback", NULL);
    for (int i = 0; i < ST_COUNT; i++)
        if (s->stmts[i])
            s->db->ops->finalize(s->stmts[i]);
    if (s->db)
        s->db->ops->close(s->db);
    free(s->base.data_dir);
    free(s);
}

static int sq_schema_version(struct web_store *base, int64_t *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SCHEMA_VERSION, &st, err));
    int rc = step(st);
    int res = 0;
    if (rc == SQLDB_ROW)
        *out = col_i64(st, 0);
    else
        res = sql_error(s, rc, "cannot read the schema version", err);
    finish(st);
    return res;
}

/* PostgreSQL checks a REFERENCES when its table is created, SQLite only
 * when rows are written: migration 1's judge_hosts refers to judgings,
 * created after it, so on PostgreSQL that key is added at the end. Applied
 * to the migration's text before it runs; SQLite runs the text as written. */
static const struct {
    int64_t version;
    const char *from, *to, *append;
} pg_fixups[] = {
    { 1, "current_judging_id INTEGER REFERENCES judgings(id)", "current_judging_id INTEGER",
      "ALTER TABLE judge_hosts ADD FOREIGN KEY (current_judging_id) REFERENCES judgings(id);\n" },
};

static int run_migration_sql(struct sq *s, const struct migration *m, const char *what, struct err *err)
{
    if (!is_pg(s))
        return exec_script(s, m->sql, what, err);
    struct buf b;
    buf_init(&b, SIZE_MAX);
    buf_add(&b, m->sql, strlen(m->sql));
    for (size_t i = 0; i < sizeof(pg_fixups) / sizeof(pg_fixups[0]); i++) {
        if (pg_fixups[i].version != m->version)
            continue;
        char *at = strstr(b.buf, pg_fixups[i].from);
        if (!at)
            continue;
        struct buf n;
        buf_init(&n, SIZE_MAX);
        buf_add(&n, b.buf, (size_t)(at - b.buf));
        buf_add(&n, pg_fixups[i].to, strlen(pg_fixups[i].to));
        buf_add(&n, at + strlen(pg_fixups[i].from), strlen(at + strlen(pg_fixups[i].from)));
        buf_add(&n, pg_fixups[i].append, strlen(pg_fixups[i].append));
        buf_release(&b);
        b = n;
    }
    int rc = exec_script(s, b.buf, what, err);
    buf_release(&b);
    return rc;
}

/* Applies one migration and records it, atomically; a no-op if another
 * server applied it while we waited for the write lock. */
static int apply_migration(struct sq *s, const struct migration *m, struct err *err)
{
    char what[128];
    int64_t current;
    struct sqldb_stmt *st = NULL;
    int rc;
    snprintf(what, sizeof(what), "schema migration %lld (%s)", (long long)m->version, m->description);
    TRY(wtx_begin(s, err));
    if ((rc = sq_schema_version(&s->base, &current, err)) < 0)
        goto out;
    if (current >= m->version)
        goto out;
    if ((rc = run_migration_sql(s, m, what, err)) < 0)
        goto out;
    if ((rc = prep(s, ST_SCHEMA_RECORD, &st, err)) < 0)
        goto out;
    bind_i64(st, 1, m->version);
    bind_text(st, 2, m->description);
    if ((rc = step_done(s, st, what, err)) == 0)
        rc = wtx_commit(s, err);
out:
    if (rc < 0 || s->db->ops->in_tx(s->db))
        wtx_rollback(s);
    return rc;
}

static int migrate(struct sq *s, const char *label, struct err *err)
{
    int64_t current;
    /* In the write transaction, so two servers starting at once on a new
     * database do not both create it. */
    TRY(wtx_begin(s, err));
    int rc = exec_script(s, "CREATE TABLE IF NOT EXISTS schema_version (\n"
                            "    version INTEGER PRIMARY KEY,\n"
                            "    applied_at INTEGER NOT NULL,\n"
                            "    description TEXT NOT NULL\n"
                            ")", "cannot create schema_version", err);
    TRY(wtx_end(s, rc, err));
    TRY(sq_schema_version(&s->base, &current, err));
    /* By version, not position: a number reserved for a part that needed no
     * migration leaves a gap, which is harmless. */
    int64_t newest = migrations[NMIGRATIONS - 1].version;
    if (current > newest)
        return err_set(err, ERR_UNSUPPORTED, "'%s' has schema version %lld, newer than this crucible's %lld",
                       label, (long long)current, (long long)newest);
    for (int64_t i = 0; i < NMIGRATIONS; i++)
        if (migrations[i].version > current)
            TRY(apply_migration(s, &migrations[i], err));
    return 0;
}

static const struct web_store_ops sql_ops;

int web_store_sql_open(const char *data_dir, const char *database, struct web_store **out, struct err *err)
{
    char path[PATH_MAX];
    const char *label = path;
    struct sqldb *db = NULL;
    int rc;
    *out = NULL;
    if (sqldb_is_pg(database)) {
        label = "the PostgreSQL database";
        TRY(sqldb_pg_open(database, &db, err));
    } else {
        if (str_fmt(path, sizeof(path), "%s/crucible.db", data_dir) < 0)
            return err_set(err, ERR_LIMIT, "data folder path '%s' is too long", data_dir);
        TRY(sqldb_sqlite_open(path, &db, err));
    }
    struct sq *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->base.ops = &sql_ops;
    s->base.engine = db->ops->engine;
    s->db = db;
    s->base.data_dir = strdup(data_dir);
    if (!s->base.data_dir)
        abort();
    if ((rc = migrate(s, label, err)) < 0) {
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

/* One text value from a parameterless query (SQLite's PRAGMAs). */
static int query_text(struct sq *s, const char *sql, char *out, size_t size, struct err *err)
{
    struct sqldb_stmt *st = NULL;
    TRY(s->db->ops->prepare(s->db, sql, &st, err));
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        col_copy(st, 0, out, size);
    else if (rc == SQLDB_DONE)
        out[0] = '\0';
    else
        res = sql_error(s, rc, sql, err);
    s->db->ops->finalize(st);
    return res;
}

static int sq_check(struct web_store *base, struct err *err)
{
    struct sq *s = SQ(base);
    char first[256];
    if (is_pg(s))           /* PostgreSQL checks its own pages and keys as it writes */
        return query_text(s, "SELECT 'ok'", first, sizeof(first), err);
    TRY(query_text(s, "PRAGMA integrity_check", first, sizeof(first), err));
    if (strcmp(first, "ok") != 0)
        return err_set(err, WEB_STORE_CORRUPT, "integrity check: %s", first);
    TRY(query_text(s, "PRAGMA foreign_key_check", first, sizeof(first), err));
    if (first[0])
        return err_set(err, WEB_STORE_CORRUPT, "foreign key check: a row of '%s' refers to a missing row", first);
    return 0;
}

static int sq_tx_begin(struct web_store *base, struct err *err)
{
    struct sq *s = SQ(base);
    if (s->user_tx)
        return err_set(err, ERR_INVALID, "a transaction is already open");
    TRY(run(s, ST_BEGIN, "cannot start a transaction", err));
    s->user_tx = 1;
    return 0;
}

static int sq_tx_commit(struct web_store *base, struct err *err)
{
    struct sq *s = SQ(base);
    if (!s->user_tx)
        return err_set(err, ERR_INVALID, "no transaction is open");
    s->user_tx = 0;
    if (!s->db->ops->in_tx(s->db))
        return err_set(err, ERR_SYSTEM, "the transaction was rolled back after an error");
    int rc = run(s, ST_COMMIT, "cannot commit", err);
    if (rc < 0)
        wtx_rollback(s);
    return rc;
}

static int sq_tx_rollback(struct web_store *base, struct err *err)
{
    struct sq *s = SQ(base);
    if (!s->user_tx)
        return err_set(err, ERR_INVALID, "no transaction is open");
    s->user_tx = 0;
    wtx_rollback(s);
    return 0;
}

/* ---- settings ---------------------------------------------------------------------------- */

static int sq_setting_get(struct web_store *base, const char *key, char **value, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SETTING_GET, &st, err));
    bind_text(st, 1, key);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        *value = col_dup(st, 0);
    else if (rc == SQLDB_DONE)
        res = err_set(err, ERR_NOTFOUND, "no setting '%s'", key);
    else
        res = sql_error(s, rc, "cannot read a setting", err);
    finish(st);
    return res;
}

static int sq_setting_set(struct web_store *base, const char *key, const char *value, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SETTING_SET, &st, err));
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return step_done(s, st, "cannot write a setting", err);
}

/* ---- users --------------------------------------------------------------------------------- */

static void read_user(struct sqldb_stmt *st, void *row)
{
    struct web_user *u = row;
    u->id = col_i64(st, 0);
    COL_COPY(st, 1, u->name);
    COL_COPY(st, 2, u->display_name);
    COL_COPY(st, 3, u->email);
    COL_COPY(st, 4, u->password_hash);
    u->role = (enum web_role)col_enum(st, 5, role_any);
    u->disabled = (int)col_i64(st, 6);
    u->created_at = col_i64(st, 7);
}

static int sq_user_create(struct web_store *base, struct web_user *u, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_USER_INSERT, &st, err));
    bind_text(st, 1, u->name);
    bind_text(st, 2, u->display_name);
    bind_text(st, 3, u->email);
    bind_text(st, 4, u->password_hash);
    bind_text(st, 5, web_role_name(u->role));
    bind_i64(st, 6, u->disabled);
    bind_i64(st, 7, u->created_at);
    int rc = insert_id(s, st, &u->id, "cannot create a user", err);
    if (rc == WEB_STORE_CONFLICT)
        return err_set(err, rc, "user name '%s' is taken", u->name);
    return rc;
}

static int sq_user_by_id(struct web_store *base, int64_t id, struct web_user *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_USER_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_user, out, "no such user", err);
}

static int sq_user_by_name(struct web_store *base, const char *name, struct web_user *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_USER_BY_NAME, &st, err));
    bind_text(st, 1, name);
    return fetch_one(s, st, read_user, out, "no such user", err);
}

static int sq_user_update(struct web_store *base, const struct web_user *u, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_USER_UPDATE, &st, err));
    bind_i64(st, 1, u->id);
    bind_text(st, 2, u->display_name);
    bind_text(st, 3, u->email);
    bind_text(st, 4, u->password_hash);
    bind_text(st, 5, web_role_name(u->role));
    bind_i64(st, 6, u->disabled);
    TRY(step_done(s, st, "cannot update a user", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no user %lld", (long long)u->id);
}

static int sq_user_list(struct web_store *base, int64_t after_id, size_t limit, struct web_user_list *out,
                        struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_USER_LIST, &st, err));
    bind_i64(st, 1, after_id);
    bind_i64(st, 2, (int64_t)limit);
    FETCH_LIST(s, st, read_user, out, web_user_list_release, err);
}

/* ---- sessions and tokens ---------------------------------------------------------------------- */

static void read_session(struct sqldb_stmt *st, void *row)
{
    struct web_session *x = row;
    x->id = col_i64(st, 0);
    x->user_id = col_i64(st, 1);
    x->created_at = col_i64(st, 2);
    x->expires_at = col_i64(st, 3);
    COL_COPY(st, 4, x->address);
}

static int sq_session_create(struct web_store *base, const char *token_hash, const struct web_session *in,
                             int64_t *id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SESSION_INSERT, &st, err));
    bind_i64(st, 1, in->user_id);
    bind_text(st, 2, token_hash);
    bind_i64(st, 3, in->created_at);
    bind_i64(st, 4, in->expires_at);
    bind_text(st, 5, in->address);
    TRY(insert_id(s, st, &*id, "cannot create a session", err));
    return 0;
}

static int sq_session_lookup(struct web_store *base, const char *token_hash, int64_t now, struct web_session *out,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SESSION_LOOKUP, &st, err));
    bind_text(st, 1, token_hash);
    bind_i64(st, 2, now);
    return fetch_one(s, st, read_session, out, "no such session", err);
}

static int delete_by_text(struct sq *s, enum stmt_id id, const char *v, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, id, &st, err));
    bind_text(st, 1, v);
    return step_done(s, st, "cannot delete", err);
}

static int delete_by_i64(struct sq *s, enum stmt_id id, int64_t v, int64_t *removed, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, id, &st, err));
    bind_i64(st, 1, v);
    TRY(step_done(s, st, "cannot delete", err));
    if (removed)
        *removed = changes(s);
    return 0;
}

static int sq_session_delete(struct web_store *base, const char *token_hash, struct err *err)
{
    return delete_by_text(SQ(base), ST_SESSION_DELETE, token_hash, err);
}

static int sq_session_delete_user(struct web_store *base, int64_t user_id, struct err *err)
{
    return delete_by_i64(SQ(base), ST_SESSION_DELETE_USER, user_id, NULL, err);
}

static int sq_session_purge(struct web_store *base, int64_t now, int64_t *removed, struct err *err)
{
    return delete_by_i64(SQ(base), ST_SESSION_PURGE, now, removed, err);
}

static void read_token(struct sqldb_stmt *st, void *row)
{
    struct web_api_token *t = row;
    t->id = col_i64(st, 0);
    t->user_id = col_i64(st, 1);
    COL_COPY(st, 2, t->name);
    t->created_at = col_i64(st, 3);
    t->expires_at = col_i64(st, 4);
}

static int sq_apitoken_create(struct web_store *base, const char *token_hash, const struct web_api_token *in,
                              int64_t *id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TOKEN_INSERT, &st, err));
    bind_i64(st, 1, in->user_id);
    bind_text(st, 2, in->name);
    bind_text(st, 3, token_hash);
    bind_i64(st, 4, in->created_at);
    bind_i64(st, 5, in->expires_at);
    TRY(insert_id(s, st, &*id, "cannot create an API token", err));
    return 0;
}

static int sq_apitoken_lookup(struct web_store *base, const char *token_hash, int64_t now,
                              struct web_api_token *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TOKEN_LOOKUP, &st, err));
    bind_text(st, 1, token_hash);
    bind_i64(st, 2, now);
    return fetch_one(s, st, read_token, out, "no such token", err);
}

static int sq_apitoken_list(struct web_store *base, int64_t user_id, struct web_api_token_list *out,
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TOKEN_LIST, &st, err));
    bind_i64(st, 1, user_id);
    FETCH_LIST(s, st, read_token, out, web_api_token_list_release, err);
}

static int sq_apitoken_revoke(struct web_store *base, int64_t user_id, int64_t id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TOKEN_REVOKE, &st, err));
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, id);
    TRY(step_done(s, st, "cannot revoke a token", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no token %lld", (long long)id);
}

/* ---- login failures ------------------------------------------------------------------------------ */

static const char *scope_name(enum web_login_scope scope)
{
    return scope == WEB_LOGIN_ACCOUNT ? "account" : "address";
}

static int sq_login_failure_add(struct web_store *base, enum web_login_scope scope, const char *key, int64_t now,
                                int64_t window, int64_t *count, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LOGIN_ADD, &st, err));
    bind_text(st, 1, scope_name(scope));
    bind_text(st, 2, key);
    bind_i64(st, 3, now);
    bind_i64(st, 4, window);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW) {
        if (count)
            *count = col_i64(st, 0);
        while ((rc = step(st)) == SQLDB_ROW)
            ;
    }
    if (rc != SQLDB_DONE)
        res = sql_error(s, rc, "cannot count a login failure", err);
    finish(st);
    return res;
}

static int sq_login_failure_count(struct web_store *base, enum web_login_scope scope, const char *key,
                                  int64_t now, int64_t window, int64_t *count, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LOGIN_COUNT, &st, err));
    bind_text(st, 1, scope_name(scope));
    bind_text(st, 2, key);
    bind_i64(st, 3, now);
    bind_i64(st, 4, window);
    int rc = step(st), res = 0;
    *count = 0;
    if (rc == SQLDB_ROW)
        *count = col_i64(st, 0);
    else if (rc != SQLDB_DONE)
        res = sql_error(s, rc, "cannot read login failures", err);
    finish(st);
    return res;
}

static int sq_login_failure_clear(struct web_store *base, enum web_login_scope scope, const char *key,
                                  struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LOGIN_CLEAR, &st, err));
    bind_text(st, 1, scope_name(scope));
    bind_text(st, 2, key);
    return step_done(s, st, "cannot clear login failures", err);
}

/* ---- audit log ------------------------------------------------------------------------------------ */

static void read_audit(struct sqldb_stmt *st, void *row)
{
    struct web_audit_entry *e = row;
    e->id = col_i64(st, 0);
    e->at = col_i64(st, 1);
    e->actor_user_id = col_i64(st, 2);
    COL_COPY(st, 3, e->address);
    COL_COPY(st, 4, e->action);
    COL_COPY(st, 5, e->target);
    e->detail = col_dup(st, 6);
}

static int sq_audit_add(struct web_store *base, const struct web_audit_entry *e, int64_t *id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AUDIT_INSERT, &st, err));
    bind_i64(st, 1, e->at);
    bind_id(st, 2, e->actor_user_id);
    bind_text(st, 3, e->address);
    bind_text(st, 4, e->action);
    bind_text(st, 5, e->target);
    if (e->detail)
        bind_text(st, 6, e->detail);
    TRY(insert_id(s, st, &*id, "cannot write the audit log", err));
    return 0;
}

static int sq_audit_list(struct web_store *base, int64_t before_id, size_t limit, struct web_audit_entry_list *out,
                         struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AUDIT_LIST, &st, err));
    bind_i64(st, 1, before_id);
    bind_i64(st, 2, (int64_t)limit);
    FETCH_LIST(s, st, read_audit, out, web_audit_entry_list_release, err);
}

/* ---- judge hosts ------------------------------------------------------------------------------------ */

static void read_host(struct sqldb_stmt *st, void *row)
{
    struct web_judge_host *h = row;
    h->id = col_i64(st, 0);
    COL_COPY(st, 1, h->name);
    h->enabled = (int)col_i64(st, 2);
    h->created_at = col_i64(st, 3);
    h->last_heartbeat = col_i64(st, 4);
    h->current_judging_id = col_i64(st, 5);
    h->capabilities = col_dup(st, 6);
}

static int sq_judge_host_create(struct web_store *base, const char *token_hash, struct web_judge_host *h,
                                struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_INSERT, &st, err));
    bind_text(st, 1, h->name);
    bind_text(st, 2, token_hash);
    bind_i64(st, 3, h->enabled);
    bind_i64(st, 4, h->created_at);
    bind_text(st, 5, h->capabilities ? h->capabilities : "{}");
    int rc = insert_id(s, st, &h->id, "cannot create a judge host", err);
    if (rc == WEB_STORE_CONFLICT)
        return err_set(err, rc, "judge host name '%s' is taken", h->name);
    return rc;
}

static int sq_judge_host_by_id(struct web_store *base, int64_t id, struct web_judge_host *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_host, out, "no such judge host", err);
}

static int sq_judge_host_by_token(struct web_store *base, const char *token_hash, struct web_judge_host *out,
                                  struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_BY_TOKEN, &st, err));
    bind_text(st, 1, token_hash);
    return fetch_one(s, st, read_host, out, "unknown token", err);
}

static int sq_judge_host_by_name(struct web_store *base, const char *name, struct web_judge_host *out,
                                 struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_BY_NAME, &st, err));
    bind_text(st, 1, name);
    return fetch_one(s, st, read_host, out, "no such judge host", err);
}

static int sq_judge_host_update(struct web_store *base, const struct web_judge_host *h, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_UPDATE, &st, err));
    bind_i64(st, 1, h->id);
    bind_i64(st, 2, h->enabled);
    bind_text(st, 3, h->capabilities ? h->capabilities : "{}");
    TRY(step_done(s, st, "cannot update a judge host", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no judge host %lld", (long long)h->id);
}

static int sq_judge_host_list(struct web_store *base, struct web_judge_host_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_LIST, &st, err));
    FETCH_LIST(s, st, read_host, out, web_judge_host_list_release, err);
}

static int sq_judge_host_heartbeat(struct web_store *base, int64_t id, int64_t now, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_HEARTBEAT, &st, err));
    bind_i64(st, 1, id);
    bind_i64(st, 2, now);
    TRY(step_done(s, st, "cannot record a heartbeat", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no judge host %lld", (long long)id);
}

/* ---- problems ------------------------------------------------------------------------------------------ */

/* problem tags: the difficulty and tags in columns i and i + 1 (below). */
static void problem_tags_read(struct sqldb_stmt *st, int i, struct web_problem *p);
static int problem_tags_write(struct sq *s, const struct web_problem *p, struct err *err);

static void read_problem(struct sqldb_stmt *st, void *row)
{
    struct web_problem *p = row;
    p->id = col_i64(st, 0);
    COL_COPY(st, 1, p->short_name);
    COL_COPY(st, 2, p->title);
    COL_COPY(st, 3, p->package_hash);
    p->time_limit = col_f64(st, 4);
    p->memory_limit = col_i64(st, 5);
    COL_COPY(st, 6, p->type);
    p->published = (int)col_i64(st, 7);
    p->created_by = col_i64(st, 8);
    p->created_at = col_i64(st, 9);
    p->time_limit_inferred = (int)col_i64(st, 10);
    COL_COPY(st, 11, p->statement_hash);
    COL_COPY(st, 12, p->samples_hash);
    problem_tags_read(st, 13, p);
}

static int sq_problem_create(struct web_store *base, struct web_problem *p, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_INSERT, &st, err));
    TRY(wtx_begin(s, err));                 /* with its tags */
    bind_text(st, 1, p->short_name);
    bind_text(st, 2, p->title);
    bind_text(st, 3, p->package_hash);
    bind_f64(st, 4, p->time_limit);
    bind_i64(st, 5, p->memory_limit);
    bind_text(st, 6, p->type);
    bind_i64(st, 7, p->published);
    bind_id(st, 8, p->created_by);
    bind_i64(st, 9, p->created_at);
    bind_i64(st, 10, p->time_limit_inferred);
    bind_text(st, 11, p->statement_hash);
    bind_text(st, 12, p->samples_hash);
    bind_id(st, 13, p->difficulty);
    int rc = insert_id(s, st, &p->id, "cannot create a problem", err);
    if (rc == WEB_STORE_CONFLICT)
        rc = err_set(err, rc, "problem name '%s' is taken", p->short_name);
    if (rc == 0) {
        rc = problem_tags_write(s, p, err);
    }
    return wtx_end(s, rc, err);
}

static int sq_problem_by_id(struct web_store *base, int64_t id, struct web_problem *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_problem, out, "no such problem", err);
}

static int sq_problem_by_name(struct web_store *base, const char *short_name, struct web_problem *out,
                              struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_BY_NAME, &st, err));
    bind_text(st, 1, short_name);
    return fetch_one(s, st, read_problem, out, "no such problem", err);
}

static int sq_problem_update(struct web_store *base, const struct web_problem *p, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_UPDATE, &st, err));
    TRY(wtx_begin(s, err));                 /* with its tags */
    bind_i64(st, 1, p->id);
    bind_text(st, 2, p->title);
    bind_text(st, 3, p->package_hash);
    bind_f64(st, 4, p->time_limit);
    bind_i64(st, 5, p->memory_limit);
    bind_text(st, 6, p->type);
    bind_i64(st, 7, p->published);
    bind_i64(st, 8, p->time_limit_inferred);
    bind_text(st, 9, p->statement_hash);
    bind_text(st, 10, p->samples_hash);
    bind_id(st, 11, p->difficulty);
    int rc = step_done(s, st, "cannot update a problem", err);
    if (rc == 0 && !changes(s))
        rc = err_set(err, ERR_NOTFOUND, "no problem %lld", (long long)p->id);
    if (rc == 0)
        rc = problem_tags_write(s, p, err);
    return wtx_end(s, rc, err);
}

static int sq_problem_list(struct web_store *base, int published_only, int64_t after_id, size_t limit,
                           struct web_problem_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_LIST, &st, err));
    bind_i64(st, 1, published_only);
    bind_i64(st, 2, after_id);
    bind_i64(st, 3, (int64_t)limit);
    FETCH_LIST(s, st, read_problem, out, web_problem_list_release, err);
}

/* ---- contests ------------------------------------------------------------------------------------------ */

static void read_contest(struct sqldb_stmt *st, void *row)
{
    struct web_contest *c = row;
    c->id = col_i64(st, 0);
    COL_COPY(st, 1, c->short_name);
    COL_COPY(st, 2, c->title);
    c->start_time = col_i64(st, 3);
    c->duration = col_i64(st, 4);
    c->freeze = col_i64(st, 5);
    c->unfrozen = (int)col_i64(st, 6);
    c->is_public = (int)col_i64(st, 7);
    c->registration = (enum web_registration)col_enum(st, 8, registration_any);
    COL_COPY(st, 9, c->registration_code);
    c->team_mode = (int)col_i64(st, 10);
    c->rules = (enum web_rules)col_enum(st, 11, rules_any);
    c->penalty_minutes = col_i64(st, 12);
    COL_COPY(st, 13, c->languages);
    c->max_submissions = col_i64(st, 14);
    c->submission_interval = col_i64(st, 15);
    c->created_by = col_i64(st, 16);
    c->created_at = col_i64(st, 17);
    /* AI leaderboards */
    c->final_submissions = col_i64(st, 18);
    c->daily_submissions = col_i64(st, 19);
    c->private_published = (int)col_i64(st, 20);
    c->rated = (int)col_i64(st, 21);        /* talent */
}

/* Parameters 2..15 shared by insert (after ?1 short_name) and update (after ?1 id). */
static void bind_contest_fields(struct sqldb_stmt *st, const struct web_contest *c)
{
    bind_text(st, 2, c->title);
    bind_i64(st, 3, c->start_time);
    bind_i64(st, 4, c->duration);
    bind_i64(st, 5, c->freeze);
    bind_i64(st, 6, c->unfrozen);
    bind_i64(st, 7, c->is_public);
    bind_text(st, 8, web_registration_name(c->registration));
    bind_text(st, 9, c->registration_code);
    bind_i64(st, 10, c->team_mode);
    bind_text(st, 11, web_rules_name(c->rules));
    bind_i64(st, 12, c->penalty_minutes);
    bind_text(st, 13, c->languages);
    bind_i64(st, 14, c->max_submissions);
    bind_i64(st, 15, c->submission_interval);
    /* AI leaderboards: ?18 to ?20 in both statements */
    bind_i64(st, 18, c->final_submissions);
    bind_i64(st, 19, c->daily_submissions);
    bind_i64(st, 20, c->private_published);
    bind_i64(st, 21, c->rated);             /* talent: ?21 in both */
}

static int contest_create_row(struct web_store *base, struct web_contest *c, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CONTEST_INSERT, &st, err));
    bind_text(st, 1, c->short_name);
    bind_contest_fields(st, c);
    bind_id(st, 16, c->created_by);
    bind_i64(st, 17, c->created_at);
    int rc = insert_id(s, st, &c->id, "cannot create a contest", err);
    if (rc == WEB_STORE_CONFLICT)
        return err_set(err, rc, "contest name '%s' is taken", c->short_name);
    return rc;
}

static int sq_contest_by_id(struct web_store *base, int64_t id, struct web_contest *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CONTEST_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_contest, out, "no such contest", err);
}

static int sq_contest_by_name(struct web_store *base, const char *short_name, struct web_contest *out,
                              struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CONTEST_BY_NAME, &st, err));
    bind_text(st, 1, short_name);
    return fetch_one(s, st, read_contest, out, "no such contest", err);
}

static int contest_update_row(struct web_store *base, const struct web_contest *c, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CONTEST_UPDATE, &st, err));
    bind_i64(st, 1, c->id);
    bind_contest_fields(st, c);
    TRY(step_done(s, st, "cannot update a contest", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no contest %lld", (long long)c->id);
}

static int sq_contest_list(struct web_store *base, int64_t after_id, size_t limit, struct web_contest_list *out,
                           struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CONTEST_LIST, &st, err));
    bind_i64(st, 1, after_id);
    bind_i64(st, 2, (int64_t)limit);
    FETCH_LIST(s, st, read_contest, out, web_contest_list_release, err);
}

static void read_cp(struct sqldb_stmt *st, void *row)
{
    struct web_contest_problem *cp = row;
    cp->contest_id = col_i64(st, 0);
    cp->problem_id = col_i64(st, 1);
    COL_COPY(st, 2, cp->label);
    COL_COPY(st, 3, cp->color);
    cp->points = col_f64(st, 4);
    cp->ordinal = col_i64(st, 5);
}

static int contest_problem_put_row(struct web_store *base, const struct web_contest_problem *cp, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CP_PUT, &st, err));
    bind_i64(st, 1, cp->contest_id);
    bind_i64(st, 2, cp->problem_id);
    bind_text(st, 3, cp->label);
    bind_text(st, 4, cp->color);
    bind_f64(st, 5, cp->points);
    bind_i64(st, 6, cp->ordinal);
    int rc = step_done(s, st, "cannot add a problem to a contest", err);
    if (rc == WEB_STORE_CONFLICT)
        return err_set(err, rc, "label '%s' is taken in this contest", cp->label);
    return rc;
}

static int contest_problem_remove_row(struct web_store *base, int64_t contest_id, int64_t problem_id,
                                      struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CP_REMOVE, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, problem_id);
    TRY(step_done(s, st, "cannot remove a problem from a contest", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "problem %lld is not in contest %lld",
                                    (long long)problem_id, (long long)contest_id);
}

static int sq_contest_problems(struct web_store *base, int64_t contest_id, struct web_contest_problem_list *out,
                               struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CP_LIST, &st, err));
    bind_i64(st, 1, contest_id);
    FETCH_LIST(s, st, read_cp, out, web_contest_problem_list_release, err);
}

/* ---- teams and participants ------------------------------------------------------------------------------ */

static void read_team(struct sqldb_stmt *st, void *row)
{
    struct web_team *t = row;
    t->id = col_i64(st, 0);
    t->contest_id = col_i64(st, 1);
    COL_COPY(st, 2, t->name);
    t->created_at = col_i64(st, 3);
}

static int team_create_row(struct web_store *base, struct web_team *t, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TEAM_INSERT, &st, err));
    bind_i64(st, 1, t->contest_id);
    bind_text(st, 2, t->name);
    bind_i64(st, 3, t->created_at);
    int rc = insert_id(s, st, &t->id, "cannot create a team", err);
    if (rc == WEB_STORE_CONFLICT)
        return err_set(err, rc, "team name '%s' is taken in this contest", t->name);
    return rc;
}

static int sq_team_by_id(struct web_store *base, int64_t id, struct web_team *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TEAM_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_team, out, "no such team", err);
}

static int sq_teams_of_contest(struct web_store *base, int64_t contest_id, struct web_team_list *out,
                               struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TEAM_LIST, &st, err));
    bind_i64(st, 1, contest_id);
    FETCH_LIST(s, st, read_team, out, web_team_list_release, err);
}

static void read_part(struct sqldb_stmt *st, void *row)
{
    struct web_participant *p = row;
    p->contest_id = col_i64(st, 0);
    p->user_id = col_i64(st, 1);
    p->role = (enum web_contest_role)col_enum(st, 2, contest_role_any);
    p->team_id = col_i64(st, 3);
    p->registered_at = col_i64(st, 4);
}

static int participant_put_row(struct web_store *base, const struct web_participant *p, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PART_PUT, &st, err));
    bind_i64(st, 1, p->contest_id);
    bind_i64(st, 2, p->user_id);
    bind_text(st, 3, web_contest_role_name(p->role));
    bind_id(st, 4, p->team_id);
    bind_i64(st, 5, p->registered_at);
    int rc = step_done(s, st, "cannot register a participant", err);
    if (rc == ERR_INVALID)
        return err_set(err, rc, "no such user or contest, or team %lld is not in contest %lld",
                       (long long)p->team_id, (long long)p->contest_id);
    return rc;
}

static int sq_participant_get(struct web_store *base, int64_t contest_id, int64_t user_id,
                              struct web_participant *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PART_GET, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, user_id);
    return fetch_one(s, st, read_part, out, "not registered in this contest", err);
}

static int participant_remove_row(struct web_store *base, int64_t contest_id, int64_t user_id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PART_REMOVE, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, user_id);
    TRY(step_done(s, st, "cannot remove a participant", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "not registered in this contest");
}

static int sq_participants(struct web_store *base, int64_t contest_id, int64_t team_id,
                           struct web_participant_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PART_LIST, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, team_id);
    FETCH_LIST(s, st, read_part, out, web_participant_list_release, err);
}

/* ---- clarifications ---------------------------------------------------------------------------------------- */

static void read_clar(struct sqldb_stmt *st, void *row)
{
    struct web_clarification *c = row;
    c->id = col_i64(st, 0);
    c->contest_id = col_i64(st, 1);
    c->problem_id = col_i64(st, 2);
    c->kind = (enum web_clar_kind)col_enum(st, 3, clar_kind_any);
    c->from_user_id = col_i64(st, 4);
    c->to_user_id = col_i64(st, 5);
    c->team_id = col_i64(st, 6);
    c->reply_to = col_i64(st, 7);
    c->created_at = col_i64(st, 8);
    c->text = col_dup(st, 9);
}

static int clarification_create_row(struct web_store *base, struct web_clarification *c, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CLAR_INSERT, &st, err));
    bind_i64(st, 1, c->contest_id);
    bind_id(st, 2, c->problem_id);
    bind_text(st, 3, web_clar_kind_name(c->kind));
    bind_id(st, 4, c->from_user_id);
    bind_id(st, 5, c->to_user_id);
    bind_id(st, 6, c->team_id);
    bind_id(st, 7, c->reply_to);
    bind_i64(st, 8, c->created_at);
    bind_text(st, 9, c->text);
    TRY(insert_id(s, st, &c->id, "cannot create a clarification", err));
    return 0;
}

static int sq_clarification_by_id(struct web_store *base, int64_t id, struct web_clarification *out,
                                  struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CLAR_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_clar, out, "no such clarification", err);
}

static int sq_clarifications_for(struct web_store *base, int64_t contest_id, int64_t user_id, int64_t team_id,
                                 struct web_clarification_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CLAR_FOR, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, user_id);
    bind_i64(st, 3, team_id);
    FETCH_LIST(s, st, read_clar, out, web_clarification_list_release, err);
}

/* ---- submissions and judgings ---------------------------------------------------------------------------------- */

static void read_sub(struct sqldb_stmt *st, void *row)
{
    struct web_submission *x = row;
    x->id = col_i64(st, 0);
    x->user_id = col_i64(st, 1);
    x->team_id = col_i64(st, 2);
    x->contest_id = col_i64(st, 3);
    x->problem_id = col_i64(st, 4);
    COL_COPY(st, 5, x->language);
    COL_COPY(st, 6, x->filename);
    COL_COPY(st, 7, x->source_hash);
    x->source_size = col_i64(st, 8);
    x->submitted_at = col_i64(st, 9);
    x->status = (enum web_sub_status)col_enum(st, 10, sub_status_any);
    x->ignored = (int)col_i64(st, 11);
    x->assignment_id = col_i64(st, 12);     /* courses */
    x->samples_only = (int)col_i64(st, 13); /* judge: run on samples */
}

static int submission_create_row(struct web_store *base, struct web_submission *sub, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SUB_INSERT, &st, err));
    bind_i64(st, 1, sub->user_id);
    bind_id(st, 2, sub->team_id);
    bind_id(st, 3, sub->contest_id);
    bind_i64(st, 4, sub->problem_id);
    bind_text(st, 5, sub->language);
    bind_text(st, 6, sub->filename);
    bind_text(st, 7, sub->source_hash);
    bind_i64(st, 8, sub->source_size);
    bind_i64(st, 9, sub->submitted_at);
    bind_i64(st, 10, sub->ignored);
    bind_id(st, 11, sub->assignment_id);    /* courses */
    bind_i64(st, 12, sub->samples_only != 0);   /* judge: run on samples */
    TRY(insert_id(s, st, &sub->id, "cannot create a submission", err));
    return 0;
}

static int sq_submission_by_id(struct web_store *base, int64_t id, struct web_submission *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SUB_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_sub, out, "no such submission", err);
}

static void bind_filter(struct sqldb_stmt *st, const struct web_submission_filter *f)
{
    bind_i64(st, 1, f->contest_id);
    bind_i64(st, 2, f->user_id);
    bind_i64(st, 3, f->team_id);
    bind_i64(st, 4, f->problem_id);
    bind_text(st, 5, f->status < 0 ? "" : web_sub_status_name((enum web_sub_status)f->status));
    bind_i64(st, 6, f->before_id);
    bind_i64(st, 8, f->counted_only != 0);   /* judge: run on samples */
}

static int sq_submission_list(struct web_store *base, const struct web_submission_filter *f,
                              struct web_submission_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SUB_LIST, &st, err));
    bind_filter(st, f);
    bind_i64(st, 7, (int64_t)f->limit);
    FETCH_LIST(s, st, read_sub, out, web_submission_list_release, err);
}

static int sq_submission_count(struct web_store *base, const struct web_submission_filter *f, int64_t *count,
                               struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SUB_COUNT, &st, err));
    bind_filter(st, f);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        *count = col_i64(st, 0);
    else
        res = sql_error(s, rc, "cannot count submissions", err);
    finish(st);
    return res;
}

static int submission_set_ignored_row(struct web_store *base, int64_t id, int ignored, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SUB_IGNORE, &st, err));
    bind_i64(st, 1, id);
    bind_i64(st, 2, ignored);
    TRY(step_done(s, st, "cannot update a submission", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no submission %lld", (long long)id);
}

static void read_result(struct sqldb_stmt *st, void *row)
{
    struct web_contest_result *r = row;
    r->submission_id = col_i64(st, 0);
    r->user_id = col_i64(st, 1);
    r->team_id = col_i64(st, 2);
    r->problem_id = col_i64(st, 3);
    r->submitted_at = col_i64(st, 4);
    r->status = (enum web_sub_status)col_enum(st, 5, sub_status_any);
    COL_COPY(st, 6, r->verdict);
    r->score = col_f64(st, 7);
    r->contest_id = col_i64(st, 8);
    r->ignored = (int)col_i64(st, 9);
    r->judging_id = col_i64(st, 10);
    r->max_score = col_f64(st, 11);
}

static int sq_contest_results(struct web_store *base, int64_t contest_id, struct web_contest_result_list *out,
                              struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_RESULTS, &st, err));
    bind_i64(st, 1, contest_id);
    FETCH_LIST(s, st, read_result, out, web_contest_result_list_release, err);
}

static void read_judging(struct sqldb_stmt *st, void *row)
{
    struct web_judging *j = row;
    j->id = col_i64(st, 0);
    j->submission_id = col_i64(st, 1);
    j->judge_host_id = col_i64(st, 2);
    j->started_at = col_i64(st, 3);
    j->lease_expires = col_i64(st, 4);
    j->finished_at = col_i64(st, 5);
    COL_COPY(st, 6, j->verdict);
    j->score = col_f64(st, 7);
    j->time_seconds = col_f64(st, 8);
    j->memory_bytes = col_i64(st, 9);
    COL_COPY(st, 10, j->compile_output_hash);
    j->valid = (int)col_i64(st, 11);
    j->max_score = col_f64(st, 12);
    COL_COPY(st, 13, j->message);
}

static int sq_judging_by_id(struct web_store *base, int64_t id, struct web_judging *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_JUDGING_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_judging, out, "no such judging", err);
}

static int sq_judgings_of_submission(struct web_store *base, int64_t submission_id, struct web_judging_list *out,
                                     struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_JUDGINGS_OF, &st, err));
    bind_i64(st, 1, submission_id);
    FETCH_LIST(s, st, read_judging, out, web_judging_list_release, err);
}

static void read_test(struct sqldb_stmt *st, void *row)
{
    struct web_test_result *t = row;
    t->ordinal = col_i64(st, 0);
    t->name = col_dup(st, 1);
    COL_COPY(st, 2, t->verdict);
    t->time_seconds = col_f64(st, 3);
    t->wall_seconds = col_f64(st, 4);
    t->memory_bytes = col_i64(st, 5);
    t->score = col_f64(st, 6);
    t->message = col_dup(st, 7);
}

static int sq_judging_tests(struct web_store *base, int64_t judging_id, struct web_test_result_list *out,
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_TESTS_OF, &st, err));
    bind_i64(st, 1, judging_id);
    FETCH_LIST(s, st, read_test, out, web_test_result_list_release, err);
}

/* ---- the judging queue (see "how this works" in storage.h) ------------------------------------------------------ */

static int run_i64(struct sq *s, enum stmt_id id, int64_t a, const char *what, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, id, &st, err));
    bind_i64(st, 1, a);
    return step_done(s, st, what, err);
}

/* Puts jobs whose lease ran out back on the queue; inside a write transaction.
 * Order matters: submissions and hosts are found through the judgings that
 * are still valid, so the judgings are invalidated last. */
static int expire_locked(struct sq *s, int64_t now, int64_t *expired, struct err *err)
{
    TRY(event_run(s, ST_EVENT_EXPIRED, now, err));
    TRY(run_i64(s, ST_EXPIRE_SUBS, now, "cannot expire leases", err));
    TRY(run_i64(s, ST_EXPIRE_HOSTS, now, "cannot expire leases", err));
    TRY(run_i64(s, ST_EXPIRE_JUDGINGS, now, "cannot expire leases", err));
    if (expired)
        *expired = changes(s);
    return 0;
}

static int sq_job_expire(struct web_store *base, int64_t now, int64_t *expired, struct err *err)
{
    struct sq *s = SQ(base);
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = expire_locked(s, now, expired, err)) < 0 || (rc = wtx_commit(s, err)) < 0)
        wtx_rollback(s);
    return rc;
}

static void read_job(struct sqldb_stmt *st, void *row)
{
    struct web_job *j = row;
    j->submission_id = col_i64(st, 0);
    j->problem_id = col_i64(st, 1);
    j->contest_id = col_i64(st, 2);
    COL_COPY(st, 3, j->language);
    COL_COPY(st, 4, j->filename);
    COL_COPY(st, 5, j->source_hash);
    j->source_size = col_i64(st, 6);
    COL_COPY(st, 7, j->package_hash);
    j->time_limit = col_f64(st, 8);
    j->memory_limit = col_i64(st, 9);
    j->gpus = col_i64(st, 10);              /* compute budgets */
    j->samples_only = (int)col_i64(st, 11); /* judge: run on samples */
}

static int claim_locked(struct sq *s, int64_t judge_id, const struct web_claim_caps *caps, int64_t lease_seconds,
                        int64_t now, struct web_job *out, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_HOST_CLAIMING, &st, err));
    bind_i64(st, 1, judge_id);
    bind_i64(st, 2, now);
    TRY(step_done(s, st, "cannot claim a job", err));
    if (!changes(s))
        return err_set(err, ERR_INVALID, "judge host %lld is unknown or disabled", (long long)judge_id);
    TRY(expire_locked(s, now, NULL, err));

    TRY(prep(s, ST_QUEUE_HEAD, &st, err));
    bind_text(st, 1, caps->languages);
    bind_i64(st, 2, caps->gpus);
    bind_i64(st, 3, caps->memory_bytes);
    bind_i64(st, 4, caps->max_jobs_per_user);
    TRY(fetch_one(s, st, read_job, out, "no queued submission", err));

    TRY(prep(s, ST_JUDGING_START, &st, err));
    bind_i64(st, 1, out->submission_id);
    bind_i64(st, 2, judge_id);
    bind_i64(st, 3, now);
    bind_i64(st, 4, now + lease_seconds);
    TRY(insert_id(s, st, &out->judging_id, "cannot start a judging", err));
    out->lease_expires = now + lease_seconds;
    TRY(event_run(s, ST_EVENT_JUDGING, out->judging_id, err));

    TRY(prep(s, ST_SUB_STATUS, &st, err));
    bind_i64(st, 1, out->submission_id);
    bind_text(st, 2, web_sub_status_name(WEB_SUB_JUDGING));
    TRY(step_done(s, st, "cannot claim a job", err));

    TRY(prep(s, ST_HOST_SET_JOB, &st, err));
    bind_i64(st, 1, judge_id);
    bind_i64(st, 2, out->judging_id);
    return step_done(s, st, "cannot claim a job", err);
}

/* compute budgets and scheduling: every claim goes through here. */
static int sq_job_claim_caps(struct web_store *base, int64_t judge_id, const struct web_claim_caps *caps,
                             int64_t lease_seconds, int64_t now, struct web_job *out, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = claim_locked(s, judge_id, caps, lease_seconds, now, out, err);
    /* An empty queue still commits the expiries and the host's heartbeat. */
    if (rc == 0 || rc == ERR_NOTFOUND) {
        struct err cerr;
        int crc = wtx_commit(s, &cerr);
        if (crc < 0) {
            if (err)
                *err = cerr;
            rc = crc;
        }
    }
    if (rc < 0 && rc != ERR_NOTFOUND) {
        wtx_rollback(s);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

/* Without capabilities: no GPUs, no memory check, no cap on jobs per user. */
static int sq_job_claim(struct web_store *base, int64_t judge_id, const char *languages, int64_t lease_seconds,
                        int64_t now, struct web_job *out, struct err *err)
{
    struct web_claim_caps caps = { .languages = languages };
    return sq_job_claim_caps(base, judge_id, &caps, lease_seconds, now, out, err);
}

/* Says why judge judge_id may not touch judging judging_id. */
static int lease_conflict(struct sq *s, int64_t judge_id, int64_t judging_id, int64_t now, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LEASE_STATE, &st, err));
    bind_i64(st, 1, judging_id);
    int rc = step(st), res;
    if (rc == SQLDB_ROW) {
        int64_t holder = col_i64(st, 0), valid = col_i64(st, 1), finished = col_i64(st, 2),
                expires = col_i64(st, 3);
        if (holder != judge_id)
            res = err_set(err, WEB_STORE_CONFLICT, "judging %lld belongs to another judge host",
                          (long long)judging_id);
        else if (finished)
            res = err_set(err, WEB_STORE_CONFLICT, "judging %lld is already complete", (long long)judging_id);
        else if (!valid)
            res = err_set(err, WEB_STORE_CONFLICT, "judging %lld was cancelled (expired or rejudged)",
                          (long long)judging_id);
        else if (expires <= now)
            res = err_set(err, WEB_STORE_CONFLICT, "the lease on judging %lld has expired", (long long)judging_id);
        else
            res = err_set(err, WEB_STORE_CONFLICT, "judging %lld changed meanwhile", (long long)judging_id);
    } else if (rc == SQLDB_DONE) {
        res = err_set(err, ERR_NOTFOUND, "no judging %lld", (long long)judging_id);
    } else {
        res = sql_error(s, rc, "cannot read a judging", err);
    }
    finish(st);
    return res;
}

static int heartbeat_locked(struct sq *s, int64_t judge_id, int64_t judging_id, int64_t lease_seconds,
                            int64_t now, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LEASE_RENEW, &st, err));
    bind_i64(st, 1, judging_id);
    bind_i64(st, 2, judge_id);
    bind_i64(st, 3, now);
    bind_i64(st, 4, now + lease_seconds);
    TRY(step_done(s, st, "cannot renew a lease", err));
    if (!changes(s))
        return lease_conflict(s, judge_id, judging_id, now, err);
    TRY(prep(s, ST_HOST_HEARTBEAT, &st, err));
    bind_i64(st, 1, judge_id);
    bind_i64(st, 2, now);
    return step_done(s, st, "cannot record a heartbeat", err);
}

static int sq_job_heartbeat(struct web_store *base, int64_t judge_id, int64_t judging_id, int64_t lease_seconds,
                            int64_t now, struct err *err)
{
    struct sq *s = SQ(base);
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = heartbeat_locked(s, judge_id, judging_id, lease_seconds, now, err)) < 0 ||
        (rc = wtx_commit(s, err)) < 0)
        wtx_rollback(s);
    return rc;
}

/* One test result of a judging, with ST_TEST_INSERT (the result) or
 * ST_PROGRESS_TEST (progress: replaces the same ordinal). */
static int test_store(struct sq *s, enum stmt_id which, int64_t judging_id, int64_t ordinal,
                      const struct web_test_result *t, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, which, &st, err));
    bind_i64(st, 1, judging_id);
    bind_i64(st, 2, ordinal);
    bind_text(st, 3, t->name);
    bind_text(st, 4, t->verdict);
    bind_f64(st, 5, t->time_seconds);
    bind_f64(st, 6, t->wall_seconds);
    bind_i64(st, 7, t->memory_bytes);
    bind_f64(st, 8, t->score);
    bind_opt_text(st, 9, t->message);
    return step_done(s, st, "cannot store a test result", err);
}

/* compute budgets: what the judging used, with its result. */
static int compute_store_locked(struct sq *s, int64_t judging_id, const struct web_judging_result *res,
                                struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_JUDGING_COMPUTE, &st, err));
    bind_i64(st, 1, judging_id);
    bind_f64(st, 2, res->cpu_seconds);
    bind_f64(st, 3, res->gpu_seconds);
    return step_done(s, st, "cannot record compute use", err);
}

static int complete_locked(struct sq *s, int64_t judge_id, int64_t judging_id, const struct web_judging_result *res,
                           int64_t now, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_JUDGING_FINISH, &st, err));
    bind_i64(st, 1, judging_id);
    bind_i64(st, 2, judge_id);
    bind_i64(st, 3, now);
    bind_text(st, 4, res->verdict);
    bind_f64(st, 5, res->score);
    bind_f64(st, 6, res->time_seconds);
    bind_i64(st, 7, res->memory_bytes);
    bind_opt_text(st, 8, res->compile_output_hash);
    bind_f64(st, 9, res->max_score);
    bind_opt_text(st, 10, res->message);
    TRY(step_done(s, st, "cannot complete a judging", err));
    if (!changes(s))
        return lease_conflict(s, judge_id, judging_id, now, err);
    TRY(compute_store_locked(s, judging_id, res, err));    /* compute budgets */

    /* The result replaces whatever progress posted (live judging progress). */
    TRY(run_i64(s, ST_PROGRESS_CLEAR, judging_id, "cannot complete a judging", err));
    for (size_t i = 0; i < res->ntests; i++)
        TRY(test_store(s, ST_TEST_INSERT, judging_id, (int64_t)i, &res->tests[i], err));
    if (res->ngroups)
        TRY(prep(s, ST_GROUP_INSERT, &st, err));
    for (size_t i = 0; i < res->ngroups; i++) {
        const struct web_judging_group *g = &res->groups[i];
        bind_i64(st, 1, judging_id);
        bind_i64(st, 2, (int64_t)i);
        bind_text(st, 3, g->name);
        bind_f64(st, 4, g->score);
        bind_f64(st, 5, g->max_score);
        TRY(step_done(s, st, "cannot store a group result", err));
    }
    TRY(event_run(s, ST_EVENT_JUDGING, judging_id, err));

    TRY(run_i64(s, ST_SUB_JUDGED, judging_id, "cannot complete a judging", err));
    TRY(prep(s, ST_HOST_DONE, &st, err));
    bind_i64(st, 1, judge_id);
    bind_i64(st, 2, judging_id);
    bind_i64(st, 3, now);
    return step_done(s, st, "cannot complete a judging", err);
}

static int sq_job_complete(struct web_store *base, int64_t judge_id, int64_t judging_id,
                           const struct web_judging_result *res, int64_t now, struct err *err)
{
    struct sq *s = SQ(base);
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = complete_locked(s, judge_id, judging_id, res, now, err)) < 0 || (rc = wtx_commit(s, err)) < 0)
        wtx_rollback(s);
    return rc;
}

static int rejudge_locked(struct sq *s, int64_t submission_id, struct err *err)
{
    TRY(run_i64(s, ST_REJUDGE_SUB, submission_id, "cannot rejudge", err));
    if (!changes(s))
        return err_set(err, ERR_NOTFOUND, "no submission %lld", (long long)submission_id);
    TRY(event_run(s, ST_EVENT_REJUDGE, submission_id, err));
    TRY(event_run(s, ST_EVENT_SUB, submission_id, err));
    TRY(run_i64(s, ST_REJUDGE_HOSTS, submission_id, "cannot rejudge", err));
    return run_i64(s, ST_REJUDGE_JUDGINGS, submission_id, "cannot rejudge", err);
}

static int sq_rejudge(struct web_store *base, int64_t submission_id, struct err *err)
{
    struct sq *s = SQ(base);
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = rejudge_locked(s, submission_id, err)) < 0 || (rc = wtx_commit(s, err)) < 0)
        wtx_rollback(s);
    return rc;
}

/* ---- rejudgings (the jury) ------------------------------------------------------------------------------------
 * A rejudging is recorded and carried out in one write transaction: the
 * selected submissions and their judgings in effect are copied into
 * rejudging_submissions, then each submission goes through rejudge_locked,
 * exactly as a single rejudge would (so whatever else a rejudge does, the
 * event log included, happens for every one). "After" is the verdict of a
 * valid finished judging newer than the one recorded before.
 */
static void bind_rej_filter(struct sqldb_stmt *st, const struct web_rejudge_filter *f)
{
    bind_i64(st, 1, f->submission_id);
    bind_i64(st, 2, f->problem_id);
    bind_i64(st, 3, f->contest_id);
    bind_i64(st, 4, f->jury_user_id);
    bind_text(st, 5, f->verdict);
}

static void read_rej_entry(struct sqldb_stmt *st, void *row)
{
    struct web_rejudging_entry *e = row;
    e->submission_id = col_i64(st, 0);
    e->contest_id = col_i64(st, 1);
    e->problem_id = col_i64(st, 2);
    e->user_id = col_i64(st, 3);
    e->status = (enum web_sub_status)col_enum(st, 4, sub_status_any);
    COL_COPY(st, 5, e->before);
    COL_COPY(st, 6, e->after);
}

static void read_rejudging(struct sqldb_stmt *st, void *row)
{
    struct web_rejudging *rj = row;
    rj->id = col_i64(st, 0);
    rj->created_by = col_i64(st, 1);
    rj->created_at = col_i64(st, 2);
    rj->filter.submission_id = col_i64(st, 3);
    rj->filter.problem_id = col_i64(st, 4);
    rj->filter.contest_id = col_i64(st, 5);
    rj->filter.jury_user_id = col_i64(st, 6);
    COL_COPY(st, 7, rj->filter.verdict);
}

static int sq_rejudge_preview(struct web_store *base, const struct web_rejudge_filter *f,
                              struct web_rejudging_entry_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_REJ_PREVIEW, &st, err));
    bind_rej_filter(st, f);
    bind_i64(st, 6, WEB_REJUDGE_MAX + 1);
    int rc = fetch_all(s, st, read_rej_entry, &out->v, &out->n, sizeof(*out->v), err);
    if (rc == 0 && out->n > WEB_REJUDGE_MAX)
        rc = err_set(err, ERR_LIMIT, "more than %d submissions match", WEB_REJUDGE_MAX);
    if (rc < 0)
        web_rejudging_entry_list_release(out);
    return rc;
}

static int rejudging_create_locked(struct sq *s, struct web_rejudging *rj, int64_t *count, struct err *err)
{
    const struct web_rejudge_filter *f = &rj->filter;
    struct sqldb_stmt *st;
    int64_t n = 0, *ids = NULL;
    size_t k = 0;
    TRY(prep(s, ST_REJ_COUNT, &st, err));
    bind_rej_filter(st, f);
    int rc = step(st);
    if (rc == SQLDB_ROW) {
        n = col_i64(st, 0);
        rc = 0;
    } else {
        rc = sql_error(s, rc, "cannot count the submissions to rejudge", err);
    }
    finish(st);
    TRY(rc);
    if (n == 0)
        return err_set(err, ERR_NOTFOUND, "no submission matches");
    if (n > WEB_REJUDGE_MAX)
        return err_set(err, ERR_LIMIT, "%lld submissions match, more than %d", (long long)n, WEB_REJUDGE_MAX);

    TRY(prep(s, ST_REJ_INSERT, &st, err));
    bind_id(st, 1, rj->created_by);
    bind_i64(st, 2, rj->created_at);
    bind_id(st, 3, f->submission_id);
    bind_id(st, 4, f->problem_id);
    bind_id(st, 5, f->contest_id);
    bind_id(st, 6, f->jury_user_id);
    bind_text(st, 7, f->verdict);
    TRY(insert_id(s, st, &rj->id, "cannot record a rejudging", err));
    TRY(prep(s, ST_REJ_FILL, &st, err));
    bind_rej_filter(st, f);
    bind_i64(st, 6, rj->id);
    TRY(step_done(s, st, "cannot record a rejudging", err));

    /* The ids first: rejudging changes the rows a running query would read. */
    ids = malloc((size_t)n * sizeof(*ids));
    if (!ids)
        abort();
    if ((rc = prep(s, ST_REJ_SUBS, &st, err)) == 0) {
        bind_i64(st, 1, rj->id);
        while ((rc = step(st)) == SQLDB_ROW && k < (size_t)n)
            ids[k++] = col_i64(st, 0);
        rc = rc == SQLDB_ROW || rc == SQLDB_DONE ? 0 : sql_error(s, rc, "cannot read a rejudging", err);
        finish(st);
    }
    for (size_t i = 0; rc == 0 && i < k; i++)
        rc = rejudge_locked(s, ids[i], err);
    free(ids);
    if (rc == 0)
        *count = (int64_t)k;
    return rc;
}

static int sq_rejudging_create(struct web_store *base, struct web_rejudging *rj, int64_t *count, struct err *err)
{
    struct sq *s = SQ(base);
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = rejudging_create_locked(s, rj, count, err)) < 0 || (rc = wtx_commit(s, err)) < 0)
        wtx_rollback(s);
    return rc;
}

static int sq_rejudging_by_id(struct web_store *base, int64_t id, struct web_rejudging *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_REJ_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_rejudging, out, "no such rejudging", err);
}

static int sq_rejudging_entries(struct web_store *base, int64_t rejudging_id, struct web_rejudging_entry_list *out,
                                struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_REJ_ENTRIES, &st, err));
    bind_i64(st, 1, rejudging_id);
    FETCH_LIST(s, st, read_rej_entry, out, web_rejudging_entry_list_release, err);
}

/* ---- scoreboards: the event log's appends and reads --------------------------------------------------------------
 * Each change below and its event commit together (see storage.h). */

static int sq_contest_create(struct web_store *base, struct web_contest *c, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = contest_create_row(base, c, err);
    if (rc == 0)
        rc = event_add(s, c->id, "contest", c->id, err);
    return wtx_end(s, rc, err);
}

static int sq_contest_update(struct web_store *base, const struct web_contest *c, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = contest_update_row(base, c, err);
    if (rc == 0)
        rc = event_add(s, c->id, "contest", c->id, err);
    return wtx_end(s, rc, err);
}

static int sq_contest_problem_put(struct web_store *base, const struct web_contest_problem *cp, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = contest_problem_put_row(base, cp, err);
    if (rc == 0)
        rc = event_add(s, cp->contest_id, "problems", cp->problem_id, err);
    return wtx_end(s, rc, err);
}

static int sq_contest_problem_remove(struct web_store *base, int64_t contest_id, int64_t problem_id,
                                     struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = contest_problem_remove_row(base, contest_id, problem_id, err);
    if (rc == 0)
        rc = event_add(s, contest_id, "problems", problem_id, err);
    return wtx_end(s, rc, err);
}

static int sq_team_create(struct web_store *base, struct web_team *t, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = team_create_row(base, t, err);
    if (rc == 0)
        rc = event_run(s, ST_EVENT_TEAM, t->id, err);
    return wtx_end(s, rc, err);
}

static int sq_participant_put(struct web_store *base, const struct web_participant *p, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = participant_put_row(base, p, err);
    if (rc == 0)
        rc = event_add(s, p->contest_id, "participants", p->user_id, err);
    return wtx_end(s, rc, err);
}

static int sq_participant_remove(struct web_store *base, int64_t contest_id, int64_t user_id, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = participant_remove_row(base, contest_id, user_id, err);
    if (rc == 0)
        rc = event_add(s, contest_id, "participants", user_id, err);
    return wtx_end(s, rc, err);
}

static int sq_clarification_create(struct web_store *base, struct web_clarification *c, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = clarification_create_row(base, c, err);
    if (rc == 0)
        rc = event_add(s, c->contest_id, "clarification", c->id, err);
    return wtx_end(s, rc, err);
}

static int sq_submission_create(struct web_store *base, struct web_submission *sub, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = submission_create_row(base, sub, err);
    if (rc == 0)
        rc = event_run(s, ST_EVENT_SUB, sub->id, err);
    return wtx_end(s, rc, err);
}

static int sq_submission_set_ignored(struct web_store *base, int64_t id, int ignored, struct err *err)
{
    struct sq *s = SQ(base);
    TRY(wtx_begin(s, err));
    int rc = submission_set_ignored_row(base, id, ignored, err);
    if (rc == 0)
        rc = event_run(s, ST_EVENT_SUB, id, err);
    return wtx_end(s, rc, err);
}

static void read_event(struct sqldb_stmt *st, void *row)
{
    struct web_event *e = row;
    e->id = col_i64(st, 0);
    e->contest_id = col_i64(st, 1);
    COL_COPY(st, 2, e->kind);
    e->ref_id = col_i64(st, 3);
    e->submission_id = col_i64(st, 4);
    e->at = col_i64(st, 5);
}

static int sq_events(struct web_store *base, int64_t contest_id, int64_t after_id, size_t limit,
                     struct web_event_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_EVENTS_AFTER, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, after_id);
    bind_i64(st, 3, (int64_t)limit);
    FETCH_LIST(s, st, read_event, out, web_event_list_release, err);
}

static int sq_event_last(struct web_store *base, int64_t contest_id, int64_t *id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_EVENT_LAST, &st, err));
    bind_i64(st, 1, contest_id);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        *id = col_i64(st, 0);
    else
        res = sql_error(s, rc, "cannot read the event log", err);
    finish(st);
    return res;
}

static int sq_contest_result(struct web_store *base, int64_t submission_id, struct web_contest_result *out,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_RESULT_ONE, &st, err));
    bind_i64(st, 1, submission_id);
    return fetch_one(s, st, read_result, out, "no such submission", err);
}

static void read_group(struct sqldb_stmt *st, void *row)
{
    struct web_judging_group *g = row;
    g->judging_id = col_i64(st, 0);
    g->ordinal = col_i64(st, 1);
    COL_COPY(st, 2, g->name);
    g->score = col_f64(st, 3);
    g->max_score = col_f64(st, 4);
}

static int sq_contest_groups(struct web_store *base, int64_t contest_id, int64_t submission_id,
                             struct web_judging_group_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_GROUPS_CONTEST, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, submission_id);
    FETCH_LIST(s, st, read_group, out, web_judging_group_list_release, err);
}

static int sq_problem_groups(struct web_store *base, int64_t problem_id, struct web_judging_group_list *out,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_GROUPS_PROBLEM, &st, err));
    bind_i64(st, 1, problem_id);
    FETCH_LIST(s, st, read_group, out, web_judging_group_list_release, err);
}

static int sq_judging_groups(struct web_store *base, int64_t judging_id, struct web_judging_group_list *out,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_GROUPS_OF, &st, err));
    bind_i64(st, 1, judging_id);
    FETCH_LIST(s, st, read_group, out, web_judging_group_list_release, err);
}

static int sq_contest_judgings(struct web_store *base, int64_t contest_id, struct web_judging_list *out,
                               struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_CONTEST_JUDGINGS, &st, err));
    bind_i64(st, 1, contest_id);
    FETCH_LIST(s, st, read_judging, out, web_judging_list_release, err);
}

/* ---- live judging progress (api_judge.c: POST /api/v1/judge/jobs/{id}/progress) ------------------------------
 * A judge posts the tests it has judged so far; they go into judging_tests
 * keyed by ordinal (a repeated post replaces, never adds), with the lease
 * renewed in the same transaction, exactly as a heartbeat. The result
 * (complete_locked) deletes them and writes its own tests, atomically. */
static int progress_locked(struct sq *s, int64_t judge_id, int64_t judging_id, const struct web_test_result *tests,
                           size_t n, int64_t lease_seconds, int64_t now, struct err *err)
{
    TRY(heartbeat_locked(s, judge_id, judging_id, lease_seconds, now, err));
    for (size_t i = 0; i < n; i++)
        TRY(test_store(s, ST_PROGRESS_TEST, judging_id, tests[i].ordinal, &tests[i], err));
    return 0;
}

static int sq_job_progress(struct web_store *base, int64_t judge_id, int64_t judging_id,
                           const struct web_test_result *tests, size_t n, int64_t lease_seconds, int64_t now,
                           struct err *err)
{
    struct sq *s = SQ(base);
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = progress_locked(s, judge_id, judging_id, tests, n, lease_seconds, now, err)) < 0 ||
        (rc = wtx_commit(s, err)) < 0)
        wtx_rollback(s);
    return rc;
}

/* ---- problem tags and archive search ----------------------------------------------------------------------------
 * Tags live in problem_tags; create and update replace a problem's set in
 * the transaction that writes the problem row. Reads carry them in two
 * columns of PROBLEM_COLS (PROBLEM_TAG_COLS), so every problem read has them. */

static void problem_tags_read(struct sqldb_stmt *st, int i, struct web_problem *p)
{
    p->difficulty = (int)col_i64(st, i);
    p->ntags = 0;
    const char *t = col_text(st, i + 1);
    while (t && *t && p->ntags < WEB_TAGS_MAX) {
        size_t n = strcspn(t, ",");
        if (n > 0 && n <= WEB_TAG_MAX) {
            char one[WEB_TAG_MAX + 1];
            memcpy(one, t, n);
            one[n] = '\0';
            web_problem_tag_add(p, one, NULL);      /* sorts; the schema holds only valid tags */
        }
        t += n + (t[n] == ',');
    }
}

static int problem_tags_write(struct sq *s, const struct web_problem *p, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_TAGS_CLEAR, &st, err));
    bind_i64(st, 1, p->id);
    TRY(step_done(s, st, "cannot store a problem's tags", err));
    if (p->ntags)
        TRY(prep(s, ST_PROBLEM_TAG_INSERT, &st, err));
    for (size_t i = 0; i < p->ntags; i++) {
        bind_i64(st, 1, p->id);
        bind_text(st, 2, p->tags[i]);
        TRY(step_done(s, st, "cannot store a problem's tags", err));
    }
    return 0;
}

static int sq_problem_search(struct web_store *base, const struct web_problem_filter *f,
                             struct web_problem_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_SEARCH, &st, err));
    bind_i64(st, 1, f->published_only);
    bind_i64(st, 2, f->after_id);
    bind_text(st, 3, f->q);
    bind_text(st, 4, f->tag);
    bind_i64(st, 5, f->difficulty_min);
    bind_i64(st, 6, f->difficulty_max);
    bind_i64(st, 7, (int64_t)f->limit);
    FETCH_LIST(s, st, read_problem, out, web_problem_list_release, err);
}

static void read_tag_count(struct sqldb_stmt *st, void *row)
{
    struct web_tag_count *c = row;
    COL_COPY(st, 0, c->tag);
    c->problems = col_i64(st, 1);
}

static int sq_problem_tag_counts(struct web_store *base, int published_only, struct web_tag_count_list *out,
                                 struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_TAG_COUNTS, &st, err));
    bind_i64(st, 1, published_only);
    FETCH_LIST(s, st, read_tag_count, out, web_tag_count_list_release, err);
}

/* ---- compute budgets and scheduling ----------------------------------------------------------------
 * Claims: sq_job_claim_caps above (the queue's fair-share statement is
 * QUEUE_HEAD). Usage sums every finished judging of a contest's
 * submissions, valid or not. */
static int sq_problem_gpus_set(struct web_store *base, int64_t problem_id, int64_t gpus, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_GPUS_SET, &st, err));
    bind_i64(st, 1, problem_id);
    bind_i64(st, 2, gpus);
    TRY(step_done(s, st, "cannot set a problem's gpus", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no problem %lld", (long long)problem_id);
}

static void read_i64(struct sqldb_stmt *st, void *row)
{
    *(int64_t *)row = col_i64(st, 0);
}

static int sq_problem_gpus_get(struct web_store *base, int64_t problem_id, int64_t *gpus, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_GPUS_GET, &st, err));
    bind_i64(st, 1, problem_id);
    return fetch_one(s, st, read_i64, gpus, "no such problem", err);
}

static void read_quota(struct sqldb_stmt *st, void *row)
{
    struct web_quota *q = row;
    const char *scope = col_text(st, 1);
    q->contest_id = col_i64(st, 0);
    q->scope = scope && !strcmp(scope, "team") ? WEB_QUOTA_TEAM : WEB_QUOTA_USER;
    q->cpu_seconds_per_day = col_f64(st, 2);
    q->cpu_seconds_total = col_f64(st, 3);
    q->gpu_seconds_per_day = col_f64(st, 4);
    q->gpu_seconds_total = col_f64(st, 5);
    q->updated_at = col_i64(st, 6);
}

static int sq_quota_get(struct web_store *base, int64_t contest_id, enum web_quota_scope scope, struct web_quota *out,
                        struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_QUOTA_GET, &st, err));
    bind_i64(st, 1, contest_id);
    bind_text(st, 2, web_quota_scope_name(scope));
    return fetch_one(s, st, read_quota, out, "no quota", err);
}

static int sq_quota_put(struct web_store *base, const struct web_quota *q, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_QUOTA_PUT, &st, err));
    bind_i64(st, 1, q->contest_id);
    bind_text(st, 2, web_quota_scope_name(q->scope));
    bind_f64(st, 3, q->cpu_seconds_per_day);
    bind_f64(st, 4, q->cpu_seconds_total);
    bind_f64(st, 5, q->gpu_seconds_per_day);
    bind_f64(st, 6, q->gpu_seconds_total);
    bind_i64(st, 7, q->updated_at);
    return step_done(s, st, "cannot store a quota", err);
}

static void read_usage(struct sqldb_stmt *st, void *row)
{
    struct web_usage *u = row;
    u->id = col_i64(st, 0);
    u->cpu_day = col_f64(st, 1);
    u->cpu_total = col_f64(st, 2);
    u->gpu_day = col_f64(st, 3);
    u->gpu_total = col_f64(st, 4);
}

static int sq_usage(struct web_store *base, int64_t contest_id, enum web_quota_scope scope, int64_t id,
                    int64_t day_start, struct web_usage_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, scope == WEB_QUOTA_TEAM ? ST_USAGE_TEAM : ST_USAGE_USER, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, id);
    bind_i64(st, 3, day_start);
    int rc = fetch_all(s, st, read_usage, &out->v, &out->n, sizeof(*out->v), err);
    if (rc == 0 && id > 0 && out->n == 0) {
        struct web_usage *u = calloc(1, sizeof(*u));
        if (!u)
            abort();
        u->id = id;
        out->v = u;
        out->n = 1;
    }
    if (rc < 0)
        web_usage_list_release(out);
    return rc;
}

/* ---- AI leaderboards -------------------------------------------------------------------------------------- */

static int sq_judging_ai_set(struct web_store *base, int64_t judging_id, double public_score, double private_score,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_JUDGING_SET, &st, err));
    bind_i64(st, 1, judging_id);
    bind_f64(st, 2, public_score);
    bind_f64(st, 3, private_score);
    TRY(step_done(s, st, "cannot store a judging's scores", err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "no judging %lld", (long long)judging_id);
}

static int sq_ai_problem_get(struct web_store *base, int64_t problem_id, struct web_ai_problem *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_PROBLEM_GET, &st, err));
    bind_i64(st, 1, problem_id);
    out->problem_id = problem_id;
    out->maximize = 1;
    out->precision = WEB_AI_PRECISION_DEFAULT;
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW) {
        out->stored = 1;
        out->maximize = (int)col_i64(st, 0);
        out->precision = (int)col_i64(st, 1);
    } else if (rc != SQLDB_DONE) {
        res = sql_error(s, rc, "cannot read", err);
    }
    finish(st);
    return res;
}

static int sq_ai_problem_put(struct web_store *base, const struct web_ai_problem *p, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_PROBLEM_PUT, &st, err));
    bind_i64(st, 1, p->problem_id);
    bind_i64(st, 2, p->maximize);
    bind_i64(st, 3, p->precision);
    return step_done(s, st, "cannot store a problem's leaderboard settings", err);
}

static void read_ai_entry(struct sqldb_stmt *st, void *row)
{
    struct web_ai_entry *e = row;
    e->submission_id = col_i64(st, 0);
    e->user_id = col_i64(st, 1);
    e->team_id = col_i64(st, 2);
    e->problem_id = col_i64(st, 3);
    e->submitted_at = col_i64(st, 4);
    e->public_score = col_f64(st, 5);
    e->private_score = col_f64(st, 6);
    e->baseline = (int)col_i64(st, 7);
    e->final = (int)col_i64(st, 8);
}

static int sq_ai_entries(struct web_store *base, int64_t contest_id, struct web_ai_entry_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_ENTRIES, &st, err));
    bind_i64(st, 1, contest_id);
    FETCH_LIST(s, st, read_ai_entry, out, web_ai_entry_list_release, err);
}

static int sq_ai_final_set(struct web_store *base, int64_t contest_id, int64_t team_id, int64_t user_id,
                           const int64_t *submission_ids, size_t n, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = prep(s, ST_AI_FINAL_CLEAR, &st, err)) == 0) {
        bind_i64(st, 1, contest_id);
        bind_i64(st, 2, team_id);
        bind_i64(st, 3, user_id);
        rc = step_done(s, st, "cannot clear the final submissions", err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if ((rc = prep(s, ST_AI_FINAL_ADD, &st, err)) < 0)
            break;
        bind_i64(st, 1, submission_ids[i]);
        bind_i64(st, 2, contest_id);
        bind_i64(st, 3, team_id);
        bind_i64(st, 4, user_id);
        rc = step_done(s, st, "cannot store a final submission", err);
    }
    return wtx_end(s, rc, err);
}

static int sq_ai_baseline_set(struct web_store *base, int64_t submission_id, int baseline, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, baseline ? ST_AI_BASELINE_ADD : ST_AI_BASELINE_DEL, &st, err));
    bind_i64(st, 1, submission_id);
    return step_done(s, st, "cannot mark a baseline", err);
}

static int sq_ai_daily_count(struct web_store *base, int64_t contest_id, int64_t team_id, int64_t user_id,
                             int64_t from, int64_t to, int64_t *count, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_DAILY_COUNT, &st, err));
    bind_i64(st, 1, contest_id);
    bind_i64(st, 2, team_id);
    bind_i64(st, 3, user_id);
    bind_i64(st, 4, from);
    bind_i64(st, 5, to);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        *count = col_i64(st, 0);
    else
        res = sql_error(s, rc, "cannot count submissions", err);
    finish(st);
    return res;
}

/* ---- AI problem files --------------------------------------------------------------------------------- */

static int sq_problem_files_put(struct web_store *base, int64_t problem_id, const struct web_problem_file *files,
                                size_t n, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = prep(s, ST_PROBLEM_FILES_CLEAR, &st, err)) == 0) {
        bind_i64(st, 1, problem_id);
        rc = step_done(s, st, "cannot clear a problem's files", err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if ((rc = prep(s, ST_PROBLEM_FILE_ADD, &st, err)) < 0)
            break;
        bind_i64(st, 1, problem_id);
        bind_text(st, 2, files[i].name);
        bind_text(st, 3, files[i].hash);
        bind_i64(st, 4, files[i].size);
        rc = step_done(s, st, "cannot store a problem's file", err);
    }
    return wtx_end(s, rc, err);
}

static void read_problem_file(struct sqldb_stmt *st, void *row)
{
    struct web_problem_file *f = row;
    col_copy(st, 0, f->name, sizeof(f->name));
    col_copy(st, 1, f->hash, sizeof(f->hash));
    f->size = col_i64(st, 2);
}

static int sq_problem_files(struct web_store *base, int64_t problem_id, struct web_problem_file_list *out,
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROBLEM_FILES, &st, err));
    bind_i64(st, 1, problem_id);
    FETCH_LIST(s, st, read_problem_file, out, web_problem_file_list_release, err);
}

static int sq_ai_metric_set(struct web_store *base, int64_t problem_id, const char *metric, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_METRIC_SET, &st, err));
    bind_i64(st, 1, problem_id);
    bind_text(st, 2, metric);
    return step_done(s, st, "cannot store a problem's metric", err);
}

static int sq_ai_metric_get(struct web_store *base, int64_t problem_id, char out[WEB_AI_METRIC_MAX + 1],
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AI_METRIC_GET, &st, err));
    bind_i64(st, 1, problem_id);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        col_copy(st, 0, out, WEB_AI_METRIC_MAX + 1);
    else if (rc != SQLDB_DONE)
        res = sql_error(s, rc, "cannot read", err);
    finish(st);
    return res;
}

/* ---- ops: metrics and backups ------------------------------------------------------------------ */

static int sq_ops_stats(struct web_store *base, struct web_ops_stats *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    int rc;
    /* One read transaction: the counts agree with each other. */
    TRY(exec_script(s, "BEGIN", "cannot start a transaction", err));
    if ((rc = prep(s, ST_OPS_COUNTS, &st, err)) < 0)
        goto out;
    if ((rc = step(st)) == SQLDB_ROW) {
        out->queued = col_i64(st, 0);
        out->judging = col_i64(st, 1);
        out->submissions = col_i64(st, 2);
        out->judgings = col_i64(st, 3);
        out->users = col_i64(st, 4);
        out->problems = col_i64(st, 5);
        out->contests = col_i64(st, 6);
        rc = 0;
    } else {
        rc = sql_error(s, rc, "cannot count", err);
    }
    finish(st);
    if (rc < 0 || (rc = prep(s, ST_OPS_VERDICTS, &st, err)) < 0)
        goto out;
    while ((rc = step(st)) == SQLDB_ROW)
        if (out->nverdicts < WEB_OPS_VERDICTS_MAX) {
            struct web_ops_verdict *v = &out->verdicts[out->nverdicts++];
            COL_COPY(st, 0, v->verdict);
            v->count = col_i64(st, 1);
        }
    rc = rc == SQLDB_DONE ? 0 : sql_error(s, rc, "cannot count verdicts", err);
    finish(st);
out:
    exec_script(s, "COMMIT", "commit", NULL);
    return rc;
}

/* How this works: sqlite3_backup_step copies BACKUP_STEP pages at a time
 * under a read lock, so writers (WAL) go on meanwhile. A write by another
 * process between steps restarts the copy; a busy server could restart it
 * forever, so after enough steps the rest is copied in one step (one read
 * transaction, which in WAL mode still blocks no writer). */
#define BACKUP_STEP 1024

static int sq_backup(struct web_store *base, const char *dest_path, struct err *err)
{
    struct sq *s = SQ(base);
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    if (is_pg(s))
        return err_set(err, ERR_UNSUPPORTED, "crucible backup copies SQLite databases; back PostgreSQL up with "
                                             "pg_dump (the blobs are in the database too)");
    int rc = sqlite3_open_v2(dest_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(err, ERR_SYSTEM, "cannot create '%s': %s", dest_path, dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    if (chmod(dest_path, 0640) < 0) {
        rc = err_sys(err, "cannot chmod '%s'", dest_path);
        goto out;
    }
    b = sqlite3_backup_init(dst, "main", sqldb_sqlite_handle(s->db), "main");
    if (!b) {
        rc = err_set(err, ERR_SYSTEM, "cannot start the backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    long steps = 0, patience = -1;
    do {
        rc = sqlite3_backup_step(b, patience >= 0 && steps > patience ? -1 : BACKUP_STEP);
        if (patience < 0)
            patience = sqlite3_backup_pagecount(b) / BACKUP_STEP * 3 + 10;
        steps++;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    rc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_OK) {
        int code = (rc & 0xff) == SQLITE_FULL ? WEB_STORE_FULL : ERR_SYSTEM;
        rc = err_set(err, code, "backup into '%s': %s", dest_path, sqlite3_errstr(rc));
        goto out;
    }
    rc = 0;
out:
    sqlite3_close(dst);
    return rc;
}

/* ---- talent: profiles, views, the rating cache ------------------------------------------------------------ */

static void read_profile(struct sqldb_stmt *st, void *row)
{
    struct web_profile *p = row;
    p->user_id = col_i64(st, 0);
    p->is_public = (int)col_i64(st, 1);
    COL_COPY(st, 2, p->school);
    COL_COPY(st, 3, p->region);
    COL_COPY(st, 4, p->bio);
    p->updated_at = col_i64(st, 5);
    COL_COPY(st, 6, p->name);
    COL_COPY(st, 7, p->display_name);
    p->last_active = col_i64(st, 8);
}

static int sq_profile_get(struct web_store *base, int64_t user_id, struct web_profile *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROFILE_GET, &st, err));
    bind_i64(st, 1, user_id);
    return fetch_one(s, st, read_profile, out, "no such user", err);
}

static int sq_profile_put(struct web_store *base, const struct web_profile *p, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROFILE_PUT, &st, err));
    bind_i64(st, 1, p->user_id);
    bind_i64(st, 2, p->is_public);
    bind_text(st, 3, p->school);
    bind_text(st, 4, p->region);
    bind_text(st, 5, p->bio);
    bind_i64(st, 6, p->updated_at);
    return step_done(s, st, "cannot store a profile", err);
}

static int sq_profiles_public(struct web_store *base, struct web_profile_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROFILES_PUBLIC, &st, err));
    FETCH_LIST(s, st, read_profile, out, web_profile_list_release, err);
}

static int sq_profile_view_add(struct web_store *base, int64_t user_id, int64_t viewer_id,
                               enum web_profile_view_kind kind, int64_t at, int64_t since, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROFILE_VIEW_ADD, &st, err));
    bind_i64(st, 1, user_id);
    bind_id(st, 2, viewer_id);
    bind_i64(st, 3, at);
    bind_text(st, 4, web_profile_view_kind_name(kind));
    bind_i64(st, 5, since);
    return step_done(s, st, "cannot log a profile view", err);
}

static void read_profile_view(struct sqldb_stmt *st, void *row)
{
    struct web_profile_view *v = row;
    char kind[16];
    v->viewer_id = col_i64(st, 0);
    COL_COPY(st, 1, v->viewer_name);
    v->at = col_i64(st, 2);
    COL_COPY(st, 3, kind);
    v->kind = strcmp(kind, "export") == 0 ? WEB_PROFILE_EXPORT : WEB_PROFILE_VIEW;
}

static int sq_profile_views(struct web_store *base, int64_t user_id, size_t limit, struct web_profile_view_list *out,
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_PROFILE_VIEWS, &st, err));
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, (int64_t)limit);
    FETCH_LIST(s, st, read_profile_view, out, web_profile_view_list_release, err);
}

static void read_rated_contest(struct sqldb_stmt *st, void *row)
{
    struct web_rated_contest *c = row;
    c->contest_id = col_i64(st, 0);
    COL_COPY(st, 1, c->title);
    c->end_time = col_i64(st, 2);
    c->last_event = col_i64(st, 3);
}

static int sq_rated_contests(struct web_store *base, int64_t now, struct web_rated_contest_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_RATED_CONTESTS, &st, err));
    bind_i64(st, 1, now);
    FETCH_LIST(s, st, read_rated_contest, out, web_rated_contest_list_release, err);
}

static int sq_rating_key_get(struct web_store *base, char out[WEB_HASH_HEX + 1], struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_RATING_KEY_GET, &st, err));
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW)
        col_copy(st, 0, out, WEB_HASH_HEX + 1);
    else if (rc != SQLDB_DONE)
        res = sql_error(s, rc, "cannot read the rating cache", err);
    finish(st);
    return res;
}

static int sq_rating_store(struct web_store *base, const char *key, const struct web_rating_change *v, size_t n,
                           struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    int rc;
    TRY(wtx_begin(s, err));
    if ((rc = prep(s, ST_RATING_KEY_SET, &st, err)) == 0) {
        bind_text(st, 1, key);
        rc = step_done(s, st, "cannot store the rating cache's key", err);
    }
    if (rc == 0)
        rc = run(s, ST_RATING_CLEAR, "cannot clear the rating cache", err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if ((rc = prep(s, ST_RATING_ADD, &st, err)) < 0)
            break;
        bind_i64(st, 1, v[i].contest_id);
        bind_i64(st, 2, v[i].user_id);
        bind_i64(st, 3, v[i].ordinal);
        bind_i64(st, 4, v[i].rank);
        bind_i64(st, 5, v[i].old_rating);
        bind_i64(st, 6, v[i].new_rating);
        rc = step_done(s, st, "cannot store a rating change", err);
    }
    return wtx_end(s, rc, err);
}

static void read_rating_change(struct sqldb_stmt *st, void *row)
{
    struct web_rating_change *c = row;
    c->contest_id = col_i64(st, 0);
    c->user_id = col_i64(st, 1);
    c->ordinal = col_i64(st, 2);
    c->rank = col_i64(st, 3);
    c->old_rating = col_i64(st, 4);
    c->new_rating = col_i64(st, 5);
}

static int sq_rating_changes(struct web_store *base, int64_t user_id, struct web_rating_change_list *out,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_RATING_CHANGES, &st, err));
    bind_i64(st, 1, user_id);
    FETCH_LIST(s, st, read_rating_change, out, web_rating_change_list_release, err);
}

static void read_user_problem(struct sqldb_stmt *st, void *row)
{
    struct web_user_problem *u = row;
    read_problem(st, &u->problem);
    u->solved = (int)col_i64(st, 15);     /* after PROBLEM_COLS' 15 columns */
}

static int sq_user_problems(struct web_store *base, int64_t user_id, int64_t now, struct web_user_problem_list *out,
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_USER_PROBLEMS, &st, err));
    bind_i64(st, 1, user_id);
    bind_i64(st, 2, now);
    FETCH_LIST(s, st, read_user_problem, out, web_user_problem_list_release, err);
}
/* ---- courses ------------------------------------------------------------------------------------------- */

ENUM_PARSER(course_role, web_course_role)
ENUM_PARSER(late_rule, web_late_rule)
ENUM_PARSER(counting, web_counting)
ENUM_PARSER(feedback, web_feedback)

/* Runs st (parameters bound); ERR_NOTFOUND when it changed no row. */
static int step_changed(struct sq *s, struct sqldb_stmt *st, const char *what, const char *notfound, struct err *err)
{
    TRY(step_done(s, st, what, err));
    return changes(s) ? 0 : err_set(err, ERR_NOTFOUND, "%s", notfound);
}

/* Runs a statement whose one parameter is an id. */
static int run_id(struct sq *s, enum stmt_id id, int64_t v, const char *what, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(prep(s, id, &st, err));
    bind_i64(st, 1, v);
    return step_done(s, st, what, err);
}

/* Binds ?1 and ?2 to two ids and prepares st. */
static int prep_ids(struct sq *s, enum stmt_id id, int64_t a, int64_t b, struct sqldb_stmt **st, struct err *err)
{
    TRY(prep(s, id, st, err));
    bind_i64(*st, 1, a);
    bind_i64(*st, 2, b);
    return 0;
}

static void read_course(struct sqldb_stmt *st, void *row)
{
    struct web_course *c = row;
    c->id = col_i64(st, 0);
    COL_COPY(st, 1, c->title);
    COL_COPY(st, 2, c->description);
    COL_COPY(st, 3, c->join_code);
    c->created_by = col_i64(st, 4);
    c->created_at = col_i64(st, 5);
}

static int sq_course_create(struct web_store *base, struct web_course *c, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_COURSE_INSERT, &st, err));
    bind_text(st, 1, c->title);
    bind_text(st, 2, c->description);
    bind_text(st, 3, c->join_code);
    bind_id(st, 4, c->created_by);
    bind_i64(st, 5, c->created_at);
    TRY(insert_id(s, st, &c->id, "cannot create a course", err));
    return 0;
}

static int sq_course_by_id(struct web_store *base, int64_t id, struct web_course *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_COURSE_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_course, out, "no such course", err);
}

static int sq_course_by_code(struct web_store *base, const char *code, struct web_course *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_COURSE_BY_CODE, &st, err));
    bind_text(st, 1, code);
    return fetch_one(s, st, read_course, out, "no such course", err);
}

static int sq_course_update(struct web_store *base, const struct web_course *c, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_COURSE_UPDATE, &st, err));
    bind_i64(st, 1, c->id);
    bind_text(st, 2, c->title);
    bind_text(st, 3, c->description);
    bind_text(st, 4, c->join_code);
    return step_changed(s, st, "cannot update a course", "no such course", err);
}

static int sq_courses_of_user(struct web_store *base, int64_t user_id, struct web_course_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_COURSES_OF_USER, &st, err));
    bind_i64(st, 1, user_id);
    FETCH_LIST(s, st, read_course, out, web_course_list_release, err);
}

static void read_member(struct sqldb_stmt *st, void *row)
{
    struct web_course_member *m = row;
    m->course_id = col_i64(st, 0);
    m->user_id = col_i64(st, 1);
    m->role = (enum web_course_role)col_enum(st, 2, course_role_any);
    COL_COPY(st, 3, m->student_number);
    COL_COPY(st, 4, m->class_name);
    COL_COPY(st, 5, m->name);
    COL_COPY(st, 6, m->display_name);
}

static int sq_course_member_put(struct web_store *base, const struct web_course_member *m, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_MEMBER_PUT, m->course_id, m->user_id, &st, err));
    bind_text(st, 3, web_course_role_name(m->role));
    bind_text(st, 4, m->student_number);
    bind_text(st, 5, m->class_name);
    return step_done(s, st, "cannot store a course member", err);
}

static int sq_course_member_get(struct web_store *base, int64_t course_id, int64_t user_id,
                                struct web_course_member *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_MEMBER_GET, course_id, user_id, &st, err));
    return fetch_one(s, st, read_member, out, "not a member of the course", err);
}

static int sq_course_member_remove(struct web_store *base, int64_t course_id, int64_t user_id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_MEMBER_REMOVE, course_id, user_id, &st, err));
    return step_changed(s, st, "cannot remove a course member", "not a member of the course", err);
}

static int sq_course_members(struct web_store *base, int64_t course_id, struct web_course_member_list *out,
                             struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_MEMBERS, &st, err));
    bind_i64(st, 1, course_id);
    FETCH_LIST(s, st, read_member, out, web_course_member_list_release, err);
}

static void read_unit(struct sqldb_stmt *st, void *row)
{
    struct web_course_unit *u = row;
    u->id = col_i64(st, 0);
    u->course_id = col_i64(st, 1);
    COL_COPY(st, 2, u->title);
    u->position = col_i64(st, 3);
}

static int sq_course_unit_create(struct web_store *base, struct web_course_unit *u, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_UNIT_INSERT, &st, err));
    bind_i64(st, 1, u->course_id);
    bind_text(st, 2, u->title);
    bind_i64(st, 3, u->position);
    TRY(insert_id(s, st, &u->id, "cannot create a unit", err));
    return 0;
}

static int sq_course_units(struct web_store *base, int64_t course_id, struct web_course_unit_list *out,
                           struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_UNITS, &st, err));
    bind_i64(st, 1, course_id);
    FETCH_LIST(s, st, read_unit, out, web_course_unit_list_release, err);
}

static void read_lesson(struct sqldb_stmt *st, void *row)
{
    struct web_lesson *l = row;
    l->id = col_i64(st, 0);
    l->course_id = col_i64(st, 1);
    l->unit_id = col_i64(st, 2);
    COL_COPY(st, 3, l->title);
    l->markdown = col_dup(st, 4);
    l->position = col_i64(st, 5);
    l->created_at = col_i64(st, 6);
}

static int sq_lesson_create(struct web_store *base, struct web_lesson *l, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_LESSON_INSERT, l->course_id, l->unit_id, &st, err));
    bind_text(st, 3, l->title);
    bind_text(st, 4, l->markdown);
    bind_i64(st, 5, l->position);
    bind_i64(st, 6, l->created_at);
    TRY(insert_id(s, st, &l->id, "cannot create a lesson", err));
    return 0;
}

static int sq_lesson_by_id(struct web_store *base, int64_t id, struct web_lesson *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LESSON_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_lesson, out, "no such lesson", err);
}

static int sq_lesson_update(struct web_store *base, const struct web_lesson *l, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_LESSON_UPDATE, l->id, l->unit_id, &st, err));
    bind_text(st, 3, l->title);
    bind_text(st, 4, l->markdown);
    bind_i64(st, 5, l->position);
    return step_changed(s, st, "cannot update a lesson", "no such lesson", err);
}

static int sq_lesson_delete(struct web_store *base, int64_t id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LESSON_DELETE, &st, err));
    bind_i64(st, 1, id);
    return step_changed(s, st, "cannot delete a lesson", "no such lesson", err);
}

static int sq_lessons_of_course(struct web_store *base, int64_t course_id, struct web_lesson_list *out,
                                struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_LESSONS, &st, err));
    bind_i64(st, 1, course_id);
    FETCH_LIST(s, st, read_lesson, out, web_lesson_list_release, err);
}

static void read_assignment(struct sqldb_stmt *st, void *row)
{
    struct web_assignment *a = row;
    a->id = col_i64(st, 0);
    a->course_id = col_i64(st, 1);
    a->unit_id = col_i64(st, 2);
    COL_COPY(st, 3, a->title);
    a->open_time = col_i64(st, 4);
    a->due_time = col_i64(st, 5);
    a->late_until = col_i64(st, 6);
    a->late_rule = (enum web_late_rule)col_enum(st, 7, late_rule_any);
    a->late_value = col_f64(st, 8);
    a->counting = (enum web_counting)col_enum(st, 9, counting_any);
    a->created_at = col_i64(st, 10);
}

/* Binds the fields after the course: unit ... counting, from parameter `first`. */
static void bind_assignment(struct sqldb_stmt *st, int first, const struct web_assignment *a)
{
    bind_id(st, first, a->unit_id);
    bind_text(st, first + 1, a->title);
    bind_i64(st, first + 2, a->open_time);
    bind_i64(st, first + 3, a->due_time);
    bind_i64(st, first + 4, a->late_until);
    bind_text(st, first + 5, web_late_rule_name(a->late_rule));
    bind_f64(st, first + 6, a->late_value);
    bind_text(st, first + 7, web_counting_name(a->counting));
}

/* Replaces the assignment's problems with p[0..n); inside a transaction. */
static int assignment_problems_put_rows(struct sq *s, int64_t assignment_id, const struct web_assignment_problem *p,
                                        size_t n, struct err *err)
{
    struct sqldb_stmt *st;
    TRY(run_id(s, ST_AP_CLEAR, assignment_id, "cannot clear an assignment's problems", err));
    for (size_t i = 0; i < n; i++) {
        TRY(prep_ids(s, ST_AP_INSERT, assignment_id, p[i].problem_id, &st, err));
        bind_i64(st, 3, p[i].position);
        bind_f64(st, 4, p[i].points);
        bind_text(st, 5, web_feedback_name(p[i].feedback));
        bind_text(st, 6, p[i].template_text ? p[i].template_text : "");
        TRY(step_done(s, st, "cannot store an assignment's problem", err));
    }
    return 0;
}

static int sq_assignment_create(struct web_store *base, struct web_assignment *a, const struct web_assignment_problem *p,
                                size_t n, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(wtx_begin(s, err));
    int rc = prep(s, ST_ASSIGN_INSERT, &st, err);
    if (rc == 0) {
        bind_i64(st, 1, a->course_id);
        bind_assignment(st, 2, a);
        bind_i64(st, 10, a->created_at);
        rc = insert_id(s, st, &a->id, "cannot create an assignment", err);
    }
    if (rc == 0) {
        rc = assignment_problems_put_rows(s, a->id, p, n, err);
    }
    return wtx_end(s, rc, err);
}

static int sq_assignment_by_id(struct web_store *base, int64_t id, struct web_assignment *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_ASSIGN_BY_ID, &st, err));
    bind_i64(st, 1, id);
    return fetch_one(s, st, read_assignment, out, "no such assignment", err);
}

static int sq_assignment_update(struct web_store *base, const struct web_assignment *a,
                                const struct web_assignment_problem *p, size_t n, int replace_problems,
                                struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(wtx_begin(s, err));
    int rc = prep(s, ST_ASSIGN_UPDATE, &st, err);
    if (rc == 0) {
        bind_i64(st, 1, a->id);
        bind_assignment(st, 2, a);
        rc = step_changed(s, st, "cannot update an assignment", "no such assignment", err);
    }
    if (rc == 0 && replace_problems)
        rc = assignment_problems_put_rows(s, a->id, p, n, err);
    return wtx_end(s, rc, err);
}

static int sq_assignment_delete(struct web_store *base, int64_t id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(wtx_begin(s, err));
    int rc = run_id(s, ST_ASSIGN_UNLINK, id, "cannot unlink an assignment's submissions", err);
    if (rc == 0)
        rc = run_id(s, ST_AP_CLEAR, id, "cannot clear an assignment's problems", err);
    if (rc == 0)
        rc = run_id(s, ST_ASSIGN_EXT_CLEAR, id, "cannot clear an assignment's extensions", err);
    if (rc == 0 && (rc = prep(s, ST_ASSIGN_DELETE, &st, err)) == 0) {
        bind_i64(st, 1, id);
        rc = step_changed(s, st, "cannot delete an assignment", "no such assignment", err);
    }
    return wtx_end(s, rc, err);
}

static int sq_assignments_of_course(struct web_store *base, int64_t course_id, struct web_assignment_list *out,
                                    struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_ASSIGNS_OF_COURSE, &st, err));
    bind_i64(st, 1, course_id);
    FETCH_LIST(s, st, read_assignment, out, web_assignment_list_release, err);
}

static void read_assignment_problem(struct sqldb_stmt *st, void *row)
{
    struct web_assignment_problem *p = row;
    p->assignment_id = col_i64(st, 0);
    p->problem_id = col_i64(st, 1);
    p->position = col_i64(st, 2);
    p->points = col_f64(st, 3);
    p->feedback = (enum web_feedback)col_enum(st, 4, feedback_any);
    p->template_text = col_dup(st, 5);
    COL_COPY(st, 6, p->short_name);
    COL_COPY(st, 7, p->title);
}

static int sq_assignment_problems(struct web_store *base, int64_t assignment_id,
                                  struct web_assignment_problem_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_AP_LIST, &st, err));
    bind_i64(st, 1, assignment_id);
    FETCH_LIST(s, st, read_assignment_problem, out, web_assignment_problem_list_release, err);
}

static void read_extension(struct sqldb_stmt *st, void *row)
{
    struct web_extension *e = row;
    e->assignment_id = col_i64(st, 0);
    e->user_id = col_i64(st, 1);
    e->due_time = col_i64(st, 2);
    e->late_until = col_i64(st, 3);
    COL_COPY(st, 4, e->name);
}

static int sq_extension_put(struct web_store *base, const struct web_extension *e, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_EXT_PUT, e->assignment_id, e->user_id, &st, err));
    bind_i64(st, 3, e->due_time);
    bind_i64(st, 4, e->late_until);
    return step_done(s, st, "cannot store an extension", err);
}

static int sq_extension_get(struct web_store *base, int64_t assignment_id, int64_t user_id, struct web_extension *out,
                            struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_EXT_GET, assignment_id, user_id, &st, err));
    return fetch_one(s, st, read_extension, out, "no such extension", err);
}

static int sq_extension_remove(struct web_store *base, int64_t assignment_id, int64_t user_id, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_EXT_REMOVE, assignment_id, user_id, &st, err));
    return step_changed(s, st, "cannot remove an extension", "no such extension", err);
}

static int sq_extensions(struct web_store *base, int64_t assignment_id, struct web_extension_list *out,
                         struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_EXTS, &st, err));
    bind_i64(st, 1, assignment_id);
    FETCH_LIST(s, st, read_extension, out, web_extension_list_release, err);
}

static int sq_assignment_results(struct web_store *base, int64_t assignment_id, int64_t user_id,
                                 struct web_contest_result_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep_ids(s, ST_ASSIGN_RESULTS, assignment_id, user_id, &st, err));
    FETCH_LIST(s, st, read_result, out, web_contest_result_list_release, err);
}

/* ---- similarity ---------------------------------------------------------------------------------------------- */

static void read_similarity_entry(struct sqldb_stmt *st, void *row)
{
    struct web_similarity_entry *e = row;
    e->submission_id = col_i64(st, 0);
    e->user_id = col_i64(st, 1);
    col_copy(st, 2, e->name, sizeof(e->name));
    e->problem_id = col_i64(st, 3);
    col_copy(st, 4, e->language, sizeof(e->language));
    col_copy(st, 5, e->source_hash, sizeof(e->source_hash));
    e->source_size = col_i64(st, 6);
}

static int sq_similarity_entries(struct web_store *base, int64_t assignment_id, int64_t problem_id,
                                 struct web_similarity_entry_list *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SIM_ENTRIES, &st, err));
    bind_i64(st, 1, assignment_id);
    bind_i64(st, 2, problem_id);
    int rc = fetch_all(s, st, read_similarity_entry, &out->v, &out->n, sizeof(*out->v), err);
    if (rc == 0 && out->n > WEB_SIMILARITY_SUBMISSIONS_MAX)
        rc = err_set(err, ERR_LIMIT, "more than %d submissions to compare", WEB_SIMILARITY_SUBMISSIONS_MAX);
    if (rc < 0)
        web_similarity_entry_list_release(out);
    return rc;
}

static int sq_similarity_submission(struct web_store *base, int64_t assignment_id, int64_t submission_id,
                                    struct web_similarity_entry *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    TRY(prep(s, ST_SIM_SUBMISSION, &st, err));
    bind_i64(st, 1, assignment_id);
    bind_i64(st, 2, submission_id);
    return fetch_one(s, st, read_similarity_entry, out, "no such submission in the assignment", err);
}

/* ---- blobs shared through the database (PostgreSQL) ---------------------------------- */

static int sq_blob_save(struct web_store *base, const char *hex, const void *data, size_t len, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    if (!is_pg(s))
        return 0;
    TRY(prep(s, ST_BLOB_SAVE, &st, err));
    bind_text(st, 1, hex);
    st->db->ops->bind_blob(st, 2, data, len);
    return step_done(s, st, "cannot store a blob", err);
}

static int sq_blob_load(struct web_store *base, const char *hex, struct buf *out, struct err *err)
{
    struct sq *s = SQ(base);
    struct sqldb_stmt *st;
    if (!is_pg(s))
        return err_set(err, ERR_NOTFOUND, "no blob '%s'", hex);
    TRY(prep(s, ST_BLOB_LOAD, &st, err));
    bind_text(st, 1, hex);
    int rc = step(st), res = 0;
    if (rc == SQLDB_ROW) {
        size_t n = 0;
        const void *p = st->db->ops->col_bytes(st, 0, &n);
        res = buf_add(out, p, n);
        if (res < 0)
            res = err_set(err, ERR_LIMIT, "blob '%s' is too large", hex);
    } else if (rc == SQLDB_DONE) {
        res = err_set(err, ERR_NOTFOUND, "no blob '%s'", hex);
    } else {
        res = sql_error(s, rc, "cannot read a blob", err);
    }
    finish(st);
    return res;
}

static const struct web_store_ops sql_ops = {
    .name = "sql",
    .blob_save = sq_blob_save,
    .blob_load = sq_blob_load,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .check = sq_check,
    .tx_begin = sq_tx_begin,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .setting_get = sq_setting_get,
    .setting_set = sq_setting_set,
    .user_create = sq_user_create,
    .user_by_id = sq_user_by_id,
    .user_by_name = sq_user_by_name,
    .user_update = sq_user_update,
    .user_list = sq_user_list,
    .session_create = sq_session_create,
    .session_lookup = sq_session_lookup,
    .session_delete = sq_session_delete,
    .session_delete_user = sq_session_delete_user,
    .session_purge = sq_session_purge,
    .apitoken_create = sq_apitoken_create,
    .apitoken_lookup = sq_apitoken_lookup,
    .apitoken_list = sq_apitoken_list,
    .apitoken_revoke = sq_apitoken_revoke,
    .login_failure_add = sq_login_failure_add,
    .login_failure_count = sq_login_failure_count,
    .login_failure_clear = sq_login_failure_clear,
    .audit_add = sq_audit_add,
    .audit_list = sq_audit_list,
    .judge_host_create = sq_judge_host_create,
    .judge_host_by_id = sq_judge_host_by_id,
    .judge_host_by_token = sq_judge_host_by_token,
    .judge_host_by_name = sq_judge_host_by_name,
    .judge_host_update = sq_judge_host_update,
    .judge_host_list = sq_judge_host_list,
    .judge_host_heartbeat = sq_judge_host_heartbeat,
    .problem_create = sq_problem_create,
    .problem_by_id = sq_problem_by_id,
    .problem_by_name = sq_problem_by_name,
    .problem_update = sq_problem_update,
    .problem_list = sq_problem_list,
    .contest_create = sq_contest_create,
    .contest_by_id = sq_contest_by_id,
    .contest_by_name = sq_contest_by_name,
    .contest_update = sq_contest_update,
    .contest_list = sq_contest_list,
    .contest_problem_put = sq_contest_problem_put,
    .contest_problem_remove = sq_contest_problem_remove,
    .contest_problems = sq_contest_problems,
    .team_create = sq_team_create,
    .team_by_id = sq_team_by_id,
    .teams_of_contest = sq_teams_of_contest,
    .participant_put = sq_participant_put,
    .participant_get = sq_participant_get,
    .participant_remove = sq_participant_remove,
    .participants = sq_participants,
    .clarification_create = sq_clarification_create,
    .clarification_by_id = sq_clarification_by_id,
    .clarifications_for = sq_clarifications_for,
    .submission_create = sq_submission_create,
    .submission_by_id = sq_submission_by_id,
    .submission_list = sq_submission_list,
    .submission_count = sq_submission_count,
    .submission_set_ignored = sq_submission_set_ignored,
    .contest_results = sq_contest_results,
    .judging_by_id = sq_judging_by_id,
    .judgings_of_submission = sq_judgings_of_submission,
    .judging_tests = sq_judging_tests,
    .job_claim = sq_job_claim,
    .job_heartbeat = sq_job_heartbeat,
    .job_complete = sq_job_complete,
    .job_expire = sq_job_expire,
    .rejudge = sq_rejudge,
    /* rejudgings (the jury) */
    .rejudge_preview = sq_rejudge_preview,
    .rejudging_create = sq_rejudging_create,
    .rejudging_by_id = sq_rejudging_by_id,
    .rejudging_entries = sq_rejudging_entries,
    /* scoreboards, the event log and judging groups */
    .events = sq_events,
    .event_last = sq_event_last,
    .contest_result = sq_contest_result,
    .contest_groups = sq_contest_groups,
    .problem_groups = sq_problem_groups,
    .judging_groups = sq_judging_groups,
    .contest_judgings = sq_contest_judgings,
    /* live judging progress */
    .job_progress = sq_job_progress,
    /* problem tags and archive search */
    .problem_search = sq_problem_search,
    .problem_tag_counts = sq_problem_tag_counts,
    /* compute budgets and scheduling */
    .job_claim_caps = sq_job_claim_caps,
    .problem_gpus_set = sq_problem_gpus_set,
    .problem_gpus_get = sq_problem_gpus_get,
    .quota_get = sq_quota_get,
    .quota_put = sq_quota_put,
    .usage = sq_usage,
    /* AI leaderboards */
    .judging_ai_set = sq_judging_ai_set,
    .ai_problem_get = sq_ai_problem_get,
    .ai_problem_put = sq_ai_problem_put,
    .ai_entries = sq_ai_entries,
    .ai_final_set = sq_ai_final_set,
    .ai_baseline_set = sq_ai_baseline_set,
    .ai_daily_count = sq_ai_daily_count,
    /* AI problem files */
    .problem_files_put = sq_problem_files_put,
    .problem_files = sq_problem_files,
    .ai_metric_set = sq_ai_metric_set,
    .ai_metric_get = sq_ai_metric_get,
    /* talent */
    .profile_get = sq_profile_get,
    .profile_put = sq_profile_put,
    .profiles_public = sq_profiles_public,
    .profile_view_add = sq_profile_view_add,
    .profile_views = sq_profile_views,
    .rated_contests = sq_rated_contests,
    .rating_key_get = sq_rating_key_get,
    .rating_store = sq_rating_store,
    .rating_changes = sq_rating_changes,
    .user_problems = sq_user_problems,
    /* ops: metrics and backups */
    .ops_stats = sq_ops_stats,
    .backup = sq_backup,
    /* courses */
    .course_create = sq_course_create,
    .course_by_id = sq_course_by_id,
    .course_by_code = sq_course_by_code,
    .course_update = sq_course_update,
    .courses_of_user = sq_courses_of_user,
    .course_member_put = sq_course_member_put,
    .course_member_get = sq_course_member_get,
    .course_member_remove = sq_course_member_remove,
    .course_members = sq_course_members,
    .course_unit_create = sq_course_unit_create,
    .course_units = sq_course_units,
    .lesson_create = sq_lesson_create,
    .lesson_by_id = sq_lesson_by_id,
    .lesson_update = sq_lesson_update,
    .lesson_delete = sq_lesson_delete,
    .lessons_of_course = sq_lessons_of_course,
    .assignment_create = sq_assignment_create,
    .assignment_by_id = sq_assignment_by_id,
    .assignment_update = sq_assignment_update,
    .assignment_delete = sq_assignment_delete,
    .assignments_of_course = sq_assignments_of_course,
    .assignment_problems = sq_assignment_problems,
    .extension_put = sq_extension_put,
    .extension_get = sq_extension_get,
    .extension_remove = sq_extension_remove,
    .extensions = sq_extensions,
    .assignment_results = sq_assignment_results,
    /* similarity */
    .similarity_entries = sq_similarity_entries,
    .similarity_submission = sq_similarity_submission,
};
