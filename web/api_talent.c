/*
 * api_talent.c: profiles, ratings and the talent pool. A user's profile
 * (solved problems, rated contests, rating history, strengths by tag) is
 * seen only by them and admins until they make it public; organizers search
 * and export public profiles, and every view by someone else and every
 * export is logged for the user to read.
 *
 * How ratings stay fresh: they are computed (rating.h, docs/ratings.md)
 * from the final jury scoreboards of the rated contests that have ended, and
 * cached in storage under a key: a hash of each such contest's id, end time
 * and newest event id. Anything that can change a final standing (a
 * judgement, a rejudge, an ignored submission, the contest's settings)
 * appends an event, a contest ending or the rated flag changes the set, so a
 * request that finds the key changed recomputes everything from scratch
 * before it answers. The key is taken before the boards are read: a change
 * landing meanwhile leaves a key that no longer matches, and the next
 * request computes again.
 */
#include "web_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rating.h"

#define TALENT_LIMIT_DEFAULT 100
#define TALENT_LIMIT_MAX 1000
#define TALENT_RATING_BOUND 100000          /* |min_rating|, |max_rating| at most */
#define TALENT_DAYS_MAX 36500
#define VIEW_DEDUP_SECONDS 3600             /* one logged view per viewer and hour */
#define RATING_KEY_VERSION "crucible-rating-1"   /* changes when the formula does */

/* One recomputation at a time; readers of a fresh cache never wait. */
static pthread_mutex_t rating_mu = PTHREAD_MUTEX_INITIALIZER;

/* ---- the rating cache --------------------------------------------------------------------------------------- */

static void rating_key(const struct web_rated_contest_list *l, char out[WEB_HASH_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    crypto_generichash_state st;
    unsigned char h[32];
    char line[96];
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)RATING_KEY_VERSION, strlen(RATING_KEY_VERSION));
    for (size_t i = 0; i < l->n; i++) {
        int n = snprintf(line, sizeof(line), ";%lld:%lld:%lld", (long long)l->v[i].contest_id,
                         (long long)l->v[i].end_time, (long long)l->v[i].last_event);
        if (n > 0)
            crypto_generichash_update(&st, (const unsigned char *)line, (size_t)n);
    }
    crypto_generichash_final(&st, h, sizeof(h));
    for (size_t i = 0; i < sizeof(h); i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[WEB_HASH_HEX] = '\0';
}

static void entries_push(struct web_rating_entry **v, size_t *n, size_t *alloc, int64_t user_id, int64_t rank)
{
    if (*n == *alloc) {
        *alloc = *alloc ? *alloc * 2 : 32;
        *v = realloc(*v, *alloc * sizeof(**v));
        if (!*v)
            abort();
    }
    memset(&(*v)[*n], 0, sizeof(**v));
    (*v)[*n].user_id = user_id;
    (*v)[*n].rank = rank;
    (*n)++;
}

/* The contest's rated participants and their ranks on the final jury board:
 * every row with at least one submission on it; in a team contest each
 * member of the team, at the team's rank. */
