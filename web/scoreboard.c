/*
 * scoreboard.c: ICPC, IOI and OI scoring, kept up to date one submission at
 * a time, ranked lazily, and rendered as the ICPC Contest API scoreboard.
 *
 * How this works
 * --------------
 * Every submission lives once in a pool; each (team, problem) cell keeps the
 * indices of its submissions ordered by (time, id). A cell's result depends
 * only on that list, so an add or a rejudge recomputes just its cell, then
 * the team's totals over its P cells, and marks the rankings stale.
 *
 * Each cell and each team total exists in two variants:
 * - live: what the judges know;
 * - frozen: the same with every submission made at or after the freeze
 *   counted as pending, whatever its verdict (a compile error would leak
 *   that something happened, so it is pending too).
 * A view picks, per team, one variant: the jury and everyone after the
 * thaw see live; while frozen, the public sees frozen rows and a team sees
 * its own row live among the others' frozen ones. Two rankings (live,
 * frozen) are cached as sorted key arrays and re-sorted only when stale; a
 * team's view moves its own live row into the frozen ranking, O(T).
 *
 * ICPC ranking (CCS requirements, "Scoring Data Generation"): more problems
 * solved, then less total penalty time, then the earlier last accepted
 * submission, all in the scoring unit (whole minutes rounded down, or
 * seconds); teams still equal share a rank and the next rank is skipped
 * (1, 2, 2, 4). Within a rank, rows are ordered by team name, then id (byte
 * order, not the Unicode collation the API suggests).
 *
 * First to solve (API awards): the earliest AC on a problem among the teams
 * on the board, by exact submission time, provided no submission made
 * strictly earlier by one of those teams is still pending in that view, so
 * the mark never has to move once set (except by a rejudge). Teams whose
 * first AC carries the very same millisecond share it.
 *
 * Scores are kept as integer millionths of a point, so sums do not depend
 * on the order of additions and equal totals compare equal.
 */
#include "scoreboard.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MICRO 1000000.0
#define MS_PER_MINUTE 60000
#define MS_PER_SECOND 1000
/* The API's absolute times have four-digit years: 9999-12-31T23:59:59.999Z. */
#define START_MS_MAX INT64_C(253402300799999)
#define PENALTY_MINUTES_MAX (24 * 60)

enum { LIVE, FROZEN };

/* ---- verdicts ----------------------------------------------------------- */

static const char *const verdict_names[WEB_SCOREBOARD_VERDICT_COUNT] = {
    [WEB_SCOREBOARD_PENDING] = "PENDING",
    [WEB_SCOREBOARD_AC] = "AC",
    [WEB_SCOREBOARD_WA] = "WA",
    [WEB_SCOREBOARD_TLE] = "TLE",
    [WEB_SCOREBOARD_MLE] = "MLE",
    [WEB_SCOREBOARD_OLE] = "OLE",
    [WEB_SCOREBOARD_RTE] = "RTE",
    [WEB_SCOREBOARD_CE] = "CE",
    [WEB_SCOREBOARD_JE] = "JE",
};

const char *web_scoreboard_verdict_name(enum web_scoreboard_verdict v)
{
    return (unsigned)v < WEB_SCOREBOARD_VERDICT_COUNT ? verdict_names[v] : "JE";
}

int web_scoreboard_verdict_parse(const char *s, enum web_scoreboard_verdict *out)
{
    if (!s)
        return ERR_INVALID;
    for (unsigned v = 0; v < WEB_SCOREBOARD_VERDICT_COUNT; v++) {
        if (strcmp(s, verdict_names[v]) == 0) {
            *out = (enum web_scoreboard_verdict)v;
            return 0;
        }
    }
    if (strcmp(s, "RE") == 0) {
        *out = WEB_SCOREBOARD_RTE;
        return 0;
    }
    return ERR_INVALID;
}

/* ---- state -------------------------------------------------------------- */

struct sub {
    int64_t id;
    int64_t time_ms;            /* contest time */
    int64_t score_micro;        /* the whole submission's score */
    size_t subtasks;            /* offset in sb->subtask_pool: the problem's n_subtasks values */
    uint32_t team;
    uint32_t problem;
    uint8_t verdict;
};

/* One variant of one cell. */
struct agg {
    int num_judged;
    int num_pending;
    int num_penalised;
    bool solved;                /* ICPC: accepted; score rules: full score */
    int64_t time_ms;            /* ICPC: first AC; IOI: last improvement; OI: counted sub; -1 */
    int64_t first_pending_ms;   /* earliest pending before the first AC; INT64_MAX if none */
    int64_t score_micro;
};

struct cell {
    uint32_t *subs;             /* pool indices ordered by (time, id) */
    uint32_t n, alloc;
    struct agg agg[2];
};

struct total {
    int num_solved;
    int64_t penalty;            /* scoring units */
    int64_t last;               /* scoring units; -1 */
    int64_t last_ms;            /* -1 */
    int64_t score_micro;
};

struct team {
    char *id;
    char *name;
    bool hidden;
    size_t name_rank;           /* position when ordered by (name, id) */
    struct total total[2];
};

struct problem {
    char *id;
    char *label;
    double max_points;
    int64_t max_micro;
    size_t n_subtasks;
};

/* What ranks a team: a higher better, then b lower better, then c lower better. */
struct key {
    int64_t a, b, c;
    size_t name_rank;
    uint32_t team;
};

struct ranking {
    struct key *keys;           /* the teams that are not hidden, sorted */
    size_t n;
    bool stale;
};

/* Open addressing; a slot holds index + 1, 0 is empty. */
struct index_map {
    uint32_t *slots;
    size_t mask;
    size_t used;
};

struct web_scoreboard {
    enum web_scoreboard_rules rules;
    int64_t start_ms, duration_ms, freeze_ms, thaw_ms;
    int64_t penalty_units;      /* per penalised rejection */
    int64_t unit_ms;            /* 60000 or 1000 */
    unsigned penalised;
    bool score_tiebreak_time;

