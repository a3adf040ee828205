/*
 * scoreboard.h: the scoring rules of a contest (ICPC, IOI, OI) as pure
 * logic: submissions and judgements go in one at a time, ranked rows come
 * out for a viewer (public, a team, the jury) at a given time, as C structs
 * or as the ICPC Contest API scoreboard JSON. No I/O, no globals, no clock:
 * the caller says what time it is.
 *
 * This is web/'s public scoreboard API; web/include/web.h includes it and it
 * will be folded into that header when the rest of web/ arrives.
 *
 * Ownership
 * - web_scoreboard_new() copies everything it needs from the contest
 *   description (strings, problem and team arrays), so the caller may free
 *   its description as soon as it returns. The scoreboard is freed with
 *   web_scoreboard_free().
 * - web_scoreboard_add()/_update() copy the submission (subtask scores
 *   included); its pointers are borrowed for the call only.
 * - A struct web_scoreboard_view is the caller's, freed with
 *   web_scoreboard_view_free(). Its rows and cells are owned by the view;
 *   the team_id/team_name strings in it are borrowed from the scoreboard,
 *   so a view must not outlive the scoreboard it came from. A view is a
 *   snapshot: later adds and updates do not change it.
 * - web_scoreboard_render() appends to a caller's struct buf.
 *
 * Threads: a scoreboard is not locked. web_scoreboard_view_new() updates the
 * scoreboard's cached rankings, so even "read" calls need the caller's lock
 * (or one scoreboard per thread).
 *
 * Cost, for T teams, P problems, k submissions in one team's cell for one
 * problem, S subtasks of that problem:
 * - add/update: O(1) expected to find the team, problem and submission
 *   (hash tables), O(k) to insert into the cell's time-ordered list,
 *   O(k * S) to recompute the cell in its two variants (live and frozen),
 *   O(P) to recompute the team's totals. Nothing else is touched; the two
 *   cached rankings are only marked stale.
 * - view_new: a stale ranking is re-sorted once, O(T log T); then O(T * P)
 *   to fill the rows (first-to-solve included), plus O(T) for a team's
 *   view, whose own row is live while the others' are frozen.
 * - render: O(T * P).
 */
#ifndef CRUCIBLE_WEB_SCOREBOARD_H
#define CRUCIBLE_WEB_SCOREBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* Named limits; a description or submission past them is ERR_LIMIT. */
#define WEB_SCOREBOARD_MAX_TEAMS 100000
#define WEB_SCOREBOARD_MAX_PROBLEMS 1000
#define WEB_SCOREBOARD_MAX_SUBTASKS 256
#define WEB_SCOREBOARD_MAX_SUBMISSIONS 10000000
#define WEB_SCOREBOARD_MAX_CELLS 4000000  /* teams x problems */
#define WEB_SCOREBOARD_ID_MAX 36        /* an API identifier: [A-Za-z0-9_][A-Za-z0-9_.-]*, not ending in '.' */
#define WEB_SCOREBOARD_NAME_MAX 512     /* bytes in a team name or problem label */
#define WEB_SCOREBOARD_SCORE_MAX 1e6    /* points in one submission or subtask (scores are
                                           kept exactly as integer millionths of a point) */

/* A contest time that never comes: no freeze, not unfrozen yet. */
#define WEB_SCOREBOARD_NEVER INT64_MAX

enum web_scoreboard_rules {
    WEB_SCOREBOARD_ICPC,        /* solved problems, then penalty time */
    WEB_SCOREBOARD_IOI,         /* sum over subtasks of the best over submissions (IOI 2017+) */
    WEB_SCOREBOARD_OI,          /* the last submission counts; hidden until the end */
};

/* The judge's verdicts (the same set as jdg_verdict, by name). */
enum web_scoreboard_verdict {
    WEB_SCOREBOARD_PENDING,     /* not judged yet */
    WEB_SCOREBOARD_AC,
    WEB_SCOREBOARD_WA,
    WEB_SCOREBOARD_TLE,
    WEB_SCOREBOARD_MLE,
    WEB_SCOREBOARD_OLE,
    WEB_SCOREBOARD_RTE,
    WEB_SCOREBOARD_CE,
    WEB_SCOREBOARD_JE,          /* judged, costs nothing, scores nothing (the CCS requirements
                                   show it as pending instead); a rejudge replaces it */
    WEB_SCOREBOARD_VERDICT_COUNT
};

#define WEB_SCOREBOARD_VERDICT_BIT(v) (1u << (v))
/* The verdicts that cost penalty time by default: WA, TLE, RTE, MLE, OLE.
 * Compile errors and judge errors are not the team's wrong answer. */
