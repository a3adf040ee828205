/*
 * api_scoreboard.c: contest scoreboards from storage. One cached
 * scoreboard.h board per contest, kept up to date from the event log, and
 * GET /api/v1/contests/{id}/scoreboard, which shows it as the caller may see
 * it. ccs.c (the ICPC Contest API) reads the same boards.
 *
 * How the cache works: a board remembers the newest event id it has applied.
 * A request locks the board and reads the contest's events after that id:
 * submissions and judgings that changed are read again one by one and fed to
 * the board (web_scoreboard_add, or _update for one it has), so a warm
 * request costs one indexed query plus the changes. Anything that changes
 * the board's shape (the contest's settings, its problem set, teams or
 * participants, an ignored submission, a problem's subtasks) rebuilds it from
 * web_store_contest_results. A rebuild notes the newest event id before it
 * reads, so a change that lands meanwhile is applied again afterwards, which
 * is harmless: applying a submission's current state is idempotent.
 * One mutex per board; the table of boards has its own, held only to find one.
 */
#include "web_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BOARD_EVENTS_PAGE 1000      /* events read per query while catching up */
#define BOARD_CATCHUP_MAX 20000     /* more changes than this: rebuilding is cheaper */

struct board_problem {
    int64_t problem_id;
    char key[24];                   /* the board's id: the problem id in decimal */
    char label[WEB_LABEL_MAX + 1];
    char color[WEB_COLOR_MAX + 1];
    double points;
    size_t n_subtasks;              /* IOI: the problem's secret test groups */
};

struct web_board {
    int64_t contest_id;
    pthread_mutex_t mu;
    struct web_scoreboard *sb;      /* NULL until built */
    int64_t last_event;             /* every event up to this one is applied */
    struct web_contest contest;     /* as built */
    struct board_problem *problems;
    size_t nproblems;
    uint64_t rebuilds;              /* for tests and the log */
    /* The JSON of the last shared view (every viewer but a team's own while
     * frozen) and what it depends on: with a public board polled by
     * hundreds, most requests copy it instead of making a view. */
    struct buf shared;
    int shared_valid, shared_frozen, shared_hidden, shared_problems;
    int64_t shared_event;
    uint64_t shared_rebuilds;
    const char *shared_state;       /* static strings (web_contest_state) */
    int64_t last_used;              /* CLOCK_MONOTONIC seconds of the last acquire */
};

struct web_boards {
    pthread_mutex_t mu;
    int64_t last_evict;             /* CLOCK_MONOTONIC seconds */
    struct web_board **v;
    size_t n, alloc;
};

void web_boards_new(struct web_boards **out)
{
    struct web_boards *b = calloc(1, sizeof(*b));
    if (!b)
        abort();
    pthread_mutex_init(&b->mu, NULL);
    *out = b;
}

static void board_clear(struct web_board *b)
{
    buf_release(&b->shared);
    b->shared_valid = 0;
    web_scoreboard_free(b->sb);
    b->sb = NULL;
    free(b->problems);
    b->problems = NULL;
    b->nproblems = 0;
    b->last_event = 0;
}

void web_boards_free(struct web_boards *bs)
{
    if (!bs)
        return;
    for (size_t i = 0; i < bs->n; i++) {
        board_clear(bs->v[i]);
        pthread_mutex_destroy(&bs->v[i]->mu);
        free(bs->v[i]);
    }
    free(bs->v);
    pthread_mutex_destroy(&bs->mu);
    free(bs);
}

static int64_t mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

/* Frees the boards (their scoreboards and shared JSON; the small struct
 * stays) not acquired for idle seconds at time now, skipping any in use.
 * Called with bs->mu held. */
static size_t evict_locked(struct web_boards *bs, int64_t now, int64_t idle)
{
    size_t freed = 0;
    for (size_t i = 0; i < bs->n; i++) {
        struct web_board *b = bs->v[i];
        if (pthread_mutex_trylock(&b->mu) != 0)
            continue;                       /* in use: not idle */
        if (b->sb && now - b->last_used >= idle) {
            board_clear(b);
            freed++;
        }
        pthread_mutex_unlock(&b->mu);
    }
    return freed;
}

