#!/usr/bin/env python3
"""queue_drain.py: a benchmark, not a test. Queues many submissions at once
and lets several judge processes drain the queue; prints how long queueing
and draining took and checks that every submission was judged exactly once.

    tests/bench/queue_drain.py [--crucible build/crucible] [--submissions 10000]
                               [--submitters 8] [--judges 4] [--real N]

Default: the judges are fake ones, separate processes that speak the judge
protocol over HTTP (claim, result) and answer at once with a fixed result,
so the figures are those of the web server's queue itself (claims, leases,
results in SQLite) and not of compiling and running programs.

--real N: instead, N real `crucible judge daemon` processes (root only: the
sandbox) judge the hello-sum example (10 tests, a C solution compiled for
each submission); use a smaller --submissions, as each takes about 0.2 s of
CPU.

In the end the database is read (read-only) to check that each submission
has exactly one valid finished judging and how many judgings were made in
all; the server's own answer to each fake result (200 or a refusal) is
counted too.
"""

import argparse
import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC, "tests", "web"))
import run_web_test as base  # noqa: E402


class Port:
    """Just enough of base.Server for a Client in another process."""

    def __init__(self, port):
        self.port = port
        self.seen = []
        self.allow_5xx = False


def fake_judge(port, token, name, stop_when_idle, out):
    judge = base.Client(Port(port), token=token)
    done = refused = claims = 0
    idle_since = None
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body(name))
        claims += 1
        if r.status == 204:
            if stop_when_idle.is_set():
                if idle_since is None:
                    idle_since = time.time()
                elif time.time() - idle_since > 2:
                    break
            time.sleep(0.05)
            continue
        idle_since = None
        job = r.json()["job"]
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result("AC"))
        if r.status == 200:
            done += 1
        else:
            refused += 1
    out.put((name, done, refused, claims))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crucible", default=os.path.join(SRC, "build", "crucible"))
    ap.add_argument("--submissions", type=int, default=10000)
    ap.add_argument("--submitters", type=int, default=8)
    ap.add_argument("--judges", type=int, default=4)
    ap.add_argument("--real", type=int, default=0, metavar="N")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    if a.real and os.geteuid() != 0:
        sys.exit("--real needs root (the judge's sandbox)")
    work = tempfile.mkdtemp(prefix="crucible-queue-bench-")
    os.chmod(work, 0o755)          # the server drops to nobody
    ctx = base.Ctx(os.path.abspath(a.crucible), SRC, work)
    srv = None
    procs = []
    try:
        srv = ctx.server("server", {"max_jobs_per_user": "0", "threads": "8",
                                    "lease_seconds": "60"})
        admin_pw, _ = srv.add_user("boss", "admin", "boss-password-1")
        for i in range(a.submitters):
            srv.add_user("s%d" % i, "contestant", "submitter-password-%d" % i)
        _, judge_token = srv.add_user("judge1", "judge")
        srv.start()
        admin = srv.client()
        admin.login("boss", "boss-password-1")
        pid = base.upload_problem(ctx, srv, admin)
        source = base.sum_c(ctx)

        # queue everything at once: a thread per submitter, each its own user
        per = [a.submissions // a.submitters + (1 if i < a.submissions % a.submitters else 0)
               for i in range(a.submitters)]
        lat = []
        ids = []
        lock = threading.Lock()
        errors = []

        def submitter(i):
            c = srv.client()
            c.login("s%d" % i, "submitter-password-%d" % i)
            mine, times = [], []
            for _ in range(per[i]):
                t = time.time()
                r = c.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                                   "files": [{"name": "sum.c", "content": source}]})
                times.append(time.time() - t)
                if r.status != 201:
                    errors.append(r)
                    return
                mine.append(r.json()["id"])
            with lock:
                ids.extend(mine)
                lat.extend(times)

        t0 = time.time()
        threads = [threading.Thread(target=submitter, args=(i,)) for i in range(a.submitters)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        t_queue = time.time() - t0
        if errors:
            sys.exit("a submission was refused: %r" % errors[0])
        print("queued %d submissions from %d clients in %.1f s: %.0f per second; POST latency "
              "p50 %.1f ms, p99 %.1f ms" % (len(ids), a.submitters, t_queue, len(ids) / t_queue,
                                            percentile(lat, 0.5) * 1e3, percentile(lat, 0.99) * 1e3))

        # drain
        t0 = time.time()
        if a.real:
            for i in range(a.real):
                d, log = base.start_judge_daemon(ctx, srv, judge_token)
                procs.append(d)
            kind = "real judge daemons"
        else:
            stop = multiprocessing.Event()
            out = multiprocessing.Queue()
            for i in range(a.judges):
                p = multiprocessing.Process(target=fake_judge, args=(srv.port, judge_token, "fake-%d" % i,
                                                                     stop, out))
                p.start()
                procs.append(p)
            kind = "fake judges"
        db = "file:%s?mode=ro" % os.path.join(srv.data, "crucible.db")
        next_print = 10
        while True:
            con = sqlite3.connect(db, uri=True)
            left = con.execute("SELECT count(*) FROM submissions WHERE status != 'judged'").fetchone()[0]
            con.close()
            if left == 0:
                break
            if time.time() - t0 >= next_print:
                print("  %.0f s: %d left" % (time.time() - t0, left), flush=True)
                next_print += 10
            time.sleep(0.2)
        t_drain = time.time() - t0
        n = a.real or a.judges
        print("drained by %d %s in %.1f s: %.0f judgings per second" % (n, kind, t_drain, len(ids) / t_drain))
        stats = []
        if a.real:
            for d in procs:
                d.terminate()
                d.wait(timeout=60)
        else:
            stop.set()
            for _ in procs:
                stats.append(out.get(timeout=120))
            for p in procs:
                p.join(timeout=30)
            for name, done, refused, claims in sorted(stats):
                print("  %s: %d results accepted, %d refused, %d claims" % (name, done, refused, claims))

        con = sqlite3.connect(db, uri=True)
        total = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        bad = con.execute("SELECT count(*) FROM submissions s WHERE (SELECT count(*) FROM judgings j "
                          "WHERE j.submission_id = s.id AND j.valid = 1 AND j.finished_at IS NOT NULL) != 1"
                          ).fetchone()[0]
        judgings = con.execute("SELECT count(*) FROM judgings").fetchone()[0]
        con.close()
        print("exactly once: %s (%d submissions, %d with other than one valid finished judging, "
              "%d judgings in all)" % ("yes" if bad == 0 and total == len(ids) else "NO", total, bad, judgings))
        with open("/proc/%d/status" % srv.proc.pid) as f:
            mem = dict(l.split(":", 1) for l in f if l.startswith(("VmRSS", "VmHWM")))
        print("server memory: RSS %s, peak %s" % (mem["VmRSS"].strip(), mem["VmHWM"].strip()))
        return 0 if bad == 0 and total == len(ids) else 1
    finally:
        for p in procs:
            try:
                p.kill()
            except Exception:
                pass
        if srv:
            srv.stop(expect_rc=None)
        if a.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