#define WEB_SCOREBOARD_PENALISED_DEFAULT \
    (WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_WA) | WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_TLE) | \
     WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_RTE) | WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_MLE) | \
     WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_OLE))

/* "AC", "WA", ..., "PENDING"; borrowed. */
const char *web_scoreboard_verdict_name(enum web_scoreboard_verdict v);
/* The inverse, also accepting "RE" for RTE; ERR_INVALID for anything else. */
int web_scoreboard_verdict_parse(const char *s, enum web_scoreboard_verdict *out);

/* ---- the contest -------------------------------------------------------- */

struct web_scoreboard_problem {
    const char *id;             /* API id, unique: "a" */
    const char *label;          /* "A" */
    double max_points;          /* IOI/OI: full score (a cell scoring it is "solved"); ICPC: unused */
    size_t n_subtasks;          /* IOI: subtasks (test groups) scored separately; 0: one */
};

struct web_scoreboard_team {
    const char *id;             /* API id, unique */
    const char *name;           /* display name; rows that tie are ordered by it */
    bool hidden;                /* excluded from the rows and from first-to-solve */
};

/*
 * All times are in milliseconds. start_ms is absolute (Unix time); the
 * others are contest time, milliseconds since the start.
 */
struct web_scoreboard_contest {
    enum web_scoreboard_rules rules;
    int64_t start_ms;           /* Unix time of the start */
    int64_t duration_ms;        /* submissions at or after it are refused */
    int64_t freeze_ms;          /* the board freezes here; WEB_SCOREBOARD_NEVER: no freeze */
    int64_t thaw_ms;            /* from here on everyone sees everything (the jury's "unfreeze",
                                   or the OI release of results); WEB_SCOREBOARD_NEVER: not yet */
    int penalty_minutes;        /* ICPC: per penalised rejection before the first AC; 20 */
    bool time_in_seconds;       /* times and penalties count seconds, not whole minutes */
    unsigned penalised;         /* ICPC: WEB_SCOREBOARD_VERDICT_BIT()s; WEB_SCOREBOARD_PENALISED_DEFAULT */
    bool score_tiebreak_time;   /* IOI/OI: equal scores ranked by the earlier last improvement;
                                   off (they share a rank) */
    const struct web_scoreboard_problem *problems;  /* in display order */
    size_t n_problems;
    const struct web_scoreboard_team *teams;
    size_t n_teams;
};

/* Fills the defaults above: ICPC, no freeze, not thawed, 20 minutes,
 * minute precision, the default penalised verdicts, no tie-break on time. */
void web_scoreboard_contest_init(struct web_scoreboard_contest *c);

struct web_scoreboard;

/* Checks and copies the description: ids unique, non-empty and within the
 * limits, times sane. ERR_INVALID/ERR_LIMIT with a message otherwise. */
int web_scoreboard_new(const struct web_scoreboard_contest *c, struct web_scoreboard **out,
                       struct err *err);
void web_scoreboard_free(struct web_scoreboard *sb);   /* NULL is fine */

/* The i-th problem's id and label in display order (the cells' order),
 * borrowed from the scoreboard; NULL past the last problem. */
const char *web_scoreboard_problem_id(const struct web_scoreboard *sb, size_t i);
const char *web_scoreboard_problem_label(const struct web_scoreboard *sb, size_t i);

/* The jury unfreezes (or releases OI results) at contest time at_ms;
 * WEB_SCOREBOARD_NEVER freezes again. ERR_INVALID for a time out of range. */
int web_scoreboard_set_thaw(struct web_scoreboard *sb, int64_t at_ms, struct err *err);

/* ---- submissions -------------------------------------------------------- */

struct web_scoreboard_submission {
    int64_t id;                 /* unique in the contest */
    const char *team_id;
    const char *problem_id;
    int64_t time_ms;            /* contest time; Unix time when time_absolute */
    bool time_absolute;
    enum web_scoreboard_verdict verdict;
    double score;               /* IOI/OI without subtask scores: the whole submission's
                                   (an IOI problem with subtasks refuses a score > 0 here) */
    const double *subtask_scores;   /* IOI/OI: n_subtasks of them (their sum is the score),
                                   or NULL (a CE or pending: every subtask 0); borrowed */
    size_t n_subtasks;          /* 0 or the problem's n_subtasks */
};

/* Adds a submission (pending or judged). ERR_NOTFOUND for an unknown team
 * or problem; ERR_INVALID for a repeated id, a time outside the contest, or
 * a score that is negative, not finite or past WEB_SCOREBOARD_SCORE_MAX.
 * On error nothing changes. */
int web_scoreboard_add(struct web_scoreboard *sb, const struct web_scoreboard_submission *s,
                       struct err *err);
