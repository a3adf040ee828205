#!/usr/bin/env python3
"""run_progress_test.py: end-to-end case for live judging progress
(POST /api/v1/judge/jobs/{id}/progress in web/api_judge.c, the "progress"
field of GET /api/v1/submissions/{id} in web/api_submissions.c):

    run_progress_test.py --crucible PATH --source-dir REPO --work DIR progress

A fake judge streams per-test results in pieces (a repeated piece among
them); the owner sees them grow, others see nothing, an OI contestant sees
no per-test data, the result replaces the progress, and a lost lease or a
rejudge starts over. run_web_test.py's helpers start the real server.
Exit status: 0 pass, 1 fail.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check


def tests_of(n, verdict="AC"):
    """n test results as a judge sends them, with judge-only messages."""
    return [{"name": "secret/%02d" % i, "group": "secret", "verdict": verdict, "time_seconds": 0.01 * i,
             "memory_bytes": (i + 1) << 20, "score": 0, "message": "checker: secret detail %d" % i}
            for i in range(n)]


def view(client, sid):
    r = client.get("/api/v1/submissions/%d" % sid)
    check(r.status == 200, "read submission %d: %r" % (sid, r))
    return r.json()["submission"]


def progress(judge, jid, first, tests, expect=200):
    r = judge.post("/api/v1/judge/jobs/%d/progress" % jid, {"first": first, "tests": tests})
    check(r.status == expect, "progress first=%d (%d tests): expected %d, got %r" % (first, len(tests), expect, r))
    return r


def claim(judge, sid, host="host-a"):
    r = judge.post("/api/v1/judge/claim", base.claim_body(host))
    check(r.status == 200 and r.json()["job"]["submission_id"] == sid, "claim of %d: %r" % (sid, r))
    return r.json()["job"]["id"]


def case_progress(ctx):
    srv, users = base.setup_platform(ctx, {"lease_seconds": "5"})
    admin, alice, bob = srv.client(), srv.client(), srv.client()
    admin.login("boss", "boss-password-1")
    alice.login("alice", "alice-password-1")
    bob.login("bob", "bob-password-1")
    judge = srv.client(token=users["judge"][1])
    pid = base.upload_problem(ctx, srv, admin)
    source = base.sum_c(ctx)
    all_tests = tests_of(4)

    # queued: no progress
    sid = base.submit(alice, pid, source)
    s = view(alice, sid)
    check(s["status"] == "queued" and s["progress"] is None and s["tests"] == [], "queued: %r" % s)
    jid = claim(judge, sid)
    s = view(alice, sid)
    check(s["status"] == "judging" and s["progress"] == {"tests_done": 0} and s["tests"] == [],
          "claimed, nothing judged yet: %r" % s)

    # pieces, one repeated and one overlapping: counted once each
    r = progress(judge, jid, 0, all_tests[0:2])
    check(r.json() == {"lease_seconds": 5}, "progress answer: %r" % r)
    s = view(alice, sid)
    check(s["progress"] == {"tests_done": 2} and s["verdict"] is None, "after 2 tests: %r" % s)
    check([t["name"] for t in s["tests"]] == ["secret/00", "secret/01"], "partial tests: %r" % s["tests"])
    check(all(set(t) == {"name", "verdict", "time_seconds", "memory_bytes", "score"} for t in s["tests"]),
          "a contestant sees judge messages while judging: %r" % s["tests"])
    check(b"secret detail" not in alice.get("/api/v1/submissions/%d" % sid).body, "message leaked to the owner")
    progress(judge, jid, 0, all_tests[0:2])                 # a retried post
    check(view(alice, sid)["progress"] == {"tests_done": 2}, "a repeated piece counted twice")
    progress(judge, jid, 2, all_tests[2:3])
    progress(judge, jid, 1, all_tests[1:3])                 # overlapping
    s = view(alice, sid)
    check(s["progress"] == {"tests_done": 3} and [t["name"] for t in s["tests"]] == [
        "secret/00", "secret/01", "secret/02"], "after 3 tests: %r" % s)
    s = view(admin, sid)
    check(s["progress"] == {"tests_done": 3} and s["tests"][2]["message"] == "checker: secret detail 2",
          "the jury's view while judging: %r" % s)
    check(bob.get("/api/v1/submissions/%d" % sid).status == 404, "bob reads alice's submission while judging")
    check(srv.client().get("/api/v1/submissions/%d" % sid).status == 401, "anonymous read while judging")

    # malformed posts are refused and change nothing
    path = "/api/v1/judge/jobs/%d/progress" % jid
    for body, status in (({"tests": all_tests[:1], "bogus": 1}, 400),
                         ({"first": -1, "tests": all_tests[:1]}, 400),
                         ({"first": "0", "tests": all_tests[:1]}, 400),
                         ({"first": 0}, 400),
                         ({"first": 0, "tests": {}}, 400),
                         ({"first": 0, "tests": [dict(all_tests[0], verdict="NOPE")]}, 400),
                         ({"first": 0, "tests": [{"name": "x"}]}, 400),
                         ({"first": 99999, "tests": all_tests[:2]}, 413)):
        r = judge.post(path, body)
        check(r.status == status and r.error_code(), "progress %r: expected %d, got %r" % (body, status, r))
    r = judge.post(path, b"not json", ctype="application/json")
    check(r.status == 400, "progress that is not JSON: %r" % r)
    check(judge.post("/api/v1/judge/jobs/999999/progress", {"first": 0, "tests": []}).status == 404,
          "progress of no job")
    for who in (alice, admin):
        check(who.post(path, {"first": 0, "tests": []}).status == 403, "progress by a non-judge")
    check(view(alice, sid)["progress"] == {"tests_done": 3}, "a refused post changed the progress")

    # progress renews the lease like a heartbeat: 7 s of progress on a 5 s lease
    for i in range(4):
        time.sleep(2)
        progress(judge, jid, 3, all_tests[3:4])
    check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % jid).status == 200, "progress did not renew the lease")

    # the result replaces the progress (2 tests, not 4)
    r = judge.post("/api/v1/judge/jobs/%d/result" % jid, base.fake_result())
    check(r.status == 200, "result: %r" % r)
    s = view(alice, sid)
    check(s["status"] == "judged" and s["verdict"] == "AC" and s["progress"] is None, "judged: %r" % s)
    check([t["name"] for t in s["tests"]] == ["secret/01-zeros", "secret/02-max"],
          "the result did not replace the progress: %r" % s["tests"])
    r = judge.post(path, {"first": 0, "tests": all_tests[:1]})
    check(r.status == 409 and r.error_code() == "lease_lost", "progress after the result: %r" % r)
    check([t["name"] for t in view(alice, sid)["tests"]] == ["secret/01-zeros", "secret/02-max"],
          "a late progress post changed a judged submission")

    # a rejudge starts a fresh judging at 0
    r = admin.post("/api/v1/rejudgings", {"submission": sid})
    check(r.status in (200, 201), "rejudge: %r" % r)
    jid2 = claim(judge, sid, "host-b")
    check(jid2 != jid, "the rejudge reused judging %d" % jid)
    s = view(alice, sid)
    check(s["status"] == "judging" and s["progress"] == {"tests_done": 0} and s["tests"] == [],
          "a rejudge's progress: %r" % s)
    progress(judge, jid, 0, all_tests[:1], 409)             # the old judging is dead
    progress(judge, jid2, 0, all_tests[:1])
    check(view(alice, sid)["progress"] == {"tests_done": 1}, "progress of the rejudge")

    # a lost lease: the post is 409, and the next judging starts at 0
    time.sleep(6.5)
    r = judge.post("/api/v1/judge/jobs/%d/progress" % jid2, {"first": 1, "tests": all_tests[1:2]})
    check(r.status == 409 and r.error_code() == "lease_lost", "progress after the lease expired: %r" % r)
    jid3 = claim(judge, sid, "host-c")
    s = view(alice, sid)
    check(jid3 != jid2 and s["progress"] == {"tests_done": 0} and s["tests"] == [],
          "after an expired lease: %r" % s)
    check(judge.post("/api/v1/judge/jobs/%d/result" % jid3, base.fake_result("WA")).status == 200, "result 3")

    # an OI contest: the contestant sees no per-test data, the jury does
    now = int(time.time())
    r = admin.post("/api/v1/contests", {"short_name": "oi", "title": "OI", "start_time": now - 60,
                                        "duration": 7200, "public": True, "registration": "open",
                                        "rules": "oi"})
    check(r.status == 201, "create an OI contest: %r" % r)
    cid = r.json()["id"]
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "problem set: %r" % r)
    check(alice.post("/api/v1/contests/%d/register" % cid).status == 201, "register")
    r = alice.post("/api/v1/submissions", {"problem": pid, "language": "c", "contest": cid,
                                           "files": [{"name": "sum.c", "content": source}]})
    check(r.status == 201, "contest submission: %r" % r)
    osid = r.json()["id"]
    ojid = claim(judge, osid)
    progress(judge, ojid, 0, all_tests[:2])
    s = view(alice, osid)
    check(s["status"] == "judging" and s["progress"] is None and s["tests"] is None,
          "an OI contestant sees per-test progress: %r" % s)
    body = alice.get("/api/v1/submissions/%d" % osid).body
    check(b"secret/0" not in body and b"tests_done" not in body, "OI progress leaked: %r" % body)
    s = view(admin, osid)
    check(s["progress"] == {"tests_done": 2} and len(s["tests"]) == 2, "the OI jury's view: %r" % s)
    check(bob.get("/api/v1/submissions/%d" % osid).status == 404, "bob reads alice's OI submission")
    srv.stop()


CASES = {"progress": case_progress}


if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
