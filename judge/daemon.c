/*
 * daemon.c: `crucible judge daemon`, the judge host's side of the judging
 * protocol. It claims submissions from a Crucible server, fetches their
 * package (cached by hash) and sources, judges them, and posts the results.
 *
 * How the protocol works
 * ----------------------
 * Every request is JSON over HTTP with `Authorization: Bearer TOKEN`.
 * A worker POSTs /api/v1/judge/claim with what this machine can run; the
 * server answers 204 (no work: poll again after a backoff of 0.2 s doubling
 * to 2 s) or 200 with a job and a lease of lease_seconds. While the job is
 * being fetched and judged, a heartbeat thread POSTs .../jobs/ID/heartbeat
 * every third of the lease; 409 means the lease is lost (the server gave the
 * job to someone else), so the job is abandoned and its result never sent.
 * While judging, the heartbeat thread also posts the tests judged so far
 * to .../jobs/ID/progress (batched, see struct lease), which renews the
 * lease too and whose 409 means the same.
 * The result (jdg_result_to_json) goes to .../jobs/ID/result; network errors
 * and 5xx answers are retried with backoff for DMN_RESULT_RETRY_S, heartbeats
 * going on meanwhile, then given up: the lease expires and the server
 * re-queues the job. A job that cannot be fetched (the server keeps sending
 * bytes that do not match their hash) is abandoned the same way: never
 * judged, never answered. Bad submissions (file names) become CE, bad
 * packages JE: those are verdicts, the same on every judge.
 *
 * Blobs (packages, sources) are named by their BLAKE2b-256 and verified while
 * they are downloaded. A package is downloaded once into the cache
 * (HASH.zip, via a temporary file renamed once verified) and extracted once
 * (HASH/, via a temporary folder renamed once complete); a lock file per
 * hash (flock, which also excludes threads of this process, each opening the
 * file anew) keeps two workers or two daemons from doing either twice.
 *
 * Workers are threads sharing one sandbox context (thread-safe) and judge.
 * SIGTERM or SIGINT stops claiming; jobs under way finish (their results are
 * sent) and the daemon exits 0. Signals are caught with handlers rather than
 * blocked, because a blocked mask or an ignored disposition would be
 * inherited by the sandboxed programs, and caught ones are reset by execve.
 */
#include "judge_int.h"

#include <cjson/cJSON.h>
/* curl's type-checking macros would shadow the table below. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * libcurl is loaded with dlopen() when the daemon starts: linked normally it
 * brings OpenSSL, Kerberos, LDAP and GnuTLS into every start of the crucible
 * binary (about 10 ms), which each `crucible sandbox run` would pay.
 */
#define CURL_SONAME "libcurl.so.4"
#define CURL_SYMBOLS(X) \
    X(curl_easy_cleanup) \
    X(curl_easy_getinfo) \
    X(curl_easy_init) \
    X(curl_easy_perform) \
    X(curl_easy_reset) \
    X(curl_easy_setopt) \
    X(curl_easy_strerror) \
    X(curl_global_cleanup) \
    X(curl_global_init) \
    X(curl_slist_append) \
    X(curl_slist_free_all)
#define CURL_FIELD(name) __typeof__(name) *name;
static struct { CURL_SYMBOLS(CURL_FIELD) } lc;   /* filled once, before any thread starts */
#undef CURL_FIELD

static int curl_load(struct err *err)
{
#define CURL_NAME(name) #name,
    static const char *const names[] = { CURL_SYMBOLS(CURL_NAME) };
#undef CURL_NAME
    _Static_assert(sizeof(names) / sizeof(names[0]) * sizeof(void *) == sizeof(lc),
                   "one name per function pointer");
    return dl_symbols(CURL_SONAME, names, (void **)&lc, sizeof(names) / sizeof(names[0]), err);
}

#undef curl_easy_setopt   /* curl.h's argument-count checks */
#undef curl_easy_getinfo
#define curl_easy_cleanup lc.curl_easy_cleanup
#define curl_easy_getinfo lc.curl_easy_getinfo
#define curl_easy_init lc.curl_easy_init
#define curl_easy_perform lc.curl_easy_perform
#define curl_easy_reset lc.curl_easy_reset
#define curl_easy_setopt lc.curl_easy_setopt
#define curl_easy_strerror lc.curl_easy_strerror
#define curl_global_cleanup lc.curl_global_cleanup
#define curl_global_init lc.curl_global_init
#define curl_slist_append lc.curl_slist_append
#define curl_slist_free_all lc.curl_slist_free_all

#define DMN_TOKEN_MAX 4096
#define DMN_URL_MAX 1024                  /* the --server URL */
#define DMN_MAX_WORKERS 256
#define DMN_ID_MAX 64                     /* a job id as the server spells it */
#define DMN_NAME_MAX 200                  /* a source file name */
#define DMN_JSON_MAX ((size_t)1 << 20)    /* a claim, heartbeat or result answer */
#define DMN_PACKAGE_MAX PRB_ARCHIVE_MAX_TOTAL_BYTES
#define DMN_LEASE_MAX_S 86400.0
#define DMN_IDLE_MIN_S 0.2                /* backoff while the server has no work */
#define DMN_IDLE_MAX_S 2.0
#define DMN_ERROR_MIN_S 1.0               /* backoff after a failed request */
#define DMN_ERROR_MAX_S 30.0
#define DMN_FETCH_TRIES 3                 /* downloads of one blob per job */
#define DMN_RESULT_RETRY_S 300.0
#define DMN_PROGRESS_EVERY_S 0.5          /* progress posts of one job at most this often */
#define DMN_PROGRESS_MAX_TESTS 1000       /* tests in one progress post */
#define DMN_CONNECT_TIMEOUT_S 10L
#define DMN_REQUEST_TIMEOUT_S 60L         /* JSON requests */
#define DMN_STALL_TIMEOUT_S 60L           /* downloads: no byte for this long */
#define DMN_HEX_LEN 64                    /* a BLAKE2b-256 in hex */

static const char daemon_usage[] =
    "usage: crucible judge daemon --server=URL --token-file=FILE [--workers=N] [--cache=DIR]\n"
    "                             [--work-dir=DIR] [--languages=FILE] [--log-level=LEVEL] [--once]\n"
    "Claims submissions from a Crucible server, judges them in the sandbox and posts\n"
    "the results, until SIGTERM or SIGINT (jobs under way are finished first).\n"
    "  --server=URL       the server, http:// or https://\n"
    "  --token-file=FILE  its first line is the judge token; the file must not be\n"
    "                     accessible to group or others (chmod 600)\n"
    "  --workers=N        jobs judged at once (default: the number of cores)\n"
    "  --cache=DIR        downloaded and extracted packages, by hash\n"
    "                     (default /var/cache/crucible/packages)\n"
    "  --work-dir=DIR     per-job folders (default /run/crucible/judge)\n"
    "  --languages=FILE   the language table (as for `crucible judge run`)\n"
    "  --log-level=LEVEL  debug, info (default), warn, error or off\n"
    "  --once             judge one job, then exit (1 if it could not be handled)\n"
    "Exit codes: 0 stopped by a signal or --once done, 1 failure, 2 bad arguments.\n";

/* Filled once from the flags, then read-only. */
struct daemon_config {
    char server[DMN_URL_MAX];          /* without a trailing slash */
    char auth[DMN_TOKEN_MAX + 32];     /* "Authorization: Bearer TOKEN": never logged */
    char cache_dir[JDG_PATH_MAX];
    char work_dir[JDG_PATH_MAX];
    const char *languages;             /* the language table, or NULL for the default */
    int workers;
    int once;
};

/* What the workers share. */
struct daemon {
    const struct daemon_config *cfg;
    const struct jdg_languages *langs;
    struct jdg_judge *judge;
    const char *claim_body;            /* the same for every claim */
    pthread_mutex_t lock;
    pthread_cond_t wake;               /* CLOCK_MONOTONIC; broadcast when stopping */
    int stopping;                      /* under lock */
    int running;                       /* workers not yet ended; under lock */
    int failed;                        /* exit 1; under lock */
    /* compute budgets: the host's GPUs, each held by one job at a time. A
     * claim advertises the GPUs free at that moment, and gpu_lock is held
     * from the claim until its job has taken its GPUs, so two workers never
     * count the same free GPU. */
    int ngpus;
    pthread_mutex_t gpu_lock;
    unsigned char gpu_held[SBX_MAX_GPUS];   /* under gpu_lock */
};

/* The signal handlers' only state: a flag and the self-pipe that wakes main. */
static volatile sig_atomic_t dmn_signalled;
static int dmn_wake_pipe[2] = { -1, -1 };

/* ---- time ----------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct timespec deadline_in(double seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double whole = (double)(long)seconds;
    ts.tv_sec += (time_t)whole;
    ts.tv_nsec += (long)((seconds - whole) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static void cond_init_monotonic(pthread_cond_t *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}

/* ---- HTTP ----------------------------------------------------------------- */

/* One connection (curl keeps it alive between requests); one thread at a time. */
struct http {
    CURL *curl;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
};

/* Where an answer's body goes: memory, a file, or nowhere, hashed on the way
 * when hash is set, and refused past max bytes. */
