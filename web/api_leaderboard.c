/*
 * api_leaderboard.c: the leaderboards of AI contests. A judging of an AI
 * problem carries a public and a private score; the public board ranks each
 * team (or user) by its best public score, the private board by the best
 * private score among its final submissions. Every score anyone but the
 * jury sees is rounded to the problem's precision, so that repeated
 * submissions cannot probe the hidden labels digit by digit.
 *
 * How the boards are made: the contest's scored submissions (not ignored,
 * their valid judging finished with scores) are read afresh on each request
 * and grouped by owner: the team, or in an individual contest the user.
 * Baselines (marked by the jury) are rows of their own, unranked. Ranks go
 * by the rounded score, equal rounded scores sharing a rank; ties are shown
 * oldest first. A team's final submissions are the ones it chose (at most K
 * per problem, until the contest ends), or if it chose none its K best
 * public ones (earlier first among equals).
 */
#include "web_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AI_SCORE_MAX 1e12                   /* what storage keeps as a judging's score */

double web_ai_round(double v, int precision)
{
    char text[64];
    if (!isfinite(v) || fabs(v) > AI_SCORE_MAX)
        return v;
    if (precision < 0)
        precision = 0;
    if (precision > WEB_AI_PRECISION_MAX)
        precision = WEB_AI_PRECISION_MAX;
    /* The decimal text is the rounding (correct to the last digit); the
     * number read back is the double nearest to it. */
    if (str_fmt(text, sizeof(text), "%.*f", precision, v) < 0)
        return v;
    double x = strtod(text, NULL);
    return x == 0 ? 0 : x;                  /* never "-0" */
}

static int contest_k(const struct web_contest *c)
{
    return c->final_submissions > 0 ? (int)c->final_submissions : WEB_AI_FINAL_DEFAULT;
}

/* 2024-05-01T12:00:00Z */
static void iso_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        str_fmt(out, 32, "%lld", (long long)t);
}

/* ---- judge results ---------------------------------------------------------------------------------------- */

