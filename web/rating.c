/*
 * rating.c: the Codeforces-style Elo rating of docs/ratings.md, step for
 * step (the numbered steps below are the document's). Sums run over the
 * participants in user-id order, so the floating-point results do not
 * depend on the order the caller lists them in.
 */
#include "rating.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The probability that a player rated ra beats one rated rb. */
static double win_probability(double ra, double rb)
{
    return 1.0 / (1.0 + pow(10.0, (rb - ra) / 400.0));
}

/* qsort has no context: the comparators read the entries through this. */
static _Thread_local const struct web_rating_entry *sort_entries;

static int by_user(const void *pa, const void *pb)
{
    const struct web_rating_entry *a = &sort_entries[*(const size_t *)pa], *b = &sort_entries[*(const size_t *)pb];
    return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

/* Prior rating, highest first; then place, then user id. */
static int by_rating(const void *pa, const void *pb)
{
    const struct web_rating_entry *a = &sort_entries[*(const size_t *)pa], *b = &sort_entries[*(const size_t *)pb];
    if (a->old_rating != b->old_rating)
        return a->old_rating > b->old_rating ? -1 : 1;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

/* Step 5's S(R): 1 + the sum over every participant (the one asking
 * included) of the chance they beat a player rated R. */
static double expected_place(const struct web_rating_entry *e, const size_t *order, size_t n, double rating)
{
    double s = 1.0;
    for (size_t k = 0; k < n; k++)
        s += win_probability((double)e[order[k]].old_rating, rating);
    return s;
}

/* Truncating division, as C's (and Java's) integer division. */
static int64_t div_trunc(int64_t a, int64_t b)
{
    return a / b;
}

int web_rating_contest(struct web_rating_entry *e, size_t n, struct err *err)
{
    size_t *order;
    int rc = 0;
    if (n > WEB_RATING_PARTICIPANTS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d participants in one contest", WEB_RATING_PARTICIPANTS_MAX);
    for (size_t i = 0; i < n; i++)
        if (e[i].rank < 1)
            return err_set(err, ERR_INVALID, "user %lld: rank %lld is not positive", (long long)e[i].user_id,
                           (long long)e[i].rank);
    if (n == 0)
        return 0;
    order = calloc(n, sizeof(*order));
    if (!order)
        abort();
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_entries = e;
    qsort(order, n, sizeof(*order), by_user);
    for (size_t k = 1; k < n; k++)
        if (e[order[k]].user_id == e[order[k - 1]].user_id) {
            rc = err_set(err, ERR_INVALID, "user %lld appears twice in one contest", (long long)e[order[k]].user_id);
            goto out;
        }

    /* 1. The place: how many were ranked at or above (a tie takes the
     *    lowest place of its group). */
    for (size_t i = 0; i < n; i++) {
        e[i].place = 0;
        for (size_t j = 0; j < n; j++)
            e[i].place += e[j].rank <= e[i].rank;
    }
    if (n == 1) {
        e[0].seed = e[0].mid = 1;
        e[0].need = e[0].old_rating;
        e[0].delta = 0;
        e[0].new_rating = e[0].old_rating;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        /* 3. The seed: the place the ratings predict. */
        double seed = 1.0;
        for (size_t k = 0; k < n; k++) {
            const struct web_rating_entry *o = &e[order[k]];
            if (o != &e[i])
                seed += win_probability((double)o->old_rating, (double)e[i].old_rating);
        }
        e[i].seed = seed;
        /* 4. Between the predicted and the actual place. */
        e[i].mid = sqrt(seed * (double)e[i].place);
        /* 5. The rating that would predict that place: the largest R in
         *    [LO, HI) with S(R) >= mid (S falls as R grows). */
        int64_t lo = WEB_RATING_SEARCH_LO, hi = WEB_RATING_SEARCH_HI;
        while (hi - lo > 1) {
            int64_t m = (lo + hi) / 2;
            if (expected_place(e, order, n, (double)m) < e[i].mid)
                hi = m;
            else
                lo = m;
        }
        e[i].need = lo;
        /* 6. Half the way there. */
        e[i].delta = div_trunc(e[i].need - e[i].old_rating, 2);
    }
    /* 7. The changes sum to a little below zero: no inflation. */
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += e[i].delta;
    int64_t inc = div_trunc(-sum, (int64_t)n) - 1;
    for (size_t i = 0; i < n; i++)
        e[i].delta += inc;
    /* 8. The best-rated s = min(n, 4 * round(sqrt(n))) lose at most 10
     *    each, so that their changes sum to about zero. */
    qsort(order, n, sizeof(*order), by_rating);
    size_t top = (size_t)(4 * llround(sqrt((double)n)));
    if (top > n)
        top = n;
    sum = 0;
    for (size_t k = 0; k < top; k++)
        sum += e[order[k]].delta;
    inc = div_trunc(-sum, (int64_t)top);
    if (inc < -10)
        inc = -10;
    if (inc > 0)
        inc = 0;
    /* 9. The new ratings. */
    for (size_t i = 0; i < n; i++) {
        e[i].delta += inc;
        e[i].new_rating = e[i].old_rating + e[i].delta;
    }
out:
    sort_entries = NULL;
    free(order);
    return rc;
}

/* ---- a sequence of contests ------------------------------------------------------------------------- */

struct user_rating {
    int64_t user_id;
    int64_t rating;
};

static int by_user_rating(const void *pa, const void *pb)
{
    const struct user_rating *a = pa, *b = pb;
    return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

int web_rating_run(struct web_rating_round *rounds, size_t n, struct err *err)
{
    struct user_rating *users = NULL;
    size_t nusers = 0, total = 0;
    int rc = 0;
    if (n > WEB_RATING_CONTESTS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d rated contests", WEB_RATING_CONTESTS_MAX);
    for (size_t c = 0; c < n; c++) {
        if (rounds[c].n > WEB_RATING_PARTICIPANTS_MAX)
            return err_set(err, ERR_LIMIT, "more than %d participants in one contest", WEB_RATING_PARTICIPANTS_MAX);
        total += rounds[c].n;
    }
    /* Every user once, sorted, with their current rating. */
    users = calloc(total + 1, sizeof(*users));
    if (!users)
        abort();
    for (size_t c = 0; c < n; c++)
        for (size_t i = 0; i < rounds[c].n; i++)
            users[nusers++].user_id = rounds[c].entries[i].user_id;
    qsort(users, nusers, sizeof(*users), by_user_rating);
    size_t u = 0;
    for (size_t i = 0; i < nusers; i++)
        if (!i || users[i].user_id != users[u - 1].user_id) {
            users[u].user_id = users[i].user_id;
            users[u++].rating = WEB_RATING_INITIAL;
        }
    nusers = u;
    for (size_t c = 0; c < n && rc == 0; c++) {
        struct web_rating_round *r = &rounds[c];
        for (size_t i = 0; i < r->n; i++) {
            struct user_rating key = { r->entries[i].user_id, 0 };
            struct user_rating *x = bsearch(&key, users, nusers, sizeof(*users), by_user_rating);
            r->entries[i].old_rating = x->rating;
        }
        if ((rc = web_rating_contest(r->entries, r->n, err)) < 0)
            break;
        for (size_t i = 0; i < r->n; i++) {
            struct user_rating key = { r->entries[i].user_id, 0 };
            struct user_rating *x = bsearch(&key, users, nusers, sizeof(*users), by_user_rating);
            x->rating = r->entries[i].new_rating;
        }
    }
    free(users);
    return rc;
}
