/*
 * static.c: the browser UI's files (web/ui: index.html, CSS, JavaScript
 * modules, message catalogues) and the Debian JavaScript libraries it uses
 * (KaTeX, CodeMirror 5, Chart.js), served by crucible serve. docs/ui.md says
 * how the UI is built; docs/api.md lists the paths and their cache rules.
 *
 * How a path becomes a file: the part after /ui/ or /vendor/NAME/ must be
 * plain segments of [A-Za-z0-9._+@-], none empty or starting with '.', so
 * "..", hidden files, backslashes, '%' and NUL never get as far as the file
 * system. Then the file's real path (links resolved) must lie inside its
 * root (or, for a library, a folder its Debian package links to), it must be
 * a regular file, and its name must end in a known type; anything else is a
 * 404. UI files are revalidated on every use (no-cache, ETag and
 * Last-Modified, 304 when unchanged); library files change only with their
 * package, so they are cached for a year.
 */
#include "web_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STATIC_REL_MAX 200                  /* bytes of a path below its root */
#define STATIC_UI_INSTALLED "/usr/share/crucible/ui"

struct vendor {
    const char *name;                       /* /vendor/NAME/... */
    const char *dir;                        /* where Debian installs it */
    const char *also;                       /* a folder its package links into, or NULL */
};

static const struct vendor vendors[] = {
    { "katex", "/usr/share/javascript/katex", "/usr/share/fonts/truetype/katex" },
    { "codemirror", "/usr/share/javascript/codemirror", NULL },
    { "chart.js", "/usr/share/javascript/chart.js", NULL },
};

struct mime {
    const char *ext;
    const char *type;
};

static const struct mime mimes[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".json", "application/json" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".ico", "image/x-icon" },
    { ".woff2", "font/woff2" },
    { ".woff", "font/woff" },
    { ".ttf", "font/ttf" },
    { ".txt", "text/plain; charset=utf-8" },
};

enum cache { CACHE_REVALIDATE, CACHE_IMMUTABLE };

const char *web_static_ui_default(void)
{
    static const char source[] = CRUCIBLE_SOURCE_DIR "/web/ui";
    struct stat st;
    if (stat(source, &st) == 0 && S_ISDIR(st.st_mode))
        return source;
    return STATIC_UI_INSTALLED;
}

static const char *ui_root(const struct web_req *r)
{
    return r->srv->cfg->ui_dir[0] ? r->srv->cfg->ui_dir : web_static_ui_default();
}

/* The checks on the path below a root (see the top of the file). */
static int rel_valid(const char *rel)
{
    size_t n = strlen(rel);
    if (n == 0 || n > STATIC_REL_MAX)
        return 0;
    for (const char *seg = rel; *seg;) {
        size_t len = strcspn(seg, "/");
        if (len == 0 || seg[0] == '.')
            return 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)seg[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-' || c == '+' || c == '@'))
                return 0;
        }
        seg += len;
        if (*seg == '/') {
            seg++;
            if (!*seg)
                return 0;       /* a trailing slash names a folder */
        }
    }
    return 1;
}

static const char *mime_of(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++) {
        size_t el = strlen(mimes[i].ext);
        if (n > el && !strcmp(path + n - el, mimes[i].ext))
            return mimes[i].type;
    }
    return NULL;
}

/* real lies in the real path of dir (dir itself excluded). */
static int inside(const char *real, const char *dir)
{
    char rdir[PATH_MAX];
    if (!dir || !realpath(dir, rdir))
        return 0;
    size_t n = strlen(rdir);
    return strncmp(real, rdir, n) == 0 && real[n] == '/';
}

/* A strong validator: the file's inode, size and modification time. */
static void etag_of(const struct stat *st, char *out, size_t size)
{
    str_fmt(out, size, "\"%llx-%llx-%llx\"", (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
            (unsigned long long)st->st_mtim.tv_sec * 1000000000ull + (unsigned long long)st->st_mtim.tv_nsec);
}

static void set_cache(struct web_req *r, enum cache c, const struct stat *st)
{
    char etag[80], date[64];
    struct tm tm;
    MHD_del_response_header(r->resp, "Cache-Control", "no-store");
    if (c == CACHE_IMMUTABLE) {
        web_reply_header(r, "Cache-Control", "public, max-age=31536000, immutable");
        return;
    }
    web_reply_header(r, "Cache-Control", "no-cache");
    etag_of(st, etag, sizeof(etag));
    web_reply_header(r, "ETag", etag);
    if (gmtime_r(&st->st_mtim.tv_sec, &tm) && strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm))
        web_reply_header(r, "Last-Modified", date);
}

/* If-None-Match (RFC 9110 13.1.2): "*", or a comma-separated list of
 * entity tags compared weakly (a W/ prefix is ignored). */