size_t web_boards_evict_idle(struct web_boards *bs, int64_t now, int64_t idle)
{
    pthread_mutex_lock(&bs->mu);
    size_t n = evict_locked(bs, now, idle);
    pthread_mutex_unlock(&bs->mu);
    return n;
}

int64_t web_boards_clock(void)
{
    return mono_seconds();
}

static struct web_board *board_find(struct web_boards *bs, int64_t contest_id)
{
    struct web_board *b = NULL;
    pthread_mutex_lock(&bs->mu);
    /* At most once a minute: boards of contests nobody looked at for a
     * while give their memory back (a later request rebuilds them). */
    int64_t now = mono_seconds();
    if (now - bs->last_evict >= 60) {
        bs->last_evict = now;
        evict_locked(bs, now, WEB_BOARD_IDLE_SECONDS);
    }
    for (size_t i = 0; i < bs->n && !b; i++)
        if (bs->v[i]->contest_id == contest_id)
            b = bs->v[i];
    if (!b) {
        if (bs->n == bs->alloc) {
            bs->alloc = bs->alloc ? bs->alloc * 2 : 8;
            bs->v = realloc(bs->v, bs->alloc * sizeof(*bs->v));
            if (!bs->v)
                abort();
        }
        b = calloc(1, sizeof(*b));
        if (!b)
            abort();
        b->contest_id = contest_id;
        buf_init(&b->shared, 0);
        pthread_mutex_init(&b->mu, NULL);
        bs->v[bs->n++] = b;
    }
    pthread_mutex_unlock(&bs->mu);
    return b;
}

/* ---- building ------------------------------------------------------------------------------- */

void web_board_key(int64_t id, char out[24])
{
    snprintf(out, 24, "%lld", (long long)id);
}

int64_t web_board_team(const struct web_contest *c, const struct web_contest_access *a, int64_t user_id)
{
    if (!a->participant)
        return 0;
    return c->team_mode ? a->team_id : user_id;
}

/* The problem's subtasks: its test data groups directly under secret/,
 * in order, when they carry points. */
static size_t subtasks_of(const struct web_judging_group *g, size_t n, size_t *first)
{
    size_t count = 0;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if (!strncmp(g[i].name, "secret/", 7) && !strchr(g[i].name + 7, '/') && g[i].name[7]) {
            if (count == 0 && first)
                *first = i;
            count++;
            max += g[i].max_score;
        }
    return max > 0 ? count : 0;
}

static const struct board_problem *board_problem(const struct web_board *b, int64_t problem_id)
{
    for (size_t i = 0; i < b->nproblems; i++)
        if (b->problems[i].problem_id == problem_id)
            return &b->problems[i];
    return NULL;
}

static double clamp_score(double v)
{
    if (!isfinite(v) || v < 0)
        return 0;
    return v > WEB_SCOREBOARD_SCORE_MAX ? WEB_SCOREBOARD_SCORE_MAX : v;
}

/* What the board needs of one stored result; 1 to skip it (not on the
 * board: practice, outside the contest, by no team), 2 when its subtasks
 * do not match the problem's (the board must be rebuilt). groups: the
 * judging's groups (may be NULL). sub must hold WEB_SCOREBOARD_MAX_SUBTASKS. */
