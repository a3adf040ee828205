/*
 * backup.c: `crucible backup` and `crucible restore`. A backup is a folder:
 * the database copied online (SQLite's backup API, while the server keeps
 * writing), the blobs copied and verified against their names, and a
 * manifest with counts, sizes and hashes; a restore verifies all of it before
 * it touches the data folder, then checks the database it made.
 *
 * How this works: the database is copied first and the blobs second. A blob
 * is written (and renamed into place) before any row that names it commits,
 * so every blob the copied database refers to is in blobs/ by the time it is
 * walked; blobs that arrive later are copied too and harm nothing. Blobs are
 * immutable and named by their hash, so a copy is verified by hashing it.
 */
#include "web_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TRY_RC(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

#define MANIFEST "manifest.json"
#define MANIFEST_FORMAT "crucible-backup"
#define MANIFEST_VERSION 1
#define MANIFEST_MAX ((size_t)1 << 20)

/* What a backup holds, as its manifest tells it. */
struct summary {
    int64_t schema_version;
    char db_hash[WEB_HASH_HEX + 1];
    int64_t db_bytes;
    int64_t blobs, blob_bytes, damaged;
    struct web_ops_stats stats;
};

/* ---- files ------------------------------------------------------------------------------------------- */

/* 1 when dir exists and holds anything, 0 when it is empty or missing, -1 on error. */
static int dir_nonempty(const char *dir, struct err *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return err_sys(err, "cannot open '%s'", dir);
    }
    struct dirent *de;
    int found = 0;
    while (!found && (de = readdir(d)))
        found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return found;
}

/* Copies src to dst (created, 0640; it must not exist), hashing what it
 * copies into hex, and syncs dst. *bytes gets the size. */
static int copy_file(const char *src, const char *dst, char hex[WEB_HASH_HEX + 1], int64_t *bytes,
                     struct err *err)
{
    char chunk[65536];
    crypto_generichash_state h;
    unsigned char bin[32];
    int rc = 0, in = open(src, O_RDONLY | O_CLOEXEC), out = -1;
    *bytes = 0;
    if (in < 0)
        return err_sys(err, "cannot open '%s'", src);
    out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (out < 0) {
        rc = err_sys(err, "cannot create '%s'", dst);
        goto out;
    }
    crypto_generichash_init(&h, NULL, 0, sizeof(bin));
    for (;;) {
        ssize_t n = read(in, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_sys(err, "cannot read '%s'", src);
            goto out;
        }
        if (n == 0)
            break;
        crypto_generichash_update(&h, (const unsigned char *)chunk, (unsigned long long)n);
        if (web_write_all(out, chunk, (size_t)n) < 0) {
            rc = err_sys(err, "cannot write '%s'", dst);
            goto out;
        }
        *bytes += n;
    }
    if (fsync(out) < 0)
        rc = err_sys(err, "cannot sync '%s'", dst);
    crypto_generichash_final(&h, bin, sizeof(bin));
    sodium_bin2hex(hex, WEB_HASH_HEX + 1, bin, sizeof(bin));
out:
    if (out >= 0 && close(out) < 0 && rc == 0)
        rc = err_sys(err, "cannot close '%s'", dst);
    close(in);
    if (rc < 0 && out >= 0)
        unlink(dst);
    return rc;
}

static int hash_file(const char *path, char hex[WEB_HASH_HEX + 1], int64_t *bytes, struct err *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot open '%s'", path);
    int rc = fstat(fd, &st) < 0 ? err_sys(err, "cannot stat '%s'", path) : web_blob_hash_fd(fd, hex, err);
    *bytes = (int64_t)st.st_size;
    close(fd);
    return rc;
}

/* ---- blobs ---------------------------------------------------------------------------------------------
 * Calls fn for each blob file under root/blobs (blobs/ab/cdef..., the name
 * being the hash); other files (a writer's .tmp-*) are passed over. */
typedef int (*blob_fn)(const char *path, const char *hex, void *ctx, struct err *err);

