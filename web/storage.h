/*
 * storage.h: everything crucible serve keeps, behind one interface. All SQL
 * lives in the engine that implements struct web_store_ops (storage_sql.c,
 * run by SQLite, the embedded default, or by PostgreSQL, for several servers
 * sharing one database: sqldb.h), so routes, authentication and scoreboards
 * never see a query. Submission sources and problem packages live beside the
 * database in a content-addressed blob store (and, on PostgreSQL, in the
 * database too).
 *
 * Conventions for every function here:
 * - Returns 0 or a negative code (common.h's ERR_*, or WEB_STORE_* below)
 *   and fills the optional struct err. ERR_NOTFOUND: no such row.
 *   WEB_STORE_CONFLICT: a unique name is taken, or a job is not (or no
 *   longer) this judge's. WEB_STORE_BUSY: another writer held the database
 *   past the busy timeout. ERR_INVALID / ERR_LIMIT: a field broke the rules
 *   or the size limits below (checked before any SQL runs).
 * - Ids are positive; 0 in an id field means "none" (NULL in the database).
 *   Times are Unix seconds, always passed in by the caller (`now`), so tests
 *   and the server agree on one clock.
 * - Pointers passed in are borrowed for the call; storage copies what it
 *   keeps. Structs filled by a lookup own their char * fields: release them
 *   with the matching *_release (structs with only arrays need none). Lists
 *   own their rows: release with the list's *_release (on failure a list
 *   is left empty). Lists without paging arguments fail with ERR_LIMIT past
 *   WEB_RESULTS_MAX rows. Char arrays are always NUL-terminated.
 * - A store is one database connection: use it from one thread at a time
 *   (open one store per worker thread; SQLite's WAL lets them run together).
 */
#ifndef CRUCIBLE_WEB_STORAGE_H
#define CRUCIBLE_WEB_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* ---- error codes beyond common.h's ---------------------------------------- */
#define WEB_STORE_CONFLICT (-16)
#define WEB_STORE_BUSY (-17)
#define WEB_STORE_CORRUPT (-18)     /* a blob's content does not match its hash */
/* ops: storage faults, told apart so the HTTP layer can say what is wrong
 * (507 storage_full, 503 read_only) rather than a bare 500. FULL: SQLITE_FULL,
 * ENOSPC or EDQUOT; READONLY: SQLITE_READONLY, EROFS, EACCES or EPERM. */
#define WEB_STORE_FULL (-19)
#define WEB_STORE_READONLY (-20)

/* ---- size limits ------------------------------------------------------------
 * Every stored field has one; storage rejects a longer value with ERR_LIMIT
 * (ERR_INVALID for a malformed one) so the HTTP layer can answer 413/400.
 */
#define WEB_NAME_MAX 64             /* login, problem, contest and judge host names; token names */
#define WEB_TITLE_MAX 256           /* display names, titles, team names, test case names */
#define WEB_EMAIL_MAX 254
#define WEB_PASSWORD_HASH_MAX 255   /* crypto_pwhash_str() writes at most 127 */
#define WEB_HASH_HEX 64             /* BLAKE2b-256 as lowercase hex */
#define WEB_TOKEN_HEX 64            /* session, API and judge tokens: 32 random bytes as hex */
#define WEB_LANG_MAX 32             /* a language id, as judge.h's JDG_LANG_ID_MAX */
#define WEB_LANGUAGES_MAX 1024      /* a contest's allowed languages, "c,cpp,python3" */
#define WEB_FILENAME_MAX 128        /* a submission's file name */
#define WEB_VERDICT_MAX 15          /* "AC", "WA", ... */
#define WEB_LABEL_MAX 16            /* "A", "B2" */
#define WEB_COLOR_MAX 32            /* "#ff8800" or a CSS name */
#define WEB_ADDRESS_MAX 64          /* a client address as text */
#define WEB_CODE_MAX 64             /* a registration or invitation code */
#define WEB_SETTING_MAX (16 << 10)  /* one setting's value; keys are names */
#define WEB_TEXT_MAX (64 << 10)     /* clarification text, audit details */
#define WEB_JSON_MAX (64 << 10)     /* a judge host's capabilities */
#define WEB_MESSAGE_MAX 512         /* a test result's message, as judge.h's */
#define WEB_TESTS_MAX 100000        /* test results in one judging */
#define WEB_LIST_MAX 1000           /* rows in one page of a paged list */
#define WEB_RESULTS_MAX 1000000     /* submissions in one contest's results */
#define WEB_LEASE_MAX 86400         /* the longest lease a judge may take, seconds */

/* ---- enumerations (stored as their names) ----------------------------------- */
enum web_role { WEB_ROLE_ADMIN, WEB_ROLE_ORGANIZER, WEB_ROLE_TEACHER, WEB_ROLE_CONTESTANT, WEB_ROLE_JUDGE };
enum web_contest_role { WEB_CROLE_JURY, WEB_CROLE_PARTICIPANT };
enum web_registration { WEB_REG_ADMIN, WEB_REG_OPEN, WEB_REG_CODE };  /* admin-created only, open, by code */
enum web_rules { WEB_RULES_ICPC, WEB_RULES_IOI, WEB_RULES_OI };
enum web_clar_kind { WEB_CLAR_QUESTION, WEB_CLAR_ANSWER, WEB_CLAR_ANNOUNCEMENT };
enum web_sub_status { WEB_SUB_QUEUED, WEB_SUB_JUDGING, WEB_SUB_JUDGED };
enum web_login_scope { WEB_LOGIN_ACCOUNT, WEB_LOGIN_ADDRESS };

/* Names ("admin", "jury", "icpc", "queued", ...) are borrowed static strings;
 * the parsers return ERR_INVALID for an unknown name. */
const char *web_role_name(enum web_role v);
int web_role_parse(const char *s, enum web_role *out);
const char *web_contest_role_name(enum web_contest_role v);
int web_contest_role_parse(const char *s, enum web_contest_role *out);
const char *web_registration_name(enum web_registration v);
int web_registration_parse(const char *s, enum web_registration *out);
const char *web_rules_name(enum web_rules v);
int web_rules_parse(const char *s, enum web_rules *out);
const char *web_clar_kind_name(enum web_clar_kind v);
int web_clar_kind_parse(const char *s, enum web_clar_kind *out);
const char *web_sub_status_name(enum web_sub_status v);
int web_sub_status_parse(const char *s, enum web_sub_status *out);

/* ---- rows ---------------------------------------------------------------------- */

struct web_user {
    int64_t id;
    char name[WEB_NAME_MAX + 1];            /* unique ignoring case; [A-Za-z0-9._-] */
    char display_name[WEB_TITLE_MAX + 1];
    char email[WEB_EMAIL_MAX + 1];          /* "" when none */
    char password_hash[WEB_PASSWORD_HASH_MAX + 1];  /* crypto_pwhash_str(); "" = no password login */
    enum web_role role;
    int disabled;
    int64_t created_at;
};

struct web_session {
    int64_t id;
    int64_t user_id;
    int64_t created_at;
    int64_t expires_at;
    char address[WEB_ADDRESS_MAX + 1];      /* where it logged in from */
};

struct web_api_token {
    int64_t id;
    int64_t user_id;
    char name[WEB_NAME_MAX + 1];            /* what the owner calls it, "ci-upload" */
    int64_t created_at;
    int64_t expires_at;                     /* 0: never */
};

struct web_judge_host {
    int64_t id;
    char name[WEB_NAME_MAX + 1];            /* unique */
    int enabled;
    int64_t created_at;
    int64_t last_heartbeat;                 /* 0: never seen */
    int64_t current_judging_id;             /* 0: idle */
    char *capabilities;                     /* JSON object text; owned; never NULL once filled */
};

struct web_audit_entry {
    int64_t id;
    int64_t at;
    int64_t actor_user_id;                  /* 0: the system */
    char address[WEB_ADDRESS_MAX + 1];
    char action[WEB_NAME_MAX + 1];          /* "contest.update" */
    char target[WEB_TITLE_MAX + 1];         /* "contest 3" */
    char *detail;                           /* free text or JSON; owned; may be NULL on input */
};

/* Problem tags and difficulty (the archive's search): a tag is 1 to
 * WEB_TAG_MAX bytes of [a-z0-9+-] and spaces, not starting or ending with a
 * space; a problem has at most WEB_TAGS_MAX, kept sorted and unique. */
#define WEB_TAG_MAX 32
#define WEB_TAGS_MAX 16
#define WEB_DIFFICULTY_MAX 10       /* difficulties are 1 to this; 0 none */

struct web_problem {
    int64_t id;
    char short_name[WEB_NAME_MAX + 1];      /* unique ignoring case; [A-Za-z0-9._-] */
    char title[WEB_TITLE_MAX + 1];
    char package_hash[WEB_HASH_HEX + 1];    /* the package's blob */
    double time_limit;                      /* seconds, > 0 */
    int64_t memory_limit;                   /* bytes, > 0 */
    char type[WEB_NAME_MAX + 1];            /* "pass-fail", "scoring", "interactive", ... */
    int published;                          /* listed in the practice archive */
    int64_t created_by;                     /* user id; 0 none */
    int64_t created_at;
    int time_limit_inferred;                /* the package gives no time limit: judges infer it,
                                               and time_limit is only a placeholder */
    char statement_hash[WEB_HASH_HEX + 1];  /* the statement rendered to HTML; "" none */
    char samples_hash[WEB_HASH_HEX + 1];    /* the sample cases as JSON; "" none */
    /* tags and difficulty: written by create and update like the rest */
    int difficulty;                         /* 1 to WEB_DIFFICULTY_MAX; 0 none */
    size_t ntags;
    char tags[WEB_TAGS_MAX][WEB_TAG_MAX + 1];   /* sorted, unique (web_problem_tag_add) */
};

struct web_contest {
    int64_t id;
    char short_name[WEB_NAME_MAX + 1];      /* unique ignoring case; [A-Za-z0-9._-] */
    char title[WEB_TITLE_MAX + 1];
    int64_t start_time;
    int64_t duration;                       /* seconds, > 0 */
    int64_t freeze;                         /* the board freezes this many seconds before the end; 0 never */
    int unfrozen;                           /* the jury lifted the freeze */
    int is_public;                          /* listed and visible without registration */
    enum web_registration registration;
    char registration_code[WEB_CODE_MAX + 1];   /* WEB_REG_CODE's code */
    int team_mode;                          /* 0: individuals, 1: teams */
    enum web_rules rules;
    int64_t penalty_minutes;                /* per rejected try, ICPC */
    char languages[WEB_LANGUAGES_MAX + 1];  /* comma-separated language ids; "" all */
    int64_t max_submissions;                /* per participant and problem; 0 unlimited */
    int64_t submission_interval;            /* seconds between one participant's submissions; 0 */
    int64_t created_by;
    int64_t created_at;
    /* AI leaderboards (api_leaderboard.c) */
    int64_t final_submissions;              /* K: final submissions a team may choose, 1 to WEB_AI_FINAL_MAX */
    int64_t daily_submissions;              /* per team (or user) and UTC day, failed ones not counted; 0 unlimited */
    int private_published;                  /* the jury revealed the private leaderboard */
    /* talent (api_talent.c) */
    int rated;                              /* its final standings change ratings (docs/ratings.md) */
};