struct sink {
    struct buf *mem;                   /* or NULL */
    int fd;                            /* or -1 */
    crypto_generichash_state *hash;    /* or NULL */
    uint64_t bytes;
    uint64_t max;
    int over;                          /* passed max */
    int write_errno;                   /* writing fd failed */
};

static void http_init(struct http *h, const struct daemon_config *cfg)
{
    memset(h, 0, sizeof(*h));
    h->curl = curl_easy_init();
    if (!h->curl)
        abort();
    h->headers = curl_slist_append(h->headers, cfg->auth);
    h->headers = curl_slist_append(h->headers, "Content-Type: application/json");
    h->headers = curl_slist_append(h->headers, "Expect:");   /* no 100-continue round trip */
    if (!h->headers)
        abort();
}

static void http_release(struct http *h)
{
    if (h->curl)
        curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    memset(h, 0, sizeof(*h));
}

static size_t sink_write(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;
    if (len > s->max - s->bytes) {
        s->over = 1;
        return 0;
    }
    if (s->hash)
        crypto_generichash_update(s->hash, (const unsigned char *)data, len);
    if (s->mem && buf_add(s->mem, data, len) < 0) {
        s->over = 1;
        return 0;
    }
    for (size_t off = 0; s->fd >= 0 && off < len;) {
        ssize_t w = write(s->fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->write_errno = w < 0 ? errno : EIO;
            return 0;
        }
        off += (size_t)w;
    }
    s->bytes += len;
    return len;
}

/* One request to the server (path starts with '/'). Returns the HTTP status,
 * or a negative code when no complete answer came (err says why). */
static int http_request(struct http *h, const struct daemon_config *cfg, const char *method,
                        const char *path, const char *body, struct sink *sink, struct err *err)
{
    char url[DMN_URL_MAX + 256];
    if (str_fmt(url, sizeof(url), "%s%s", cfg->server, path) < 0)
        return err_set(err, ERR_LIMIT, "url too long for '%s'", path);
    CURL *c = h->curl;
    curl_easy_reset(c);
    h->errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "crucible-judge/0.1");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, DMN_CONNECT_TIMEOUT_S);
    if (sink->fd >= 0) {
        /* A package may be large: give up on a stalled transfer, not a slow one. */
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, DMN_STALL_TIMEOUT_S);
    } else {
        curl_easy_setopt(c, CURLOPT_TIMEOUT, DMN_REQUEST_TIMEOUT_S);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        if (sink->over)
            return err_set(err, ERR_LIMIT, "%s %s: the answer is larger than %llu bytes", method, path,
                           (unsigned long long)sink->max);
        if (sink->write_errno) {
            errno = sink->write_errno;
            return err_sys(err, "%s %s: cannot write the download", method, path);
        }
        return err_set(err, ERR_SYSTEM, "%s %s: %s", method, path,
                       h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return (int)status;
}

/* A request whose answer, if any, is small JSON (or ignored). */
static int http_json(struct http *h, const struct daemon_config *cfg, const char *method, const char *path,
                     const char *body, struct buf *answer, struct err *err)
{
    struct sink s = { .mem = answer, .fd = -1, .max = DMN_JSON_MAX };
    if (answer)
        buf_reset(answer);
    return http_request(h, cfg, method, path, body, &s, err);
}

/* An error answer, {"error": {"code": ..., "message": ...}} (or {"error":
 * "..."}): the code into code (may be NULL; "" if none) and the message as
 * ": MESSAGE" into reason for the log, control characters masked. */
static void answer_error(const struct buf *answer, char *code, size_t csize, char *reason, size_t rsize)
{
    if (code)
        code[0] = '\0';
    reason[0] = '\0';
    if (!answer || !answer->len)
        return;
    cJSON *o = cJSON_ParseWithLength(answer->buf, answer->len);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    const cJSON *m = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "message") : e;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
    if (cJSON_IsString(m)) {
        str_fmt(reason, rsize, ": %.200s", m->valuestring);
        for (char *p = reason; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    }
    if (code && cJSON_IsString(c))
        str_fmt(code, csize, "%s", c->valuestring);
    cJSON_Delete(o);
}

static void hex_of(const unsigned char *bin, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[bin[i] >> 4];
        hex[2 * i + 1] = digits[bin[i] & 15];
    }
    hex[2 * n] = '\0';
}

static int is_hash(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == DMN_HEX_LEN;
}

/* Downloads one blob into fd (from its start) or mem, checking its hash.
 * Returns 0, ERR_INVALID when the server sent something else (bytes that do
 * not match, or an error status), ERR_LIMIT when it is larger than max,
 * ERR_SYSTEM when the transfer failed. */
static int blob_fetch_once(struct http *h, const struct daemon_config *cfg, const char *hex, int fd,
                           struct buf *mem, uint64_t max, struct err *err)
{
    if (fd >= 0 && (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0))
        return err_sys(err, "cannot reset a download file");
    if (mem)
        buf_reset(mem);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    struct sink s = { .mem = mem, .fd = fd, .hash = &st, .max = max };
    char path[128];
    str_fmt(path, sizeof(path), "/api/v1/judge/blobs/%s", hex);
    int status = http_request(h, cfg, "GET", path, NULL, &s, err);
    if (status < 0)
        return status;
    if (status != 200)
        return err_set(err, ERR_INVALID, "GET %s: HTTP %d", path, status);
    unsigned char bin[32];
    char got[DMN_HEX_LEN + 1];
    crypto_generichash_final(&st, bin, sizeof(bin));
    hex_of(bin, sizeof(bin), got);
    if (strcmp(got, hex) != 0)
        return err_set(err, ERR_INVALID, "blob %.16s: the %llu bytes received hash to %.16s", hex,
                       (unsigned long long)s.bytes, got);
    return 0;
}

/* The same, tried DMN_FETCH_TRIES times unless it is too large. */
static int blob_fetch(struct http *h, const struct daemon_config *cfg, const char *what, const char *hex,
                      int fd, struct buf *mem, uint64_t max, struct err *err)
{
    int rc = 0;
    double wait = DMN_ERROR_MIN_S;
    for (int attempt = 1; attempt <= DMN_FETCH_TRIES; attempt++) {
        rc = blob_fetch_once(h, cfg, hex, fd, mem, max, err);
        if (rc == 0 || rc == ERR_LIMIT)
            return rc;
        log_warn("judge", "%s %.16s: download %d of %d failed: %s", what, hex, attempt, DMN_FETCH_TRIES,
                 err ? err->msg : "");
        if (attempt < DMN_FETCH_TRIES) {
            struct timespec ts = { (time_t)wait, 0 };
            nanosleep(&ts, NULL);
            wait *= 2;
        }
    }
    return rc;
}

/* ---- the package cache ------------------------------------------------------ */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Hashes a file already in the cache (its name is only a claim). */
static int file_matches(const char *path, const char *hex)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    unsigned char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            crypto_generichash_update(&st, chunk, (size_t)n);
    close(fd);
    if (n < 0)
        return 0;
    unsigned char bin[32];
    char got[DMN_HEX_LEN + 1];
    crypto_generichash_final(&st, bin, sizeof(bin));
    hex_of(bin, sizeof(bin), got);
    return strcmp(got, hex) == 0;
}

/* The folder holding problem.yaml: the extraction itself or its single
 * top-level folder, as prb_package_load decides for an archive. */
static int package_root(const char *dir, char *root, size_t size, struct err *err)
{
    char path[JDG_PATH_MAX];
    str_fmt(path, sizeof(path), "%s/problem.yaml", dir);
    if (access(path, F_OK) == 0)
        return str_fmt(root, size, "%s", dir) < 0 ? err_set(err, ERR_LIMIT, "cache path too long") : 0;
    DIR *d = opendir(dir);
    if (!d)
        return err_sys(err, "cannot open '%s'", dir);
    struct dirent *de;
    char only[256] = "";
    int count = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "__MACOSX"))
            continue;
        count++;
        str_fmt(only, sizeof(only), "%s", de->d_name);
    }
    closedir(d);
    if (count == 1 && str_fmt(path, sizeof(path), "%s/%s/problem.yaml", dir, only) == 0 &&
        access(path, F_OK) == 0)
        return str_fmt(root, size, "%s/%s", dir, only) < 0 ? err_set(err, ERR_LIMIT, "cache path too long") : 0;
    return err_set(err, ERR_INVALID, "the package has no problem.yaml at the top or in a single top-level folder");
}

/* Downloads the package into the cache as HASH.zip, verified. */
static int package_download(struct http *h, const struct daemon_config *cfg, const char *hex, const char *zip,
                            struct err *err)
{
    char tmp[JDG_PATH_MAX];
    if (str_fmt(tmp, sizeof(tmp), "%s/.%s.XXXXXX", cfg->cache_dir, hex) < 0)
        return err_set(err, ERR_LIMIT, "cache path too long");
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot create a file in '%s'", cfg->cache_dir);
    int rc = blob_fetch(h, cfg, "package", hex, fd, NULL, DMN_PACKAGE_MAX, err);
    if (rc == 0 && fsync(fd) < 0)
        rc = err_sys(err, "cannot write '%s'", tmp);
    close(fd);
    if (rc == 0 && rename(tmp, zip) < 0)
        rc = err_sys(err, "cannot rename '%s'", tmp);
    if (rc < 0) {
        unlink(tmp);
        return rc;
    }
    struct stat st;
    log_info("judge", "package %.16s fetched (%lld bytes)", hex, stat(zip, &st) == 0 ? (long long)st.st_size : -1LL);
    return 0;
}

