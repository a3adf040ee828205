#!/usr/bin/env python3
"""run_ops_test.py: operating crucible serve: backups, storage faults, metrics.

    run_ops_test.py --crucible PATH --source-dir REPO --work DIR CASE

Cases:

  backup     a running server with users, a problem, a contest and judged
             submissions; `crucible backup` runs during a burst of
             submissions; the backup is restored into another folder and a
             server started on it answers the same: users log in, submissions,
             their sources and the scoreboard are equal. A backup folder that
             is not empty is refused, so is a restore into a non-empty folder
             without --force, and a backup with one damaged blob fails to
             restore, clearly, leaving the target untouched.
  disk_full  (root: a private mount namespace) the data folder on a small
             tmpfs, filled: submissions and package uploads answer 507
             storage_full, reads go on, the database stays intact; once space
             is freed writes succeed again without a restart.
  readonly   (root) `crucible serve` refuses to start on a read-only bind
             mount of the data folder, saying so; a data folder that stops
             being writable while the server runs (its folders chmod 0555)
             makes writes answer 503 read_only while reads go on, and writes
             succeed again once it is writable.
  metrics    GET /metrics in Prometheus's text format, read with a small
             parser: every family is there, values move after requests and
             judgings, routes are patterns, histograms are consistent; access
             from elsewhere (X-Forwarded-For behind trust_proxy) needs the
             metrics token or an admin.

The helpers (Server, Client, setup_platform, ...) are run_web_test.py's.
"""

import errno
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check


# setup_platform's accounts
PASSWORDS = {"boss": "boss-password-1", "alice": "alice-password-1", "bob": "bob-password-1"}


def run(ctx, args, expect_rc=0):
    p = subprocess.run([ctx.crucible] + args, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    if expect_rc is not None:
        check(p.returncode == expect_rc, "crucible %s: exit %d, not %d\n%s%s" %
              (" ".join(args), p.returncode, expect_rc, p.stdout, p.stderr))
    return p


def judge_all(judge, verdicts):
    """Claims and finishes every queued job, the verdicts in turn."""
    n = 0
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return n
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result(verdicts[n % len(verdicts)]))
        check(r.status == 200, "result: %r" % r)
        n += 1


def contest_with_submissions(ctx, srv, users):
    """A running public contest with hello-sum as A, alice and bob in it,
    their submissions judged; returns (clients, problem, contest)."""
    c = {name: srv.client() for name in ("boss", "alice", "bob")}
    for name in c:
        c[name].login(name, PASSWORDS[name])
    c["judge"] = srv.client(token=users["judge"][1])
    pid = base.upload_problem(ctx, srv, c["boss"])
    now = int(time.time())
    r = c["boss"].post("/api/v1/contests", {"short_name": "ops", "title": "Ops cup", "start_time": now - 60,
                                           "duration": 7200, "public": True, "registration": "open"})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    r = c["boss"].request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "problem set: %r" % r)
    for name in ("alice", "bob"):
        r = c[name].post("/api/v1/contests/%d/register" % cid)
        check(r.status in (200, 201), "register %s: %r" % (name, r))
    src = base.sum_c(ctx)
    for name, k in (("alice", 2), ("bob", 3)):
        for i in range(k):
            r = c[name].post("/api/v1/submissions", {"problem": pid, "contest": cid, "language": "c",
                                                     "files": [{"name": "sum.c",
                                                                "content": src + "/* %s %d */\n" % (name, i)}]})
            check(r.status == 201, "submit: %r" % r)
    judge_all(c["judge"], ["WA", "AC", "TLE"])
    return c, pid, cid


def db_rows(data, sql, args=()):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "crucible.db"), uri=True)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


# ---- backup ----------------------------------------------------------------------------------------------