static int blobs_walk(const char *root, blob_fn fn, void *ctx, struct err *err)
{
    char dir[PATH_MAX];
    if (str_fmt(dir, sizeof(dir), "%s/blobs", root) < 0)
        return err_set(err, ERR_LIMIT, "path '%s' is too long", root);
    DIR *top = opendir(dir);
    if (!top)
        return errno == ENOENT ? 0 : err_sys(err, "cannot open '%s'", dir);
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(top))) {
        char sub[PATH_MAX];
        if (strlen(de->d_name) != 2 || str_fmt(sub, sizeof(sub), "%s/%s", dir, de->d_name) < 0)
            continue;
        DIR *d = opendir(sub);
        if (!d) {
            rc = errno == ENOTDIR ? 0 : err_sys(err, "cannot open '%s'", sub);
            continue;
        }
        struct dirent *fe;
        while (rc == 0 && (fe = readdir(d))) {
            char hex[WEB_HASH_HEX + 1], path[PATH_MAX];
            if (str_fmt(hex, sizeof(hex), "%s%s", de->d_name, fe->d_name) < 0 || !web_hash_valid(hex) ||
                str_fmt(path, sizeof(path), "%s/%s", sub, fe->d_name) < 0)
                continue;
            rc = fn(path, hex, ctx, err);
        }
        closedir(d);
    }
    closedir(top);
    return rc;
}

struct blob_copy {
    const char *dest;                       /* the root the blobs go to; NULL: only verify */
    struct summary *sum;
    int strict;                             /* a damaged blob fails (restore) or is left out (backup) */
};

static int blob_one(const char *path, const char *hex, void *ctx, struct err *err)
{
    struct blob_copy *c = ctx;
    char got[WEB_HASH_HEX + 1], dir[PATH_MAX], dst[PATH_MAX];
    int64_t bytes = 0;
    int rc;
    if (!c->dest) {
        rc = hash_file(path, got, &bytes, err);
    } else {
        if (str_fmt(dir, sizeof(dir), "%s/blobs/%.2s", c->dest, hex) < 0 ||
            str_fmt(dst, sizeof(dst), "%s/%s", dir, hex + 2) < 0)
            return err_set(err, ERR_LIMIT, "path '%s' is too long", c->dest);
        if (mkdir(dir, 0750) < 0 && errno != EEXIST)
            return err_sys(err, "cannot create '%s'", dir);
        rc = copy_file(path, dst, got, &bytes, err);
        if (rc == 0 && strcmp(got, hex) != 0)
            unlink(dst);
    }
    if (rc < 0)
        return rc;
    if (strcmp(got, hex) != 0) {
        if (c->strict)
            return err_set(err, WEB_STORE_CORRUPT, "blob '%s' is damaged: its content hashes to '%s'", hex, got);
        fprintf(stderr, "crucible backup: warning: blob '%s' is damaged (its content hashes to '%s'): left out\n",
                hex, got);
        c->sum->damaged++;
        return 0;
    }
    c->sum->blobs++;
    c->sum->blob_bytes += bytes;
    return 0;
}