/* Whether an error is the package's own (the same on every judge). */
static int package_fault(const struct err *err)
{
    return err->code == ERR_INVALID || err->code == ERR_LIMIT;
}

/* Extracts HASH.zip into HASH/. Returns 0, 1 when the archive itself is bad
 * (err says why), negative on a system failure. */
static int package_extract(const struct daemon_config *cfg, const char *hex, const char *zip, const char *dir,
                           struct err *err)
{
    char tmp[JDG_PATH_MAX], root[JDG_PATH_MAX];
    if (str_fmt(tmp, sizeof(tmp), "%s/.%s.d-XXXXXX", cfg->cache_dir, hex) < 0)
        return err_set(err, ERR_LIMIT, "cache path too long");
    if (!mkdtemp(tmp))
        return err_sys(err, "cannot create a folder in '%s'", cfg->cache_dir);
    int rc = prb_archive_extract(zip, tmp, NULL, err);
    if (rc == 0)
        rc = package_root(tmp, root, sizeof(root), err);
    if (rc == 0 && rename(tmp, dir) < 0)
        rc = err_sys(err, "cannot rename '%s'", tmp);
    if (rc < 0) {
        jdg_rmtree(tmp);
        return package_fault(err) ? 1 : rc;
    }
    log_info("judge", "package %.16s extracted", hex);
    return 0;
}

/* Makes the package ready in the cache and gives the folder to load.
 * Returns 0, 1 when the package itself is unusable (judging gives JE; err
 * says why), negative when it could not be had (the job is abandoned). */
static int package_get(struct http *h, const struct daemon_config *cfg, const char *hex, char *root, size_t size,
                       struct err *err)
{
    char dir[JDG_PATH_MAX], zip[JDG_PATH_MAX], lock[JDG_PATH_MAX];
    if (str_fmt(dir, sizeof(dir), "%s/%s", cfg->cache_dir, hex) < 0 ||
        str_fmt(zip, sizeof(zip), "%s/%s.zip", cfg->cache_dir, hex) < 0 ||
        str_fmt(lock, sizeof(lock), "%s/%s.lock", cfg->cache_dir, hex) < 0)
        return err_set(err, ERR_LIMIT, "cache path too long");
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_sys(err, "cannot open '%s'", lock);
    int rc;
    while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
        ;
    if (rc < 0) {
        rc = err_sys(err, "cannot lock '%s'", lock);
        goto out;
    }
    if (!is_dir(dir)) {
        /* A zip left by an interrupted extraction is reused once verified. */
        if (!file_matches(zip, hex)) {
            unlink(zip);
            if ((rc = package_download(h, cfg, hex, zip, err)) < 0)
                goto out;
        }
        if ((rc = package_extract(cfg, hex, zip, dir, err)) != 0)
            goto out;
    } else {
        log_debug("judge", "package %.16s: cached", hex);
    }
    rc = package_root(dir, root, size, err);
    if (rc < 0 && package_fault(err))
        rc = 1;
out:
    close(fd);   /* releases the lock */
    return rc;
}

/* The time limit of a package that gives none when the server sends none
 * either: computed from the package's accepted submissions, which takes
 * seconds of judging, so once per package and machine, kept in the cache as
 * HASH.timelimit (under the package's lock: workers wait for the first).
 * 0 when the package has its own, or when it cannot be computed (the judge
 * then tries and says why, as a JE). */
static double package_time_limit(struct jdg_judge *judge, const struct daemon_config *cfg, const char *hex,
                                 const struct prb_problem *p)
{
    double tl = 0, slowest = 0;
    if (prb_problem_time_limit(p, &tl, NULL) == 0)
        return 0;
    char path[JDG_PATH_MAX], tmp[JDG_PATH_MAX], lock[JDG_PATH_MAX];
    if (str_fmt(path, sizeof(path), "%s/%s.timelimit", cfg->cache_dir, hex) < 0 ||
        str_fmt(tmp, sizeof(tmp), "%s/.%s.timelimit.XXXXXX", cfg->cache_dir, hex) < 0 ||
        str_fmt(lock, sizeof(lock), "%s/%s.lock", cfg->cache_dir, hex) < 0)
        return 0;
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lfd < 0)
        return 0;
    while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
        ;
    struct buf b;
    buf_init(&b, 64);
    tl = 0;
    if (buf_read_file(&b, path, NULL) == 0) {
        b.buf[strcspn(b.buf, "\n")] = '\0';
        if (parse_seconds(b.buf, 3600, &tl) < 0)
            tl = 0;
    }
    buf_release(&b);
    if (tl <= 0) {
        struct jdg_options o = { .work_dir = cfg->work_dir };
        struct err err = { 0 };
        double started = now_s();
        if (jdg_problem_infer_time_limit(judge, p, &o, &tl, &slowest, &err) < 0 || !(tl > 0 && tl <= 3600)) {
            log_warn("judge", "package %.16s: cannot compute its time limit: %s", hex, err.msg);
            tl = 0;
        } else {
            log_info("judge", "package %.16s: time limit %.3f s computed (slowest accepted %.3f s; %.1f s spent)",
                     hex, tl, slowest, now_s() - started);
            int fd = mkostemp(tmp, O_CLOEXEC);
            if (fd >= 0) {
                char text[64];
                str_fmt(text, sizeof(text), "%.6f\n", tl);
                int ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
                close(fd);
                if (!ok || rename(tmp, path) < 0)
                    unlink(tmp);
            }
        }
    }
    close(lfd);
    return tl;
}

/* ---- jobs --------------------------------------------------------------------- */

struct job_file {
    char *name;                        /* as the server sent it: checked before use */
    char blob[DMN_HEX_LEN + 1];
};

struct job {
    char id[DMN_ID_MAX + 1];
    long long submission_id;
    long long problem_id;
    double lease_seconds;
    char language[JDG_LANG_ID_MAX + 1];
    char package[DMN_HEX_LEN + 1];
    double time_limit;                 /* 0: the package's */
    int samples_only;                  /* "run on samples": data/sample only */
    struct job_file *files;
    size_t nfiles;
    char unusable[256];                /* why the submission cannot be judged (CE); "" if it can */
    /* compute budgets: GPUs the problem's runs need, and those this job holds */
    int gpus;
    int gpu_index[SBX_MAX_GPUS];
    int ngranted;
};

static void job_release(struct job *job)
{
    for (size_t i = 0; i < job->nfiles; i++)
        free(job->files[i].name);
    free(job->files);
    memset(job, 0, sizeof(*job));
}

static int json_int(const cJSON *o, const char *key, long long *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    /* Range first: casting an out-of-range double is undefined. */
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0) ||
        v->valuedouble != (double)(long long)v->valuedouble)
        return -1;
    *out = (long long)v->valuedouble;
    return 0;
}

static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > DMN_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-' || s[i] == '_'))
            return 0;
    return 1;
}

/* Letters, digits, '.', '_', '-', '+'; not starting with '.'. */
static int file_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > DMN_NAME_MAX || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '.' || s[i] == '_' || s[i] == '-' || s[i] == '+'))
            return 0;
    return 1;
}

/* Reads the claim's answer. A job whose shape is wrong is an error (it
 * cannot be judged or even answered safely); a submission that is unusable
 * (file names, too many files) is a job with `unusable` set. */
