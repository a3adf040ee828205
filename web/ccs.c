/*
 * ccs.c: the ICPC Contest API (CCS specs, 2023-06) over Crucible's contests:
 * /api, /api/contests and, per contest (by short name), state,
 * judgement-types, languages, problems, groups, organizations, teams,
 * accounts, submissions, judgements, runs, clarifications, awards,
 * scoreboard and the NDJSON event-feed.
 *
 * Who sees what (docs/api.md, "ICPC Contest API"): the jury (admins and the
 * contest's jury) sees everything; a contestant sees what the public sees
 * plus its own team's judgements and clarifications; the public sees public
 * contests, every submission but never its files, and no judgement of a
 * submission made during the freeze (until the jury unfreezes) nor any
 * judgement of an OI contest before its end. Ids are the decimal ids of
 * Crucible's rows (a team is a participant's user in an individual
 * contest), the contest's id is its short name, accounts' ids their names.
 *
 * How the event feed works: the feed first sends every object as it is now
 * (collections whole, live objects one by one), each line carrying as token
 * the newest event id of the log (storage.h) at that moment. Then, streaming,
 * it sends each later event's object as it is when sent. A streaming feed
 * never holds a thread while it waits: its content callback suspends the
 * connection when it has nothing to send, and web_feeds_notify() (after any
 * request that may have written, and on every timer tick) resumes them all
 * to look again. A generation counter closes the race between looking and
 * suspending. Keep-alive newlines go out when nothing was sent for a while.
 */
#include "web_int.h"

#include "problems.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CCS_VERSION "2023-06"
#define CCS_VERSION_URL "https://ccs-specs.icpc.io/2023-06/contest_api"
#define FEED_KEEPALIVE_S 110        /* the spec's limit is 120 s */
#define FEED_CHUNK 16384

/* ---- time ------------------------------------------------------------------------------------------ */

static void abs_time(int64_t unix_s, char out[40])
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 40, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static void rel_time(int64_t seconds, char out[40])
{
    int neg = seconds < 0;
    uint64_t s = neg ? (uint64_t)(-seconds) : (uint64_t)seconds;
    snprintf(out, 40, "%s%llu:%02u:%02u.000", neg ? "-" : "", (unsigned long long)(s / 3600),
             (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

static void add_abs(cJSON *o, const char *name, int64_t unix_s)
{
    char t[40];
    abs_time(unix_s, t);
    cJSON_AddStringToObject(o, name, t);
}

static void add_rel(cJSON *o, const char *name, int64_t seconds)
{
    char t[40];
    rel_time(seconds, t);
    cJSON_AddStringToObject(o, name, t);
}

static void add_id(cJSON *o, const char *name, int64_t id)
{
    char k[24];
    if (id <= 0) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    web_board_key(id, k);
    cJSON_AddStringToObject(o, name, k);
}

/* ---- one request's view of a contest --------------------------------------------------------------- */

struct ccs {
    struct web_server *srv;
    struct web_store *s;
    struct web_contest c;
    int jury;
    int64_t team;                   /* the viewer's team on the board; 0 none */
    int64_t user_id;                /* 0: anonymous */
    int64_t now;
    int loaded;                     /* the lists below are filled */
    struct web_contest_problem_list cps;
    struct web_problem *problems;   /* cps.n of them */
    int64_t *teams;                 /* the teams' (or participants') ids, sorted */
    char (*team_names)[WEB_TITLE_MAX + 1];
    size_t nteams;
    struct web_participant_list parts;
};

static void ccs_release(struct ccs *x)
{
    web_contest_problem_list_release(&x->cps);
    web_participant_list_release(&x->parts);
    free(x->problems);
    free(x->teams);
    free(x->team_names);
    x->problems = NULL;
    x->teams = NULL;
    x->team_names = NULL;
    x->nteams = 0;
    x->loaded = 0;
}

static int64_t contest_end(const struct web_contest *c)
{
    return c->start_time + c->duration;
}

static int started(const struct ccs *x)
{
    return x->jury || x->now >= x->c.start_time;
}

/* Loads the problems and teams once per request (or feed wake-up). */
static int ccs_load(struct ccs *x, struct err *err)
{
    struct web_team_list tl = { 0 };
    int rc;
    if (x->loaded)
        return 0;
    if ((rc = web_store_contest_problems(x->s, x->c.id, &x->cps, err)) < 0)
        return rc;
    x->problems = calloc(x->cps.n + 1, sizeof(*x->problems));
    if (!x->problems)
        abort();
    for (size_t i = 0; i < x->cps.n; i++)
        if ((rc = web_store_problem_by_id(x->s, x->cps.v[i].problem_id, &x->problems[i], err)) < 0)
            goto out;
    if ((rc = web_store_participants(x->s, x->c.id, 0, &x->parts, err)) < 0)
        goto out;
    if (x->c.team_mode && (rc = web_store_teams_of_contest(x->s, x->c.id, &tl, err)) < 0)
        goto out;
    size_t n = x->c.team_mode ? tl.n : x->parts.n;
    x->teams = calloc(n + 1, sizeof(*x->teams));
    x->team_names = calloc(n + 1, sizeof(*x->team_names));
    if (!x->teams || !x->team_names)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (x->c.team_mode) {
            x->teams[x->nteams] = tl.v[i].id;
            memcpy(x->team_names[x->nteams], tl.v[i].name, sizeof(x->team_names[0]));
        } else {
            struct web_user u;
            if (x->parts.v[i].role != WEB_CROLE_PARTICIPANT)
                continue;
            if ((rc = web_store_user_by_id(x->s, x->parts.v[i].user_id, &u, err)) < 0)
                goto out;
            x->teams[x->nteams] = u.id;
            str_fmt(x->team_names[x->nteams], sizeof(x->team_names[0]), "%s",
                    u.display_name[0] ? u.display_name : u.name);
        }
        x->nteams++;
    }
    /* sorted by id already (both lists are), which team_index relies on */
    x->loaded = 1;
out:
    web_team_list_release(&tl);
    if (rc < 0)
        ccs_release(x);
    return rc;
}

static long team_index(const struct ccs *x, int64_t id)
{
    size_t lo = 0, hi = x->nteams;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->teams[mid] < id)
            lo = mid + 1;
        else if (x->teams[mid] > id)
            hi = mid;
        else
            return (long)mid;
    }
    return -1;
}

static int64_t team_of_submission(const struct ccs *x, const struct web_submission *sub)
{
    int64_t t = x->c.team_mode ? sub->team_id : sub->user_id;
    return team_index(x, t) >= 0 ? t : 0;
}

