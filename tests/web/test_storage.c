/*
 * test_storage.c: unit.web.storage_{migrations,entities,limits,blobs,
 * shared_wal}: the schema is created from nothing and re-opened unchanged, a
 * newer or broken schema is refused, every entity survives a round trip,
 * limits are enforced before SQL runs, the blob store finds damaged blobs,
 * and several stores in one process keep the database theirs while another
 * process comes and goes. With CRUCIBLE_TEST_PG set (storage_fixture.h) the
 * same checks run on PostgreSQL; what only SQLite has (the file, its
 * journal) is checked there through libpq or skipped with a note, and
 * shared_db checks that two data folders on one database share everything.
 * `web_storage_tests NAME`.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "storage_fixture.h"

/* Migrations in this build (web/storage_sql.c): a new one changes this. */
#define SCHEMA_LATEST 13

/* One value from a query run on PostgreSQL's current test database, behind
 * the store's back; -1 if there is none. */
static int64_t pg_i64(const char *sql)
{
    PGconn *c = fixture_pg_connect(getenv("CRUCIBLE_DATABASE"), NULL);
    int64_t v = -1;
    if (!c)
        return -1;
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return v;
}

/* One value from a query run on the database directly, behind the store's
 * back: the file in dir, or in PostgreSQL mode the test's database. */
static int64_t raw_i64(const char *dir, const char *sql)
{
    if (fixture_pg())
        return pg_i64(sql);
    char path[512];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    snprintf(path, sizeof(path), "%s/crucible.db", dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* 0 (SQLITE_OK) when sql ran. */
static int raw_exec(const char *dir, const char *sql)
{
    if (fixture_pg())
        return fixture_pg_exec(getenv("CRUCIBLE_DATABASE"), NULL, sql);
    char path[512];
    sqlite3 *db = NULL;
    snprintf(path, sizeof(path), "%s/crucible.db", dir);
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static int test_migrations(void)
{
    char dir[256], sub[300];
    struct err err;
    int64_t v = 0;
    struct web_store *s = NULL;

    CHECK_SECTION("from empty: the data folder, blobs/ and the schema appear");
    fixture_tmpdir(dir);
    snprintf(sub, sizeof(sub), "%s/data", dir);
    CHECK_INT(web_store_open(sub, &s, &err), ==, 0);
    CHECK_STR(web_store_engine(s), fixture_engine());
    CHECK_INT(web_store_schema_version(s, &v, &err), ==, 0);
    CHECK_INT(v, ==, SCHEMA_LATEST);
    CHECK_INT(web_store_check(s, &err), ==, 0);
    fixture_user(s, "alice", WEB_ROLE_ADMIN);
    web_store_close(s);
    snprintf(sub, sizeof(sub), "%s/data/blobs", dir);
    struct stat st;
    CHECK(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
    snprintf(sub, sizeof(sub), "%s/data/crucible.db", dir);
    if (fixture_pg())
        CHECK(stat(sub, &st) < 0 && errno == ENOENT);          /* PostgreSQL instead, not as well */
    else
        CHECK(stat(sub, &st) == 0 && (st.st_mode & 0007) == 0);    /* password hashes inside */
    snprintf(sub, sizeof(sub), "%s/data", dir);
    CHECK_INT(raw_i64(sub, "SELECT count(*) FROM schema_version"), ==, SCHEMA_LATEST);
    CHECK_INT(raw_i64(sub, "SELECT max(version) FROM schema_version"), ==, SCHEMA_LATEST);
    CHECK_INT(raw_i64(sub, "SELECT CASE WHEN min(applied_at) > 1600000000 THEN 1 ELSE 0 END FROM schema_version"),
              ==, 1);

    CHECK_SECTION("WAL mode and foreign keys");
    if (fixture_pg()) {
        fprintf(stderr, "(postgresql: no journal mode to check, foreign keys only)\n");
    } else {
        char path[512];
        sqlite3 *db = NULL;
        sqlite3_stmt *q = NULL;
        snprintf(path, sizeof(path), "%s/crucible.db", sub);
        CHECK_INT(sqlite3_open(path, &db), ==, SQLITE_OK);
        CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), ==, SQLITE_OK);
        CHECK_INT(sqlite3_step(q), ==, SQLITE_ROW);
        CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
    s = fixture_open(sub);
    {
        struct web_team t = { 0 };
        t.contest_id = 12345;       /* no such contest */
        snprintf(t.name, sizeof(t.name), "ghosts");
        CHECK_INT(web_store_team_create(s, &t, &err), ==, ERR_INVALID);
    }

    CHECK_SECTION("re-open is idempotent: nothing applied twice, data kept");
    CHECK_INT(web_store_schema_version(s, &v, &err), ==, 0);
    CHECK_INT(v, ==, SCHEMA_LATEST);
    struct web_user u;
    CHECK_INT(web_store_user_by_name(s, "alice", &u, &err), ==, 0);
    web_store_close(s);
    s = fixture_open(sub);
    web_store_close(s);
    CHECK_INT(raw_i64(sub, "SELECT count(*) FROM schema_version"), ==, SCHEMA_LATEST);
    CHECK_INT(raw_i64(sub, "SELECT count(*) FROM users"), ==, 1);

    CHECK_SECTION("a schema newer than this build is refused");
    CHECK_INT(raw_exec(sub, "INSERT INTO schema_version VALUES (99, 0, 'from the future')"), ==, 0);
    s = NULL;
    CHECK_INT(web_store_open(sub, &s, &err), ==, ERR_UNSUPPORTED);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "99") != NULL);
    fixture_rmdir(dir);

    CHECK_SECTION("a failing migration leaves nothing half done");
    fixture_tmpdir(dir);
    CHECK_INT(raw_exec(dir, fixture_pg() ? "CREATE TABLE problems (x int)" : "CREATE TABLE problems (x)"), ==, 0);
    CHECK_INT(web_store_open(dir, &s, &err), <, 0);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "schema migration 1") != NULL);
    CHECK_INT(raw_i64(dir, "SELECT count(*) FROM schema_version"), ==, 0);
    CHECK_INT(raw_i64(dir, fixture_pg() ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"
                                        : "SELECT count(*) FROM sqlite_master WHERE name = 'users'"),
              ==, 0);
    fixture_rmdir(dir);

    FILE *f = NULL;
    if (fixture_pg()) {
        CHECK_SECTION("a database that does not exist, a server that is not there");
        fixture_tmpdir(dir);
        char *missing = fixture_pg_conninfo("crucible_test_no_such_database");
        setenv("CRUCIBLE_DATABASE", missing, 1);
        free(missing);
        CHECK_INT(web_store_open(dir, &s, &err), <, 0);
        CHECK(s == NULL);
        CHECK(err.msg[0] != '\0');
        setenv("CRUCIBLE_DATABASE", "host=/nonexistent/crucible-socket user=postgres dbname=x", 1);
        CHECK_INT(web_store_open(dir, &s, &err), <, 0);
        CHECK(s == NULL);
        fixture_rmdir(dir);
    } else {
        CHECK_SECTION("a file that is not a database");
        fixture_tmpdir(dir);
        snprintf(sub, sizeof(sub), "%s/crucible.db", dir);
        f = fopen(sub, "w");
        fputs("this is not an SQLite database, not even close; it is just words in a file\n", f);
        fclose(f);
        CHECK_INT(web_store_open(dir, &s, &err), <, 0);
        CHECK(s == NULL);
        fixture_rmdir(dir);
    }

    CHECK_SECTION("a data folder that is a file");
    fixture_tmpdir(dir);
    snprintf(sub, sizeof(sub), "%s/file", dir);
    f = fopen(sub, "w");
    fclose(f);
    CHECK_INT(web_store_open(sub, &s, &err), ==, ERR_INVALID);
    fixture_rmdir(dir);
    return check_done("unit.web.storage_migrations");
}