struct web_contest_problem {
    int64_t contest_id;
    int64_t problem_id;
    char label[WEB_LABEL_MAX + 1];          /* unique in the contest */
    char color[WEB_COLOR_MAX + 1];          /* "" none */
    double points;                          /* IOI/OI weight; 1 in ICPC */
    int64_t ordinal;                        /* display order */
};

struct web_team {
    int64_t id;
    int64_t contest_id;
    char name[WEB_TITLE_MAX + 1];           /* unique in the contest */
    int64_t created_at;
};

/* A user's place in one contest. Team membership is a participant's team_id:
 * a user is in at most one team per contest. */
struct web_participant {
    int64_t contest_id;
    int64_t user_id;
    enum web_contest_role role;
    int64_t team_id;                        /* 0: none (individual contests, jury) */
    int64_t registered_at;
};

struct web_clarification {
    int64_t id;
    int64_t contest_id;
    int64_t problem_id;                     /* 0: general */
    enum web_clar_kind kind;
    int64_t from_user_id;                   /* 0: the jury */
    int64_t to_user_id;                     /* 0: everyone */
    int64_t team_id;                        /* the asking or addressed team; 0 none */
    int64_t reply_to;                       /* the question an answer answers; 0 none */
    int64_t created_at;
    char *text;                             /* owned; at most WEB_TEXT_MAX */
};

struct web_submission {
    int64_t id;
    int64_t user_id;
    int64_t team_id;                        /* 0: none */
    int64_t contest_id;                     /* 0: practice */
    int64_t problem_id;
    char language[WEB_LANG_MAX + 1];
    char filename[WEB_FILENAME_MAX + 1];    /* "sum.cpp" */
    char source_hash[WEB_HASH_HEX + 1];     /* the source's blob */
    int64_t source_size;
    int64_t submitted_at;
    enum web_sub_status status;             /* set by storage: queued on create */
    int ignored;                            /* judged, but left off scoreboards */
    int64_t assignment_id;                  /* courses: 0 none */
    int samples_only;                       /* judge: "run on samples": judged on data/sample only,
                                               seen by its owner and staff, counted nowhere */
};

/* One judging of a submission. A rejudge marks every earlier judging invalid
 * and queues the submission again; the next claim starts a new one. At most
 * one judging of a submission is valid: the one in effect or in progress. */
struct web_judging {
    int64_t id;
    int64_t submission_id;
    int64_t judge_host_id;
    int64_t started_at;
    int64_t lease_expires;
    int64_t finished_at;                    /* 0: not finished */
    char verdict[WEB_VERDICT_MAX + 1];      /* "" until finished */
    double score;
    double time_seconds;
    int64_t memory_bytes;
    char compile_output_hash[WEB_HASH_HEX + 1];  /* blob; "" none */
    int valid;
    double max_score;                       /* what the score is out of; 0 for pass-fail */
    char message[WEB_MESSAGE_MAX + 1];      /* the judge's note on a JE or CE, for the jury; "" */
};

/* On input to web_store_job_complete the strings are borrowed; in a list
 * from web_store_judging_tests they are owned by the list. */
struct web_test_result {
    int64_t ordinal;                        /* 0-based judging order */
    char *name;                             /* "secret/group1/03"; at most WEB_TITLE_MAX */
    char verdict[WEB_VERDICT_MAX + 1];
    double time_seconds;
    double wall_seconds;
    int64_t memory_bytes;
    double score;
    char *message;                          /* for the jury only; NULL or at most WEB_MESSAGE_MAX */
};

struct web_judging_result {
    const char *verdict;
    double score;
    double time_seconds;
    int64_t memory_bytes;
    const char *compile_output_hash;        /* NULL or "" none */
    const struct web_test_result *tests;
    size_t ntests;                          /* at most WEB_TESTS_MAX */
    double max_score;
    const char *message;                    /* NULL or at most WEB_MESSAGE_MAX; for the jury */
    /* scoreboards: the judge's per-group results (struct web_judging_group,
     * below; judging_id unused), NULL/0 when it sent none */
    const struct web_judging_group *groups;
    size_t ngroups;                         /* at most WEB_GROUPS_MAX */
    /* compute budgets: what the judging used, each 0 to WEB_COMPUTE_MAX */
    double cpu_seconds;                     /* the judge's cpu_seconds_total */
    double gpu_seconds;                     /* wall time x GPUs held */
};

/* What a judge needs to start: filled by web_store_job_claim. */
struct web_job {
    int64_t judging_id;
    int64_t submission_id;
    int64_t problem_id;
    int64_t contest_id;
    char language[WEB_LANG_MAX + 1];
    char filename[WEB_FILENAME_MAX + 1];
    char source_hash[WEB_HASH_HEX + 1];
    int64_t source_size;
    char package_hash[WEB_HASH_HEX + 1];
    double time_limit;
    int64_t memory_limit;
    int64_t lease_expires;
    int64_t gpus;                           /* compute budgets: GPUs the problem's runs need */
    int samples_only;                       /* judge: judge data/sample only */
};

/* One contest submission as a scoreboard sees it. */
struct web_contest_result {
    int64_t submission_id;
    int64_t user_id;
    int64_t team_id;
    int64_t problem_id;
    int64_t submitted_at;
    enum web_sub_status status;
    char verdict[WEB_VERDICT_MAX + 1];      /* the valid finished judging's; "" pending */
    double score;
    /* scoreboards */
    int64_t contest_id;                     /* 0: practice */
    int ignored;                            /* always 0 in web_store_contest_results */
    int64_t judging_id;                     /* the valid finished judging; 0 pending */
    double max_score;                       /* that judging's */
};

/* Filters for web_store_submission_list and _count; zero fields match all. */
struct web_submission_filter {
    int64_t contest_id;                     /* -1: practice only */
    int64_t user_id;
    int64_t team_id;
    int64_t problem_id;
    int status;                             /* -1 any, else an enum web_sub_status */
    int64_t before_id;                      /* paging: ids below this; 0 from the newest */
    size_t limit;                           /* at most WEB_LIST_MAX; 0 means WEB_LIST_MAX */
    int counted_only;                       /* judge: 1 leaves out samples-only runs (limits, counts) */
};

/* ---- scoreboards, the event log and judging groups (api_scoreboard.c, ccs.c) ----
 * How the event log works: every write that can change what a scoreboard or
 * the ICPC Contest API shows of a contest appends one row to `events`, in
 * the same transaction as the change: a contest created or updated
 * ("contest"), its problem set ("problems"), a team ("teams"), a participant
 * ("participants", ref = user id), a contest submission created or
 * (un)ignored or queued again ("submission"), a judging started, finished or
 * invalidated by a rejudge or an expired lease ("judging", ref = judging id),
 * a clarification ("clarification"). Ids only grow, so "everything after id
 * N" is what changed since a reader last looked: the scoreboard cache applies
 * just that, and the event feed uses ids as its tokens.
 */
#define WEB_GROUPS_MAX 1000         /* test data groups in one judging */
#define WEB_EVENT_KIND_MAX 15

/* One test data group's result in a judging: "secret/group1", in the
 * judge's order (parents first). */
struct web_judging_group {
    int64_t judging_id;
    int64_t ordinal;
    char name[WEB_TITLE_MAX + 1];
    double score;
    double max_score;
};

struct web_event {
    int64_t id;
    int64_t contest_id;
    char kind[WEB_EVENT_KIND_MAX + 1];      /* "contest", "submission", "judging", ... */
    int64_t ref_id;                         /* the changed object's id */
    int64_t submission_id;                  /* "submission" and "judging": the submission; else 0 */
    int64_t at;                             /* Unix time of the change */
};

/* Lists: v has n rows; release with the matching function (NULL-safe). */
#define WEB_LIST(type) struct type##_list { struct type *v; size_t n; }
WEB_LIST(web_user);
WEB_LIST(web_api_token);
WEB_LIST(web_judge_host);
WEB_LIST(web_audit_entry);
WEB_LIST(web_problem);
WEB_LIST(web_contest);
WEB_LIST(web_contest_problem);
WEB_LIST(web_team);
WEB_LIST(web_participant);
WEB_LIST(web_clarification);
WEB_LIST(web_submission);
WEB_LIST(web_judging);
WEB_LIST(web_test_result);
WEB_LIST(web_contest_result);
WEB_LIST(web_judging_group);
WEB_LIST(web_event);
#undef WEB_LIST

void web_judge_host_release(struct web_judge_host *h);
void web_audit_entry_release(struct web_audit_entry *e);
void web_clarification_release(struct web_clarification *c);
void web_user_list_release(struct web_user_list *l);
void web_api_token_list_release(struct web_api_token_list *l);
void web_judge_host_list_release(struct web_judge_host_list *l);
void web_audit_entry_list_release(struct web_audit_entry_list *l);
void web_problem_list_release(struct web_problem_list *l);
void web_contest_list_release(struct web_contest_list *l);
void web_contest_problem_list_release(struct web_contest_problem_list *l);
void web_team_list_release(struct web_team_list *l);
void web_participant_list_release(struct web_participant_list *l);
void web_clarification_list_release(struct web_clarification_list *l);
void web_submission_list_release(struct web_submission_list *l);
void web_judging_list_release(struct web_judging_list *l);
void web_test_result_list_release(struct web_test_result_list *l);
void web_contest_result_list_release(struct web_contest_result_list *l);

/* ---- rejudgings (storage functions below, after the judging queue) ------------------- */
#define WEB_REJUDGE_MAX 10000       /* submissions in one rejudging */

/* Which submissions: every non-zero field must match (at least one of the
 * first three is set by the caller). */
struct web_rejudge_filter {
    int64_t submission_id;
    int64_t problem_id;
    int64_t contest_id;
    int64_t jury_user_id;                   /* only contests where this user is jury */
    char verdict[WEB_VERDICT_MAX + 1];      /* only those whose finished verdict in effect is this */
};

struct web_rejudging {
    int64_t id;
    int64_t created_by;                     /* user id; 0 none */
    int64_t created_at;
    struct web_rejudge_filter filter;
};

struct web_rejudging_entry {
    int64_t submission_id;
    int64_t contest_id;                     /* 0: practice */
    int64_t problem_id;
    int64_t user_id;
    enum web_sub_status status;             /* now */
    char before[WEB_VERDICT_MAX + 1];       /* the verdict in effect before; "" none (pending) */
    char after[WEB_VERDICT_MAX + 1];        /* the new judging's verdict; "" while pending */
};

