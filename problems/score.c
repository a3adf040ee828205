/*
 * score.c: turns per-test-case verdicts and validator scores into group
 * results and the submission's result, following "Result aggregation"
 * (2023-07-draft, 2025-09) and the legacy default grader.
 *
 * 2023-07+ scoring in short: a test case in a `min` group may score up to the
 * group's max_score, in a `sum` group up to (max_score - static score) / N;
 * an accepted case scores its score.txt, its score_multiplier.txt times that
 * maximum, or the maximum; a rejected case scores 0. A `pass-fail` group
 * scores max_score when every case is accepted. secret aggregates its groups
 * (or cases) the same way. A group whose require_pass groups are not fully
 * accepted is skipped and scores 0. Static validation is not run by Crucible
 * yet, so a static_validation_score counts as 0.
 */
#include "problems_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_EPS 1e-6   /* relative slack when checking score <= max_score */

const char *prb_verdict_name(enum prb_verdict v)
{
    static const char *const names[] = { "PENDING", "AC", "WA", "TLE", "RTE",
                                         "MLE", "OLE", "IF", "JE" };
    if ((unsigned)v < sizeof(names) / sizeof(names[0]))
        return names[v];
    return "?";
}

struct agg {
    const struct prb_problem *p;
    const struct prb_case_result *cases;
    struct prb_group_result *res;   /* one per group */
    struct err *err;
};

static int over_max(double score, double max)
{
    return score > max + SCORE_EPS * fmax(1.0, fabs(max));
}

/* First non-accepted verdict of the cases below g in judging order; PENDING
 * if a pending case comes before any failure. */
static enum prb_verdict first_failure(const struct agg *a, const struct prb_group *g)
{
    for (size_t i = 0; i < g->n_items; i++) {
        enum prb_verdict v;
        if (g->items[i].group)
            v = first_failure(a, g->items[i].group);
        else
            v = a->cases[g->items[i].tc->index].verdict;
        if (v != PRB_VERDICT_AC)
            return v;
    }
    return PRB_VERDICT_AC;
}

static void verdicts_all(struct agg *a, const struct prb_group *g)
{
    a->res[g->index].verdict = first_failure(a, g);
    a->res[g->index].max_score = g->max_score;
    for (size_t i = 0; i < g->n_items; i++)
        if (g->items[i].group)
            verdicts_all(a, g->items[i].group);
}

/* ---- 2023-07+ ---- */

static int requires_met(const struct agg *a, const struct prb_group *g, enum prb_verdict *why)
{
    for (size_t i = 0; i < g->n_require_pass; i++) {
        enum prb_verdict v = a->res[g->require_pass[i]->index].verdict;
        if (v != PRB_VERDICT_AC) {
            *why = v;
            return 0;
        }
    }
    return 1;
}

/* Score of one test case of group g whose cases may score up to casemax. */
static int case_score(struct agg *a, const struct prb_group *g, const struct prb_testcase *tc,
                      double casemax, double *out)
{
    const struct prb_case_result *r = &a->cases[tc->index];
    *out = 0;
    if (r->verdict != PRB_VERDICT_AC) {
        if (r->score_kind != PRB_SCORE_NONE && r->verdict != PRB_VERDICT_PENDING)
            return err_set(a->err, ERR_INVALID, "%s: the validator gave a score to a rejected "
                           "test case", tc->name);
        return 0;
    }
    if (g->aggregation == PRB_AGG_PASS_FAIL) {
        if (r->score_kind != PRB_SCORE_NONE)
            return err_set(a->err, ERR_INVALID, "%s: score file in a group with pass-fail "
                           "aggregation", tc->name);
        return 0;
    }
    if (r->score_kind != PRB_SCORE_NONE && !(isfinite(r->score) && r->score >= 0))
        return err_set(a->err, ERR_INVALID, "%s: invalid score %g", tc->name, r->score);
    if (isinf(casemax)) {
        if (r->score_kind == PRB_SCORE_MULTIPLIER)
            return err_set(a->err, ERR_INVALID, "%s: score_multiplier.txt in an unbounded group",
                           tc->name);
        if (r->score_kind == PRB_SCORE_NONE)
            return err_set(a->err, ERR_INVALID, "%s: accepted without score.txt in an unbounded "
                           "group", tc->name);
        *out = r->score;
        return 0;
    }
    switch (r->score_kind) {
    case PRB_SCORE_NONE:
        *out = casemax;
        break;
    case PRB_SCORE_MULTIPLIER:
        if (r->score > 1)
            return err_set(a->err, ERR_INVALID, "%s: score multiplier %g is above 1", tc->name,
                           r->score);
        *out = r->score * casemax;
        break;
    case PRB_SCORE_VALUE:
        if (over_max(r->score, casemax))
            return err_set(a->err, ERR_INVALID, "%s: score %g is above the test case maximum %g",
                           tc->name, r->score, casemax);
        *out = r->score;
        break;
    }
    return 0;
}