static const struct web_contest_problem *contest_problem(const struct ccs *x, int64_t problem_id, size_t *index)
{
    for (size_t i = 0; i < x->cps.n; i++)
        if (x->cps.v[i].problem_id == problem_id) {
            if (index)
                *index = i;
            return &x->cps.v[i];
        }
    return NULL;
}

/* A submission the viewer may see at all: on the board's teams and
 * problems (the jury sees the rest too). */
static int submission_visible(const struct ccs *x, const struct web_submission *sub)
{
    if (x->jury)
        return 1;
    return !sub->ignored && team_of_submission(x, sub) && contest_problem(x, sub->problem_id, NULL) &&
           sub->submitted_at >= x->c.start_time && sub->submitted_at < contest_end(&x->c);
}

/* The submission's judgements and runs: see the file's opening comment. */
static int judgement_visible(const struct ccs *x, const struct web_submission *sub)
{
    if (x->jury)
        return 1;
    if (!submission_visible(x, sub))
        return 0;
    if (x->c.rules == WEB_RULES_OI)
        return x->now >= contest_end(&x->c) || x->c.unfrozen;
    if (x->team && team_of_submission(x, sub) == x->team)
        return 1;
    int in_freeze = x->c.freeze > 0 && sub->submitted_at >= contest_end(&x->c) - x->c.freeze;
    return !in_freeze || x->c.unfrozen;
}

/* ---- objects ------------------------------------------------------------------------------------------- */

static cJSON *obj_contest(const struct web_contest *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->short_name);
    cJSON_AddStringToObject(o, "name", c->title);
    cJSON_AddStringToObject(o, "formal_name", c->title);
    add_abs(o, "start_time", c->start_time);
    add_rel(o, "duration", c->duration);
    add_rel(o, "scoreboard_freeze_duration", c->freeze);
    if (c->rules == WEB_RULES_ICPC) {
        cJSON_AddStringToObject(o, "scoreboard_type", "pass-fail");
        web_json_add_i64(o, "penalty_time", c->penalty_minutes);
    } else {
        cJSON_AddStringToObject(o, "scoreboard_type", "score");
    }
    return o;
}

static cJSON *obj_state(const struct web_contest *c, int64_t now)
{
    cJSON *o = cJSON_CreateObject();
    int64_t end = contest_end(c), freeze_at = end - c->freeze;
    int is_started = now >= c->start_time, ended = now >= end, frozen = c->freeze > 0 && now >= freeze_at;
    int thawed = frozen && ended && c->unfrozen;
    if (is_started)
        add_abs(o, "started", c->start_time);
    else
        cJSON_AddNullToObject(o, "started");
    if (frozen)
        add_abs(o, "frozen", freeze_at);
    else
        cJSON_AddNullToObject(o, "frozen");
    if (ended)
        add_abs(o, "ended", end);
    else
        cJSON_AddNullToObject(o, "ended");
    if (thawed)
        add_abs(o, "thawed", end);
    else
        cJSON_AddNullToObject(o, "thawed");
    if (ended && (c->freeze == 0 || thawed))
        add_abs(o, "finalized", end);
    else
        cJSON_AddNullToObject(o, "finalized");
    cJSON_AddNullToObject(o, "end_of_updates");
    return o;
}

static const struct {
    const char *id, *name;
    int penalty, solved;
} judgement_types[] = {
    { "AC", "accepted", 0, 1 },
    { "WA", "wrong answer", 1, 0 },
    { "TLE", "time limit exceeded", 1, 0 },
    { "MLE", "memory limit exceeded", 1, 0 },
    { "OLE", "output limit exceeded", 1, 0 },
    { "RTE", "run-time error", 1, 0 },
    { "CE", "compiler error", 0, 0 },
    { "JE", "judging error", 0, 0 },
};
#define NJTYPES (sizeof(judgement_types) / sizeof(judgement_types[0]))

static cJSON *obj_judgement_type(size_t i, int icpc)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", judgement_types[i].id);
    cJSON_AddStringToObject(o, "name", judgement_types[i].name);
    if (icpc)
        cJSON_AddBoolToObject(o, "penalty", judgement_types[i].penalty);
    cJSON_AddBoolToObject(o, "solved", judgement_types[i].solved);
    return o;
}

static int judgement_type_known(const char *v)
{
    for (size_t i = 0; i < NJTYPES; i++)
        if (!strcmp(v, judgement_types[i].id))
            return 1;
    return 0;
}

static int language_allowed(const struct web_contest *c, const char *id)
{
    if (!c->languages[0])
        return 1;
    size_t n = strlen(id);
    for (const char *p = c->languages; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, id, n))
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

static cJSON *obj_language(const struct jdg_language *l)
{
    cJSON *o = cJSON_CreateObject(), *ext = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "id", l->id);
    cJSON_AddStringToObject(o, "name", l->name ? l->name : l->id);
    int java = !strcmp(l->id, "java") || !strcmp(l->id, "kotlin");
    cJSON_AddBoolToObject(o, "entry_point_required", java);
    if (java)
        cJSON_AddStringToObject(o, "entry_point_name", "Main class");
    for (size_t i = 0; i < l->extensions.n; i++)
        cJSON_AddItemToArray(ext, cJSON_CreateString(l->extensions.v[i]));
    cJSON_AddItemToObject(o, "extensions", ext);
    return o;
}

static cJSON *obj_problem(const struct ccs *x, size_t i)
{
    const struct web_contest_problem *cp = &x->cps.v[i];
    const struct web_problem *p = &x->problems[i];
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", cp->problem_id);
    cJSON_AddStringToObject(o, "label", cp->label);
    cJSON_AddStringToObject(o, "name", p->title);
    web_json_add_i64(o, "ordinal", (int64_t)i + 1);
    if (cp->color[0] == '#')
        cJSON_AddStringToObject(o, "rgb", cp->color);
    else if (cp->color[0])
        cJSON_AddStringToObject(o, "color", cp->color);
    cJSON_AddNumberToObject(o, "time_limit", round(p->time_limit * 1000) / 1000);
    /* The test data stays with the judges; only its existence is told. */
    web_json_add_i64(o, "test_data_count", 0);
    if (x->c.rules != WEB_RULES_ICPC)
        cJSON_AddNumberToObject(o, "max_score", cp->points);
    return o;
}

static cJSON *obj_team(const struct ccs *x, size_t i)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", x->teams[i]);
    cJSON_AddStringToObject(o, "name", x->team_names[i]);
    add_id(o, "label", x->teams[i]);
    cJSON_AddItemToObject(o, "group_ids", cJSON_CreateArray());
    cJSON_AddNullToObject(o, "organization_id");
    cJSON_AddBoolToObject(o, "hidden", 0);
    return o;
}