struct web_rejudging_entry_list {
    struct web_rejudging_entry *v;
    size_t n;
};
void web_rejudging_entry_list_release(struct web_rejudging_entry_list *l);
void web_judging_group_list_release(struct web_judging_group_list *l);
void web_event_list_release(struct web_event_list *l);

/* ---- problem tags and archive search (functions at the end) ---------------------------- */

/* What web_store_problem_search selects: every set field must match. */
struct web_problem_filter {
    int published_only;
    int64_t after_id;                       /* paging: ids above this */
    size_t limit;                           /* 0 means WEB_LIST_MAX */
    char q[WEB_TITLE_MAX + 1];              /* in the title or short name, ASCII case ignored; "" any */
    char tag[WEB_TAG_MAX + 1];              /* has this tag; "" any */
    int difficulty_min;                     /* 0 any; else problems without one do not match */
    int difficulty_max;                     /* 0 any; likewise */
};

/* A tag in use, and on how many of the problems counted. */
struct web_tag_count {
    char tag[WEB_TAG_MAX + 1];
    int64_t problems;
};

struct web_tag_count_list {
    struct web_tag_count *v;
    size_t n;
};
void web_tag_count_list_release(struct web_tag_count_list *l);

/* ---- compute budgets and scheduling (types; functions at the end) ---------------------------
 * Every judging records the CPU-seconds its runs used (the judge's
 * cpu_seconds_total) and its GPU-seconds (wall time x GPUs held). A contest
 * may cap them per user or per team, per UTC day and in total; a judge host
 * advertises what it offers and is handed only jobs that fit it. */
enum web_quota_scope { WEB_QUOTA_USER, WEB_QUOTA_TEAM };
const char *web_quota_scope_name(enum web_quota_scope v);
int web_quota_scope_parse(const char *s, enum web_quota_scope *out);

#define WEB_COMPUTE_MAX 1e12        /* seconds: the largest quota or usage figure kept */
#define WEB_GPUS_MAX 64             /* GPUs a problem may ask for or a host advertise */

/* One scope's quota in a contest; 0 in a field: unlimited. */
struct web_quota {
    int64_t contest_id;
    enum web_quota_scope scope;
    double cpu_seconds_per_day;
    double cpu_seconds_total;
    double gpu_seconds_per_day;
    double gpu_seconds_total;
    int64_t updated_at;
};

/* One user's or team's use of a contest's compute: finished judgings of its
 * submissions, valid or not (a rejudged run used the machine too); "day" is
 * the judgings finished at or after the day's start. */
struct web_usage {
    int64_t id;                             /* the user or team */
    double cpu_day, cpu_total;
    double gpu_day, gpu_total;
};

struct web_usage_list {
    struct web_usage *v;
    size_t n;
};
void web_usage_list_release(struct web_usage_list *l);

/* What a judge host offers a claim. */
struct web_claim_caps {
    const char *languages;                  /* "c,cpp"; NULL or "" any */
    int64_t gpus;                           /* free GPUs; a job needing more is not offered */
    int64_t memory_bytes;                   /* 0: unknown (no memory check) */
    int64_t max_jobs_per_user;              /* concurrent judgings per user; 0: no cap */
};

/* ---- AI leaderboards (api_leaderboard.c; functions at the end) ------------------------
 * A judging of an AI problem carries a public and a private score (the
 * judge's `ai` result). A problem is AI when one of its judgings does, or
 * when it has a row of its own here giving its direction and precision. */
#define WEB_AI_PRECISION_DEFAULT 5
#define WEB_AI_PRECISION_MAX 12     /* decimals shown at most */
#define WEB_AI_FINAL_DEFAULT 2
#define WEB_AI_FINAL_MAX 100        /* final submissions one team may choose */

struct web_ai_problem {
    int64_t problem_id;
    int stored;                             /* read: 0 when the problem has no row (the defaults) */
    int maximize;                           /* 1: higher is better (default) */
    int precision;                          /* 0 to WEB_AI_PRECISION_MAX decimals (default 5) */
};

/* One scored submission of a contest (not ignored; its valid finished
 * judging carries scores), as the leaderboards see it. */
struct web_ai_entry {
    int64_t submission_id;
    int64_t user_id;
    int64_t team_id;                        /* 0 none */
    int64_t problem_id;
    int64_t submitted_at;
    double public_score;
    double private_score;
    int baseline;                           /* marked by the jury */
    int final;                              /* chosen by its team as a final submission */
};

struct web_ai_entry_list {
    struct web_ai_entry *v;
    size_t n;
};
void web_ai_entry_list_release(struct web_ai_entry_list *l);

/* ---- AI problem files (api_problems.c; functions at the end) ------------------------
 * The regular files of an AI package's ai/public/ (the visible inputs that
 * contestants download), each kept in the blob store; and the metric's
 * name, shown in the problem's JSON. */
#define WEB_PROBLEM_FILES_MAX 32                    /* files of ai/public/ kept per problem */
#define WEB_PROBLEM_FILE_MAX ((int64_t)256 << 20)   /* bytes of one of them */
#define WEB_PROBLEM_FILES_TOTAL_MAX ((int64_t)512 << 20)  /* bytes of them all */
#define WEB_AI_METRIC_MAX 32                        /* "map@10" */

struct web_problem_file {
    char name[WEB_NAME_MAX + 1];            /* [A-Za-z0-9._-], not starting with '.' or '-' */
    char hash[WEB_HASH_HEX + 1];            /* its blob */
    int64_t size;                           /* bytes */
};

struct web_problem_file_list {
    struct web_problem_file *v;
    size_t n;
};
void web_problem_file_list_release(struct web_problem_file_list *l);

/* ---- courses (api_courses.c; functions at the end) ------------------------------------
 * A course has members (teachers, TAs, students), units that order its
 * lessons (Markdown pages) and assignments (sets of problems with open, due
 * and late-until times, a late rule and a counting rule). A submission made
 * for an assignment carries its id; grades are computed on read from the
 * valid judgings (docs/courses.md). */
#define WEB_COURSE_DESCRIPTION_MAX 4096
#define WEB_JOIN_CODE_MIN 4
#define WEB_JOIN_CODE_MAX 32            /* [A-Za-z0-9_-] */
#define WEB_STUDENT_NUMBER_MAX 64
#define WEB_LESSON_MARKDOWN_MAX ((size_t)256 << 10)
#define WEB_TEMPLATE_MAX ((size_t)64 << 10)
#define WEB_ASSIGNMENT_PROBLEMS_MAX 100

enum web_course_role { WEB_COURSE_TEACHER, WEB_COURSE_TA, WEB_COURSE_STUDENT };
enum web_late_rule { WEB_LATE_NONE, WEB_LATE_PERCENT_PER_DAY, WEB_LATE_COEFFICIENT_PER_HOUR };
enum web_counting { WEB_COUNT_BEST, WEB_COUNT_LAST };
enum web_feedback { WEB_FEEDBACK_ALL, WEB_FEEDBACK_SAMPLES, WEB_FEEDBACK_AFTER_DUE };
/* "teacher"/"ta"/"student", "none"/"percent_per_day"/"coefficient_per_hour",
 * "best"/"last", "all"/"samples"/"after_due". */
const char *web_course_role_name(enum web_course_role v);
int web_course_role_parse(const char *s, enum web_course_role *out);
const char *web_late_rule_name(enum web_late_rule v);
int web_late_rule_parse(const char *s, enum web_late_rule *out);
const char *web_counting_name(enum web_counting v);
int web_counting_parse(const char *s, enum web_counting *out);
const char *web_feedback_name(enum web_feedback v);
int web_feedback_parse(const char *s, enum web_feedback *out);

struct web_course {
    int64_t id;
    char title[WEB_TITLE_MAX + 1];
    char description[WEB_COURSE_DESCRIPTION_MAX + 1];
    char join_code[WEB_JOIN_CODE_MAX + 1];  /* unique */
    int64_t created_by;
    int64_t created_at;
};

struct web_course_member {
    int64_t course_id;
    int64_t user_id;
    enum web_course_role role;
    char student_number[WEB_STUDENT_NUMBER_MAX + 1];    /* "" none */
    char class_name[WEB_TITLE_MAX + 1];                 /* "" none */
    /* read only: the user's */
    char name[WEB_NAME_MAX + 1];
    char display_name[WEB_TITLE_MAX + 1];
};

struct web_course_unit {
    int64_t id;
    int64_t course_id;
    char title[WEB_TITLE_MAX + 1];
    int64_t position;
};

struct web_lesson {
    int64_t id;
    int64_t course_id;
    int64_t unit_id;
    char title[WEB_TITLE_MAX + 1];
    char *markdown;                         /* owned; NULL in lists; at most WEB_LESSON_MARKDOWN_MAX */
    int64_t position;
    int64_t created_at;
};

struct web_assignment {
    int64_t id;
    int64_t course_id;
    int64_t unit_id;                        /* 0 none */
    char title[WEB_TITLE_MAX + 1];
    int64_t open_time;
    int64_t due_time;
    int64_t late_until;                     /* >= due_time */
    enum web_late_rule late_rule;
    double late_value;
    enum web_counting counting;
    int64_t created_at;
};

struct web_assignment_problem {
    int64_t assignment_id;
    int64_t problem_id;
    int64_t position;
    double points;
    enum web_feedback feedback;
    char *template_text;                    /* owned in lists; borrowed on input; NULL = "" */
    /* read only: the problem's */
    char short_name[WEB_NAME_MAX + 1];
    char title[WEB_TITLE_MAX + 1];
};

struct web_extension {
    int64_t assignment_id;
    int64_t user_id;
    int64_t due_time;
    int64_t late_until;                     /* >= due_time */
    char name[WEB_NAME_MAX + 1];            /* read only: the user's */
};

#define WEB_LIST(type) struct type##_list { struct type *v; size_t n; }
WEB_LIST(web_course);
WEB_LIST(web_course_member);
WEB_LIST(web_course_unit);
WEB_LIST(web_lesson);
WEB_LIST(web_assignment);
WEB_LIST(web_assignment_problem);
WEB_LIST(web_extension);
#undef WEB_LIST
void web_lesson_release(struct web_lesson *l);
void web_course_list_release(struct web_course_list *l);
void web_course_member_list_release(struct web_course_member_list *l);
void web_course_unit_list_release(struct web_course_unit_list *l);
void web_lesson_list_release(struct web_lesson_list *l);
void web_assignment_list_release(struct web_assignment_list *l);
void web_assignment_problem_list_release(struct web_assignment_problem_list *l);
void web_extension_list_release(struct web_extension_list *l);