static int contest_standings(struct web_req *r, struct web_store *s, int64_t contest_id,
                             struct web_rating_round *round, struct err *err)
{
    struct web_board *b = NULL;
    struct web_scoreboard_view *v = NULL;
    struct web_participant_list parts = { 0 };
    size_t alloc = 0;
    int rc;
    round->contest_id = contest_id;
    round->entries = NULL;
    round->n = 0;
    if ((rc = web_board_acquire(r->srv, s, contest_id, &b, err)) < 0)
        return rc;
    const struct web_contest *c = web_board_contest(b);
    struct web_scoreboard_viewer vw = { WEB_SCOREBOARD_JURY, NULL, (r->now - c->start_time) * 1000 };
    if ((rc = web_scoreboard_view_new(web_board_scoreboard(b), &vw, &v, err)) < 0)
        goto out;
    if (c->team_mode && (rc = web_store_participants(s, contest_id, 0, &parts, err)) < 0)
        goto out;
    for (size_t i = 0; i < v->n_rows; i++) {
        const struct web_scoreboard_row *row = &v->rows[i];
        int took_part = 0;
        for (size_t k = 0; k < v->n_problems && !took_part; k++)
            took_part = row->cells[k].num_judged + row->cells[k].num_pending > 0;
        if (!took_part)
            continue;
        int64_t id = strtoll(row->team_id, NULL, 10);   /* web_board_key: a decimal id */
        if (!c->team_mode) {
            entries_push(&round->entries, &round->n, &alloc, id, (int64_t)row->rank);
            continue;
        }
        for (size_t p = 0; p < parts.n; p++)
            if (parts.v[p].team_id == id && parts.v[p].role == WEB_CROLE_PARTICIPANT)
                entries_push(&round->entries, &round->n, &alloc, parts.v[p].user_id, (int64_t)row->rank);
    }
out:
    web_scoreboard_view_free(v);
    web_board_release(b);
    web_participant_list_release(&parts);
    if (rc < 0) {
        free(round->entries);
        round->entries = NULL;
        round->n = 0;
    }
    return rc;
}

/* Computes every rating afresh and stores them under key. */
static int ratings_compute(struct web_req *r, struct web_store *s, const struct web_rated_contest_list *l,
                           const char *key, struct err *err)
{
    struct web_rating_round *rounds = calloc(l->n + 1, sizeof(*rounds));
    struct web_rating_change *changes = NULL;
    size_t nchanges = 0, total = 0;
    int rc = 0;
    if (!rounds)
        abort();
    for (size_t i = 0; i < l->n && rc == 0; i++) {
        rc = contest_standings(r, s, l->v[i].contest_id, &rounds[i], err);
        total += rounds[i].n;
    }
    if (rc == 0)
        rc = web_rating_run(rounds, l->n, err);
    if (rc == 0) {
        changes = calloc(total + 1, sizeof(*changes));
        if (!changes)
            abort();
        for (size_t i = 0; i < l->n; i++)
            for (size_t k = 0; k < rounds[i].n; k++) {
                const struct web_rating_entry *e = &rounds[i].entries[k];
                struct web_rating_change *c = &changes[nchanges++];
                c->contest_id = rounds[i].contest_id;
                c->user_id = e->user_id;
                c->ordinal = (int64_t)i + 1;
                c->rank = e->rank;
                c->old_rating = e->old_rating;
                c->new_rating = e->new_rating;
            }
        rc = web_store_rating_store(s, key, changes, nchanges, err);
    }
    if (rc == 0)
        log_info("talent", "ratings recomputed: %zu rated contests, %zu results", l->n, nchanges);
    for (size_t i = 0; i < l->n; i++)
        free(rounds[i].entries);
    free(rounds);
    free(changes);
    return rc;
}

/* Loads the rated contests (ended by now) and makes sure the cache matches them. */
static int ratings_fresh(struct web_req *r, struct web_store *s, struct web_rated_contest_list *l, struct err *err)
{
    char key[WEB_HASH_HEX + 1], stored[WEB_HASH_HEX + 1];
    int rc;
    if ((rc = web_store_rated_contests(s, r->now, l, err)) < 0)
        return rc;
    rating_key(l, key);
    if ((rc = web_store_rating_key_get(s, stored, err)) < 0)
        goto out;
    if (!strcmp(key, stored))
        return 0;
    pthread_mutex_lock(&rating_mu);
    /* Another request may have done it while this one waited. */
    rc = web_store_rating_key_get(s, stored, err);
    if (rc == 0 && strcmp(key, stored) != 0)
        rc = ratings_compute(r, s, l, key, err);
    pthread_mutex_unlock(&rating_mu);
out:
    if (rc < 0)
        web_rated_contest_list_release(l);
    return rc;
}

/* A user's standing from the cached changes (ordered by ordinal). */
struct rating_summary {
    int64_t user_id;
    int64_t rating;
    int64_t max_rating;
    int64_t contests;                       /* 0: unrated */
};