static cJSON *obj_account(const struct ccs *x, const struct web_participant *p, const struct web_user *u)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", u->name);
    cJSON_AddStringToObject(o, "username", u->name);
    cJSON_AddStringToObject(o, "name", u->display_name[0] ? u->display_name : u->name);
    int64_t team = p && p->role == WEB_CROLE_PARTICIPANT ? (x->c.team_mode ? p->team_id : u->id) : 0;
    if (team > 0 && team_index(x, team) >= 0) {
        cJSON_AddStringToObject(o, "type", "team");
        add_id(o, "team_id", team);
    } else {
        cJSON_AddStringToObject(o, "type", u->role == WEB_ROLE_ADMIN ? "admin" : p ? "judge" : "staff");
    }
    return o;
}

static cJSON *obj_submission(const struct ccs *x, const struct web_submission *sub)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", sub->id);
    cJSON_AddStringToObject(o, "language_id", sub->language);
    add_id(o, "problem_id", sub->problem_id);
    add_id(o, "team_id", team_of_submission(x, sub));
    add_abs(o, "time", sub->submitted_at);
    add_rel(o, "contest_time", sub->submitted_at - x->c.start_time);
    if (!strcmp(sub->language, "java") || !strcmp(sub->language, "kotlin")) {
        char main[WEB_FILENAME_MAX + 1];
        str_fmt(main, sizeof(main), "%s", sub->filename);
        char *dot = strrchr(main, '.');
        if (dot)
            *dot = '\0';
        cJSON_AddStringToObject(o, "entry_point", main);
    } else {
        cJSON_AddNullToObject(o, "entry_point");
    }
    /* ccs files: the sources, zipped, for the jury only (submission_files) */
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    if (x->jury && !sub->samples_only) {
        char href[WEB_NAME_MAX + 64];
        cJSON *f = cJSON_CreateObject();
        str_fmt(href, sizeof(href), "contests/%s/submissions/%lld/files", x->c.short_name, (long long)sub->id);
        cJSON_AddStringToObject(f, "href", href);
        cJSON_AddStringToObject(f, "filename", "files.zip");
        cJSON_AddStringToObject(f, "mime", "application/zip");
        cJSON_AddItemToArray(files, f);
    }
    return o;
}

static cJSON *obj_judgement(const struct ccs *x, const struct web_judging *j, const struct web_submission *sub)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", j->id);
    add_id(o, "submission_id", j->submission_id);
    int done = j->finished_at > 0 && judgement_type_known(j->verdict);
    if (done) {
        cJSON_AddStringToObject(o, "judgement_type_id", j->verdict);
    } else {
        cJSON_AddNullToObject(o, "judgement_type_id");
    }
    if (x->c.rules != WEB_RULES_ICPC) {
        const struct web_contest_problem *cp = contest_problem(x, sub->problem_id, NULL);
        double points = cp ? cp->points : 1, score = 0;
        if (done)
            score = j->max_score > 0 ? j->score * points / j->max_score : !strcmp(j->verdict, "AC") ? points : 0;
        cJSON_AddNumberToObject(o, "score", isfinite(score) && score > 0 ? score : 0);
    }
    add_abs(o, "start_time", j->started_at);
    add_rel(o, "start_contest_time", j->started_at - x->c.start_time);
    if (done) {
        add_abs(o, "end_time", j->finished_at);
        add_rel(o, "end_contest_time", j->finished_at - x->c.start_time);
        cJSON_AddNumberToObject(o, "max_run_time", round(j->time_seconds * 1000) / 1000);
    } else {
        cJSON_AddNullToObject(o, "end_time");
        cJSON_AddNullToObject(o, "end_contest_time");
    }
    return o;
}

static void add_runs(const struct ccs *x, const struct web_judging *j, cJSON *arr, struct err *err)
{
    struct web_test_result_list tl = { 0 };
    if (j->finished_at <= 0 || web_store_judging_tests(x->s, j->id, &tl, err) < 0)
        return;
    for (size_t i = 0; i < tl.n; i++) {
        const struct web_test_result *t = &tl.v[i];
        if (!judgement_type_known(t->verdict))
            continue;
        char id[48];
        snprintf(id, sizeof(id), "%lld-%lld", (long long)j->id, (long long)t->ordinal + 1);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", id);
        add_id(o, "judgement_id", j->id);
        web_json_add_i64(o, "ordinal", t->ordinal + 1);
        cJSON_AddStringToObject(o, "judgement_type_id", t->verdict);
        add_abs(o, "time", j->finished_at);
        add_rel(o, "contest_time", j->finished_at - x->c.start_time);
        cJSON_AddNumberToObject(o, "run_time", round(t->time_seconds * 1000) / 1000);
        cJSON_AddItemToArray(arr, o);
    }
    web_test_result_list_release(&tl);
}

static int64_t team_of_user(const struct ccs *x, int64_t user_id)
{
    for (size_t i = 0; i < x->parts.n; i++)
        if (x->parts.v[i].user_id == user_id && x->parts.v[i].role == WEB_CROLE_PARTICIPANT) {
            int64_t t = x->c.team_mode ? x->parts.v[i].team_id : user_id;
            return team_index(x, t) >= 0 ? t : 0;
        }
    return 0;
}

static int clarification_visible(const struct ccs *x, const struct web_clarification *c)
{
    if (x->jury)
        return 1;
    if (c->kind == WEB_CLAR_ANNOUNCEMENT || (c->kind == WEB_CLAR_ANSWER && !c->to_user_id))
        return 1;
    if (!x->user_id)
        return 0;
    if (c->from_user_id == x->user_id || c->to_user_id == x->user_id)
        return 1;
    return x->c.team_mode && x->team && c->team_id == x->team;
}

static cJSON *obj_clarification(const struct ccs *x, const struct web_clarification *c)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, "id", c->id);
    int64_t from = c->kind == WEB_CLAR_QUESTION ? (c->team_id ? c->team_id : team_of_user(x, c->from_user_id)) : 0;
    int64_t to = c->kind == WEB_CLAR_ANSWER && c->to_user_id ? (c->team_id ? c->team_id
                                                                        : team_of_user(x, c->to_user_id)) : 0;
    add_id(o, "from_team_id", team_index(x, from) >= 0 ? from : 0);
    add_id(o, "to_team_id", team_index(x, to) >= 0 ? to : 0);
    add_id(o, "reply_to_id", c->reply_to);
    add_id(o, "problem_id", contest_problem(x, c->problem_id, NULL) ? c->problem_id : 0);
    cJSON_AddStringToObject(o, "text", c->text ? c->text : "");
    add_abs(o, "time", c->created_at);
    add_rel(o, "contest_time", c->created_at - x->c.start_time);
    return o;
}