/* ---- the manifest ---------------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    size_t offset;
} counts[] = {
    { "users", offsetof(struct web_ops_stats, users) },
    { "problems", offsetof(struct web_ops_stats, problems) },
    { "contests", offsetof(struct web_ops_stats, contests) },
    { "submissions", offsetof(struct web_ops_stats, submissions) },
    { "judgings", offsetof(struct web_ops_stats, judgings) },
};
#define NCOUNTS (sizeof(counts) / sizeof(counts[0]))

static int64_t *count_of(struct web_ops_stats *st, size_t i)
{
    return (int64_t *)(void *)((char *)st + counts[i].offset);
}

static int manifest_write(const char *dest, struct summary *sum, struct err *err)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    if (str_fmt(path, sizeof(path), "%s/" MANIFEST, dest) < 0 || str_fmt(tmp, sizeof(tmp), "%s.tmp", path) < 0)
        return err_set(err, ERR_LIMIT, "path '%s' is too long", dest);
    cJSON *o = cJSON_CreateObject(), *db = cJSON_CreateObject(), *bl = cJSON_CreateObject(),
          *co = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "format", MANIFEST_FORMAT);
    cJSON_AddNumberToObject(o, "version", MANIFEST_VERSION);
    web_json_add_i64(o, "created_at", (int64_t)time(NULL));
    web_json_add_i64(o, "schema_version", sum->schema_version);
    cJSON_AddStringToObject(db, "file", "crucible.db");
    web_json_add_i64(db, "bytes", sum->db_bytes);
    cJSON_AddStringToObject(db, "blake2b", sum->db_hash);
    cJSON_AddItemToObject(o, "database", db);
    web_json_add_i64(bl, "count", sum->blobs);
    web_json_add_i64(bl, "bytes", sum->blob_bytes);
    web_json_add_i64(bl, "damaged_left_out", sum->damaged);
    cJSON_AddItemToObject(o, "blobs", bl);
    for (size_t i = 0; i < NCOUNTS; i++)
        web_json_add_i64(co, counts[i].name, *count_of(&sum->stats, i));
    cJSON_AddItemToObject(o, "counts", co);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    int rc = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        rc = err_sys(err, "cannot create '%s'", tmp);
    } else {
        if (web_write_all(fd, text, strlen(text)) < 0 || web_write_all(fd, "\n", 1) < 0 || fsync(fd) < 0)
            rc = err_sys(err, "cannot write '%s'", tmp);
        if (close(fd) < 0 && rc == 0)
            rc = err_sys(err, "cannot close '%s'", tmp);
        if (rc == 0 && rename(tmp, path) < 0)
            rc = err_sys(err, "cannot rename '%s'", tmp);
        if (rc < 0)
            unlink(tmp);
    }
    free(text);
    return rc;
}

static int json_i64(const cJSON *o, const char *name, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0 ||
        v->valuedouble != (double)(int64_t)v->valuedouble)
        return -1;
    *out = (int64_t)v->valuedouble;
    return 0;
}

static int manifest_read(const char *from, struct summary *sum, struct err *err)
{
    char path[PATH_MAX];
    struct buf b;
    int rc = 0;
    memset(sum, 0, sizeof(*sum));
    if (str_fmt(path, sizeof(path), "%s/" MANIFEST, from) < 0)
        return err_set(err, ERR_LIMIT, "path '%s' is too long", from);
    buf_init(&b, MANIFEST_MAX);
    if ((rc = buf_read_file(&b, path, err)) < 0) {
        buf_release(&b);
        return rc;
    }
    cJSON *o = cJSON_ParseWithLength(b.buf, b.len);
    buf_release(&b);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(o, "format");
    const cJSON *db = cJSON_GetObjectItemCaseSensitive(o, "database");
    const cJSON *bl = cJSON_GetObjectItemCaseSensitive(o, "blobs");
    const cJSON *co = cJSON_GetObjectItemCaseSensitive(o, "counts");
    const cJSON *hash = cJSON_GetObjectItemCaseSensitive(db, "blake2b");
    int64_t version = 0;
    if (!cJSON_IsObject(o) || !cJSON_IsString(fmt) || strcmp(fmt->valuestring, MANIFEST_FORMAT) != 0 ||
        json_i64(o, "version", &version) < 0) {
        rc = err_set(err, ERR_INVALID, "'%s' is not a crucible backup manifest", path);
        goto out;
    }
    if (version != MANIFEST_VERSION) {
        rc = err_set(err, ERR_UNSUPPORTED, "'%s': backup format version %lld is not %d", path, (long long)version,
                     MANIFEST_VERSION);
        goto out;
    }
    if (json_i64(o, "schema_version", &sum->schema_version) < 0 || !cJSON_IsString(hash) ||
        !web_hash_valid(hash->valuestring) || json_i64(db, "bytes", &sum->db_bytes) < 0 ||
        json_i64(bl, "count", &sum->blobs) < 0 || json_i64(bl, "bytes", &sum->blob_bytes) < 0) {
        rc = err_set(err, ERR_INVALID, "'%s': a field is missing or malformed", path);
        goto out;
    }
    str_fmt(sum->db_hash, sizeof(sum->db_hash), "%s", hash->valuestring);
    for (size_t i = 0; i < NCOUNTS; i++)
        if (json_i64(co, counts[i].name, count_of(&sum->stats, i)) < 0) {
            rc = err_set(err, ERR_INVALID, "'%s': counts.%s is missing or malformed", path, counts[i].name);
            goto out;
        }
out:
    cJSON_Delete(o);
    return rc;
}

/* ---- crucible backup ---------------------------------------------------------------------------------------- */

