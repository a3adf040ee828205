#!/usr/bin/env python3
"""run_web_test.py: runs one end-to-end case of crucible serve's test suite.

Each case starts the real `crucible serve` on a free loopback port with a
fresh data folder (made with `crucible init` and `crucible user add`), talks
to it over HTTP with the standard library only, and stops it with SIGTERM:

    run_web_test.py --crucible PATH --source-dir REPO --work DIR CASE

Run as root, the server is started as root with `user = nobody`, so the
privilege drop is exercised (the case checks the server's uid); run as
another user, it simply runs as that user. Exit status: 0 pass, 1 fail, 77
skip (judge_daemon needs root for the judge's sandbox).
Set CRUCIBLE_TEST_KEEP=1 to keep a case's work folder and server log.
"""

import argparse
import hashlib
import http.client
import io
import json
import os
import pwd
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


# ---- pg: PostgreSQL mode (ctest -L pg; tests/pg/pg_cluster.sh) ---------------------------------
# With CRUCIBLE_TEST_PG set to a libpq key=value conninfo without dbname (the
# CTest fixture's cluster: "host=/tmp/crucible-pg-... user=postgres"), every
# Server gets a fresh database of its own in that cluster: its crucible.conf
# says `database = <conninfo> dbname=<name>` and its cli() commands run with
# CRUCIBLE_DATABASE set to the same. The databases are dropped when the case
# passes. Cases that read crucible.db with sqlite3 read the server's database
# instead: sqlite3.connect on a Server's DATA/crucible.db returns a small
# stand-in that runs the query through psql (results as JSON, so numbers stay
# numbers). A crucible without the `database` key skips (77).
PG = os.environ.get("CRUCIBLE_TEST_PG", "").strip()
_pg_state = {"case": "case", "count": 0, "made": [], "by_data": {}, "checked": False}
_sqlite3_connect = sqlite3.connect


def pg_psql():
    found = shutil.which("psql")
    if found:
        return found
    for d in sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v) if v.isdigit() else 0, reverse=True) \
            if os.path.isdir("/usr/lib/postgresql") else []:
        if os.access("/usr/lib/postgresql/%s/bin/psql" % d, os.X_OK):
            return "/usr/lib/postgresql/%s/bin/psql" % d
    raise Fail("CRUCIBLE_TEST_PG is set but there is no psql")


