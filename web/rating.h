/*
 * rating.h: contestants' ratings as pure logic: the Codeforces-style Elo
 * formula of docs/ratings.md, applied to rated contests in order. No I/O,
 * no clock, no globals: the same contests in give the same ratings out.
 *
 * Ownership: every array is the caller's; the functions fill fields of the
 * entries they are given and allocate nothing that outlives the call.
 */
#ifndef CRUCIBLE_WEB_RATING_H
#define CRUCIBLE_WEB_RATING_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

#define WEB_RATING_INITIAL 1500         /* a user's rating before their first rated contest */
#define WEB_RATING_SEARCH_LO 1          /* the needed rating is searched in [LO, HI) */
#define WEB_RATING_SEARCH_HI 8000
#define WEB_RATING_PARTICIPANTS_MAX 100000  /* in one contest */
#define WEB_RATING_CONTESTS_MAX 100000

/* One participant of one rated contest. The caller sets user_id and rank
 * (and old_rating for web_rating_contest); the rest is filled in. */
struct web_rating_entry {
    int64_t user_id;                    /* unique in the contest */
    int64_t rank;                       /* >= 1, competition ranking: 1, 2, 2, 4 */
    int64_t old_rating;
    int64_t new_rating;
    /* the steps of docs/ratings.md, for tests and the worked example */
    int64_t place;                      /* participants ranked at or above this one */
    double seed;                        /* expected place from the ratings */
    double mid;                         /* sqrt(seed * place) */
    int64_t need;                       /* the rating whose expected place is mid */
    int64_t delta;                      /* new_rating - old_rating, after the corrections */
};

/* Applies one contest to e[0..n): from each old_rating computes place,
 * seed, mid, need, delta and new_rating. One participant: nothing changes
 * (delta 0). ERR_INVALID for a rank < 1 or a repeated user; ERR_LIMIT past
 * WEB_RATING_PARTICIPANTS_MAX. The order of e does not matter. */
int web_rating_contest(struct web_rating_entry *e, size_t n, struct err *err);

/* A rated contest: its participants (user_id and rank set). */
struct web_rating_round {
    int64_t contest_id;
    struct web_rating_entry *entries;   /* borrowed; old_rating and the rest are filled in */
    size_t n;
};

/* Runs rounds[0..n) in order (the caller sorts them by end time): each
 * participant's old_rating is their new_rating of their latest earlier
 * round, or WEB_RATING_INITIAL. Errors as web_rating_contest. */
int web_rating_run(struct web_rating_round *rounds, size_t n, struct err *err);

#endif