static void test_settings_users(struct web_store *s)
{
    struct err err;
    char *v = NULL;

    CHECK_SECTION("settings");
    CHECK_INT(web_store_setting_get(s, "registration", &v, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_setting_set(s, "registration", web_registration_name(WEB_REG_CODE), &err), ==, 0);
    CHECK_INT(web_store_setting_set(s, "registration_code", "xyzzy", &err), ==, 0);
    CHECK_INT(web_store_setting_set(s, "registration", "open", &err), ==, 0);
    CHECK_INT(web_store_setting_get(s, "registration", &v, &err), ==, 0);
    CHECK_STR(v, "open");
    free(v);
    CHECK_INT(web_store_setting_get(s, "registration_code", &v, &err), ==, 0);
    CHECK_STR(v, "xyzzy");
    free(v);
    CHECK_INT(web_store_setting_set(s, "bad key", "x", &err), ==, ERR_INVALID);

    CHECK_SECTION("users");
    struct web_user u = { 0 }, got;
    snprintf(u.name, sizeof(u.name), "Bob.Smith");
    snprintf(u.display_name, sizeof(u.display_name), "Bob Smith \xc3\xa9");   /* é */
    snprintf(u.email, sizeof(u.email), "bob@example.org");
    snprintf(u.password_hash, sizeof(u.password_hash), "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
    u.role = WEB_ROLE_TEACHER;
    u.created_at = 1700000000;
    CHECK_INT(web_store_user_create(s, &u, &err), ==, 0);
    CHECK_INT(u.id, >, 0);
    CHECK_INT(web_store_user_by_name(s, "bob.smith", &got, &err), ==, 0);   /* names ignore case */
    CHECK_INT(got.id, ==, u.id);
    CHECK_STR(got.name, "Bob.Smith");
    CHECK_STR(got.display_name, u.display_name);
    CHECK_STR(got.email, "bob@example.org");
    CHECK_STR(got.password_hash, u.password_hash);
    CHECK_INT(got.role, ==, WEB_ROLE_TEACHER);
    CHECK_INT(got.disabled, ==, 0);
    CHECK_INT(got.created_at, ==, 1700000000);

    struct web_user dup = u;
    snprintf(dup.name, sizeof(dup.name), "BOB.SMITH");
    CHECK_INT(web_store_user_create(s, &dup, &err), ==, WEB_STORE_CONFLICT);
    CHECK(strstr(err.msg, "is taken") != NULL);

    got.role = WEB_ROLE_ORGANIZER;
    got.disabled = 1;
    snprintf(got.password_hash, sizeof(got.password_hash), "$argon2id$new");
    CHECK_INT(web_store_user_update(s, &got, &err), ==, 0);
    CHECK_INT(web_store_user_by_id(s, u.id, &got, &err), ==, 0);
    CHECK_INT(got.role, ==, WEB_ROLE_ORGANIZER);
    CHECK_INT(got.disabled, ==, 1);
    CHECK_STR(got.password_hash, "$argon2id$new");
    CHECK_INT(web_store_user_by_id(s, 999999, &got, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_user_by_name(s, "nobody", &got, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_user_by_name(s, "../etc", &got, &err), ==, ERR_NOTFOUND);
    got.id = 999999;
    CHECK_INT(web_store_user_update(s, &got, &err), ==, ERR_NOTFOUND);

    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof(name), "u%d", i);
        fixture_user(s, name, WEB_ROLE_CONTESTANT);
    }
    struct web_user_list l;
    CHECK_INT(web_store_user_list(s, 0, 4, &l, &err), ==, 0);
    CHECK_INT(l.n, ==, 4);
    int64_t after = l.n ? l.v[l.n - 1].id : 0;
    web_user_list_release(&l);
    CHECK_INT(web_store_user_list(s, after, 4, &l, &err), ==, 0);
    CHECK_INT(l.n, ==, 3);       /* alice (from main), Bob, u0..u4: 7 in all */
    web_user_list_release(&l);
    CHECK(l.v == NULL && l.n == 0);
}

static void test_sessions_tokens(struct web_store *s, int64_t uid)
{
    struct err err;
    char tok[WEB_TOKEN_HEX + 1], tok2[WEB_TOKEN_HEX + 1], hash[WEB_HASH_HEX + 1];
    struct web_session se;

    CHECK_SECTION("sessions");
    CHECK_INT(web_store_session_create(s, uid, "192.0.2.7", 5000, 3600, tok, &err), ==, 0);
    CHECK(web_hash_valid(tok));
    CHECK_INT(web_store_session_create(s, uid, "192.0.2.8", 5000, 60, tok2, &err), ==, 0);
    CHECK(strcmp(tok, tok2) != 0);
    CHECK_INT(web_store_session_lookup(s, tok, 5001, &se, &err), ==, 0);
    CHECK_INT(se.user_id, ==, uid);
    CHECK_INT(se.created_at, ==, 5000);
    CHECK_INT(se.expires_at, ==, 8600);
    CHECK_STR(se.address, "192.0.2.7");
    CHECK_INT(web_store_session_lookup(s, tok, 8600, &se, &err), ==, ERR_NOTFOUND);   /* expired */
    CHECK_INT(web_store_session_lookup(s, "nonsense", 5001, &se, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_session_lookup(s, NULL, 5001, &se, &err), ==, ERR_NOTFOUND);
    /* The token itself is not in the database: its hash is, and does not work as a token. */
    web_token_hash(tok, hash);
    CHECK(strcmp(hash, tok) != 0);
    CHECK_INT(web_store_session_lookup(s, hash, 5001, &se, &err), ==, ERR_NOTFOUND);
    int64_t removed = -1;
    CHECK_INT(web_store_session_purge(s, 5061, &removed, &err), ==, 0);
    CHECK_INT(removed, ==, 1);
    CHECK_INT(web_store_session_lookup(s, tok2, 5001, &se, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_session_delete(s, tok, &err), ==, 0);
    CHECK_INT(web_store_session_lookup(s, tok, 5001, &se, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_session_create(s, uid, NULL, 5000, 3600, tok, &err), ==, 0);
    CHECK_INT(web_store_session_create(s, uid, "", 5000, 3600, tok2, &err), ==, 0);
    CHECK_INT(web_store_session_delete_user(s, uid, &err), ==, 0);
    CHECK_INT(web_store_session_lookup(s, tok, 5001, &se, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_session_lookup(s, tok2, 5001, &se, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_session_create(s, 424242, "", 5000, 3600, tok, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_session_create(s, uid, "", 5000, 0, tok, &err), ==, ERR_INVALID);

    CHECK_SECTION("API tokens");
    int64_t tid = 0, tid2 = 0;
    struct web_api_token at;
    CHECK_INT(web_store_apitoken_create(s, uid, "ci-upload", 5000, 0, tok, &tid, &err), ==, 0);
    CHECK_INT(web_store_apitoken_create(s, uid, "short", 5000, 5100, tok2, &tid2, &err), ==, 0);
    CHECK_INT(web_store_apitoken_lookup(s, tok, 999999999, &at, &err), ==, 0);   /* never expires */
    CHECK_INT(at.id, ==, tid);
    CHECK_INT(at.user_id, ==, uid);
    CHECK_STR(at.name, "ci-upload");
    CHECK_INT(web_store_apitoken_lookup(s, tok2, 5099, &at, &err), ==, 0);
    CHECK_INT(web_store_apitoken_lookup(s, tok2, 5100, &at, &err), ==, ERR_NOTFOUND);
    struct web_api_token_list tl;
    CHECK_INT(web_store_apitoken_list(s, uid, &tl, &err), ==, 0);
    CHECK_INT(tl.n, ==, 2);
    CHECK_STR(tl.n ? tl.v[0].name : "", "ci-upload");
    web_api_token_list_release(&tl);
    int64_t other = fixture_user(s, "mallory", WEB_ROLE_CONTESTANT);
    CHECK_INT(web_store_apitoken_revoke(s, other, tid, &err), ==, ERR_NOTFOUND);   /* not hers */
    CHECK_INT(web_store_apitoken_revoke(s, uid, tid, &err), ==, 0);
    CHECK_INT(web_store_apitoken_lookup(s, tok, 5001, &at, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_apitoken_revoke(s, 0, tid2, &err), ==, 0);                  /* an admin's */

    CHECK_SECTION("a disabled user's sessions and tokens stop working");
    char stok[WEB_TOKEN_HEX + 1];
    struct web_user mu;
    CHECK_INT(web_store_session_create(s, other, "", 5000, 3600, stok, &err), ==, 0);
    CHECK_INT(web_store_apitoken_create(s, other, "script", 5000, 0, tok, NULL, &err), ==, 0);
    CHECK_INT(web_store_user_by_id(s, other, &mu, &err), ==, 0);
    mu.disabled = 1;
    CHECK_INT(web_store_user_update(s, &mu, &err), ==, 0);
    CHECK_INT(web_store_session_lookup(s, stok, 5001, &se, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_apitoken_lookup(s, tok, 5001, &at, &err), ==, ERR_NOTFOUND);
    mu.disabled = 0;
    CHECK_INT(web_store_user_update(s, &mu, &err), ==, 0);
    CHECK_INT(web_store_session_lookup(s, stok, 5001, &se, &err), ==, 0);
    CHECK_INT(web_store_apitoken_lookup(s, tok, 5001, &at, &err), ==, 0);
    CHECK_INT(web_store_apitoken_create(s, uid, "x", 5000, 4000, tok, NULL, &err), ==, ERR_INVALID);

    CHECK_SECTION("login failures, per account and per address");
    int64_t n = -1;
    CHECK_INT(web_store_login_failure_count(s, WEB_LOGIN_ACCOUNT, "bob", 100, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 0);
    for (int i = 1; i <= 3; i++) {
        CHECK_INT(web_store_login_failure_add(s, WEB_LOGIN_ACCOUNT, "bob", 100 + i, 60, &n, &err), ==, 0);
        CHECK_INT(n, ==, i);
    }
    CHECK_INT(web_store_login_failure_add(s, WEB_LOGIN_ADDRESS, "bob", 100, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 1);                    /* scopes are separate */
    CHECK_INT(web_store_login_failure_count(s, WEB_LOGIN_ACCOUNT, "bob", 150, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 3);
    CHECK_INT(web_store_login_failure_count(s, WEB_LOGIN_ACCOUNT, "bob", 161, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 0);                    /* the window passed */
    CHECK_INT(web_store_login_failure_add(s, WEB_LOGIN_ACCOUNT, "bob", 161, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 1);                    /* and a new one started */
    CHECK_INT(web_store_login_failure_clear(s, WEB_LOGIN_ACCOUNT, "bob", &err), ==, 0);
    CHECK_INT(web_store_login_failure_count(s, WEB_LOGIN_ACCOUNT, "bob", 162, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 0);
    CHECK_INT(web_store_login_failure_count(s, WEB_LOGIN_ADDRESS, "bob", 100, 60, &n, &err), ==, 0);
    CHECK_INT(n, ==, 1);

    CHECK_SECTION("audit log");
    struct web_audit_entry e = { 0 };
    int64_t aid = 0;
    e.at = 7000;
    e.actor_user_id = uid;
    snprintf(e.address, sizeof(e.address), "198.51.100.1");
    snprintf(e.action, sizeof(e.action), "contest.update");
    snprintf(e.target, sizeof(e.target), "contest 3");
    e.detail = "{\"freeze\": 3600}";
    CHECK_INT(web_store_audit_add(s, &e, &aid, &err), ==, 0);
    e.at = 7001;
    e.actor_user_id = 0;
    e.detail = NULL;
    snprintf(e.action, sizeof(e.action), "system.start");
    CHECK_INT(web_store_audit_add(s, &e, NULL, &err), ==, 0);
    struct web_audit_entry_list al;
    CHECK_INT(web_store_audit_list(s, 0, 10, &al, &err), ==, 0);
    CHECK_INT(al.n, ==, 2);
    if (al.n == 2) {
        CHECK_STR(al.v[0].action, "system.start");     /* newest first */
        CHECK(al.v[0].detail == NULL);
        CHECK_INT(al.v[0].actor_user_id, ==, 0);
        CHECK_INT(al.v[1].id, ==, aid);
        CHECK_STR(al.v[1].detail, "{\"freeze\": 3600}");
        CHECK_STR(al.v[1].target, "contest 3");
        CHECK_INT(al.v[1].actor_user_id, ==, uid);
    }
    web_audit_entry_list_release(&al);
    CHECK_INT(web_store_audit_list(s, aid, 10, &al, &err), ==, 0);
    CHECK_INT(al.n, ==, 0);
    web_audit_entry_list_release(&al);
}

static void test_judge_hosts(struct web_store *s)
{
    struct err err;
    char tok[WEB_TOKEN_HEX + 1];
    struct web_judge_host h = { 0 }, got = { 0 };

    CHECK_SECTION("judge hosts");
    snprintf(h.name, sizeof(h.name), "judge-01");
    h.enabled = 1;
    h.created_at = 100;
    h.capabilities = "{\"languages\": [\"c\", \"cpp\"], \"gpus\": 0}";
    CHECK_INT(web_store_judge_host_create(s, &h, tok, &err), ==, 0);
    CHECK_INT(h.id, >, 0);
    CHECK_INT(web_store_judge_host_by_token(s, tok, &got, &err), ==, 0);
    CHECK_INT(got.id, ==, h.id);
    CHECK_STR(got.name, "judge-01");
    CHECK_STR(got.capabilities, h.capabilities);
    CHECK_INT(got.last_heartbeat, ==, 0);
    web_judge_host_release(&got);
    CHECK(got.capabilities == NULL);
    CHECK_INT(web_store_judge_host_heartbeat(s, h.id, 200, &err), ==, 0);
    CHECK_INT(web_store_judge_host_by_id(s, h.id, &got, &err), ==, 0);
    CHECK_INT(got.last_heartbeat, ==, 200);
    web_judge_host_release(&got);
    struct web_judge_host dup = h;
    snprintf(dup.name, sizeof(dup.name), "JUDGE-01");
    CHECK_INT(web_store_judge_host_create(s, &dup, tok + 0, &err), ==, WEB_STORE_CONFLICT);
    CHECK_INT(web_store_judge_host_create(s, &h, tok, &err), ==, WEB_STORE_CONFLICT);
    /* A failed create leaves no usable token behind. */
    CHECK_STR(tok, "");

    char tok2[WEB_TOKEN_HEX + 1];
    struct web_judge_host h2 = { 0 };
    snprintf(h2.name, sizeof(h2.name), "judge-02");
    h2.enabled = 1;
    CHECK_INT(web_store_judge_host_create(s, &h2, tok2, &err), ==, 0);
    CHECK_INT(web_store_judge_host_by_id(s, h2.id, &got, &err), ==, 0);
    CHECK_STR(got.capabilities, "{}");
    got.enabled = 0;
    CHECK_INT(web_store_judge_host_update(s, &got, &err), ==, 0);
    web_judge_host_release(&got);
    CHECK_INT(web_store_judge_host_by_token(s, tok2, &got, &err), ==, ERR_NOTFOUND);   /* disabled */
    struct web_judge_host_list hl;
    CHECK_INT(web_store_judge_host_list(s, &hl, &err), ==, 0);
    CHECK_INT(hl.n, ==, 2);
    CHECK_INT(hl.n == 2 ? hl.v[1].enabled : -1, ==, 0);
    web_judge_host_list_release(&hl);
}

static void test_problems_contests(struct web_store *s, int64_t uid)
{
    struct err err;

    CHECK_SECTION("problems");
    struct web_problem p = { 0 }, pg;
    snprintf(p.short_name, sizeof(p.short_name), "hello");
    snprintf(p.title, sizeof(p.title), "Hello, World");
    memset(p.package_hash, 'c', WEB_HASH_HEX);
    p.time_limit = 2.5;
    p.memory_limit = (int64_t)1 << 30;
    snprintf(p.type, sizeof(p.type), "scoring");
    p.created_by = uid;
    p.created_at = 42;
    CHECK_INT(web_store_problem_create(s, &p, &err), ==, 0);
    CHECK_INT(web_store_problem_by_name(s, "HELLO", &pg, &err), ==, 0);
    CHECK_INT(pg.id, ==, p.id);
    CHECK_STR(pg.title, "Hello, World");
    CHECK_STR(pg.package_hash, p.package_hash);
    CHECK(pg.time_limit == 2.5);
    CHECK_INT(pg.memory_limit, ==, (int64_t)1 << 30);
    CHECK_STR(pg.type, "scoring");
    CHECK_INT(pg.published, ==, 0);
    CHECK_INT(pg.created_by, ==, uid);
    CHECK_INT(pg.created_at, ==, 42);
    pg.published = 1;
    memset(pg.package_hash, 'd', WEB_HASH_HEX);
    CHECK_INT(web_store_problem_update(s, &pg, &err), ==, 0);
    CHECK_INT(web_store_problem_create(s, &p, &err), ==, WEB_STORE_CONFLICT);
    int64_t p2 = fixture_problem(s, "second");
    struct web_problem_list pl;
    CHECK_INT(web_store_problem_list(s, 1, 0, 0, &pl, &err), ==, 0);
    CHECK_INT(pl.n, ==, 1);
    CHECK_STR(pl.n ? pl.v[0].package_hash : "", pg.package_hash);
    web_problem_list_release(&pl);
    CHECK_INT(web_store_problem_list(s, 0, 0, 0, &pl, &err), ==, 0);
    CHECK_INT(pl.n, ==, 2);
    web_problem_list_release(&pl);

    CHECK_SECTION("contests");
    struct web_contest c = { 0 }, cg;
    snprintf(c.short_name, sizeof(c.short_name), "nwerc-2026");
    snprintf(c.title, sizeof(c.title), "NWERC 2026");
    c.start_time = 1800000000;
    c.duration = 5 * 3600;
    c.freeze = 3600;
    c.is_public = 1;
    c.registration = WEB_REG_CODE;
    snprintf(c.registration_code, sizeof(c.registration_code), "s3cret");
    c.team_mode = 1;
    c.rules = WEB_RULES_ICPC;
    c.penalty_minutes = 20;
    snprintf(c.languages, sizeof(c.languages), "c,cpp,python3");
    c.max_submissions = 50;
    c.submission_interval = 30;
    c.created_by = uid;
    c.created_at = 43;
    CHECK_INT(web_store_contest_create(s, &c, &err), ==, 0);
    CHECK_INT(web_store_contest_by_name(s, "nwerc-2026", &cg, &err), ==, 0);
    CHECK_INT(cg.id, ==, c.id);
    CHECK_STR(cg.title, "NWERC 2026");
    CHECK_INT(cg.start_time, ==, 1800000000);
    CHECK_INT(cg.duration, ==, 18000);
    CHECK_INT(cg.freeze, ==, 3600);
    CHECK_INT(cg.unfrozen, ==, 0);
    CHECK_INT(cg.is_public, ==, 1);
    CHECK_INT(cg.registration, ==, WEB_REG_CODE);
    CHECK_STR(cg.registration_code, "s3cret");
    CHECK_INT(cg.team_mode, ==, 1);
    CHECK_INT(cg.rules, ==, WEB_RULES_ICPC);
    CHECK_INT(cg.penalty_minutes, ==, 20);
    CHECK_STR(cg.languages, "c,cpp,python3");
    CHECK_INT(cg.max_submissions, ==, 50);
    CHECK_INT(cg.submission_interval, ==, 30);
    CHECK_INT(cg.created_by, ==, uid);
    cg.unfrozen = 1;
    cg.rules = WEB_RULES_IOI;
    cg.registration = WEB_REG_OPEN;
    CHECK_INT(web_store_contest_update(s, &cg, &err), ==, 0);
    CHECK_INT(web_store_contest_by_id(s, c.id, &cg, &err), ==, 0);
    CHECK_INT(cg.unfrozen, ==, 1);
    CHECK_INT(cg.rules, ==, WEB_RULES_IOI);
    CHECK_INT(cg.registration, ==, WEB_REG_OPEN);
    struct web_contest bad = c;
    bad.freeze = bad.duration + 1;
    CHECK_INT(web_store_contest_create(s, &bad, &err), ==, ERR_INVALID);
    bad = c;
    snprintf(bad.languages, sizeof(bad.languages), "c,,cpp");
    CHECK_INT(web_store_contest_create(s, &bad, &err), ==, ERR_INVALID);
    bad = c;
    bad.registration_code[0] = '\0';
    CHECK_INT(web_store_contest_create(s, &bad, &err), ==, ERR_INVALID);
    struct web_contest_list cl;
    CHECK_INT(web_store_contest_list(s, 0, 0, &cl, &err), ==, 0);
    CHECK_INT(cl.n, ==, 1);
    web_contest_list_release(&cl);

    CHECK_SECTION("contest problems");
    struct web_contest_problem cp = { 0 };
    cp.contest_id = c.id;
    cp.problem_id = p2;
    snprintf(cp.label, sizeof(cp.label), "B");
    snprintf(cp.color, sizeof(cp.color), "#00ff00");
    cp.points = 1;
    cp.ordinal = 2;
    CHECK_INT(web_store_contest_problem_put(s, &cp, &err), ==, 0);
    cp.problem_id = p.id;
    snprintf(cp.label, sizeof(cp.label), "B");
    CHECK_INT(web_store_contest_problem_put(s, &cp, &err), ==, WEB_STORE_CONFLICT);   /* label taken */
    snprintf(cp.label, sizeof(cp.label), "A");
    snprintf(cp.color, sizeof(cp.color), "red");
    cp.points = 100;
    cp.ordinal = 1;
    CHECK_INT(web_store_contest_problem_put(s, &cp, &err), ==, 0);
    cp.points = 150;
    CHECK_INT(web_store_contest_problem_put(s, &cp, &err), ==, 0);                     /* replace */
    struct web_contest_problem_list cpl;
    CHECK_INT(web_store_contest_problems(s, c.id, &cpl, &err), ==, 0);
    CHECK_INT(cpl.n, ==, 2);
    if (cpl.n == 2) {
        CHECK_STR(cpl.v[0].label, "A");
        CHECK_STR(cpl.v[0].color, "red");
        CHECK(cpl.v[0].points == 150);
        CHECK_INT(cpl.v[0].problem_id, ==, p.id);
        CHECK_STR(cpl.v[1].label, "B");
    }
    web_contest_problem_list_release(&cpl);
    CHECK_INT(web_store_contest_problem_remove(s, c.id, p2, &err), ==, 0);
    CHECK_INT(web_store_contest_problem_remove(s, c.id, p2, &err), ==, ERR_NOTFOUND);
    cp.problem_id = 99999;
    snprintf(cp.label, sizeof(cp.label), "Z");
    CHECK_INT(web_store_contest_problem_put(s, &cp, &err), ==, ERR_INVALID);   /* no such problem */

    CHECK_SECTION("teams and participants");
    struct web_team t = { 0 }, tg;
    t.contest_id = c.id;
    snprintf(t.name, sizeof(t.name), "Null Pointers \xe2\x9c\x93");
    t.created_at = 44;
    CHECK_INT(web_store_team_create(s, &t, &err), ==, 0);
    CHECK_INT(web_store_team_create(s, &t, &err), ==, WEB_STORE_CONFLICT);
    CHECK_INT(web_store_team_by_id(s, t.id, &tg, &err), ==, 0);
    CHECK_STR(tg.name, t.name);
    CHECK_INT(tg.contest_id, ==, c.id);
    struct web_contest c2 = c;
    snprintf(c2.short_name, sizeof(c2.short_name), "other");
    CHECK_INT(web_store_contest_create(s, &c2, &err), ==, 0);
    struct web_team t2 = { 0 };
    t2.contest_id = c2.id;
    snprintf(t2.name, sizeof(t2.name), "Elsewhere");
    CHECK_INT(web_store_team_create(s, &t2, &err), ==, 0);

    int64_t a = fixture_user(s, "ann", WEB_ROLE_CONTESTANT), b = fixture_user(s, "ben", WEB_ROLE_CONTESTANT);
    int64_t j = fixture_user(s, "jury1", WEB_ROLE_TEACHER);
    struct web_participant pa = { c.id, a, WEB_CROLE_PARTICIPANT, t.id, 50 }, pg2;
    CHECK_INT(web_store_participant_put(s, &pa, &err), ==, 0);
    pa.user_id = b;
    CHECK_INT(web_store_participant_put(s, &pa, &err), ==, 0);
    struct web_participant pj = { c.id, j, WEB_CROLE_JURY, 0, 51 };
    CHECK_INT(web_store_participant_put(s, &pj, &err), ==, 0);
    struct web_participant wrong = { c.id, a, WEB_CROLE_PARTICIPANT, t2.id, 52 };
    CHECK_INT(web_store_participant_put(s, &wrong, &err), ==, ERR_INVALID);   /* team of another contest */
    CHECK_INT(web_store_participant_get(s, c.id, a, &pg2, &err), ==, 0);
    CHECK_INT(pg2.team_id, ==, t.id);
    CHECK_INT(pg2.role, ==, WEB_CROLE_PARTICIPANT);
    CHECK_INT(pg2.registered_at, ==, 50);
    CHECK_INT(web_store_participant_get(s, c.id, j, &pg2, &err), ==, 0);
    CHECK_INT(pg2.role, ==, WEB_CROLE_JURY);
    CHECK_INT(pg2.team_id, ==, 0);
    struct web_participant_list ptl;
    CHECK_INT(web_store_participants(s, c.id, t.id, &ptl, &err), ==, 0);
    CHECK_INT(ptl.n, ==, 2);
    web_participant_list_release(&ptl);
    CHECK_INT(web_store_participants(s, c.id, 0, &ptl, &err), ==, 0);
    CHECK_INT(ptl.n, ==, 3);
    web_participant_list_release(&ptl);
    CHECK_INT(web_store_participant_remove(s, c.id, b, &err), ==, 0);
    CHECK_INT(web_store_participant_get(s, c.id, b, &pg2, &err), ==, ERR_NOTFOUND);
    struct web_team_list tl;
    CHECK_INT(web_store_teams_of_contest(s, c.id, &tl, &err), ==, 0);
    CHECK_INT(tl.n, ==, 1);
    web_team_list_release(&tl);

    CHECK_SECTION("clarifications");
    struct web_clarification q = { 0 }, ans = { 0 }, ann = { 0 }, cq;
    q.contest_id = c.id;
    q.problem_id = p.id;
    q.kind = WEB_CLAR_QUESTION;
    q.from_user_id = a;
    q.team_id = t.id;
    q.created_at = 60;
    q.text = "Is n ever 0?\nThanks.";
    CHECK_INT(web_store_clarification_create(s, &q, &err), ==, 0);
    ans.contest_id = c.id;
    ans.kind = WEB_CLAR_ANSWER;
    ans.to_user_id = a;
    ans.team_id = t.id;
    ans.reply_to = q.id;
    ans.created_at = 61;
    ans.text = "No.";
    CHECK_INT(web_store_clarification_create(s, &ans, &err), ==, 0);
    ann.contest_id = c.id;
    ann.kind = WEB_CLAR_ANNOUNCEMENT;
    ann.created_at = 62;
    ann.text = "Problem B's sample is fixed.";
    CHECK_INT(web_store_clarification_create(s, &ann, &err), ==, 0);
    struct web_clarification other_q = q;
    other_q.from_user_id = b;
    other_q.team_id = 0;
    other_q.text = "Private question from ben";
    CHECK_INT(web_store_clarification_create(s, &other_q, &err), ==, 0);
    CHECK_INT(web_store_clarification_by_id(s, ans.id, &cq, &err), ==, 0);
    CHECK_STR(cq.text, "No.");
    CHECK_INT(cq.reply_to, ==, q.id);
    CHECK_INT(cq.kind, ==, WEB_CLAR_ANSWER);
    CHECK_INT(cq.from_user_id, ==, 0);
    web_clarification_release(&cq);
    struct web_clarification_list ql;
    CHECK_INT(web_store_clarifications_for(s, c.id, 0, 0, &ql, &err), ==, 0);
    CHECK_INT(ql.n, ==, 4);                 /* the jury sees everything */
    web_clarification_list_release(&ql);
    CHECK_INT(web_store_clarifications_for(s, c.id, a, t.id, &ql, &err), ==, 0);
    CHECK_INT(ql.n, ==, 3);                 /* ann: her question, its answer, the announcement */
    web_clarification_list_release(&ql);
    CHECK_INT(web_store_clarifications_for(s, c.id, j, 0, &ql, &err), ==, 0);
    CHECK_INT(ql.n, ==, 1);                 /* someone else: only the announcement */
    web_clarification_list_release(&ql);
    struct web_clarification badc = ann;
    badc.from_user_id = a;
    CHECK_INT(web_store_clarification_create(s, &badc, &err), ==, ERR_INVALID);
    badc = q;
    badc.from_user_id = 0;
    CHECK_INT(web_store_clarification_create(s, &badc, &err), ==, ERR_INVALID);

    CHECK_SECTION("submissions");
    struct web_submission sb = { 0 }, sg;
    sb.user_id = a;
    sb.team_id = t.id;
    sb.contest_id = c.id;
    sb.problem_id = p.id;
    snprintf(sb.language, sizeof(sb.language), "python3");
    snprintf(sb.filename, sizeof(sb.filename), "hello.py");
    memset(sb.source_hash, 'e', WEB_HASH_HEX);
    sb.source_size = 1234;
    sb.submitted_at = 1800000100;
    sb.status = WEB_SUB_JUDGED;     /* ignored: storage queues it */
    CHECK_INT(web_store_submission_create(s, &sb, &err), ==, 0);
    CHECK_INT(sb.status, ==, WEB_SUB_QUEUED);
    CHECK_INT(web_store_submission_by_id(s, sb.id, &sg, &err), ==, 0);
    CHECK_INT(sg.user_id, ==, a);
    CHECK_INT(sg.team_id, ==, t.id);
    CHECK_INT(sg.contest_id, ==, c.id);
    CHECK_INT(sg.problem_id, ==, p.id);
    CHECK_STR(sg.language, "python3");
    CHECK_STR(sg.filename, "hello.py");
    CHECK_STR(sg.source_hash, sb.source_hash);
    CHECK_INT(sg.source_size, ==, 1234);
    CHECK_INT(sg.submitted_at, ==, 1800000100);
    CHECK_INT(sg.status, ==, WEB_SUB_QUEUED);
    CHECK_INT(sg.ignored, ==, 0);
    int64_t practice = fixture_submission(s, a, p2, 0, 1800000200, &err);
    CHECK_INT(practice, >, 0);
    int64_t third = fixture_submission(s, b, p.id, c.id, 1800000300, &err);
    CHECK_INT(third, >, 0);
    struct web_submission_filter f = { 0 };
    f.status = -1;
    struct web_submission_list sl;
    f.user_id = a;
    CHECK_INT(web_store_submission_list(s, &f, &sl, &err), ==, 0);
    CHECK_INT(sl.n, ==, 2);
    CHECK_INT(sl.n ? sl.v[0].id : 0, ==, practice);   /* newest first */
    web_submission_list_release(&sl);
    f.user_id = 0;
    f.contest_id = -1;
    CHECK_INT(web_store_submission_list(s, &f, &sl, &err), ==, 0);
    CHECK_INT(sl.n, ==, 1);
    CHECK_INT(sl.n ? sl.v[0].id : 0, ==, practice);
    web_submission_list_release(&sl);
    f.contest_id = c.id;
    f.problem_id = p.id;
    int64_t n = 0;
    CHECK_INT(web_store_submission_count(s, &f, &n, &err), ==, 0);
    CHECK_INT(n, ==, 2);
    f.limit = 1;
    CHECK_INT(web_store_submission_list(s, &f, &sl, &err), ==, 0);
    CHECK_INT(sl.n, ==, 1);
    f.before_id = sl.n ? sl.v[0].id : 0;
    web_submission_list_release(&sl);
    CHECK_INT(web_store_submission_list(s, &f, &sl, &err), ==, 0);
    CHECK_INT(sl.n, ==, 1);
    CHECK_INT(sl.n ? sl.v[0].id : 0, ==, sb.id);
    web_submission_list_release(&sl);
    f = (struct web_submission_filter){ .status = WEB_SUB_QUEUED };
    CHECK_INT(web_store_submission_count(s, &f, &n, &err), ==, 0);
    CHECK_INT(n, ==, 3);
    CHECK_INT(web_store_submission_set_ignored(s, third, 1, &err), ==, 0);
    struct web_contest_result_list rl;
    CHECK_INT(web_store_contest_results(s, c.id, &rl, &err), ==, 0);
    CHECK_INT(rl.n, ==, 1);                 /* the ignored one is left off */
    if (rl.n == 1) {
        CHECK_INT(rl.v[0].submission_id, ==, sb.id);
        CHECK_INT(rl.v[0].team_id, ==, t.id);
        CHECK_STR(rl.v[0].verdict, "");
        CHECK_INT(rl.v[0].status, ==, WEB_SUB_QUEUED);
    }
    web_contest_result_list_release(&rl);
    struct web_submission badsub = sb;
    snprintf(badsub.filename, sizeof(badsub.filename), "../x.py");
    CHECK_INT(web_store_submission_create(s, &badsub, &err), ==, ERR_INVALID);
    badsub = sb;
    badsub.problem_id = 99999;
    CHECK_INT(web_store_submission_create(s, &badsub, &err), ==, ERR_INVALID);
}

static void test_transactions(struct web_store *s)
{
    struct err err;
    struct web_user u;

    CHECK_SECTION("caller transactions: all or nothing");
    CHECK_INT(web_store_tx_begin(s, &err), ==, 0);
    CHECK_INT(web_store_tx_begin(s, &err), ==, ERR_INVALID);
    fixture_user(s, "tx1", WEB_ROLE_CONTESTANT);
    fixture_user(s, "tx2", WEB_ROLE_CONTESTANT);
    CHECK_INT(web_store_tx_rollback(s, &err), ==, 0);
    CHECK_INT(web_store_user_by_name(s, "tx1", &u, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_tx_begin(s, &err), ==, 0);
    fixture_user(s, "tx1", WEB_ROLE_CONTESTANT);
    struct web_user dup = { 0 };
    snprintf(dup.name, sizeof(dup.name), "tx1");
    CHECK_INT(web_store_user_create(s, &dup, &err), ==, WEB_STORE_CONFLICT);
    int64_t none = 0;
    if (fixture_pg()) {
        /* PostgreSQL: a call that fails inside ends the transaction; what
         * follows fails, and so does the commit, which keeps nothing
         * (storage.h, web_store_tx_begin). */
        CHECK_INT(web_store_job_expire(s, 0, &none, &err), <, 0);
        CHECK_INT(web_store_tx_commit(s, &err), <, 0);
        CHECK(strstr(err.msg, "rolled back") != NULL);
        CHECK_INT(web_store_tx_commit(s, &err), ==, ERR_INVALID);
        CHECK_INT(web_store_user_by_name(s, "tx1", &u, &err), ==, ERR_NOTFOUND);
        CHECK_INT(web_store_tx_begin(s, &err), ==, 0);      /* the store goes on */
        fixture_user(s, "tx1", WEB_ROLE_CONTESTANT);
        CHECK_INT(web_store_tx_commit(s, &err), ==, 0);
        CHECK_INT(web_store_user_by_name(s, "tx1", &u, &err), ==, 0);
        return;
    }
    /* SQLite: a call that fails inside leaves the rest of the transaction alone. */
    CHECK_INT(web_store_job_expire(s, 0, &none, &err), ==, 0);    /* nests as a savepoint */
    CHECK_INT(web_store_rejudge(s, 987654, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_tx_commit(s, &err), ==, 0);
    CHECK_INT(web_store_tx_commit(s, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_user_by_name(s, "tx1", &u, &err), ==, 0);
}

static int test_entities(void)
{
    char dir[256];
    fixture_tmpdir(dir);
    struct web_store *s = fixture_open(dir);
    int64_t uid = fixture_user(s, "alice", WEB_ROLE_ADMIN);
    test_settings_users(s);
    test_sessions_tokens(s, uid);
    test_judge_hosts(s);
    test_problems_contests(s, uid);
    test_transactions(s);
    struct err err;
    CHECK_INT(web_store_check(s, &err), ==, 0);
    web_store_close(s);
    fixture_rmdir(dir);
    return check_done("unit.web.storage_entities");
}

static int test_limits(void)
{
    char dir[256];
    struct err err;
    fixture_tmpdir(dir);
    struct web_store *s = fixture_open(dir);

    CHECK_SECTION("names");
    struct web_user u = { 0 };
    u.role = WEB_ROLE_CONTESTANT;
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);      /* empty */
    memset(u.name, 'x', WEB_NAME_MAX);
    CHECK_INT(web_store_user_create(s, &u, &err), ==, 0);                /* exactly the limit */
    u.name[0] = '-';
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    snprintf(u.name, sizeof(u.name), "a b");
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    snprintf(u.name, sizeof(u.name), "a/b");
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);

    CHECK_SECTION("arrays without a terminator, bad text, bad enums");
    snprintf(u.name, sizeof(u.name), "ok");
    memset(u.display_name, 'y', sizeof(u.display_name));
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_LIMIT);
    snprintf(u.display_name, sizeof(u.display_name), "bad \xc3\x28 utf-8");
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    snprintf(u.display_name, sizeof(u.display_name), "overlong \xc0\xaf");
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    snprintf(u.display_name, sizeof(u.display_name), "surrogate \xed\xa0\x80");
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    snprintf(u.display_name, sizeof(u.display_name), "new\nline");
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    snprintf(u.display_name, sizeof(u.display_name), "emoji \xf0\x9f\x8e\x88 fine");
    u.role = (enum web_role)17;
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    u.role = WEB_ROLE_JUDGE;
    u.disabled = 2;
    CHECK_INT(web_store_user_create(s, &u, &err), ==, ERR_INVALID);
    u.disabled = 0;
    CHECK_INT(web_store_user_create(s, &u, &err), ==, 0);

    CHECK_SECTION("long text");
    int64_t pid = fixture_problem(s, "p");
    struct web_contest c = { 0 };
    snprintf(c.short_name, sizeof(c.short_name), "c");
    snprintf(c.title, sizeof(c.title), "C");
    c.duration = 100;
    CHECK_INT(web_store_contest_create(s, &c, &err), ==, 0);
    char *big = malloc(WEB_TEXT_MAX + 2);
    memset(big, 'z', WEB_TEXT_MAX + 1);
    big[WEB_TEXT_MAX + 1] = '\0';
    struct web_clarification q = { 0 };
    q.contest_id = c.id;
    q.kind = WEB_CLAR_QUESTION;
    q.from_user_id = u.id;
    q.text = big;
    CHECK_INT(web_store_clarification_create(s, &q, &err), ==, ERR_LIMIT);
    big[WEB_TEXT_MAX] = '\0';
    CHECK_INT(web_store_clarification_create(s, &q, &err), ==, 0);
    q.text = NULL;
    CHECK_INT(web_store_clarification_create(s, &q, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_setting_set(s, "k", big, &err), ==, ERR_LIMIT);
    free(big);

    CHECK_SECTION("hashes and numbers");
    struct web_problem p = { 0 };
    CHECK_INT(web_store_problem_by_id(s, pid, &p, &err), ==, 0);
    p.package_hash[3] = 'G';
    CHECK_INT(web_store_problem_update(s, &p, &err), ==, ERR_INVALID);
    memset(p.package_hash, 'a', WEB_HASH_HEX);
    p.time_limit = 0;
    CHECK_INT(web_store_problem_update(s, &p, &err), ==, ERR_INVALID);
    p.time_limit = 0.0 / 0.0;
    CHECK_INT(web_store_problem_update(s, &p, &err), ==, ERR_INVALID);
    p.time_limit = 1;
    p.memory_limit = -1;
    CHECK_INT(web_store_problem_update(s, &p, &err), ==, ERR_INVALID);
    struct web_submission_filter f = { .status = 7 };
    int64_t n;
    CHECK_INT(web_store_submission_count(s, &f, &n, &err), ==, ERR_INVALID);
    struct web_job job;
    CHECK_INT(web_store_job_claim(s, 1, 0, 100, &job, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_job_claim(s, 1, WEB_LEASE_MAX + 1, 100, &job, &err), ==, ERR_INVALID);

    CHECK_SECTION("enumeration names");
    enum web_rules r;
    CHECK_INT(web_rules_parse("ioi", &r), ==, 0);
    CHECK_INT(r, ==, WEB_RULES_IOI);
    CHECK_INT(web_rules_parse("IOI", &r), ==, ERR_INVALID);
    CHECK_INT(web_rules_parse(NULL, &r), ==, ERR_INVALID);
    CHECK_STR(web_role_name(WEB_ROLE_JUDGE), "judge");
    CHECK_STR(web_sub_status_name(WEB_SUB_JUDGING), "judging");
    CHECK_STR(web_clar_kind_name(WEB_CLAR_ANNOUNCEMENT), "announcement");
    CHECK_STR(web_role_name((enum web_role)99), "?");

    web_store_close(s);
    fixture_rmdir(dir);
    return check_done("unit.web.storage_limits");
}

static int count_temp_files(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "find '%s/blobs' -name '.tmp-*' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static int test_blobs(void)
{
    char dir[256], hex[WEB_HASH_HEX + 1], hex2[WEB_HASH_HEX + 1], path[512];
    struct err err;
    struct buf b;
    fixture_tmpdir(dir);
    struct web_store *s = fixture_open(dir);
    buf_init(&b, 0);

    CHECK_SECTION("round trip, by content");
    const char *src = "#include <stdio.h>\nint main(void) { puts(\"hi\"); }\n";
    CHECK_INT(web_blob_put(s, src, strlen(src), hex, &err), ==, 0);
    CHECK(web_hash_valid(hex));
    CHECK_INT(web_blob_get(s, hex, &b, &err), ==, 0);
    CHECK_INT(b.len, ==, strlen(src));
    CHECK_STR(b.buf, src);
    CHECK_INT(web_blob_put(s, src, strlen(src), hex2, &err), ==, 0);
    CHECK_STR(hex2, hex);
    CHECK_INT(web_blob_path(s, hex, path, sizeof(path), &err), ==, 0);
    char want[512];
    snprintf(want, sizeof(want), "%s/blobs/%.2s/%s", dir, hex, hex + 2);
    CHECK_STR(path, want);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size == (off_t)strlen(src));
    CHECK_INT(st.st_mode & 0777, ==, 0640);

    CHECK_SECTION("the hash is BLAKE2b-256");
    CHECK_INT(web_blob_put(s, "", 0, hex2, &err), ==, 0);
    CHECK_STR(hex2, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    CHECK_INT(web_blob_put(s, "abc", 3, hex2, &err), ==, 0);
    CHECK_STR(hex2, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    buf_reset(&b);
    CHECK_INT(web_blob_get(s, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", &b, &err), ==, 0);
    CHECK_INT(b.len, ==, 0);

    CHECK_SECTION("from a file descriptor, with a limit");
    char tmpf[300];
    snprintf(tmpf, sizeof(tmpf), "%s/input", dir);
    FILE *f = fopen(tmpf, "w");
    for (int i = 0; i < 20000; i++)
        fprintf(f, "line %d\n", i);
    fclose(f);
    int fd = open(tmpf, O_RDONLY);
    CHECK_INT(web_blob_put_fd(s, fd, 1000, hex2, &err), ==, ERR_LIMIT);
    close(fd);
    CHECK_INT(count_temp_files(dir), ==, 0);
    fd = open(tmpf, O_RDONLY);
    CHECK_INT(web_blob_put_fd(s, fd, 1 << 20, hex2, &err), ==, 0);
    close(fd);
    struct buf whole;
    buf_init(&whole, 0);
    CHECK_INT(buf_read_file(&whole, tmpf, &err), ==, 0);
    char hex3[WEB_HASH_HEX + 1];
    CHECK_INT(web_blob_put(s, whole.buf, whole.len, hex3, &err), ==, 0);
    CHECK_STR(hex3, hex2);                  /* streaming and whole agree */
    buf_reset(&b);
    CHECK_INT(web_blob_get(s, hex2, &b, &err), ==, 0);
    CHECK_INT(b.len, ==, whole.len);
    CHECK(b.len == whole.len && memcmp(b.buf, whole.buf, b.len) == 0);
    buf_release(&whole);

    CHECK_SECTION("a damaged blob is noticed, and the buffer left as it was");
    buf_reset(&b);
    buf_adds(&b, "prefix:");
    fd = open(path, O_WRONLY);
    CHECK(pwrite(fd, "X", 1, 3) == 1);
    close(fd);
    int rc = web_blob_get(s, hex, &b, &err);
    if (fixture_pg() && rc == 0) {
        /* The file is only a cache of the database's copy, which is whole. */
        fprintf(stderr, "(postgresql: the damaged cached file was read from the database instead)\n");
        CHECK(strncmp(b.buf, "prefix:", 7) == 0 && strcmp(b.buf + 7, src) == 0);
        buf_reset(&b);
        buf_adds(&b, "prefix:");
        fd = open(path, O_WRONLY);
        CHECK(pwrite(fd, "X", 1, 3) == 1);   /* damaged again, in case the read repaired it */
        close(fd);
    } else {
        CHECK_INT(rc, ==, WEB_STORE_CORRUPT);
        CHECK(strstr(err.msg, "damaged") != NULL);
        CHECK_STR(b.buf, "prefix:");
    }
    /* A damaged blob of the wrong size is repaired by putting it again. */
    CHECK(truncate(path, 5) == 0);
    CHECK_INT(web_blob_put(s, src, strlen(src), hex2, &err), ==, 0);
    buf_reset(&b);
    CHECK_INT(web_blob_get(s, hex, &b, &err), ==, 0);
    CHECK_STR(b.buf, src);

    CHECK_SECTION("missing, malformed and too large");
    char missing[WEB_HASH_HEX + 1];
    memset(missing, '0', WEB_HASH_HEX);
    missing[WEB_HASH_HEX] = '\0';
    CHECK_INT(web_blob_get(s, missing, &b, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_blob_get(s, "../../../etc/passwd", &b, &err), ==, ERR_INVALID);
    CHECK_INT(web_blob_get(s, NULL, &b, &err), ==, ERR_INVALID);
    char upper[WEB_HASH_HEX + 1];
    memcpy(upper, hex, sizeof(upper));
    upper[0] = upper[0] >= 'a' ? (char)(upper[0] - 32) : 'A';
    CHECK_INT(web_blob_get(s, upper, &b, &err), ==, ERR_INVALID);
    struct buf small;
    buf_init(&small, 10);
    CHECK_INT(web_blob_get(s, hex, &small, &err), ==, ERR_LIMIT);
    CHECK_INT(small.len, ==, 0);
    buf_release(&small);
    CHECK_INT(count_temp_files(dir), ==, 0);

    buf_release(&b);
    web_store_close(s);
    fixture_rmdir(dir);
    return check_done("unit.web.storage_blobs");
}

/* crucible serve keeps one store per thread while `crucible user add` opens
 * and closes its own. Opening a second store once closed a descriptor of the
 * database behind SQLite's back, which drops all of the process's POSIX
 * locks on it: the other process then thought it was the last user, deleted
 * the -wal and -shm files on close, and the server never saw its writes. */
static int test_shared_wal(void)
{
    char dir[256], wal[300];
    struct err err;
    struct web_user u;
    fixture_tmpdir(dir);
    struct web_store *a = fixture_open(dir), *b = fixture_open(dir), *c = fixture_open(dir);
    fixture_user(a, "first", WEB_ROLE_ADMIN);
    snprintf(wal, sizeof(wal), "%s/crucible.db-wal", dir);
    struct stat st;
    int pg = fixture_pg() != NULL;
    if (pg)
        fprintf(stderr, "(postgresql: no WAL files; the stores and the other process share the database)\n");
    else
        CHECK(stat(wal, &st) == 0);

    CHECK_SECTION("another process opens, writes and closes: the WAL stays");
    /* A fresh program, not a fork: a forked child would inherit SQLite's
     * in-memory lock bookkeeping of this process. */
    pid_t pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", "web_storage_tests", "shared_wal_child", dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char shm[300];
    snprintf(shm, sizeof(shm), "%s/crucible.db-shm", dir);
    if (!pg) {
        CHECK(stat(wal, &st) == 0);
        CHECK(stat(shm, &st) == 0);
    }

    CHECK_SECTION("every store here sees the other process's write");
    CHECK_INT(web_store_user_by_name(a, "from_child", &u, &err), ==, 0);
    CHECK_INT(web_store_user_by_name(b, "from_child", &u, &err), ==, 0);
    CHECK_INT(web_store_user_by_name(c, "from_child", &u, &err), ==, 0);
    fixture_user(b, "after", WEB_ROLE_CONTESTANT);
    CHECK_INT(web_store_user_by_name(c, "after", &u, &err), ==, 0);
    web_store_close(a);
    web_store_close(b);
    web_store_close(c);
    CHECK_INT(raw_i64(dir, "SELECT count(*) FROM users"), ==, 3);
    fixture_rmdir(dir);
    return check_done("unit.web.storage_shared_wal");
}

/* PostgreSQL only: two stores on two data folders and one database are one
 * platform (the contract's stateless web tier): each sees the other's rows,
 * and a blob put through one is read through the other although that one's
 * folder never had the file, since blobs are kept in the database too. */
static int test_shared_db(void)
{
    char dira[256], dirb[256], dirc[300], hex[WEB_HASH_HEX + 1], path[512];
    struct err err;
    struct web_user u;
    struct stat st;
    struct buf got;
    if (!fixture_pg()) {
        fprintf(stderr, "unit.web.storage_shared_db: needs PostgreSQL (CRUCIBLE_TEST_PG): skipped\n");
        return 77;
    }
    fixture_tmpdir(dira);           /* makes the database */
    fixture_tmpdir_only(dirb);
    struct web_store *a = fixture_open(dira), *b = fixture_open(dirb);
    buf_init(&got, 0);

    CHECK_SECTION("rows written through one are read through the other");
    int64_t uid = fixture_user(a, "from_a", WEB_ROLE_ADMIN);
    CHECK_INT(web_store_user_by_name(b, "from_a", &u, &err), ==, 0);
    CHECK_INT(u.id, ==, uid);
    fixture_user(b, "from_b", WEB_ROLE_CONTESTANT);
    CHECK_INT(web_store_user_by_name(a, "from_b", &u, &err), ==, 0);
    int64_t pid = fixture_problem(a, "shared");
    int64_t judge = fixture_judge(b, "judge-b", NULL);
    int64_t sid = fixture_submission(a, uid, pid, 0, 10, &err);
    CHECK_INT(sid, >, 0);
    struct web_job job;
    CHECK_INT(web_store_job_claim(b, judge, 60, 100, &job, &err), ==, 0);     /* one queue */
    CHECK_INT(job.submission_id, ==, sid);
    struct web_judging_result r = { .verdict = "AC" };
    CHECK_INT(web_store_job_complete(b, judge, job.judging_id, &r, 101, &err), ==, 0);
    struct web_submission sub;
    CHECK_INT(web_store_submission_by_id(a, sid, &sub, &err), ==, 0);
    CHECK_INT(sub.status, ==, WEB_SUB_JUDGED);

    CHECK_SECTION("a blob put through one is read through the other");
    const char *src = "print(sum(map(int, input().split())))\n";
    CHECK_INT(web_blob_put(a, src, strlen(src), hex, &err), ==, 0);
    snprintf(path, sizeof(path), "%s/blobs/%.2s/%s", dirb, hex, hex + 2);
    CHECK(stat(path, &st) < 0 && errno == ENOENT);      /* b's folder never had it */
    CHECK_INT(web_blob_get(b, hex, &got, &err), ==, 0);
    CHECK_INT(got.len, ==, strlen(src));
    CHECK_STR(got.buf, src);
    /* A path to send is a file in b's own folder, fetched if need be. */
    char bpath[512];
    CHECK_INT(web_blob_path(b, hex, bpath, sizeof(bpath), &err), ==, 0);
    CHECK_STR(bpath, path);
    CHECK(stat(path, &st) == 0 && st.st_size == (off_t)strlen(src));

    CHECK_SECTION("and the other way, a large one streamed from a file");
    char input[300], hex2[WEB_HASH_HEX + 1];
    snprintf(input, sizeof(input), "%s/input", dirb);
    FILE *f = fopen(input, "w");
    for (int i = 0; i < 100000; i++)
        fprintf(f, "line %d\n", i);
    fclose(f);
    struct buf whole;
    buf_init(&whole, 0);
    CHECK_INT(buf_read_file(&whole, input, &err), ==, 0);
    int fd = open(input, O_RDONLY);
    CHECK_INT(web_blob_put_fd(b, fd, 4 << 20, hex2, &err), ==, 0);
    close(fd);
    buf_reset(&got);
    CHECK_INT(web_blob_get(a, hex2, &got, &err), ==, 0);
    CHECK(got.len == whole.len && memcmp(got.buf, whole.buf, got.len) == 0);
    buf_release(&whole);
    char missing[WEB_HASH_HEX + 1];
    memset(missing, '0', WEB_HASH_HEX);
    missing[WEB_HASH_HEX] = '\0';
    CHECK_INT(web_blob_get(b, missing, &got, &err), ==, ERR_NOTFOUND);

    CHECK_SECTION("a data folder lost entirely: a new one on the same database has everything");
    web_store_close(a);
    web_store_close(b);
    fixture_rmdir(dirb);            /* no database of its own: only the folder goes */
    char dird[256];
    fixture_tmpdir_only(dird);
    snprintf(dirc, sizeof(dirc), "%s/new", dird);
    struct web_store *c = fixture_open(dirc);
    CHECK_INT(web_store_user_by_name(c, "from_b", &u, &err), ==, 0);
    buf_reset(&got);
    CHECK_INT(web_blob_get(c, hex, &got, &err), ==, 0);
    CHECK_STR(got.buf, src);
    buf_reset(&got);
    CHECK_INT(web_blob_get(c, hex2, &got, &err), ==, 0);
    CHECK_INT(got.len, >, 100000);
    CHECK_INT(web_store_check(c, &err), ==, 0);
    web_store_close(c);
    buf_release(&got);
    fixture_rmdir(dird);
    fixture_rmdir(dira);
    return check_done("unit.web.storage_shared_db");
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } tests[] = {
        { "migrations", test_migrations },
        { "entities", test_entities },
        { "limits", test_limits },
        { "blobs", test_blobs },
        { "shared_wal", test_shared_wal },
        { "shared_db", test_shared_db },
    };
    if (argc == 3 && !strcmp(argv[1], "shared_wal_child")) {
        struct web_store *s = fixture_open(argv[2]);
        fixture_user(s, "from_child", WEB_ROLE_CONTESTANT);
        web_store_close(s);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: web_storage_tests NAME\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (strcmp(tests[i].name, argv[1]) == 0)
            return tests[i].fn();
    fprintf(stderr, "web_storage_tests: no test '%s'\n", argv[1]);
    return 2;
}
