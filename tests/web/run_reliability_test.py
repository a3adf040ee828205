#!/usr/bin/env python3
"""run_reliability_test.py: crucible serve and its judges when processes die.

    run_reliability_test.py --crucible PATH --source-dir REPO --work DIR CASE

Cases (root only: the judge's sandbox; exit 77 otherwise):

  reliability      a real server (judges = 0, lease_seconds = 5) and a real
                   `crucible judge daemon`; a batch of submissions, some slow
                   (a C program spinning ~2 s per test); the daemon is killed
                   with SIGKILL while it holds a job and a new one started;
                   then the server is killed with SIGKILL while a job is
                   under way and restarted on the same data folder and port.
                   In the end every submission has exactly one valid finished
                   judging with the right verdict, the killed judgings are
                   invalid, and no result was recorded twice (checked through
                   the API and in the database file, opened read-only).
  embedded_judges  `crucible serve` with judges = 1 judges a real submission
                   with no other process started by the test; the supervisor
                   restarts a killed daemon; SIGTERM stops everything; after
                   SIGKILL of the server no judge process is left.

The helpers (Server, Client, setup_platform, ...) are run_web_test.py's.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check

SLOW_C = r"""/* Hello Sum, slowly: spins about 2 s of CPU before it answers. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    long long a, b;
    struct timespec t0, t;
    volatile unsigned long x = 0;
    if (scanf("%lld %lld", &a, &b) != 2)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        for (int i = 0; i < 1000000; i++)
            x += (unsigned long)i;
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < 2.0);
    printf("%lld\n", a + b);
    return 0;
}
"""


def slow_sum_zip(ctx):
    """hello-sum cut to one sample and one secret test, with a 6 s limit."""
    folder = os.path.join(ctx.src, "problems", "examples", "hello-sum")
    with open(os.path.join(folder, "problem.yaml")) as f:
        yaml = f.read()
    yaml = yaml.replace("name: Hello Sum", "name: Slow Sum").replace("time_limit: 1", "time_limit: 6")
    yaml = yaml.replace("uuid: a3671706-a0a8-4891-9873-156ccd10d7c1", "uuid: 5d1b0c8e-7d1a-4f0e-9a41-2f6d0c3b9e17")
    edit = {"problem.yaml": yaml.encode()}
    for d, _, files in os.walk(folder):
        for fn in files:
            rel = os.path.relpath(os.path.join(d, fn), folder)
            if rel.startswith("submissions/") or (rel.startswith("data/") and
                                                   not rel.startswith(("data/sample/01.", "data/secret/01-"))):
                edit[rel] = None
    return ctx.zip_dir(folder, top="slow-sum", edit=edit)


def upload(srv, admin, data):
    r = admin.post("/api/v1/problems", data, ctype="application/zip")
    check(r.status == 201, "upload: %r" % r)
    pid = r.json()["problem"]["id"]
    r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True})
    check(r.status == 200, "publish: %r" % r)
    return pid


def db(srv):
    """The server's database, read-only."""
    return sqlite3.connect("file:%s?mode=ro" % os.path.join(srv.data, "crucible.db"), uri=True, timeout=10)


def running_judgings(srv):
    with db(srv) as c:
        return [row[0] for row in c.execute(
            "SELECT id FROM judgings WHERE valid = 1 AND finished_at IS NULL ORDER BY id")]


def wait_for(what, cond, limit):
    deadline = time.time() + limit
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise base.Fail("%s: not within %d s" % (what, limit))


def start_daemon(ctx, srv, token_file, name):
    log = open(os.path.join(srv.dir, name + ".log"), "ab")
    p = subprocess.Popen([ctx.crucible, "judge", "daemon", "--server=http://127.0.0.1:%d" % srv.port,
                          "--token-file=" + token_file, "--workers=2",
                          "--cache=" + os.path.join(srv.dir, "cache"), "--work-dir=" + os.path.join(srv.dir, "work"),
                          "--languages=" + os.path.join(ctx.src, "judge", "languages.yaml")],
                         stdout=log, stderr=log)
    p.logf = log
    return p


def daemon_log(srv, name):
    try:
        with open(os.path.join(srv.dir, name + ".log"), "rb") as f:
            return f.read().decode(errors="replace")[-3000:]
    except OSError:
        return ""


def stop_daemons(srv, daemons):
    """SIGTERM (after SIGCONT, for a stopped one) to each daemon, SIGKILL
    after 60 s; their logs closed, their tmpfs mounts gone."""
    for d in daemons:
        if d.poll() is None:
            d.send_signal(signal.SIGCONT)
            d.send_signal(signal.SIGTERM)
            try:
                d.wait(timeout=60)
            except subprocess.TimeoutExpired:
                d.kill()
                d.wait()
        d.logf.close()
    unmount_leftovers(srv.dir)


def case_reliability(ctx):
    if os.geteuid() != 0:
        raise base.Skip("the judge's sandbox needs root")
    srv, users = base.setup_platform(ctx, config={"judges": "0", "lease_seconds": "5"})
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    hello = upload(srv, admin, ctx.hello_sum_zip())
    slow = upload(srv, admin, slow_sum_zip(ctx))
    subs = os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions")

    def src(rel):
        with open(os.path.join(subs, rel)) as f:
            return f.read()

    want = {}
    batch = [(slow, SLOW_C, "c", "slow.c", "AC"), (hello, src("accepted/sum.c"), "c", "sum.c", "AC"),
             (slow, SLOW_C, "c", "slow.c", "AC"), (hello, src("wrong_answer/difference.c"), "c", "difference.c", "WA"),
             (slow, SLOW_C, "c", "slow.c", "AC"), (hello, src("accepted/sum.py"), "python3", "sum.py", "AC"),
             (hello, src("compile_error/syntax_error.c"), "c", "syntax_error.c", "CE"),
             (slow, SLOW_C, "c", "slow.c", "AC")]
    for pid, text, lang, name, verdict in batch:
        want[base.submit(alice, pid, text, lang, name)] = verdict

    token = os.path.join(srv.dir, "judge.token")
    with open(token, "w") as f:
        f.write(users["judge"][1] + "\n")
    os.chmod(token, 0o600)
    daemons = []
    try:
        # 1. A daemon killed outright while it holds a job.
        a = start_daemon(ctx, srv, token, "daemon-a")
        daemons.append(a)
        held = wait_for("daemon A holds a job", lambda: running_judgings(srv), 60)
        time.sleep(0.5)             # into the judging, not at its first byte
        held = running_judgings(srv) or held
        a.kill()
        a.wait()
        killed = set(held)
        print("killed daemon A holding judging(s) %s" % sorted(killed))

        # 2. A new daemon; the server killed outright while a job is under way.
        b = start_daemon(ctx, srv, token, "daemon-b")
        daemons.append(b)
        wait_for("daemon B holds a job", lambda: [j for j in running_judgings(srv) if j not in killed], 60)
        time.sleep(0.5)
        port = srv.port
        srv.proc.kill()
        srv.proc.wait()
        srv.proc = None
        srv.logf.close()
        print("killed the server mid-judging; restarting it on port %d" % port)
        srv.start(port=port)

        # 3. Everything ends judged, once.
        def all_judged():
            return all(alice.get("/api/v1/submissions/%d" % sid).json()["submission"]["status"] == "judged"
                       for sid in want)
        try:
            wait_for("every submission judged", all_judged, 150)
        except base.Fail as e:
            raise base.Fail("%s\ndaemon B:\n%s" % (e, daemon_log(srv, "daemon-b")))
    finally:
        stop_daemons(srv, daemons)

    for sid, verdict in want.items():
        s = alice.get("/api/v1/submissions/%d" % sid).json()["submission"]
        check(s["verdict"] == verdict, "submission %d: %s, not %s: %r" % (sid, s["verdict"], verdict, s))
    srv.stop()

    with db(srv) as c:
        for sid in want:
            rows = c.execute("SELECT id, valid, finished_at, verdict FROM judgings WHERE submission_id = ?",
                             (sid,)).fetchall()
            valid = [r for r in rows if r[1] == 1]
            check(len(valid) == 1 and valid[0][2] is not None and valid[0][3] == want[sid],
                  "submission %d: judgings %r (want one valid finished %s)" % (sid, rows, want[sid]))
            check(valid[0][0] not in killed, "submission %d: the killed judging %d counts" % (sid, valid[0][0]))
            status = c.execute("SELECT status FROM submissions WHERE id = ?", (sid,)).fetchone()[0]
            check(status == "judged", "submission %d: status %s in the database" % (sid, status))
        for jid in killed:
            valid, finished, verdict = c.execute("SELECT valid, finished_at, verdict FROM judgings WHERE id = ?",
                                                 (jid,)).fetchone()
            check(valid == 0 and finished is None and verdict is None,
                  "the judging %d of the killed daemon: valid %r, finished %r, verdict %r" %
                  (jid, valid, finished, verdict))
        dup = c.execute("SELECT judging_id, ordinal, COUNT(*) FROM judging_tests GROUP BY judging_id, ordinal "
                        "HAVING COUNT(*) > 1").fetchall()
        check(not dup, "test results recorded twice: %r" % dup[:5])
        # live progress stores a judging's tests as they run, so one abandoned
        # mid-way (its judge or server killed) keeps some; a valid one never
        # stays unfinished with rows
        stray = c.execute("SELECT DISTINCT t.judging_id FROM judging_tests t JOIN judgings j ON j.id = t.judging_id "
                          "WHERE j.finished_at IS NULL AND j.valid = 1").fetchall()
        check(not stray, "test results of valid unfinished judgings: %r" % stray)
        invalid = c.execute("SELECT COUNT(*) FROM judgings WHERE valid = 0").fetchone()[0]
        check(invalid >= len(killed), "only %d invalid judgings" % invalid)
        print("%d submissions, %d judgings, %d invalid" %
              (len(want), c.execute("SELECT COUNT(*) FROM judgings").fetchone()[0], invalid))


# ---- embedded judges ----------------------------------------------------------------------------------------

def proc_stat(pid):
    """(state, ppid) of a process, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def children(pid):
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st and st[1] == pid and st[0] != "Z":
                out.append(int(name))
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def judges_for(port):
    """Live processes running a judge daemon for this server."""
    want = ("--server=http://127.0.0.1:%d" % port).encode()
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st and st[0] != "Z" and want in cmdline(int(name)):
                found.append(int(name))
    return found


def judge_mounts(under, pid="self"):
    """Mount points of the judge's per-job tmpfs below a folder, as process
    pid sees them (a judge daemon mounts in a namespace of its own)."""
    try:
        with open("/proc/%s/mountinfo" % pid) as f:
            return [l.split()[4] for l in f if l.split()[4].startswith(under) and "crucible-judge" in l]
    except OSError:
        return []


def unmount_leftovers(folder):
    """A judge daemon killed outright leaves its job's tmpfs mounted (judge.c
    mounts one per job); the test's own work folder is cleaned of them."""
    for mp in judge_mounts(folder.rstrip("/") + "/"):
        subprocess.run(["umount", "-l", mp], check=False)


def supervisor_of(srv, since):
    text = srv.log_text()[since:]
    m = re.findall(r"supervisor pid (\d+)", text)
    check(m, "no embedded judges started:\n" + text[-2000:])
    return int(m[-1])


def case_embedded_judges(ctx):
    if os.geteuid() != 0:
        raise base.Skip("the judge's sandbox needs root")
    srv, users = base.setup_platform(ctx, config={"judges": "1", "lease_seconds": "5"})
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    pid = base.upload_problem(ctx, srv, admin)
    sup = supervisor_of(srv, 0)
    st = proc_stat(sup)
    check(st and st[1] == srv.proc.pid, "the supervisor %d is not the server's child: %r" % (sup, st))
    with open("/proc/%d/status" % sup) as f:
        uid = [l.split()[2] for l in f if l.startswith("Uid:")][0]
    check(uid == "0", "the supervisor runs as uid %s, not root" % uid)
    tok = os.stat(os.path.join(srv.data, "judge.token"))
    check(tok.st_uid == 0 and tok.st_mode & 0o077 == 0, "judge.token: uid %d mode %o" % (tok.st_uid, tok.st_mode))

    subs = os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions")
    want = {}
    for rel, verdict in (("accepted/sum.c", "AC"), ("wrong_answer/difference.c", "WA")):
        with open(os.path.join(subs, rel)) as f:
            want[base.submit(alice, pid, f.read(), "c", os.path.basename(rel))] = verdict

    def judged():
        got = {sid: alice.get("/api/v1/submissions/%d" % sid).json()["submission"] for sid in want}
        return got if all(s["status"] == "judged" for s in got.values()) else None
    got = wait_for("the embedded judge's verdicts", judged, 120)
    for sid, verdict in want.items():
        check(got[sid]["verdict"] == verdict, "submission %d: %r, not %s" % (sid, got[sid]["verdict"], verdict))
    daemons = children(sup)
    check(len(daemons) == 1 and b"daemon" in cmdline(daemons[0]),
          "the supervisor's children: %r" % [(p, cmdline(p)) for p in daemons])

    # A daemon that dies mid-judging is started again, and the job's tmpfs
    # goes with it: the daemon mounts it in a mount namespace of its own, so
    # the host never sees it at all.
    work = "/run/crucible/judge-embedded-%d/" % sup
    base.submit(alice, pid, SLOW_C, "c", "slow.c")
    wait_for("a job's folder mounted below " + work, lambda: judge_mounts(work, daemons[0]), 60)
    check(not judge_mounts(work), "the job's tmpfs is mounted on the host: %r" % judge_mounts(work))
    os.kill(daemons[0], signal.SIGKILL)
    again = wait_for("a new judge daemon", lambda: [p for p in children(sup) if p != daemons[0]], 15)
    print("daemon %d killed; the supervisor started %d" % (daemons[0], again[0]))
    check(not judge_mounts(work), "left mounted after the daemon's death: %r" % judge_mounts(work))
    check(not judge_mounts(work, again[0]), "the new daemon sees the old one's mounts: %r" %
          judge_mounts(work, again[0]))

    # SIGTERM: the server stops, and its judges with it.
    port = srv.port
    srv.stop()
    check(proc_stat(sup) is None and not judges_for(port),
          "left after SIGTERM: supervisor %r, judges %r" % (proc_stat(sup), judges_for(port)))
    check(not os.path.exists(work), "the judges' work folder %s is left" % work)

    # SIGKILL: the judges notice and go within a few seconds.
    since = len(srv.log_text())
    srv.start()
    sup = supervisor_of(srv, since)
    wait_for("the restarted judge daemon", lambda: children(sup), 15)
    before = children(sup)
    port = srv.port
    srv.proc.kill()
    srv.proc.wait()
    srv.proc = None
    srv.logf.close()
    t0 = time.time()

    def all_gone():
        st = proc_stat(sup)
        return (st is None or st[0] == "Z") and not children(sup) and not judges_for(port) and \
            all(proc_stat(p) is None or proc_stat(p)[0] == "Z" for p in before)
    wait_for("no judge left after the server's SIGKILL", all_gone, 10)
    print("after SIGKILL of the server the judges were gone in %.1f s" % (time.time() - t0))


CASES = {
    "reliability": case_reliability,
    "embedded_judges": case_embedded_judges,
}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