static int etag_listed(const char *list, const char *etag)
{
    size_t n = strlen(etag);
    for (const char *p = list; *p;) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return 1;
        if (!strncmp(p, "W/", 2))
            p += 2;
        if (!strncmp(p, etag, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
            return 1;
        p += strcspn(p, ",");
    }
    return 0;
}

/* The request's validators match the file: answer 304. If-None-Match,
 * when present, decides alone. */
static int not_modified(struct web_req *r, const struct stat *st)
{
    char etag[80], date[64];
    struct tm tm;
    const char *inm = web_req_header(r, "If-None-Match");
    const char *ims = web_req_header(r, "If-Modified-Since");
    etag_of(st, etag, sizeof(etag));
    if (inm)
        return etag_listed(inm, etag);
    if (ims && gmtime_r(&st->st_mtim.tv_sec, &tm) &&
        strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm))
        return strcmp(ims, date) == 0;
    return 0;
}

/* Serves root/rel (also: a second folder its links may lead into). */
static void serve_file(struct web_req *r, const char *root, const char *also, const char *rel, enum cache c)
{
    char path[PATH_MAX], real[PATH_MAX];
    const char *type = mime_of(rel);
    struct stat st;
    if (!rel_valid(rel) || !type || str_fmt(path, sizeof(path), "%s/%s", root, rel) < 0 || !realpath(path, real) ||
        !(inside(real, root) || inside(real, also))) {
        web_reply_error(r, 404, "not_found", "no such file");
        return;
    }
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        web_reply_error(r, 404, "not_found", "no such file");
        return;
    }
    if (c == CACHE_REVALIDATE && not_modified(r, &st)) {
        close(fd);
        web_reply_empty(r, MHD_HTTP_NOT_MODIFIED);
    } else {
        web_reply_fd(r, 200, fd, (uint64_t)st.st_size, type);   /* takes fd */
        if (r->status != 200)
            return;
    }
    set_cache(r, c, &st);
}

static void static_page(struct web_req *r, struct web_store *s)
{
    (void)s;
    serve_file(r, ui_root(r), NULL, "index.html", CACHE_REVALIDATE);
}

static void static_ui(struct web_req *r, struct web_store *s)
{
    (void)s;
    serve_file(r, ui_root(r), NULL, r->path + strlen("/ui/"), CACHE_REVALIDATE);
}

static void static_vendor(struct web_req *r, struct web_store *s)
{
    (void)s;
    const char *rest = r->path + strlen("/vendor/");
    for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++) {
        size_t n = strlen(vendors[i].name);
        if (!strncmp(rest, vendors[i].name, n) && rest[n] == '/') {
            serve_file(r, vendors[i].dir, vendors[i].also, rest + n + 1, CACHE_IMMUTABLE);
            return;
        }
    }
    web_reply_error(r, 404, "not_found", "no such file");
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decoded, "%00" would end the path where it stands ("/ui/app.js%00.png"
 * would be "/ui/app.js"); left as it is, its '%' makes the path no file,
 * no page and no API route (404). */
size_t web_url_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (const char *p = s; *p; p++) {
        int hi = p[0] == '%' ? hex_digit(p[1]) : -1, lo = hi >= 0 ? hex_digit(p[2]) : -1;
        if (lo >= 0 && (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static const struct web_route route_page = { "GET", "/", static_page, WEB_AUTH_NONE, WEB_BODY_NONE, 0, NULL, NULL, 0 };
static const struct web_route route_ui = { "GET", "/ui/", static_ui, WEB_AUTH_NONE, WEB_BODY_NONE, 0, NULL, NULL, 0 };
static const struct web_route route_vendor = { "GET", "/vendor/", static_vendor, WEB_AUTH_NONE, WEB_BODY_NONE, 0,
                                               NULL, NULL, 0 };

const struct web_route *web_static_route(const char *url, const char *method)
{
    size_t n = strlen(url);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return NULL;
    /* r->path keeps at most 255 bytes of the URL: longer ones are no file
     * of ours, and the handlers read the path from there. */
    if (n == 0 || n > STATIC_REL_MAX + 32 || url[0] != '/')
        return NULL;
    if (!strncmp(url, "/ui/", 4))
        return &route_ui;
    if (!strncmp(url, "/vendor/", 8))
        return &route_vendor;
    if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api") || !strcmp(url, "/healthz"))
        return NULL;
    /* A page of the UI (its router reads the path, e.g. /users/ann.lee):
     * segments of [A-Za-z0-9._-], none empty or starting with '.', the last
     * not named like a file of a known type (/favicon.ico, /x/app.js). */
    for (const char *p = url; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '/' ? p[1] == '/' || p[1] == '.' : !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                                     (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return NULL;
    }
    return mime_of(url) ? NULL : &route_page;
}