def case_backup(ctx):
    srv, users = base.setup_platform(ctx)
    c, pid, cid = contest_with_submissions(ctx, srv, users)

    # a burst of practice submissions while the backup runs
    stop = threading.Event()
    burst = {"n": 0, "error": None}

    def burster():
        cl = srv.client()
        cl.login("alice", PASSWORDS["alice"])
        try:
            while not stop.is_set():
                base.submit(cl, pid, base.sum_c(ctx) + "/* burst %d */\n" % burst["n"])
                burst["n"] += 1
        except Exception as e:      # reported below
            burst["error"] = e

    t = threading.Thread(target=burster)
    t.start()
    try:
        deadline = time.time() + 20
        while burst["n"] < 5 and time.time() < deadline and not burst["error"]:
            time.sleep(0.05)
        dest = os.path.join(ctx.work, "backup")
        p = run(ctx, ["backup", "--data", srv.data, "--out", dest])
        n_at_backup = burst["n"]
        time.sleep(0.3)
    finally:
        stop.set()
        t.join(30)
    check(burst["error"] is None, "the burst failed during the backup: %r" % burst["error"])
    check(burst["n"] > n_at_backup or burst["n"] >= 5, "the burst made %d submissions" % burst["n"])
    with open(os.path.join(dest, "manifest.json")) as f:
        manifest = json.load(f)
    check(manifest["format"] == "crucible-backup" and manifest["version"] == 1, "manifest: %r" % manifest)
    total = db_rows(srv.data, "SELECT count(*) FROM submissions")[0][0]
    n_backup = manifest["counts"]["submissions"]
    check(5 + 5 <= n_backup <= total, "the backup holds %d submissions; 5 judged, burst %d, now %d (%s)" %
          (n_backup, n_at_backup, total, p.stdout))
    check(manifest["counts"]["users"] == 4 and manifest["counts"]["problems"] == 1 and
          manifest["counts"]["contests"] == 1, "manifest counts: %r" % manifest["counts"])
    check(manifest["blobs"]["count"] >= n_backup and manifest["schema_version"] >= 8, "manifest: %r" % manifest)

    # a backup never goes into a folder that holds something
    p = run(ctx, ["backup", "--data", srv.data, "--out", dest], expect_rc=1)
    check("not empty" in p.stderr, "backup into a non-empty folder: %r" % p.stderr)
    p = run(ctx, ["backup", "--data", srv.data], expect_rc=2)

    # restore into a fresh folder, and over an initialised one only with --force
    fresh = os.path.join(ctx.work, "fresh")
    p = run(ctx, ["restore", "--from", dest, "--data", fresh])
    check("integrity check ok" in p.stdout, "restore: %r" % p.stdout)
    srv2 = ctx.server("restored")
    p = run(ctx, ["restore", "--from", dest, "--data", srv2.data], expect_rc=1)
    check("not empty" in p.stderr and "--force" in p.stderr, "restore over a data folder: %r" % p.stderr)
    run(ctx, ["restore", "--from", dest, "--data", srv2.data, "--force"])
    srv2.start()

    # the restored server answers the same
    c2 = {name: srv2.client() for name in ("boss", "alice", "bob")}
    for name in c2:
        c2[name].login(name, PASSWORDS[name])
    j2 = srv2.client(token=users["judge"][1])
    hashes = dict(db_rows(srv2.data, "SELECT id, source_hash FROM submissions"))
    check(sorted(hashes) == list(range(1, n_backup + 1)), "restored submission ids: %r" % sorted(hashes)[-5:])
    for sid in range(1, n_backup + 1):
        a, b = c["boss"].get("/api/v1/submissions/%d" % sid), c2["boss"].get("/api/v1/submissions/%d" % sid)
        check(a.status == b.status == 200 and a.json() == b.json(), "submission %d: %r vs %r" % (sid, a, b))
        a = c["judge"].get("/api/v1/judge/blobs/" + hashes[sid])
        b = j2.get("/api/v1/judge/blobs/" + hashes[sid])
        check(a.status == b.status == 200 and a.body == b.body, "source of submission %d differs" % sid)
    check(c2["boss"].get("/api/v1/submissions/%d" % (n_backup + 1)).status == 404, "a submission after the backup")
    for who in ("boss", "alice", "bob"):
        a = c[who].get("/api/v1/contests/%d/scoreboard" % cid)
        b = c2[who].get("/api/v1/contests/%d/scoreboard" % cid)
        check(a.status == b.status == 200 and a.json() == b.json(), "scoreboard for %s: %r vs %r" % (who, a, b))
        a = c[who].get("/api/v1/submissions?contest=%d" % cid)
        b = c2[who].get("/api/v1/submissions?contest=%d" % cid)
        check(a.status == b.status == 200 and a.json() == b.json(), "contest submissions for %s differ" % who)
    r = c2["alice"].get("/api/v1/me")
    check(r.status == 200 and r.json()["user"]["name"] == "alice", "me on the restored server: %r" % r)
    # ... and takes new work
    base.submit(c2["bob"], pid, base.sum_c(ctx))
    srv2.stop()
    srv.stop()

    # one damaged blob: the restore fails before it touches anything
    bad = os.path.join(ctx.work, "backup-bad")
    shutil.copytree(dest, bad)
    victim = os.path.join(bad, "blobs", hashes[1][:2], hashes[1][2:])
    with open(victim, "r+b") as f:
        first = f.read(1)
        f.seek(0)
        f.write(bytes([first[0] ^ 0x20]))
    target = os.path.join(ctx.work, "bad-target")
    p = run(ctx, ["restore", "--from", bad, "--data", target], expect_rc=1)
    check("damaged" in p.stderr and hashes[1] in p.stderr, "restore of a damaged backup: %r" % p.stderr)
    check(not os.path.exists(os.path.join(target, "crucible.db")), "a damaged backup was restored anyway")
    # a database that does not match its manifest, likewise
    shutil.rmtree(bad)
    shutil.copytree(dest, bad)
    with open(os.path.join(bad, "crucible.db"), "ab") as f:
        f.write(b"\0" * 4096)
    p = run(ctx, ["restore", "--from", bad, "--data", target], expect_rc=1)
    check("does not match the manifest" in p.stderr, "restore of a changed database: %r" % p.stderr)