static const char backup_usage[] =
    "usage: crucible backup [--data=DIR] --out=DEST\n"
    "       crucible restore --from=DEST [--data=DIR] [--force]\n"
    "  backup   copies the data folder into DEST (new or empty) while the server\n"
    "           runs: the database (SQLite's online backup), the blobs (each\n"
    "           verified against its hash; a damaged one is left out, with a\n"
    "           warning and exit status 1) and DEST/" MANIFEST " (counts, sizes,\n"
    "           hashes, the schema version).\n"
    "  restore  verifies DEST (the manifest, the database's hash, every blob's hash)\n"
    "           and only then copies it into DIR, which must be empty or missing\n"
    "           (--force: its database, blobs/ and tmp/ are replaced), and runs\n"
    "           the database's integrity check. Stop the server first.\n"
    "DIR defaults to $CRUCIBLE_DATA, else " WEB_DEFAULT_DATA_DIR ". Exit status: 0 done, 1 failed, 2 usage.\n";

struct args {
    const char *data, *out, *from;
    int force;
};

static int args_parse(int argc, char **argv, const char *cmd, struct args *a)
{
    enum { O_DATA = 1, O_OUT, O_FROM, O_FORCE, O_HELP };
    static const struct option opts[] = {
        { "data", required_argument, NULL, O_DATA }, { "out", required_argument, NULL, O_OUT },
        { "from", required_argument, NULL, O_FROM }, { "force", no_argument, NULL, O_FORCE },
        { "help", no_argument, NULL, O_HELP }, { NULL, 0, NULL, 0 },
    };
    int c;
    memset(a, 0, sizeof(*a));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_DATA: a->data = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_FROM: a->from = optarg; break;
        case O_FORCE: a->force = 1; break;
        case O_HELP: fputs(backup_usage, stdout); return 1;
        default:
            fprintf(stderr, "crucible %s: unknown option or missing value: %s\n%s", cmd, argv[optind - 1],
                    backup_usage);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "crucible %s: unexpected argument '%s'\n%s", cmd, argv[optind], backup_usage);
        return -1;
    }
    if (!a->data) {
        const char *env = getenv("CRUCIBLE_DATA");
        a->data = env && *env ? env : WEB_DEFAULT_DATA_DIR;
    }
    return 0;
}

static int backup_run(const char *data, const char *dest, struct summary *sum, struct err *err)
{
    char src_db[PATH_MAX], dst_db[PATH_MAX], blobs[PATH_MAX];
    struct web_store *s = NULL;
    struct stat st;
    int rc;
    if (str_fmt(src_db, sizeof(src_db), "%s/crucible.db", data) < 0 ||
        str_fmt(dst_db, sizeof(dst_db), "%s/crucible.db", dest) < 0 ||
        str_fmt(blobs, sizeof(blobs), "%s/blobs", dest) < 0)
        return err_set(err, ERR_LIMIT, "a path is too long");
    if (stat(src_db, &st) < 0)
        return err_sys(err, "no database in the data folder: '%s'", src_db);
    if ((rc = dir_nonempty(dest, err)) != 0)
        return rc < 0 ? rc : err_set(err, ERR_INVALID, "'%s' is not empty: back up into a new folder", dest);
    if ((mkdir(dest, 0750) < 0 && errno != EEXIST) || (mkdir(blobs, 0750) < 0 && errno != EEXIST))
        return err_sys(err, "cannot create '%s'", blobs);
    /* the database first (see the note at the top) */
    if ((rc = web_store_open(data, &s, err)) < 0 || (rc = web_store_backup(s, dst_db, err)) < 0)
        goto out;
    web_store_close(s);
    s = NULL;
    struct blob_copy bc = { dest, sum, 0 };
    if ((rc = blobs_walk(data, blob_one, &bc, err)) < 0)
        goto out;
    /* The copy is checked and counted where it lies: what the manifest says is what a restore gets. */
    if ((rc = web_store_open(dest, &s, err)) < 0 || (rc = web_store_check(s, err)) < 0 ||
        (rc = web_store_schema_version(s, &sum->schema_version, err)) < 0 ||
        (rc = web_store_ops_stats(s, &sum->stats, err)) < 0)
        goto out;
    web_store_close(s);
    s = NULL;
    if ((rc = hash_file(dst_db, sum->db_hash, &sum->db_bytes, err)) < 0)
        goto out;
    int dfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        syncfs(dfd);                        /* the blobs, in one go */
        close(dfd);
    }
    rc = manifest_write(dest, sum, err);
