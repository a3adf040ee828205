#!/usr/bin/env python3
"""run_samples_test.py: end-to-end case for "run on samples" (the
`samples_only` field of POST /api/v1/submissions, web/api_submissions.c;
the claim's `samples_only`, web/api_judge.c; the daemon, judge/daemon.c):

    run_samples_test.py --crucible PATH --source-dir REPO --work DIR samples_run

A real judge daemon judges a solution that is right on the samples and
wrong on the secret data: as a samples run it is AC with only sample tests
judged, visible to its owner and the jury only, and the contest's
scoreboard, its Contest API submissions and its per-problem submission
limit do not count it; the same code submitted for real is WA. Needs root
(the sandbox). Exit status: 0 pass, 1 fail, 77 skip.
"""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check

# Right on data/sample (1 2, -5 12), wrong on the secret data's large numbers.
SAMPLES_ONLY_SUM = r"""
#include <stdio.h>
int main(void)
{
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2)
        return 1;
    printf("%lld\n", (a > 100 || a < -100 || b > 100 || b < -100) ? 0 : a + b);
    return 0;
}
"""


def post_sub(client, pid, cid, content, **extra):
    body = {"problem": pid, "language": "c", "files": [{"name": "sum.c", "content": content}]}
    if cid:
        body["contest"] = cid
    body.update(extra)
    return client.post("/api/v1/submissions", body)


def wait_judged(client, sid, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = client.get("/api/v1/submissions/%d" % sid).json()["submission"]
        if s["status"] == "judged":
            return s
        time.sleep(0.5)
    raise base.Fail("submission %d not judged within %d s" % (sid, timeout))


def board(client, cid):
    r = client.get("/api/v1/contests/%d/scoreboard" % cid)
    check(r.status == 200, "scoreboard: %r" % r)
    return r.json()["rows"]


def case_samples_run(ctx):
    if os.geteuid() != 0:
        raise base.Skip("the judge's sandbox needs root")
    srv, users = base.setup_platform(ctx)
    admin, alice, bob = srv.client(), srv.client(), srv.client()
    admin.login("boss", "boss-password-1")
    alice.login("alice", "alice-password-1")
    bob.login("bob", "bob-password-1")
    pid = base.upload_problem(ctx, srv, admin, publish=False)
    now = int(time.time())
    r = admin.post("/api/v1/contests", {"short_name": "samples", "title": "Samples", "start_time": now - 60,
                                        "duration": 3600, "public": True, "registration": "open",
                                        "max_submissions": 1})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "problem set: %r" % r)
    for c in (alice, bob):
        check(c.post("/api/v1/contests/%d/register" % cid, {}).status in (200, 201), "register")

    # bad input: a boolean only; an AI problem has no samples to run on
    r = post_sub(alice, pid, cid, SAMPLES_ONLY_SUM, samples_only="yes")
    check(r.status == 400 and r.json()["error"]["code"] == "invalid_field", "samples_only 'yes': %r" % r)
    r = admin.post("/api/v1/problems", ctx.zip_dir(os.path.join(ctx.src, "problems", "examples", "iris-ai"),
                                                   top="iris-ai"), ctype="application/zip")
    check(r.status == 201, "upload iris-ai: %r" % r)
    ai = r.json()["problem"]["id"]
    r = admin.post("/api/v1/submissions", {"problem": ai, "language": "predictions", "samples_only": True,
                                           "files": [{"name": "p.csv", "content": "id,species\n"}]})
    check(r.status == 422 and r.json()["error"]["code"] == "no_samples", "samples run on an AI problem: %r" % r)

    before = board(admin, cid)
    r = post_sub(alice, pid, cid, SAMPLES_ONLY_SUM, samples_only=True)
    check(r.status == 201, "samples run: %r" % r)
    sid = r.json()["id"]
    s = alice.get("/api/v1/submissions/%d" % sid).json()["submission"]
    check(s["samples_only"] is True and s["contest"] == cid, "the samples run's JSON: %r" % s)
    check(board(admin, cid) == before, "a queued samples run shows on the scoreboard")

    daemon, log = base.start_judge_daemon(ctx, srv, users["judge"][1])
    try:
        s = wait_judged(alice, sid)
        # the same code for real: the samples run did not use up the one submission allowed
        r = post_sub(alice, pid, cid, SAMPLES_ONLY_SUM)
        check(r.status == 201, "a real submission after a samples run (limit 1): %r" % r)
        real = wait_judged(alice, r.json()["id"])
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        log.close()

    names = [t["name"] for t in s["tests"]]
    check(s["verdict"] == "AC" and len(names) == 2 and all(n.startswith("sample/") for n in names),
          "the samples run: %r" % s)
    jury = admin.get("/api/v1/submissions/%d" % sid).json()["submission"]
    check(jury["samples_only"] is True and [t["name"] for t in jury["tests"]] == names,
          "the jury's view of the samples run: %r" % jury)
    check(real["verdict"] == "WA" and real["samples_only"] is False
          and any(t["name"].startswith("secret/") for t in real["tests"]), "the real submission: %r" % real)
    r = post_sub(alice, pid, cid, SAMPLES_ONLY_SUM)
    check(r.status == 403 and r.json()["error"]["code"] == "submission_limit", "the limit still holds: %r" % r)

    # the board counts the real submission only: one attempt, not solved
    rows = {x["name"]: x for x in board(admin, cid)}
    cell = rows["alice"]["cells"][0]
    check(cell["attempts"] == 1 and not cell["solved"] and not cell["pending"] and rows["alice"]["solved"] == 0,
          "alice's cell: %r" % cell)
    ccs = admin.get("/api/contests/samples/submissions")
    check(ccs.status == 200, "Contest API submissions: %r" % ccs)
    check(sorted(str(x["id"]) for x in ccs.json()) == [str(real["id"])],
          "the Contest API lists the samples run: %r" % ccs.json())

    # only its owner and the jury see it
    r = bob.get("/api/v1/submissions/%d" % sid)
    check(r.status == 404, "bob reads alice's samples run: %r" % r)
    listed = bob.get("/api/v1/submissions?contest=%d" % cid).json()["submissions"]
    check(sid not in [x["id"] for x in listed], "bob's list shows alice's samples run")
    listed = alice.get("/api/v1/submissions?contest=%d" % cid).json()["submissions"]
    check(sid in [x["id"] for x in listed], "alice's list lacks her samples run")
    srv.stop()


CASES = {"samples_run": case_samples_run}


if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