    struct team *teams;
    size_t n_teams;
    size_t n_visible;
    uint32_t *name_order;       /* visible teams by (name, id) */
    struct problem *problems;
    size_t n_problems;
    struct index_map team_map, problem_map, sub_map;

    struct cell *cells;         /* n_teams * n_problems, row-major by team */
    struct sub *subs;
    size_t n_subs, alloc_subs;
    int64_t *subtask_pool;
    size_t n_pool, alloc_pool;
    int64_t *best;              /* IOI scratch: max_subtasks */
    size_t max_subtasks;

    struct ranking ranking[2];
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

static void *xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    size_t bytes = n * size;
    p = realloc(p, bytes ? bytes : 1);
    if (!p)
        abort();
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* ---- hash maps ---------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return mix64(h);
}

static void map_init(struct index_map *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2)
        cap <<= 1;
    m->slots = xcalloc(cap, sizeof(*m->slots));
    m->mask = cap - 1;
    m->used = 0;
}

static void map_release(struct index_map *m)
{
    free(m->slots);
    m->slots = NULL;
}

/* Teams and problems: fixed sets, keyed by their id strings. */
static const char *team_key(const struct web_scoreboard *sb, uint32_t i) { return sb->teams[i].id; }
static const char *problem_key(const struct web_scoreboard *sb, uint32_t i) { return sb->problems[i].id; }

static long str_map_find(const struct web_scoreboard *sb, const struct index_map *m,
                         const char *(*key)(const struct web_scoreboard *, uint32_t), const char *id)
{
    for (size_t i = hash_str(id) & m->mask;; i = (i + 1) & m->mask) {
        uint32_t slot = m->slots[i];
        if (!slot)
            return -1;
        if (strcmp(key(sb, slot - 1), id) == 0)
            return (long)(slot - 1);
    }
}

/* Inserts index idx under its key; returns the existing index if taken. */
static long str_map_insert(const struct web_scoreboard *sb, struct index_map *m,
                           const char *(*key)(const struct web_scoreboard *, uint32_t), uint32_t idx)
{
    const char *id = key(sb, idx);
    size_t i = hash_str(id) & m->mask;
    for (; m->slots[i]; i = (i + 1) & m->mask)
        if (strcmp(key(sb, m->slots[i] - 1), id) == 0)
            return (long)(m->slots[i] - 1);
    m->slots[i] = idx + 1;
    m->used++;
    return -1;
}

static long sub_map_find(const struct web_scoreboard *sb, int64_t id)
{
    const struct index_map *m = &sb->sub_map;
    for (size_t i = mix64((uint64_t)id) & m->mask;; i = (i + 1) & m->mask) {
        uint32_t slot = m->slots[i];
        if (!slot)
            return -1;
        if (sb->subs[slot - 1].id == id)
            return (long)(slot - 1);
    }
}

static void sub_map_put(struct web_scoreboard *sb, uint32_t idx)
{
    struct index_map *m = &sb->sub_map;
    if ((m->used + 1) * 2 > m->mask + 1) {
        struct index_map bigger;
        map_init(&bigger, m->mask + 1);
        for (size_t i = 0; i <= m->mask; i++) {
            if (!m->slots[i])
                continue;
            size_t j = mix64((uint64_t)sb->subs[m->slots[i] - 1].id) & bigger.mask;
            while (bigger.slots[j])
                j = (j + 1) & bigger.mask;
            bigger.slots[j] = m->slots[i];
            bigger.used++;
        }
        map_release(m);
        *m = bigger;
    }
    size_t i = mix64((uint64_t)sb->subs[idx].id) & m->mask;
    while (m->slots[i])
        i = (i + 1) & m->mask;
    m->slots[i] = idx + 1;
    m->used++;
}

/* ---- the contest -------------------------------------------------------- */

void web_scoreboard_contest_init(struct web_scoreboard_contest *c)
{
    memset(c, 0, sizeof(*c));
    c->rules = WEB_SCOREBOARD_ICPC;
    c->freeze_ms = WEB_SCOREBOARD_NEVER;
    c->thaw_ms = WEB_SCOREBOARD_NEVER;
    c->penalty_minutes = 20;
    c->penalised = WEB_SCOREBOARD_PENALISED_DEFAULT;
}

/* An API identifier (common.json): [A-Za-z0-9_] then [A-Za-z0-9_.-], at
 * most 36 characters, not ending in '.'. */
static bool id_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > WEB_SCOREBOARD_ID_MAX || s[0] == '.' || s[0] == '-' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '.' || ch == '-'))
            return false;
    }
    return true;
}

static bool points_valid(double x)
{
    return isfinite(x) && x >= 0 && x <= WEB_SCOREBOARD_SCORE_MAX;
}

static int64_t to_micro(double x)
{
    return (int64_t)llround(x * MICRO);
}