static int by_summary_user(const void *pa, const void *pb)
{
    const struct rating_summary *a = pa, *b = pb;
    return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

/* Every rated user's summary, sorted by user id (for bsearch). */
static void summaries_build(const struct web_rating_change_list *ch, struct rating_summary **out, size_t *n)
{
    struct rating_summary *v = calloc(ch->n + 1, sizeof(*v));
    size_t k = 0;
    if (!v)
        abort();
    for (size_t i = 0; i < ch->n; i++)
        v[k++].user_id = ch->v[i].user_id;
    qsort(v, k, sizeof(*v), by_summary_user);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || v[u - 1].user_id != v[i].user_id)
            v[u++].user_id = v[i].user_id;
    for (size_t i = 0; i < ch->n; i++) {        /* in rating order: the last one is current */
        struct rating_summary key = { ch->v[i].user_id, 0, 0, 0 };
        struct rating_summary *x = bsearch(&key, v, u, sizeof(*v), by_summary_user);
        x->rating = ch->v[i].new_rating;
        if (!x->contests || ch->v[i].new_rating > x->max_rating)
            x->max_rating = ch->v[i].new_rating;
        x->contests++;
    }
    *out = v;
    *n = u;
}

static const struct rating_summary *summary_find(const struct rating_summary *v, size_t n, int64_t user_id)
{
    struct rating_summary key = { user_id, 0, 0, 0 };
    return bsearch(&key, v, n, sizeof(*v), by_summary_user);
}

/* ---- profiles ------------------------------------------------------------------------------------------------ */

static void add_rating(cJSON *o, const char *name, const struct rating_summary *x, int max)
{
    if (x && x->contests)
        web_json_add_i64(o, name, max ? x->max_rating : x->rating);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *own_profile_json(const struct web_profile *p)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "user", p->user_id);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "display_name", p->display_name);
    cJSON_AddBoolToObject(o, "public", p->is_public);
    cJSON_AddStringToObject(o, "school", p->school);
    cJSON_AddStringToObject(o, "region", p->region);
    cJSON_AddStringToObject(o, "bio", p->bio);
    web_json_add_i64(o, "updated_at", p->updated_at);
    return o;
}

/* Tag strengths: per tag, the problems attempted and solved. */
struct tag_count {
    char tag[WEB_TAG_MAX + 1];
    int64_t solved, attempted;
};

static int by_tag(const void *pa, const void *pb)
{
    const struct tag_count *a = pa, *b = pb;
    if (a->solved != b->solved)
        return a->solved > b->solved ? -1 : 1;
    if (a->attempted != b->attempted)
        return a->attempted > b->attempted ? -1 : 1;
    return strcmp(a->tag, b->tag);
}

/* The tags of the user's problems, most solved first; *n of them (the caller frees). */
static struct tag_count *tags_count(const struct web_user_problem_list *l, size_t *n)
{
    struct tag_count *v = NULL;
    size_t k = 0, alloc = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t t = 0; t < l->v[i].problem.ntags; t++) {
            const char *tag = l->v[i].problem.tags[t];
            size_t j = 0;
            while (j < k && strcmp(v[j].tag, tag) != 0)
                j++;
            if (j == k) {
                if (k == alloc) {
                    alloc = alloc ? alloc * 2 : 16;
                    v = realloc(v, alloc * sizeof(*v));
                    if (!v)
                        abort();
                }
                memset(&v[k], 0, sizeof(*v));
                str_fmt(v[k].tag, sizeof(v[k].tag), "%s", tag);
                k++;
            }
            v[j].attempted++;
            v[j].solved += l->v[i].solved != 0;
        }
    if (k)
        qsort(v, k, sizeof(*v), by_tag);
    *n = k;
    return v;
}

static int64_t solved_count(const struct web_user_problem_list *l)
{
    int64_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].solved != 0;
    return n;
}