/* ---- collections --------------------------------------------------------------------------------------- */

enum ccs_kind {
    K_JTYPES, K_LANGUAGES, K_PROBLEMS, K_GROUPS, K_ORGS, K_TEAMS, K_ACCOUNTS, K_SUBMISSIONS, K_JUDGEMENTS,
    K_RUNS, K_CLARS, K_AWARDS, K_COUNT
};

static const char *const kind_names[K_COUNT] = {
    "judgement-types", "languages", "problems", "groups", "organizations", "teams", "accounts", "submissions",
    "judgements", "runs", "clarifications", "awards",
};

/* Every submission of the contest, oldest first (pages of WEB_LIST_MAX). */
static int all_submissions(const struct ccs *x, struct web_submission_list *out, struct err *err)
{
    struct web_submission_list page = { 0 };
    struct web_submission_filter f = { 0 };
    size_t alloc = 0;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    f.contest_id = x->c.id;
    f.status = -1;
    f.limit = WEB_LIST_MAX;
    f.counted_only = 1;   /* judge: runs on samples are their owners' alone */
    for (;;) {
        if ((rc = web_store_submission_list(x->s, &f, &page, err)) < 0)
            break;
        if (out->n + page.n > alloc) {
            alloc = (out->n + page.n) * 2;
            out->v = realloc(out->v, alloc * sizeof(*out->v));
            if (!out->v)
                abort();
        }
        if (page.n)
            memcpy(out->v + out->n, page.v, page.n * sizeof(*page.v));
        out->n += page.n;
        size_t n = page.n;
        if (n)
            f.before_id = page.v[n - 1].id;
        web_submission_list_release(&page);
        if (n < WEB_LIST_MAX)
            break;
    }
    if (rc < 0) {
        web_submission_list_release(out);
        return rc;
    }
    /* newest first from storage: reverse */
    for (size_t i = 0; i < out->n / 2; i++) {
        struct web_submission t = out->v[i];
        out->v[i] = out->v[out->n - 1 - i];
        out->v[out->n - 1 - i] = t;
    }
    return 0;
}

static const struct web_submission *find_sub(const struct web_submission_list *l, int64_t id)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].id < id)
            lo = mid + 1;
        else if (l->v[mid].id > id)
            hi = mid;
        else
            return &l->v[mid];
    }
    return NULL;
}

static cJSON *awards(struct ccs *x, struct err *err);