static int check_contest(const struct web_scoreboard_contest *c, struct err *err)
{
    if (c->rules != WEB_SCOREBOARD_ICPC && c->rules != WEB_SCOREBOARD_IOI && c->rules != WEB_SCOREBOARD_OI)
        return err_set(err, ERR_INVALID, "unknown scoring rules %d", (int)c->rules);
    if (c->start_ms < 0 || c->start_ms > START_MS_MAX)
        return err_set(err, ERR_INVALID, "start time %lld is out of range", (long long)c->start_ms);
    if (c->duration_ms <= 0 || c->duration_ms > START_MS_MAX - c->start_ms)
        return err_set(err, ERR_INVALID, "duration %lld ms is out of range", (long long)c->duration_ms);
    if (c->freeze_ms != WEB_SCOREBOARD_NEVER && (c->freeze_ms < 0 || c->freeze_ms > c->duration_ms))
        return err_set(err, ERR_INVALID, "freeze time %lld ms is outside the contest",
                       (long long)c->freeze_ms);
    if (c->thaw_ms != WEB_SCOREBOARD_NEVER && (c->thaw_ms < 0 || c->thaw_ms > START_MS_MAX - c->start_ms))
        return err_set(err, ERR_INVALID, "thaw time %lld ms is out of range", (long long)c->thaw_ms);
    if (c->penalty_minutes < 0 || c->penalty_minutes > PENALTY_MINUTES_MAX)
        return err_set(err, ERR_INVALID, "penalty of %d minutes is out of range", c->penalty_minutes);
    if (c->penalised & ~((1u << WEB_SCOREBOARD_VERDICT_COUNT) - 1))
        return err_set(err, ERR_INVALID, "unknown verdict in the penalised set");
    if (c->penalised & (WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_AC) |
                        WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_PENDING)))
        return err_set(err, ERR_INVALID, "AC and PENDING cannot be penalised");
    if (c->n_problems > WEB_SCOREBOARD_MAX_PROBLEMS)
        return err_set(err, ERR_LIMIT, "%zu problems, at most %d", c->n_problems, WEB_SCOREBOARD_MAX_PROBLEMS);
    if (c->n_teams > WEB_SCOREBOARD_MAX_TEAMS)
        return err_set(err, ERR_LIMIT, "%zu teams, at most %d", c->n_teams, WEB_SCOREBOARD_MAX_TEAMS);
    if (c->n_problems && c->n_teams > WEB_SCOREBOARD_MAX_CELLS / c->n_problems)
        return err_set(err, ERR_LIMIT, "%zu teams x %zu problems, at most %d cells",
                       c->n_teams, c->n_problems, WEB_SCOREBOARD_MAX_CELLS);
    if ((c->n_problems && !c->problems) || (c->n_teams && !c->teams))
        return err_set(err, ERR_INVALID, "missing problem or team array");
    for (size_t i = 0; i < c->n_problems; i++) {
        const struct web_scoreboard_problem *p = &c->problems[i];
        if (!id_valid(p->id))
            return err_set(err, ERR_INVALID, "problem %zu: invalid id '%s'", i, p->id ? p->id : "");
        if (p->label && strlen(p->label) > WEB_SCOREBOARD_NAME_MAX)
            return err_set(err, ERR_LIMIT, "problem '%s': label too long", p->id);
        if (!isfinite(p->max_points) || p->max_points < 0 ||
            p->max_points > WEB_SCOREBOARD_SCORE_MAX * WEB_SCOREBOARD_MAX_SUBTASKS)
            return err_set(err, ERR_INVALID, "problem '%s': max points out of range", p->id);
        if (p->n_subtasks > WEB_SCOREBOARD_MAX_SUBTASKS)
            return err_set(err, ERR_LIMIT, "problem '%s': %zu subtasks, at most %d",
                           p->id, p->n_subtasks, WEB_SCOREBOARD_MAX_SUBTASKS);
    }
    for (size_t i = 0; i < c->n_teams; i++) {
        const struct web_scoreboard_team *t = &c->teams[i];
        if (!id_valid(t->id))
            return err_set(err, ERR_INVALID, "team %zu: invalid id '%s'", i, t->id ? t->id : "");
        if (t->name && strlen(t->name) > WEB_SCOREBOARD_NAME_MAX)
            return err_set(err, ERR_LIMIT, "team '%s': name too long", t->id);
    }
    return 0;
}

static int name_order_cmp(const void *x, const void *y, void *ctx)
{
    const struct web_scoreboard *sb = ctx;
    const struct team *a = &sb->teams[*(const uint32_t *)x];
    const struct team *b = &sb->teams[*(const uint32_t *)y];
    int r = strcmp(a->name, b->name);
    return r ? r : strcmp(a->id, b->id);
}

static void total_reset(struct total *t)
{
    memset(t, 0, sizeof(*t));
    t->last = -1;
    t->last_ms = -1;
}

static void agg_reset(struct agg *a)
{
    memset(a, 0, sizeof(*a));
    a->time_ms = -1;
    a->first_pending_ms = INT64_MAX;
}

int web_scoreboard_new(const struct web_scoreboard_contest *c, struct web_scoreboard **out,
                       struct err *err)
{
    struct web_scoreboard *sb = NULL;
    int rc;

    *out = NULL;
    rc = check_contest(c, err);
    if (rc)
        goto out;

    sb = xcalloc(1, sizeof(*sb));
    sb->rules = c->rules;
    sb->start_ms = c->start_ms;
    sb->duration_ms = c->duration_ms;
    sb->freeze_ms = c->freeze_ms;
    sb->thaw_ms = c->thaw_ms;
    sb->unit_ms = c->time_in_seconds ? MS_PER_SECOND : MS_PER_MINUTE;
    sb->penalty_units = (int64_t)c->penalty_minutes * (c->time_in_seconds ? 60 : 1);
    sb->penalised = c->penalised;
    sb->score_tiebreak_time = c->score_tiebreak_time;

    sb->n_problems = c->n_problems;
    sb->problems = xcalloc(c->n_problems, sizeof(*sb->problems));
    map_init(&sb->problem_map, c->n_problems);
    for (size_t i = 0; i < c->n_problems; i++) {
        const struct web_scoreboard_problem *p = &c->problems[i];
        struct problem *q = &sb->problems[i];
        q->id = xstrdup(p->id);
        q->label = xstrdup(p->label ? p->label : p->id);
        q->max_points = p->max_points;
        q->max_micro = to_micro(p->max_points);
        q->n_subtasks = p->n_subtasks;
        if (q->n_subtasks > sb->max_subtasks)
            sb->max_subtasks = q->n_subtasks;
        if (str_map_insert(sb, &sb->problem_map, problem_key, (uint32_t)i) >= 0) {
            rc = err_set(err, ERR_INVALID, "problem id '%s' appears twice", p->id);
            goto out;
        }
    }
    sb->best = xcalloc(sb->max_subtasks, sizeof(*sb->best));