static cJSON *tags_json(const struct tag_count *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "tag", v[i].tag);
        web_json_add_i64(t, "solved", v[i].solved);
        web_json_add_i64(t, "attempted", v[i].attempted);
        cJSON_AddItemToArray(arr, t);
    }
    return arr;
}

void web_api_me_profile_get(struct web_req *r, struct web_store *s)
{
    struct web_profile p;
    struct err err;
    int rc = web_store_profile_get(s, r->user.id, &p, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "profile", own_profile_json(&p));
    web_reply_json(r, 200, o);
}

/* One line of text (school, region) or several (bio) within max bytes. */
static int text_field(struct web_req *r, const cJSON *body, const char *name, size_t max, int multiline, char *out)
{
    const char *v = web_json_str(body, name, NULL);
    if (!v)
        return 0;
    size_t n = strlen(v);
    int ok = n <= max && web_utf8_valid(v, n);
    for (const unsigned char *p = (const unsigned char *)v; ok && *p; p++)
        if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
            ok = 0;
    if (!ok) {
        web_reply_error(r, 400, "invalid_field", "%s: at most %zu bytes of UTF-8 text%s", name, max,
                        multiline ? "" : " on one line");
        return -1;
    }
    memcpy(out, v, n + 1);
    return 0;
}

void web_api_me_profile_patch(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "public", WEB_JSON_BOOL, 0 },
        { "school", WEB_JSON_STRING, 0 },
        { "region", WEB_JSON_STRING, 0 },
        { "bio", WEB_JSON_STRING, 0 },
    };
    struct web_profile p;
    struct err err;
    int rc;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    if ((rc = web_store_profile_get(s, r->user.id, &p, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(body, "public");
    if (pub)
        p.is_public = cJSON_IsTrue(pub);
    if (text_field(r, body, "school", WEB_PROFILE_FIELD_MAX, 0, p.school) < 0 ||
        text_field(r, body, "region", WEB_PROFILE_FIELD_MAX, 0, p.region) < 0 ||
        text_field(r, body, "bio", WEB_PROFILE_BIO_MAX, 1, p.bio) < 0)
        goto out;
    p.updated_at = r->now;
    if ((rc = web_store_profile_put(s, &p, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_info("talent", "'%s' saved their profile (%s)", r->user.name, p.is_public ? "public" : "private");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "profile", own_profile_json(&p));
    web_reply_json(r, 200, o);
out:
    cJSON_Delete(body);
}

void web_api_me_profile_views(struct web_req *r, struct web_store *s)
{
    struct web_profile_view_list l;
    struct err err;
    int rc = web_store_profile_views(s, r->user.id, WEB_PROFILE_VIEWS_MAX, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "views");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *v = cJSON_CreateObject();
        if (l.v[i].viewer_id > 0 && l.v[i].viewer_name[0])
            cJSON_AddStringToObject(v, "viewer", l.v[i].viewer_name);
        else
            cJSON_AddNullToObject(v, "viewer");
        web_json_add_i64(v, "at", l.v[i].at);
        cJSON_AddStringToObject(v, "kind", web_profile_view_kind_name(l.v[i].kind));
        cJSON_AddItemToArray(arr, v);
    }
    web_profile_view_list_release(&l);
    web_reply_json(r, 200, o);
}

void web_api_user_profile(struct web_req *r, struct web_store *s)
{
    struct web_user u;
    struct web_profile p;
    struct web_rated_contest_list contests = { 0 };
    struct web_rating_change_list changes = { 0 };
    struct web_user_problem_list problems = { 0 };
    struct rating_summary *sum = NULL;
    struct tag_count *tags = NULL;
    size_t nsum = 0, ntags = 0;
    struct err err;
    int rc = web_store_user_by_name(s, r->name, &u, &err);
    if (rc == 0)
        rc = web_store_profile_get(s, u.id, &p, &err);
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    int self = rc == 0 && r->via != WEB_VIA_NONE && r->user.id == u.id;
    int admin = r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_ADMIN;
    /* Private, disabled and missing accounts look alike. */
    if (rc == ERR_NOTFOUND || !(self || admin || (p.is_public && !u.disabled))) {
        web_reply_error(r, 404, "not_found", "no public profile '%s'", r->name);
        return;
    }
    if ((rc = ratings_fresh(r, s, &contests, &err)) < 0 ||
        (rc = web_store_rating_changes(s, u.id, &changes, &err)) < 0 ||
        (rc = web_store_user_problems(s, u.id, r->now, &problems, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (!self) {
        /* Logged for the user to see; a failure to log is not the viewer's. */
        int64_t viewer = r->via != WEB_VIA_NONE ? r->user.id : 0;
        if (web_store_profile_view_add(s, u.id, viewer, WEB_PROFILE_VIEW, r->now, r->now - VIEW_DEDUP_SECONDS,
                                       &err) < 0)
            log_warn("talent", "cannot log a view of '%s': %s", u.name, err.msg);
    }
    summaries_build(&changes, &sum, &nsum);
    const struct rating_summary *me = summary_find(sum, nsum, u.id);
    cJSON *o = cJSON_CreateObject(), *pr = own_profile_json(&p), *arr;
    cJSON_AddItemToObject(o, "profile", pr);
    cJSON_DeleteItemFromObjectCaseSensitive(pr, "updated_at");
    add_rating(pr, "rating", me, 0);
    add_rating(pr, "max_rating", me, 1);
    arr = cJSON_AddArrayToObject(pr, "solved");
    for (size_t i = 0; i < problems.n; i++) {
        if (!problems.v[i].solved)
            continue;
        cJSON *x = cJSON_CreateObject();
        web_json_add_i64(x, "problem", problems.v[i].problem.id);
        cJSON_AddStringToObject(x, "short_name", problems.v[i].problem.short_name);
        cJSON_AddStringToObject(x, "title", problems.v[i].problem.title);
        cJSON_AddItemToArray(arr, x);
    }
    cJSON *cl = cJSON_AddArrayToObject(pr, "contests"), *hist = cJSON_AddArrayToObject(pr, "rating_history");
    for (size_t i = 0; i < changes.n; i++) {
        const struct web_rating_change *c = &changes.v[i];
        const struct web_rated_contest *rc2 = NULL;
        for (size_t k = 0; k < contests.n && !rc2; k++)
            if (contests.v[k].contest_id == c->contest_id)
                rc2 = &contests.v[k];
        cJSON *x = cJSON_CreateObject();
        web_json_add_i64(x, "contest", c->contest_id);
        cJSON_AddStringToObject(x, "title", rc2 ? rc2->title : "");
        web_json_add_i64(x, "rank", c->rank);
        web_json_add_i64(x, "old_rating", c->old_rating);
        web_json_add_i64(x, "new_rating", c->new_rating);
        cJSON_AddItemToArray(cl, x);
        cJSON *h = cJSON_CreateObject();
        web_json_add_i64(h, "contest", c->contest_id);
        web_json_add_i64(h, "time", rc2 ? rc2->end_time : 0);
        web_json_add_i64(h, "rating", c->new_rating);
        cJSON_AddItemToArray(hist, h);
    }
    tags = tags_count(&problems, &ntags);
    cJSON_AddItemToObject(pr, "tags", tags_json(tags, ntags));
    web_reply_json(r, 200, o);
out:
    free(sum);
    free(tags);
    web_rated_contest_list_release(&contests);
    web_rating_change_list_release(&changes);
    web_user_problem_list_release(&problems);
}

/* ---- GET /api/v1/ratings ---------------------------------------------------------------------------------------- */

struct listed {
    const struct web_profile *p;
    int rated;
    struct rating_summary x;                /* when rated */
    int64_t solved;
    struct tag_count *tags;
    size_t ntags;
};

/* Rated first, highest first; then by user id. */
static int by_rating_desc(const void *pa, const void *pb)
{
    const struct listed *a = pa, *b = pb;
    if (a->rated != b->rated)
        return a->rated ? -1 : 1;
    if (a->rated && a->x.rating != b->x.rating)
        return a->x.rating > b->x.rating ? -1 : 1;
    return a->p->user_id < b->p->user_id ? -1 : a->p->user_id > b->p->user_id;
}

void web_api_ratings(struct web_req *r, struct web_store *s)
{
    struct web_rated_contest_list contests = { 0 };
    struct web_rating_change_list changes = { 0 };
    struct web_profile_list profiles = { 0 };
    struct rating_summary *sum = NULL;
    struct listed *rows = NULL;
    size_t nsum = 0, n = 0;
    struct err err;
    int rc;
    if ((rc = ratings_fresh(r, s, &contests, &err)) < 0 || (rc = web_store_rating_changes(s, 0, &changes, &err)) < 0 ||
        (rc = web_store_profiles_public(s, &profiles, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    summaries_build(&changes, &sum, &nsum);
    rows = calloc(profiles.n + 1, sizeof(*rows));
    if (!rows)
        abort();
    for (size_t i = 0; i < profiles.n; i++) {
        const struct rating_summary *x = summary_find(sum, nsum, profiles.v[i].user_id);
        if (x && x->contests)
            rows[n++] = (struct listed){ &profiles.v[i], 1, *x, 0, NULL, 0 };
    }
    qsort(rows, n, sizeof(*rows), by_rating_desc);
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "users");
    for (size_t i = 0; i < n; i++) {
        cJSON *u = cJSON_CreateObject();
        web_json_add_i64(u, "user", rows[i].p->user_id);
        cJSON_AddStringToObject(u, "name", rows[i].p->name);
        cJSON_AddStringToObject(u, "display_name", rows[i].p->display_name);
        web_json_add_i64(u, "rating", rows[i].x.rating);
        web_json_add_i64(u, "max_rating", rows[i].x.max_rating);
        web_json_add_i64(u, "contests", rows[i].x.contests);
        cJSON_AddItemToArray(arr, u);
    }
    web_reply_json(r, 200, o);
out:
    free(sum);
    free(rows);
    web_rated_contest_list_release(&contests);
    web_rating_change_list_release(&changes);
    web_profile_list_release(&profiles);
}

/* ---- the talent pool: GET /api/v1/talent and talent.csv ------------------------------------------------------------ */

struct talent_query {
    int has_min, has_max;
    int64_t min_rating, max_rating;
    const char *tag, *school, *region;
    int64_t active_days;                    /* 0: any */
    int64_t limit;
};

/* An integer query parameter within [lo, hi]; absent leaves *out. */
static int int_param(struct web_req *r, const char *name, int64_t lo, int64_t hi, int64_t *out, int *present)
{
    const char *v = web_req_query(r, name);
    char *end;
    if (!v)
        return 0;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno || x < lo || x > hi) {
        web_reply_error(r, 400, "invalid_parameter", "%s must be a whole number between %lld and %lld", name,
                        (long long)lo, (long long)hi);
        return -1;
    }
    *out = x;
    if (present)
        *present = 1;
    return 0;
}

static int text_param(struct web_req *r, const char *name, size_t max, const char **out)
{
    const char *v = web_req_query(r, name);
    if (v && (strlen(v) > max || !web_utf8_valid(v, strlen(v)))) {
        web_reply_error(r, 400, "invalid_parameter", "%s: at most %zu bytes of UTF-8 text", name, max);
        return -1;
    }
    *out = v && *v ? v : NULL;
    return 0;
}

static int talent_query_parse(struct web_req *r, struct talent_query *q)
{
    memset(q, 0, sizeof(*q));
    q->limit = TALENT_LIMIT_DEFAULT;
    if (int_param(r, "min_rating", -TALENT_RATING_BOUND, TALENT_RATING_BOUND, &q->min_rating, &q->has_min) < 0 ||
        int_param(r, "max_rating", -TALENT_RATING_BOUND, TALENT_RATING_BOUND, &q->max_rating, &q->has_max) < 0 ||
        int_param(r, "active_days", 1, TALENT_DAYS_MAX, &q->active_days, NULL) < 0 ||
        int_param(r, "limit", 1, TALENT_LIMIT_MAX, &q->limit, NULL) < 0 ||
        text_param(r, "tag", WEB_TAG_MAX, &q->tag) < 0 ||
        text_param(r, "school", WEB_PROFILE_FIELD_MAX, &q->school) < 0 ||
        text_param(r, "region", WEB_PROFILE_FIELD_MAX, &q->region) < 0)
        return -1;
    return 0;
}

/* needle in hay, ignoring ASCII case. */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++)
        if (strncasecmp(h, needle, n) == 0)
            return 1;
    return n == 0;
}

/* The public profiles that match q, best rated first, at most q->limit;
 * rows[i].tags are the caller's to free (talent_rows_free). */
static int talent_rows(struct web_req *r, struct web_store *s, const struct talent_query *q,
                       struct web_profile_list *profiles, struct listed **out, size_t *nout, struct err *err)
{
    struct web_rated_contest_list contests = { 0 };
    struct web_rating_change_list changes = { 0 };
    struct rating_summary *sum = NULL;
    struct listed *rows = NULL;
    size_t nsum = 0, n = 0;
    int rc;
    *out = NULL;
    *nout = 0;
    if ((rc = ratings_fresh(r, s, &contests, err)) < 0 || (rc = web_store_rating_changes(s, 0, &changes, err)) < 0 ||
        (rc = web_store_profiles_public(s, profiles, err)) < 0)
        goto out;
    summaries_build(&changes, &sum, &nsum);
    rows = calloc(profiles->n + 1, sizeof(*rows));
    if (!rows)
        abort();
    for (size_t i = 0; i < profiles->n; i++) {
        const struct web_profile *p = &profiles->v[i];
        const struct rating_summary *x = summary_find(sum, nsum, p->user_id);
        int rated = x && x->contests;
        if ((q->has_min && (!rated || x->rating < q->min_rating)) ||
            (q->has_max && (!rated || x->rating > q->max_rating)) || (q->school && !contains_nocase(p->school, q->school)) ||
            (q->region && !contains_nocase(p->region, q->region)) ||
            (q->active_days && (!p->last_active || p->last_active < r->now - q->active_days * 86400)))
            continue;
        struct web_user_problem_list problems;
        if ((rc = web_store_user_problems(s, p->user_id, r->now, &problems, err)) < 0)
            goto out;
        struct listed row = { p, rated, { 0 }, solved_count(&problems), NULL, 0 };
        if (rated)
            row.x = *x;
        row.tags = tags_count(&problems, &row.ntags);
        web_user_problem_list_release(&problems);
        int has_tag = !q->tag;
        for (size_t t = 0; t < row.ntags && !has_tag; t++)
            has_tag = row.tags[t].solved > 0 && !strcmp(row.tags[t].tag, q->tag);
        if (!has_tag) {
            free(row.tags);
            continue;
        }
        rows[n++] = row;
    }
    qsort(rows, n, sizeof(*rows), by_rating_desc);
    for (size_t i = (size_t)q->limit; i < n; i++)
        free(rows[i].tags);
    if (n > (size_t)q->limit)
        n = (size_t)q->limit;
    *out = rows;
    *nout = n;
    rows = NULL;
out:
    if (rows) {
        for (size_t i = 0; i < n; i++)
            free(rows[i].tags);
        free(rows);
    }
    free(sum);
    web_rated_contest_list_release(&contests);
    web_rating_change_list_release(&changes);
    return rc;
}

static void talent_rows_free(struct listed *rows, size_t n)
{
    if (!rows)
        return;
    for (size_t i = 0; i < n; i++)
        free(rows[i].tags);
    free(rows);
}

void web_api_talent(struct web_req *r, struct web_store *s)
{
    struct talent_query q;
    struct web_profile_list profiles = { 0 };
    struct listed *rows = NULL;
    size_t n = 0;
    struct err err;
    int rc;
    if (talent_query_parse(r, &q) < 0)
        return;
    if ((rc = talent_rows(r, s, &q, &profiles, &rows, &n, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "users");
    for (size_t i = 0; i < n; i++) {
        const struct web_profile *p = rows[i].p;
        cJSON *u = cJSON_CreateObject();
        web_json_add_i64(u, "user", p->user_id);
        cJSON_AddStringToObject(u, "name", p->name);
        cJSON_AddStringToObject(u, "display_name", p->display_name);
        cJSON_AddStringToObject(u, "school", p->school);
        cJSON_AddStringToObject(u, "region", p->region);
        add_rating(u, "rating", rows[i].rated ? &rows[i].x : NULL, 0);
        web_json_add_i64(u, "solved", rows[i].solved);
        cJSON_AddItemToObject(u, "tags", tags_json(rows[i].tags, rows[i].ntags));
        if (p->last_active)
            web_json_add_i64(u, "last_active", p->last_active);
        else
            cJSON_AddNullToObject(u, "last_active");
        cJSON_AddItemToArray(arr, u);
    }
    web_reply_json(r, 200, o);
out:
    talent_rows_free(rows, n);
    web_profile_list_release(&profiles);
}

/* A CSV field: quoted when it must be, a leading = + - @ defused (a
 * spreadsheet would run it as a formula). */
void web_csv_field(struct buf *b, const char *s)
{
    int formula = s[0] && strchr("=+-@", s[0]);
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        buf_adds(b, s);
        return;
    }
    buf_add(b, "\"", 1);
    if (formula)
        buf_add(b, "'", 1);
    for (; *s; s++)
        buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    buf_add(b, "\"", 1);
}

void web_api_talent_csv(struct web_req *r, struct web_store *s)
{
    struct talent_query q;
    struct web_profile_list profiles = { 0 };
    struct listed *rows = NULL;
    size_t n = 0;
    struct err err;
    struct buf b;
    char num[32], detail[256];
    int rc;
    if (talent_query_parse(r, &q) < 0)
        return;
    buf_init(&b, 0);
    if ((rc = talent_rows(r, s, &q, &profiles, &rows, &n, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    buf_adds(&b, "name,display_name,school,region,rating,solved,tags,last_active\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct web_profile *p = rows[i].p;
        struct buf tags;
        buf_init(&tags, 0);
        for (size_t t = 0; t < rows[i].ntags; t++)
            buf_addf(&tags, "%s%s:%lld", t ? ";" : "", rows[i].tags[t].tag, (long long)rows[i].tags[t].solved);
        web_csv_field(&b, p->name);
        buf_add(&b, ",", 1);
        web_csv_field(&b, p->display_name);
        buf_add(&b, ",", 1);
        web_csv_field(&b, p->school);
        buf_add(&b, ",", 1);
        web_csv_field(&b, p->region);
        if (rows[i].rated)
            str_fmt(num, sizeof(num), "%lld", (long long)rows[i].x.rating);
        else
            num[0] = '\0';
        buf_addf(&b, ",%s,%lld,", num, (long long)rows[i].solved);
        web_csv_field(&b, tags.len ? tags.buf : "");
        buf_release(&tags);
        buf_addf(&b, ",%lld\r\n", (long long)p->last_active);
        /* Each exported user reads who took their data. */
        if (web_store_profile_view_add(s, p->user_id, r->user.id, WEB_PROFILE_EXPORT, r->now, 0, &err) < 0)
            log_warn("talent", "cannot log an export of '%s': %s", p->name, err.msg);
    }
    str_fmt(detail, sizeof(detail), "%zu users", n);
    web_audit(r, s, "talent.export", "talent pool", detail);
    web_reply_buf(r, 200, &b, "text/csv; charset=utf-8");
    web_reply_header(r, "Content-Disposition", "attachment; filename=\"talent.csv\"");
out:
    buf_release(&b);
    talent_rows_free(rows, n);
    web_profile_list_release(&profiles);
}