static int board_submission(const struct web_board *b, const struct web_contest_result *res,
                            const struct web_judging_group *groups, size_t ngroups, char team_key[24],
                            char problem_key[24], double *sub, struct web_scoreboard_submission *out)
{
    const struct web_contest *c = &b->contest;
    const struct board_problem *p = board_problem(b, res->problem_id);
    int64_t team = c->team_mode ? res->team_id : res->user_id;
    if (!p || team <= 0 || res->contest_id != c->id)
        return 1;
    int64_t t = res->submitted_at - c->start_time;
    if (t < 0 || t >= c->duration)
        return 1;
    memset(out, 0, sizeof(*out));
    web_board_key(team, team_key);
    web_board_key(res->problem_id, problem_key);
    out->id = res->submission_id;
    out->team_id = team_key;
    out->problem_id = problem_key;
    out->time_ms = t * 1000;
    out->verdict = WEB_SCOREBOARD_PENDING;
    if (res->verdict[0] && web_scoreboard_verdict_parse(res->verdict, &out->verdict) < 0)
        out->verdict = WEB_SCOREBOARD_JE;
    if (c->rules == WEB_RULES_ICPC || out->verdict == WEB_SCOREBOARD_PENDING)
        return 0;
    /* Scores are shown out of the contest's points for the problem: the
     * judge's score is scaled from its max_score (pass-fail: all or nothing). */
    double scale = res->max_score > 0 ? p->points / res->max_score : 0;
    out->score = res->max_score > 0 ? clamp_score(res->score * scale)
                                     : out->verdict == WEB_SCOREBOARD_AC ? clamp_score(p->points) : 0;
    if (c->rules == WEB_RULES_IOI && p->n_subtasks) {
        size_t first = 0, n = subtasks_of(groups, ngroups, &first);
        if (n != p->n_subtasks || res->max_score <= 0) {
            out->score = 0;
            return groups && ngroups && n && n != p->n_subtasks ? 2 : 0;
        }
        size_t k = 0;
        for (size_t i = first; i < ngroups && k < n; i++)
            if (!strncmp(groups[i].name, "secret/", 7) && !strchr(groups[i].name + 7, '/') && groups[i].name[7])
                sub[k++] = clamp_score(groups[i].score * scale);
        out->subtask_scores = sub;
        out->n_subtasks = n;
        out->score = 0;
    }
    return 0;
}

/* Adds, or updates, one submission; errors for one the board refuses are
 * logged and skipped (a submission outside what the board knows). */
static void board_apply(struct web_board *b, const struct web_scoreboard_submission *x)
{
    struct err err;
    int rc = web_scoreboard_update(b->sb, x, &err);
    if (rc == ERR_NOTFOUND)
        rc = web_scoreboard_add(b->sb, x, &err);
    if (rc < 0)
        log_debug("scoreboard", "contest %lld: submission %lld left off the board: %s", (long long)b->contest_id,
                  (long long)x->id, err.msg);
}