/* A group whose items are test cases (secret without groups, or a test
 * data group). */
static int score_case_group(struct agg *a, const struct prb_group *g)
{
    struct prb_group_result *gr = &a->res[g->index];
    size_t n = g->n_items;
    double svs = g->has_static_validation_score && g->static_validation_score > 0
                     ? g->static_validation_score : 0;
    double casemax = g->aggregation == PRB_AGG_MIN ? g->max_score
                   : n ? (g->max_score - svs) / (double)n : 0;
    double sum = 0, min = INFINITY;
    enum prb_verdict why;
    int all_ac = 1;

    for (size_t i = 0; i < n; i++) {
        double s;
        int rc = case_score(a, g, g->items[i].tc, casemax, &s);
        if (rc < 0)
            return rc;
        sum += s;
        min = fmin(min, s);
        all_ac &= a->cases[g->items[i].tc->index].verdict == PRB_VERDICT_AC;
    }
    if (!requires_met(a, g, &why)) {
        gr->skipped = 1;
        gr->score = 0;
        if (gr->verdict == PRB_VERDICT_AC)
            gr->verdict = why;
        return 0;
    }
    gr->score = g->aggregation == PRB_AGG_PASS_FAIL ? (all_ac ? g->max_score : 0)
              : g->aggregation == PRB_AGG_MIN ? (n ? min : 0)
              : sum;
    if (over_max(gr->score, g->max_score))
        return err_set(a->err, ERR_INVALID, "data/%s: score %g is above max_score %g", g->name,
                       gr->score, g->max_score);
    return 0;
}

static int aggregate_new(struct agg *a)
{
    const struct prb_problem *p = a->p;
    struct prb_group *s = p->secret;
    struct prb_group_result *sr = &a->res[s->index];
    int has_groups = s->n_items && s->items[0].group;
    int rc;

    if (!(p->type & PRB_TYPE_SCORING))
        return 0;
    if (!has_groups)
        return score_case_group(a, s);

    double sum = 0, min = INFINITY;
    for (size_t i = 0; i < s->n_items; i++) {
        const struct prb_group *g = s->items[i].group;
        if ((rc = score_case_group(a, g)) < 0)
            return rc;
        sum += a->res[g->index].score;
        min = fmin(min, a->res[g->index].score);
    }
    enum prb_verdict why;
    if (!requires_met(a, s, &why)) {
        sr->skipped = 1;
        sr->score = 0;
        if (sr->verdict == PRB_VERDICT_AC)
            sr->verdict = why;
        return 0;
    }
    sr->score = s->aggregation == PRB_AGG_PASS_FAIL ? (sr->verdict == PRB_VERDICT_AC ? s->max_score : 0)
              : s->aggregation == PRB_AGG_MIN ? (s->n_items ? min : 0)
              : sum;
    if (over_max(sr->score, s->max_score))
        return err_set(a->err, ERR_INVALID, "data/secret: score %g is above max_score %g",
                       sr->score, s->max_score);
    return 0;
}

/* ---- legacy default grader ---- */

static int worst_rank(enum prb_verdict v)
{
    /* JE, IF, RTE, MLE, TLE, OLE, WA: earlier is worse. */
    static const enum prb_verdict order[] = {
        PRB_VERDICT_JE, PRB_VERDICT_IF, PRB_VERDICT_RTE, PRB_VERDICT_MLE,
        PRB_VERDICT_TLE, PRB_VERDICT_OLE, PRB_VERDICT_WA,
    };
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if (order[i] == v)
            return (int)i;
    return 100;
}