static int job_parse(const struct buf *body, struct job *job, struct err *err)
{
    memset(job, 0, sizeof(*job));
    int rc = 0;
    cJSON *root = cJSON_ParseWithLength(body->buf, body->len);
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(root, "job");
    if (!cJSON_IsObject(j)) {
        rc = err_set(err, ERR_INVALID, "the claim's answer has no \"job\" object");
        goto out;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    long long n;
    if (cJSON_IsString(id) && id_ok(id->valuestring))
        str_fmt(job->id, sizeof(job->id), "%s", id->valuestring);
    else if (json_int(j, "id", &n) == 0)
        str_fmt(job->id, sizeof(job->id), "%lld", n);
    else {
        rc = err_set(err, ERR_INVALID, "the job has no usable \"id\"");
        goto out;
    }
    const cJSON *lease = cJSON_GetObjectItemCaseSensitive(j, "lease_seconds");
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(j, "language");
    const cJSON *prob = cJSON_GetObjectItemCaseSensitive(j, "problem");
    const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(prob, "package");
    const cJSON *tl = cJSON_GetObjectItemCaseSensitive(prob, "time_limit");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(j, "files");
    if (json_int(j, "submission_id", &job->submission_id) < 0 || !cJSON_IsObject(prob) ||
        json_int(prob, "id", &job->problem_id) < 0) {
        rc = err_set(err, ERR_INVALID, "job %s: no usable submission_id or problem.id", job->id);
        goto out;
    }
    if (!cJSON_IsNumber(lease) || !(lease->valuedouble >= 1 && lease->valuedouble <= DMN_LEASE_MAX_S)) {
        rc = err_set(err, ERR_INVALID, "job %s: lease_seconds must be a number from 1 to %.0f", job->id,
                     DMN_LEASE_MAX_S);
        goto out;
    }
    job->lease_seconds = lease->valuedouble;
    if (!cJSON_IsString(lang) || str_fmt(job->language, sizeof(job->language), "%s", lang->valuestring) < 0) {
        rc = err_set(err, ERR_INVALID, "job %s: no usable language", job->id);
        goto out;
    }
    if (!cJSON_IsString(pkg) || !is_hash(pkg->valuestring)) {
        rc = err_set(err, ERR_INVALID, "job %s: problem.package is not a BLAKE2b-256 in hex", job->id);
        goto out;
    }
    str_fmt(job->package, sizeof(job->package), "%s", pkg->valuestring);
    if (tl && !cJSON_IsNull(tl)) {
        if (!cJSON_IsNumber(tl) || !(tl->valuedouble > 0 && tl->valuedouble <= 3600)) {
            rc = err_set(err, ERR_INVALID, "job %s: problem.time_limit must be null or from 0 to 3600 s", job->id);
            goto out;
        }
        job->time_limit = tl->valuedouble;
    }
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(j, "samples_only");   /* run on samples */
    if (so && !cJSON_IsNull(so)) {
        if (!cJSON_IsBool(so)) {
            rc = err_set(err, ERR_INVALID, "job %s: samples_only must be a boolean", job->id);
            goto out;
        }
        job->samples_only = cJSON_IsTrue(so);
    }
    const cJSON *gpus = cJSON_GetObjectItemCaseSensitive(prob, "gpus");   /* compute budgets */
    if (gpus) {
        long long g;
        if (json_int(prob, "gpus", &g) < 0 || g > SBX_MAX_GPUS) {
            rc = err_set(err, ERR_INVALID, "job %s: problem.gpus must be from 0 to %d", job->id, SBX_MAX_GPUS);
            goto out;
        }
        job->gpus = (int)g;
    }
    if (!cJSON_IsArray(files)) {
        rc = err_set(err, ERR_INVALID, "job %s: no files", job->id);
        goto out;
    }
    int count = cJSON_GetArraySize(files);
    if (count == 0 || count > JDG_MAX_FILES) {
        str_fmt(job->unusable, sizeof(job->unusable), "a submission has from 1 to %d files, not %d", JDG_MAX_FILES,
                count);
        goto out;
    }
    job->files = calloc((size_t)count, sizeof(*job->files));
    if (!job->files)
        abort();
    const cJSON *f;
    cJSON_ArrayForEach(f, files) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(f, "name");
        const cJSON *blob = cJSON_GetObjectItemCaseSensitive(f, "blob");
        if (!cJSON_IsString(name) || !cJSON_IsString(blob) || !is_hash(blob->valuestring)) {
            rc = err_set(err, ERR_INVALID, "job %s: a file without a name or a blob hash", job->id);
            goto out;
        }
        struct job_file *jf = &job->files[job->nfiles++];
        jf->name = strdup(name->valuestring);
        if (!jf->name)
            abort();
        str_fmt(jf->blob, sizeof(jf->blob), "%s", blob->valuestring);
        if (!job->unusable[0] && !file_name_ok(jf->name))
            str_fmt(job->unusable, sizeof(job->unusable),
                    "bad source file name (letters, digits, '.', '_', '-', '+'; at most %d bytes; "
                    "not starting with '.')", DMN_NAME_MAX);
        for (size_t i = 0; !job->unusable[0] && i + 1 < job->nfiles; i++)
            if (!strcmp(job->files[i].name, jf->name))
                str_fmt(job->unusable, sizeof(job->unusable), "two source files have the same name");
    }
out:
    cJSON_Delete(root);
    if (rc < 0) {
        char keep[DMN_ID_MAX + 1];
        memcpy(keep, job->id, sizeof(keep));
        job_release(job);
        memcpy(job->id, keep, sizeof(keep));   /* for the log */
    }
    return rc;
}

/* ---- leases ----------------------------------------------------------------------- */

/* The heartbeat thread of one job. It also streams the job's per-test
 * results: the judging thread queues each test judged (progress_add), and
 * this thread posts the queue to .../jobs/ID/progress at most once every
 * DMN_PROGRESS_EVERY_S, with "first" = the ordinal of the first test posted
 * so that the server can drop what a retried post repeats. A progress post
 * renews the lease like a heartbeat (the next heartbeat is due a third of
 * the lease after it). A failed post leaves its tests queued for the next
 * one: progress is a courtesy, the result is authoritative. Before the
 * result is posted, progress_flush has the rest sent at once. */
struct lease {
    struct http *http;                 /* the worker's second connection */
    const struct daemon_config *cfg;
    const char *job_id;
    pthread_mutex_t lock;
    pthread_cond_t cond;               /* CLOCK_MONOTONIC */
    double seconds;                    /* under lock */
    int done;                          /* the job ended: stop; under lock */
    int lost;                          /* the server took the job back; under lock */
    cJSON *pending;                    /* tests judged, not yet posted (an array); under lock */
    size_t pending_first;              /* the ordinal of pending's first test; under lock */
    int flush;                         /* post the pending tests now; under lock */
    int posting;                      /* a progress post is in flight (lock released) */
    double last_renew;                 /* now_s() of the last heartbeat tried, or progress answered 200 */
    double last_progress;              /* now_s() of the last progress post tried; 0 none */
    pthread_t thread;
    int started;
};

/* One renewal answer: the lease's length, or 0 when the answer says none. */
static double lease_answer_seconds(const struct buf *answer)
{
    double seconds = 0;
    cJSON *o = cJSON_ParseWithLength(answer->buf, answer->len);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "lease_seconds");
    if (cJSON_IsNumber(s) && s->valuedouble >= 1 && s->valuedouble <= DMN_LEASE_MAX_S)
        seconds = s->valuedouble;
    cJSON_Delete(o);
    return seconds;
}

/* Takes up to DMN_PROGRESS_MAX_TESTS pending tests into a progress body; under lock. */
static char *progress_take(struct lease *l, cJSON **batch, size_t *first)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    if (!o || !arr)
        abort();
    *first = l->pending_first;
    size_t n = 0;
    while (n < DMN_PROGRESS_MAX_TESTS && cJSON_GetArraySize(l->pending) > 0) {
        cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(l->pending, 0));
        n++;
    }
    l->pending_first += n;
    cJSON_AddNumberToObject(o, "first", (double)*first);
    cJSON_AddItemReferenceToObject(o, "tests", arr);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!body)
        abort();
    *batch = arr;
    return body;
}

/* Puts a batch whose post failed back in front of the pending tests; under lock. */
static void progress_untake(struct lease *l, cJSON *batch, size_t first)
{
    cJSON *x;
    while ((x = cJSON_DetachItemFromArray(batch, cJSON_GetArraySize(batch) - 1)) != NULL) {
        if (cJSON_GetArraySize(l->pending) > 0)
            cJSON_InsertItemInArray(l->pending, 0, x);
        else
            cJSON_AddItemToArray(l->pending, x);
    }
    l->pending_first = first;
    cJSON_Delete(batch);
}

static void *lease_main(void *arg)
{
    struct lease *l = arg;
    struct buf answer;
    buf_init(&answer, DMN_JSON_MAX);
    char beat_path[160], progress_path[160];
    str_fmt(beat_path, sizeof(beat_path), "/api/v1/judge/jobs/%s/heartbeat", l->job_id);
    str_fmt(progress_path, sizeof(progress_path), "/api/v1/judge/jobs/%s/progress", l->job_id);
    pthread_mutex_lock(&l->lock);
    l->last_renew = now_s();
    while (!l->done) {
        /* The next thing due: pending tests (now when flushing, else once
         * the last progress post is DMN_PROGRESS_EVERY_S old), or a heartbeat. */
        double now = now_s(), due = l->last_renew + l->seconds / 3;
        int progress = cJSON_GetArraySize(l->pending) > 0;
        if (progress) {
            double p = l->flush ? now : l->last_progress + DMN_PROGRESS_EVERY_S;
            if (p < due)
                due = p;
        }
        if (due > now) {
            struct timespec at = deadline_in(due - now);
            if (pthread_cond_timedwait(&l->cond, &l->lock, &at) != ETIMEDOUT)
                continue;           /* woken: new tests, a flush, or the end */
            if (l->done)
                break;
            now = now_s();
        }
        progress = cJSON_GetArraySize(l->pending) > 0 &&
                   (l->flush || now >= l->last_progress + DMN_PROGRESS_EVERY_S);
        cJSON *batch = NULL;
        size_t first = 0;
        char *body = progress ? progress_take(l, &batch, &first) : NULL;
        if (progress)
            l->last_progress = now;
        else
            l->last_renew = now;
        l->posting = progress;
        pthread_mutex_unlock(&l->lock);
        struct err err = { 0 };
        int status = http_json(l->http, l->cfg, "POST", progress ? progress_path : beat_path,
                               progress ? body : "{}", &answer, &err);
        free(body);
        double seconds = status == 200 ? lease_answer_seconds(&answer) : 0;
        pthread_mutex_lock(&l->lock);
        l->posting = 0;
        pthread_cond_broadcast(&l->cond);
        const char *what = progress ? "progress" : "heartbeat";
        if (status == 409 || status == 404) {
            /* 404 too: a server that no longer knows the job would refuse its result. */
            cJSON_Delete(batch);
            l->lost = 1;
            l->flush = 0;
            pthread_cond_broadcast(&l->cond);
            log_warn("judge", "job %s: lease lost (%s answered HTTP %d): abandoning it", l->job_id, what, status);
            break;
        }
        if (status == 200) {
            if (progress)
                l->last_renew = now_s();
            if (seconds > 0)
                l->seconds = seconds;
            cJSON_Delete(batch);
        } else {
            if (batch)
                progress_untake(l, batch, first);
            if (status < 0) {
                log_warn("judge", "job %s: %s failed: %s", l->job_id, what, err.msg);
            } else {
                char why[256];
                answer_error(&answer, NULL, 0, why, sizeof(why));
                log_warn("judge", "job %s: %s answered HTTP %d%s", l->job_id, what, status, why);
            }
        }
        if (progress && l->flush && (status != 200 || cJSON_GetArraySize(l->pending) == 0)) {
            l->flush = 0;           /* one try: the result does not wait on progress */
            pthread_cond_broadcast(&l->cond);
        }
    }
    pthread_mutex_unlock(&l->lock);
    buf_release(&answer);
    return NULL;
}