/* ---- ops: what /metrics and backups read (functions with the blobs) ---------------- */
#define WEB_OPS_VERDICTS_MAX 32         /* distinct verdicts counted; more are left out */

struct web_ops_verdict {
    char verdict[WEB_VERDICT_MAX + 1];
    int64_t count;
};

struct web_ops_stats {
    int64_t queued;                     /* submissions waiting for a judge */
    int64_t judging;                    /* valid judgings under way */
    int64_t submissions;                /* every submission stored */
    int64_t judgings;                   /* every judging, rejudged ones included */
    int64_t users, problems, contests;
    size_t nverdicts;
    struct web_ops_verdict verdicts[WEB_OPS_VERDICTS_MAX];  /* finished judgings by verdict, sorted */
};

/* ---- talent: profiles, who viewed them, ratings (api_talent.c; functions after the AI problem files') ----
 * A profile is private until its user makes it public; each view by
 * someone else and each export of it is logged. Ratings are computed from
 * rated contests' final standings (rating.h) and cached with the key of
 * what they were computed from (docs/ratings.md). */
#define WEB_PROFILE_FIELD_MAX 128           /* school, region */
#define WEB_PROFILE_BIO_MAX 4096
#define WEB_PROFILE_VIEWS_MAX 1000          /* views listed at most */

enum web_profile_view_kind { WEB_PROFILE_VIEW, WEB_PROFILE_EXPORT };
const char *web_profile_view_kind_name(enum web_profile_view_kind v);   /* "view", "export" */

struct web_profile {
    int64_t user_id;
    int is_public;                          /* opted in: listed, searchable, viewable */
    char school[WEB_PROFILE_FIELD_MAX + 1];
    char region[WEB_PROFILE_FIELD_MAX + 1];
    char bio[WEB_PROFILE_BIO_MAX + 1];      /* may hold line breaks */
    int64_t updated_at;                     /* 0: never saved (the defaults) */
    /* read only: the user's */
    char name[WEB_NAME_MAX + 1];
    char display_name[WEB_TITLE_MAX + 1];
    int64_t last_active;                    /* the latest submission's time; 0 none */
};

struct web_profile_list {
    struct web_profile *v;
    size_t n;
};
void web_profile_list_release(struct web_profile_list *l);

struct web_profile_view {
    int64_t viewer_id;                      /* 0: not logged in */
    char viewer_name[WEB_NAME_MAX + 1];     /* "" when none */
    int64_t at;
    enum web_profile_view_kind kind;
};

struct web_profile_view_list {
    struct web_profile_view *v;
    size_t n;
};
void web_profile_view_list_release(struct web_profile_view_list *l);

/* A rated contest that has ended, with the newest event of its log (any
 * change to its results appends one). */
struct web_rated_contest {
    int64_t contest_id;
    char title[WEB_TITLE_MAX + 1];
    int64_t end_time;
    int64_t last_event;
};

struct web_rated_contest_list {
    struct web_rated_contest *v;
    size_t n;
};
void web_rated_contest_list_release(struct web_rated_contest_list *l);

/* One user's result in one rated contest, as the cache keeps it. */
struct web_rating_change {
    int64_t contest_id;
    int64_t user_id;
    int64_t ordinal;                        /* the contest's position in rating order, from 1 */
    int64_t rank;                           /* on the final board */
    int64_t old_rating;
    int64_t new_rating;
};

struct web_rating_change_list {
    struct web_rating_change *v;
    size_t n;
};
void web_rating_change_list_release(struct web_rating_change_list *l);

/* A problem a user submitted to (submissions not ignored), and whether one
 * of them was accepted. */
struct web_user_problem {
    struct web_problem problem;
    int solved;
};

struct web_user_problem_list {
    struct web_user_problem *v;
    size_t n;
};
void web_user_problem_list_release(struct web_user_problem_list *l);

/* ---- similarity (api_similarity.c; functions at the end) -----------------------------
 * The submissions an assignment's similarity report compares. */
#define WEB_SIMILARITY_SUBMISSIONS_MAX 1000     /* students compared in one report */

struct web_similarity_entry {
    int64_t submission_id;
    int64_t user_id;
    char name[WEB_NAME_MAX + 1];            /* the user's */
    int64_t problem_id;
    char language[WEB_LANG_MAX + 1];
    char source_hash[WEB_HASH_HEX + 1];
    int64_t source_size;
};

struct web_similarity_entry_list {
    struct web_similarity_entry *v;
    size_t n;
};
void web_similarity_entry_list_release(struct web_similarity_entry_list *l);

/* ---- the engine interface -------------------------------------------------------
 * An engine fills one static struct web_store_ops. Callers never use it
 * directly: they call the web_store_* functions below, which check every
 * argument against the limits above, generate and hash tokens, and then call
 * the engine, so an engine receives only valid input and never sees a raw
 * token (only its BLAKE2b-256 hex hash). Each entry has the meaning of the
 * web_store_* function of the same name.
 */
struct web_store;

struct web_store_ops {
    const char *name;                       /* "sqlite" */
    void (*close)(struct web_store *s);
    int (*schema_version)(struct web_store *s, int64_t *out, struct err *err);
    int (*check)(struct web_store *s, struct err *err);
    int (*tx_begin)(struct web_store *s, struct err *err);
    int (*tx_commit)(struct web_store *s, struct err *err);
    int (*tx_rollback)(struct web_store *s, struct err *err);

    int (*setting_get)(struct web_store *s, const char *key, char **value, struct err *err);
    int (*setting_set)(struct web_store *s, const char *key, const char *value, struct err *err);

    int (*user_create)(struct web_store *s, struct web_user *u, struct err *err);
    int (*user_by_id)(struct web_store *s, int64_t id, struct web_user *out, struct err *err);
    int (*user_by_name)(struct web_store *s, const char *name, struct web_user *out, struct err *err);
    int (*user_update)(struct web_store *s, const struct web_user *u, struct err *err);
    int (*user_list)(struct web_store *s, int64_t after_id, size_t limit, struct web_user_list *out,
                     struct err *err);

    int (*session_create)(struct web_store *s, const char *token_hash, const struct web_session *in,
                          int64_t *id, struct err *err);
    int (*session_lookup)(struct web_store *s, const char *token_hash, int64_t now, struct web_session *out,
                          struct err *err);
    int (*session_delete)(struct web_store *s, const char *token_hash, struct err *err);
    int (*session_delete_user)(struct web_store *s, int64_t user_id, struct err *err);
    int (*session_purge)(struct web_store *s, int64_t now, int64_t *removed, struct err *err);

    int (*apitoken_create)(struct web_store *s, const char *token_hash, const struct web_api_token *in,
                           int64_t *id, struct err *err);
    int (*apitoken_lookup)(struct web_store *s, const char *token_hash, int64_t now,
                           struct web_api_token *out, struct err *err);
    int (*apitoken_list)(struct web_store *s, int64_t user_id, struct web_api_token_list *out,
                         struct err *err);
    int (*apitoken_revoke)(struct web_store *s, int64_t user_id, int64_t id, struct err *err);

    int (*login_failure_add)(struct web_store *s, enum web_login_scope scope, const char *key, int64_t now,
                             int64_t window, int64_t *count, struct err *err);
    int (*login_failure_count)(struct web_store *s, enum web_login_scope scope, const char *key,
                               int64_t now, int64_t window, int64_t *count, struct err *err);
    int (*login_failure_clear)(struct web_store *s, enum web_login_scope scope, const char *key,
                               struct err *err);

    int (*audit_add)(struct web_store *s, const struct web_audit_entry *e, int64_t *id, struct err *err);
    int (*audit_list)(struct web_store *s, int64_t before_id, size_t limit, struct web_audit_entry_list *out,
                      struct err *err);

    int (*judge_host_create)(struct web_store *s, const char *token_hash, struct web_judge_host *h,
                             struct err *err);
    int (*judge_host_by_id)(struct web_store *s, int64_t id, struct web_judge_host *out, struct err *err);
    int (*judge_host_by_token)(struct web_store *s, const char *token_hash, struct web_judge_host *out,
                               struct err *err);
    int (*judge_host_by_name)(struct web_store *s, const char *name, struct web_judge_host *out,
                              struct err *err);
    int (*judge_host_update)(struct web_store *s, const struct web_judge_host *h, struct err *err);
    int (*judge_host_list)(struct web_store *s, struct web_judge_host_list *out, struct err *err);
    int (*judge_host_heartbeat)(struct web_store *s, int64_t id, int64_t now, struct err *err);

    int (*problem_create)(struct web_store *s, struct web_problem *p, struct err *err);
    int (*problem_by_id)(struct web_store *s, int64_t id, struct web_problem *out, struct err *err);
    int (*problem_by_name)(struct web_store *s, const char *short_name, struct web_problem *out,
                           struct err *err);
    int (*problem_update)(struct web_store *s, const struct web_problem *p, struct err *err);
    int (*problem_list)(struct web_store *s, int published_only, int64_t after_id, size_t limit,
                        struct web_problem_list *out, struct err *err);

    int (*contest_create)(struct web_store *s, struct web_contest *c, struct err *err);
    int (*contest_by_id)(struct web_store *s, int64_t id, struct web_contest *out, struct err *err);
    int (*contest_by_name)(struct web_store *s, const char *short_name, struct web_contest *out,
                           struct err *err);
    int (*contest_update)(struct web_store *s, const struct web_contest *c, struct err *err);
    int (*contest_list)(struct web_store *s, int64_t after_id, size_t limit, struct web_contest_list *out,
                        struct err *err);
    int (*contest_problem_put)(struct web_store *s, const struct web_contest_problem *cp, struct err *err);
    int (*contest_problem_remove)(struct web_store *s, int64_t contest_id, int64_t problem_id,
                                  struct err *err);
    int (*contest_problems)(struct web_store *s, int64_t contest_id, struct web_contest_problem_list *out,
                            struct err *err);

    int (*team_create)(struct web_store *s, struct web_team *t, struct err *err);
    int (*team_by_id)(struct web_store *s, int64_t id, struct web_team *out, struct err *err);
    int (*teams_of_contest)(struct web_store *s, int64_t contest_id, struct web_team_list *out,
                            struct err *err);
    int (*participant_put)(struct web_store *s, const struct web_participant *p, struct err *err);
    int (*participant_get)(struct web_store *s, int64_t contest_id, int64_t user_id,
                           struct web_participant *out, struct err *err);
    int (*participant_remove)(struct web_store *s, int64_t contest_id, int64_t user_id, struct err *err);
    int (*participants)(struct web_store *s, int64_t contest_id, int64_t team_id,
                        struct web_participant_list *out, struct err *err);

    int (*clarification_create)(struct web_store *s, struct web_clarification *c, struct err *err);
    int (*clarification_by_id)(struct web_store *s, int64_t id, struct web_clarification *out,
                               struct err *err);
    int (*clarifications_for)(struct web_store *s, int64_t contest_id, int64_t user_id, int64_t team_id,
                              struct web_clarification_list *out, struct err *err);