    sb->n_teams = c->n_teams;
    sb->teams = xcalloc(c->n_teams, sizeof(*sb->teams));
    map_init(&sb->team_map, c->n_teams);
    for (size_t i = 0; i < c->n_teams; i++) {
        const struct web_scoreboard_team *t = &c->teams[i];
        struct team *u = &sb->teams[i];
        u->id = xstrdup(t->id);
        u->name = xstrdup(t->name ? t->name : t->id);
        u->hidden = t->hidden;
        total_reset(&u->total[LIVE]);
        total_reset(&u->total[FROZEN]);
        if (!u->hidden)
            sb->n_visible++;
        if (str_map_insert(sb, &sb->team_map, team_key, (uint32_t)i) >= 0) {
            rc = err_set(err, ERR_INVALID, "team id '%s' appears twice", t->id);
            goto out;
        }
    }

    /* The display order within a rank, fixed for the contest. */
    sb->name_order = xcalloc(sb->n_visible, sizeof(*sb->name_order));
    for (size_t i = 0, j = 0; i < sb->n_teams; i++)
        if (!sb->teams[i].hidden)
            sb->name_order[j++] = (uint32_t)i;
    qsort_r(sb->name_order, sb->n_visible, sizeof(*sb->name_order), name_order_cmp, sb);
    for (size_t j = 0; j < sb->n_visible; j++)
        sb->teams[sb->name_order[j]].name_rank = j;

    sb->cells = xcalloc(sb->n_teams * sb->n_problems, sizeof(*sb->cells));
    for (size_t i = 0; i < sb->n_teams * sb->n_problems; i++) {
        agg_reset(&sb->cells[i].agg[LIVE]);
        agg_reset(&sb->cells[i].agg[FROZEN]);
    }
    map_init(&sb->sub_map, 1024);
    for (int v = LIVE; v <= FROZEN; v++) {
        sb->ranking[v].keys = xcalloc(sb->n_visible, sizeof(struct key));
        sb->ranking[v].n = sb->n_visible;
        sb->ranking[v].stale = true;
    }
    *out = sb;
    sb = NULL;
out:
    web_scoreboard_free(sb);
    return rc;
}

void web_scoreboard_free(struct web_scoreboard *sb)
{
    if (!sb)
        return;
    for (size_t i = 0; i < sb->n_problems; i++) {
        free(sb->problems[i].id);
        free(sb->problems[i].label);
    }
    free(sb->problems);
    for (size_t i = 0; i < sb->n_teams; i++) {
        free(sb->teams[i].id);
        free(sb->teams[i].name);
    }
    free(sb->teams);
    free(sb->name_order);
    if (sb->cells)
        for (size_t i = 0; i < sb->n_teams * sb->n_problems; i++)
            free(sb->cells[i].subs);
    free(sb->cells);
    free(sb->subs);
    free(sb->subtask_pool);
    free(sb->best);
    map_release(&sb->team_map);
    map_release(&sb->problem_map);
    map_release(&sb->sub_map);
    free(sb->ranking[LIVE].keys);
    free(sb->ranking[FROZEN].keys);
    free(sb);
}

const char *web_scoreboard_problem_id(const struct web_scoreboard *sb, size_t i)
{
    return i < sb->n_problems ? sb->problems[i].id : NULL;
}

const char *web_scoreboard_problem_label(const struct web_scoreboard *sb, size_t i)
{
    return i < sb->n_problems ? sb->problems[i].label : NULL;
}

int web_scoreboard_set_thaw(struct web_scoreboard *sb, int64_t at_ms, struct err *err)
{
    if (at_ms != WEB_SCOREBOARD_NEVER && (at_ms < 0 || at_ms > START_MS_MAX - sb->start_ms))
        return err_set(err, ERR_INVALID, "thaw time %lld ms is out of range", (long long)at_ms);
    /* Rankings do not depend on it: it only picks the variant a view uses. */
    sb->thaw_ms = at_ms;
    return 0;
}

/* ---- cells -------------------------------------------------------------- */

static int64_t to_units(const struct web_scoreboard *sb, int64_t ms)
{
    return ms < 0 ? -1 : ms / sb->unit_ms;
}

static bool has_freeze(const struct web_scoreboard *sb)
{
    return sb->freeze_ms != WEB_SCOREBOARD_NEVER;
}

static bool is_pending(const struct web_scoreboard *sb, const struct sub *s, int variant)
{
    return s->verdict == WEB_SCOREBOARD_PENDING || (variant == FROZEN && s->time_ms >= sb->freeze_ms);
}

static void cell_compute_icpc(const struct web_scoreboard *sb, const struct cell *c, int variant,
                              struct agg *a)
{
    agg_reset(a);
    for (uint32_t i = 0; i < c->n; i++) {
        const struct sub *s = &sb->subs[c->subs[i]];
        if (is_pending(sb, s, variant)) {
            a->num_pending++;
            if (a->first_pending_ms == INT64_MAX)
                a->first_pending_ms = s->time_ms;
            continue;
        }
        a->num_judged++;
        if (s->verdict == WEB_SCOREBOARD_AC) {
            a->solved = true;
            a->time_ms = s->time_ms;
            break;              /* later submissions do not count */
        }
        if (sb->penalised & WEB_SCOREBOARD_VERDICT_BIT(s->verdict))
            a->num_penalised++;
    }
}

/* IOI since 2017: a subtask's score is its best over all submissions. */
static void cell_compute_ioi(struct web_scoreboard *sb, const struct problem *p, const struct cell *c,
                             int variant, struct agg *a)
{
    agg_reset(a);
    memset(sb->best, 0, p->n_subtasks * sizeof(*sb->best));
    int64_t total = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        const struct sub *s = &sb->subs[c->subs[i]];
        if (is_pending(sb, s, variant)) {
            a->num_pending++;
            continue;
        }
        a->num_judged++;
        int64_t now_total;
        if (p->n_subtasks) {
            const int64_t *st = &sb->subtask_pool[s->subtasks];
            now_total = 0;
            for (size_t k = 0; k < p->n_subtasks; k++) {
                if (st[k] > sb->best[k])
                    sb->best[k] = st[k];
                now_total += sb->best[k];
            }
        } else {
            now_total = s->score_micro > total ? s->score_micro : total;
        }
        if (now_total > total) {
            total = now_total;
            a->time_ms = s->time_ms;
        }
    }
    a->score_micro = total;
    a->solved = p->max_micro > 0 && total >= p->max_micro;
}

