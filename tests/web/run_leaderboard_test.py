#!/usr/bin/env python3
"""run_leaderboard_test.py: end-to-end case for AI leaderboards (web/api_leaderboard.c):

    run_leaderboard_test.py --crucible PATH --source-dir REPO --work DIR leaderboard

A team contest with one AI problem (its judgings carry public and private
scores, given by a fake judge through the judge protocol): the public board's
order, shared ranks and rounding (never the exact value to contestants), the
private board hidden and then published, final submissions (the default K
best public ones, then an explicit choice), a baseline marked and unranked,
the CSV export, and the daily limit counting only submissions that did not
fail. Exit status: 0 pass, 1 fail.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402
import run_contest_test as ct  # noqa: E402

check = base.check
refused = ct.refused
EXACT = 0.123456789


def ai_result(pub, priv):
    r = base.fake_result("AC", tests=[{"name": "predictions", "group": "secret", "verdict": "AC",
                                       "time_seconds": 0.01, "memory_bytes": 1 << 20, "score": pub,
                                       "message": ""}])
    r["score"] = pub
    r["ai"] = {"public_score": pub, "private_score": priv}
    return r


def judge_all(judge, results):
    """Claims every queued job and posts results[sid] (an AI result by default AC without scores)."""
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        body = results.get(job["submission_id"], base.fake_result("AC"))
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], body)
        check(r.status == 200, "result for %d: %r" % (job["submission_id"], r))


def board(client, cid, which="public", status=200, **q):
    path = "/api/v1/contests/%d/leaderboard?board=%s" % (cid, which)
    for k, v in q.items():
        path += "&%s=%s" % (k, v)
    r = client.get(path)
    check(r.status == status, "%s board: %r" % (which, r))
    return r


def summary(r):
    return [(row["name"], row["rank"], row["score"], row["baseline"]) for row in r.json()["rows"]]


def case_leaderboard(ctx):
    srv, c, judge = ct.platform(ctx)
    olga = c["olga"]
    pid = ct.upload(ctx, c["boss"], "ai-probe", publish=False)
    other = ct.upload(ctx, c["boss"], "plain-sum", publish=False)
    cid = ct.create(olga, "ai-cup", team_mode=True, final_submissions=2, daily_submissions=3)
    contest = ct.get_contest(olga, cid)
    check(contest["final_submissions"] == 2 and contest["daily_submissions"] == 3 and
          contest["private_published"] is False, "contest fields: %r" % contest)
    refused(olga.request("PATCH", "/api/v1/contests/%d" % cid, {"final_submissions": 0}), 400, "invalid_field",
            "final_submissions", "zero final submissions")
    r = ct.put_problems(olga, cid, [{"problem": other, "label": "A"}, {"problem": pid, "label": "B"}])
    check(r.status == 200, "problem set: %r" % r)
    teams = {"alice": "Alpha", "bob": "Beta", "carol": "Gamma", "dave": "Delta"}
    for who, team in teams.items():
        r = c[who].post("/api/v1/contests/%d/register" % cid, {"team_name": team})
        check(r.status in (200, 201), "register %s: %r" % (who, r))

    # submissions and their scores (maximize; precision 5 by default)
    res = {}
    s1 = ct.sub_ok(c["alice"], pid, cid)
    s2 = ct.sub_ok(c["alice"], pid, cid)
    s3 = ct.sub_ok(c["alice"], pid, cid)
    res[s1], res[s2], res[s3] = ai_result(0.3, 0.5), ai_result(0.9, 0.2), ai_result(0.8, 0.95)
    b1 = ct.sub_ok(c["bob"], pid, cid)
    b2 = ct.sub_ok(c["bob"], pid, cid)
    res[b1], res[b2] = ai_result(0.900001, 0.6), base.fake_result("CE")
    g1 = ct.sub_ok(c["carol"], pid, cid)
    res[g1] = ai_result(0.5, 0.7)
    d1 = ct.sub_ok(c["dave"], pid, cid)
    res[d1] = ai_result(EXACT, 0.1)
    base_sub = ct.sub_ok(olga, pid, cid)        # the jury's baseline
    res[base_sub] = ai_result(0.7, 0.65)
    plain = ct.sub_ok(c["carol"], other, cid)   # a non-AI problem: not on the board
    judge_all(judge, res)

    # the board defaults to the contest's AI problem
    r = board(c["alice"], cid)
    body = r.json()
    check(body["problem"] == pid and body["precision"] == 5 and body["maximize"] is True, "board head: %r" % body)
    check(summary(r) == [("Alpha", 1, 0.9, False), ("Beta", 1, 0.9, False), ("Gamma", 3, 0.5, False),
                         ("Delta", 4, 0.12346, False)], "public board: %r" % summary(r))
    alpha = body["rows"][0]
    check(alpha["entries"] == 3 and alpha["last"] > 0 and alpha["team"] is not None, "Alpha's row: %r" % alpha)
    check(body["rows"][1]["entries"] == 1, "a compile error is no entry: %r" % body["rows"][1])
    check(str(EXACT) not in r.body.decode() and "exact_score" not in r.body.decode(),
          "a contestant sees the exact score: %s" % r.body[:300])
    r = board(olga, cid, problem=pid)
    delta = [row for row in r.json()["rows"] if row["name"] == "Delta"][0]
    check(delta["score"] == 0.12346 and delta["exact_score"] == EXACT, "the jury's view of Delta: %r" % delta)
    # the submission view: rounded too
    r = c["dave"].get("/api/v1/submissions/%d" % d1)
    check(r.status == 200 and r.json()["submission"]["score"] == 0.12346, "dave's submission: %r" % r)
    check("123456789" not in r.body.decode(), "dave's submission shows the exact score: %s" % r.body[:400])
    refused(c["alice"].get("/api/v1/contests/%d/leaderboard?problem=%d" % (cid, 999999)), 404, "not_found",
            what="a problem not in the contest")
    refused(c["alice"].get("/api/v1/contests/%d/leaderboard?board=secret" % cid), 400, "invalid_parameter",
            what="an unknown board")

    # a baseline: marked by the jury only, shown on both boards, unranked
    refused(c["alice"].post("/api/v1/submissions/%d/baseline" % s1, {"baseline": True}), 403, "forbidden",
            what="a contestant marks her own submission")
    refused(c["bob"].post("/api/v1/submissions/%d/baseline" % s1, {"baseline": True}), 404, "not_found",
            what="a contestant marks another's submission")
    refused(olga.post("/api/v1/submissions/%d/baseline" % base_sub, {"baseline": "yes"}), 400, "invalid_field",
            what="a baseline flag that is not a bool")
    r = olga.post("/api/v1/submissions/%d/baseline" % base_sub, {"baseline": True})
    check(r.status == 200 and r.json()["baseline"] is True, "mark a baseline: %r" % r)
    r = board(c["bob"], cid)
    rows = summary(r)
    check([x for x in rows if x[3]] == [("olga", None, 0.7, True)] and
          [x[1] for x in rows if not x[3]] == [1, 1, 3, 4], "public board with a baseline: %r" % rows)

    # the private board: the jury's until published
    refused(c["alice"].get("/api/v1/contests/%d/leaderboard?board=private" % cid), 403, "private_not_published",
            what="the private board before publication")
    refused(c["anon"].get("/api/v1/contests/%d/leaderboard?board=private" % cid), 403, "private_not_published",
            what="the private board before publication, anonymously")
    # no choice: the 2 best public ones (Alpha: 0.9 and 0.8, so private 0.95)
    r = board(olga, cid, "private")
    check(summary(r) == [("Alpha", 1, 0.95, False), ("Gamma", 2, 0.7, False), ("olga", None, 0.65, True),
                         ("Beta", 3, 0.6, False), ("Delta", 4, 0.1, False)], "private board, default finals: %r"
          % summary(r))
    # explicit choices
    refused(c["alice"].post("/api/v1/contests/%d/final" % cid, {"submissions": [s1, s2, s3]}), 400, "too_many",
            what="more than K finals")
    refused(c["alice"].post("/api/v1/contests/%d/final" % cid, {"submissions": [b1]}), 404, "not_found",
            what="another team's submission")
    refused(c["bob"].post("/api/v1/contests/%d/final" % cid, {"submissions": [b2]}), 422, "not_scored",
            what="a failed submission")
    refused(c["alice"].post("/api/v1/contests/%d/final" % cid, {"submissions": [s1, s1]}), 400, "invalid_field",
            what="a repeated id")
    refused(olga.post("/api/v1/contests/%d/final" % cid, {"submissions": [base_sub]}), 403, "not_registered",
            what="the jury choosing")
    r = c["alice"].get("/api/v1/contests/%d/final" % cid)
    check(r.status == 200 and r.json()["submissions"] == [] and r.json()["k"] == 2, "no finals yet: %r" % r)
    r = c["alice"].post("/api/v1/contests/%d/final" % cid, {"submissions": [s1]})
    check(r.status == 200 and r.json()["submissions"] == [s1], "alice chooses s1: %r" % r)
    r = c["alice"].get("/api/v1/contests/%d/final" % cid)
    check(r.status == 200 and r.json()["submissions"] == [s1], "alice's finals as stored: %r" % r)
    refused(olga.get("/api/v1/contests/%d/final" % cid), 403, "not_registered", what="the jury's finals")
    r = board(olga, cid, "private")
    check(summary(r) == [("Gamma", 1, 0.7, False), ("olga", None, 0.65, True), ("Beta", 2, 0.6, False),
                         ("Alpha", 3, 0.5, False), ("Delta", 4, 0.1, False)], "private board, chosen finals: %r"
          % summary(r))
    r = olga.request("PATCH", "/api/v1/contests/%d" % cid, {"private_published": True})
    check(r.status == 200 and r.json()["contest"]["private_published"] is True, "publish: %r" % r)
    r = board(c["alice"], cid, "private")
    check(summary(r)[0] == ("Gamma", 1, 0.7, False) and "exact_score" not in r.body.decode(),
          "the published private board: %r" % summary(r))

    # CSV export
    r = c["carol"].get("/api/v1/contests/%d/leaderboard?format=csv" % cid)
    check(r.status == 200 and r.headers.get("content-type", "").startswith("text/csv"), "csv: %r" % r)
    lines = r.body.decode().splitlines()
    check(lines[0] == "rank,team,score,entries,last", "csv header: %r" % lines[:1])
    check(lines[1].startswith("1,Alpha,0.90000,3,") and lines[1].endswith("Z"), "csv Alpha: %r" % lines)
    check(lines[2].startswith("1,Beta,0.90000,1,"), "csv Beta: %r" % lines)
    check(lines[3].startswith("baseline,olga,0.70000,1,"), "csv baseline: %r" % lines)
    check(lines[5].startswith("4,Delta,0.12346,1,") and len(lines) == 6, "csv Delta: %r" % lines)
    check(str(EXACT) not in r.body.decode(), "csv holds the exact score")

    # the daily limit: 3 a day per team; bob's compile error does not count
    r = ct.post_sub(c["alice"], pid, cid)
    refused(r, 429, "daily_limit", "resets at", "alice's fourth submission today")
    check(int(r.headers.get("retry-after", "0")) > 0, "no Retry-After: %r" % r.headers)
    ct.sub_ok(c["bob"], pid, cid)               # bob: b1 scored, b2 failed: this is his second
    ct.sub_ok(c["bob"], pid, cid)               # third (pending ones count)
    refused(ct.post_sub(c["bob"], pid, cid), 429, "daily_limit", what="bob's fourth counted submission")
    ct.sub_ok(olga, pid, cid)                   # the jury has no limit
    r = olga.request("PATCH", "/api/v1/contests/%d" % cid, {"daily_submissions": 0})
    check(r.status == 200, "lift the limit: %r" % r)
    ct.sub_ok(c["alice"], pid, cid)
    check(plain > 0, "")
    srv.stop()


CASES = {"leaderboard": case_leaderboard}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