static int rebuild(struct web_board *b, struct web_store *s, struct err *err)
{
    struct web_contest_problem_list cps = { 0 };
    struct web_team_list teams = { 0 };
    struct web_participant_list parts = { 0 };
    struct web_contest_result_list results = { 0 };
    struct web_judging_group_list groups = { 0 }, pg = { 0 };
    struct web_scoreboard_problem *sp = NULL;
    struct web_scoreboard_team *st = NULL;
    char (*keys)[24] = NULL;
    char (*names)[WEB_TITLE_MAX + 1] = NULL;
    double sub[WEB_SCOREBOARD_MAX_SUBTASKS];
    size_t nteams = 0;
    int64_t last = 0;
    int rc;

    board_clear(b);
    if ((rc = web_store_event_last(s, b->contest_id, &last, err)) < 0 ||
        (rc = web_store_contest_by_id(s, b->contest_id, &b->contest, err)) < 0 ||
        (rc = web_store_contest_problems(s, b->contest_id, &cps, err)) < 0)
        goto out;
    const struct web_contest *c = &b->contest;
    b->problems = calloc(cps.n + 1, sizeof(*b->problems));
    sp = calloc(cps.n + 1, sizeof(*sp));
    if (!b->problems || !sp)
        abort();
    for (size_t i = 0; i < cps.n; i++) {
        struct board_problem *p = &b->problems[i];
        p->problem_id = cps.v[i].problem_id;
        web_board_key(p->problem_id, p->key);
        memcpy(p->label, cps.v[i].label, sizeof(p->label));
        memcpy(p->color, cps.v[i].color, sizeof(p->color));
        p->points = cps.v[i].points > 0 ? cps.v[i].points : 1;
        if (c->rules == WEB_RULES_IOI) {
            if ((rc = web_store_problem_groups(s, p->problem_id, &pg, err)) < 0)
                goto out;
            p->n_subtasks = subtasks_of(pg.v, pg.n, NULL);
            if (p->n_subtasks > WEB_SCOREBOARD_MAX_SUBTASKS)
                p->n_subtasks = 0;
            web_judging_group_list_release(&pg);
        }
        sp[i].id = p->key;
        sp[i].label = p->label;
        sp[i].max_points = p->points;
        sp[i].n_subtasks = p->n_subtasks;
    }
    b->nproblems = cps.n;

    /* Teams: the contest's teams, or in an individual contest each participant. */
    if (c->team_mode) {
        if ((rc = web_store_teams_of_contest(s, c->id, &teams, err)) < 0)
            goto out;
        nteams = teams.n;
    } else {
        if ((rc = web_store_participants(s, c->id, 0, &parts, err)) < 0)
            goto out;
        nteams = parts.n;
    }
    st = calloc(nteams + 1, sizeof(*st));
    keys = calloc(nteams + 1, sizeof(*keys));
    names = calloc(nteams + 1, sizeof(*names));
    if (!st || !keys || !names)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < nteams; i++) {
        if (c->team_mode) {
            web_board_key(teams.v[i].id, keys[k]);
            memcpy(names[k], teams.v[i].name, sizeof(names[k]));
        } else {
            struct web_user u;
            if (parts.v[i].role != WEB_CROLE_PARTICIPANT)
                continue;
            if ((rc = web_store_user_by_id(s, parts.v[i].user_id, &u, err)) < 0)
                goto out;
            web_board_key(u.id, keys[k]);
            str_fmt(names[k], sizeof(names[k]), "%s", u.display_name[0] ? u.display_name : u.name);
        }
        st[k].id = keys[k];
        st[k].name = names[k];
        k++;
    }

    struct web_scoreboard_contest sc;
    web_scoreboard_contest_init(&sc);
    sc.rules = c->rules == WEB_RULES_IOI ? WEB_SCOREBOARD_IOI : c->rules == WEB_RULES_OI ? WEB_SCOREBOARD_OI
                                                                                          : WEB_SCOREBOARD_ICPC;
    sc.start_ms = c->start_time * 1000;
    sc.duration_ms = c->duration * 1000;
    sc.freeze_ms = c->freeze > 0 && c->freeze <= c->duration ? (c->duration - c->freeze) * 1000
                                                               : WEB_SCOREBOARD_NEVER;
    /* The jury's unfreeze lifts the freeze (and releases OI results) for good. */
    if (c->unfrozen)
        sc.thaw_ms = sc.freeze_ms != WEB_SCOREBOARD_NEVER ? sc.freeze_ms : 0;
    sc.penalty_minutes = c->penalty_minutes >= 0 && c->penalty_minutes <= 1000000 ? (int)c->penalty_minutes : 20;
    sc.problems = sp;
    sc.n_problems = cps.n;
    sc.teams = st;
    sc.n_teams = k;
    if ((rc = web_scoreboard_new(&sc, &b->sb, err)) < 0)
        goto out;

    if ((rc = web_store_contest_results(s, c->id, &results, err)) < 0)
        goto out;
    if (c->rules == WEB_RULES_IOI && (rc = web_store_contest_groups(s, c->id, 0, &groups, err)) < 0)
        goto out;
    size_t gi = 0;
    for (size_t i = 0; i < results.n; i++) {
        const struct web_contest_result *res = &results.v[i];
        const struct web_judging_group *g = NULL;
        size_t ng = 0;
        if (groups.n && res->judging_id) {
            /* groups are sorted by judging id: binary search */
            size_t lo = 0, hi = groups.n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (groups.v[mid].judging_id < res->judging_id)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            gi = lo;
            while (gi + ng < groups.n && groups.v[gi + ng].judging_id == res->judging_id)
                ng++;
            g = ng ? &groups.v[gi] : NULL;
        }
        char tk[24], pk[24];
        struct web_scoreboard_submission x;
        if (board_submission(b, res, g, ng, tk, pk, sub, &x) == 0)
            board_apply(b, &x);
    }
    b->last_event = last;
    b->rebuilds++;
    log_debug("scoreboard", "contest %lld: board rebuilt (%zu teams, %zu problems, %zu submissions)",
              (long long)c->id, k, cps.n, results.n);