    int (*submission_create)(struct web_store *s, struct web_submission *sub, struct err *err);
    int (*submission_by_id)(struct web_store *s, int64_t id, struct web_submission *out, struct err *err);
    int (*submission_list)(struct web_store *s, const struct web_submission_filter *f,
                           struct web_submission_list *out, struct err *err);
    int (*submission_count)(struct web_store *s, const struct web_submission_filter *f, int64_t *count,
                            struct err *err);
    int (*submission_set_ignored)(struct web_store *s, int64_t id, int ignored, struct err *err);
    int (*contest_results)(struct web_store *s, int64_t contest_id, struct web_contest_result_list *out,
                           struct err *err);

    int (*judging_by_id)(struct web_store *s, int64_t id, struct web_judging *out, struct err *err);
    int (*judgings_of_submission)(struct web_store *s, int64_t submission_id, struct web_judging_list *out,
                                  struct err *err);
    int (*judging_tests)(struct web_store *s, int64_t judging_id, struct web_test_result_list *out,
                         struct err *err);

    int (*job_claim)(struct web_store *s, int64_t judge_id, const char *languages, int64_t lease_seconds,
                     int64_t now, struct web_job *out, struct err *err);
    int (*job_heartbeat)(struct web_store *s, int64_t judge_id, int64_t judging_id, int64_t lease_seconds,
                         int64_t now, struct err *err);
    int (*job_complete)(struct web_store *s, int64_t judge_id, int64_t judging_id,
                        const struct web_judging_result *res, int64_t now, struct err *err);
    int (*job_expire)(struct web_store *s, int64_t now, int64_t *expired, struct err *err);
    int (*rejudge)(struct web_store *s, int64_t submission_id, struct err *err);

    /* rejudgings (the jury) */
    int (*rejudge_preview)(struct web_store *s, const struct web_rejudge_filter *f,
                           struct web_rejudging_entry_list *out, struct err *err);
    int (*rejudging_create)(struct web_store *s, struct web_rejudging *rj, int64_t *count, struct err *err);
    int (*rejudging_by_id)(struct web_store *s, int64_t id, struct web_rejudging *out, struct err *err);
    int (*rejudging_entries)(struct web_store *s, int64_t rejudging_id, struct web_rejudging_entry_list *out,
                             struct err *err);

    /* scoreboards, the event log and judging groups */
    int (*events)(struct web_store *s, int64_t contest_id, int64_t after_id, size_t limit,
                  struct web_event_list *out, struct err *err);
    int (*event_last)(struct web_store *s, int64_t contest_id, int64_t *id, struct err *err);
    int (*contest_result)(struct web_store *s, int64_t submission_id, struct web_contest_result *out,
                          struct err *err);
    int (*contest_groups)(struct web_store *s, int64_t contest_id, int64_t submission_id,
                          struct web_judging_group_list *out, struct err *err);
    int (*problem_groups)(struct web_store *s, int64_t problem_id, struct web_judging_group_list *out,
                          struct err *err);
    int (*judging_groups)(struct web_store *s, int64_t judging_id, struct web_judging_group_list *out,
                          struct err *err);
    int (*contest_judgings)(struct web_store *s, int64_t contest_id, struct web_judging_list *out,
                            struct err *err);

    /* problem tags and archive search */
    int (*problem_search)(struct web_store *s, const struct web_problem_filter *f, struct web_problem_list *out,
                          struct err *err);
    int (*problem_tag_counts)(struct web_store *s, int published_only, struct web_tag_count_list *out,
                              struct err *err);

    /* live judging progress */
    int (*job_progress)(struct web_store *s, int64_t judge_id, int64_t judging_id,
                        const struct web_test_result *tests, size_t n, int64_t lease_seconds, int64_t now,
                        struct err *err);

    /* compute budgets and scheduling */
    int (*job_claim_caps)(struct web_store *s, int64_t judge_id, const struct web_claim_caps *caps,
                          int64_t lease_seconds, int64_t now, struct web_job *out, struct err *err);
    int (*problem_gpus_set)(struct web_store *s, int64_t problem_id, int64_t gpus, struct err *err);
    int (*problem_gpus_get)(struct web_store *s, int64_t problem_id, int64_t *gpus, struct err *err);
    int (*quota_get)(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, struct web_quota *out,
                     struct err *err);
    int (*quota_put)(struct web_store *s, const struct web_quota *q, struct err *err);
    int (*usage)(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, int64_t id, int64_t day_start,
                 struct web_usage_list *out, struct err *err);

    /* AI leaderboards */
    int (*judging_ai_set)(struct web_store *s, int64_t judging_id, double public_score, double private_score,
                          struct err *err);
    int (*ai_problem_get)(struct web_store *s, int64_t problem_id, struct web_ai_problem *out, struct err *err);
    int (*ai_problem_put)(struct web_store *s, const struct web_ai_problem *p, struct err *err);
    int (*ai_entries)(struct web_store *s, int64_t contest_id, struct web_ai_entry_list *out, struct err *err);
    int (*ai_final_set)(struct web_store *s, int64_t contest_id, int64_t team_id, int64_t user_id,
                        const int64_t *submission_ids, size_t n, struct err *err);
    int (*ai_baseline_set)(struct web_store *s, int64_t submission_id, int baseline, struct err *err);
    int (*ai_daily_count)(struct web_store *s, int64_t contest_id, int64_t team_id, int64_t user_id, int64_t from,
                          int64_t to, int64_t *count, struct err *err);
    /* AI problem files (api_problems.c) */
    int (*problem_files_put)(struct web_store *s, int64_t problem_id, const struct web_problem_file *files, size_t n,
                             struct err *err);
    int (*problem_files)(struct web_store *s, int64_t problem_id, struct web_problem_file_list *out, struct err *err);
    int (*ai_metric_set)(struct web_store *s, int64_t problem_id, const char *metric, struct err *err);
    int (*ai_metric_get)(struct web_store *s, int64_t problem_id, char out[WEB_AI_METRIC_MAX + 1], struct err *err);
    /* talent (api_talent.c) */
    int (*profile_get)(struct web_store *s, int64_t user_id, struct web_profile *out, struct err *err);
    int (*profile_put)(struct web_store *s, const struct web_profile *p, struct err *err);
    int (*profiles_public)(struct web_store *s, struct web_profile_list *out, struct err *err);
    int (*profile_view_add)(struct web_store *s, int64_t user_id, int64_t viewer_id, enum web_profile_view_kind kind,
                            int64_t at, int64_t since, struct err *err);
    int (*profile_views)(struct web_store *s, int64_t user_id, size_t limit, struct web_profile_view_list *out,
                         struct err *err);
    int (*rated_contests)(struct web_store *s, int64_t now, struct web_rated_contest_list *out, struct err *err);
    int (*rating_key_get)(struct web_store *s, char out[WEB_HASH_HEX + 1], struct err *err);
    int (*rating_store)(struct web_store *s, const char *key, const struct web_rating_change *v, size_t n,
                        struct err *err);
    int (*rating_changes)(struct web_store *s, int64_t user_id, struct web_rating_change_list *out, struct err *err);
    int (*user_problems)(struct web_store *s, int64_t user_id, int64_t now, struct web_user_problem_list *out,
                         struct err *err);
    /* ops: metrics and backups */
    int (*ops_stats)(struct web_store *s, struct web_ops_stats *out, struct err *err);
    int (*backup)(struct web_store *s, const char *dest_path, struct err *err);
    /* courses (api_courses.c) */
    int (*course_create)(struct web_store *s, struct web_course *c, struct err *err);
    int (*course_by_id)(struct web_store *s, int64_t id, struct web_course *out, struct err *err);
    int (*course_by_code)(struct web_store *s, const char *code, struct web_course *out, struct err *err);
    int (*course_update)(struct web_store *s, const struct web_course *c, struct err *err);
    int (*courses_of_user)(struct web_store *s, int64_t user_id, struct web_course_list *out, struct err *err);
    int (*course_member_put)(struct web_store *s, const struct web_course_member *m, struct err *err);
    int (*course_member_get)(struct web_store *s, int64_t course_id, int64_t user_id, struct web_course_member *out,
                             struct err *err);
    int (*course_member_remove)(struct web_store *s, int64_t course_id, int64_t user_id, struct err *err);
    int (*course_members)(struct web_store *s, int64_t course_id, struct web_course_member_list *out,
                          struct err *err);
    int (*course_unit_create)(struct web_store *s, struct web_course_unit *u, struct err *err);
    int (*course_units)(struct web_store *s, int64_t course_id, struct web_course_unit_list *out, struct err *err);
    int (*lesson_create)(struct web_store *s, struct web_lesson *l, struct err *err);
    int (*lesson_by_id)(struct web_store *s, int64_t id, struct web_lesson *out, struct err *err);
    int (*lesson_update)(struct web_store *s, const struct web_lesson *l, struct err *err);
    int (*lesson_delete)(struct web_store *s, int64_t id, struct err *err);
    int (*lessons_of_course)(struct web_store *s, int64_t course_id, struct web_lesson_list *out, struct err *err);
    int (*assignment_create)(struct web_store *s, struct web_assignment *a, const struct web_assignment_problem *p,
                             size_t n, struct err *err);
    int (*assignment_by_id)(struct web_store *s, int64_t id, struct web_assignment *out, struct err *err);
    int (*assignment_update)(struct web_store *s, const struct web_assignment *a,
                             const struct web_assignment_problem *p, size_t n, int replace_problems, struct err *err);
    int (*assignment_delete)(struct web_store *s, int64_t id, struct err *err);
    int (*assignments_of_course)(struct web_store *s, int64_t course_id, struct web_assignment_list *out,
                                 struct err *err);
    int (*assignment_problems)(struct web_store *s, int64_t assignment_id, struct web_assignment_problem_list *out,
                               struct err *err);
    int (*extension_put)(struct web_store *s, const struct web_extension *e, struct err *err);
    int (*extension_get)(struct web_store *s, int64_t assignment_id, int64_t user_id, struct web_extension *out,
                         struct err *err);
    int (*extension_remove)(struct web_store *s, int64_t assignment_id, int64_t user_id, struct err *err);
    int (*extensions)(struct web_store *s, int64_t assignment_id, struct web_extension_list *out, struct err *err);
    int (*assignment_results)(struct web_store *s, int64_t assignment_id, int64_t user_id,
                              struct web_contest_result_list *out, struct err *err);
    /* similarity (api_similarity.c) */
    int (*similarity_entries)(struct web_store *s, int64_t assignment_id, int64_t problem_id,
                              struct web_similarity_entry_list *out, struct err *err);
    int (*similarity_submission)(struct web_store *s, int64_t assignment_id, int64_t submission_id,
                                 struct web_similarity_entry *out, struct err *err);
    /* PostgreSQL: blobs kept in the database as well, for servers sharing it
     * (storage.c's blob functions call these; on SQLite save does nothing
     * and load finds nothing) */
    int (*blob_save)(struct web_store *s, const char *hex, const void *data, size_t len, struct err *err);
    int (*blob_load)(struct web_store *s, const char *hex, struct buf *out, struct err *err);
};