static int legacy_group(struct agg *a, const struct prb_group *g)
{
    struct prb_group_result *gr = &a->res[g->index];
    enum prb_verdict *vs = prbi_calloc(g->n_items, sizeof(*vs));
    double *ss = prbi_calloc(g->n_items, sizeof(*ss));
    size_t n = 0;
    int pending = 0, rc = 0;

    /* Subgroups first, so every group gets a result even past a break. */
    for (size_t i = 0; i < g->n_items; i++)
        if (g->items[i].group && (rc = legacy_group(a, g->items[i].group)) < 0)
            goto out;
    if (g->custom_grading) {
        rc = err_set(a->err, ERR_UNSUPPORTED, "data/%s: custom graders are not supported",
                     g->name[0] ? g->name : ".");
        goto out;
    }
    for (size_t i = 0; i < g->n_items; i++) {
        enum prb_verdict v;
        double s;
        if (g->items[i].group) {
            const struct prb_group_result *sub = &a->res[g->items[i].group->index];
            if (g->parent == NULL && g->ignore_sample && g->items[i].group == a->p->sample)
                continue;
            v = sub->verdict;
            s = sub->score;
        } else {
            const struct prb_case_result *r = &a->cases[g->items[i].tc->index];
            if (r->score_kind == PRB_SCORE_MULTIPLIER) {
                rc = err_set(a->err, ERR_INVALID, "%s: score_multiplier.txt is not part of the "
                             "legacy format", g->items[i].tc->name);
                goto out;
            }
            v = r->verdict;
            s = r->score_kind == PRB_SCORE_VALUE ? r->score
              : v == PRB_VERDICT_AC ? g->accept_score : g->reject_score;
        }
        if (v == PRB_VERDICT_PENDING) {
            pending = 1;
            break;
        }
        vs[n] = v;
        ss[n] = s;
        n++;
        if (v != PRB_VERDICT_AC && !g->on_reject_continue)
            break;   /* on_reject: break */
    }

    enum prb_verdict verdict = PRB_VERDICT_AC;
    int any_ac = 0;
    for (size_t i = 0; i < n; i++) {
        any_ac |= vs[i] == PRB_VERDICT_AC;
        if (vs[i] == PRB_VERDICT_JE) {
            verdict = PRB_VERDICT_JE;
            break;
        }
        if (vs[i] == PRB_VERDICT_AC || g->verdict_mode == PRB_VMODE_ALWAYS_ACCEPT)
            continue;
        if (verdict == PRB_VERDICT_AC ||
            (g->verdict_mode == PRB_VMODE_WORST_ERROR && worst_rank(vs[i]) < worst_rank(verdict)))
            verdict = vs[i];
    }
    if (verdict != PRB_VERDICT_JE && g->accept_if_any_accepted && any_ac)
        verdict = PRB_VERDICT_AC;

    double score = 0;
    if (n) {
        score = g->legacy_aggregation == PRB_AGG_MIN || g->legacy_aggregation == PRB_AGG_MAX
                    ? ss[0] : 0;
        for (size_t i = 0; i < n; i++) {
            if (g->legacy_aggregation == PRB_AGG_MIN)
                score = fmin(score, ss[i]);
            else if (g->legacy_aggregation == PRB_AGG_MAX)
                score = fmax(score, ss[i]);
            else
                score += ss[i];
        }
        if (g->legacy_aggregation == PRB_AGG_AVG)
            score /= (double)n;
    }
    gr->verdict = pending && verdict != PRB_VERDICT_JE ? PRB_VERDICT_PENDING : verdict;
    gr->score = (a->p->type & PRB_TYPE_SCORING) ? score : 0;
    gr->max_score = g->range_max;
out:
    free(vs);
    free(ss);
    return rc;
}

int prb_problem_aggregate(const struct prb_problem *p, const struct prb_case_result *cases,
                          struct prb_group_result *groups, struct prb_group_result *total,
                          struct err *err)
{
    struct agg a = { .p = p, .cases = cases, .res = groups, .err = err };
    struct prb_group_result *own = NULL;
    int rc;

    if (!groups)
        a.res = own = prbi_calloc(p->n_groups, sizeof(*own));
    memset(a.res, 0, p->n_groups * sizeof(*a.res));
    memset(total, 0, sizeof(*total));

    if (p->format == PRB_FORMAT_LEGACY) {
        rc = legacy_group(&a, p->root_group);
        *total = a.res[p->root_group->index];
    } else {
        verdicts_all(&a, p->root_group);
        rc = aggregate_new(&a);
        total->verdict = a.res[p->root_group->index].verdict;
        if (p->type & PRB_TYPE_SCORING) {
            total->score = a.res[p->secret->index].score;
            total->max_score = p->secret->max_score;
            a.res[p->root_group->index].score = total->score;
        }
    }
    if (rc < 0) {
        total->verdict = PRB_VERDICT_JE;
        total->score = 0;
    }
    free(own);
    return rc;
}