/* The judging thread's jdg_options.on_test: queues the test for the next
 * progress post (done - 1 is its ordinal). */
static void progress_add(void *arg, const struct jdg_test_result *t, size_t done)
{
    struct lease *l = arg;
    cJSON *x = jdg_test_result_json(t);
    pthread_mutex_lock(&l->lock);
    if (cJSON_GetArraySize(l->pending) == 0)
        l->pending_first = done - 1;
    cJSON_AddItemToArray(l->pending, x);
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->lock);
}

/* Has the tests still queued posted now, and waits for that one try; and
 * first for a progress post already in flight, so that no progress reaches
 * the server after the result (which would answer it 409). */
static void progress_flush(struct lease *l)
{
    int tried = 0;
    pthread_mutex_lock(&l->lock);
    while (l->started && !l->lost && !l->done) {
        if (!l->posting && !l->flush && !tried && cJSON_GetArraySize(l->pending) > 0) {
            l->flush = 1;
            tried = 1;
            pthread_cond_broadcast(&l->cond);
        }
        if (!l->posting && !l->flush)
            break;
        pthread_cond_wait(&l->cond, &l->lock);
    }
    pthread_mutex_unlock(&l->lock);
}

static void lease_start(struct lease *l, struct http *h, const struct daemon_config *cfg, const struct job *job)
{
    memset(l, 0, sizeof(*l));
    l->http = h;
    l->cfg = cfg;
    l->job_id = job->id;
    l->seconds = job->lease_seconds;
    l->pending = cJSON_CreateArray();
    if (!l->pending)
        abort();
    pthread_mutex_init(&l->lock, NULL);
    cond_init_monotonic(&l->cond);
    l->started = pthread_create(&l->thread, NULL, lease_main, l) == 0;
    if (!l->started)
        log_warn("judge", "job %s: cannot start its heartbeat thread", job->id);
}

static int lease_lost(struct lease *l)
{
    pthread_mutex_lock(&l->lock);
    int lost = l->lost;
    pthread_mutex_unlock(&l->lock);
    return lost;
}

/* Waits up to seconds; returns early (1) when the lease is lost. */
static int lease_wait(struct lease *l, double seconds)
{
    struct timespec at = deadline_in(seconds);
    pthread_mutex_lock(&l->lock);
    while (!l->lost && pthread_cond_timedwait(&l->cond, &l->lock, &at) != ETIMEDOUT)
        ;
    int lost = l->lost;
    pthread_mutex_unlock(&l->lock);
    return lost;
}

static void lease_stop(struct lease *l)
{
    pthread_mutex_lock(&l->lock);
    l->done = 1;
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->lock);
    if (l->started)
        pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->lock);
    cJSON_Delete(l->pending);
    l->pending = NULL;
}

/* ---- workers -------------------------------------------------------------------- */

struct worker {
    struct daemon *d;
    int id;
    struct http http;                  /* claims, downloads, results */
    struct http beat;                  /* the heartbeat thread's */
    pthread_t thread;
};

static int daemon_stopping(struct daemon *d)
{
    pthread_mutex_lock(&d->lock);
    int s = d->stopping;
    pthread_mutex_unlock(&d->lock);
    return s;
}