/* ---- opening ---------------------------------------------------------------------- */

/* Creates data_dir (and data_dir/blobs) if missing, opens or creates
 * data_dir/crucible.db in WAL mode with foreign keys on and a busy timeout,
 * and applies the schema migrations it lacks, each in its own transaction
 * recorded in schema_version. A database whose schema is newer than this
 * build knows is ERR_UNSUPPORTED. *out is the caller's: web_store_close(). */
int web_store_open(const char *data_dir, struct web_store **out, struct err *err);
/* The same with the database named: NULL or "" is SQLite in data_dir; a
 * libpq connection string ("postgresql://..." or "host=... dbname=...")
 * is PostgreSQL, with data_dir a local cache of the blobs, which the
 * database also keeps, so several servers can share one database.
 * web_store_open() takes it from the environment variable CRUCIBLE_DATABASE. */
int web_store_open_db(const char *data_dir, const char *database, struct web_store **out, struct err *err);
void web_store_close(struct web_store *s);                  /* NULL-safe */
const char *web_store_data_dir(const struct web_store *s);  /* borrowed */
const char *web_store_engine(const struct web_store *s);    /* "sqlite", "postgresql"; borrowed */
int web_store_schema_version(struct web_store *s, int64_t *out, struct err *err);
/* The engine's own consistency check (PRAGMA integrity_check, foreign keys). */
int web_store_check(struct web_store *s, struct err *err);

/* Groups several calls into one atomic write (a CSV import). Calls inside
 * that need their own transaction (job_claim, job_complete, ...) nest in it.
 * Not nestable itself: a second begin is ERR_INVALID. After a call inside
 * fails (a lookup finding nothing is not a failure), roll back: SQLite
 * carries on without that call, but on PostgreSQL the transaction is over,
 * every later call fails and commit reports the error, and a call that
 * failed without a database error may have left part of its writes. */
int web_store_tx_begin(struct web_store *s, struct err *err);
int web_store_tx_commit(struct web_store *s, struct err *err);
int web_store_tx_rollback(struct web_store *s, struct err *err);

/* ---- settings: installation-wide key/value pairs ------------------------------------
 * Known keys: "registration" (web_registration_name: admin, open, code) and
 * "registration_code". Keys are names; *value is the caller's (free()). */
int web_store_setting_get(struct web_store *s, const char *key, char **value, struct err *err);
int web_store_setting_set(struct web_store *s, const char *key, const char *value, struct err *err);

/* ---- accounts -------------------------------------------------------------------------
 * Passwords arrive already hashed (crypto_pwhash_str by the caller).
 * Create fills u->id; update writes every field but name and created_at. */
int web_store_user_create(struct web_store *s, struct web_user *u, struct err *err);
int web_store_user_by_id(struct web_store *s, int64_t id, struct web_user *out, struct err *err);
int web_store_user_by_name(struct web_store *s, const char *name, struct web_user *out, struct err *err);
int web_store_user_update(struct web_store *s, const struct web_user *u, struct err *err);
/* Ordered by id, ids above after_id; limit 0 means WEB_LIST_MAX. */
int web_store_user_list(struct web_store *s, int64_t after_id, size_t limit, struct web_user_list *out,
                        struct err *err);

/* ---- sessions and tokens ----------------------------------------------------------------
 * Tokens are 64 lowercase hex characters from randombytes_buf. Storage keeps
 * only BLAKE2b-256 of each (web_token_hash), so a leaked database lets nobody
 * in. Creating writes the token to token[WEB_TOKEN_HEX + 1]: show it once.
 * A malformed token looks up as ERR_NOTFOUND, like an unknown one. */
int web_store_session_create(struct web_store *s, int64_t user_id, const char *address, int64_t now,
                             int64_t ttl_seconds, char token[WEB_TOKEN_HEX + 1], struct err *err);
/* ERR_NOTFOUND unless the session exists, expires after now, and its user
 * is not disabled (so disabling a user logs them out; API tokens alike). */
int web_store_session_lookup(struct web_store *s, const char *token, int64_t now, struct web_session *out,
                             struct err *err);
int web_store_session_delete(struct web_store *s, const char *token, struct err *err);  /* log out */
int web_store_session_delete_user(struct web_store *s, int64_t user_id, struct err *err);  /* everywhere */
int web_store_session_purge(struct web_store *s, int64_t now, int64_t *removed, struct err *err);

/* expires_at 0: never. *id (optional) is the token's id, for revoking. */
int web_store_apitoken_create(struct web_store *s, int64_t user_id, const char *name, int64_t now,
                              int64_t expires_at, char token[WEB_TOKEN_HEX + 1], int64_t *id,
                              struct err *err);
int web_store_apitoken_lookup(struct web_store *s, const char *token, int64_t now,
                              struct web_api_token *out, struct err *err);
int web_store_apitoken_list(struct web_store *s, int64_t user_id, struct web_api_token_list *out,
                            struct err *err);
/* Only user_id's own token; user_id 0 revokes anyone's (admins). */
int web_store_apitoken_revoke(struct web_store *s, int64_t user_id, int64_t id, struct err *err);

/* Hashes a token as storage does: out gets 64 hex characters. */
void web_token_hash(const char *token, char out[WEB_HASH_HEX + 1]);

/* ---- login rate limiting ------------------------------------------------------------------
 * One failure counter per account name and per client address, over a
 * window: a failure more than `window` seconds after the counter's first one
 * starts a new count. The caller decides the thresholds. */
int web_store_login_failure_add(struct web_store *s, enum web_login_scope scope, const char *key,
                                int64_t now, int64_t window, int64_t *count, struct err *err);
int web_store_login_failure_count(struct web_store *s, enum web_login_scope scope, const char *key,
                                  int64_t now, int64_t window, int64_t *count, struct err *err);
int web_store_login_failure_clear(struct web_store *s, enum web_login_scope scope, const char *key,
                                  struct err *err);

/* ---- audit log of organizer and admin actions -------------------------------------------- */
int web_store_audit_add(struct web_store *s, const struct web_audit_entry *e, int64_t *id, struct err *err);
/* Newest first, ids below before_id (0: from the newest). */
int web_store_audit_list(struct web_store *s, int64_t before_id, size_t limit,
                         struct web_audit_entry_list *out, struct err *err);

/* ---- judge hosts ---------------------------------------------------------------------------
 * Create fills h->id and writes the host's token (its password) to token.
 * h->capabilities: JSON text, NULL meaning "{}". Update writes enabled and
 * capabilities. */
int web_store_judge_host_create(struct web_store *s, struct web_judge_host *h, char token[WEB_TOKEN_HEX + 1],
                                struct err *err);
int web_store_judge_host_by_id(struct web_store *s, int64_t id, struct web_judge_host *out, struct err *err);
/* ERR_NOTFOUND also for a disabled host. */
int web_store_judge_host_by_token(struct web_store *s, const char *token, struct web_judge_host *out,
                                  struct err *err);
/* Disabled hosts too (the caller decides). */
int web_store_judge_host_by_name(struct web_store *s, const char *name, struct web_judge_host *out,
                                 struct err *err);
int web_store_judge_host_update(struct web_store *s, const struct web_judge_host *h, struct err *err);
int web_store_judge_host_list(struct web_store *s, struct web_judge_host_list *out, struct err *err);
int web_store_judge_host_heartbeat(struct web_store *s, int64_t id, int64_t now, struct err *err);

/* ---- problems and contests ------------------------------------------------------------------
 * Create fills the id; update writes every field but the id, short name,
 * created_by and created_at. */
int web_store_problem_create(struct web_store *s, struct web_problem *p, struct err *err);
int web_store_problem_by_id(struct web_store *s, int64_t id, struct web_problem *out, struct err *err);
int web_store_problem_by_name(struct web_store *s, const char *short_name, struct web_problem *out,
                              struct err *err);
int web_store_problem_update(struct web_store *s, const struct web_problem *p, struct err *err);
int web_store_problem_list(struct web_store *s, int published_only, int64_t after_id, size_t limit,
                           struct web_problem_list *out, struct err *err);

int web_store_contest_create(struct web_store *s, struct web_contest *c, struct err *err);
int web_store_contest_by_id(struct web_store *s, int64_t id, struct web_contest *out, struct err *err);
int web_store_contest_by_name(struct web_store *s, const char *short_name, struct web_contest *out,
                              struct err *err);
int web_store_contest_update(struct web_store *s, const struct web_contest *c, struct err *err);
int web_store_contest_list(struct web_store *s, int64_t after_id, size_t limit, struct web_contest_list *out,
                           struct err *err);
/* Adds the problem to the contest or replaces its label, color, points, order. */
int web_store_contest_problem_put(struct web_store *s, const struct web_contest_problem *cp, struct err *err);
int web_store_contest_problem_remove(struct web_store *s, int64_t contest_id, int64_t problem_id,
                                     struct err *err);
/* In display order. */
int web_store_contest_problems(struct web_store *s, int64_t contest_id, struct web_contest_problem_list *out,
                               struct err *err);

/* ---- teams and participants ------------------------------------------------------------------ */
int web_store_team_create(struct web_store *s, struct web_team *t, struct err *err);
int web_store_team_by_id(struct web_store *s, int64_t id, struct web_team *out, struct err *err);
int web_store_teams_of_contest(struct web_store *s, int64_t contest_id, struct web_team_list *out,
                               struct err *err);
/* Registers the user in the contest or changes their role and team. A team
 * must belong to the same contest (ERR_INVALID otherwise). */
int web_store_participant_put(struct web_store *s, const struct web_participant *p, struct err *err);
int web_store_participant_get(struct web_store *s, int64_t contest_id, int64_t user_id,
                              struct web_participant *out, struct err *err);
int web_store_participant_remove(struct web_store *s, int64_t contest_id, int64_t user_id, struct err *err);
/* A contest's participants, or with team_id > 0 that team's members; by user id. */
int web_store_participants(struct web_store *s, int64_t contest_id, int64_t team_id,
                           struct web_participant_list *out, struct err *err);

/* ---- clarifications ---------------------------------------------------------------------------
 * Create fills c->id. A list for user_id 0 is the jury's (everything);
 * for a user it holds announcements, messages to everyone, what the user
 * (or, with team_id > 0, their team) sent, and what was sent to them. Oldest first. */