/* The kind's collection as the viewer sees it; NULL on a storage error. */
static cJSON *collection(struct ccs *x, enum ccs_kind k, struct err *err)
{
    cJSON *arr = cJSON_CreateArray();
    int rc = 0;
    if (ccs_load(x, err) < 0) {
        cJSON_Delete(arr);
        return NULL;
    }
    switch (k) {
    case K_JTYPES:
        for (size_t i = 0; i < NJTYPES; i++)
            cJSON_AddItemToArray(arr, obj_judgement_type(i, x->c.rules == WEB_RULES_ICPC));
        break;
    case K_LANGUAGES:
        for (size_t i = 0; i < x->srv->langs.n; i++)
            if (language_allowed(&x->c, x->srv->langs.v[i].id))
                cJSON_AddItemToArray(arr, obj_language(&x->srv->langs.v[i]));
        break;
    case K_PROBLEMS:
        for (size_t i = 0; started(x) && i < x->cps.n; i++)
            cJSON_AddItemToArray(arr, obj_problem(x, i));
        break;
    case K_GROUPS:
    case K_ORGS:
        break;
    case K_TEAMS:
        for (size_t i = 0; i < x->nteams; i++)
            cJSON_AddItemToArray(arr, obj_team(x, i));
        break;
    case K_ACCOUNTS:
        for (size_t i = 0; x->jury && i < x->parts.n; i++) {
            struct web_user u;
            if ((rc = web_store_user_by_id(x->s, x->parts.v[i].user_id, &u, err)) < 0)
                break;
            cJSON_AddItemToArray(arr, obj_account(x, &x->parts.v[i], &u));
        }
        break;
    case K_SUBMISSIONS:
    case K_JUDGEMENTS:
    case K_RUNS: {
        struct web_submission_list subs;
        struct web_judging_list js = { 0 };
        if ((rc = all_submissions(x, &subs, err)) < 0)
            break;
        if (k == K_SUBMISSIONS) {
            for (size_t i = 0; i < subs.n; i++)
                if (submission_visible(x, &subs.v[i]))
                    cJSON_AddItemToArray(arr, obj_submission(x, &subs.v[i]));
        } else if ((rc = web_store_contest_judgings(x->s, x->c.id, &js, err)) == 0) {
            for (size_t i = 0; i < js.n; i++) {
                const struct web_submission *sub = find_sub(&subs, js.v[i].submission_id);
                if (!sub || !judgement_visible(x, sub))
                    continue;
                if (k == K_JUDGEMENTS)
                    cJSON_AddItemToArray(arr, obj_judgement(x, &js.v[i], sub));
                else
                    add_runs(x, &js.v[i], arr, err);
            }
        }
        web_judging_list_release(&js);
        web_submission_list_release(&subs);
        break;
    }
    case K_CLARS: {
        struct web_clarification_list cl = { 0 };
        if ((rc = web_store_clarifications_for(x->s, x->c.id, 0, 0, &cl, err)) < 0)
            break;
        for (size_t i = 0; i < cl.n; i++)
            if (clarification_visible(x, &cl.v[i]))
                cJSON_AddItemToArray(arr, obj_clarification(x, &cl.v[i]));
        web_clarification_list_release(&cl);
        break;
    }
    case K_AWARDS:
        cJSON_Delete(arr);
        return awards(x, err);
    case K_COUNT:
        break;
    }
    if (rc < 0) {
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}

/* ---- the scoreboard and awards -------------------------------------------------------------------------- */

static enum web_scoreboard_role viewer_role(const struct ccs *x, char key[24])
{
    if (x->jury)
        return WEB_SCOREBOARD_JURY;
    if (x->team) {
        web_board_key(x->team, key);
        return WEB_SCOREBOARD_TEAM;
    }
    return WEB_SCOREBOARD_PUBLIC;
}

/* Runs fn on the viewer's view of the board, under the board's lock. */
static int with_view(struct ccs *x, int (*fn)(struct ccs *x, struct web_scoreboard *sb,
                                               const struct web_scoreboard_view *v, void *arg),
                     void *arg, struct err *err)
{
    struct web_board *b = NULL;
    struct web_scoreboard_view *v = NULL;
    char key[24];
    int rc = web_board_acquire(x->srv, x->s, x->c.id, &b, err);
    if (rc < 0)
        return rc;
    struct web_scoreboard_viewer vw = { viewer_role(x, key), key, (x->now - x->c.start_time) * 1000 };
    if (vw.role != WEB_SCOREBOARD_TEAM)
        vw.team_id = NULL;
    rc = web_scoreboard_view_new(web_board_scoreboard(b), &vw, &v, err);
    if (rc == ERR_NOTFOUND && vw.role == WEB_SCOREBOARD_TEAM) {
        vw.role = WEB_SCOREBOARD_PUBLIC;
        vw.team_id = NULL;
        rc = web_scoreboard_view_new(web_board_scoreboard(b), &vw, &v, err);
    }
    if (rc == 0)
        rc = fn(x, web_board_scoreboard(b), v, arg);
    web_scoreboard_view_free(v);
    web_board_release(b);
    return rc;
}

static int render_fn(struct ccs *x, struct web_scoreboard *sb, const struct web_scoreboard_view *v, void *arg)
{
    struct err err;
    (void)x;
    return web_scoreboard_render(sb, v, arg, &err);
}

static int awards_fn(struct ccs *x, struct web_scoreboard *sb, const struct web_scoreboard_view *v, void *arg)
{
    cJSON *arr = arg, *w = cJSON_CreateObject(), *ids = cJSON_CreateArray();
    (void)sb;
    cJSON_AddStringToObject(w, "id", "winner");
    cJSON_AddStringToObject(w, "citation", "Contest winner");
    for (size_t j = 0; !v->hidden && j < v->n_rows && v->rows[j].rank == 1; j++)
        if (v->rows[j].num_solved > 0 || v->rows[j].score > 0)
            cJSON_AddItemToArray(ids, cJSON_CreateString(v->rows[j].team_id));
    cJSON_AddItemToObject(w, "team_ids", ids);
    cJSON_AddItemToArray(arr, w);
    if (v->rules != WEB_SCOREBOARD_ICPC || !started(x))
        return 0;
    for (size_t p = 0; p < v->n_problems; p++) {
        char id[64], cit[96];
        snprintf(id, sizeof(id), "first-to-solve-%s", web_scoreboard_problem_id(sb, p));
        snprintf(cit, sizeof(cit), "First to solve problem %s", web_scoreboard_problem_label(sb, p));
        cJSON *a = cJSON_CreateObject(), *t = cJSON_CreateArray();
        cJSON_AddStringToObject(a, "id", id);
        cJSON_AddStringToObject(a, "citation", cit);
        for (size_t j = 0; j < v->n_rows; j++)
            if (v->rows[j].cells[p].first_to_solve)
                cJSON_AddItemToArray(t, cJSON_CreateString(v->rows[j].team_id));
        cJSON_AddItemToObject(a, "team_ids", t);
        cJSON_AddItemToArray(arr, a);
    }
    return 0;
}

static cJSON *awards(struct ccs *x, struct err *err)
{
    cJSON *arr = cJSON_CreateArray();
    if (with_view(x, awards_fn, arr, err) < 0) {
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}

/* The Contest API scoreboard; its state is this file's (the engine's
 * knows nothing of the jury's unfreeze time). */
static cJSON *scoreboard(struct ccs *x, struct err *err)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = with_view(x, render_fn, &b, err);
    cJSON *o = rc == 0 ? cJSON_ParseWithLength(b.buf, b.len) : NULL;
    buf_release(&b);
    if (!o)
        return NULL;
    cJSON_ReplaceItemInObjectCaseSensitive(o, "state", obj_state(&x->c, x->now));
    if (!started(x))
        cJSON_ReplaceItemInObjectCaseSensitive(o, "rows", cJSON_CreateArray());
    return o;
}

/* ---- the event feed --------------------------------------------------------------------------------------- */

struct feed {
    struct feed *next;
    struct web_server *srv;
    struct MHD_Connection *conn;
    struct ccs x;                   /* s is set while it looks */
    int64_t token;                  /* every event up to this one is sent */
    struct buf out;                 /* lines not yet handed to libmicrohttpd */
    size_t sent;
    int suspended;
    double last_sent;               /* monotonic seconds */
    char *state;                    /* the last state line's data, to notice the clock's changes */
};

struct web_feeds {
    pthread_mutex_t mu;
    struct feed *head;
    uint64_t gen;                   /* bumped by every notify */
    int stopping;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void feed_line(struct buf *out, const char *type, const char *id, cJSON *data, int64_t token)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", type);
    if (id)
        cJSON_AddStringToObject(o, "id", id);
    else
        cJSON_AddNullToObject(o, "id");
    cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateNull());
    char t[24];
    web_board_key(token, t);
    cJSON_AddStringToObject(o, "token", t);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    buf_adds(out, text);
    buf_add(out, "\n", 1);
    free(text);
}

static void feed_collection(struct ccs *x, struct buf *out, enum ccs_kind k, int64_t token, struct err *err)
{
    cJSON *arr = collection(x, k, err);
    if (arr)
        feed_line(out, kind_names[k], NULL, arr, token);
}

/* Sends each item of the collection as its own event (live objects). */
static void feed_objects(struct ccs *x, struct buf *out, enum ccs_kind k, int64_t token, struct err *err)
{
    cJSON *arr = collection(x, k, err), *it;
    if (!arr)
        return;
    while ((it = cJSON_DetachItemFromArray(arr, 0))) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id"));
        char copy[64];
        str_fmt(copy, sizeof(copy), "%s", id ? id : "");
        feed_line(out, kind_names[k], copy, it, token);
    }
    cJSON_Delete(arr);
}

static void feed_state(struct ccs *x, struct buf *out, char **last, int64_t token)
{
    cJSON *st = obj_state(&x->c, x->now);
    char *text = cJSON_PrintUnformatted(st);
    if (!text)
        abort();
    if (*last && !strcmp(*last, text)) {
        free(text);
        cJSON_Delete(st);
        return;
    }
    free(*last);
    *last = text;
    feed_line(out, "state", NULL, st, token);
}