static void daemon_stop(struct daemon *d, int failed)
{
    pthread_mutex_lock(&d->lock);
    d->stopping = 1;
    if (failed)
        d->failed = 1;
    pthread_cond_broadcast(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

/* Sleeps up to seconds, less when the daemon stops; returns whether it does. */
static int daemon_sleep(struct daemon *d, double seconds)
{
    struct timespec at = deadline_in(seconds);
    pthread_mutex_lock(&d->lock);
    while (!d->stopping && pthread_cond_timedwait(&d->wake, &d->lock, &at) != ETIMEDOUT)
        ;
    int s = d->stopping;
    pthread_mutex_unlock(&d->lock);
    return s;
}

/* Replaces r (zeroed or filled) by a result without tests. */
static void result_set(struct jdg_result *r, enum jdg_verdict v, const char *msg)
{
    jdg_result_release(r);
    r->verdict = v;
    r->compile_output = strdup("");
    if (!r->compile_output)
        abort();
    str_fmt(r->message, sizeof(r->message), "%s", msg);
}

/* Adds "groups": [{"name", "score", "max_score"}] (every test data group,
 * parents first) to the result's JSON: the server scores IOI subtasks from
 * them. Older servers refuse unknown fields, so the field is left out when
 * there are no groups (a compile error). */
static void result_add_groups(const struct jdg_result *res, struct buf *body)
{
    if (!res->ngroups || body->len == 0 || body->buf[body->len - 1] != '}')
        return;
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        abort();
    for (size_t i = 0; i < res->ngroups; i++) {
        const struct jdg_group_result *g = &res->groups[i];
        if (!g->name || !g->name[0])
            continue;               /* the root: the whole result */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", g->name);
        cJSON_AddNumberToObject(o, "score", isfinite(g->score) && g->score > 0 ? g->score : 0);
        cJSON_AddNumberToObject(o, "max_score", isfinite(g->max_score) && g->max_score > 0 ? g->max_score : 0);
        cJSON_AddItemToArray(arr, o);
    }
    char *text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    if (!text)
        abort();
    body->len--;                    /* the closing brace */
    body->buf[body->len] = '\0';
    buf_addf(body, ",\"groups\":%s}", text);
    free(text);
}

/* compute budgets: sets the result's "gpu_seconds" (wall time x GPUs held;
 * 0 when none), replacing one the result may have already. */
static void result_set_gpu_seconds(struct buf *body, double gpu_seconds)
{
    cJSON *o = cJSON_ParseWithLength(body->buf, body->len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return;
    }
    cJSON *v = cJSON_CreateNumber(isfinite(gpu_seconds) && gpu_seconds > 0 ? gpu_seconds : 0);
    if (!v)
        abort();
    if (cJSON_GetObjectItemCaseSensitive(o, "gpu_seconds"))
        cJSON_ReplaceItemInObjectCaseSensitive(o, "gpu_seconds", v);
    else
        cJSON_AddItemToObject(o, "gpu_seconds", v);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    buf_reset(body);
    buf_add(body, text, strlen(text));
    free(text);
}

/* compute budgets: takes job->gpus free GPUs for the job (fewer when not
 * enough are free: the job then cannot run); under gpu_lock. */
static void gpus_take(struct daemon *d, struct job *job)
{
    /* ai-judge: a language that needs GPUs (CUDA) holds them too, even on a
     * problem that asks for none. */
    const struct jdg_language *l = jdg_language_find(d->langs, job->language);
    if (l && l->gpus > job->gpus)
        job->gpus = l->gpus;
    for (int i = 0; i < d->ngpus && job->ngranted < job->gpus; i++)
        if (!d->gpu_held[i]) {
            d->gpu_held[i] = 1;
            job->gpu_index[job->ngranted++] = i;
        }
}

static void gpus_release(struct daemon *d, struct job *job)
{
    if (!job->ngranted)
        return;
    pthread_mutex_lock(&d->gpu_lock);
    for (int i = 0; i < job->ngranted; i++)
        d->gpu_held[job->gpu_index[i]] = 0;
    pthread_mutex_unlock(&d->gpu_lock);
    job->ngranted = 0;
}

/* Posts the result, retrying while the server may be restarting. Returns
 * 1 when the server has it or refused it with 409 (the job is settled
 * either way), 0 when it was given up. */
static int result_post(struct worker *w, const struct job *job, struct lease *lease, const struct jdg_result *res,
                       double gpu_seconds)
{
    const struct daemon_config *cfg = w->d->cfg;
    struct buf body, answer;
    buf_init(&body, 0);
    buf_init(&answer, DMN_JSON_MAX);
    jdg_result_to_json(res, &body);
    result_add_groups(res, &body);
    result_set_gpu_seconds(&body, gpu_seconds);
    char path[160];
    str_fmt(path, sizeof(path), "/api/v1/judge/jobs/%s/result", job->id);
    double start = now_s(), wait = DMN_ERROR_MIN_S;
    int settled = 0;
    for (;;) {
        if (lease_lost(lease)) {
            log_warn("judge", "job %s: lease lost before the result was delivered; dropped", job->id);
            settled = 1;
            break;
        }
        struct err err = { 0 };
        int status = http_json(&w->http, cfg, "POST", path, body.buf, &answer, &err);
        if (status >= 200 && status < 300) {
            log_info("judge", "job %s: result delivered", job->id);
            settled = 1;
            break;
        }
        if (status == 409) {
            log_warn("judge", "job %s: the server refused the result (409: judged elsewhere or lease lost)", job->id);
            settled = 1;
            break;
        }
        if (status > 0 && status < 500 && status != 408 && status != 429) {
            char why[256];
            answer_error(&answer, NULL, 0, why, sizeof(why));
            log_error("judge", "job %s: the server refused the result (HTTP %d%s); the lease will expire", job->id,
                      status, why);
            break;
        }
        if (now_s() - start + wait > DMN_RESULT_RETRY_S) {
            log_error("judge", "job %s: cannot deliver the result (%s); giving up, the lease will expire", job->id,
                      status < 0 ? err.msg : "server error");
            break;
        }
        if (status < 0)
            log_warn("judge", "job %s: cannot deliver the result (%s); retrying in %.0f s", job->id, err.msg, wait);
        else
            log_warn("judge", "job %s: the result got HTTP %d; retrying in %.0f s", job->id, status, wait);
        lease_wait(lease, wait);
        wait = wait * 2 < DMN_ERROR_MAX_S ? wait * 2 : DMN_ERROR_MAX_S;
    }
    buf_release(&body);
    buf_release(&answer);
    return settled;
}

/* Fetches the sources into dir (a fresh folder). Returns 0, 1 when the
 * submission is unusable (err says why: too large), negative when they
 * could not be had. */
static int sources_fetch(struct worker *w, const struct job *job, const char *dir, char **paths, struct err *err)
{
    struct buf src;
    buf_init(&src, 0);
    uint64_t left = JDG_SOURCE_MAX_BYTES;
    int rc = 0;
    for (size_t i = 0; i < job->nfiles && rc == 0; i++) {
        rc = blob_fetch(&w->http, w->d->cfg, "source", job->files[i].blob, -1, &src, left, err);
        if (rc == ERR_LIMIT) {
            err_set(err, ERR_LIMIT, "the sources are larger than %u MiB", JDG_SOURCE_MAX_BYTES >> 20);
            rc = 1;
            break;
        }
        if (rc < 0)
            break;
        left -= src.len;
        char path[JDG_PATH_MAX];
        if (str_fmt(path, sizeof(path), "%s/%s", dir, job->files[i].name) < 0) {
            rc = err_set(err, ERR_LIMIT, "work path too long");
            break;
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) {
            rc = err_sys(err, "cannot create '%s'", path);
            break;
        }
        for (size_t off = 0; off < src.len;) {
            ssize_t n = write(fd, src.buf + off, src.len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                rc = err_sys(err, "cannot write '%s'", path);
                break;
            }
            off += (size_t)n;
        }
        close(fd);
        paths[i] = strdup(path);
        if (!paths[i])
            abort();
    }
    buf_release(&src);
    return rc;
}

/* Judges one claimed job. Returns 1 when it is settled (result delivered,
 * or the server took the job back), 0 when it was abandoned by a failure. */
static int job_run(struct worker *w, struct job *job)
{
    struct daemon *d = w->d;
    const struct daemon_config *cfg = d->cfg;
    log_info("judge", "worker %d: job %s claimed: submission %lld, problem %lld, language %s, %zu file(s)", w->id,
             job->id, job->submission_id, job->problem_id, job->language, job->nfiles);
    struct lease lease;
    lease_start(&lease, &w->beat, cfg, job);
    char dir[JDG_PATH_MAX] = "", root[JDG_PATH_MAX];
    char *paths[JDG_MAX_FILES] = { NULL };
    struct prb_problem *p = NULL;
    struct jdg_result res;
    struct err err = { 0 };
    int settled = 0, rc;
    double gpu_seconds = 0;             /* compute budgets */
    memset(&res, 0, sizeof(res));
    result_set(&res, JDG_JE, "");

    if (job->unusable[0]) {
        result_set(&res, JDG_CE, job->unusable);
        goto deliver;
    }
    if (str_fmt(dir, sizeof(dir), "%s/job-XXXXXX", cfg->work_dir) < 0 || !mkdtemp(dir)) {
        log_error("judge", "job %s: cannot create a folder in '%s'", job->id, cfg->work_dir);
        dir[0] = '\0';
        goto out;
    }
    rc = sources_fetch(w, job, dir, paths, &err);
    if (rc > 0) {
        result_set(&res, JDG_CE, err.msg);
        goto deliver;
    }
    if (rc < 0) {
        log_error("judge", "job %s: cannot fetch its sources: %s; abandoned", job->id, err.msg);
        goto out;
    }
    rc = package_get(&w->http, cfg, job->package, root, sizeof(root), &err);
    if (rc < 0) {
        log_error("judge", "job %s: cannot fetch package %.16s: %s; abandoned", job->id, job->package, err.msg);
        goto out;
    }
    if (rc > 0 || prb_package_load(root, NULL, NULL, &p, &err) < 0) {
        char msg[JDG_MESSAGE_MAX];
        str_fmt(msg, sizeof(msg), "package %.16s: %s", job->package, err.msg);
        result_set(&res, JDG_JE, msg);
        goto deliver;
    }
    const struct jdg_language *lang = jdg_language_find(d->langs, job->language);
    if (!lang) {
        char msg[JDG_MESSAGE_MAX];
        str_fmt(msg, sizeof(msg), "language '%.40s' is not in this judge's table", job->language);
        result_set(&res, JDG_JE, msg);
        goto deliver;
    }
    if (lease_lost(&lease)) {
        settled = 1;
        goto out;
    }
    if (job->ngranted < job->gpus) {    /* compute budgets: the server gave a job this host cannot hold */
        char msg[JDG_MESSAGE_MAX];
        str_fmt(msg, sizeof(msg), "the problem needs %d GPU(s); this judge host had %d free", job->gpus,
                job->ngranted);
        result_set(&res, JDG_JE, msg);
        goto deliver;
    }
    if (job->ngranted)
        log_info("judge", "job %s: holds %d GPU(s), the first index %d", job->id, job->ngranted,
                 job->gpu_index[0]);
    double judge_start = now_s();
    struct jdg_submission sub = { .files = (const char *const *)paths, .nfiles = job->nfiles, .lang = lang };
    struct jdg_options o = { .time_limit = job->time_limit, .work_dir = cfg->work_dir,
                             .samples_only = job->samples_only,
                             .on_test = progress_add, .on_test_arg = &lease,
                             .gpus = job->gpu_index, .ngpus = (size_t)job->ngranted };   /* exactly those held */
    if (o.time_limit <= 0)
        o.time_limit = package_time_limit(d->judge, cfg, job->package, p);
    jdg_result_release(&res);
    err_clear(&err);
    if (jdg_submission_judge(d->judge, p, &sub, &o, &res, &err) < 0 && !res.message[0])
        str_fmt(res.message, sizeof(res.message), "%s", err.msg);
    gpu_seconds = (now_s() - judge_start) * job->ngranted;    /* wall time x GPUs held */
    progress_flush(&lease);

deliver:
    if (lease_lost(&lease)) {
        log_warn("judge", "job %s: lease lost while judging; %s result dropped", job->id,
                 jdg_verdict_name(res.verdict));
        settled = 1;
        goto out;
    }
    if (res.verdict == JDG_JE)
        log_warn("judge", "job %s: JE: %s", job->id, res.message);
    else
        log_info("judge", "job %s: %s (%.3f s, %.1f MiB, %zu tests)", job->id, jdg_verdict_name(res.verdict),
                 res.time_seconds, (double)res.memory_bytes / (1 << 20), res.ntests);
    settled = result_post(w, job, &lease, &res, gpu_seconds);
out:
    gpus_release(d, job);
    lease_stop(&lease);
    jdg_result_release(&res);
    prb_problem_free(p);
    for (size_t i = 0; i < JDG_MAX_FILES; i++)
        free(paths[i]);
    if (dir[0])
        jdg_rmtree(dir);
    return settled;
}

/* Claims one job: 1 with job filled, 0 when there is no work, negative on an
 * error; ERR_UNSUPPORTED when the server refuses the token (401, or 403 for
 * any reason but "host_disabled": no use trying again). A disabled host is
 * retried like any error, so that it resumes when an administrator enables
 * it again. */
static int job_claim_with(struct worker *w, const char *body, struct buf *answer, struct job *job, struct err *err)
{
    int status = http_json(&w->http, w->d->cfg, "POST", "/api/v1/judge/claim", body, answer, err);
    if (status < 0)
        return status;
    if (status == 204)
        return 0;
    char code[64], why[256];
    answer_error(answer, code, sizeof(code), why, sizeof(why));
    if (status == 401 || (status == 403 && strcmp(code, "host_disabled") != 0))
        return err_set(err, ERR_UNSUPPORTED, "the server refused this judge's token (HTTP %d%s)", status, why);
    if (status != 200)
        return err_set(err, ERR_SYSTEM, "claim: HTTP %d%s", status, why);
    int rc = job_parse(answer, job, err);
    return rc < 0 ? rc : 1;
}

/* compute budgets: on a host with GPUs, the claim advertises those free now
 * and the job takes its GPUs before another worker may claim. */
static int job_claim(struct worker *w, struct buf *answer, struct job *job, struct err *err)
{
    struct daemon *d = w->d;
    if (d->ngpus <= 0)
        return job_claim_with(w, d->claim_body, answer, job, err);
    pthread_mutex_lock(&d->gpu_lock);
    int free_gpus = 0;
    for (int i = 0; i < d->ngpus; i++)
        free_gpus += !d->gpu_held[i];
    char *body = NULL;
    cJSON *o = cJSON_Parse(d->claim_body);
    if (cJSON_IsObject(o)) {
        cJSON_ReplaceItemInObjectCaseSensitive(o, "gpus", cJSON_CreateNumber(free_gpus));
        body = cJSON_PrintUnformatted(o);
    }
    cJSON_Delete(o);
    int rc = job_claim_with(w, body ? body : d->claim_body, answer, job, err);
    if (rc == 1)
        gpus_take(d, job);
    pthread_mutex_unlock(&d->gpu_lock);
    free(body);
    return rc;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct daemon *d = w->d;
    struct buf answer;
    buf_init(&answer, DMN_JSON_MAX);
    double idle = DMN_IDLE_MIN_S, error = DMN_ERROR_MIN_S;
    while (!daemon_stopping(d)) {
        struct job job;
        struct err err = { 0 };
        memset(&job, 0, sizeof(job));
        int rc = job_claim(w, &answer, &job, &err);
        if (rc == ERR_UNSUPPORTED) {
            log_error("judge", "worker %d: %s; stopping", w->id, err.msg);
            daemon_stop(d, 1);
            break;
        }
        if (rc < 0) {
            /* A job we cannot read stays leased until it expires: nothing to answer. */
            log_warn("judge", "worker %d: claim failed: %s; retrying in %.0f s", w->id, err.msg, error);
            job_release(&job);
            daemon_sleep(d, error);
            error = error * 2 < DMN_ERROR_MAX_S ? error * 2 : DMN_ERROR_MAX_S;
            continue;
        }
        error = DMN_ERROR_MIN_S;
        if (rc == 0) {
            log_debug("judge", "worker %d: no work; polling again in %.1f s", w->id, idle);
            daemon_sleep(d, idle);
            idle = idle * 2 < DMN_IDLE_MAX_S ? idle * 2 : DMN_IDLE_MAX_S;
            continue;
        }
        idle = DMN_IDLE_MIN_S;
        int settled = job_run(w, &job);
        job_release(&job);
        if (d->cfg->once) {
            daemon_stop(d, !settled);
            break;
        }
    }
    buf_release(&answer);
    pthread_mutex_lock(&d->lock);
    d->running--;
    pthread_mutex_unlock(&d->lock);
    char c = 'w';
    if (write(dmn_wake_pipe[1], &c, 1) < 0) {
        /* The pipe is full: main wakes anyway. */
    }
    return NULL;
}

/* ---- start-up ------------------------------------------------------------------ */

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGTERM || sig == SIGINT) {
        dmn_signalled = 1;
        char c = 's';
        if (write(dmn_wake_pipe[1], &c, 1) < 0) {
            /* Full: a wake-up is already pending. */
        }
    }
    errno = saved;   /* SIGPIPE: nothing; the write that caused it gets EPIPE */
}

