#!/usr/bin/env python3
"""judge_throughput.py: a benchmark, not a test. Submissions judged per
second by a real `crucible judge daemon` with 1 and with 2 workers, on a
problem of 20 small tests, against doing the same work with no sandbox.

    tests/bench/judge_throughput.py [--crucible build/crucible] [--submissions 40]
                                    [--workers 1,2]

For each worker count, a fresh server gets the package (hello-sum's statement
and validator with 20 generated secret tests of a+b), --submissions copies of
the accepted C solution are queued, and one daemon with that many workers
judges them; the time runs from the daemon's start to the last verdict (every
one must be AC). The baseline ("plain") does what judging a submission needs
with no sandbox, no server and no judge: compile with the language table's
gcc command, then for each test fork+exec the binary with the input on stdin
and compare its output with the answer (in Python, like a minimal script
judge would), with 1 and 2 such processes side by side.

Needs root (the judge's sandbox) and gcc.
"""

import argparse
import concurrent.futures
import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC, "tests", "web"))
import run_web_test as base  # noqa: E402

TESTS = 20
GCC = ["gcc", "-std=gnu17", "-O2", "-pipe", "-o"]


def package(tests):
    """hello-sum with its secret tests replaced by `tests` generated ones."""
    rnd = random.Random(20261127)
    folder = os.path.join(SRC, "problems", "examples", "hello-sum")
    out = io.BytesIO()
    cases = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for d, _, files in os.walk(folder):
            for fn in sorted(files):
                full = os.path.join(d, fn)
                rel = os.path.relpath(full, folder)
                if rel.startswith(("data/secret/", "submissions/")) and not rel.endswith("accepted/sum.c"):
                    continue
                z.write(full, os.path.join("hello-sum", rel))
        for i in range(tests):
            a, b = rnd.randint(-10**9, 10**9), rnd.randint(-10**9, 10**9)
            cases.append(("%d %d\n" % (a, b), "%d\n" % (a + b)))
            z.writestr("hello-sum/data/secret/%02d.in" % i, cases[-1][0])
            z.writestr("hello-sum/data/secret/%02d.ans" % i, cases[-1][1])
    return out.getvalue(), cases


def judge_round(ctx, name, zipdata, source, n, workers):
    srv = ctx.server(name, {"max_jobs_per_user": "0"})
    srv.add_user("boss", "admin", "boss-password-1")
    _, token = srv.add_user("judge1", "judge")
    srv.start()
    try:
        admin = srv.client()
        admin.login("boss", "boss-password-1")
        r = admin.post("/api/v1/problems", zipdata, ctype="application/zip")
        assert r.status == 201, r
        pid = r.json()["problem"]["id"]
        ids = [base.submit(admin, pid, source) for _ in range(n)]
        db = "file:%s?mode=ro" % os.path.join(srv.data, "crucible.db")
        t0 = time.time()
        daemon, log = base.start_judge_daemon(ctx, srv, token, workers=workers)
        try:
            while True:
                con = sqlite3.connect(db, uri=True)
                left = con.execute("SELECT count(*) FROM submissions WHERE status != 'judged'").fetchone()[0]
                con.close()
                if not left:
                    break
                if daemon.poll() is not None or time.time() - t0 > 1800:
                    sys.exit("the daemon stopped or took too long; see %s" % log.name)
                time.sleep(0.05)
            elapsed = time.time() - t0
        finally:
            daemon.terminate()
            daemon.wait(timeout=60)
            log.close()
        verdicts = [admin.get("/api/v1/submissions/%d" % i).json()["submission"]["verdict"] for i in ids]
        if set(verdicts) != {"AC"}:
            sys.exit("not all AC: %r" % sorted(set(verdicts)))
        return elapsed
    finally:
        srv.stop(expect_rc=None)


def plain_one(work, i, source, cases):
    d = os.path.join(work, "plain-%d" % i)
    os.makedirs(d, exist_ok=True)
    src, exe = os.path.join(d, "sum.c"), os.path.join(d, "sum")
    with open(src, "w") as f:
        f.write(source)
    subprocess.run(GCC + [exe, src, "-lm"], check=True)
    for inp, ans in cases:
        p = subprocess.run([exe], input=inp.encode(), capture_output=True, timeout=10)
        if p.returncode != 0 or p.stdout.decode().split() != ans.split():
            sys.exit("plain: wrong answer on %r" % inp)


def plain_round(work, source, cases, n, parallel):
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(parallel) as ex:
        list(ex.map(lambda i: plain_one(work, i, source, cases), range(n)))
    return time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crucible", default=os.path.join(SRC, "build", "crucible"))
    ap.add_argument("--submissions", type=int, default=40)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("judge_throughput.py: run as root (the judge's sandbox)")
    work = tempfile.mkdtemp(prefix="crucible-judge-bench-")
    os.chmod(work, 0o755)
    ctx = base.Ctx(os.path.abspath(a.crucible), SRC, work)
    try:
        zipdata, cases = package(TESTS)
        source = base.sum_c(ctx)
        n = a.submissions
        print("%d submissions of a C a+b solution, %d tests each; %d CPUs" % (n, TESTS, os.cpu_count()))
        for w in [int(x) for x in a.workers.split(",")]:
            judged = judge_round(ctx, "judge-w%d" % w, zipdata, source, n, w)
            plain = plain_round(work, source, cases, n, w)
            print("  %d worker%s: judge %.1f s = %.2f submissions/s (%.0f ms each); plain %.1f s = %.2f/s; "
                  "judge/plain %.2f" % (w, "" if w == 1 else "s", judged, n / judged, judged / n * 1e3 * w,
                                        plain, n / plain, judged / plain), flush=True)
        return 0
    finally:
        if a.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