int web_store_clarification_create(struct web_store *s, struct web_clarification *c, struct err *err);
int web_store_clarification_by_id(struct web_store *s, int64_t id, struct web_clarification *out,
                                  struct err *err);
int web_store_clarifications_for(struct web_store *s, int64_t contest_id, int64_t user_id, int64_t team_id,
                                 struct web_clarification_list *out, struct err *err);

/* ---- submissions ------------------------------------------------------------------------------
 * Create fills sub->id and sets sub->status to queued: the submission is
 * on the judges' queue from the moment it is committed. */
int web_store_submission_create(struct web_store *s, struct web_submission *sub, struct err *err);
int web_store_submission_by_id(struct web_store *s, int64_t id, struct web_submission *out, struct err *err);
/* Newest first. */
int web_store_submission_list(struct web_store *s, const struct web_submission_filter *f,
                              struct web_submission_list *out, struct err *err);
/* Counts every match (limit and before_id are ignored). */
int web_store_submission_count(struct web_store *s, const struct web_submission_filter *f, int64_t *count,
                               struct err *err);
int web_store_submission_set_ignored(struct web_store *s, int64_t id, int ignored, struct err *err);
/* A contest's submissions that are not ignored, oldest first, each with its
 * valid judging's verdict: what a scoreboard is computed from. */
int web_store_contest_results(struct web_store *s, int64_t contest_id, struct web_contest_result_list *out,
                              struct err *err);

int web_store_judging_by_id(struct web_store *s, int64_t id, struct web_judging *out, struct err *err);
/* Every judging of the submission, valid or not, oldest first. */
int web_store_judgings_of_submission(struct web_store *s, int64_t submission_id, struct web_judging_list *out,
                                     struct err *err);
/* In judging order. */
int web_store_judging_tests(struct web_store *s, int64_t judging_id, struct web_test_result_list *out,
                            struct err *err);

/* ---- the judging queue ---------------------------------------------------------------------------
 * How this works: a submission is queued until a judge claims it. A claim
 * runs in one write transaction (BEGIN IMMEDIATE, so two judges' claims are
 * serialised and never see the same queued row): it first puts back jobs
 * whose lease has expired, then takes the oldest queued submission, marks it
 * judging and starts a valid judging owned by the judge with a lease until
 * now + lease_seconds. The judge renews the lease with heartbeats while it
 * works. Only the judge holding an unexpired lease on a valid, unfinished
 * judging may heartbeat or complete it; completing finishes it once and marks
 * the submission judged. job_expire invalidates judgings whose lease ran out
 * and queues their submissions again; a rejudge does the same for one
 * submission at any time. Invalid judgings stay as history.
 */
/* ERR_NOTFOUND: nothing queued. ERR_INVALID: no such enabled judge host. */
int web_store_job_claim(struct web_store *s, int64_t judge_id, int64_t lease_seconds, int64_t now,
                        struct web_job *out, struct err *err);
/* The same, taking the oldest queued submission in one of `languages`
 * (comma-separated ids, "c,cpp,python3"; NULL or "" any): a judge is given
 * only work it can run, and the rest waits for another judge. */
int web_store_job_claim_for(struct web_store *s, int64_t judge_id, const char *languages,
                            int64_t lease_seconds, int64_t now, struct web_job *out, struct err *err);
/* Extends the lease to now + lease_seconds. WEB_STORE_CONFLICT: the lease is lost. */
int web_store_job_heartbeat(struct web_store *s, int64_t judge_id, int64_t judging_id, int64_t lease_seconds,
                            int64_t now, struct err *err);
/* WEB_STORE_CONFLICT: not the holder, the lease expired, rejudged, or already complete. */
int web_store_job_complete(struct web_store *s, int64_t judge_id, int64_t judging_id,
                           const struct web_judging_result *res, int64_t now, struct err *err);
/* *expired (optional): how many jobs went back on the queue. */
int web_store_job_expire(struct web_store *s, int64_t now, int64_t *expired, struct err *err);
int web_store_rejudge(struct web_store *s, int64_t submission_id, struct err *err);

/* ---- rejudgings: the jury judges a set of submissions again -------------------------------------
 * A rejudging records who asked, when, which submissions and each one's
 * verdict in effect before; then every one of them is rejudged as
 * web_store_rejudge does, all in one transaction. The new verdicts ("after")
 * are read from the submissions' new judgings as judges finish them. */
/* The submissions f selects with their verdicts in effect ("before"), by
 * id; changes nothing. ERR_LIMIT past WEB_REJUDGE_MAX. */
int web_store_rejudge_preview(struct web_store *s, const struct web_rejudge_filter *f,
                              struct web_rejudging_entry_list *out, struct err *err);
/* Records rj (filling rj->id) with the submissions rj->filter selects and
 * rejudges them, atomically; *count (optional) gets how many. ERR_NOTFOUND:
 * it selects nothing; ERR_LIMIT: more than WEB_REJUDGE_MAX. */
int web_store_rejudging_create(struct web_store *s, struct web_rejudging *rj, int64_t *count, struct err *err);
int web_store_rejudging_by_id(struct web_store *s, int64_t id, struct web_rejudging *out, struct err *err);
/* The rejudging's submissions, by id, with before and after verdicts. */
int web_store_rejudging_entries(struct web_store *s, int64_t rejudging_id, struct web_rejudging_entry_list *out,
                                struct err *err);

/* ---- content-addressed blobs ------------------------------------------------------------------------
 * Sources, packages and compile outputs live at data_dir/blobs/ab/cdef...,
 * named by the BLAKE2b-256 of their content in lowercase hex. A put writes a
 * temporary file in the same folder, syncs it and renames it into place, so
 * a reader sees the whole blob or none; putting an existing blob again is
 * cheap. A get re-hashes what it reads: a mismatch is WEB_STORE_CORRUPT. */
int web_blob_put(struct web_store *s, const void *data, size_t len, char hex[WEB_HASH_HEX + 1],
                 struct err *err);
/* Copies fd to EOF; ERR_LIMIT past max_bytes (nothing is kept then). */
int web_blob_put_fd(struct web_store *s, int fd, uint64_t max_bytes, char hex[WEB_HASH_HEX + 1],
                    struct err *err);
/* Appends the blob to out (ERR_LIMIT past out's cap); ERR_NOTFOUND if absent. */
int web_blob_get(struct web_store *s, const char *hex, struct buf *out, struct err *err);
/* The blob's path, for sending a file as is (unverified). ERR_INVALID for a malformed hash. */
int web_blob_path(struct web_store *s, const char *hex, char *out, size_t size, struct err *err);
/* 1 if hex is 64 lowercase hex characters. */
int web_hash_valid(const char *hex);
/* ops: the BLAKE2b-256 of fd's content from its current offset to EOF. */
int web_blob_hash_fd(int fd, char hex[WEB_HASH_HEX + 1], struct err *err);

/* ---- ops: metrics and backups --------------------------------------------------------------------- */
/* Counts for /metrics and a backup's manifest, read in one transaction. */
int web_store_ops_stats(struct web_store *s, struct web_ops_stats *out, struct err *err);
/* Copies the database as of one moment into dest_path, which must not
 * exist, while other connections and processes go on writing (SQLite's
 * online backup, in steps). The copy is mode 0640. */
int web_store_backup(struct web_store *s, const char *dest_path, struct err *err);

/* ---- scoreboards, the event log and judging groups (see the "how the event log
 * works" note above) --------------------------------------------------------------------------- */

/* The contest's events with ids above after_id, oldest first, at most limit
 * (0 means WEB_LIST_MAX). */
int web_store_events(struct web_store *s, int64_t contest_id, int64_t after_id, size_t limit,
                     struct web_event_list *out, struct err *err);
/* The newest event id of the contest (contest_id 0: of any); 0 when none. */
int web_store_event_last(struct web_store *s, int64_t contest_id, int64_t *id, struct err *err);
/* One submission as web_store_contest_results shows it, ignored or not. */
int web_store_contest_result(struct web_store *s, int64_t submission_id, struct web_contest_result *out,
                             struct err *err);
/* The groups of the valid finished judgings of the contest's submissions
 * that are not ignored (submission_id > 0: of that submission only), by
 * judging id, then ordinal. */
int web_store_contest_groups(struct web_store *s, int64_t contest_id, int64_t submission_id,
                             struct web_judging_group_list *out, struct err *err);
/* The groups of the newest judging of the problem that reported any: the
 * problem's test data groups as its judges see them. Empty if none did. */
int web_store_problem_groups(struct web_store *s, int64_t problem_id, struct web_judging_group_list *out,
                             struct err *err);
int web_store_judging_groups(struct web_store *s, int64_t judging_id, struct web_judging_group_list *out,
                             struct err *err);
/* The valid judgings (finished or not) of the contest's submissions, by id. */
int web_store_contest_judgings(struct web_store *s, int64_t contest_id, struct web_judging_list *out,
                               struct err *err);

/* ---- problem tags and archive search ------------------------------------------------------------- */

/* 1 if tag follows the rule above WEB_TAG_MAX. */
int web_problem_tag_valid(const char *tag);
/* Adds tag to p's sorted tags (a tag it has already is fine). ERR_INVALID
 * for a malformed tag, ERR_LIMIT when p has WEB_TAGS_MAX already. */
int web_problem_tag_add(struct web_problem *p, const char *tag, struct err *err);
/* The problems f selects, by id, with their tags. */
int web_store_problem_search(struct web_store *s, const struct web_problem_filter *f,
                             struct web_problem_list *out, struct err *err);
/* The tags of the problems (published_only: of the published ones), by tag,
 * with how many problems have each. */
int web_store_problem_tag_counts(struct web_store *s, int published_only, struct web_tag_count_list *out,
                                 struct err *err);

/* ---- live judging progress ------------------------------------------------------------------------
 * While it judges, a judge posts the tests judged so far. Renews the lease
 * as web_store_job_heartbeat does and stores tests[0..n) (borrowed) in the
 * judging's test results under their ordinals (each below WEB_TESTS_MAX),
 * replacing any already there: a repeated post changes nothing. The
 * result's tests replace them all (web_store_job_complete), and a judging
 * started by a rejudge or an expired lease starts with none.
 * WEB_STORE_CONFLICT: the lease is lost. */
int web_store_job_progress(struct web_store *s, int64_t judge_id, int64_t judging_id,
                           const struct web_test_result *tests, size_t n, int64_t lease_seconds, int64_t now,
                           struct err *err);

/* ---- compute budgets and scheduling ---------------------------------------------------------------
 * How a claim chooses (fair share): of the queued submissions the host can
 * run (language offered, the problem's GPUs <= caps->gpus, its memory limit
 * <= caps->memory_bytes when known), whose users have fewer than
 * caps->max_jobs_per_user judgings in progress, it takes the oldest job of
 * the user with the fewest judgings in progress (ties: the user whose oldest
 * such job is oldest). A user at the cap gets nothing started, even when no
 * one else has work: the cap is a cap. Otherwise as web_store_job_claim_for
 * (which is this with no GPUs, no memory check and no cap). */