static int signals_install(void)
{
    if (pipe2(dmn_wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGPIPE, &sa, NULL) < 0)
        return -1;
    return 0;
}

/* The first line of the token file, which only its owner may read. */
static int token_read(const char *path, char *out, size_t size, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot open the token file '%s'", path);
    struct stat st;
    int rc = 0;
    char text[DMN_TOKEN_MAX + 2];
    ssize_t n = 0;
    if (fstat(fd, &st) < 0) {
        rc = err_sys(err, "cannot stat '%s'", path);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = err_set(err, ERR_INVALID, "the token file '%s' is not a regular file", path);
        goto out;
    }
    if (st.st_mode & 077) {
        rc = err_set(err, ERR_INVALID, "the token file '%s' is accessible to group or others (mode %04o); "
                     "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
        goto out;
    }
    while ((n = read(fd, text, sizeof(text) - 1)) < 0 && errno == EINTR)
        ;
    if (n < 0) {
        rc = err_sys(err, "cannot read '%s'", path);
        goto out;
    }
    text[n] = '\0';
    size_t len = strcspn(text, "\r\n");
    text[len] = '\0';
    if (len == 0 || len >= size) {
        rc = err_set(err, ERR_INVALID, "the token file '%s' must hold a token of 1 to %zu bytes on its first line",
                     path, size - 1);
        goto out;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] <= 0x20 || (unsigned char)text[i] >= 0x7f) {
            rc = err_set(err, ERR_INVALID, "the token in '%s' holds a space or a control character", path);
            goto out;
        }
    memcpy(out, text, len + 1);
out:
    explicit_bzero(text, sizeof(text));
    close(fd);
    return rc;
}

static int cores_online(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* compute budgets: the GPUs `nvidia-smi -L` lists ("GPU 0: NVIDIA H100 80GB
 * HBM3 (UUID: ...)"), model the first one's name; 0 when it is absent or
 * lists none. Not with a test's device folder (CRUCIBLE_SANDBOX_DEV). */
static int gpu_smi(char *model, size_t size)
{
    int n = 0;
    model[0] = '\0';
    if (getenv("CRUCIBLE_SANDBOX_DEV") || access("/usr/bin/nvidia-smi", X_OK) != 0)
        return 0;
    FILE *f = popen("/usr/bin/nvidia-smi -L 2>/dev/null", "r");
    char line[512];
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "GPU ", 4) != 0)
            continue;
        const char *name = strstr(line, ": ");
        if (n++ == 0 && name) {
            name += 2;
            const char *end = strstr(name, " (UUID");
            size_t len = end ? (size_t)(end - name) : strcspn(name, "\r\n");
            str_fmt(model, size, "%.*s", (int)len, name);
            for (char *c = model; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                    *c = '?';
        }
    }
    if (f)
        pclose(f);
    return n;
}

/* /dev/nvidiaN devices (what the sandbox can bind). */
static int gpu_count(void)
{
    const char *dev = getenv("CRUCIBLE_SANDBOX_DEV");
    DIR *d = opendir(dev ? dev : "/dev");
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        const char *s = de->d_name;
        if (strncmp(s, "nvidia", 6) != 0 || !s[6])
            continue;
        size_t digits = strspn(s + 6, "0123456789");
        if (!s[6 + digits])
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

/* The claim's body: what this machine offers. NULL when it can run nothing. */
static char *claim_body_new(const struct jdg_languages *langs, struct sbx_context *sbx, int *ngpus)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    char host[256] = "";
    if (gethostname(host, sizeof(host) - 1) < 0)
        str_fmt(host, sizeof(host), "unknown");
    cJSON_AddStringToObject(o, "host", host);
    cJSON *ids = cJSON_AddArrayToObject(o, "languages");
    int usable = 0;
    for (size_t i = 0; i < langs->n; i++) {
        const struct jdg_language *l = &langs->v[i];
        char why[256] = "", version[256];
        /* A sandbox error may pass (a busy machine): the language would be
         * lost for the daemon's whole life, so it gets two more tries. */
        int ok = jdg_language_usable(sbx, l, why, sizeof(why), version, sizeof(version));
        for (int tries = 1; ok < 0 && tries < 3; tries++) {
            struct timespec ts = { 0, 500000000L };
            nanosleep(&ts, NULL);
            ok = jdg_language_usable(sbx, l, why, sizeof(why), version, sizeof(version));
        }
        if (ok > 0) {
            cJSON_AddItemToArray(ids, cJSON_CreateString(l->id));
            usable++;
        } else {
            log_info("judge", "language %s is not offered: %s", l->id, why);
        }
    }
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    /* compute budgets: nvidia-smi's count and model when present, else the device nodes */
    char model[128];
    int cores = cores_online(), gpus = gpu_smi(model, sizeof(model));
    if (gpus == 0)
        gpus = gpu_count();
    if (gpus > SBX_MAX_GPUS)
        gpus = SBX_MAX_GPUS;
    *ngpus = gpus;
    cJSON_AddNumberToObject(o, "cores", cores);
    cJSON_AddNumberToObject(o, "memory_bytes", pages > 0 && page > 0 ? (double)pages * (double)page : 0);
    cJSON_AddNumberToObject(o, "gpus", gpus);
    if (gpus > 0 && model[0])
        cJSON_AddStringToObject(o, "gpu_model", model);
    char *s = usable ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (usable && !s)
        abort();
    if (usable)
        log_info("judge", "host %s: %d language(s), %d core(s), %d GPU(s)", host, usable, cores, gpus);
    return s;
}