def db_rows_in(pid, data, sql):
    """db_rows inside process pid's mount namespace (SQLite resolves
    /proc/PID/root to our own root, so that path does not reach it)."""
    code = ("import sqlite3, json, sys\n"
            "db = sqlite3.connect('file:%s/crucible.db?mode=ro', uri=True)\n"
            "print(json.dumps(db.execute(sys.argv[1]).fetchall()))\n" % data)
    p = subprocess.run(["nsenter", "-t", str(pid), "-m", sys.executable, "-c", code, sql], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0, "%s in the server's namespace: %s" % (sql, p.stderr[-1000:]))
    return [tuple(r) for r in json.loads(p.stdout)]


# ---- storage faults ------------------------------------------------------------------------------------------

def need_namespaces():
    if os.geteuid() != 0:
        raise base.Skip("needs root: mounts in a private mount namespace")
    if not shutil.which("unshare") or not shutil.which("nsenter"):
        raise base.Skip("no unshare(1) or nsenter(1)")
    p = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    if p.returncode != 0:
        raise base.Skip("cannot make a mount namespace: %s" % p.stderr.decode(errors="replace").strip())


def wrapper(ctx, name, setup):
    """A script standing in for crucible: runs `setup` (shell, in a private
    mount namespace), then crucible with the same arguments."""
    path = os.path.join(ctx.work, name + ".sh")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nexec unshare -m --propagation private sh -c '%s && exec \"$0\" \"$@\"' %s \"$@\"\n" %
                (setup, ctx.crucible))
    os.chmod(path, 0o755)
    return path


def storage_full(r, what):
    check(r.status == 507, "%s on a full disk: %r" % (what, r))
    check(r.error_code() == "storage_full", "%s: %r" % (what, r))


