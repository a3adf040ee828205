/*
 * metrics.c: GET /metrics in Prometheus's text format (0.0.4): request counts
 * and latencies kept in memory since the server started, and the judging
 * queue, judge hosts, verdicts and submissions read from storage at each
 * scrape. docs/deploy.md tells how to scrape it.
 */
#include "web_int.h"

#include <stdlib.h>
#include <string.h>

/* Latency buckets, seconds: from a cached page to a package upload. */
static const double buckets[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

/* Series are bounded: methods are folded to the known ones, routes are the
 * route table's patterns, statuses are few. The cap is a guard only. */
#define SERIES_MAX 4096

struct series {
    const char *method;                     /* static: one of methods[] */
    const char *route;                      /* static: a route pattern, or "unmatched" */
    unsigned status;
    uint64_t count;
};

struct histogram {
    const char *method, *route;
    uint64_t le[NBUCKETS];                  /* cumulative counts are summed when written */
    uint64_t count;
    double sum;
};

struct web_metrics {
    pthread_mutex_t mu;
    struct series *series;
    size_t nseries, aseries;
    struct histogram *hists;
    size_t nhists, ahists;
};

static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

void web_metrics_new(struct web_metrics **out)
{
    struct web_metrics *m = calloc(1, sizeof(*m));
    if (!m)
        abort();
    pthread_mutex_init(&m->mu, NULL);
    *out = m;
}

void web_metrics_free(struct web_metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m->series);
    free(m->hists);
    free(m);
}

static const char *method_of(const char *method)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (!strcmp(methods[i], method))
            return methods[i];
    return "other";
}

/* Room for one more element of an array of elem-sized items (abort on OOM). */
static void *grow(void *v, size_t n, size_t *alloc, size_t elem)
{
    if (n < *alloc)
        return v;
    size_t na = *alloc ? *alloc * 2 : 64;
    void *nv = realloc(v, na * elem);
    if (!nv)
        abort();
    *alloc = na;
    return nv;
}

void web_metrics_observe(struct web_metrics *m, const char *method, const char *route, unsigned status,
                         double seconds)
{
    if (!m)
        return;
    const char *meth = method_of(method);
    route = route ? route : "unmatched";
    if (!(seconds >= 0))
        seconds = 0;
    pthread_mutex_lock(&m->mu);
    size_t i;
    for (i = 0; i < m->nseries; i++)
        if (m->series[i].method == meth && m->series[i].status == status && !strcmp(m->series[i].route, route))
            break;
    if (i == m->nseries && m->nseries < SERIES_MAX) {
        m->series = grow(m->series, m->nseries, &m->aseries, sizeof(*m->series));
        m->series[m->nseries++] = (struct series){ meth, route, status, 0 };
    }
    if (i < m->nseries)
        m->series[i].count++;
    for (i = 0; i < m->nhists; i++)
        if (m->hists[i].method == meth && !strcmp(m->hists[i].route, route))
            break;
    if (i == m->nhists && m->nhists < SERIES_MAX) {
        m->hists = grow(m->hists, m->nhists, &m->ahists, sizeof(*m->hists));
        memset(&m->hists[m->nhists], 0, sizeof(*m->hists));
        m->hists[m->nhists].method = meth;
        m->hists[m->nhists].route = route;
        m->nhists++;
    }
    if (i < m->nhists) {
        struct histogram *h = &m->hists[i];
        for (size_t b = 0; b < NBUCKETS; b++)
            if (seconds <= buckets[b]) {
                h->le[b]++;
                break;
            }
        h->count++;
        h->sum += seconds;
    }
    pthread_mutex_unlock(&m->mu);
}

/* ---- the text format ------------------------------------------------------------------------------- */

/* A label value: backslash, double quote and newline escaped. */
static void label(struct buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            buf_addf(b, "\\%c", *v);
        else if (*v == '\n')
            buf_addf(b, "\\n");
        else
            buf_add(b, v, 1);
    }
}