out:
    if (rc < 0)
        board_clear(b);
    web_contest_problem_list_release(&cps);
    web_team_list_release(&teams);
    web_participant_list_release(&parts);
    web_contest_result_list_release(&results);
    web_judging_group_list_release(&groups);
    web_judging_group_list_release(&pg);
    free(sp);
    free(st);
    free(keys);
    free(names);
    return rc;
}

/* Applies one submission's current state; 1 when the board must be rebuilt. */
static int refresh_submission(struct web_board *b, struct web_store *s, int64_t submission_id, struct err *err)
{
    struct web_contest_result res;
    struct web_judging_group_list groups = { 0 };
    double sub[WEB_SCOREBOARD_MAX_SUBTASKS];
    char tk[24], pk[24];
    struct web_scoreboard_submission x;
    int rc = web_store_contest_result(s, submission_id, &res, err);
    if (rc == ERR_NOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    if (res.ignored)
        return 1;               /* the board cannot take a submission back */
    if (b->contest.rules == WEB_RULES_IOI && res.judging_id &&
        (rc = web_store_judging_groups(s, res.judging_id, &groups, err)) < 0)
        return rc;
    rc = board_submission(b, &res, groups.v, groups.n, tk, pk, sub, &x);
    if (rc == 0)
        board_apply(b, &x);
    web_judging_group_list_release(&groups);
    return rc == 2 ? 1 : 0;
}

static void push_i64(int64_t **v, size_t *n, size_t *alloc, int64_t x)
{
    if (*n == *alloc) {
        *alloc = *alloc ? *alloc * 2 : 64;
        *v = realloc(*v, *alloc * sizeof(**v));
        if (!*v)
            abort();
    }
    (*v)[(*n)++] = x;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Brings the board up to date with the store. */
static int board_refresh(struct web_board *b, struct web_store *s, struct err *err)
{
    if (!b->sb)
        return rebuild(b, s, err);
    struct web_event_list ev = { 0 };
    int64_t *subs = NULL, last = b->last_event;
    size_t nsubs = 0, alloc = 0;
    int need_rebuild = 0, rc = 0;
    for (;;) {
        if ((rc = web_store_events(s, b->contest_id, last, BOARD_EVENTS_PAGE, &ev, err)) < 0)
            goto out;
        for (size_t i = 0; i < ev.n && !need_rebuild; i++) {
            const struct web_event *e = &ev.v[i];
            if (!strcmp(e->kind, "contest") || !strcmp(e->kind, "problems") || !strcmp(e->kind, "teams") ||
                !strcmp(e->kind, "participants"))
                need_rebuild = 1;
            else if (e->submission_id > 0)
                push_i64(&subs, &nsubs, &alloc, e->submission_id);
        }
        size_t got = ev.n;
        if (got)
            last = ev.v[got - 1].id;
        web_event_list_release(&ev);
        if (need_rebuild || got < BOARD_EVENTS_PAGE)
            break;
        if (nsubs > BOARD_CATCHUP_MAX) {
            need_rebuild = 1;
            break;
        }
    }
    if (!need_rebuild && nsubs) {
        qsort(subs, nsubs, sizeof(*subs), cmp_i64);
        for (size_t i = 0; i < nsubs && !need_rebuild; i++) {
            if (i && subs[i] == subs[i - 1])
                continue;
            if ((rc = refresh_submission(b, s, subs[i], err)) < 0)
                goto out;
            need_rebuild = rc == 1;
            rc = 0;
        }
    }
    if (need_rebuild)
        rc = rebuild(b, s, err);
    else
        b->last_event = last;
out:
    free(subs);
    if (rc < 0)
        board_clear(b);         /* built afresh next time */
    return rc;
}

int web_board_acquire(struct web_server *srv, struct web_store *s, int64_t contest_id, struct web_board **out,
                      struct err *err)
{
    struct web_board *b = board_find(srv->boards, contest_id);
    pthread_mutex_lock(&b->mu);
    b->last_used = mono_seconds();
    int rc = board_refresh(b, s, err);
    if (rc < 0) {
        pthread_mutex_unlock(&b->mu);
        *out = NULL;
        return rc;
    }
    *out = b;
    return 0;
}

void web_board_release(struct web_board *b)
{
    if (b)
        pthread_mutex_unlock(&b->mu);
}

struct web_scoreboard *web_board_scoreboard(struct web_board *b)
{
    return b->sb;
}

const struct web_contest *web_board_contest(const struct web_board *b)
{
    return &b->contest;
}

uint64_t web_board_rebuilds(const struct web_board *b)
{
    return b->rebuilds;
}

/* ---- GET /api/v1/contests/{id}/scoreboard ----------------------------------------------------------- */

void web_json_escape(struct buf *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_add(out, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        buf_add(out, run, (size_t)((const char *)p - run));
        char e[8] = { '\\', (char)*p, 0 };
        size_t n = 2;
        switch (*p) {
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        case '"': case '\\': break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[*p >> 4];
            e[5] = hex[*p & 15];
            n = 6;
        }
        buf_add(out, e, n);
        run = (const char *)p + 1;
    }
    buf_adds(out, run);
    buf_add(out, "\"", 1);
}

static void add_score(struct buf *out, double v)
{
    char t[48];
    snprintf(t, sizeof(t), "%.6f", v);
    size_t n = strlen(t);
    while (n > 1 && t[n - 1] == '0')
        t[--n] = '\0';
    if (n > 1 && t[n - 1] == '.')
        t[--n] = '\0';
    buf_adds(out, t);
}

/* Renders the contract's scoreboard JSON for the view. */
static void render_board(const struct web_board *b, const struct web_scoreboard_view *v, int show_problems,
                         const char *state, struct buf *out)
{
    const struct web_contest *c = &b->contest;
    buf_addf(out, "{\"contest\":%lld,\"rules\":\"%s\",\"state\":\"%s\",\"frozen\":%s,\"hidden\":%s,\"problems\":[",
             (long long)c->id, web_rules_name(c->rules), state, v->frozen ? "true" : "false",
             v->hidden ? "true" : "false");
    size_t np = show_problems ? b->nproblems : 0;
    for (size_t i = 0; i < np; i++) {
        const struct board_problem *p = &b->problems[i];
        buf_addf(out, "%s{\"label\":", i ? "," : "");
        web_json_escape(out, p->label);
        buf_addf(out, ",\"problem\":%lld,\"color\":", (long long)p->problem_id);
        if (p->color[0])
            web_json_escape(out, p->color);
        else
            buf_adds(out, "null");
        buf_adds(out, ",\"points\":");
        add_score(out, p->points);
        buf_adds(out, "}");
    }
    buf_adds(out, "],\"rows\":[");
    int icpc = c->rules == WEB_RULES_ICPC;
    for (size_t j = 0; j < v->n_rows; j++) {
        const struct web_scoreboard_row *row = &v->rows[j];
        buf_addf(out, "%s{\"rank\":%zu,\"team\":%s,\"name\":", j ? "," : "", row->rank, row->team_id);
        web_json_escape(out, row->team_name);
        if (v->hidden) {
            buf_adds(out, ",\"solved\":null,\"penalty\":null,\"score\":null,\"cells\":[");
        } else {
            buf_addf(out, ",\"solved\":%d,\"penalty\":", row->num_solved);
            if (icpc)
                buf_addf(out, "%lld,\"score\":null", (long long)row->penalty);
            else {
                buf_adds(out, "null,\"score\":");
                add_score(out, row->score);
            }
            buf_adds(out, ",\"cells\":[");
        }
        for (size_t i = 0; i < np; i++) {
            const struct web_scoreboard_cell *cell = &row->cells[i];
            buf_addf(out, "%s{\"label\":", i ? "," : "");
            web_json_escape(out, b->problems[i].label);
            if (cell->hidden) {
                buf_addf(out, ",\"attempts\":0,\"pending\":%d,\"solved\":null,\"first\":false,\"time\":null,"
                              "\"score\":null}", cell->num_pending);
                continue;
            }
            buf_addf(out, ",\"attempts\":%d,\"pending\":%d,\"solved\":%s,\"first\":%s,\"time\":", cell->num_judged,
                     cell->num_pending, cell->solved ? "true" : "false", cell->first_to_solve ? "true" : "false");
            if (cell->time >= 0 && (icpc ? cell->solved : cell->score > 0))
                buf_addf(out, "%lld", (long long)cell->time);
            else
                buf_adds(out, "null");
            buf_adds(out, ",\"score\":");
            if (icpc)
                buf_adds(out, "null}");
            else {
                add_score(out, cell->score);
                buf_adds(out, "}");
            }
        }
        buf_adds(out, "]}");
    }
    buf_adds(out, "]}");
}

void web_api_scoreboard_get(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access who;
    struct web_board *b = NULL;
    struct web_scoreboard_view *v = NULL;
    struct err err;
    struct buf out;
    int rc;
    if (web_contest_load(r, s, r->id, &c, &who) < 0)
        return;
    const char *view = web_req_query(r, "view");
    if (view && strcmp(view, "public") != 0) {
        web_reply_error(r, 400, "invalid_parameter", "view must be 'public'");
        return;
    }
    buf_init(&out, 0);
    if ((rc = web_board_acquire(r->srv, s, c.id, &b, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    const struct web_contest *bc = web_board_contest(b);
    struct web_scoreboard_viewer vw = { WEB_SCOREBOARD_PUBLIC, NULL, (r->now - bc->start_time) * 1000 };
    char team_key[24];
    if (who.jury && !view) {
        vw.role = WEB_SCOREBOARD_JURY;
    } else if (who.participant && web_board_team(bc, &who, r->user.id) > 0 && !view) {
        vw.role = WEB_SCOREBOARD_TEAM;
        web_board_key(web_board_team(bc, &who, r->user.id), team_key);
        vw.team_id = team_key;
    }
    /* Before the start only the jury sees the problem set. */
    int show_problems = (who.jury && !view) || r->now >= bc->start_time;
    const char *state = web_contest_state(bc, r->now);
    bool frozen, hidden;
    web_scoreboard_view_flags(b->sb, &vw, &frozen, &hidden);
    int shared = vw.role != WEB_SCOREBOARD_TEAM || !frozen;
    if (shared && b->shared_valid && b->shared_event == b->last_event && b->shared_rebuilds == b->rebuilds &&
        b->shared_frozen == frozen && b->shared_hidden == hidden && b->shared_problems == show_problems &&
        !strcmp(b->shared_state, state)) {
        buf_add(&out, b->shared.buf, b->shared.len);
        web_reply_buf(r, 200, &out, "application/json");
        goto out;
    }
    rc = web_scoreboard_view_new(b->sb, &vw, &v, &err);
    if (rc == ERR_NOTFOUND && vw.role == WEB_SCOREBOARD_TEAM) {
        vw.role = WEB_SCOREBOARD_PUBLIC;       /* a team the board does not know: the public's view */
        vw.team_id = NULL;
        rc = web_scoreboard_view_new(b->sb, &vw, &v, &err);
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    render_board(b, v, show_problems, state, &out);
    if (shared) {
        buf_reset(&b->shared);
        b->shared_valid = buf_add(&b->shared, out.buf, out.len) == 0;
        b->shared_event = b->last_event;
        b->shared_rebuilds = b->rebuilds;
        b->shared_frozen = frozen;
        b->shared_hidden = hidden;
        b->shared_problems = show_problems;
        b->shared_state = state;
    }
    web_reply_buf(r, 200, &out, "application/json");
out:
    web_scoreboard_view_free(v);
    web_board_release(b);
    buf_release(&out);
}
