/*
 * config.c: crucible serve's configuration: one struct, filled from
 * defaults < a `key = value` file < CRUCIBLE_* environment variables <
 * command-line flags. Every key has one parser and one range, so a file, a
 * variable and a flag mean the same thing; unknown keys are errors.
 */
#include "web_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_STRING, K_INT, K_BOOL, K_COOKIE, K_LOG, K_JUDGES };

struct key {
    const char *name;
    enum kind kind;
    size_t offset;
    size_t size;            /* K_STRING: the array's size */
    int64_t min, max;       /* K_INT */
    const char *help;
};

#define STR(field, help) \
    K_STRING, offsetof(struct web_config, field), sizeof(((struct web_config *)0)->field), 0, 0, help
#define INT(field, lo, hi, help) K_INT, offsetof(struct web_config, field), 0, lo, hi, help

static const struct key keys[] = {
    { "listen", STR(listen, "ADDR:PORT to listen on (\"[::1]:8080\" for IPv6; port 0: any free port)") },
    { "data", STR(data_dir, "the data folder: database, blobs/, tmp/") },
    { "database", STR(database, "empty: SQLite in the data folder; a PostgreSQL connection string "
                                "(postgresql://... or host=... dbname=...): several servers share it") },
    { "user", STR(user, "started as root: the account to run as (default crucible, else nobody)") },
    { "languages", STR(languages, "the judge language table (default: the judge's)") },
    { "threads", INT(threads, 0, 256, "request threads; 0: one per CPU") },
    { "max_connections", INT(max_connections, 1, 100000, "open connections at most") },
    { "connection_timeout", INT(connection_timeout, 1, 3600, "seconds an idle connection stays open") },
    { "shutdown_grace", INT(shutdown_grace, 0, 600, "seconds SIGTERM waits for requests in flight") },
    { "session_hours", INT(session_hours, 1, 8760, "login session lifetime in hours") },
    { "lease_seconds", INT(lease_seconds, 5, WEB_LEASE_MAX, "a judge's lease on a job, in seconds") },
    { "login_max_failures", INT(login_max_failures, 1, 1000, "failed logins per account or address ...") },
    { "login_window", INT(login_window, 1, 86400, "... within this many seconds before 429") },
    { "cookie_secure", K_COOKIE, offsetof(struct web_config, cookie_secure), 0, 0, 0,
      "auto (Secure over HTTPS), yes or no" },
    { "trust_proxy", K_BOOL, offsetof(struct web_config, trust_proxy), 0, 0, 0,
      "yes: believe X-Forwarded-For and X-Forwarded-Proto (only behind a reverse proxy)" },
    { "log_level", K_LOG, offsetof(struct web_config, log_level), 0, 0, 0, "debug, info, warn, error or off" },
    { "ui_dir",
      STR(ui_dir, "the browser UI's files (default: the source tree's web/ui, else /usr/share/crucible/ui)") },
    { "judges", K_JUDGES, offsetof(struct web_config, judges), 0, 0, WEB_JUDGES_MAX,
      "started as root: judge workers run alongside (auto: one per CPU core; 0: none)" },
    { "max_jobs_per_user", INT(max_jobs_per_user, 0, 100000,
                               "judgings one user may have in progress at once (fair share); 0: no cap") },
    /* ops */
    { "metrics_token", STR(metrics_token, "a Bearer token that may read /metrics from anywhere (16 to 128 "
                                          "characters; loopback needs none)") },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const cookie_names[] = { "auto", "yes", "no" };
static const char *const log_names[] = { "debug", "info", "warn", "error", "off" };

void web_config_init(struct web_config *c)
{
    memset(c, 0, sizeof(*c));
    str_fmt(c->listen, sizeof(c->listen), "%s", WEB_DEFAULT_LISTEN);
    str_fmt(c->data_dir, sizeof(c->data_dir), "%s", WEB_DEFAULT_DATA_DIR);
    c->threads = 0;
    c->max_connections = 1024;
    c->connection_timeout = 60;
    c->shutdown_grace = 30;
    c->session_hours = 24;
    c->lease_seconds = 60;
    c->login_max_failures = 10;
    c->login_window = 900;
    c->cookie_secure = WEB_COOKIE_SECURE_AUTO;
    c->trust_proxy = 0;
    c->log_level = LOG_INFO;
    c->judges = -1;
    c->max_jobs_per_user = 2;       /* compute budgets */
}

static const struct key *find_key(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

int web_config_set(struct web_config *c, const char *name, const char *value, struct err *err)
{
    const struct key *k = find_key(name);
    char *field;
    if (!k)
        return err_set(err, ERR_INVALID, "unknown setting '%s'", name);
    field = (char *)c + k->offset;
    switch (k->kind) {
    case K_STRING:
        if (str_fmt(field, k->size, "%s", value) < 0)
            return err_set(err, ERR_LIMIT, "%s: longer than %zu bytes", name, k->size - 1);
        return 0;
    case K_INT: {
        int64_t v;
        if (parse_i64(value, k->min, k->max, &v) < 0)
            return err_set(err, ERR_INVALID, "%s: '%s' is not a whole number from %lld to %lld", name, value,
                           (long long)k->min, (long long)k->max);
        *(int *)(void *)field = (int)v;
        return 0;
    }
    case K_BOOL:
        if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "1"))
            *(int *)(void *)field = 1;
        else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "0"))
            *(int *)(void *)field = 0;
        else
            return err_set(err, ERR_INVALID, "%s: '%s' is not yes or no", name, value);
        return 0;
    case K_COOKIE:
        for (size_t i = 0; i < sizeof(cookie_names) / sizeof(cookie_names[0]); i++)
            if (!strcmp(value, cookie_names[i])) {
                *(enum web_cookie_secure *)(void *)field = (enum web_cookie_secure)i;
                return 0;
            }
        return err_set(err, ERR_INVALID, "%s: '%s' is not auto, yes or no", name, value);
    case K_JUDGES: {
        int64_t v;
        if (!strcmp(value, "auto"))
            v = -1;
        else if (parse_i64(value, 0, k->max, &v) < 0)
            return err_set(err, ERR_INVALID, "%s: '%s' is not auto or a whole number from 0 to %lld", name, value,
                           (long long)k->max);
        *(int *)(void *)field = (int)v;
        return 0;
    }
    case K_LOG: {
        enum log_level l;
        if (log_level_parse(value, &l) < 0)
            return err_set(err, ERR_INVALID, "%s: '%s' is not debug, info, warn, error or off", name, value);
        *(enum log_level *)(void *)field = l;
        return 0;
    }
    }
    return err_set(err, ERR_INVALID, "unknown setting '%s'", name);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