int web_leaderboard_result_begin(struct web_req *r, struct web_store *s, const cJSON *body, const struct web_judging *j,
                                 struct web_judging_result *res, struct web_test_result *tests, double scores[2])
{
    static const struct web_json_field fields[] = {
        { "public_score", WEB_JSON_NUMBER, 1 },
        { "private_score", WEB_JSON_NUMBER, 1 },
    };
    struct web_submission sub;
    struct web_ai_problem ap;
    struct err err;
    char msg[ERR_MSG_MAX];
    const cJSON *ai = cJSON_GetObjectItemCaseSensitive(body, "ai");
    int rc;
    if (!ai)
        return 0;
    if (web_json_check(ai, fields, sizeof(fields) / sizeof(fields[0]), "ai", msg, sizeof(msg)) < 0) {
        web_reply_error(r, 400, "invalid_field", "%s", msg);
        return -1;
    }
    scores[0] = web_json_num(ai, "public_score", 0);
    scores[1] = web_json_num(ai, "private_score", 0);
    if (fabs(scores[0]) > AI_SCORE_MAX || fabs(scores[1]) > AI_SCORE_MAX) {
        web_reply_error(r, 400, "invalid_field", "ai: scores must be within -1e12 and 1e12");
        return -1;
    }
    if ((rc = web_store_submission_by_id(s, j->submission_id, &sub, &err)) < 0 ||
        (rc = web_store_ai_problem_get(s, sub.problem_id, &ap, &err)) < 0 || (rc = web_store_tx_begin(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    /* What the submission's owner reads of the result: never more digits
     * than the board shows. The exact values are the jury's. */
    res->score = web_ai_round(scores[0], ap.precision);
    for (size_t i = 0; i < res->ntests; i++)
        tests[i].score = web_ai_round(tests[i].score, ap.precision);
    return 1;
}

int web_leaderboard_result_end(struct web_store *s, int64_t judging_id, int rc, const double scores[2],
                               struct err *err)
{
    if (rc == 0)
        rc = web_store_judging_ai_set(s, judging_id, scores[0], scores[1], err);
    if (rc == 0)
        rc = web_store_tx_commit(s, err);
    if (rc < 0)
        web_store_tx_rollback(s, NULL);
    return rc;
}

/* ---- daily limits -------------------------------------------------------------------------------------------- */

int web_leaderboard_daily_check(struct web_req *r, struct web_store *s, const struct web_contest *c,
                                const struct web_submission *sub)
{
    struct err err;
    int64_t n;
    char when[32], after[24];
    if (c->daily_submissions <= 0)
        return 0;
    int64_t day = sub->submitted_at - ((sub->submitted_at % 86400) + 86400) % 86400;
    int rc = web_store_ai_daily_count(s, c->id, sub->team_id, sub->user_id, day, day + 86400, &n, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    if (n < c->daily_submissions)
        return 0;
    iso_time(day + 86400, when);
    web_reply_error(r, 429, "daily_limit",
                    "at most %lld submissions a day (failed ones do not count); the limit resets at %s",
                    (long long)c->daily_submissions, when);
    int64_t wait = day + 86400 - r->now;
    str_fmt(after, sizeof(after), "%lld", (long long)(wait > 0 ? wait : 1));
    web_reply_header(r, "Retry-After", after);
    return -1;
}

/* ---- the boards ------------------------------------------------------------------------------------------------ */

struct lb_row {
    int64_t team_id;                        /* 0: a user's row */
    int64_t user_id;
    int64_t submission_id;                  /* the entry that gives the score */
    double score;                           /* exact */
    double shown;                           /* rounded */
    int64_t achieved;                       /* when the scoring entry was made */
    int64_t entries;
    int64_t last;
    int baseline;
    int64_t rank;                           /* 0: unranked (a baseline) */
};

struct lb_ctx {
    int maximize;
    int private_board;
    const struct web_ai_entry *v;
};

/* Negative when a is better than b. */
static int better(int maximize, double a, double b)
{
    if (a == b)
        return 0;
    return (maximize ? a > b : a < b) ? -1 : 1;
}

static int64_t owner_key(const struct web_ai_entry *e)
{
    return e->team_id > 0 ? e->team_id : -e->user_id;
}

/* qsort has no context argument: the boards are built one at a time per
 * thread, so the context lives in a thread-local. */
static _Thread_local const struct lb_ctx *sort_ctx;

/* By owner, then best public first, then oldest. */
static int by_owner_public(const void *pa, const void *pb)
{
    const struct web_ai_entry *a = &sort_ctx->v[*(const size_t *)pa], *b = &sort_ctx->v[*(const size_t *)pb];
    int64_t ka = owner_key(a), kb = owner_key(b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    int c = better(sort_ctx->maximize, a->public_score, b->public_score);
    if (c)
        return c;
    if (a->submitted_at != b->submitted_at)
        return a->submitted_at < b->submitted_at ? -1 : 1;
    return a->submission_id < b->submission_id ? -1 : (a->submission_id > b->submission_id);
}

static int by_rank(const void *pa, const void *pb)
{
    const struct lb_row *a = pa, *b = pb;
    int c = better(sort_ctx->maximize, a->shown, b->shown);
    if (c)
        return c;
    if (a->achieved != b->achieved)
        return a->achieved < b->achieved ? -1 : 1;
    return a->submission_id < b->submission_id ? -1 : (a->submission_id > b->submission_id);
}

/* One group's row: idx[0..n) are its entries, best public first. */
static void group_row(const struct lb_ctx *x, const size_t *idx, size_t n, int k, struct lb_row *row)
{
    const struct web_ai_entry *v = x->v;
    const struct web_ai_entry *first = &v[idx[0]];
    size_t chosen = 0;
    memset(row, 0, sizeof(*row));
    row->team_id = first->team_id;
    row->user_id = first->team_id > 0 ? 0 : first->user_id;
    row->entries = (int64_t)n;
    for (size_t i = 0; i < n; i++) {
        if (v[idx[i]].submitted_at > row->last)
            row->last = v[idx[i]].submitted_at;
        chosen += v[idx[i]].final != 0;
    }
    if (!x->private_board) {
        row->submission_id = first->submission_id;
        row->score = first->public_score;
        row->achieved = first->submitted_at;
        return;
    }
    /* The final submissions: those chosen, else the k best public ones. */
    int have = 0;
    size_t taken = 0;
    for (size_t i = 0; i < n && taken < (size_t)k; i++) {
        const struct web_ai_entry *e = &v[idx[i]];
        if (chosen && !e->final)
            continue;
        taken++;
        if (!have || better(x->maximize, e->private_score, row->score) < 0 ||
            (e->private_score == row->score && e->submitted_at < row->achieved)) {
            row->submission_id = e->submission_id;
            row->score = e->private_score;
            row->achieved = e->submitted_at;
            have = 1;
        }
    }
}

/* Names of the rows' teams and users, looked up once each. */
struct lb_names {
    struct web_team_list teams;
    int64_t *user_ids;
    char (*user_names)[WEB_TITLE_MAX + 1];
    size_t nusers;
};

static void lb_names_release(struct lb_names *nm)
{
    web_team_list_release(&nm->teams);
    free(nm->user_ids);
    free(nm->user_names);
}

static int row_name(struct web_store *s, struct lb_names *nm, const struct lb_row *row, const char **out,
                    struct err *err)
{
    if (row->team_id > 0) {
        for (size_t i = 0; i < nm->teams.n; i++)
            if (nm->teams.v[i].id == row->team_id) {
                *out = nm->teams.v[i].name;
                return 0;
            }
        *out = "";
        return 0;
    }
    for (size_t i = 0; i < nm->nusers; i++)
        if (nm->user_ids[i] == row->user_id) {
            *out = nm->user_names[i];
            return 0;
        }
    struct web_user u;
    int rc = web_store_user_by_id(s, row->user_id, &u, err);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return rc;
    size_t i = nm->nusers++;
    nm->user_ids = realloc(nm->user_ids, nm->nusers * sizeof(*nm->user_ids));
    nm->user_names = realloc(nm->user_names, nm->nusers * sizeof(*nm->user_names));
    if (!nm->user_ids || !nm->user_names)
        abort();
    nm->user_ids[i] = row->user_id;
    str_fmt(nm->user_names[i], sizeof(nm->user_names[i]), "%s",
            rc < 0 ? "" : u.display_name[0] ? u.display_name : u.name);
    *out = nm->user_names[i];
    return 0;
}

/* A CSV field: quoted when it must be, and a leading = + - @ defused (a
 * spreadsheet would run it as a formula). */
static void csv_field(struct buf *b, const char *s)
{
    int formula = s[0] && strchr("=+-@", s[0]);
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        buf_add(b, s, strlen(s));
        return;
    }
    buf_add(b, "\"", 1);
    if (formula)
        buf_add(b, "'", 1);
    for (; *s; s++)
        buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    buf_add(b, "\"", 1);
}

/* The problem the board is of: the one asked for (it must be in the
 * contest), else the first of the set that is an AI problem; 0 none. */
static int board_problem(struct web_req *r, struct web_store *s, const struct web_contest *c, int64_t asked,
                         const struct web_ai_entry_list *entries, int64_t *out, struct web_ai_problem *ap,
                         struct err *err)
{
    struct web_contest_problem_list l;
    int rc = web_store_contest_problems(s, c->id, &l, err);
    *out = 0;
    for (size_t i = 0; rc == 0 && i < l.n && !*out; i++) {
        int64_t p = l.v[i].problem_id;
        if (asked) {
            if (p == asked)
                *out = p;
            continue;
        }
        if ((rc = web_store_ai_problem_get(s, p, ap, err)) < 0)
            break;
        for (size_t k = 0; !*out && k < entries->n; k++)
            if (entries->v[k].problem_id == p)
                *out = p;
        if (ap->stored)
            *out = p;
    }
    web_contest_problem_list_release(&l);
    if (rc == 0 && *out)
        rc = web_store_ai_problem_get(s, *out, ap, err);
    if (rc == 0 && asked && !*out)
        rc = err_set(err, ERR_NOTFOUND, "no problem %lld in this contest", (long long)asked);
    (void)r;
    return rc;
}

void web_api_leaderboard_get(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_ai_entry_list entries = { 0 };
    struct web_ai_problem ap = { 0 };
    struct lb_names names = { 0 };
    struct web_participant_list parts = { 0 };
    struct lb_row *rows = NULL;
    size_t *idx = NULL, nidx = 0, nrows = 0;
    struct err err;
    int64_t problem = 0;
    int rc;
    const char *board = web_req_query(r, "board"), *format = web_req_query(r, "format");
    int64_t asked = web_req_query_id(r, "problem");
    if (asked < 0)
        return;
    if (board && strcmp(board, "public") != 0 && strcmp(board, "private") != 0) {
        web_reply_error(r, 400, "invalid_parameter", "board must be \"public\" or \"private\"");
        return;
    }
    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        web_reply_error(r, 400, "invalid_parameter", "format must be \"json\" or \"csv\"");
        return;
    }
    int private_board = board && !strcmp(board, "private"), csv = format && !strcmp(format, "csv");
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    if (!a.jury && r->now < c.start_time) {
        web_reply_error(r, 403, "contest_not_started", "the contest has not started");
        return;
    }
    if (private_board && !a.jury && !c.private_published) {
        web_reply_error(r, 403, "private_not_published", "the private leaderboard is not published yet");
        return;
    }
    if ((rc = web_store_ai_entries(s, c.id, &entries, &err)) < 0 ||
        (rc = board_problem(r, s, &c, asked, &entries, &problem, &ap, &err)) < 0 ||
        (c.team_mode && (rc = web_store_teams_of_contest(s, c.id, &names.teams, &err)) < 0) ||
        (rc = web_store_participants(s, c.id, 0, &parts, &err)) < 0)
        goto fail;
    struct lb_ctx x = { ap.maximize, private_board, entries.v };
    int k = contest_k(&c);

    /* The problem's entries: baselines become rows at once, the rest are
     * grouped by owner. */
    idx = calloc(entries.n + 1, sizeof(*idx));
    rows = calloc(entries.n + 1, sizeof(*rows));
    if (!idx || !rows)
        abort();
    for (size_t i = 0; i < entries.n; i++) {
        const struct web_ai_entry *e = &entries.v[i];
        if (!problem || e->problem_id != problem)
            continue;
        if (!e->baseline) {
            /* Teams and participants are ranked; the jury's own entries
             * appear only as baselines. */
            int ranked_owner = e->team_id > 0;
            for (size_t p = 0; !ranked_owner && p < parts.n; p++)
                ranked_owner = parts.v[p].user_id == e->user_id && parts.v[p].role == WEB_CROLE_PARTICIPANT;
            if (ranked_owner)
                idx[nidx++] = i;
            continue;
        }
        struct lb_row *row = &rows[nrows++];
        row->team_id = e->team_id;
        row->user_id = e->team_id > 0 ? 0 : e->user_id;
        row->submission_id = e->submission_id;
        row->score = private_board ? e->private_score : e->public_score;
        row->achieved = row->last = e->submitted_at;
        row->entries = 1;
        row->baseline = 1;
    }
    sort_ctx = &x;
    qsort(idx, nidx, sizeof(*idx), by_owner_public);
    for (size_t i = 0; i < nidx;) {
        size_t j = i;
        while (j < nidx && owner_key(&entries.v[idx[j]]) == owner_key(&entries.v[idx[i]]))
            j++;
        group_row(&x, idx + i, j - i, k, &rows[nrows++]);
        i = j;
    }
    for (size_t i = 0; i < nrows; i++)
        rows[i].shown = web_ai_round(rows[i].score, ap.precision);
    qsort(rows, nrows, sizeof(*rows), by_rank);
    sort_ctx = NULL;
    /* Equal rounded scores share a rank; baselines take none. */
    int64_t ranked = 0;
    for (size_t i = 0, prev = (size_t)-1; i < nrows; i++) {
        if (rows[i].baseline)
            continue;
        ranked++;
        rows[i].rank = prev != (size_t)-1 && rows[prev].shown == rows[i].shown ? rows[prev].rank : ranked;
        prev = i;
    }

    if (csv) {
        struct buf b;
        char when[32], num[64], disp[200];
        buf_init(&b, 0);
        buf_add(&b, "rank,team,score,entries,last\r\n", 30);
        for (size_t i = 0; i < nrows; i++) {
            const char *name;
            if ((rc = row_name(s, &names, &rows[i], &name, &err)) < 0) {
                buf_release(&b);
                goto fail;
            }
            if (rows[i].baseline)
                buf_add(&b, "baseline", 8);
            else
                buf_addf(&b, "%lld", (long long)rows[i].rank);
            buf_add(&b, ",", 1);
            csv_field(&b, name);
            str_fmt(num, sizeof(num), "%.*f", ap.precision, rows[i].shown);
            iso_time(rows[i].last, when);
            buf_addf(&b, ",%s,%lld,%s\r\n", num, (long long)rows[i].entries, when);
        }
        str_fmt(disp, sizeof(disp), "attachment; filename=\"leaderboard-%s-%s.csv\"", c.short_name,
                private_board ? "private" : "public");
        web_reply_buf(r, 200, &b, "text/csv; charset=utf-8");
        web_reply_header(r, "Content-Disposition", disp);
        buf_release(&b);
        goto out;
    }
    cJSON *o = cJSON_CreateObject(), *arr;
    web_json_add_i64(o, "contest", c.id);
    if (problem)
        web_json_add_i64(o, "problem", problem);
    else
        cJSON_AddNullToObject(o, "problem");
    cJSON_AddStringToObject(o, "board", private_board ? "private" : "public");
    cJSON_AddBoolToObject(o, "maximize", ap.maximize);
    web_json_add_i64(o, "precision", ap.precision);
    cJSON_AddBoolToObject(o, "private_published", c.private_published);
    web_json_add_i64(o, "final_submissions", k);
    arr = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; i < nrows; i++) {
        const struct lb_row *row = &rows[i];
        const char *name;
        if ((rc = row_name(s, &names, row, &name, &err)) < 0) {
            cJSON_Delete(o);
            goto fail;
        }
        cJSON *y = cJSON_CreateObject();
        if (row->baseline)
            cJSON_AddNullToObject(y, "rank");
        else
            web_json_add_i64(y, "rank", row->rank);
        if (row->team_id > 0)
            web_json_add_i64(y, "team", row->team_id);
        else
            cJSON_AddNullToObject(y, "team");
        if (row->user_id > 0)
            web_json_add_i64(y, "user", row->user_id);
        else
            cJSON_AddNullToObject(y, "user");
        cJSON_AddStringToObject(y, "name", name);
        cJSON_AddNumberToObject(y, "score", row->shown);
        web_json_add_i64(y, "entries", row->entries);
        web_json_add_i64(y, "last", row->last);
        cJSON_AddBoolToObject(y, "baseline", row->baseline);
        if (a.jury) {                       /* the exact value and where it comes from */
            cJSON_AddNumberToObject(y, "exact_score", row->score);
            web_json_add_i64(y, "submission", row->submission_id);
        }
        cJSON_AddItemToArray(arr, y);
    }
    web_reply_json(r, 200, o);
    goto out;
fail:
    if (rc == ERR_NOTFOUND)
        web_reply_error(r, 404, "not_found", "%s", err.msg);
    else
        web_reply_store_error(r, rc, &err);
out:
    free(idx);
    free(rows);
    lb_names_release(&names);
    web_participant_list_release(&parts);
    web_ai_entry_list_release(&entries);
}

/* ---- POST /api/v1/contests/{id}/final ----------------------------------------------------------------------------- */

void web_api_final_set(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "submissions", WEB_JSON_ARRAY, 1 },
    };
    struct web_contest c;
    struct web_contest_access a;
    struct web_ai_entry_list entries = { 0 };
    struct err err;
    int64_t ids[WEB_AI_FINAL_MAX];
    size_t n = 0;
    int rc;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        goto out;
    if (!a.participant) {
        web_reply_error(r, 403, "not_registered", "only the contest's participants choose final submissions");
        goto out;
    }
    if (r->now >= web_contest_end(&c)) {
        web_reply_error(r, 403, "contest_over", "the contest has ended: the final submissions are fixed");
        goto out;
    }
    int k = contest_k(&c);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(body, "submissions"), *v;
    if (cJSON_GetArraySize(arr) > WEB_AI_FINAL_MAX) {
        web_reply_error(r, 400, "invalid_field", "submissions: at most %d", WEB_AI_FINAL_MAX);
        goto out;
    }
    cJSON_ArrayForEach(v, arr) {
        if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 9007199254740992.0 ||
            floor(v->valuedouble) != v->valuedouble) {
            web_reply_error(r, 400, "invalid_field", "submissions: each must be a submission id");
            goto out;
        }
        ids[n] = (int64_t)v->valuedouble;
        for (size_t i = 0; i < n; i++)
            if (ids[i] == ids[n]) {
                web_reply_error(r, 400, "invalid_field", "submissions: %lld appears twice", (long long)ids[n]);
                goto out;
            }
        n++;
    }
    if ((rc = web_store_ai_entries(s, c.id, &entries, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    /* Each one the caller's team's (or the caller's) scored submission;
     * at most k of them per problem. */
    for (size_t i = 0; i < n; i++) {
        const struct web_ai_entry *e = NULL;
        for (size_t j = 0; j < entries.n && !e; j++)
            if (entries.v[j].submission_id == ids[i])
                e = &entries.v[j];
        int mine = e && (a.team_id > 0 ? e->team_id == a.team_id : e->team_id == 0 && e->user_id == r->user.id);
        if (!mine) {
            struct web_submission sub;
            rc = web_store_submission_by_id(s, ids[i], &sub, &err);
            if (rc < 0 && rc != ERR_NOTFOUND) {
                web_reply_store_error(r, rc, &err);
                goto out;
            }
            int own = rc == 0 && sub.contest_id == c.id &&
                      (a.team_id > 0 ? sub.team_id == a.team_id : sub.team_id == 0 && sub.user_id == r->user.id);
            if (own)
                web_reply_error(r, 422, "not_scored", "submission %lld has no score", (long long)ids[i]);
            else
                web_reply_error(r, 404, "not_found", "no submission %lld", (long long)ids[i]);
            goto out;
        }
        if (e->baseline) {
            web_reply_error(r, 422, "baseline", "submission %lld is a baseline", (long long)ids[i]);
            goto out;
        }
        int same = 0;
        for (size_t j = 0; j < n; j++)
            for (size_t m = 0; m < entries.n; m++)
                if (entries.v[m].submission_id == ids[j] && entries.v[m].problem_id == e->problem_id)
                    same++;
        if (same > k) {
            web_reply_error(r, 400, "too_many", "submissions: at most %d final submissions per problem", k);
            goto out;
        }
    }
    if ((rc = web_store_ai_final_set(s, c.id, a.team_id, r->user.id, ids, n, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_info("web", "contest %lld: '%s' chose %zu final submissions", (long long)c.id, r->user.name, n);
    cJSON *o = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(o, "submissions");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(list, cJSON_CreateNumber((double)ids[i]));
    web_reply_json(r, 200, o);
out:
    web_ai_entry_list_release(&entries);
    cJSON_Delete(body);
}

/* GET /api/v1/contests/{id}/final: the caller's (team's) chosen final
 * submissions as stored, so a browser shows the choice wherever it is made. */
void web_api_final_get(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_ai_entry_list entries = { 0 };
    struct err err;
    int rc;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    if (!a.participant) {
        web_reply_error(r, 403, "not_registered", "only the contest's participants have final submissions");
        return;
    }
    if ((rc = web_store_ai_entries(s, c.id, &entries, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(o, "submissions");
    for (size_t j = 0; j < entries.n; j++) {
        const struct web_ai_entry *e = &entries.v[j];
        int mine = a.team_id > 0 ? e->team_id == a.team_id : e->team_id == 0 && e->user_id == r->user.id;
        if (mine && e->final)
            cJSON_AddItemToArray(list, cJSON_CreateNumber((double)e->submission_id));
    }
    web_json_add_i64(o, "k", contest_k(&c));
    web_ai_entry_list_release(&entries);
    web_reply_json(r, 200, o);
}

/* ---- POST /api/v1/submissions/{id}/baseline ----------------------------------------------------------------------- */

void web_api_submission_baseline(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "baseline", WEB_JSON_BOOL, 1 },
    };
    struct web_submission sub;
    struct web_contest c;
    struct web_contest_access a = { 0 };
    struct err err;
    char target[64];
    int rc;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    int on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "baseline"));
    rc = web_store_submission_by_id(s, r->id, &sub, &err);
    if (rc == 0 && sub.contest_id) {
        rc = web_contest_access_get(r, s, sub.contest_id, &c, &a, &err);
        if (rc == ERR_NOTFOUND)
            rc = 0;
    }
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    /* Only a contest's jury marks its submissions; others learn nothing,
     * but the owner, who knows the submission, hears why. */
    if (rc == ERR_NOTFOUND || !a.jury) {
        if (rc == 0 && sub.user_id == r->user.id)
            web_reply_error(r, 403, "forbidden", "only the contest's jury marks baselines");
        else
            web_reply_error(r, 404, "not_found", "no submission %lld", (long long)r->id);
        goto out;
    }
    if ((rc = web_store_ai_baseline_set(s, sub.id, on, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    str_fmt(target, sizeof(target), "submission %lld", (long long)sub.id);
    web_audit(r, s, "submission.baseline", target, on ? "baseline" : "not a baseline");
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "submission", sub.id);
    cJSON_AddBoolToObject(o, "baseline", on);
    web_reply_json(r, 200, o);
out:
    cJSON_Delete(body);
}