def case_disk_full(ctx):
    need_namespaces()
    srv = ctx.server()
    for n, role in (("boss", "admin"), ("alice", "contestant")):
        srv.add_user(n, role, PASSWORDS[n])
    _, judge_token = srv.add_user("judge1", "judge")
    # the data folder moves onto an 8 MiB tmpfs that only the server's namespace sees
    disk = srv.data
    tdir = os.path.join(srv.dir, "tmpfs-data")
    os.makedirs(tdir)
    os.chmod(srv.dir, 0o755)
    srv.data = tdir
    srv.ctx = base.Ctx(wrapper(ctx, "tmpfs", "mount -t tmpfs -o size=8m,mode=0755 crucible-test %s && cp -a %s/. %s/"
                               % (tdir, disk, tdir)), ctx.src, ctx.work)
    srv.start()
    srv.allow_5xx = True
    root = "/proc/%d/root%s" % (srv.proc.pid, tdir)
    check(os.path.exists(os.path.join(root, "crucible.db")), "the server's tmpfs is not reachable")
    boss, alice = srv.client(), srv.client()
    boss.login("boss", PASSWORDS["boss"])
    alice.login("alice", PASSWORDS["alice"])
    judge = srv.client(token=judge_token)
    pid = base.upload_problem(ctx, srv, boss)
    before = [base.submit(alice, pid, base.sum_c(ctx) + "/* %d */\n" % i) for i in range(3)]
    judge_all(judge, ["AC"])
    listed = alice.get("/api/v1/submissions").json()

    # fill the disk
    fill = os.path.join(root, "fill")
    with open(fill, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as e:
            check(e.errno == errno.ENOSPC, "filling the tmpfs: %r" % e)
    try:
        with open(os.path.join(root, "fill2"), "wb") as f:
            f.write(b"\0" * 4096)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass
    for i in range(3):
        r = alice.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                               "files": [{"name": "sum.c", "content": "/* full %d */\n" % i + "x" * 20000}]})
        storage_full(r, "a submission")
        check(r.headers.get("retry-after"), "507 without Retry-After")
    r = boss.post("/api/v1/problems?name=full-sum", ctx.hello_sum_zip(), ctype="application/zip")
    storage_full(r, "a package upload")
    # other writes are refused clearly or succeed, never a 500
    for i in range(3):
        r = boss.post("/api/v1/contests", {"short_name": "full%d" % i, "title": "x" * 200, "start_time": 2000000000,
                                           "duration": 3600})
        check(r.status in (201, 507), "a contest on a full disk: %r" % r)
    # reads go on
    check(srv.proc.poll() is None, "the server died on a full disk")
    r = alice.get("/api/v1/submissions")
    check(r.status == 200 and r.json() == listed, "reads on a full disk: %r" % r)
    check(alice.get("/api/v1/problems/%d" % pid).status == 200, "a problem on a full disk")
    check(all(alice.get("/api/v1/submissions/%d" % s).status == 200 for s in before), "submissions on a full disk")
    log = srv.log_text()
    check("disk is full" in log, "the log does not say the disk is full")

    # nothing is damaged
    rows = db_rows_in(srv.proc.pid, tdir, "PRAGMA integrity_check")
    check(rows == [("ok",)], "integrity check on a full disk: %r" % rows)

    # space returns: writes succeed without a restart
    os.unlink(fill)
    if os.path.exists(os.path.join(root, "fill2")):
        os.unlink(os.path.join(root, "fill2"))
    sid = base.submit(alice, pid, base.sum_c(ctx) + "/* after */\n")
    check(sid > before[-1], "a submission after space returned: %r" % sid)
    r = boss.post("/api/v1/problems?name=later-sum", ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "an upload after space returned: %r" % r)
    check(judge_all(judge, ["AC"]) == 1, "the new submission was not judged")
    rows = db_rows_in(srv.proc.pid, tdir, "PRAGMA integrity_check")
    check(rows == [("ok",)], "integrity check after: %r" % rows)
    rows = db_rows_in(srv.proc.pid, tdir, "SELECT id FROM submissions")
    check(len(rows) == len(before) + 1, "submissions after the fill: %r" % rows)
    srv.stop()