int web_config_parse(struct web_config *c, char *text, size_t len, const char *where, struct err *err)
{
    if (memchr(text, '\0', len))
        return err_set(err, ERR_INVALID, "'%s': not a text file", where);
    char *line = text;
    for (unsigned lineno = 1; line && *line; lineno++) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *s = trim(line);
        line = next;
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return err_set(err, ERR_INVALID, "%s:%u: expected 'key = value'", where, lineno);
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        struct err e;
        if (web_config_set(c, key, value, &e) < 0)
            return err_set(err, e.code, "%s:%u: %s", where, lineno, e.msg);
    }
    return 0;
}

int web_config_load_file(struct web_config *c, const char *path, struct err *err)
{
    struct buf text;
    int rc;
    buf_init(&text, 1 << 20);
    if ((rc = buf_read_file(&text, path, err)) == 0)
        rc = web_config_parse(c, text.buf, text.len, path, err);
    buf_release(&text);
    return rc;
}

int web_config_load_env(struct web_config *c, struct err *err)
{
    for (size_t i = 0; i < NKEYS; i++) {
        char var[64];
        size_t n = (size_t)snprintf(var, sizeof(var), "CRUCIBLE_");
        for (const char *p = keys[i].name; *p && n + 1 < sizeof(var); p++)
            var[n++] = (char)toupper((unsigned char)*p);
        var[n] = '\0';
        const char *v = getenv(var);
        if (!v)
            continue;
        struct err e;
        if (web_config_set(c, keys[i].name, v, &e) < 0)
            return err_set(err, e.code, "environment variable %s: %s", var, e.msg);
    }
    return 0;
}