int web_store_job_claim_caps(struct web_store *s, int64_t judge_id, const struct web_claim_caps *caps,
                             int64_t lease_seconds, int64_t now, struct web_job *out, struct err *err);
/* The GPUs a problem's runs need (0 to WEB_GPUS_MAX; 0 by default). */
int web_store_problem_gpus_set(struct web_store *s, int64_t problem_id, int64_t gpus, struct err *err);
int web_store_problem_gpus_get(struct web_store *s, int64_t problem_id, int64_t *gpus, struct err *err);
/* ERR_NOTFOUND: no quota for that scope (unlimited). */
int web_store_quota_get(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, struct web_quota *out,
                        struct err *err);
/* Replaces the scope's quota (fields 0 to WEB_COMPUTE_MAX). */
int web_store_quota_put(struct web_store *s, const struct web_quota *q, struct err *err);
/* The contest's usage per user (or per team), by id; id > 0: that one only
 * (a row of zeros when it used nothing). day_start: the UTC day's start. */
int web_store_usage(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, int64_t id,
                    int64_t day_start, struct web_usage_list *out, struct err *err);

/* ---- AI leaderboards ----------------------------------------------------------------------------------
 * Scores are finite numbers. */
int web_store_judging_ai_set(struct web_store *s, int64_t judging_id, double public_score, double private_score,
                             struct err *err);
/* A problem without a row reads as the defaults with stored = 0. */
int web_store_ai_problem_get(struct web_store *s, int64_t problem_id, struct web_ai_problem *out, struct err *err);
int web_store_ai_problem_put(struct web_store *s, const struct web_ai_problem *p, struct err *err);
/* The contest's scored submissions, oldest first. */
int web_store_ai_entries(struct web_store *s, int64_t contest_id, struct web_ai_entry_list *out, struct err *err);
/* Replaces the final choice of a team (team_id > 0) or of a user without a
 * team; ids[0..n) must be theirs (the caller checks). n = 0 clears it. */
int web_store_ai_final_set(struct web_store *s, int64_t contest_id, int64_t team_id, int64_t user_id,
                           const int64_t *submission_ids, size_t n, struct err *err);
int web_store_ai_baseline_set(struct web_store *s, int64_t submission_id, int baseline, struct err *err);
/* How many of the team's (team_id > 0) or the user's contest submissions
 * made in [from, to) count against a daily limit: all but the failed ones
 * (finished without a score and not AC: compile errors, crashes, invalid
 * predictions). */
int web_store_ai_daily_count(struct web_store *s, int64_t contest_id, int64_t team_id, int64_t user_id, int64_t from,
                             int64_t to, int64_t *count, struct err *err);

/* ---- AI problem files ----------------------------------------------------------------------------------
 * Replaces the problem's files with files[0..n) (n <= WEB_PROBLEM_FILES_MAX;
 * names unique). The list is by name. */
int web_store_problem_files_put(struct web_store *s, int64_t problem_id, const struct web_problem_file *files,
                                size_t n, struct err *err);
int web_store_problem_files(struct web_store *s, int64_t problem_id, struct web_problem_file_list *out,
                            struct err *err);
/* The AI metric's name ("accuracy", "map@10"); "" when none was stored. */
int web_store_ai_metric_set(struct web_store *s, int64_t problem_id, const char *metric, struct err *err);
int web_store_ai_metric_get(struct web_store *s, int64_t problem_id, char out[WEB_AI_METRIC_MAX + 1],
                            struct err *err);

/* ---- talent: profiles, views, ratings ---------------------------------------------------------------------
 * A user without a saved profile reads as the defaults (private, fields
 * empty, updated_at 0); ERR_NOTFOUND for no such user. */
int web_store_profile_get(struct web_store *s, int64_t user_id, struct web_profile *out, struct err *err);
/* Creates or replaces the profile's own fields (is_public, school, region,
 * bio, updated_at). */
int web_store_profile_put(struct web_store *s, const struct web_profile *p, struct err *err);
/* Every public profile of an enabled account, by user id. */
int web_store_profiles_public(struct web_store *s, struct web_profile_list *out, struct err *err);
/* Logs a view (viewer_id 0: anonymous) unless, when since > 0, the same
 * viewer's view of the same kind was logged at or after since. */
int web_store_profile_view_add(struct web_store *s, int64_t user_id, int64_t viewer_id,
                               enum web_profile_view_kind kind, int64_t at, int64_t since, struct err *err);
/* The newest first; limit 1 to WEB_PROFILE_VIEWS_MAX. */
int web_store_profile_views(struct web_store *s, int64_t user_id, size_t limit, struct web_profile_view_list *out,
                            struct err *err);
/* The rated contests ended by now, in rating order: by end time, then id. */
int web_store_rated_contests(struct web_store *s, int64_t now, struct web_rated_contest_list *out, struct err *err);
/* The cache's key ("" when nothing is cached) and its replacement, key and
 * rows together in one transaction. */
int web_store_rating_key_get(struct web_store *s, char out[WEB_HASH_HEX + 1], struct err *err);
int web_store_rating_store(struct web_store *s, const char *key, const struct web_rating_change *v, size_t n,
                           struct err *err);
/* The cached changes (user_id > 0: that user's) by ordinal, then user. */
int web_store_rating_changes(struct web_store *s, int64_t user_id, struct web_rating_change_list *out,
                             struct err *err);
/* The problems the user submitted to that anyone may know of (published,
 * or in a public contest ended by now), by id, with tags. */
int web_store_user_problems(struct web_store *s, int64_t user_id, int64_t now, struct web_user_problem_list *out,
                            struct err *err);


/* ---- courses --------------------------------------------------------------------------------------------
 * Creating a course does not make anyone a member: the caller adds the
 * teacher (api_courses.c does, in one transaction). Lists: courses by id
 * (user_id 0: all, else those the user is a member of); members by role
 * (teachers, TAs, students), then student number and name; units and
 * lessons by position, then id; assignments by open time, then id; an
 * assignment's problems by position. */
int web_store_course_create(struct web_store *s, struct web_course *c, struct err *err);
int web_store_course_by_id(struct web_store *s, int64_t id, struct web_course *out, struct err *err);
/* ERR_NOTFOUND for a code no course has (or a malformed one). */
int web_store_course_by_code(struct web_store *s, const char *code, struct web_course *out, struct err *err);
/* Title, description and join code. WEB_STORE_CONFLICT: the code is taken. */
int web_store_course_update(struct web_store *s, const struct web_course *c, struct err *err);
int web_store_courses_of_user(struct web_store *s, int64_t user_id, struct web_course_list *out, struct err *err);
/* Adds the member or changes its role, student number and class. */
int web_store_course_member_put(struct web_store *s, const struct web_course_member *m, struct err *err);
int web_store_course_member_get(struct web_store *s, int64_t course_id, int64_t user_id,
                                struct web_course_member *out, struct err *err);
int web_store_course_member_remove(struct web_store *s, int64_t course_id, int64_t user_id, struct err *err);
int web_store_course_members(struct web_store *s, int64_t course_id, struct web_course_member_list *out,
                             struct err *err);
int web_store_course_unit_create(struct web_store *s, struct web_course_unit *u, struct err *err);
int web_store_course_units(struct web_store *s, int64_t course_id, struct web_course_unit_list *out,
                           struct err *err);
int web_store_lesson_create(struct web_store *s, struct web_lesson *l, struct err *err);
/* out->markdown is the caller's: web_lesson_release(). */
int web_store_lesson_by_id(struct web_store *s, int64_t id, struct web_lesson *out, struct err *err);
/* Unit, title, markdown and position. */
int web_store_lesson_update(struct web_store *s, const struct web_lesson *l, struct err *err);
int web_store_lesson_delete(struct web_store *s, int64_t id, struct err *err);
int web_store_lessons_of_course(struct web_store *s, int64_t course_id, struct web_lesson_list *out,
                                struct err *err);
/* The assignment and its problems p[0..n) (n <= WEB_ASSIGNMENT_PROBLEMS_MAX,
 * problems unique), atomically; fills a->id. */
int web_store_assignment_create(struct web_store *s, struct web_assignment *a, const struct web_assignment_problem *p,
                                size_t n, struct err *err);
int web_store_assignment_by_id(struct web_store *s, int64_t id, struct web_assignment *out, struct err *err);
/* Everything but the course and created_at; replace_problems: the problem
 * set becomes p[0..n) (the same rules as create). */
int web_store_assignment_update(struct web_store *s, const struct web_assignment *a,
                                const struct web_assignment_problem *p, size_t n, int replace_problems,
                                struct err *err);
/* Removes it, its problems and extensions; its submissions stay, no longer
 * marked as the assignment's. */
int web_store_assignment_delete(struct web_store *s, int64_t id, struct err *err);
int web_store_assignments_of_course(struct web_store *s, int64_t course_id, struct web_assignment_list *out,
                                    struct err *err);
int web_store_assignment_problems(struct web_store *s, int64_t assignment_id,
                                  struct web_assignment_problem_list *out, struct err *err);
int web_store_extension_put(struct web_store *s, const struct web_extension *e, struct err *err);
int web_store_extension_get(struct web_store *s, int64_t assignment_id, int64_t user_id, struct web_extension *out,
                            struct err *err);
int web_store_extension_remove(struct web_store *s, int64_t assignment_id, int64_t user_id, struct err *err);
int web_store_extensions(struct web_store *s, int64_t assignment_id, struct web_extension_list *out,
                         struct err *err);
/* The assignment's submissions (user_id > 0: that user's), ignored ones
 * included (ignored is set), oldest first, each with its valid finished
 * judging (judging_id 0 while pending); contest_id is 0. */
int web_store_assignment_results(struct web_store *s, int64_t assignment_id, int64_t user_id,
                                 struct web_contest_result_list *out, struct err *err);

/* ---- similarity --------------------------------------------------------------------------------------------
 * For each student of the assignment's course (course role "student") who
 * made a submission for the problem in the assignment (samples-only runs
 * left out): their last judged submission, or their last one when none is
 * judged yet; by user name. ERR_LIMIT past WEB_SIMILARITY_SUBMISSIONS_MAX. */
int web_store_similarity_entries(struct web_store *s, int64_t assignment_id, int64_t problem_id,
                                 struct web_similarity_entry_list *out, struct err *err);
/* One submission made for the assignment (anyone's, any kind); ERR_NOTFOUND
 * when there is none or it belongs to no or another assignment. */
int web_store_similarity_submission(struct web_store *s, int64_t assignment_id, int64_t submission_id,
                                    struct web_similarity_entry *out, struct err *err);

#endif