def pg_run(conninfo, sql, check_rc=True):
    """Runs sql with psql on conninfo; returns its stdout lines."""
    p = subprocess.run([pg_psql(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if check_rc:
        check(p.returncode == 0, "psql %r: %s" % (sql[:200], p.stderr.strip()))
    return p.stdout.splitlines()


def pg_database_name():
    _pg_state["count"] += 1
    case = re.sub(r"[^a-z0-9]+", "_", _pg_state["case"].lower())[:30]
    return "crucible_t_%s_%d_%d" % (case, os.getpid(), _pg_state["count"])


def pg_create_database(name):
    """A new empty database; returns its full conninfo."""
    check(not PG.startswith(("postgres://", "postgresql://")),
          "CRUCIBLE_TEST_PG must be a key=value conninfo, not a URI: %r" % PG)
    pg_run(PG + " dbname=postgres", 'CREATE DATABASE "%s"' % name)
    _pg_state["made"].append(name)
    return "%s dbname=%s" % (PG, name)


def pg_drop_databases():
    for name in _pg_state["made"]:
        pg_run(PG + " dbname=postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name, check_rc=False)
    _pg_state["made"] = []


def pg_check_engine(ctx, conninfo):
    """Skip when this crucible does not know the `database` key at all."""
    if _pg_state["checked"]:
        return
    conf = os.path.join(ctx.work, "pg-check.conf")
    with open(conf, "w") as f:
        f.write("database = %s\n" % conninfo)
    p = subprocess.run([ctx.crucible, "serve", "--check-config", "--config=" + conf], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    os.unlink(conf)
    if p.returncode != 0 and "database" in p.stderr:
        raise Skip("this crucible has no PostgreSQL engine (%s)" % p.stderr.strip()[:200])
    _pg_state["checked"] = True


def pg_check_used(srv):
    """After `crucible init`: the schema is in PostgreSQL, no SQLite file."""
    n = pg_run(srv.database, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
    check(n == ["1"], "crucible init made no schema in PostgreSQL (%s): was CRUCIBLE_DATABASE ignored?" % srv.database)
    check(not os.path.exists(os.path.join(srv.data, "crucible.db")),
          "crucible init made %s/crucible.db with CRUCIBLE_DATABASE set" % srv.data)


def _pg_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (bytes, bytearray)):
        return "'\\x%s'::bytea" % bytes(v).hex()
    return "'%s'" % str(v).replace("'", "''")


def _pg_bind(sql, params):
    """sqlite3's ? placeholders (outside quotes) replaced by literals."""
    out, params, quote = [], list(params or ()), None
    for ch in sql:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            check(params, "too few parameters for %r" % sql)
            out.append(_pg_literal(params.pop(0)))
            continue
        out.append(ch)
    check(not params, "too many parameters for %r" % sql)
    return "".join(out)


class _PgCursor:
    def __init__(self, rows):
        self.rows = rows
        self.rowcount = len(rows)

    def fetchone(self):
        return self.rows.pop(0) if self.rows else None

    def fetchall(self):
        rows, self.rows = self.rows, []
        return rows

    def __iter__(self):
        return iter(self.fetchall())


class _PgConnection:
    """What the cases use of a sqlite3 connection, on a PostgreSQL database."""

    def __init__(self, conninfo):
        self.conninfo = conninfo

    def execute(self, sql, params=()):
        sql = _pg_bind(sql, params).strip().rstrip(";")
        if re.match(r"(?i)pragma\s+(integrity|quick)_check", sql):
            return _PgCursor([("ok",)])
        if not re.match(r"(?i)(select|with|values)\b", sql):
            pg_run(self.conninfo, sql)
            return _PgCursor([])
        pairs = json.JSONDecoder(object_pairs_hook=lambda p: p)
        lines = pg_run(self.conninfo, "SELECT row_to_json(q) FROM (%s) q" % sql)
        return _PgCursor([tuple(v for _, v in pairs.decode(line)) for line in lines if line])

    def cursor(self):
        return self

    def commit(self):
        pass

    def rollback(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _pg_sqlite_connect(database, *args, **kw):
    path = str(database)
    if path.startswith("file:"):
        path = path[5:].split("?", 1)[0]
    if os.path.basename(path) == "crucible.db":
        conninfo = _pg_state["by_data"].get(os.path.realpath(os.path.dirname(path)))
        if conninfo:
            return _PgConnection(conninfo)
    return _sqlite3_connect(database, *args, **kw)


if PG:
    sqlite3.connect = _pg_sqlite_connect
# ---- end pg ------------------------------------------------------------------------------------------


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # lower-case names
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise Fail("not JSON (%d): %r" % (self.status, self.body[:300]))

    def error_code(self):
        j = self.json()
        check(isinstance(j, dict) and isinstance(j.get("error"), dict), "no error object: %r" % j)
        check(isinstance(j["error"].get("code"), str) and isinstance(j["error"].get("message"), str),
              "error without code and message: %r" % j)
        return j["error"]["code"]

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body[:300])


class Client:
    """One user agent: keeps the session cookie and the CSRF token."""

    def __init__(self, server, token=None):
        self.server = server
        self.cookie = None
        self.csrf = None
        self.token = token

    def request(self, method, path, body=None, ctype=None, headers=None, csrf=True, timeout=60):
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            ctype = ctype or "application/json"
        elif isinstance(body, str):
            body = body.encode()
        if ctype:
            h["Content-Type"] = ctype
        if self.cookie:
            h["Cookie"] = "crucible_session=" + self.cookie
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            headers = {k.lower(): v for k, v in r.getheaders()}
            resp = Resp(r.status, headers, data)
        finally:
            conn.close()
        self.server.seen.append((method, path, resp.status))
        check(resp.status < 500 or self.server.allow_5xx,
              "%s %s answered %d: %r" % (method, path, resp.status, resp.body[:300]))
        for k, v in SECURITY_HEADERS.items():
            check(resp.headers.get(k) == v, "%s %s: header %s is %r" % (method, path, k, resp.headers.get(k)))
        csp = resp.headers.get("content-security-policy", "")
        check("frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp,
              "%s %s: Content-Security-Policy %r" % (method, path, csp))
        if resp.status >= 400 and method != "HEAD":
            resp.error_code()
        sc = resp.headers.get("set-cookie")
        if sc and sc.startswith("crucible_session="):
            value = sc.split(";")[0].split("=", 1)[1]
            self.cookie = value or None
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def login(self, name, password):
        r = self.post("/api/v1/login", {"name": name, "password": password})
        check(r.status == 200, "login %s: %r" % (name, r))
        self.csrf = r.json()["csrf_token"]
        return r


class Server:
    """A data folder and the crucible serve running on it."""

    def __init__(self, ctx, name, config=None, init=True):
        self.ctx = ctx
        self.dir = os.path.join(ctx.work, name)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")
        self.config = os.path.join(self.dir, "crucible.conf")
        self.proc = None
        self.port = None
        self.seen = []
        self.allow_5xx = False
        os.makedirs(self.dir, exist_ok=True)
        settings = {"languages": os.path.join(ctx.src, "judge", "languages.yaml"),
                    "threads": "4", "shutdown_grace": "20",
                    "judges": "0"}      # no embedded judges: cases start their own
        if os.geteuid() == 0:
            settings["user"] = "nobody"
        settings.update(config or {})
        # pg: a database of this server's own unless config names one (init=False: an existing one)
        self.database = settings.get("database") or (pg_create_database(pg_database_name()) if PG else None)
        if self.database:
            settings["database"] = self.database
            pg_check_engine(ctx, self.database)
            _pg_state["by_data"][os.path.realpath(self.data)] = self.database
        with open(self.config, "w") as f:
            f.write("# written by run_web_test.py\n")
            for k, v in settings.items():
                f.write("%s = %s\n" % (k, v))
        if init:
            self.cli(["init", "--data=" + self.data])
            if PG:
                pg_check_used(self)
        else:
            os.makedirs(self.data, exist_ok=True)

    def env(self):
        """The environment for crucible commands on this data folder (pg: CRUCIBLE_DATABASE)."""
        env = dict(os.environ)
        if self.database:
            env["CRUCIBLE_DATABASE"] = self.database
        return env

    def cli(self, args, stdin=None, expect_rc=0):
        p = subprocess.run([self.ctx.crucible] + args, input=stdin, capture_output=True, text=True,
                           timeout=60, stdin=None if stdin is not None else subprocess.DEVNULL, env=self.env())
        if expect_rc is not None:
            check(p.returncode == expect_rc, "crucible %s: exit %d, not %d\n%s%s" %
                  (" ".join(args), p.returncode, expect_rc, p.stdout, p.stderr))
        return p

    def add_user(self, name, role, password=None):
        """Returns (password, token or None)."""
        p = self.cli(["user", "add", "--data=" + self.data, "--role=" + role, name],
                     stdin=(password + "\n") if password else None)
        out = dict(l.split(": ", 1) for l in p.stdout.splitlines() if ": " in l)
        return password or out.get("password"), out.get("token")

    def start(self, port=0):
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("CRUCIBLE_"):
                del env[k]
        self.logf = open(self.log, "ab")
        offset = self.logf.tell()           # earlier runs' lines are not this run's
        self.proc = subprocess.Popen([self.ctx.crucible, "serve", "--config=" + self.config,
                                     "--data=" + self.data, "--listen=127.0.0.1:%d" % port],
                                    stdout=self.logf, stderr=self.logf, env=env)
        deadline = time.time() + 30
        pat = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
        while time.time() < deadline:
            with open(self.log, "rb") as f:
                f.seek(offset)
                text = f.read().decode(errors="replace")
            found = pat.findall(text)
            if found and self.proc.poll() is None:
                self.port = int(found[-1])
                break
            if self.proc.poll() is not None:
                raise Fail("crucible serve exited with %d:\n%s" % (self.proc.returncode, text[-3000:]))
            time.sleep(0.05)
        else:
            raise Fail("crucible serve did not start listening within 30 s")
        if os.geteuid() == 0:
            uid = self.uid()
            check(uid == pwd.getpwnam("nobody").pw_uid, "started as root with user = nobody, runs as uid %d" % uid)
        return self

    def uid(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[2])       # effective uid
        return -1

    def stop(self, expect_rc=0):
        if not self.proc:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Fail("crucible serve did not stop within 40 s of SIGTERM")
        self.proc = None
        self.logf.close()
        if expect_rc is not None:
            check(rc == expect_rc, "crucible serve exited with %d after SIGTERM, not %d:\n%s" %
                  (rc, expect_rc, self.log_text()[-3000:]))
        return rc

    def log_text(self):
        with open(self.log, "rb") as f:
            return f.read().decode(errors="replace")

    def client(self, token=None):
        return Client(self, token)

    def raw(self, data, read_timeout=10):
        """Sends raw bytes; returns (status or None, seconds, everything read)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout)
        t0 = time.time()
        try:
            s.sendall(data)
            got = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                got += chunk
                if b"\r\n\r\n" in got:
                    head, _, rest = got.partition(b"\r\n\r\n")
                    m = re.search(rb"content-length: *(\d+)", head, re.I)
                    if m and len(rest) >= int(m.group(1)):
                        break
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.[01] (\d{3})", got)
        return (int(m.group(1)) if m else None), time.time() - t0, got


class Ctx:
    def __init__(self, crucible, source_dir, work):
        self.crucible = crucible
        self.src = source_dir
        self.work = work
        self.servers = []

    def server(self, name="server", config=None):
        s = Server(self, name, config)
        self.servers.append(s)
        return s

    def zip_dir(self, folder, top=None, edit=None):
        """A zip of folder (files under `top/` when given); edit maps a
        relative path to new bytes (None deletes it)."""
        edit = edit or {}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for d, _, files in os.walk(folder):
                for fn in sorted(files):
                    full = os.path.join(d, fn)
                    rel = os.path.relpath(full, folder)
                    arc = os.path.join(top, rel) if top else rel
                    if rel in edit:
                        if edit[rel] is not None:
                            z.writestr(arc, edit[rel])
                        continue
                    z.write(full, arc)
            for rel, data in edit.items():
                if data is not None and not os.path.exists(os.path.join(folder, rel)):
                    z.writestr(os.path.join(top, rel) if top else rel, data)
        return out.getvalue()

    def hello_sum_zip(self, **kw):
        return self.zip_dir(os.path.join(self.src, "problems", "examples", "hello-sum"),
                            top=kw.pop("top", "hello-sum"), **kw)


# ---- helpers shared by cases -------------------------------------------------------------------

def setup_platform(ctx, config=None, name="server"):
    """A running server with an admin, two contestants and a judge account."""
    srv = ctx.server(name, config)
    users = {}
    users["admin"] = srv.add_user("boss", "admin", "boss-password-1")
    users["alice"] = srv.add_user("alice", "contestant", "alice-password-1")
    users["bob"] = srv.add_user("bob", "contestant", "bob-password-1")
    users["judge"] = srv.add_user("judge1", "judge")
    srv.start()
    return srv, users


def upload_problem(ctx, srv, admin, publish=True):
    r = admin.post("/api/v1/problems", ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload hello-sum: %r" % r)
    pid = r.json()["problem"]["id"]
    if publish:
        r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True})
        check(r.status == 200 and r.json()["problem"]["published"] is True, "publish: %r" % r)
    return pid


def sum_c(ctx):
    with open(os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions", "accepted", "sum.c")) as f:
        return f.read()


def submit(client, pid, content, lang="c", name="sum.c"):
    r = client.post("/api/v1/submissions", {"problem": pid, "language": lang,
                                            "files": [{"name": name, "content": content}]})
    check(r.status == 201, "submit: %r" % r)
    return r.json()["id"]


def fake_result(verdict="AC", tests=None):
    if tests is None:
        tests = [{"name": "secret/01-zeros", "group": "secret", "verdict": verdict, "time_seconds": 0.01,
                  "memory_bytes": 1 << 20, "score": 0, "message": "checker says: expected 0 got 0"},
                 {"name": "secret/02-max", "group": "secret", "verdict": verdict, "time_seconds": 0.02,
                  "memory_bytes": 2 << 20, "score": 0, "message": "secret detail 2000000000"}]
    return {"verdict": verdict, "score": 0, "max_score": 0, "time_seconds": 0.02, "memory_bytes": 2 << 20,
            "compile_output": "sum.c: all fine\n", "message": "", "cpu_seconds_total": 0.5, "tests": tests}


def claim_body(host="host-a", languages=("c", "cpp", "python3")):
    return {"host": host, "languages": list(languages), "cores": 4, "memory_bytes": 8 << 30, "gpus": 0}


# ---- cases --------------------------------------------------------------------------------------------

def case_init_user(ctx):
    """init + user add/token on the command line; --check-config; the
    privilege drop (as root)."""
    srv = ctx.server()
    check(PG or os.path.isfile(os.path.join(srv.data, "crucible.db")), "init made no database")   # pg: see pg_check_used
    srv.cli(["init", "--data=" + srv.data])                            # idempotent
    pw, tok = srv.add_user("alice", "contestant", "from-stdin-pw")
    check(pw == "from-stdin-pw" and tok is None, "contestant got a token")
    p = srv.cli(["user", "add", "--data=" + srv.data, "--role=organizer", "olga"])
    m = re.search(r"^password: (\S+)$", p.stdout, re.M)
    check(m and len(m.group(1)) == 16, "no generated 16-character password:\n" + p.stdout)
    olga_pw = m.group(1)
    pw, tok = srv.add_user("judge1", "judge")
    check(tok and re.fullmatch(r"[0-9a-f]{64}", tok), "judge account without a 64-hex token: %r" % tok)
    p = srv.cli(["user", "token", "--data=" + srv.data, "alice"])
    alice_tok = re.search(r"^token: ([0-9a-f]{64})$", p.stdout, re.M)
    check(alice_tok, "user token printed no token:\n" + p.stdout)
    srv.cli(["user", "add", "--data=" + srv.data, "--role=wizard", "x"], expect_rc=2)
    srv.cli(["user", "add", "--data=" + srv.data, "--role=admin", "alice"], stdin="another-pw\n", expect_rc=1)
    srv.cli(["user", "add", "--data=" + srv.data, "--role=admin", "shorty"], stdin="short\n", expect_rc=2)
    srv.cli(["user", "add", "--data=" + srv.data, "--role=admin", "bad/name"], stdin="long-enough\n", expect_rc=1)
    srv.cli(["user", "token", "--data=" + srv.data, "nobody-here"], expect_rc=1)
    p = srv.cli(["serve", "--config=" + srv.config, "--check-config"])
    check("threads = 4" in p.stdout and "listen = 127.0.0.1:8080" in p.stdout, "check-config:\n" + p.stdout)
    bad = os.path.join(srv.dir, "bad.conf")
    with open(bad, "w") as f:
        f.write("listen = 127.0.0.1:1\nno_such_key = 1\n")
    p = srv.cli(["serve", "--config=" + bad, "--check-config"], expect_rc=2)
    check("no_such_key" in p.stderr and ":2:" in p.stderr, "unknown key error: " + p.stderr)
    with open(bad, "w") as f:
        f.write("threads = lots\n")
    srv.cli(["serve", "--config=" + bad, "--check-config"], expect_rc=2)
    p = subprocess.run([ctx.crucible, "serve", "--check-config", "--config=" + srv.config],
                       env=dict(os.environ, CRUCIBLE_LEASE_SECONDS="2"), capture_output=True, text=True)
    check(p.returncode == 2 and "CRUCIBLE_LEASE_SECONDS" in p.stderr, "env var error: " + p.stderr)
    p = subprocess.run([ctx.crucible, "serve", "--check-config", "--config=" + srv.config, "--listen=[::1]:9"],
                       env=dict(os.environ, CRUCIBLE_LEASE_SECONDS="30"), capture_output=True, text=True)
    check(p.returncode == 0 and "lease_seconds = 30" in p.stdout and "listen = [::1]:9" in p.stdout,
          "env < flags: " + p.stdout + p.stderr)
    srv.start()
    c = srv.client()
    c.login("olga", olga_pw)
    check(c.get("/api/v1/me").json()["user"]["role"] == "organizer", "organizer role")
    t = srv.client(token=alice_tok.group(1))
    check(t.get("/api/v1/me").json()["user"]["name"] == "alice", "API token of alice")
    r = srv.client().get("/healthz")
    check(r.status == 200 and r.body == b"ok\n", "healthz: %r" % r)
    if os.geteuid() == 0 and not PG:        # pg: no database file to hand over
        st = os.stat(os.path.join(srv.data, "crucible.db"))
        check(st.st_uid == pwd.getpwnam("nobody").pw_uid, "the database was not handed to the service user")
    srv.stop()


def case_auth(ctx):
    """register/login/me/logout, the cookie's attributes, CSRF, tokens."""
    srv, users = setup_platform(ctx)
    a = srv.client()
    r = a.post("/api/v1/register", {"name": "carol", "password": "carol-password"})
    check(r.status == 201 and r.json()["user"]["role"] == "contestant", "register: %r" % r)
    check(a.post("/api/v1/register", {"name": "CAROL", "password": "carol-password"}).status == 409,
          "names are unique ignoring case")
    check(a.post("/api/v1/register", {"name": "dave", "password": "short"}).error_code() == "weak_password",
          "short password")
    check(a.post("/api/v1/register", {"name": "d a v e", "password": "long-enough"}).status == 400, "bad name")
    check(a.get("/api/v1/me").status == 401, "me before login")
    r = a.post("/api/v1/login", {"name": "carol", "password": "wrong-password"})
    check(r.status == 401 and r.error_code() == "bad_credentials", "wrong password: %r" % r)
    r = a.post("/api/v1/login", {"name": "nobody-at-all", "password": "whatever-pw"})
    check(r.status == 401 and r.error_code() == "bad_credentials", "unknown user: %r" % r)
    r = a.login("carol", "carol-password")
    sc = r.headers["set-cookie"]
    for attr in ("HttpOnly", "SameSite=Lax", "Path=/"):
        check(attr in sc, "cookie lacks %s: %s" % (attr, sc))
    check("Secure" not in sc, "Secure over plain HTTP with cookie_secure=auto")
    check(re.fullmatch(r"[0-9a-f]{64}", a.csrf or ""), "csrf token")
    me = a.get("/api/v1/me").json()
    check(me["user"]["name"] == "carol" and me["csrf_token"] == a.csrf, "me: %r" % me)
    # a state-changing request with the cookie but no CSRF header: refused
    r = a.post("/api/v1/submissions", {"problem": 1, "language": "c", "files": []}, csrf=False)
    check(r.status == 403 and r.error_code() == "csrf", "POST without X-CSRF-Token: %r" % r)
    r = a.post("/api/v1/logout", csrf=False)
    check(r.status == 403 and r.error_code() == "csrf", "logout without X-CSRF-Token: %r" % r)
    r = a.post("/api/v1/logout", headers={"X-CSRF-Token": "0" * 64}, csrf=False)
    check(r.status == 403, "wrong CSRF token: %r" % r)
    # the token of another session does not fit this one
    b = srv.client()
    b.login("carol", "carol-password")
    check(b.csrf != a.csrf, "two sessions share a CSRF token")
    r = a.post("/api/v1/logout", headers={"X-CSRF-Token": b.csrf}, csrf=False)
    check(r.status == 403, "another session's CSRF token: %r" % r)
    cookie = a.cookie
    r = a.post("/api/v1/logout")
    check(r.status == 204 and "Max-Age=0" in r.headers.get("set-cookie", ""), "logout: %r" % r)
    a.cookie = cookie
    check(a.get("/api/v1/me").status == 401, "the session survived logout")
    check(b.get("/api/v1/me").status == 200, "logout ended another session")
    # API tokens: no CSRF needed, bad ones 401
    j = srv.client(token=users["judge"][1])
    check(j.get("/api/v1/me").json()["user"]["role"] == "judge", "judge token")
    check(srv.client(token="f" * 64).get("/api/v1/me").status == 401, "unknown token")
    check(srv.client(token="not-a-token").get("/api/v1/me").status == 401, "malformed token")
    r = srv.client().get("/api/v1/me", headers={"Authorization": "Basic Ym9zczpib3Nz"})
    check(r.status == 401, "Basic auth: %r" % r)
    # a cookie with garbage is just no session
    x = srv.client()
    x.cookie = "garbage"
    check(x.get("/api/v1/me").status == 401, "garbage cookie")
    check(x.get("/api/v1/problems").status == 200, "a stale cookie breaks public pages")
    # registration by code, then closed (the settings are read per request)
    srv.cli(["init", "--data=" + srv.data, "--registration=code", "--registration-code=s3cret"])
    r = srv.client().post("/api/v1/register", {"name": "erin", "password": "erin-password"})
    check(r.status == 403 and r.error_code() == "registration_closed", "registration without the code: %r" % r)
    r = srv.client().post("/api/v1/register", {"name": "erin", "password": "erin-password", "code": "wrong"})
    check(r.status == 403, "registration with a wrong code: %r" % r)
    r = srv.client().post("/api/v1/register", {"name": "erin", "password": "erin-password", "code": "s3cret"})
    check(r.status == 201, "registration with the code: %r" % r)
    srv.cli(["init", "--data=" + srv.data, "--registration=admin"])
    r = srv.client().post("/api/v1/register", {"name": "fred", "password": "fred-password"})
    check(r.status == 403 and r.error_code() == "registration_closed", "closed registration: %r" % r)
    srv.stop()
    rows = sqlite3.connect(os.path.join(srv.data, "crucible.db")).execute(
        "SELECT token_hash FROM sessions").fetchall()
    check(b.cookie not in [t for (t,) in rows], "a session token is stored in clear")


def case_rate_limit(ctx):
    """10 failed logins in 15 minutes: 429 with Retry-After, per account and
    per address."""
    srv, users = setup_platform(ctx)
    c = srv.client()
    for i in range(10):
        r = c.post("/api/v1/login", {"name": "alice", "password": "wrong-%d-password" % i})
        check(r.status == 401, "failure %d: %r" % (i + 1, r))
    r = c.post("/api/v1/login", {"name": "alice", "password": "alice-password-1"})
    check(r.status == 429 and r.error_code() == "rate_limited", "11th login: %r" % r)
    check(int(r.headers.get("retry-after", "0")) > 0, "no Retry-After: %r" % r.headers)
    r = c.post("/api/v1/login", {"name": "ALICE", "password": "alice-password-1"})
    check(r.status == 429, "the limit ignores case: %r" % r)
    # the address is limited too: another account from here
    r = c.post("/api/v1/login", {"name": "bob", "password": "bob-password-1"})
    check(r.status == 429, "per-address limit: %r" % r)
    # a judge's API token still works
    check(srv.client(token=users["judge"][1]).get("/api/v1/me").status == 200, "tokens are not rate limited")
    srv.stop()


def case_bad_input(ctx):
    """Malformed input on every endpoint is a 4xx with an error object."""
    srv, users = setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    pid = upload_problem(ctx, srv, admin)
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    judge = srv.client(token=users["judge"][1])
    sid = submit(alice, pid, sum_c(ctx))

    json_endpoints = [
        (srv.client(), "POST", "/api/v1/register"),
        (srv.client(), "POST", "/api/v1/login"),
        (alice, "POST", "/api/v1/submissions"),
        (admin, "PATCH", "/api/v1/problems/%d" % pid),
        (judge, "POST", "/api/v1/judge/claim"),
        (judge, "POST", "/api/v1/judge/jobs/1/result"),
    ]
    bodies = [b"{", b"[1, 2]", b"\"text\"", b"null", b"{\"a\": 1} trailing", b"{\"name\": \"\xff\xfe\"}",
              b"{\"unknown_field\": 1}", b"{\"name\": 1, \"password\": 2}", b"", b"{" * 5000,
              b"{\"name\": \"x\", \"name\": \"y\", \"password\": \"zzzzzzzzz\"}", b"\x00\x01\x02"]
    leaver = srv.client()
    leaver.login("bob", "bob-password-1")
    submit(alice, pid, sum_c(ctx))
    r = judge.post("/api/v1/judge/claim", claim_body("host-bad"))
    check(r.status == 200, "claim: %r" % r)
    hb = r.json()["job"]["id"]
    optional = [(leaver, "POST", "/api/v1/logout"), (judge, "POST", "/api/v1/judge/jobs/%d/heartbeat" % hb)]
    for client, method, path in json_endpoints + optional:
        for body in bodies:
            if body == b"" and (client, method, path) in optional:
                continue                    # an empty body is what these take
            r = client.request(method, path, body, ctype="application/json")
            check(400 <= r.status < 500, "%s %s with %r: %r" % (method, path, body[:40], r))
        r = client.request(method, path, b"{}", ctype="text/plain")
        check(r.status == 415, "%s %s as text/plain: %r" % (method, path, r))
    check(leaver.get("/api/v1/me").status == 200, "a bad logout logged out")
    check(judge.post("/api/v1/judge/jobs/%d/result" % hb, fake_result()).status == 200, "result after junk")
    # wrong types, field by field
    for body in [{"problem": "1", "language": "c", "files": []},
                 {"problem": 1.5, "language": "c", "files": [{"name": "a.c", "content": "x"}]},
                 {"problem": pid, "language": 7, "files": [{"name": "a.c", "content": "x"}]},
                 {"problem": pid, "language": "c", "files": {"name": "a.c"}},
                 {"problem": pid, "language": "c", "files": [{"name": "a.c", "content": 5}]},
                 {"problem": pid, "language": "c", "files": [{"name": "a.c", "content": "x", "extra": 1}]},
                 {"problem": pid, "language": "c", "files": [{"name": "../a.c", "content": "x"}]},
                 {"problem": pid, "language": "c", "files": ["a.c"]},
                 {"problem": pid, "language": "c", "files": []},
                 {"problem": pid, "language": "c"},
                 {"problem": 1e300, "language": "c", "files": [{"name": "a.c", "content": "x"}]}]:
        r = alice.post("/api/v1/submissions", body)
        check(r.status == 400, "submission %r: %r" % (body, r))
    r = alice.post("/api/v1/submissions", {"problem": pid, "language": "brainfuck",
                                           "files": [{"name": "a.bf", "content": "+"}]})
    check(r.status == 422 and r.error_code() == "unknown_language", "unknown language: %r" % r)
    r = alice.post("/api/v1/submissions", {"problem": 999, "language": "c",
                                           "files": [{"name": "a.c", "content": "x"}]})
    check(r.status == 422 and r.error_code() == "unknown_problem", "unknown problem: %r" % r)
    r = alice.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                           "files": [{"name": "a.c", "content": "x" * (257 << 10)}]})
    check(r.status == 413, "source over 256 KiB: %r" % r)
    r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": "yes"})
    check(r.status == 400, "published as a string: %r" % r)
    r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"title": ""})
    check(r.status == 400, "empty title: %r" % r)
    for body in [{"host": "h", "languages": "c"}, {"host": 5, "languages": []}, {"languages": ["c"]},
                 {"host": "h", "languages": [1]}, {"host": "h", "languages": ["c,cpp"]},
                 {"host": "h", "languages": ["c"], "cores": -1}, {"host": "h", "languages": ["c"], "gpus": 1.5},
                 {"host": "bad host name", "languages": ["c"]}, {"host": "h" * 65, "languages": ["c"]}]:
        r = judge.post("/api/v1/judge/claim", body)
        check(r.status == 400, "claim %r: %r" % (body, r))
    r = judge.post("/api/v1/judge/claim", claim_body())
    check(r.status == 200, "claim: %r" % r)
    jid = r.json()["job"]["id"]
    good = fake_result()
    for mutate in [lambda d: d.pop("tests"), lambda d: d.update(verdict="ACCEPTED"),
                   lambda d: d.update(score="1"), lambda d: d.update(memory_bytes=-1),
                   lambda d: d.update(memory_bytes=1.5), lambda d: d.update(extra=1),
                   lambda d: d["tests"][0].pop("group"), lambda d: d["tests"][0].update(verdict="??"),
                   lambda d: d["tests"][1].update(time_seconds=-3), lambda d: d.update(tests=[1, 2]),
                   lambda d: d.update(compile_output="x" * (80 << 10))]:
        d = json.loads(json.dumps(good))
        mutate(d)
        r = judge.post("/api/v1/judge/jobs/%d/result" % jid, d)
        check(400 <= r.status < 500 and r.status != 409, "result %r: %r" % (d, r))
    check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % jid, {"x": 1}).status == 400, "heartbeat body")
    check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % jid, b"junk", ctype="application/json").status == 400,
          "heartbeat junk")
    check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % jid).status == 200, "empty heartbeat")
    check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % jid, {}).status == 200, "{} heartbeat")
    check(judge.post("/api/v1/judge/jobs/%d/result" % jid, good).status == 200, "the job survived bad results")
    # routes, methods, ids, query parameters
    for path in ["/api/v2", "/api/v1/nothing", "/api/v1/problems/abc", "/api/v1/problems/0",
                 "/api/v1/problems/-1", "/api/v1/problems/99999999999999999999", "/api/v1/problems/1/x",
                 "/api/v1/judge/blobs/xyz", "/api/v1/judge/blobs/" + "A" * 64, "/api/v1//problems",
                 "/api/v1/problems/01", "/../etc/passwd", "/api/v1/submissions/%00"]:
        r = admin.get(path)
        check(r.status == 404 and r.error_code() == "not_found", "GET %s: %r" % (path, r))
    for method, path in [("DELETE", "/api/v1/problems/1"), ("PUT", "/api/v1/login"), ("GET", "/api/v1/login"),
                         ("POST", "/api/v1/me"), ("GET", "/api/v1/judge/claim"), ("POST", "/healthz")]:
        r = admin.request(method, path)
        check(r.status == 405 and r.headers.get("allow"), "%s %s: %r" % (method, path, r))
    check(admin.get("/api/v1/problems?evil=1").status == 400, "unknown query parameter")
    check(admin.get("/api/v1/problems?limit=-5").status == 400, "negative limit")
    check(alice.get("/api/v1/submissions?mine=2").status == 400, "mine=2")
    check(alice.get("/api/v1/submissions?before=x").status == 400, "before=x")
    check(admin.get("/api/v1/problems?limit=3").status == 200, "limit=3")
    r = admin.request("HEAD", "/api/v1/problems/%d" % pid)
    check(r.status == 200 and r.body == b"", "HEAD: %r" % r)
    # a body where none is taken
    r = alice.request("GET", "/api/v1/me", b"x" * 100, ctype="text/plain")
    check(r.status == 413, "GET with a body: %r" % r)
    # 100 MB bodies are refused at once, not read
    for path, ctype, who in [("/api/v1/problems", "application/zip", admin),
                             ("/api/v1/submissions", "application/json", alice),
                             ("/api/v1/login", "application/json", None),
                             ("/api/v1/register", "application/json", None),
                             ("/api/v1/problems/%d" % pid, "application/json", admin),
                             ("/api/v1/judge/claim", "application/json", judge),
                             ("/api/v1/judge/jobs/1/result", "application/json", judge),
                             ("/api/v1/judge/jobs/1/heartbeat", "application/json", judge)]:
        method = "PATCH" if path.startswith("/api/v1/problems/") else "POST"
        head = ("%s %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 100000000\r\n" %
                (method, path, ctype))
        if who and who.token:
            head += "Authorization: Bearer %s\r\n" % who.token
        elif who:
            head += "Cookie: crucible_session=%s\r\nX-CSRF-Token: %s\r\n" % (who.cookie, who.csrf)
        status, secs, _ = srv.raw((head + "\r\n").encode() + b"x" * 65536)
        check(status == 413 and secs < 3, "100 MB to %s: %r after %.1f s" % (path, status, secs))
    # the same without Content-Length (chunked): cut off at the limit
    head = ("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    t0 = time.time()
    sent = 0
    try:
        s.sendall(head.encode())
        while sent < 100 << 20 and time.time() - t0 < 10:
            s.sendall(chunk)
            sent += 0x10000
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    check(sent < 10 << 20, "a chunked body of %d bytes was read past the 64 KiB limit" % sent)
    # a header that is too big, a bad Content-Length
    status, _, _ = srv.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n")
    check(status is None or 400 <= status < 500, "huge header: %r" % status)
    status, _, _ = srv.raw(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: -5\r\n\r\n")
    check(status is None or 400 <= status < 500, "negative Content-Length: %r" % status)
    status, _, _ = srv.raw(b"NONSENSE\r\n\r\n")
    check(status is None or 400 <= status < 500, "garbage request line: %r" % status)
    # mutated valid bodies, seeded: never a 5xx (Client checks), never a crash
    import random
    rnd = random.Random(1234)
    valid = [(srv.client(), "/api/v1/login", {"name": "alice", "password": "x" * 9}),
             (srv.client(), "/api/v1/register", {"name": "zed", "password": "zed-password"}),
             (alice, "/api/v1/submissions", {"problem": pid, "language": "c",
                                             "files": [{"name": "a.c", "content": "int main(){}"}]}),
             (judge, "/api/v1/judge/claim", claim_body("fuzz")),
             (judge, "/api/v1/judge/jobs/%d/result" % hb, fake_result())]
    extras = [b"\\ud800", b"1e999", b"-0", b"99999999999999999999999", b"\"\\u0000\"", b"[" * 100, b"{}",
              b"null", b"true", b"\xc3\x28", b"\xf4\x90\x80\x80"]
    for i in range(300):
        client, path, body = valid[rnd.randrange(len(valid))]
        data = bytearray(json.dumps(body).encode())
        for _ in range(rnd.randint(1, 4)):
            op = rnd.randrange(4)
            at = rnd.randrange(len(data) + 1)
            if op == 0 and data:
                del data[at:at + rnd.randint(1, 8)]
            elif op == 1 and data:
                data[min(at, len(data) - 1)] = rnd.randrange(256)
            elif op == 2:
                data[at:at] = extras[rnd.randrange(len(extras))]
            else:
                data = data[:at]
        client.post(path, bytes(data), ctype="application/json")
    # still alive, still well
    check(srv.client().get("/healthz").status == 200, "the server died")
    check(alice.get("/api/v1/submissions/%d" % sid).status == 200, "the data survived")
    check(srv.proc.poll() is None, "the server exited")
    srv.stop()
    check(" 500 " not in srv.log_text(), "a 500 in the log")


def case_problems(ctx):
    """Package upload, validation errors naming the file, visibility,
    statements without raw HTML, samples, no secret data."""
    srv, users = setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    zipped = ctx.hello_sum_zip()
    r = alice.post("/api/v1/problems", zipped, ctype="application/zip")
    check(r.status == 403, "a contestant uploads: %r" % r)
    r = srv.client().post("/api/v1/problems", zipped, ctype="application/zip")
    check(r.status == 401, "anonymous upload: %r" % r)
    check(admin.post("/api/v1/problems", zipped, ctype="application/json").status == 415, "wrong type")
    check(admin.post("/api/v1/problems", b"", ctype="application/zip").status == 400, "empty upload")
    r = admin.post("/api/v1/problems", zipped, ctype="application/zip")
    check(r.status == 201, "upload: %r" % r)
    p = r.json()["problem"]
    check(p["short_name"] == "hello-sum" and p["title"] == "Hello Sum" and p["type"] == ["pass-fail"]
          and p["time_limit"] == 1 and p["memory_bytes"] == 256 << 20 and p["published"] is False,
          "problem row: %r" % p)
    pid = p["id"]
    check(r.headers.get("location") == "/api/v1/problems/%d" % pid, "Location header")
    r = admin.post("/api/v1/problems", zipped, ctype="application/zip")
    check(r.status == 409, "same short name again: %r" % r)
    # the package is in the blob store by its hash
    blob = os.path.join(srv.data, "blobs")
    digest = hashlib.blake2b(zipped, digest_size=32).hexdigest()
    check(os.path.isfile(os.path.join(blob, digest[:2], digest[2:])), "the package is not stored by its hash")
    # malformed packages: 422, and the message names the file
    bad = ctx.hello_sum_zip(edit={"problem.yaml": b"problem_format_version: 2023-07-draft\nlimits: [\n"})
    r = admin.post("/api/v1/problems?name=broken", bad, ctype="application/zip")
    check(r.status == 422 and "problem.yaml" in r.json()["error"]["message"], "broken yaml: %r" % r)
    check(srv.data not in r.json()["error"]["message"], "the message shows server paths: %r" % r)
    bad = ctx.hello_sum_zip(edit={"data/secret/01-zeros.ans": None})
    r = admin.post("/api/v1/problems?name=broken2", bad, ctype="application/zip")
    check(r.status == 422 and "01-zeros" in r.json()["error"]["message"], "missing .ans: %r" % r)
    r = admin.post("/api/v1/problems", b"PK\x03\x04 this is not really a zip", ctype="application/zip")
    check(r.status == 422 and r.error_code() == "invalid_package", "not a zip: %r" % r)
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escape.txt", "x")
    r = admin.post("/api/v1/problems", evil.getvalue(), ctype="application/zip")
    check(r.status == 422 and "escape.txt" in r.json()["error"]["message"], "zip slip: %r" % r)
    check(not os.path.exists(os.path.join(srv.data, "tmp", "escape.txt")), "zip slip wrote a file")
    # a package without a top-level folder takes ?name= (else a slug of its title)
    flat = ctx.hello_sum_zip(top="")
    r = admin.post("/api/v1/problems?name=flat-sum", flat, ctype="application/zip")
    check(r.status == 201 and r.json()["problem"]["short_name"] == "flat-sum", "?name=: %r" % r)
    r = admin.post("/api/v1/problems?name=bad%20name", flat, ctype="application/zip")
    check(r.status == 422, "a bad ?name=: %r" % r)
    # visibility: unpublished problems are for organizers only
    check(alice.get("/api/v1/problems/%d" % pid).status == 404, "unpublished problem visible")
    check(alice.get("/api/v1/problems/%d/samples" % pid).status == 404, "unpublished samples visible")
    check(alice.get("/api/v1/problems").json()["problems"] == [], "unpublished problem listed")
    check(len(admin.get("/api/v1/problems").json()["problems"]) == 2, "organizers see all")
    r = alice.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                           "files": [{"name": "a.c", "content": "int main(){}"}]})
    check(r.status == 422, "a submission to an unpublished problem: %r" % r)
    r = alice.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True})
    check(r.status == 403, "a contestant publishes: %r" % r)
    r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True, "title": "Hello, Sum"})
    check(r.status == 200 and r.json()["problem"]["title"] == "Hello, Sum", "patch: %r" % r)
    anon = srv.client()
    listed = anon.get("/api/v1/problems").json()["problems"]
    check([x["id"] for x in listed] == [pid], "published list: %r" % listed)
    got = anon.get("/api/v1/problems/%d" % pid).json()["problem"]
    html = got["statement_html"]
    check("<h2>Input</h2>" in html and "\\(a + b\\)" in html, "statement: %r" % html)
    samples = anon.get("/api/v1/problems/%d/samples" % pid).json()["samples"]
    check(samples == [{"name": "01", "input": "1 2\n", "answer": "3\n"},
                      {"name": "02", "input": "-5 12\n", "answer": "7\n"}], "samples: %r" % samples)
    # no secret data anywhere a contestant can reach
    with open(os.path.join(ctx.src, "problems/examples/hello-sum/data/secret/02-max.in")) as f:
        secret = f.read().strip()
    for path in ["/api/v1/problems", "/api/v1/problems/%d" % pid, "/api/v1/problems/%d/samples" % pid]:
        check(secret.encode() not in anon.get(path).body, "secret data in %s" % path)
    # the package itself, secret data and all: its uploader and admins only
    srv.add_user("olga", "organizer", "olga-password-1")
    olga = srv.client()
    olga.login("olga", "olga-password-1")
    r = admin.get("/api/v1/problems/%d/package" % pid)
    check(r.status == 200 and r.body == zipped and r.headers.get("content-type") == "application/zip",
          "the admin downloads the package: %r" % r)
    check(r.headers.get("content-disposition") == 'attachment; filename="hello-sum.zip"', "file name: %r" % r)
    check(olga.get("/api/v1/problems/%d/package" % pid).status == 404, "another organizer downloads the package")
    check(alice.get("/api/v1/problems/%d/package" % pid).status == 403, "a contestant downloads the package")
    check(anon.get("/api/v1/problems/%d/package" % pid).status == 401, "anonymous downloads the package")
    r = olga.post("/api/v1/problems?name=olgas", flat, ctype="application/zip")
    check(r.status == 201, "an organizer uploads: %r" % r)
    r = olga.get("/api/v1/problems/%d/package" % r.json()["problem"]["id"])
    check(r.status == 200 and r.body == flat, "the uploader downloads the package: %r" % r)
    audit = sqlite3.connect("file:%s?mode=ro" % os.path.join(srv.data, "crucible.db"), uri=True)
    n = audit.execute("SELECT count(*) FROM audit_log WHERE action = 'problem.download'").fetchone()[0]
    audit.close()
    check(n == 2, "downloads in the audit log: %d" % n)
    # a hostile statement: raw HTML is text, javascript: links are dropped
    stmt = (b"# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
            b"[click](javascript:alert(3)) [ok](https://example.com/a) ![i](data:text/html,x)\n\n"
            b"Math $a_1 < b_2$ and $$x^2$$ stay.\n")
    hostile = ctx.hello_sum_zip(top="hostile", edit={"statement/problem.en.md": stmt})
    r = admin.post("/api/v1/problems", hostile, ctype="application/zip")
    check(r.status == 201, "hostile upload: %r" % r)
    html = admin.get("/api/v1/problems/%d" % r.json()["problem"]["id"]).json()["problem"]["statement_html"]
    check("<script" not in html and "<img src=x" not in html and "&lt;script&gt;" in html, "raw HTML: " + html)
    check("javascript:" not in html and "data:text" not in html, "dangerous URL kept: " + html)
    check('href="https://example.com/a"' in html, "a good link was lost: " + html)
    check("\\(a_1 &lt; b_2\\)" in html and "\\[x^2\\]" in html, "math: " + html)
    srv.stop()