/* OI: the last judged submission counts; a judge error is not the team's
 * answer, so it does not replace the one before. */
static void cell_compute_oi(const struct web_scoreboard *sb, const struct problem *p, const struct cell *c,
                            int variant, struct agg *a)
{
    const struct sub *last = NULL;
    agg_reset(a);
    for (uint32_t i = 0; i < c->n; i++) {
        const struct sub *s = &sb->subs[c->subs[i]];
        if (is_pending(sb, s, variant)) {
            a->num_pending++;
            continue;
        }
        a->num_judged++;
        if (s->verdict != WEB_SCOREBOARD_JE)
            last = s;
    }
    if (last && last->score_micro > 0) {
        a->score_micro = last->score_micro;
        a->time_ms = last->time_ms;
    }
    a->solved = p->max_micro > 0 && a->score_micro >= p->max_micro;
}

static void cell_compute(struct web_scoreboard *sb, size_t team, size_t problem)
{
    struct cell *c = &sb->cells[team * sb->n_problems + problem];
    const struct problem *p = &sb->problems[problem];
    int variants = has_freeze(sb) ? 2 : 1;
    for (int v = LIVE; v < variants; v++) {
        switch (sb->rules) {
        case WEB_SCOREBOARD_ICPC: cell_compute_icpc(sb, c, v, &c->agg[v]); break;
        case WEB_SCOREBOARD_IOI: cell_compute_ioi(sb, p, c, v, &c->agg[v]); break;
        case WEB_SCOREBOARD_OI: cell_compute_oi(sb, p, c, v, &c->agg[v]); break;
        }
    }
    if (variants == 1)
        c->agg[FROZEN] = c->agg[LIVE];
}

static void team_compute(struct web_scoreboard *sb, size_t team)
{
    for (int v = LIVE; v <= FROZEN; v++) {
        struct total *t = &sb->teams[team].total[v];
        total_reset(t);
        for (size_t p = 0; p < sb->n_problems; p++) {
            const struct agg *a = &sb->cells[team * sb->n_problems + p].agg[v];
            if (sb->rules == WEB_SCOREBOARD_ICPC) {
                if (!a->solved)
                    continue;
                int64_t at = to_units(sb, a->time_ms);
                t->num_solved++;
                t->penalty += at + a->num_penalised * sb->penalty_units;
                if (a->time_ms > t->last_ms)
                    t->last_ms = a->time_ms;
            } else {
                t->score_micro += a->score_micro;
                t->num_solved += a->solved;
                if (a->score_micro > 0 && a->time_ms > t->last_ms)
                    t->last_ms = a->time_ms;
            }
        }
        t->last = to_units(sb, t->last_ms);
    }
    sb->ranking[LIVE].stale = sb->ranking[FROZEN].stale = true;
}

/* ---- submissions -------------------------------------------------------- */

static int check_sub(struct web_scoreboard *sb, const struct web_scoreboard_submission *s,
                     long *team, long *problem, int64_t *time_ms, struct err *err)
{
    *team = s->team_id ? str_map_find(sb, &sb->team_map, team_key, s->team_id) : -1;
    if (*team < 0)
        return err_set(err, ERR_NOTFOUND, "submission %lld: unknown team '%s'", (long long)s->id,
                       s->team_id ? s->team_id : "");
    *problem = s->problem_id ? str_map_find(sb, &sb->problem_map, problem_key, s->problem_id) : -1;
    if (*problem < 0)
        return err_set(err, ERR_NOTFOUND, "submission %lld: unknown problem '%s'", (long long)s->id,
                       s->problem_id ? s->problem_id : "");
    if ((unsigned)s->verdict >= WEB_SCOREBOARD_VERDICT_COUNT)
        return err_set(err, ERR_INVALID, "submission %lld: unknown verdict %d", (long long)s->id,
                       (int)s->verdict);
    int64_t t = s->time_ms;
    if (s->time_absolute && __builtin_sub_overflow(s->time_ms, sb->start_ms, &t))
        t = -1;
    if (t < 0 || t >= sb->duration_ms)
        return err_set(err, ERR_INVALID, "submission %lld: time %lld ms is outside the contest",
                       (long long)s->id, (long long)t);
    *time_ms = t;
    const struct problem *p = &sb->problems[*problem];
    if (s->n_subtasks && (s->n_subtasks != p->n_subtasks || !s->subtask_scores))
        return err_set(err, ERR_INVALID, "submission %lld: %zu subtask scores, problem '%s' has %zu",
                       (long long)s->id, s->n_subtasks, p->id, p->n_subtasks);
    if (sb->rules == WEB_SCOREBOARD_IOI && p->n_subtasks && !s->n_subtasks && s->score > 0)
        return err_set(err, ERR_INVALID, "submission %lld: problem '%s' is scored by subtask",
                       (long long)s->id, p->id);
    if (!points_valid(s->score))
        return err_set(err, ERR_INVALID, "submission %lld: score out of range", (long long)s->id);
    for (size_t k = 0; k < s->n_subtasks; k++)
        if (!points_valid(s->subtask_scores[k]))
            return err_set(err, ERR_INVALID, "submission %lld: subtask %zu score out of range",
                           (long long)s->id, k + 1);
    return 0;
}

/* Writes verdict and scores; the submission's subtask slots already exist. */
static void sub_set_result(struct web_scoreboard *sb, struct sub *d, const struct web_scoreboard_submission *s)
{
    const struct problem *p = &sb->problems[d->problem];
    d->verdict = (uint8_t)s->verdict;
    d->score_micro = s->n_subtasks ? 0 : to_micro(s->score);
    if (!p->n_subtasks)
        return;                 /* the pool may be empty (NULL) */
    int64_t *st = &sb->subtask_pool[d->subtasks];
    for (size_t k = 0; k < p->n_subtasks; k++) {
        st[k] = s->n_subtasks ? to_micro(s->subtask_scores[k]) : 0;
        d->score_micro += s->n_subtasks ? st[k] : 0;
    }
}