def case_readonly(ctx):
    need_namespaces()
    srv, users = base.setup_platform(ctx)
    boss, alice = srv.client(), srv.client()
    boss.login("boss", PASSWORDS["boss"])
    alice.login("alice", PASSWORDS["alice"])
    pid = base.upload_problem(ctx, srv, boss)
    first = base.submit(alice, pid, base.sum_c(ctx))
    srv.stop()

    # a read-only mount: serve refuses to start and says why
    ro = wrapper(ctx, "readonly", "mount --bind %s %s && mount -o remount,ro,bind %s" % (srv.data, srv.data,
                                                                                          srv.data))
    p = subprocess.run([ro, "serve", "--config=" + srv.config, "--data=" + srv.data, "--listen=127.0.0.1:0"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode != 0, "serve started on a read-only data folder:\n%s" % p.stderr[-2000:])
    check("read-only" in p.stderr and srv.data in p.stderr, "serve's message: %r" % p.stderr[-2000:])
    check("listening" not in p.stderr, "serve listened on a read-only folder")

    # read-only while running: the folders stop being writable for the service account
    srv.start()
    srv.allow_5xx = True
    alice.cookie = boss.cookie = None
    boss.login("boss", PASSWORDS["boss"])
    alice.login("alice", PASSWORDS["alice"])
    dirs = [srv.data, os.path.join(srv.data, "blobs"), os.path.join(srv.data, "tmp")]
    dirs += [os.path.join(srv.data, "blobs", d) for d in os.listdir(os.path.join(srv.data, "blobs"))]
    modes = {d: stat.S_IMODE(os.stat(d).st_mode) for d in dirs}
    try:
        for d in dirs:
            os.chmod(d, 0o555)
        r = alice.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                               "files": [{"name": "sum.c", "content": "/* read-only */\n"}]})
        check(r.status == 503 and r.error_code() == "read_only", "a submission on a read-only folder: %r" % r)
        r = boss.post("/api/v1/problems?name=ro-sum", ctx.hello_sum_zip(), ctype="application/zip")
        check(r.status == 503 and r.error_code() == "read_only", "an upload on a read-only folder: %r" % r)
        check(alice.get("/api/v1/submissions/%d" % first).status == 200, "reads on a read-only folder")
        check(alice.get("/api/v1/problems/%d" % pid).status == 200, "a problem on a read-only folder")
        check(srv.proc.poll() is None, "the server died")
        check("read-only" in srv.log_text() or "cannot be written" in srv.log_text(), "the log says nothing")
    finally:
        for d, m in modes.items():
            os.chmod(d, m)
    second = base.submit(alice, pid, base.sum_c(ctx) + "/* again */\n")
    check(second == first + 1, "a submission once writable again: %r" % second)
    srv.stop()
    rows = db_rows(srv.data, "PRAGMA integrity_check")
    check(rows == [("ok",)], "integrity check: %r" % rows)


# ---- metrics -----------------------------------------------------------------------------------------------

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')


def parse_metrics(text):
    """Prometheus text format 0.0.4 -> ({(name, frozenset(labels)): value}, {family: type})."""
    samples, types = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, fam, typ = line.split(" ", 3)
            check(fam not in types, "family %s typed twice" % fam)
            types[fam] = typ
            continue
        if line.startswith("#"):
            check(line.startswith("# HELP "), "a stray comment: %r" % line)
            continue
        m = SAMPLE.match(line)
        check(m, "not a sample line: %r" % line)
        labels = {}
        if m.group(2):
            rest = m.group(2)
            pos = 0
            while pos < len(rest):
                lm = LABEL.match(rest, pos)
                check(lm, "bad labels in %r" % line)
                labels[lm.group(1)] = re.sub(r'\\(.)', lambda x: "\n" if x.group(1) == "n" else x.group(1),
                                             lm.group(2))
                pos = lm.end()
        key = (m.group(1), frozenset(labels.items()))
        check(key not in samples, "a sample twice: %r" % line)
        samples[key] = float(m.group(3))
    return samples, types