/* A judgement or a rejudgement: replaces the verdict and scores of the
 * submission with s->id. Team, problem and time must be those it was added
 * with (ERR_INVALID otherwise); ERR_NOTFOUND for an unknown id. */
int web_scoreboard_update(struct web_scoreboard *sb, const struct web_scoreboard_submission *s,
                          struct err *err);

/* ---- views -------------------------------------------------------------- */

enum web_scoreboard_role {
    WEB_SCOREBOARD_PUBLIC,
    WEB_SCOREBOARD_TEAM,        /* a contestant: viewer.team_id */
    WEB_SCOREBOARD_JURY,        /* always the live board */
};

struct web_scoreboard_viewer {
    enum web_scoreboard_role role;
    const char *team_id;        /* WEB_SCOREBOARD_TEAM only; borrowed */
    int64_t now_ms;             /* contest time of the request */
};

/*
 * One team's result on one problem as the viewer may see it.
 * ICPC: num_judged counts judged submissions (CE and JE included) up to and
 * including the first AC; num_pending those not judged yet, or (frozen) made
 * after the freeze, before the first visible AC. Submissions after the first
 * AC are ignored.
 */
struct web_scoreboard_cell {
    int num_judged;
    int num_pending;
    int num_penalised;          /* ICPC: rejections that cost penalty time */
    bool solved;                /* ICPC: accepted; IOI/OI: score >= max_points > 0 */
    bool first_to_solve;        /* ICPC: the earliest AC among visible teams, with no
                                   earlier submission of any of them still pending */
    bool hidden;                /* OI before the results: only num_pending (all of them) is set */
    int64_t time;               /* ICPC: the solve time, IOI: the last improvement, OI: the
                                   counted submission's time; in minutes (rounded down) or
                                   seconds (time_in_seconds); -1 when none */
    int64_t time_ms;            /* the same, exact; -1 when none */
    double score;               /* IOI/OI */
};

struct web_scoreboard_row {
    size_t rank;                /* 1-based; teams that tie share it: 1, 2, 2, 4 */
    size_t team;                /* index in the contest's teams */
    const char *team_id;        /* borrowed from the scoreboard */
    const char *team_name;      /* borrowed from the scoreboard */
    int num_solved;
    int64_t penalty;            /* ICPC: total penalty time, minutes or seconds */
    int64_t last_time;          /* ICPC: the last AC; IOI/OI: the last improvement; same units; -1 */
    double score;               /* IOI/OI: the total */
    struct web_scoreboard_cell *cells;  /* n_problems, in contest order; owned by the view */
};

struct web_scoreboard_view {
    enum web_scoreboard_rules rules;
    struct web_scoreboard_viewer viewer;    /* team_id borrowed from the scoreboard */
    bool frozen;                /* others' submissions after the freeze show as pending */
    bool hidden;                /* OI: every result is hidden */
    size_t n_problems;
    size_t n_rows;              /* the teams that are not hidden */
    struct web_scoreboard_row *rows;    /* by rank, then team name, then team id */
};

/* The board as the viewer sees it at viewer->now_ms, which decides the
 * freeze, the thaw and OI hiding (submissions are not filtered by it: they
 * are added as they happen). ERR_NOTFOUND for a team viewer whose team_id
 * is unknown. */
int web_scoreboard_view_new(struct web_scoreboard *sb, const struct web_scoreboard_viewer *viewer,
                            struct web_scoreboard_view **out, struct err *err);
void web_scoreboard_view_free(struct web_scoreboard_view *v);  /* NULL is fine */
/* What web_scoreboard_view_new would decide for this viewer without making
 * the view: whether the board is frozen and whether OI results are hidden.
 * Views with the same flags, of the same board state, are identical except
 * for a team viewer's own row while frozen; the server caches the JSON of
 * such shared views. */
void web_scoreboard_view_flags(const struct web_scoreboard *sb, const struct web_scoreboard_viewer *viewer,
                               bool *frozen, bool *hidden);

/*
 * Appends the view as an ICPC Contest API (2023-06) scoreboard object:
 * {"time", "contest_time", "state", "rows": [{"rank", "team_id", "score",
 * "problems"}]}. The API's times are whole minutes, so with time_in_seconds
 * they are the seconds rounded down to minutes (the ranks stay exact).
 * ICPC cells carry "solved", IOI/OI cells "score"; an OI cell whose result
 * is hidden is rendered as all pending with score 0, which the schema
 * allows. "time" is left out where the schema forbids it (nothing solved
 * or scored). ERR_LIMIT if out's cap is reached; out is then left as it
 * was. Scores are written exactly (at most six decimals).
 */
int web_scoreboard_render(const struct web_scoreboard *sb, const struct web_scoreboard_view *v,
                          struct buf *out, struct err *err);

#endif