int web_scoreboard_add(struct web_scoreboard *sb, const struct web_scoreboard_submission *s,
                       struct err *err)
{
    long team, problem;
    int64_t time_ms;
    int rc = check_sub(sb, s, &team, &problem, &time_ms, err);
    if (rc)
        return rc;
    if (sub_map_find(sb, s->id) >= 0)
        return err_set(err, ERR_INVALID, "submission %lld was already added", (long long)s->id);
    if (sb->n_subs >= WEB_SCOREBOARD_MAX_SUBMISSIONS)
        return err_set(err, ERR_LIMIT, "more than %d submissions", WEB_SCOREBOARD_MAX_SUBMISSIONS);

    const struct problem *p = &sb->problems[problem];
    if (sb->n_subs == sb->alloc_subs) {
        sb->alloc_subs = sb->alloc_subs ? sb->alloc_subs * 2 : 1024;
        sb->subs = xreallocarray(sb->subs, sb->alloc_subs, sizeof(*sb->subs));
    }
    if (sb->n_pool + p->n_subtasks > sb->alloc_pool) {
        while (sb->n_pool + p->n_subtasks > sb->alloc_pool)
            sb->alloc_pool = sb->alloc_pool ? sb->alloc_pool * 2 : 1024;
        sb->subtask_pool = xreallocarray(sb->subtask_pool, sb->alloc_pool, sizeof(*sb->subtask_pool));
    }
    uint32_t idx = (uint32_t)sb->n_subs++;
    struct sub *d = &sb->subs[idx];
    d->id = s->id;
    d->time_ms = time_ms;
    d->team = (uint32_t)team;
    d->problem = (uint32_t)problem;
    d->subtasks = sb->n_pool;
    sb->n_pool += p->n_subtasks;
    sub_set_result(sb, d, s);
    sub_map_put(sb, idx);

    /* Submissions mostly arrive in time order: insert from the end. */
    struct cell *c = &sb->cells[(size_t)team * sb->n_problems + (size_t)problem];
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? c->alloc * 2 : 4;
        c->subs = xreallocarray(c->subs, c->alloc, sizeof(*c->subs));
    }
    uint32_t i = c->n;
    while (i > 0) {
        const struct sub *prev = &sb->subs[c->subs[i - 1]];
        if (prev->time_ms < d->time_ms || (prev->time_ms == d->time_ms && prev->id < d->id))
            break;
        c->subs[i] = c->subs[i - 1];
        i--;
    }
    c->subs[i] = idx;
    c->n++;

    cell_compute(sb, (size_t)team, (size_t)problem);
    team_compute(sb, (size_t)team);
    return 0;
}

int web_scoreboard_update(struct web_scoreboard *sb, const struct web_scoreboard_submission *s,
                          struct err *err)
{
    long team, problem;
    int64_t time_ms;
    long idx = sub_map_find(sb, s->id);
    if (idx < 0)
        return err_set(err, ERR_NOTFOUND, "submission %lld is unknown", (long long)s->id);
    int rc = check_sub(sb, s, &team, &problem, &time_ms, err);
    if (rc)
        return rc;
    struct sub *d = &sb->subs[idx];
    if (d->team != (uint32_t)team || d->problem != (uint32_t)problem || d->time_ms != time_ms)
        return err_set(err, ERR_INVALID, "submission %lld: a judgement cannot change its team, "
                       "problem or time", (long long)s->id);
    sub_set_result(sb, d, s);
    cell_compute(sb, (size_t)team, (size_t)problem);
    team_compute(sb, (size_t)team);
    return 0;
}

/* ---- ranking ------------------------------------------------------------ */

static struct key team_key_of(const struct web_scoreboard *sb, uint32_t team, int variant)
{
    const struct team *t = &sb->teams[team];
    const struct total *tot = &t->total[variant];
    struct key k = { .name_rank = t->name_rank, .team = team };
    if (sb->rules == WEB_SCOREBOARD_ICPC) {
        k.a = tot->num_solved;
        k.b = tot->penalty;
        k.c = tot->last;
    } else {
        k.a = tot->score_micro;
        k.c = sb->score_tiebreak_time ? tot->last : 0;
    }
    return k;
}

/* 0 when the two teams share a rank. */
static int key_cmp_rank(const struct key *x, const struct key *y)
{
    if (x->a != y->a)
        return x->a > y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    return 0;
}

static int key_cmp(const void *px, const void *py)
{
    const struct key *x = px, *y = py;
    int r = key_cmp_rank(x, y);
    if (r)
        return r;
    return x->name_rank < y->name_rank ? -1 : x->name_rank > y->name_rank;
}

static const struct ranking *ranking_get(struct web_scoreboard *sb, int variant)
{
    struct ranking *r = &sb->ranking[variant];
    if (!r->stale)
        return r;
    for (size_t j = 0; j < sb->n_visible; j++)
        r->keys[j] = team_key_of(sb, sb->name_order[j], variant);
    qsort(r->keys, r->n, sizeof(*r->keys), key_cmp);
    r->stale = false;
    return r;
}

/* ---- views -------------------------------------------------------------- */

void web_scoreboard_view_free(struct web_scoreboard_view *v)
{
    if (!v)
        return;
    if (v->rows)
        free(v->rows[0].cells);
    free(v->rows);
    free(v);
}

static void fill_cell(const struct web_scoreboard *sb, const struct agg *a, bool hidden,
                      struct web_scoreboard_cell *cell)
{
    memset(cell, 0, sizeof(*cell));
    cell->time = cell->time_ms = -1;
    if (hidden) {
        cell->hidden = true;
        cell->num_pending = a->num_judged + a->num_pending;
        return;
    }
    cell->num_judged = a->num_judged;
    cell->num_pending = a->num_pending;
    cell->num_penalised = a->num_penalised;
    cell->solved = a->solved;
    cell->score = (double)a->score_micro / MICRO;
    if (a->time_ms >= 0) {
        cell->time_ms = a->time_ms;
        cell->time = to_units(sb, a->time_ms);
    }
}