def case_judge_protocol(ctx):
    """A fake judge drives claim, blobs, heartbeat and result."""
    srv, users = setup_platform(ctx, {"lease_seconds": "5"})
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    bob = srv.client()
    bob.login("bob", "bob-password-1")
    judge = srv.client(token=users["judge"][1])
    pid = upload_problem(ctx, srv, admin)
    r = judge.post("/api/v1/judge/claim", claim_body())
    check(r.status == 204 and r.body == b"", "claim with an empty queue: %r" % r)
    source = sum_c(ctx)
    sid = submit(alice, pid, source)
    s = alice.get("/api/v1/submissions/%d" % sid).json()["submission"]
    check(s["status"] == "queued" and s["verdict"] is None and s["tests"] == [], "queued: %r" % s)
    # a judge without C gets nothing
    r = judge.post("/api/v1/judge/claim", claim_body("host-py", ["python3"]))
    check(r.status == 204, "a python-only judge got a C job: %r" % r)
    r = judge.post("/api/v1/judge/claim", claim_body())
    check(r.status == 200, "claim: %r" % r)
    job = r.json()
    check(set(job) == {"job"}, "claim reply: %r" % job)
    job = job["job"]
    check(set(job) == {"id", "submission_id", "lease_seconds", "language", "problem", "files"}, "job: %r" % job)
    check(job["submission_id"] == sid and job["language"] == "c" and job["lease_seconds"] == 5, "job: %r" % job)
    check(set(job["problem"]) == {"id", "package", "time_limit"} and job["problem"]["id"] == pid
          and job["problem"]["time_limit"] == 1, "job problem: %r" % job)
    check(len(job["files"]) == 1 and job["files"][0]["name"] == "sum.c", "job files: %r" % job)
    check(judge.post("/api/v1/judge/claim", claim_body()).status == 204, "second claim got a job")
    check(alice.get("/api/v1/submissions/%d" % sid).json()["submission"]["status"] == "judging", "judging")
    # blobs: the judge downloads the package and the source
    r = judge.get("/api/v1/judge/blobs/" + job["problem"]["package"])
    check(r.status == 200 and r.headers["content-type"] == "application/octet-stream", "package blob: %r" % r)
    check(hashlib.blake2b(r.body, digest_size=32).hexdigest() == job["problem"]["package"], "package hash")
    check(zipfile.ZipFile(io.BytesIO(r.body)).namelist(), "the package is not a zip")
    r = judge.get("/api/v1/judge/blobs/" + job["files"][0]["blob"])
    check(r.status == 200 and r.body.decode() == source, "source blob: %r" % r)
    check(judge.get("/api/v1/judge/blobs/" + "0" * 64).status == 404, "missing blob")
    # ... and nobody else does
    for who in [alice, bob, admin, srv.client(), srv.client(token=users["alice"][1] or "0" * 64)]:
        r = who.get("/api/v1/judge/blobs/" + job["problem"]["package"])
        check(r.status == 403, "blob for a non-judge: %r" % r)
        r = who.post("/api/v1/judge/claim", claim_body())
        check(r.status == 403, "claim by a non-judge: %r" % r)
    # the judge's cookie session is not enough either
    jc = srv.client()
    p = srv.cli(["user", "add", "--data=" + srv.data, "--role=judge", "judge2"], stdin="judge2-password\n")
    jc.login("judge2", "judge2-password")
    check(jc.get("/api/v1/judge/blobs/" + job["problem"]["package"]).status == 403, "judge by cookie")
    # heartbeat, result once
    r = judge.post("/api/v1/judge/jobs/%d/heartbeat" % job["id"])
    check(r.status == 200 and r.json() == {"lease_seconds": 5}, "heartbeat: %r" % r)
    # what HTTP libraries send for an empty POST (libcurl: a form type) is fine
    r = judge.post("/api/v1/judge/jobs/%d/heartbeat" % job["id"], b"",
                   ctype="application/x-www-form-urlencoded")
    check(r.status == 200, "empty heartbeat with a form type: %r" % r)
    r = judge.post("/api/v1/judge/jobs/%d/heartbeat" % job["id"], b"{}", ctype="text/plain")
    check(r.status == 415, "heartbeat with a body that is not JSON: %r" % r)
    r = judge.post("/api/v1/judge/claim", json.dumps(claim_body()).encode())     # no Content-Type
    check(r.status == 204, "a Bearer claim without Content-Type: %r" % r)
    r = judge.post("/api/v1/judge/claim", json.dumps(claim_body()).encode(), ctype="text/plain")
    check(r.status == 415, "a claim as text/plain: %r" % r)
    r = alice.post("/api/v1/submissions", json.dumps({"problem": pid}).encode())
    check(r.status == 415, "a cookie POST without Content-Type: %r" % r)
    check(judge.post("/api/v1/judge/jobs/999999/heartbeat").status == 404, "heartbeat of no job")
    r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], fake_result())
    check(r.status == 200, "result: %r" % r)
    r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], fake_result("WA"))
    check(r.status == 409 and r.error_code() == "lease_lost", "second result: %r" % r)
    check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % job["id"]).status == 409, "heartbeat after result")
    # what each reader sees
    s = alice.get("/api/v1/submissions/%d" % sid).json()["submission"]
    check(s["status"] == "judged" and s["verdict"] == "AC" and s["compile_output"] == "sum.c: all fine\n"
          and s["memory_bytes"] == 2 << 20, "owner's view: %r" % s)
    check([t["name"] for t in s["tests"]] == ["secret/01-zeros", "secret/02-max"], "tests: %r" % s["tests"])
    check(all(set(t) == {"name", "verdict", "time_seconds", "memory_bytes", "score"} for t in s["tests"])
          and "message" not in s, "a contestant sees judge messages: %r" % s)
    check(b"secret detail" not in alice.get("/api/v1/submissions/%d" % sid).body, "message leaked")
    s = admin.get("/api/v1/submissions/%d" % sid).json()["submission"]
    check(s["tests"][1]["message"] == "secret detail 2000000000", "admin's view: %r" % s)
    check(bob.get("/api/v1/submissions/%d" % sid).status == 404, "bob reads alice's submission")
    check(srv.client().get("/api/v1/submissions/%d" % sid).status == 401, "anonymous read")
    mine = alice.get("/api/v1/submissions?mine=1").json()["submissions"]
    check([x["id"] for x in mine] == [sid] and mine[0]["verdict"] == "AC", "mine: %r" % mine)
    check(bob.get("/api/v1/submissions").json()["submissions"] == [], "bob's list shows alice's")
    check(len(admin.get("/api/v1/submissions").json()["submissions"]) == 1, "admin's list")
    check(admin.get("/api/v1/submissions?mine=1").json()["submissions"] == [], "admin's own list")
    # an expired lease: heartbeat and result get 409, the job is queued again
    sid2 = submit(bob, pid, source)
    job2 = judge.post("/api/v1/judge/claim", claim_body("host-b")).json()["job"]
    check(job2["submission_id"] == sid2, "claim of the second submission: %r" % job2)
    time.sleep(6.5)
    r = judge.post("/api/v1/judge/jobs/%d/heartbeat" % job2["id"])
    check(r.status == 409 and r.error_code() == "lease_lost", "heartbeat of an expired lease: %r" % r)
    check(judge.post("/api/v1/judge/jobs/%d/result" % job2["id"], fake_result()).status == 409,
          "result of an expired lease")
    r = judge.post("/api/v1/judge/claim", claim_body("host-c"))
    check(r.status == 200 and r.json()["job"]["submission_id"] == sid2 and r.json()["job"]["id"] != job2["id"],
          "the expired job was not queued again: %r" % r)
    job3 = r.json()["job"]
    res = fake_result("CE", tests=[])
    res["compile_output"] = "sum.c:1: error: expected ';'\n"
    res["message"] = "compilation failed"
    check(judge.post("/api/v1/judge/jobs/%d/result" % job3["id"], res).status == 200, "CE result")
    s = bob.get("/api/v1/submissions/%d" % sid2).json()["submission"]
    check(s["verdict"] == "CE" and "expected ';'" in s["compile_output"] and s["tests"] == [], "CE: %r" % s)
    check(admin.get("/api/v1/submissions/%d" % sid2).json()["submission"]["message"] == "compilation failed",
          "the judge's message for the jury")
    # a result quoting bytes that are not UTF-8, and names and messages too
    # long to keep: repaired and cut, never refused (it would only come back)
    sid3 = submit(bob, pid, source)
    r = judge.post("/api/v1/judge/claim", claim_body("host-d"))
    check(r.status == 200 and r.json()["job"]["submission_id"] == sid3, "claim 3: %r" % r)
    res = fake_result("WA")
    res["tests"][0]["message"] = "x" * 700
    res["tests"][1]["name"] = "secret/" + "deep/" * 80 + "01"
    body = json.dumps(res).replace("secret detail", "caf\\u00e9 LATIN1").encode()
    body = body.replace(b"sum.c: all fine", b"sum.c: \xe9t\xe9 \x01 \xff\xfe")
    r = judge.post("/api/v1/judge/jobs/%d/result" % r.json()["job"]["id"], body, ctype="application/json")
    check(r.status == 200, "a messy result: %r" % r)
    s = admin.get("/api/v1/submissions/%d" % sid3).json()["submission"]
    check(s["compile_output"] == "sum.c: ?t? ? ??\n" and len(s["tests"][0]["message"]) == 512
          and len(s["tests"][1]["name"]) <= 256 and "caf\u00e9" in s["tests"][1]["message"],
          "a messy result as stored: %r" % s)
    # the judge hosts were registered with their capabilities
    srv.stop()
    db = sqlite3.connect(os.path.join(srv.data, "crucible.db"))
    hosts = dict(db.execute("SELECT name, capabilities FROM judge_hosts").fetchall())
    check({"host-a", "host-b", "host-c", "host-py"} <= set(hosts), "hosts: %r" % hosts)
    caps = json.loads(hosts["host-a"])
    check(caps["languages"] == ["c", "cpp", "python3"] and caps["cores"] == 4, "capabilities: %r" % caps)
    audit = [a for (a,) in db.execute("SELECT action FROM audit_log")]
    check("problem.create" in audit and "problem.update" in audit, "audit log: %r" % audit)