out:
    web_store_close(s);
    return rc;
}

int cmd_backup(int argc, char **argv)
{
    struct args a;
    struct summary sum;
    struct err err = { 0 };
    int p = args_parse(argc, argv, "backup", &a);
    if (p != 0)
        return p > 0 ? 0 : 2;
    if (!a.out || a.from || a.force) {
        fprintf(stderr, "crucible backup: give --out=DEST (and no --from or --force)\n%s", backup_usage);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "crucible backup: cannot initialise libsodium\n");
        return 1;
    }
    memset(&sum, 0, sizeof(sum));
    if (backup_run(a.data, a.out, &sum, &err) < 0) {
        fprintf(stderr, "crucible backup: %s\n", err.msg);
        return 1;
    }
    printf("backed up %s to %s: schema version %lld, %lld users, %lld problems, %lld contests, %lld submissions, "
           "%lld blobs (%lld bytes)\n",
           a.data, a.out, (long long)sum.schema_version, (long long)sum.stats.users, (long long)sum.stats.problems,
           (long long)sum.stats.contests, (long long)sum.stats.submissions, (long long)sum.blobs,
           (long long)sum.blob_bytes);
    if (sum.damaged) {
        fprintf(stderr, "crucible backup: %lld damaged blob(s) left out (see the warnings above)\n",
                (long long)sum.damaged);
        return 1;
    }
    return 0;
}

/* ---- crucible restore ------------------------------------------------------------------------------------------ */

/* Everything in the backup against its manifest, before DIR is touched. */
static int restore_verify(const char *from, const struct summary *want, struct err *err)
{
    char db[PATH_MAX], hex[WEB_HASH_HEX + 1];
    int64_t bytes;
    struct summary got;
    memset(&got, 0, sizeof(got));
    if (str_fmt(db, sizeof(db), "%s/crucible.db", from) < 0)
        return err_set(err, ERR_LIMIT, "path '%s' is too long", from);
    TRY_RC(hash_file(db, hex, &bytes, err));
    if (strcmp(hex, want->db_hash) != 0 || bytes != want->db_bytes)
        return err_set(err, WEB_STORE_CORRUPT, "'%s' does not match the manifest (%lld bytes hashing to '%s', "
                                               "not %lld bytes hashing to '%s')",
                       db, (long long)bytes, hex, (long long)want->db_bytes, want->db_hash);
    struct blob_copy bc = { NULL, &got, 1 };
    TRY_RC(blobs_walk(from, blob_one, &bc, err));
    if (got.blobs != want->blobs || got.blob_bytes != want->blob_bytes)
        return err_set(err, WEB_STORE_CORRUPT, "the backup holds %lld blobs (%lld bytes), the manifest says %lld "
                                               "(%lld bytes)",
                       (long long)got.blobs, (long long)got.blob_bytes, (long long)want->blobs,
                       (long long)want->blob_bytes);
    return 0;
}

/* --force: what a restore replaces in DIR (nothing else there is touched). */
static int restore_clear(const char *data, struct err *err)
{
    static const char *const parts[] = { "crucible.db", "crucible.db-wal", "crucible.db-shm", "blobs", "tmp" };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        char path[PATH_MAX];
        if (str_fmt(path, sizeof(path), "%s/%s", data, parts[i]) < 0)
            return err_set(err, ERR_LIMIT, "path '%s' is too long", data);
        if (web_rmtree(path) < 0)
            return err_sys(err, "cannot remove '%s'", path);
    }
    return 0;
}