void web_scoreboard_view_flags(const struct web_scoreboard *sb, const struct web_scoreboard_viewer *viewer,
                               bool *frozen, bool *hidden)
{
    int64_t now = viewer->now_ms;
    bool released = now >= sb->thaw_ms;
    bool jury = viewer->role == WEB_SCOREBOARD_JURY;
    *frozen = !jury && !released && has_freeze(sb) && now >= sb->freeze_ms;
    *hidden = !jury && !released && sb->rules == WEB_SCOREBOARD_OI && now < sb->duration_ms;
}

int web_scoreboard_view_new(struct web_scoreboard *sb, const struct web_scoreboard_viewer *viewer,
                            struct web_scoreboard_view **out, struct err *err)
{
    struct web_scoreboard_view *v = NULL;
    struct key *keys = NULL;
    long own = -1;
    int rc = 0;

    *out = NULL;
    if (viewer->role == WEB_SCOREBOARD_TEAM) {
        own = viewer->team_id ? str_map_find(sb, &sb->team_map, team_key, viewer->team_id) : -1;
        if (own < 0) {
            rc = err_set(err, ERR_NOTFOUND, "unknown team '%s'", viewer->team_id ? viewer->team_id : "");
            goto out;
        }
    } else if (viewer->role != WEB_SCOREBOARD_PUBLIC && viewer->role != WEB_SCOREBOARD_JURY) {
        rc = err_set(err, ERR_INVALID, "unknown viewer role %d", (int)viewer->role);
        goto out;
    }

    v = xcalloc(1, sizeof(*v));
    v->rules = sb->rules;
    v->viewer = *viewer;
    v->viewer.team_id = own >= 0 ? sb->teams[own].id : NULL;
    web_scoreboard_view_flags(sb, viewer, &v->frozen, &v->hidden);
    v->n_problems = sb->n_problems;
    v->n_rows = sb->n_visible;

    /* Which variant each team is seen in: a team sees its own row live. */
    int base = v->frozen ? FROZEN : LIVE;
#define VARIANT_OF(team) ((long)(team) == own ? LIVE : base)