def metric(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape(client, **kw):
    r = client.get("/metrics", **kw)
    check(r.status == 200, "GET /metrics: %r" % r)
    check(r.headers.get("content-type", "").startswith("text/plain; version=0.0.4"), "type: %r" % r.headers)
    return parse_metrics(r.body.decode())


def case_metrics(ctx):
    token = "metrics-token-0123456789abcdef"
    srv, users = base.setup_platform(ctx, config={"trust_proxy": "yes", "metrics_token": token})
    p = srv.cli(["serve", "--config=" + srv.config, "--check-config"])
    check("metrics_token = (set)" in p.stdout and token not in p.stdout, "--check-config shows the token")
    anon, boss, alice = srv.client(), srv.client(), srv.client()
    boss.login("boss", PASSWORDS["boss"])
    alice.login("alice", PASSWORDS["alice"])
    judge = srv.client(token=users["judge"][1])
    s0, types = scrape(anon)
    for fam, typ in (("crucible_queue_length", "gauge"), ("crucible_judgings_running", "gauge"),
                     ("crucible_judge_hosts", "gauge"), ("crucible_http_requests_total", "counter"),
                     ("crucible_http_request_duration_seconds", "histogram"), ("crucible_verdicts_total", "counter"),
                     ("crucible_submissions_total", "counter")):
        check(types.get(fam) == typ, "family %s: %r" % (fam, types.get(fam)))
    for state in ("idle", "busy", "offline", "disabled"):
        check(("crucible_judge_hosts", frozenset({("state", state)})) in s0, "no judge_hosts{state=%s}" % state)
    check(metric(s0, "crucible_queue_length") == 0 and metric(s0, "crucible_submissions_total") == 0, "fresh: %r" % s0)

    pid = base.upload_problem(ctx, srv, boss)
    for i in range(3):
        base.submit(alice, pid, base.sum_c(ctx) + "/* %d */\n" % i)
    for i in range(4):
        check(alice.get("/api/v1/problems/%d" % pid).status == 200, "problem")
    check(alice.get("/api/v1/problems/999999").status == 404, "a missing problem")
    s1, _ = scrape(anon)
    check(metric(s1, "crucible_queue_length") == 3, "queue after 3 submissions: %r" % metric(s1, "crucible_queue_length"))
    check(metric(s1, "crucible_submissions_total") == 3, "submissions_total")
    route = "/api/v1/problems/{id}"
    got = metric(s1, "crucible_http_requests_total", method="GET", route=route, status="200")
    check(got == 4, "requests_total for GET %s 200: %r" % (route, got))
    check(metric(s1, "crucible_http_requests_total", method="GET", route=route, status="404") == 1, "the 404")
    check(not any("/api/v1/problems/%d" % pid == dict(k[1]).get("route") for k in s1), "a raw path as a route")
    check(metric(s1, "crucible_http_requests_total", method="POST", route="/api/v1/submissions", status="201") == 3,
          "POST submissions 201")
    # the histogram: cumulative buckets, +Inf = count, a sum
    lab = {"method": "GET", "route": route}
    count = metric(s1, "crucible_http_request_duration_seconds_count", **lab)
    check(count == 5, "histogram count: %r" % count)
    buckets = sorted((float(dict(k[1])["le"]), v) for k, v in s1.items()
                     if k[0] == "crucible_http_request_duration_seconds_bucket" and
                     dict(k[1]).get("route") == route and dict(k[1]).get("method") == "GET")
    check(len(buckets) >= 5 and buckets[-1] == (float("inf"), count), "buckets: %r" % buckets)
    check(all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), "buckets not cumulative: %r" % buckets)
    check(0 < metric(s1, "crucible_http_request_duration_seconds_sum", **lab) < 60, "histogram sum")

    # a judge at work: busy, then idle; verdicts counted
    r = judge.post("/api/v1/judge/claim", base.claim_body())
    check(r.status == 200, "claim: %r" % r)
    job = r.json()["job"]["id"]
    s2, _ = scrape(anon)
    check(metric(s2, "crucible_judgings_running") == 1 and metric(s2, "crucible_queue_length") == 2, "judging: %r" %
          [metric(s2, "crucible_judgings_running"), metric(s2, "crucible_queue_length")])
    check(metric(s2, "crucible_judge_hosts", state="busy") == 1, "a busy host")
    check(judge.post("/api/v1/judge/jobs/%d/result" % job, base.fake_result("WA")).status == 200, "result")
    judge_all(judge, ["AC"])
    s3, _ = scrape(anon)
    check(metric(s3, "crucible_verdicts_total", verdict="WA") == 1 and
          metric(s3, "crucible_verdicts_total", verdict="AC") == 2, "verdicts: %r" %
          {k: v for k, v in s3.items() if k[0] == "crucible_verdicts_total"})
    check(metric(s3, "crucible_judgings_running") == 0 and metric(s3, "crucible_queue_length") == 0, "drained")
    check(metric(s3, "crucible_judge_hosts", state="idle") == 1 and
          metric(s3, "crucible_judge_hosts", state="busy") == 0, "an idle host")
    hosts = boss.get("/api/v1/judges").json()["judges"]
    r = boss.request("PATCH", "/api/v1/judges/%d" % hosts[0]["id"], {"enabled": False})
    check(r.status == 200, "disable: %r" % r)
    s4, _ = scrape(anon)
    check(metric(s4, "crucible_judge_hosts", state="disabled") == 1 and
          metric(s4, "crucible_judge_hosts", state="idle") == 0, "a disabled host")
    check(metric(s4, "crucible_http_requests_total", method="GET", route="/metrics", status="200") >= 4,
          "scrapes are counted")

    # from elsewhere (behind the proxy): the token or an admin
    far = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    r = anon.get("/metrics", headers=far)
    check(r.status == 403 and r.error_code() == "forbidden", "metrics from afar without a token: %r" % r)
    check(alice.get("/metrics", headers=far).status == 403, "metrics from afar for a contestant")
    check(boss.get("/metrics", headers=far).status == 200, "metrics from afar for an admin's session")
    scrape(srv.client(token=token), headers=far)
    r = srv.client(token=token + "x").get("/metrics", headers=far)
    check(r.status == 401, "a wrong metrics token: %r" % r)
    admin_token = srv.cli(["user", "token", "--data=" + srv.data, "boss"]).stdout.split("token: ")[1].strip()
    scrape(srv.client(token=admin_token), headers=far)
    check(srv.client(token=users["judge"][1]).get("/metrics", headers=far).status == 403, "a judge token")
    check(token not in srv.log_text(), "the log holds the metrics token")
    srv.stop()


