#!/usr/bin/env python3
"""run_ai_contest_test.py: an AI contest from end to end, on the CPU, with
real judging: the iris example (problems/examples/iris-ai, 150 rows of
Fisher's iris data carried by the repository) uploaded to a real server and
judged by a real `crucible judge daemon`.

    run_ai_contest_test.py --crucible PATH --source-dir REPO --work DIR ai_contest

Prediction files (a perfect one and one with a duplicate id) and code
submissions (the example's nearest-centroid Python program, and one that
burns CPU before guessing) are judged and scored; the public board ranks
them, the private board stays hidden until the jury publishes it and counts
each team's final choice; a CPU quota refuses a submission once used up.
Needs root (the judge's sandbox): exit 77 otherwise.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check

IRIS = os.path.join("problems", "examples", "iris-ai")

# Burns about 1.5 CPU-seconds, then guesses one class for every row.
SLOW_GUESS = r'''
import csv, time
t = time.process_time()
while time.process_time() - t < 1.5:
    pass
with open("/data/test.csv") as f, open("predictions.csv", "w") as out:
    rows = list(csv.DictReader(f))
    out.write("id,species\n")
    for r in rows:
        out.write("%s,setosa\n" % r["id"])
'''


def read(ctx, rel):
    with open(os.path.join(ctx.src, IRIS, rel)) as f:
        return f.read()


def submit(client, cid, pid, lang, name, content):
    r = client.post("/api/v1/submissions", {"problem": pid, "contest": cid, "language": lang,
                                            "files": [{"name": name, "content": content}]})
    return r


def wait_judged(client, sids, timeout=180):
    deadline = time.time() + timeout
    got = {}
    while time.time() < deadline:
        for sid in sids:
            s = client.get("/api/v1/submissions/%d" % sid).json()["submission"]
            if s["status"] == "judged":
                got[sid] = s
        if len(got) == len(sids):
            return got
        time.sleep(0.5)
    raise base.Fail("not judged within %d s: %r" % (timeout, sorted(set(sids) - set(got))))


def rows(client, cid, which):
    r = client.get("/api/v1/contests/%d/leaderboard?board=%s" % (cid, which))
    return r, ([(x["name"], x["rank"], x["score"]) for x in r.json()["rows"]] if r.status == 200 else None)


def case_ai_contest(ctx):
    if os.geteuid() != 0:
        raise base.Skip("the judge's sandbox needs root")
    srv, users = base.setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    bob = srv.client()
    bob.login("bob", "bob-password-1")

    r = admin.post("/api/v1/problems", ctx.zip_dir(os.path.join(ctx.src, IRIS), top="iris-ai"),
                   ctype="application/zip")
    check(r.status == 201, "upload iris-ai: %r" % r)
    pid = r.json()["problem"]["id"]
    now = int(time.time())
    r = admin.post("/api/v1/contests", {"short_name": "iris-cup", "title": "Iris Cup", "start_time": now - 60,
                                        "duration": 3600, "public": True, "registration": "open",
                                        "final_submissions": 1})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "problem set: %r" % r)
    r = admin.request("PUT", "/api/v1/contests/%d/quota" % cid, {"scope": "user", "cpu_seconds_total": 1})
    check(r.status == 200, "quota: %r" % r)
    for c in (alice, bob):
        check(c.post("/api/v1/contests/%d/register" % cid, {}).status in (200, 201), "register")

    # the visible inputs are there to download; the labels are not
    samples = alice.get("/api/v1/problems/%d" % pid)
    check("setosa,versicolor" not in samples.body.decode(errors="replace"), "the problem page shows labels")

    daemon, log = base.start_judge_daemon(ctx, srv, users["judge"][1])
    try:
        perfect = submit(alice, cid, pid, "predictions", "perfect.csv", read(ctx, "submissions/accepted/perfect.csv"))
        dup = submit(alice, cid, pid, "predictions", "dup.csv", read(ctx, "submissions/wrong_answer/duplicate_id.csv"))
        centroid = submit(bob, cid, pid, "python3", "centroid.py",
                          read(ctx, "submissions/accepted/nearest_centroid.py"))
        slow = submit(bob, cid, pid, "python3", "slow.py", SLOW_GUESS)
        for r in (perfect, dup, centroid, slow):
            check(r.status == 201, "submit: %r" % r)
        a1, a2, b1, b2 = (r.json()["id"] for r in (perfect, dup, centroid, slow))
        got = wait_judged(admin, [a1, a2, b1, b2])
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        log.close()
    check([got[s]["verdict"] for s in (a1, a2, b1, b2)] == ["AC", "WA", "AC", "AC"],
          "verdicts: %r" % [(got[s]["verdict"], got[s].get("message")) for s in (a1, a2, b1, b2)])
    mine = alice.get("/api/v1/submissions/%d" % a2).json()["submission"]
    check("id 't001' appears twice" in repr(mine), "alice does not see why her file was refused: %r" % mine)

    # public board: both teams' best public score is 1.0 (shared rank 1)
    r, public = rows(alice, cid, "public")
    check(r.status == 200 and sorted(public) == [("alice", 1, 1.0), ("bob", 1, 1.0)], "public board: %r" % public)
    # private board: hidden from contestants until published; the jury sees it
    r, _ = rows(alice, cid, "private")
    check(r.status == 403, "the private board before publishing: %r" % r)
    r, private = rows(admin, cid, "private")
    check(r.status == 200 and private[0] == ("alice", 1, 1.0) and private[1][0] == "bob"
          and abs(private[1][2] - 0.96) < 1e-9, "the jury's private board: %r" % private)
    # bob picks his CPU-burning guess as his final submission: it counts on the private board
    r = bob.post("/api/v1/contests/%d/final" % cid, {"submissions": [b2]})
    check(r.status == 200, "final choice: %r" % r)
    r, private = rows(admin, cid, "private")
    check(private[1][0] == "bob" and private[1][2] < 0.5, "bob's final choice is not what counts: %r" % private)
    r = admin.request("PATCH", "/api/v1/contests/%d" % cid, {"private_published": True})
    check(r.status == 200, "publish the private board: %r" % r)
    r, seen = rows(alice, cid, "private")
    check(r.status == 200 and seen == private, "the published private board: %r vs %r" % (seen, private))

    # compute: bob used over a CPU-second; his next submission is refused at once
    usage = bob.get("/api/v1/contests/%d/usage" % cid)
    check(usage.status == 200 and "cpu" in usage.body.decode(), "usage: %r" % usage)
    r = submit(bob, cid, pid, "predictions", "again.csv", read(ctx, "submissions/accepted/perfect.csv"))
    check(r.status == 429 and r.error_code() == "quota_exceeded" and "left" in r.json()["error"]["message"],
          "over quota: %r" % r)
    r = submit(alice, cid, pid, "predictions", "again.csv", read(ctx, "submissions/accepted/perfect.csv"))
    check(r.status == 201, "alice (prediction files cost no CPU to speak of) is refused: %r" % r)
    srv.stop()


CASES = {"ai_contest": case_ai_contest}


def main():
    base.CASES.clear()
    base.CASES.update(CASES)
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