/* Everything as it is now. */
static void feed_snapshot(struct ccs *x, struct buf *out, char **state, int64_t token, struct err *err)
{
    feed_line(out, "contest", NULL, obj_contest(&x->c), token);
    feed_state(x, out, state, token);
    for (enum ccs_kind k = K_JTYPES; k <= K_TEAMS; k++)
        feed_collection(x, out, k, token, err);
    if (x->jury)
        feed_collection(x, out, K_ACCOUNTS, token, err);
    for (enum ccs_kind k = K_SUBMISSIONS; k <= K_CLARS; k++)
        feed_objects(x, out, k, token, err);
    feed_collection(x, out, K_AWARDS, token, err);
}

/* The events after f->token: their objects as they are now. */
static int feed_poll(struct feed *f, struct err *err)
{
    struct ccs *x = &f->x;
    struct web_event_list ev = { 0 };
    int rc;
    x->now = (int64_t)time(NULL);
    if ((rc = web_store_events(x->s, x->c.id, f->token, WEB_LIST_MAX, &ev, err)) < 0)
        return rc;
    ccs_release(x);
    int again_all = 0;
    for (size_t i = 0; i < ev.n; i++) {
        const struct web_event *e = &ev.v[i];
        char id[24];
        web_board_key(e->ref_id, id);
        if (!strcmp(e->kind, "contest")) {
            struct web_contest c;
            if (web_store_contest_by_id(x->s, x->c.id, &c, err) == 0) {
                int thaw = c.unfrozen != x->c.unfrozen;
                x->c = c;
                ccs_release(x);
                feed_line(&f->out, "contest", NULL, obj_contest(&x->c), e->id);
                feed_state(x, &f->out, &f->state, e->id);
                again_all |= thaw;          /* judgements hidden by the freeze come out */
            }
        } else if (!strcmp(e->kind, "problems")) {
            feed_collection(x, &f->out, K_PROBLEMS, e->id, err);
        } else if (!strcmp(e->kind, "teams") || !strcmp(e->kind, "participants")) {
            ccs_release(x);
            feed_collection(x, &f->out, K_TEAMS, e->id, err);
            if (x->jury)
                feed_collection(x, &f->out, K_ACCOUNTS, e->id, err);
        } else if (!strcmp(e->kind, "submission") && ccs_load(x, err) == 0) {
            struct web_submission sub;
            if (web_store_submission_by_id(x->s, e->ref_id, &sub, err) == 0 && submission_visible(x, &sub))
                feed_line(&f->out, "submissions", id, obj_submission(x, &sub), e->id);
        } else if (!strcmp(e->kind, "judging") && ccs_load(x, err) == 0) {
            struct web_judging j;
            struct web_submission sub;
            if (web_store_judging_by_id(x->s, e->ref_id, &j, err) < 0 ||
                web_store_submission_by_id(x->s, j.submission_id, &sub, err) < 0 || !judgement_visible(x, &sub))
                continue;
            feed_line(&f->out, "judgements", id, j.valid ? obj_judgement(x, &j, &sub) : NULL, e->id);
            if (j.valid && j.finished_at > 0) {
                cJSON *runs = cJSON_CreateArray(), *it;
                add_runs(x, &j, runs, err);
                while ((it = cJSON_DetachItemFromArray(runs, 0))) {
                    char rid[64];
                    str_fmt(rid, sizeof(rid), "%s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id")));
                    feed_line(&f->out, "runs", rid, it, e->id);
                }
                cJSON_Delete(runs);
            }
        } else if (!strcmp(e->kind, "clarification") && ccs_load(x, err) == 0) {
            struct web_clarification c = { 0 };
            if (web_store_clarification_by_id(x->s, e->ref_id, &c, err) == 0 && clarification_visible(x, &c))
                feed_line(&f->out, "clarifications", id, obj_clarification(x, &c), e->id);
            web_clarification_release(&c);
        }
        f->token = e->id;
    }
    if (again_all) {
        feed_objects(x, &f->out, K_JUDGEMENTS, f->token, err);
        feed_objects(x, &f->out, K_RUNS, f->token, err);
    }
    if (ev.n && !x->jury)
        feed_collection(x, &f->out, K_AWARDS, f->token, err);
    feed_state(x, &f->out, &f->state, f->token);
    web_event_list_release(&ev);
    ccs_release(x);
    return 0;
}

static void feed_free(void *cls)
{
    struct feed *f = cls;
    struct web_feeds *fs = f->srv->feeds;
    pthread_mutex_lock(&fs->mu);
    for (struct feed **p = &fs->head; *p; p = &(*p)->next)
        if (*p == f) {
            *p = f->next;
            break;
        }
    pthread_mutex_unlock(&fs->mu);
    ccs_release(&f->x);
    buf_release(&f->out);
    free(f->state);
    free(f);
}

static ssize_t feed_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct feed *f = cls;
    struct web_feeds *fs = f->srv->feeds;
    (void)pos;
    for (;;) {
        if (f->sent < f->out.len) {
            size_t n = f->out.len - f->sent;
            if (n > max)
                n = max;
            memcpy(buf, f->out.buf + f->sent, n);
            f->sent += n;
            if (f->sent == f->out.len) {
                buf_reset(&f->out);
                f->sent = 0;
            }
            f->last_sent = mono();
            return (ssize_t)n;
        }
        pthread_mutex_lock(&fs->mu);
        int stopping = fs->stopping;
        uint64_t gen = fs->gen;
        pthread_mutex_unlock(&fs->mu);
        if (stopping)
            return MHD_CONTENT_READER_END_OF_STREAM;
        struct err err;
        f->x.s = web_pool_acquire(f->srv);
        int rc = feed_poll(f, &err);
        web_pool_release(f->srv, f->x.s);
        f->x.s = NULL;
        if (rc < 0) {
            log_warn("ccs", "event feed of contest %lld: %s", (long long)f->x.c.id, err.msg);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (f->out.len)
            continue;
        if (mono() - f->last_sent >= FEED_KEEPALIVE_S) {
            buf_add(&f->out, "\n", 1);
            continue;
        }
        /* Nothing to say: sleep until the next notify, unless one came
         * while we were looking. */
        pthread_mutex_lock(&fs->mu);
        if (fs->gen != gen || fs->stopping) {
            pthread_mutex_unlock(&fs->mu);
            continue;
        }
        f->suspended = 1;
        MHD_suspend_connection(f->conn);
        pthread_mutex_unlock(&fs->mu);
        return 0;
    }
}

void web_feeds_new(struct web_server *srv)
{
    struct web_feeds *fs = calloc(1, sizeof(*fs));
    if (!fs)
        abort();
    pthread_mutex_init(&fs->mu, NULL);
    srv->feeds = fs;
}