    /* The order: the cached ranking, or by name alone when all is hidden,
     * with a team's own live row moved to its place among the frozen ones. */
    keys = xcalloc(sb->n_visible, sizeof(*keys));
    if (v->hidden) {
        for (size_t j = 0; j < sb->n_visible; j++)
            keys[j] = (struct key){ .name_rank = j, .team = sb->name_order[j] };
    } else {
        const struct ranking *r = ranking_get(sb, base);
        memcpy(keys, r->keys, r->n * sizeof(*keys));
        if (own >= 0 && base != LIVE && !sb->teams[own].hidden) {
            size_t j = 0, n = r->n;
            while (keys[j].team != (uint32_t)own)
                j++;
            memmove(&keys[j], &keys[j + 1], (n - j - 1) * sizeof(*keys));
            struct key k = team_key_of(sb, (uint32_t)own, LIVE);
            size_t lo = 0, hi = n - 1;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (key_cmp(&keys[mid], &k) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            memmove(&keys[lo + 1], &keys[lo], (n - 1 - lo) * sizeof(*keys));
            keys[lo] = k;
        }
    }

    v->rows = xcalloc(sb->n_visible, sizeof(*v->rows));
    /* One block for all cells, freed through rows[0].cells. */
    struct web_scoreboard_cell *cells =
        sb->n_visible ? xcalloc(sb->n_visible * sb->n_problems, sizeof(*cells)) : NULL;
    for (size_t j = 0; j < sb->n_visible; j++) {
        struct web_scoreboard_row *row = &v->rows[j];
        uint32_t t = keys[j].team;
        const struct team *team = &sb->teams[t];
        const struct total *tot = &team->total[VARIANT_OF(t)];
        row->rank = j > 0 && key_cmp_rank(&keys[j - 1], &keys[j]) == 0 ? v->rows[j - 1].rank : j + 1;
        row->team = t;
        row->team_id = team->id;
        row->team_name = team->name;
        row->cells = &cells[j * sb->n_problems];
        row->last_time = -1;
        if (!v->hidden) {
            row->num_solved = tot->num_solved;
            row->penalty = tot->penalty;
            row->last_time = tot->last;
            row->score = (double)tot->score_micro / MICRO;
        }
        for (size_t p = 0; p < sb->n_problems; p++)
            fill_cell(sb, &sb->cells[(size_t)t * sb->n_problems + p].agg[VARIANT_OF(t)], v->hidden,
                      &row->cells[p]);
    }

    /* First to solve, among the rows shown, as this viewer sees them. */
    if (sb->rules == WEB_SCOREBOARD_ICPC) {
        for (size_t p = 0; p < sb->n_problems; p++) {
            int64_t first_ac = INT64_MAX, first_pending = INT64_MAX;
            for (size_t j = 0; j < sb->n_visible; j++) {
                uint32_t t = v->rows[j].team;
                const struct agg *a = &sb->cells[(size_t)t * sb->n_problems + p].agg[VARIANT_OF(t)];
                if (a->solved && a->time_ms < first_ac)
                    first_ac = a->time_ms;
                if (a->first_pending_ms < first_pending)
                    first_pending = a->first_pending_ms;
            }
            if (first_ac == INT64_MAX || first_pending < first_ac)
                continue;
            for (size_t j = 0; j < sb->n_visible; j++) {
                struct web_scoreboard_cell *cell = &v->rows[j].cells[p];
                cell->first_to_solve = cell->solved && cell->time_ms == first_ac;
            }
        }
    }
#undef VARIANT_OF
    *out = v;
    v = NULL;
out:
    free(keys);
    web_scoreboard_view_free(v);
    return rc;
}

/* ---- rendering ----------------------------------------------------------
 * Written straight into the buffer rather than built as a cJSON tree: the
 * only strings are team and problem ids, which web_scoreboard_new() checked
 * to be API identifiers (nothing to escape), and scores are printed exactly
 * from their millionths. A 1,000-team board renders several times faster
 * this way (see scoreboard_bench).
 */

/* "2026-11-27T17:00:00.000Z"; 0 <= ms <= START_MS_MAX. */
static void format_abs(int64_t ms, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

/* RELTIME: "-?h:mm:ss.mmm". */
static void format_rel(int64_t ms, char out[40])
{
    const char *sign = "";
    uint64_t u = (uint64_t)ms;
    if (ms < 0) {
        sign = "-";
        u = (uint64_t)0 - u;
    }
    snprintf(out, 40, "%s%llu:%02u:%02u.%03u", sign, (unsigned long long)(u / 3600000),
             (unsigned)(u / 60000 % 60), (unsigned)(u / 1000 % 60), (unsigned)(u % 1000));
}

/* A non-negative score, exactly: "100", "0.3", "33.333333". */
static void format_score(double score, char out[48])
{
    int64_t micro = (int64_t)llround(score * MICRO);
    int64_t frac = micro % 1000000;
    int n = snprintf(out, 48, "%lld", (long long)(micro / 1000000));
    if (frac) {
        int digits = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        snprintf(out + n, 48 - (size_t)n, ".%0*lld", digits, (long long)frac);
    }
}

static int64_t to_minutes(const struct web_scoreboard *sb, int64_t units)
{
    return sb->unit_ms == MS_PER_MINUTE ? units : units * sb->unit_ms / MS_PER_MINUTE;
}

/* buf_addf formats twice (to measure, then to write); one pass into a
 * stack buffer halves the rendering time. */
static int emitf(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int emitf(struct buf *out, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return ERR_INVALID;
    if ((size_t)n < sizeof(tmp))
        return buf_add(out, tmp, (size_t)n);
    va_start(ap, fmt);
    int rc = buf_vaddf(out, fmt, ap);
    va_end(ap);
    return rc;
}

#define EMIT(...) do { if ((rc = emitf(out, __VA_ARGS__)) != 0) goto out; } while (0)

static int emit_time_or_null(struct buf *out, const char *name, bool set, int64_t ms)
{
    char s[32];
    if (!set)
        return emitf(out, ",\"%s\":null", name);
    format_abs(ms, s);
    return emitf(out, ",\"%s\":\"%s\"", name, s);
}

int web_scoreboard_render(const struct web_scoreboard *sb, const struct web_scoreboard_view *v,
                          struct buf *out, struct err *err)
{
    size_t start_len = out->len;
    char t1[48], t2[48];
    int rc = 0;
    int64_t now = v->viewer.now_ms;
    /* Times in the JSON stay within four-digit years. */
    if (now < -sb->start_ms)
        now = -sb->start_ms;
    if (now > START_MS_MAX - sb->start_ms)
        now = START_MS_MAX - sb->start_ms;

    format_abs(sb->start_ms + now, t1);
    format_rel(now, t2);
    EMIT("{\"time\":\"%s\",\"contest_time\":\"%s\",\"state\":{\"started\":", t1, t2);
    if (now >= 0) {
        format_abs(sb->start_ms, t1);
        EMIT("\"%s\"", t1);
    } else {
        EMIT("null");
    }
    bool frozen = has_freeze(sb) && now >= sb->freeze_ms;
    bool thawed = frozen && now >= sb->thaw_ms;
    if ((rc = emit_time_or_null(out, "frozen", frozen, frozen ? sb->start_ms + sb->freeze_ms : 0)) ||
        (rc = emit_time_or_null(out, "ended", now >= sb->duration_ms, sb->start_ms + sb->duration_ms)) ||
        (rc = emit_time_or_null(out, "thawed", thawed, thawed ? sb->start_ms + sb->thaw_ms : 0)))
        goto out;
    EMIT(",\"finalized\":null,\"end_of_updates\":null},\"rows\":[");

    for (size_t j = 0; j < v->n_rows; j++) {
        const struct web_scoreboard_row *row = &v->rows[j];
        EMIT("%s{\"rank\":%zu,\"team_id\":\"%s\",\"score\":{", j ? "," : "", row->rank, row->team_id);
        if (v->rules == WEB_SCOREBOARD_ICPC) {
            EMIT("\"num_solved\":%d,\"total_time\":%lld", row->num_solved,
                 (long long)to_minutes(sb, row->penalty));
            if (row->num_solved > 0)
                EMIT(",\"time\":%lld", (long long)to_minutes(sb, row->last_time));
        } else {
            format_score(row->score, t1);
            EMIT("\"score\":%s", t1);
            if (row->score > 0 && row->last_time >= 0)
                EMIT(",\"time\":%lld", (long long)to_minutes(sb, row->last_time));
        }
        EMIT("},\"problems\":[");
        for (size_t p = 0; p < v->n_problems; p++) {
            const struct web_scoreboard_cell *c = &row->cells[p];
            bool timed;
            EMIT("%s{\"problem_id\":\"%s\",\"num_judged\":%d,\"num_pending\":%d,", p ? "," : "",
                 sb->problems[p].id, c->num_judged, c->num_pending);
            if (v->rules == WEB_SCOREBOARD_ICPC) {
                EMIT("\"solved\":%s", c->solved ? "true" : "false");
                timed = c->solved;
            } else {
                format_score(c->score, t1);
                EMIT("\"score\":%s", t1);
                timed = c->score > 0;
            }
            /* The schema wants a time exactly when solved or scored. */
            if (timed && c->time >= 0)
                EMIT(",\"time\":%lld}", (long long)to_minutes(sb, c->time));
            else
                EMIT("}");
        }
        EMIT("]}");
    }
    EMIT("]}");
out:
    if (rc) {
        /* Leave out as it was: no half document. */
        out->len = start_len;
        if (out->alloc)
            out->buf[start_len] = '\0';
        rc = err_set(err, rc, "scoreboard JSON is larger than the buffer's limit");
    }
    return rc;
}