int web_listen_parse(const char *s, struct sockaddr_storage *out, socklen_t *len, struct err *err)
{
    char host[128];
    const char *colon;
    int64_t port;
    memset(out, 0, sizeof(*out));
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return err_set(err, ERR_INVALID, "listen: '%s' is not [IPV6]:PORT", s);
        if ((size_t)(close - s - 1) >= sizeof(host))
            return err_set(err, ERR_INVALID, "listen: '%s': address too long", s);
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof(host))
            return err_set(err, ERR_INVALID, "listen: '%s' is not ADDR:PORT", s);
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    }
    if (parse_i64(colon + 1, 0, 65535, &port) < 0)
        return err_set(err, ERR_INVALID, "listen: '%s': bad port", s);
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*v6);
    } else {
        return err_set(err, ERR_INVALID, "listen: '%s' is not a numeric IPv4 or IPv6 address", host);
    }
    return 0;
}

int web_config_check(const struct web_config *c, struct err *err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (web_listen_parse(c->listen, &ss, &len, err) < 0)
        return ERR_INVALID;
    if (!c->data_dir[0])
        return err_set(err, ERR_INVALID, "data: missing");
    size_t mt = strlen(c->metrics_token);     /* ops */
    if (mt && mt < WEB_METRICS_TOKEN_MIN)
        return err_set(err, ERR_INVALID, "metrics_token: at least %d characters", WEB_METRICS_TOKEN_MIN);
    for (const char *p = c->metrics_token; *p; p++)
        if (*p <= ' ' || *p > '~')
            return err_set(err, ERR_INVALID, "metrics_token: visible ASCII characters only");
    for (const char *p = c->user; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
            return err_set(err, ERR_INVALID, "user: '%s' is not an account name", c->user);
    return 0;
}

/* A database connection string may hold a password: key=value's
 * password=, or a URI's user:password@. */
static int has_password(const char *s)
{
    const char *scheme = strstr(s, "://");
    if (strstr(s, "password"))
        return 1;
    if (!scheme)
        return 0;
    const char *at = strchr(scheme + 3, '@');
    const char *colon = strchr(scheme + 3, ':');
    return at && colon && colon < at;
}

int web_config_format(const struct web_config *c, struct buf *out)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key *k = &keys[i];
        const char *field = (const char *)c + k->offset;
        int rc = 0;
        switch (k->kind) {
        case K_STRING:      /* ops: the metrics token is a secret, and so is a database password */
            rc = buf_addf(out, "%s = %s\n", k->name,
                          field[0] && !strcmp(k->name, "metrics_token")                   ? "(set)"
                          : !strcmp(k->name, "database") && has_password(field) ? "(set; it holds a password)"
                                                                                  : field);
            break;
        case K_INT: rc = buf_addf(out, "%s = %d\n", k->name, *(const int *)(const void *)field); break;
        case K_BOOL: rc = buf_addf(out, "%s = %s\n", k->name, *(const int *)(const void *)field ? "yes" : "no"); break;
        case K_COOKIE: {
            enum web_cookie_secure v = *(const enum web_cookie_secure *)(const void *)field;
            rc = buf_addf(out, "%s = %s\n", k->name, cookie_names[v]);
            break;
        }
        case K_LOG:
            rc = buf_addf(out, "%s = %s\n", k->name, log_names[*(const enum log_level *)(const void *)field]);
            break;
        case K_JUDGES: {
            int v = *(const int *)(const void *)field;
            rc = v < 0 ? buf_addf(out, "%s = auto\n", k->name) : buf_addf(out, "%s = %d\n", k->name, v);
            break;
        }
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int web_config_help(struct buf *out)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (buf_addf(out, "  %-20s %s\n", keys[i].name, keys[i].help) < 0)
            return ERR_LIMIT;
    return 0;
}