void web_feeds_notify(struct web_server *srv)
{
    struct web_feeds *fs = srv->feeds;
    if (!fs)
        return;
    pthread_mutex_lock(&fs->mu);
    fs->gen++;
    for (struct feed *f = fs->head; f; f = f->next)
        if (f->suspended) {
            f->suspended = 0;
            MHD_resume_connection(f->conn);
        }
    pthread_mutex_unlock(&fs->mu);
}

void web_feeds_stop(struct web_server *srv)
{
    struct web_feeds *fs = srv->feeds;
    if (!fs)
        return;
    pthread_mutex_lock(&fs->mu);
    fs->stopping = 1;
    pthread_mutex_unlock(&fs->mu);
    web_feeds_notify(srv);
}

void web_feeds_free(struct web_server *srv)
{
    struct web_feeds *fs = srv->feeds;
    if (!fs)
        return;
    /* the daemon is stopped: every feed was freed with its response */
    pthread_mutex_destroy(&fs->mu);
    free(fs);
    srv->feeds = NULL;
}

static void event_feed(struct web_req *r, struct ccs *x)
{
    struct err err;
    int64_t last = 0, since = -1;
    const char *tok = web_req_query(r, "since_token"), *stream = web_req_query(r, "stream");
    if (stream && strcmp(stream, "true") != 0 && strcmp(stream, "false") != 0) {
        web_reply_error(r, 400, "invalid_parameter", "stream must be true or false");
        return;
    }
    int rc = web_store_event_last(x->s, x->c.id, &last, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    if (tok && (parse_i64(tok, 0, INT64_MAX, &since) < 0 || since > last)) {
        web_reply_error(r, 400, "invalid_token", "since_token is not a token of this feed");
        return;
    }
    struct feed *f = calloc(1, sizeof(*f));
    if (!f)
        abort();
    f->srv = r->srv;
    f->conn = r->conn;
    f->x = *x;
    f->x.loaded = 0;
    memset(&f->x.cps, 0, sizeof(f->x.cps));
    memset(&f->x.parts, 0, sizeof(f->x.parts));
    f->x.problems = NULL;
    f->x.teams = NULL;
    f->x.team_names = NULL;
    f->x.nteams = 0;
    buf_init(&f->out, 0);
    f->last_sent = mono();
    if (since < 0) {
        f->token = last;
        feed_snapshot(&f->x, &f->out, &f->state, last, &err);
        ccs_release(&f->x);
    } else {
        f->token = since;
        rc = feed_poll(f, &err);
        if (rc < 0) {
            feed_free(f);
            web_reply_store_error(r, rc, &err);
            return;
        }
    }
    if (stream && !strcmp(stream, "false")) {
        web_reply_buf(r, 200, &f->out, "application/x-ndjson");
        feed_free(f);
        return;
    }
    f->x.s = NULL;
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, FEED_CHUNK, feed_read, f, feed_free);
    if (!resp) {
        feed_free(f);
        web_reply_error(r, 500, "internal", "cannot start the event feed");
        return;
    }
    pthread_mutex_lock(&r->srv->feeds->mu);
    f->next = r->srv->feeds->head;
    r->srv->feeds->head = f;
    pthread_mutex_unlock(&r->srv->feeds->mu);
    web_reply_response(r, 200, resp, "application/x-ndjson");
}

/* ---- the handler ------------------------------------------------------------------------------------------- */

/* Keeps the array's objects whose ID properties match every filtering
 * query parameter ("" matches null); the spec's filtering. */
struct filter_ctx {
    cJSON *arr;
};

static enum MHD_Result filter_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct filter_ctx *fc = cls;
    (void)kind;
    if (!strcmp(key, "since_token") || !strcmp(key, "stream"))
        return MHD_YES;
    for (int i = cJSON_GetArraySize(fc->arr) - 1; i >= 0; i--) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(fc->arr, i), key);
        const char *sv = cJSON_GetStringValue(v);
        int keep = value && value[0] ? sv && !strcmp(sv, value) : !sv;
        if (!keep)
            cJSON_DeleteItemFromArray(fc->arr, i);
    }
    return MHD_YES;
}

static void reply_api(struct web_req *r, cJSON *o)
{
    web_reply_json(r, 200, o);
    web_reply_header(r, "Access-Control-Allow-Origin", "*");
}

/* The path below /api/contests/{name}: its endpoint and object id. */
static void split_path(const char *path, char *endpoint, size_t esize, char *object, size_t osize)
{
    endpoint[0] = object[0] = '\0';
    const char *p = path + strlen("/api/contests/");
    p += strcspn(p, "/");
    if (*p != '/')
        return;
    p++;
    size_t n = strcspn(p, "/");
    str_fmt(endpoint, esize, "%.*s", (int)n, p);
    p += n;
    if (*p == '/')
        str_fmt(object, osize, "%s", p + 1);
}