static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "crucible judge daemon: %s%s\n%s", msg, arg ? arg : "", daemon_usage);
    return 2;
}

/* Flags into cfg; 0, or an exit code. */
static int config_parse(int argc, char **argv, struct daemon_config *cfg, int *help)
{
    enum { O_SERVER = 1, O_TOKEN, O_WORKERS, O_CACHE, O_WORK, O_LANGS, O_LOG, O_ONCE, O_HELP };
    static const struct option opts[] = {
        { "server", required_argument, NULL, O_SERVER }, { "token-file", required_argument, NULL, O_TOKEN },
        { "workers", required_argument, NULL, O_WORKERS }, { "cache", required_argument, NULL, O_CACHE },
        { "work-dir", required_argument, NULL, O_WORK }, { "languages", required_argument, NULL, O_LANGS },
        { "log-level", required_argument, NULL, O_LOG }, { "once", no_argument, NULL, O_ONCE },
        { "help", no_argument, NULL, O_HELP }, { NULL, 0, NULL, 0 },
    };
    const char *server = NULL, *token = NULL;
    int64_t workers = 0;
    enum log_level level = LOG_INFO;
    memset(cfg, 0, sizeof(*cfg));
    str_fmt(cfg->cache_dir, sizeof(cfg->cache_dir), "/var/cache/crucible/packages");
    str_fmt(cfg->work_dir, sizeof(cfg->work_dir), "/run/crucible/judge");
    *help = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_SERVER: server = optarg; break;
        case O_TOKEN: token = optarg; break;
        case O_WORKERS:
            if (parse_i64(optarg, 1, DMN_MAX_WORKERS, &workers) < 0)
                return usage("bad --workers (1 to 256) ", optarg);
            break;
        case O_CACHE:
            if (!optarg[0] || strlen(optarg) > JDG_PATH_MAX - 160 ||
                str_fmt(cfg->cache_dir, sizeof(cfg->cache_dir), "%s", optarg) < 0)
                return usage("bad --cache ", optarg);
            break;
        case O_WORK:
            /* The judge needs JDG_PATH_MAX - 128 below its work folder. */
            if (!optarg[0] || strlen(optarg) > JDG_PATH_MAX - 256 ||
                str_fmt(cfg->work_dir, sizeof(cfg->work_dir), "%s", optarg) < 0)
                return usage("bad --work-dir ", optarg);
            break;
        case O_LANGS: cfg->languages = optarg; break;
        case O_LOG:
            if (log_level_parse(optarg, &level) < 0)
                return usage("bad --log-level ", optarg);
            break;
        case O_ONCE: cfg->once = 1; break;
        case O_HELP: *help = 1; return 0;
        default: return usage("unknown option ", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage("unexpected argument ", argv[optind]);
    if (!server)
        return usage("--server is required", NULL);
    if (!token)
        return usage("--token-file is required", NULL);
    if ((strncmp(server, "http://", 7) != 0 && strncmp(server, "https://", 8) != 0) ||
        str_fmt(cfg->server, sizeof(cfg->server), "%s", server) < 0)
        return usage("--server must be an http:// or https:// URL of at most 1000 bytes: ", server);
    for (size_t n = strlen(cfg->server); n > 0 && cfg->server[n - 1] == '/'; n--)
        cfg->server[n - 1] = '\0';
    log_set_level(level);
    /* One job at a time for --once, so that exactly one is claimed. */
    cfg->workers = cfg->once ? 1 : workers ? (int)workers : cores_online();
    if (cfg->workers > DMN_MAX_WORKERS)
        cfg->workers = DMN_MAX_WORKERS;

    char secret[DMN_TOKEN_MAX + 1];
    struct err err = { 0 };
    if (token_read(token, secret, sizeof(secret), &err) < 0) {
        fprintf(stderr, "crucible judge daemon: %s\n", err.msg);
        return 1;
    }
    str_fmt(cfg->auth, sizeof(cfg->auth), "Authorization: Bearer %s", secret);
    explicit_bzero(secret, sizeof(secret));
    return 0;
}

int jdg_cmd_daemon(int argc, char **argv)
{
    struct daemon_config cfg;
    int help, code = config_parse(argc, argv, &cfg, &help);
    if (help) {
        fputs(daemon_usage, stdout);
        return 0;
    }
    if (code)
        return code;

    struct jdg_languages langs = { 0 };
    struct sbx_context *sbx = NULL;
    struct jdg_judge *judge = NULL;
    char *claim_body = NULL;
    struct worker *workers = NULL;
    struct err err = { 0 };
    int curl_ready = 0, started = 0;
    struct daemon d;
    memset(&d, 0, sizeof(d));
    pthread_mutex_init(&d.lock, NULL);
    pthread_mutex_init(&d.gpu_lock, NULL);     /* compute budgets */
    cond_init_monotonic(&d.wake);
    code = 1;

    /* First: a SIGTERM during the start-up (the language checks) then
     * stops the daemon with status 0 as it does later. */
    if (signals_install() < 0) {
        fprintf(stderr, "crucible judge daemon: cannot install signal handlers: %s\n", strerror(errno));
        goto out;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "crucible judge daemon: libsodium cannot start\n");
        goto out;
    }
    /* Before any thread: loading, and curl_global_init, are not thread-safe. */
    struct err lerr = { 0 };
    if (curl_load(&lerr) < 0) {
        fprintf(stderr, "crucible judge daemon: %s\n", lerr.msg);
        goto out;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "crucible judge daemon: libcurl cannot start\n");
        goto out;
    }
    curl_ready = 1;
    const char *lpath = cfg.languages ? cfg.languages : jdg_languages_default_path();
    if (jdg_languages_load(lpath, &langs, &err) < 0) {
        fprintf(stderr, "crucible judge daemon: %s\n", err.msg);
        goto out;
    }
    struct sbx_context_options so = { 0 };
    so.filters = SBX_FILTER_ISOLATED;
    so.dev_dir = getenv("CRUCIBLE_SANDBOX_DEV");
    if (sbx_context_new(&so, &sbx, &err) < 0) {
        fprintf(stderr, "crucible judge daemon: the sandbox is not usable: %s\n", err.msg);
        goto out;
    }
    if (jdg_judge_new(&langs, sbx, &judge, &err) < 0) {
        fprintf(stderr, "crucible judge daemon: %s\n", err.msg);
        goto out;
    }
    if (fs_mkdirs(cfg.cache_dir, 0700) < 0 || fs_mkdirs(cfg.work_dir, 0700) < 0) {
        fprintf(stderr, "crucible judge daemon: cannot create '%s' or '%s': %s\n", cfg.cache_dir, cfg.work_dir,
                strerror(errno));
        goto out;
    }
    if (!(claim_body = claim_body_new(&langs, sbx, &d.ngpus))) {
        fprintf(stderr, "crucible judge daemon: this machine can run none of the languages in '%s'\n", lpath);
        goto out;
    }

    d.cfg = &cfg;
    d.langs = &langs;
    d.judge = judge;
    d.claim_body = claim_body;
    workers = calloc((size_t)cfg.workers, sizeof(*workers));
    if (!workers)
        abort();
    log_info("judge", "daemon started: %s, %d worker(s), cache %s", cfg.server, cfg.workers, cfg.cache_dir);
    for (int i = 0; i < cfg.workers; i++) {
        struct worker *w = &workers[i];
        w->d = &d;
        w->id = i + 1;
        http_init(&w->http, &cfg);
        http_init(&w->beat, &cfg);
        pthread_mutex_lock(&d.lock);
        d.running++;
        pthread_mutex_unlock(&d.lock);
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            pthread_mutex_lock(&d.lock);
            d.running--;
            pthread_mutex_unlock(&d.lock);
            http_release(&w->http);
            http_release(&w->beat);
            log_error("judge", "cannot start worker %d", w->id);
            daemon_stop(&d, 1);
            break;
        }
        started++;
    }

    /* Wait for a signal, or for every worker to end (--once, a refused token). */
    int announced = 0;
    for (;;) {
        struct pollfd pfd = { .fd = dmn_wake_pipe[0], .events = POLLIN };
        poll(&pfd, 1, 1000);
        char drain[64];
        while (read(dmn_wake_pipe[0], drain, sizeof(drain)) > 0)
            ;
        if (dmn_signalled && !announced) {
            announced = 1;
            log_info("judge", "stopping: no more claims; finishing the jobs under way");
            daemon_stop(&d, 0);
        }
        pthread_mutex_lock(&d.lock);
        int running = d.running;
        pthread_mutex_unlock(&d.lock);
        if (running == 0)
            break;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
        http_release(&workers[i].http);
        http_release(&workers[i].beat);
    }
    code = d.failed ? 1 : 0;
    log_info("judge", "daemon stopped");
out:
    free(workers);
    cJSON_free(claim_body);
    jdg_judge_free(judge);
    sbx_context_free(sbx);
    jdg_languages_release(&langs);
    if (curl_ready)
        curl_global_cleanup();
    pthread_cond_destroy(&d.wake);
    pthread_mutex_destroy(&d.lock);
    pthread_mutex_destroy(&d.gpu_lock);
    explicit_bzero(cfg.auth, sizeof(cfg.auth));
    return code;
}