static void head(struct buf *b, const char *name, const char *type, const char *help)
{
    buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void requests_write(struct web_metrics *m, struct buf *b)
{
    pthread_mutex_lock(&m->mu);
    head(b, "crucible_http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status.");
    for (size_t i = 0; i < m->nseries; i++) {
        buf_addf(b, "crucible_http_requests_total{method=\"%s\",route=\"", m->series[i].method);
        label(b, m->series[i].route);
        buf_addf(b, "\",status=\"%u\"} %llu\n", m->series[i].status, (unsigned long long)m->series[i].count);
    }
    head(b, "crucible_http_request_duration_seconds", "histogram",
         "Time from a request's first byte to its reply, by method and route pattern.");
    for (size_t i = 0; i < m->nhists; i++) {
        const struct histogram *h = &m->hists[i];
        uint64_t cum = 0;
        for (size_t k = 0; k <= NBUCKETS; k++) {
            buf_addf(b, "crucible_http_request_duration_seconds_bucket{method=\"%s\",route=\"", h->method);
            label(b, h->route);
            if (k < NBUCKETS) {
                cum += h->le[k];
                buf_addf(b, "\",le=\"%g\"} %llu\n", buckets[k], (unsigned long long)cum);
            } else {
                buf_addf(b, "\",le=\"+Inf\"} %llu\n", (unsigned long long)h->count);
            }
        }
        buf_addf(b, "crucible_http_request_duration_seconds_sum{method=\"%s\",route=\"", h->method);
        label(b, h->route);
        buf_addf(b, "\"} %.6f\n", h->sum);
        buf_addf(b, "crucible_http_request_duration_seconds_count{method=\"%s\",route=\"", h->method);
        label(b, h->route);
        buf_addf(b, "\"} %llu\n", (unsigned long long)h->count);
    }
    pthread_mutex_unlock(&m->mu);
}

/* The hosts by state, as GET /api/v1/judges tells them (api_admin.c): offline
 * when not heard from for two lease periods, else busy while it holds a job,
 * else idle; a disabled host is disabled whatever it does. */
static int judges_write(struct web_req *r, struct web_store *s, struct buf *b, struct err *err)
{
    struct web_judge_host_list l;
    int64_t idle = 0, busy = 0, offline = 0, disabled = 0, lease = r->srv->cfg->lease_seconds;
    int rc = web_store_judge_host_list(s, &l, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < l.n; i++) {
        const struct web_judge_host *h = &l.v[i];
        struct web_judging j = { 0 };
        int64_t seen = h->last_heartbeat;
        if (h->current_judging_id && web_store_judging_by_id(s, h->current_judging_id, &j, NULL) == 0 &&
            j.lease_expires - lease > seen)
            seen = j.lease_expires - lease;
        if (!h->enabled)
            disabled++;
        else if (!seen || r->now - seen > 2 * lease)
            offline++;
        else if (h->current_judging_id)
            busy++;
        else
            idle++;
    }
    web_judge_host_list_release(&l);
    head(b, "crucible_judge_hosts", "gauge", "Judge hosts by state.");
    buf_addf(b, "crucible_judge_hosts{state=\"idle\"} %lld\ncrucible_judge_hosts{state=\"busy\"} %lld\n"
                "crucible_judge_hosts{state=\"offline\"} %lld\ncrucible_judge_hosts{state=\"disabled\"} %lld\n",
             (long long)idle, (long long)busy, (long long)offline, (long long)disabled);
    return 0;
}

/* ---- GET /metrics ------------------------------------------------------------------------------------- */

static int is_loopback(const char *a)
{
    return !strncmp(a, "127.", 4) || !strcmp(a, "::1") || !strncmp(a, "::ffff:127.", 11);
}

/* Loopback callers (a local Prometheus or node agent) need nothing; others
 * the metrics_token setting as a Bearer token, or an admin's API token or
 * session. -1 after a reply. */
static int metrics_access(struct web_req *r, struct web_store *s)
{
    const char *want = r->srv->cfg->metrics_token;
    const char *authz = web_req_header(r, "Authorization");
    if (is_loopback(r->address))
        return 0;
    if (authz && want[0]) {
        char got[WEB_BEARER_MAX + 1];
        size_t n = strlen(want);
        int ok = web_bearer_parse(authz, got) == 1 && strlen(got) == n && sodium_memcmp(got, want, n) == 0;
        sodium_memzero(got, sizeof(got));
        if (ok)
            return 0;
    }
    if (web_auth_request(r, s) < 0)
        return -1;
    if (r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_ADMIN)
        return 0;
    web_reply_error(r, 403, "forbidden", "metrics: from loopback, with the metrics token, or as an admin only");
    return -1;
}

void web_api_metrics(struct web_req *r, struct web_store *s)
{
    struct web_ops_stats st;
    struct buf b;
    struct err err;
    int rc;
    if (metrics_access(r, s) < 0)
        return;
    if ((rc = web_store_ops_stats(s, &st, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    buf_init(&b, (size_t)16 << 20);
    head(&b, "crucible_queue_length", "gauge", "Submissions waiting for a judge.");
    buf_addf(&b, "crucible_queue_length %lld\n", (long long)st.queued);
    head(&b, "crucible_judgings_running", "gauge", "Judgings under way.");
    buf_addf(&b, "crucible_judgings_running %lld\n", (long long)st.judging);
    if ((rc = judges_write(r, s, &b, &err)) < 0) {
        buf_release(&b);
        web_reply_store_error(r, rc, &err);
        return;
    }
    head(&b, "crucible_submissions_total", "counter", "Submissions stored.");
    buf_addf(&b, "crucible_submissions_total %lld\n", (long long)st.submissions);
    head(&b, "crucible_verdicts_total", "counter", "Finished judgings by verdict, rejudged ones included.");
    for (size_t i = 0; i < st.nverdicts; i++) {
        buf_addf(&b, "crucible_verdicts_total{verdict=\"");
        label(&b, st.verdicts[i].verdict);
        buf_addf(&b, "\"} %lld\n", (long long)st.verdicts[i].count);
    }
    requests_write(r->srv->metrics, &b);
    web_reply_buf(r, 200, &b, "text/plain; version=0.0.4; charset=utf-8");
    buf_release(&b);
}