static int contest_of(struct web_req *r, struct web_store *s, const char *name, struct ccs *x)
{
    struct web_contest c;
    struct web_contest_access a;
    struct err err;
    int rc = web_store_contest_by_name(s, name, &c, &err);
    if (rc == 0)
        rc = web_contest_access_get(r, s, c.id, &x->c, &a, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID) {
        web_reply_error(r, 404, "not_found", "no contest '%s'", name);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    x->srv = r->srv;
    x->s = s;
    x->jury = a.jury;
    x->user_id = r->via != WEB_VIA_NONE ? r->user.id : 0;
    x->team = a.participant ? web_board_team(&x->c, &a, x->user_id) : 0;
    x->now = r->now;
    return 0;
}

static void api_root(struct web_req *r)
{
    cJSON *o = cJSON_CreateObject(), *p = cJSON_AddObjectToObject(o, "provider");
    cJSON_AddStringToObject(o, "version", CCS_VERSION);
    cJSON_AddStringToObject(o, "version_url", CCS_VERSION_URL);
    cJSON_AddStringToObject(p, "name", "Crucible");
    reply_api(r, o);
}

static void api_contests(struct web_req *r, struct web_store *s)
{
    struct web_contest_list l = { 0 };
    struct err err;
    int64_t after = 0;
    cJSON *arr = cJSON_CreateArray();
    for (;;) {
        int rc = web_store_contest_list(s, after, WEB_LIST_MAX, &l, &err);
        if (rc < 0) {
            cJSON_Delete(arr);
            web_reply_store_error(r, rc, &err);
            return;
        }
        for (size_t i = 0; i < l.n; i++) {
            struct web_contest c;
            struct web_contest_access a;
            if (web_contest_access_get(r, s, l.v[i].id, &c, &a, &err) == 0)
                cJSON_AddItemToArray(arr, obj_contest(&c));
        }
        size_t n = l.n;
        if (n)
            after = l.v[n - 1].id;
        web_contest_list_release(&l);
        if (n < WEB_LIST_MAX)
            break;
    }
    reply_api(r, arr);
}

/* ---- ccs files: a submission's sources --------------------------------------------------------------------- */

/* GET .../submissions/{id}/files: a zip of the submission's sources at its
 * root, named as submitted. The jury's alone: for anyone else, and for a
 * submission that is not one of this contest's counted ones (a run on
 * samples is its owner's), it does not exist. */
static void submission_files(struct web_req *r, struct ccs *x)
{
    struct web_submission sub;
    struct buf src, zip;
    struct err err;
    int64_t id = 0;
    int rc = ERR_NOTFOUND;
    if (x->jury && parse_i64(r->name2, 1, INT64_MAX, &id) == 0)
        rc = web_store_submission_by_id(x->s, id, &sub, &err);
    if (rc == 0 && (sub.contest_id != x->c.id || sub.samples_only))
        rc = ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID) {
        web_reply_error(r, 404, "not_found", "no submission '%s'", r->name2);
        return;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    buf_init(&src, WEB_SOURCE_MAX);
    buf_init(&zip, 2 * WEB_SOURCE_MAX + 65536);     /* a stored entry and its headers fit */
    rc = web_blob_get(x->s, sub.source_hash, &src, &err);
    if (rc == 0) {
        struct prb_zip_file f = { sub.filename, src.buf, src.len };
        rc = prb_archive_zip(&f, 1, sub.submitted_at, &zip, &err);
    }
    if (rc < 0) {
        log_warn("ccs", "files of submission %lld: %s", (long long)sub.id, err.msg);
        web_reply_store_error(r, rc, &err);
    } else {
        web_reply_buf(r, 200, &zip, "application/zip");
    }
    buf_release(&src);
    buf_release(&zip);
}

void web_api_ccs(struct web_req *r, struct web_store *s)
{
    struct ccs x;
    struct err err;
    char endpoint[WEB_NAME_MAX + 1], object[WEB_NAME_MAX + 1];
    memset(&x, 0, sizeof(x));
    if (!strcmp(r->route->pattern, "/api")) {
        api_root(r);
        return;
    }
    if (!strcmp(r->route->pattern, "/api/contests")) {
        api_contests(r, s);
        return;
    }
    if (contest_of(r, s, r->name, &x) < 0)
        return;
    if (strstr(r->route->pattern, "/submissions/{name2}/files")) {   /* ccs files */
        submission_files(r, &x);
        return;
    }
    split_path(r->path, endpoint, sizeof(endpoint), object, sizeof(object));
    if (!endpoint[0]) {
        reply_api(r, obj_contest(&x.c));
        return;
    }
    if (!strcmp(endpoint, "state") || !strcmp(endpoint, "scoreboard") || !strcmp(endpoint, "event-feed") ||
        !strcmp(endpoint, "access") || !strcmp(endpoint, "account")) {
        int has_filter = 0;
        for (const char *const *q = (const char *const[]){ "team_id", "problem_id", "language_id",
                                                            "submission_id", "judgement_id", "judgement_type_id",
                                                            "from_team_id", "to_team_id", "reply_to_id",
                                                            "organization_id", NULL };
             *q; q++)
            has_filter |= web_req_query(r, *q) != NULL;
        if (has_filter || (strcmp(endpoint, "event-feed") != 0 &&
                           (web_req_query(r, "since_token") || web_req_query(r, "stream")))) {
            web_reply_error(r, 400, "unknown_parameter", "this endpoint takes no such query parameter");
            return;
        }
    }
    if (!strcmp(endpoint, "state")) {
        reply_api(r, obj_state(&x.c, x.now));
    } else if (!strcmp(endpoint, "scoreboard")) {
        cJSON *o = scoreboard(&x, &err);
        if (!o)
            web_reply_store_error(r, ERR_SYSTEM, &err);
        else
            reply_api(r, o);
    } else if (!strcmp(endpoint, "event-feed")) {
        event_feed(r, &x);
    } else if (!strcmp(endpoint, "account")) {
        struct web_user u;
        struct web_participant p;
        if (!x.user_id || web_store_user_by_id(s, x.user_id, &u, &err) < 0 || ccs_load(&x, &err) < 0) {
            web_reply_error(r, 404, "not_found", "not logged in");
        } else {
            int part = web_store_participant_get(s, x.c.id, u.id, &p, &err) == 0;
            reply_api(r, obj_account(&x, part ? &p : NULL, &u));
        }
    } else if (!strcmp(endpoint, "access")) {
        cJSON *o = cJSON_CreateObject(), *caps = cJSON_AddArrayToObject(o, "capabilities");
        cJSON *eps = cJSON_AddArrayToObject(o, "endpoints");
        (void)caps;
        static const char *const types[] = { "contest", "judgement-types", "languages", "problems", "groups",
                                             "organizations", "teams", "accounts", "state", "submissions",
                                             "judgements", "runs", "clarifications", "awards" };
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
            if (!strcmp(types[i], "accounts") && !x.jury)
                continue;
            cJSON *e = cJSON_CreateObject(), *props = cJSON_AddArrayToObject(e, "properties");
            cJSON_AddStringToObject(e, "type", types[i]);
            cJSON_AddItemToArray(props, cJSON_CreateString("id"));
            cJSON_AddItemToArray(eps, e);
        }
        reply_api(r, o);
    } else {
        enum ccs_kind k;
        for (k = 0; k < K_COUNT; k++)
            if (!strcmp(endpoint, kind_names[k]))
                break;
        if (k == K_COUNT || (k == K_ACCOUNTS && !x.jury)) {
            web_reply_error(r, 404, "not_found", "no endpoint '%s'", endpoint);
            goto out;
        }
        cJSON *arr = collection(&x, k, &err);
        if (!arr) {
            web_reply_store_error(r, ERR_SYSTEM, &err);
            goto out;
        }
        if (object[0]) {
            cJSON *found = NULL, *it;
            cJSON_ArrayForEach(it, arr) {
                const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id"));
                if (id && !strcmp(id, object)) {
                    found = cJSON_DetachItemViaPointer(arr, it);
                    break;
                }
            }
            cJSON_Delete(arr);
            if (!found)
                web_reply_error(r, 404, "not_found", "no %s '%s'", endpoint, object);
            else
                reply_api(r, found);
        } else {
            struct filter_ctx fc = { arr };
            MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, filter_iter, &fc);
            reply_api(r, arr);
        }
    }
out:
    ccs_release(&x);
}