def case_sigterm(ctx):
    """SIGTERM while requests run: exit 0, and everything acknowledged is
    there after a restart."""
    srv, users = setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    pid = upload_problem(ctx, srv, admin)
    source = sum_c(ctx)
    acked, errors = [], []
    stop_at = time.time() + 30
    lock = threading.Lock()

    def worker(n):
        c = srv.client()
        try:
            c.login("alice", "alice-password-1")
        except Exception as e:                     # the server may be stopping already
            errors.append(repr(e))
            return
        while time.time() < stop_at:
            try:
                r = c.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                                   "files": [{"name": "w%d.c" % n, "content": source}]},
                           timeout=30)
            except (OSError, http.client.HTTPException) as e:
                errors.append(repr(e))
                return
            if r.status == 201:
                with lock:
                    acked.append(r.json()["id"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    deadline = time.time() + 20
    while len(acked) < 30 and time.time() < deadline:
        time.sleep(0.05)
    check(len(acked) >= 30, "only %d submissions went in before SIGTERM" % len(acked))
    srv.proc.send_signal(signal.SIGTERM)
    rc = srv.stop(expect_rc=0)
    for t in threads:
        t.join()
    log = srv.log_text()
    check("SIGTERM" in log and "stopped" in log, "no clean stop in the log:\n" + log[-2000:])
    db = sqlite3.connect(os.path.join(srv.data, "crucible.db"))
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity check")
    db.close()
    srv.start()
    c = srv.client()
    c.login("boss", "boss-password-1")
    have = set()
    before = 0
    while True:
        page = c.get("/api/v1/submissions" + ("?before=%d" % before if before else "")).json()["submissions"]
        if not page:
            break
        have.update(x["id"] for x in page)
        before = page[-1]["id"]
    missing = set(acked) - have
    check(not missing, "%d acknowledged submissions were lost: %r" % (len(missing), sorted(missing)[:10]))
    for sid in acked[:5] + acked[-5:]:
        s = c.get("/api/v1/submissions/%d" % sid).json()["submission"]
        check(s["status"] == "queued" and s["size"] == len(source), "submission %d: %r" % (sid, s))
    judge = srv.client(token=users["judge"][1])
    job = judge.post("/api/v1/judge/claim", claim_body()).json()["job"]
    r = judge.get("/api/v1/judge/blobs/" + job["files"][0]["blob"])
    check(r.body.decode() == source, "a source blob is damaged after the restart")
    srv.stop()


def start_judge_daemon(ctx, srv, token, workers=1):
    """A real `crucible judge daemon` for srv with the judge account's
    token; returns (process, its log file) for the caller to stop."""
    path = os.path.join(srv.dir, "judge.token")
    with open(path, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    log = open(os.path.join(srv.dir, "daemon.log"), "wb")
    daemon = subprocess.Popen([ctx.crucible, "judge", "daemon", "--server=http://127.0.0.1:%d" % srv.port,
                               "--token-file=" + path, "--workers=%d" % workers,
                               "--cache=" + os.path.join(srv.dir, "cache"),
                               "--work-dir=" + os.path.join(srv.dir, "work"),
                               "--languages=" + os.path.join(ctx.src, "judge", "languages.yaml")],
                              stdout=log, stderr=log)
    return daemon, log


def case_judge_daemon(ctx):
    """The real `crucible judge daemon` against the real server: every
    verdict arrives. Needs root (the sandbox); skipped otherwise."""
    if os.geteuid() != 0:
        raise Skip("the judge's sandbox needs root")
    p = subprocess.run([ctx.crucible, "judge", "daemon", "--help"], capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip("this crucible has no `judge daemon`")
    srv, users = setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    pid = upload_problem(ctx, srv, admin)
    subs = os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions")
    want = {}
    for lang, path, verdict in [("c", "accepted/sum.c", "AC"), ("python3", "accepted/sum.py", "AC"),
                                ("c", "wrong_answer/difference.c", "WA"), ("c", "compile_error/syntax_error.c", "CE"),
                                ("c", "run_time_error/divide_by_zero.c", "RTE")]:
        with open(os.path.join(subs, path)) as f:
            want[submit(alice, pid, f.read(), lang, os.path.basename(path))] = verdict
    daemon, log = start_judge_daemon(ctx, srv, users["judge"][1], workers=2)
    try:
        deadline = time.time() + 120
        got = {}
        while time.time() < deadline and len(got) < len(want):
            for sid in want:
                s = alice.get("/api/v1/submissions/%d" % sid).json()["submission"]
                if s["status"] == "judged":
                    got[sid] = s
            time.sleep(0.5)
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            rc = daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            daemon.kill()
            rc = daemon.wait()
        log.close()
    with open(os.path.join(srv.dir, "daemon.log"), "rb") as f:
        dlog = f.read().decode(errors="replace")
    check(len(got) == len(want), "judged %d of %d within 120 s; daemon log:\n%s" % (len(got), len(want), dlog[-3000:]))
    for sid, verdict in want.items():
        check(got[sid]["verdict"] == verdict, "submission %d: %s, not %s: %r" % (sid, got[sid]["verdict"], verdict,
                                                                                 got[sid]))
    check(all("message" not in t for s in got.values() for t in s["tests"]), "a contestant sees messages")
    ce = [s for s in got.values() if s["verdict"] == "CE"][0]
    check("error" in ce["compile_output"], "the compile error is not shown: %r" % ce)
    check(rc == 0, "the daemon exited with %d after SIGTERM" % rc)
    srv.stop()


CASES = {
    "init_user": case_init_user,
    "auth": case_auth,
    "rate_limit": case_rate_limit,
    "bad_input": case_bad_input,
    "problems": case_problems,
    "judge_protocol": case_judge_protocol,
    "sigterm": case_sigterm,
    "judge_daemon": case_judge_daemon,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crucible", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    # Under /tmp-like permissions the service user (nobody) must reach the data folder.
    work = tempfile.mkdtemp(prefix="web-%s-" % a.case, dir=a.work)
    os.chmod(work, 0o755)
    d = a.work
    while d not in ("/", ""):
        st = os.stat(d)
        if os.geteuid() == 0 and not st.st_mode & 0o001:
            # a parent the service user cannot traverse: use the system's temporary folder
            shutil.rmtree(work)
            work = tempfile.mkdtemp(prefix="crucible-web-%s-" % a.case)
            os.chmod(work, 0o755)
            break
        d = os.path.dirname(d)
    ctx = Ctx(os.path.abspath(a.crucible), os.path.abspath(a.source_dir), work)
    _pg_state["case"] = a.case          # pg: names the case's databases
    ok = False
    try:
        CASES[a.case](ctx)
        ok = True
        print("e2e.web.%s: passed" % a.case)
    except Skip as e:
        print("e2e.web.%s: skipped: %s" % (a.case, e))
        shutil.rmtree(work, ignore_errors=True)
        pg_drop_databases()
        return 77
    except Fail as e:
        print("e2e.web.%s: FAILED: %s" % (a.case, e))
    except Exception:
        import traceback
        traceback.print_exc()
    finally:
        for s in ctx.servers:
            if s.proc and s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
            if not ok:
                try:
                    print("---- %s (last lines) ----\n%s" % (s.log, s.log_text()[-4000:]))
                except OSError:
                    pass
        if ok and not os.environ.get("CRUCIBLE_TEST_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
            pg_drop_databases()
        else:
            if _pg_state["made"]:
                print("pg: databases kept: " + " ".join(_pg_state["made"]))
            print("work folder kept: " + work)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