# ---- deploy/ ------------------------------------------------------------------------------------------------

NGINX_MAIN = """pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events {}
http {
    access_log off;
    include %(d)s/site.conf;
}
"""


def case_deploy_config(ctx):
    """deploy/'s systemd units pass `systemd-analyze verify` and its nginx
    file `nginx -t` (with a throwaway certificate), where those tools exist."""
    ran = []
    units = os.path.join(ctx.src, "deploy", "systemd")
    if shutil.which("systemd-analyze"):
        d = os.path.join(ctx.work, "units")
        os.makedirs(d)
        for fn in os.listdir(units):
            with open(os.path.join(units, fn)) as f:
                text = f.read().replace("/usr/local/bin/crucible", ctx.crucible)
            with open(os.path.join(d, fn), "w") as f:
                f.write(text)
        os.symlink("crucible-judge@.service", os.path.join(d, "crucible-judge@judge-01.service"))
        for unit in ("crucible-web.service", "crucible-judge@judge-01.service"):
            p = subprocess.run(["systemd-analyze", "verify", os.path.join(d, unit)], capture_output=True, text=True,
                               timeout=60)
            out = (p.stdout + p.stderr).strip()
            bad = [l for l in out.splitlines() if unit.split("@")[0] in l or "Unknown" in l or "Invalid" in l]
            check(p.returncode == 0 and not bad, "systemd-analyze verify %s: %s" % (unit, out))
        ran.append("systemd-analyze")
    if shutil.which("nginx") and shutil.which("openssl"):
        d = os.path.join(ctx.work, "nginx")
        os.makedirs(d)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=contest.example.org", "-keyout", d + "/key.pem", "-out", d + "/cert.pem"],
                       capture_output=True, check=True, timeout=60)
        with open(os.path.join(ctx.src, "deploy", "nginx", "crucible.conf")) as f:
            site = f.read()
        check("proxy_buffering off" in site and "client_max_body_size 64m" in site, "the nginx file lost a setting")
        site = re.sub(r"ssl_certificate (\S+);", "ssl_certificate %s/cert.pem;" % d, site)
        site = re.sub(r"ssl_certificate_key (\S+);", "ssl_certificate_key %s/key.pem;" % d, site)
        with open(os.path.join(d, "site.conf"), "w") as f:
            f.write(site)
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(NGINX_MAIN % {"d": d})
        p = subprocess.run(["nginx", "-t", "-c", d + "/nginx.conf", "-p", d], capture_output=True, text=True,
                           timeout=60)
        check(p.returncode == 0 and "test is successful" in p.stderr, "nginx -t: %s" % p.stderr)
        ran.append("nginx")
    if not ran:
        raise base.Skip("neither systemd-analyze nor nginx is installed")


CASES = {"backup": case_backup, "disk_full": case_disk_full, "readonly": case_readonly, "metrics": case_metrics,
         "deploy_config": case_deploy_config}


def main():
    base.CASES.clear()
    base.CASES.update(CASES)
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