static int restore_run(const char *from, const char *data, int force, struct err *err)
{
    char src_db[PATH_MAX], dst_db[PATH_MAX], tmp_db[PATH_MAX], hex[WEB_HASH_HEX + 1];
    struct summary want, got;
    struct web_store *s = NULL;
    int64_t bytes, version;
    int rc;
    memset(&got, 0, sizeof(got));
    if (str_fmt(src_db, sizeof(src_db), "%s/crucible.db", from) < 0 ||
        str_fmt(dst_db, sizeof(dst_db), "%s/crucible.db", data) < 0 ||
        str_fmt(tmp_db, sizeof(tmp_db), "%s/crucible.db.restoring", data) < 0)
        return err_set(err, ERR_LIMIT, "a path is too long");
    TRY_RC(manifest_read(from, &want, err));
    TRY_RC(restore_verify(from, &want, err));
    if ((rc = dir_nonempty(data, err)) < 0)
        return rc;
    if (rc > 0 && !force)
        return err_set(err, ERR_INVALID, "'%s' is not empty: restore into a new folder, or give --force to replace "
                                         "its database and blobs", data);
    if (rc > 0)
        TRY_RC(restore_clear(data, err));
    if ((mkdir(data, 0750) < 0 && errno != EEXIST) || str_fmt(dst_db, sizeof(dst_db), "%s/blobs", data) < 0 ||
        (mkdir(dst_db, 0750) < 0 && errno != EEXIST))
        return err_sys(err, "cannot create '%s'", dst_db);
    if (str_fmt(dst_db, sizeof(dst_db), "%s/crucible.db", data) < 0)
        return err_set(err, ERR_LIMIT, "a path is too long");
    /* The blobs, then the database under its name: a restore that stops
     * half-way leaves no database that looks whole. */
    struct blob_copy bc = { data, &got, 1 };
    TRY_RC(blobs_walk(from, blob_one, &bc, err));
    unlink(tmp_db);
    TRY_RC(copy_file(src_db, tmp_db, hex, &bytes, err));
    if (strcmp(hex, want.db_hash) != 0) {
        unlink(tmp_db);
        return err_set(err, WEB_STORE_CORRUPT, "'%s' changed while it was copied", src_db);
    }
    if (rename(tmp_db, dst_db) < 0)
        return err_sys(err, "cannot rename '%s'", tmp_db);
    if ((rc = web_store_open(data, &s, err)) < 0 || (rc = web_store_check(s, err)) < 0 ||
        (rc = web_store_schema_version(s, &version, err)) < 0 || (rc = web_store_ops_stats(s, &got.stats, err)) < 0)
        goto out;
    for (size_t i = 0; i < NCOUNTS; i++)
        if (*count_of(&got.stats, i) != *count_of(&want.stats, i)) {
            rc = err_set(err, WEB_STORE_CORRUPT, "the restored database has %lld %s, the manifest says %lld",
                         (long long)*count_of(&got.stats, i), counts[i].name, (long long)*count_of(&want.stats, i));
            goto out;
        }
    printf("restored %s into %s: schema version %lld (backup: %lld), %lld users, %lld submissions, %lld blobs; "
           "integrity check ok\n",
           from, data, (long long)version, (long long)want.schema_version, (long long)got.stats.users,
           (long long)got.stats.submissions, (long long)got.blobs);
out:
    web_store_close(s);
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    struct args a;
    struct err err = { 0 };
    int p = args_parse(argc, argv, "restore", &a);
    if (p != 0)
        return p > 0 ? 0 : 2;
    if (!a.from || a.out) {
        fprintf(stderr, "crucible restore: give --from=DEST (and no --out)\n%s", backup_usage);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "crucible restore: cannot initialise libsodium\n");
        return 1;
    }
    if (restore_run(a.from, a.data, a.force, &err) < 0) {
        fprintf(stderr, "crucible restore: %s\n", err.msg);
        return 1;
    }
    return 0;
}
