#!/usr/bin/env python3
"""run_jury_test.py: end-to-end cases for the jury's and the admins' endpoints
(web/api_jury.c, web/api_admin.c): clarifications, rejudging with a preview,
ignoring submissions, accounts, the CSV import, the audit log, judge hosts.

    run_jury_test.py --crucible PATH --source-dir REPO --work DIR CASE

Each case starts the real `crucible serve` on a loopback port with a fresh
data folder (run_web_test.py's helpers) and gives verdicts with a fake judge
through the judge protocol. Exit status: 0 pass, 1 fail.
"""

import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check


# ---- helpers ----------------------------------------------------------------------------------------

def platform(ctx, extra=None):
    """A running server with an admin (boss), an organizer (olga), contestants
    and a judge account; returns (srv, clients by name, judge client)."""
    srv = ctx.server()
    users = {"boss": "admin", "olga": "organizer", "alice": "contestant", "bob": "contestant",
             "carol": "contestant", "dave": "contestant"}
    users.update(extra or {})
    for name, role in users.items():
        srv.add_user(name, role, name + "-password-1")
    _, judge_token = srv.add_user("judge1", "judge")
    srv.start()
    c = {}
    for name in users:
        c[name] = srv.client()
        c[name].login(name, name + "-password-1")
    c["anon"] = srv.client()
    return srv, c, srv.client(token=judge_token)


def upload(ctx, admin, name="hello-sum", publish=True):
    r = admin.post("/api/v1/problems?name=" + name, ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload %s: %r" % (name, r))
    pid = r.json()["problem"]["id"]
    if publish:
        r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True})
        check(r.status == 200, "publish: %r" % r)
    return pid


def create_contest(client, short_name, start_offset=-60, **kw):
    body = {"short_name": short_name, "title": "Contest " + short_name, "start_time": int(time.time()) + start_offset,
            "duration": 7200, "public": True, "registration": "open"}
    body.update(kw)
    r = client.post("/api/v1/contests", body)
    check(r.status == 201, "create contest %s: %r" % (short_name, r))
    return r.json()["id"]


def set_problems(client, cid, pids):
    r = client.request("PUT", "/api/v1/contests/%d/problems" % cid,
                       {"problems": [{"problem": p, "label": chr(ord("A") + i)} for i, p in enumerate(pids)]})
    check(r.status in (200, 204), "contest problems: %r" % r)


def team(client, cid, name, members):
    r = client.post("/api/v1/contests/%d/teams" % cid, {"name": name, "members": members})
    check(r.status == 201, "team %s: %r" % (name, r))
    return r.json()["id"]


def register(client, cid):
    r = client.post("/api/v1/contests/%d/register" % cid, {})
    check(r.status in (200, 201, 204), "register: %r" % r)


def submit(client, pid, contest=None):
    body = {"problem": pid, "language": "c", "files": [{"name": "sum.c", "content": "int main(void) { return 0; }\n"}]}
    if contest is not None:
        body["contest"] = contest
    r = client.post("/api/v1/submissions", body)
    check(r.status == 201, "submission: %r" % r)
    return r.json()["id"]


def judge_all(judge, verdicts, host="host-a"):
    """Claims every queued job and gives it verdicts[sid] (default AC);
    returns the submissions judged, in order."""
    done = []
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body(host))
        if r.status == 204:
            return done
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        sid = job["submission_id"]
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result(verdicts.get(sid, "AC")))
        check(r.status == 200, "result: %r" % r)
        done.append(sid)


def refused(r, status, code=None, what=""):
    check(r.status == status, "%s: expected %d, got %r" % (what, status, r))
    if code:
        check(r.error_code() == code, "%s: expected code %s, got %r" % (what, code, r))


def db_rows(srv, sql, args=()):
    db = sqlite3.connect(os.path.join(srv.data, "crucible.db"), timeout=10)
    try:
        return list(db.execute(sql, args))
    finally:
        db.close()


def audit(client, **q):
    qs = "&".join("%s=%s" % kv for kv in q.items())
    r = client.get("/api/v1/audit" + ("?" + qs if qs else ""))
    check(r.status == 200, "audit: %r" % r)
    return r.json()["entries"]


def sub_status(client, sid):
    r = client.get("/api/v1/submissions/%d" % sid)
    check(r.status == 200, "submission %d: %r" % (sid, r))
    s = r.json()["submission"]
    return s["status"], s["verdict"]


# ---- clarifications -------------------------------------------------------------------------------------

CLAR_KEYS = {"id", "contest", "problem", "from", "to", "team", "reply_to", "announcement", "time", "text"}


def case_clarifications(ctx):
    """Participants ask, the jury answers one team or everyone, or announces;
    nobody sees another team's questions; asking needs a participant while
    the contest runs; text limits."""
    srv, c, judge = platform(ctx)
    pid = upload(ctx, c["boss"])
    other_pid = upload(ctx, c["boss"], "other-problem")
    cid = create_contest(c["olga"], "clar", team_mode=True)
    set_problems(c["olga"], cid, [pid])
    t1 = team(c["olga"], cid, "Team One", ["alice", "bob"])
    t2 = team(c["olga"], cid, "Team Two", ["carol"])
    url = "/api/v1/contests/%d/clarifications" % cid

    def listing(who):
        r = c[who].get(url)
        check(r.status == 200, "%s lists: %r" % (who, r))
        cl = r.json()["clarifications"]
        for x in cl:
            check(set(x) == CLAR_KEYS, "clarification fields: %r" % sorted(x))
        return {x["id"]: x for x in cl}

    # who may ask
    refused(c["anon"].post(url, {"text": "hello?"}), 401, what="anonymous question")
    refused(c["dave"].post(url, {"text": "may I?"}), 403, "not_registered", "unregistered question")
    refused(c["alice"].post(url, {"text": "x", "announcement": True}), 403, what="participant announcement")
    refused(c["alice"].post(url, {"text": "x", "to": "all"}), 403, what="participant to all")

    r = c["alice"].post(url, {"text": "Q1: is n ≤ 10⁹?", "problem": pid})
    check(r.status == 201, "alice asks: %r" % r)
    q1 = r.json()["clarification"]
    check(set(q1) == CLAR_KEYS, "fields: %r" % q1)
    check(q1["from"] == "alice" and q1["to"] is None and q1["team"] == t1 and q1["problem"] == pid and
          q1["announcement"] is False and q1["reply_to"] is None and q1["contest"] == cid and
          q1["text"] == "Q1: is n ≤ 10⁹?" and abs(q1["time"] - time.time()) < 60, "question: %r" % q1)
    r = c["carol"].post(url, {"text": "Q2: carol's secret question"})
    check(r.status == 201, "carol asks: %r" % r)
    q2 = r.json()["clarification"]
    check(q2["problem"] is None and q2["team"] == t2, "general question: %r" % q2)

    # bad questions
    refused(c["alice"].post(url, {"text": ""}), 400, what="empty text")
    refused(c["alice"].post(url, {"text": "x" * (64 * 1024 + 1)}), 413, what="text over 64 KiB")
    r = c["alice"].post(url, {"text": "y" * (64 * 1024)})
    check(r.status == 201, "text of exactly 64 KiB: %r" % r)
    big_id = r.json()["clarification"]["id"]
    refused(c["alice"].post(url, {"text": "bell \u0007"}), 400, what="control character")
    refused(c["alice"].request("POST", url, b'{"text": "bad \xff utf-8"}', ctype="application/json"), 400,
            what="invalid UTF-8")
    refused(c["alice"].post(url, {"text": "x", "problem": other_pid}), 422, "unknown_problem", "problem elsewhere")
    refused(c["alice"].post(url, {"text": "x", "colour": 1}), 400, what="unknown field")
    refused(c["alice"].post(url, {"text": 5}), 400, what="text not a string")

    # who sees which question
    check(set(listing("alice")) == {q1["id"], big_id}, "alice's list: %r" % listing("alice"))
    check(set(listing("bob")) == {q1["id"], big_id}, "bob (alice's team) sees the team's questions")
    check(set(listing("carol")) == {q2["id"]}, "carol sees only hers: %r" % listing("carol"))
    check(listing("dave") == {}, "an outsider of a public contest sees no questions")
    check(set(listing("olga")) == {q1["id"], q2["id"], big_id}, "the jury sees everything")
    check(set(listing("boss")) == {q1["id"], q2["id"], big_id}, "an admin sees everything")

    # answers
    r = c["olga"].post(url, {"text": "A1: yes", "reply_to": q1["id"]})
    check(r.status == 201, "answer alice: %r" % r)
    a1 = r.json()["clarification"]
    check(a1["from"] is None and a1["to"] == "alice" and a1["team"] == t1 and a1["reply_to"] == q1["id"] and
          a1["problem"] == pid and a1["announcement"] is False, "answer to one: %r" % a1)
    r = c["olga"].post(url, {"text": "A2: read the statement", "reply_to": q2["id"], "to": "all"})
    check(r.status == 201, "answer all: %r" % r)
    a2 = r.json()["clarification"]
    check(a2["to"] is None and a2["team"] is None and a2["reply_to"] == q2["id"], "answer to all: %r" % a2)
    r = c["olga"].post(url, {"text": "Announcement: problem A fixed", "announcement": True, "problem": pid})
    check(r.status == 201, "announce: %r" % r)
    ann = r.json()["clarification"]
    check(ann["announcement"] is True and ann["from"] is None and ann["to"] is None, "announcement: %r" % ann)
    r = c["olga"].post(url, {"text": "Carol: please check your email", "to": "carol"})
    check(r.status == 201, "message carol: %r" % r)
    msg = r.json()["clarification"]
    check(msg["to"] == "carol" and msg["team"] == t2 and msg["reply_to"] is None, "message: %r" % msg)

    check(set(listing("alice")) == {q1["id"], big_id, a1["id"], a2["id"], ann["id"]}, "alice after answers")
    check(set(listing("bob")) == {q1["id"], big_id, a1["id"], a2["id"], ann["id"]}, "bob gets his team's answer")
    check(set(listing("carol")) == {q2["id"], a2["id"], ann["id"], msg["id"]}, "carol after answers")
    check(set(listing("dave")) == {a2["id"], ann["id"]}, "outsiders see what goes to everyone")
    check(q2["id"] not in listing("alice"), "the question behind an answer to all stays private")

    # the jury's mistakes
    refused(c["olga"].post(url, {"text": "x", "reply_to": 999999}), 404, what="reply to nothing")
    refused(c["olga"].post(url, {"text": "x", "reply_to": a1["id"]}), 400, what="reply to an answer")
    refused(c["olga"].post(url, {"text": "x", "to": "nobody-here"}), 422, what="to an unknown user")
    refused(c["olga"].post(url, {"text": "x", "to": "dave"}), 422, what="to a non-participant")
    refused(c["olga"].post(url, {"text": "x", "announcement": True, "to": "carol"}), 400, what="announcement to one")

    # a contest that has not started: no questions, but the jury may announce
    later = create_contest(c["olga"], "later", start_offset=3600)
    register(c["alice"], later)
    lurl = "/api/v1/contests/%d/clarifications" % later
    refused(c["alice"].post(lurl, {"text": "too early?"}), 400, "contest_not_running", "question before start")
    r = c["olga"].post(lurl, {"text": "Welcome", "announcement": True})
    check(r.status == 201, "announcement before start: %r" % r)
    check(len(c["alice"].get(lurl).json()["clarifications"]) == 1, "the announcement reaches alice")

    # a private contest does not exist for outsiders
    private = create_contest(c["olga"], "private", public=False)
    refused(c["dave"].get("/api/v1/contests/%d/clarifications" % private), 404, what="private contest")
    refused(c["dave"].post("/api/v1/contests/%d/clarifications" % private, {"text": "hi"}), 404,
            what="private contest question")
    refused(c["alice"].get("/api/v1/contests/999999/clarifications"), 404, what="no such contest")

    # the jury's messages are audited
    acts = [e for e in audit(c["boss"]) if e["action"] == "clarification.create"]
    check(len(acts) == 5 and all(e["actor"] == "olga" for e in acts), "clarification audit entries: %r" % acts)


# ---- rejudging ----------------------------------------------------------------------------------------------

def case_rejudge(ctx):
    """A preview changes nothing; a rejudging records before and queues again;
    a fake judge's new verdicts show as after, with the changed ones counted;
    ignoring takes a submission off the results; the audit log has it all."""
    srv, c, judge = platform(ctx)
    pid = upload(ctx, c["boss"])
    cid = create_contest(c["olga"], "rj")
    set_problems(c["olga"], cid, [pid])
    for who in ("alice", "bob"):
        register(c[who], cid)
    s1 = submit(c["alice"], pid, cid)
    s2 = submit(c["alice"], pid, cid)
    s3 = submit(c["bob"], pid, cid)
    practice = submit(c["carol"], pid)
    judged = judge_all(judge, {s1: "WA", s2: "WA", s3: "AC", practice: "WA"})
    check(sorted(judged) == sorted([s1, s2, s3, practice]), "first judging: %r" % judged)

    # preview: the set with current verdicts; nothing changes
    r = c["olga"].post("/api/v1/rejudgings", {"contest": cid, "verdict": "WA", "preview": True})
    check(r.status == 200, "preview: %r" % r)
    p = r.json()
    check(p["preview"] is True and p["count"] == 2, "preview: %r" % p)
    check([(x["submission"], x["before"], x["status"]) for x in p["submissions"]] ==
          [(s1, "WA", "judged"), (s2, "WA", "judged")], "preview rows: %r" % p["submissions"])
    check(p["submissions"][0]["contest"] == cid and p["submissions"][0]["problem"] == pid, "preview row: %r" % p)
    for sid, v in ((s1, "WA"), (s2, "WA"), (s3, "AC")):
        check(sub_status(c["olga"], sid) == ("judged", v), "preview changed submission %d" % sid)
    check(db_rows(srv, "SELECT count(*) FROM rejudgings")[0][0] == 0, "a preview recorded a rejudging")
    check(judge.post("/api/v1/judge/claim", base.claim_body()).status == 204, "a preview queued something")
    r = c["olga"].post("/api/v1/rejudgings", {"contest": cid, "preview": True})
    check(r.status == 200 and r.json()["count"] == 3, "preview without a verdict: %r" % r)
    # a jury's problem-wide rejudging stays in their contests; an admin's takes practice too
    r = c["olga"].post("/api/v1/rejudgings", {"problem": pid, "preview": True})
    check(r.status == 200 and {x["submission"] for x in r.json()["submissions"]} == {s1, s2, s3},
          "jury problem preview: %r" % r)
    r = c["boss"].post("/api/v1/rejudgings", {"problem": pid, "preview": True})
    check(r.status == 200 and r.json()["count"] == 4, "admin problem preview: %r" % r)

    # who may, and malformed requests
    refused(c["alice"].post("/api/v1/rejudgings", {"contest": cid, "preview": True}), 403, what="participant")
    refused(c["alice"].post("/api/v1/rejudgings", {"submission": s1}), 404, what="participant, one submission")
    refused(c["olga"].post("/api/v1/rejudgings", {"submission": practice}), 404, what="jury, practice submission")
    refused(c["anon"].post("/api/v1/rejudgings", {"contest": cid}), 401, what="anonymous")
    refused(c["olga"].post("/api/v1/rejudgings", {"contest": cid, "problem": pid}), 400, what="two scopes")
    refused(c["olga"].post("/api/v1/rejudgings", {"preview": True}), 400, what="no scope")
    refused(c["olga"].post("/api/v1/rejudgings", {"contest": cid, "verdict": "WRONG"}), 400, what="bad verdict")
    refused(c["olga"].post("/api/v1/rejudgings", {"contest": cid, "verdict": "TLE"}), 422, "nothing_to_rejudge",
            "nothing matches")
    refused(c["olga"].post("/api/v1/rejudgings", {"contest": 999999}), 404, what="no such contest")
    refused(c["olga"].post("/api/v1/rejudgings", {"contest": cid, "extra": 1}), 400, what="unknown field")

    # the rejudging: before recorded, submissions queued again
    r = c["olga"].post("/api/v1/rejudgings", {"contest": cid, "verdict": "WA"})
    check(r.status == 201, "rejudge: %r" % r)
    rj = r.json()["rejudging"]
    check(r.headers.get("location") == "/api/v1/rejudgings/%d" % rj["id"], "Location: %r" % r.headers)
    check(rj["count"] == 2 and rj["pending"] == 2 and rj["judged"] == 0 and rj["changed"] == 0 and
          rj["created_by"] == "olga" and rj["contest"] == cid and rj["verdict"] == "WA", "rejudging: %r" % rj)
    check([(x["submission"], x["before"], x["after"]) for x in rj["submissions"]] ==
          [(s1, "WA", None), (s2, "WA", None)], "rejudging rows: %r" % rj["submissions"])
    check(sub_status(c["olga"], s1)[0] == "queued" and sub_status(c["olga"], s3) == ("judged", "AC"),
          "only the selected ones are queued again")
    url = "/api/v1/rejudgings/%d" % rj["id"]
    refused(c["alice"].get(url), 404, what="a participant reads a rejudging")
    refused(c["olga"].get("/api/v1/rejudgings/999999"), 404, what="no such rejudging")

    # a judge gives s1 a new verdict and s2 the same one
    again = judge_all(judge, {s1: "AC", s2: "WA"})
    check(sorted(again) == [s1, s2], "judged again: %r" % again)
    for who in ("olga", "boss"):
        r = c[who].get(url)
        check(r.status == 200, "%s reads the rejudging: %r" % (who, r))
        g = r.json()["rejudging"]
        check(g["count"] == 2 and g["judged"] == 2 and g["pending"] == 0 and g["changed"] == 1, "after: %r" % g)
        rows = {x["submission"]: x for x in g["submissions"]}
        check(rows[s1]["before"] == "WA" and rows[s1]["after"] == "AC" and rows[s1]["changed"] is True,
              "s1: %r" % rows[s1])
        check(rows[s2]["before"] == "WA" and rows[s2]["after"] == "WA" and rows[s2]["changed"] is False,
              "s2: %r" % rows[s2])
    check(sub_status(c["alice"], s1) == ("judged", "AC"), "alice sees the new verdict")

    # an admin rejudges a practice submission; one submission alone
    r = c["boss"].post("/api/v1/rejudgings", {"submission": practice})
    check(r.status == 201 and r.json()["rejudging"]["count"] == 1 and
          r.json()["rejudging"]["submissions"][0]["before"] == "WA", "admin practice rejudge: %r" % r)
    prj = r.json()["rejudging"]["id"]
    refused(c["olga"].get("/api/v1/rejudgings/%d" % prj), 404, what="the jury reads an admin's practice rejudging")
    check(judge_all(judge, {practice: "TLE"}) == [practice], "practice judged again")
    g = c["boss"].get("/api/v1/rejudgings/%d" % prj).json()["rejudging"]
    check(g["submissions"][0]["after"] == "TLE" and g["changed"] == 1, "practice after: %r" % g)

    # ignoring: bob's only AC leaves the contest's results
    def results():
        return {row[0] for row in db_rows(srv, "SELECT id FROM submissions WHERE contest_id = ? AND ignored = 0",
                                          (cid,))}

    def bob_solved():
        r = c["olga"].get("/api/v1/contests/%d/scoreboard" % cid)
        if r.status != 200:
            return None                         # no scoreboard in this build
        for row in r.json()["rows"]:
            if row["name"] in ("bob", "Bob"):
                return row["solved"]
        return 0

    solved_before = bob_solved()
    check(solved_before in (None, 1), "bob's solved count before: %r" % solved_before)
    refused(c["alice"].post("/api/v1/submissions/%d/ignore" % s3, {"ignored": True}), 404, what="participant")
    refused(c["olga"].post("/api/v1/submissions/%d/ignore" % practice, {"ignored": True}), 404,
            what="jury, practice")
    refused(c["olga"].post("/api/v1/submissions/%d/ignore" % s3, {}), 400, what="no ignored field")
    refused(c["olga"].post("/api/v1/submissions/%d/ignore" % s3, {"ignored": 1}), 400, what="ignored not a bool")
    refused(c["olga"].post("/api/v1/submissions/999999/ignore", {"ignored": True}), 404, what="no such submission")
    r = c["olga"].post("/api/v1/submissions/%d/ignore" % s3, {"ignored": True})
    check(r.status == 200 and r.json() == {"submission": s3, "ignored": True}, "ignore: %r" % r)
    check(results() == {s1, s2}, "ignored submission still in the results: %r" % results())
    if solved_before is not None:
        check(bob_solved() == 0, "an ignored AC still counts on the scoreboard")
    r = c["olga"].post("/api/v1/submissions/%d/ignore" % s3, {"ignored": False})
    check(r.status == 200 and r.json()["ignored"] is False, "unignore: %r" % r)
    check(results() == {s1, s2, s3}, "unignored submission not back: %r" % results())
    if solved_before is not None:
        check(bob_solved() == 1, "an unignored AC does not count again")

    acts = [(e["action"], e["target"], e["actor"]) for e in audit(c["boss"])]
    check(("rejudging.create", "rejudging %d" % rj["id"], "olga") in acts, "rejudging audit: %r" % acts)
    check(("rejudging.create", "rejudging %d" % prj, "boss") in acts, "admin rejudging audit: %r" % acts)
    check(("submission.ignore", "submission %d" % s3, "olga") in acts, "ignore audit: %r" % acts)
    check(("submission.unignore", "submission %d" % s3, "olga") in acts, "unignore audit: %r" % acts)
    check(db_rows(srv, "SELECT count(*) FROM rejudging_submissions")[0][0] == 3, "rejudging rows stored")


# ---- administration -------------------------------------------------------------------------------------------

USER_KEYS = {"id", "name", "display_name", "email", "role", "disabled", "created_at"}
JUDGE_KEYS = {"name", "enabled", "status", "current_judging", "current_submission", "last_heartbeat",
              "languages", "gpus"}


def csv_import(client, text, ctype="text/csv"):
    return client.request("POST", "/api/v1/users/import", text.encode() if isinstance(text, str) else text,
                          ctype=ctype)


def login_status(srv, name, password):
    return srv.client().post("/api/v1/login", {"name": name, "password": password}).status


def case_admin(ctx):
    """Users (list, change, disable ends sessions, reset), the CSV import
    (good, and bad with nothing stored), the audit log, judge hosts; every
    admin endpoint refuses organizers and contestants."""
    srv, c, judge = platform(ctx)
    boss, olga, alice = c["boss"], c["olga"], c["alice"]

    # everyone else is refused everywhere
    endpoints = [("GET", "/api/v1/users", None, None), ("PATCH", "/api/v1/users/3", {"role": "admin"}, None),
                 ("POST", "/api/v1/users/import", b"name\nx1\n", "text/csv"), ("GET", "/api/v1/audit", None, None),
                 ("GET", "/api/v1/judges", None, None), ("PATCH", "/api/v1/judges/1", {"enabled": False}, None)]
    for who in ("olga", "alice"):
        for method, path, body, ctype in endpoints:
            r = c[who].request(method, path, body, ctype=ctype)
            refused(r, 403, what="%s %s %s" % (who, method, path))
    for method, path, body, ctype in endpoints:
        refused(c["anon"].request(method, path, body, ctype=ctype), 401, what="anonymous %s %s" % (method, path))
    refused(judge.get("/api/v1/users"), 403, what="a judge token")
    check(db_rows(srv, "SELECT count(*) FROM users WHERE name = 'x1'")[0][0] == 0, "a refused import stored a user")

    # the list
    r = boss.get("/api/v1/users")
    check(r.status == 200, "users: %r" % r)
    users = r.json()["users"]
    check([u["name"] for u in users] == ["boss", "olga", "alice", "bob", "carol", "dave", "judge1"],
          "user list: %r" % users)
    for u in users:
        check(set(u) == USER_KEYS, "user fields: %r" % sorted(u))
    check(b"argon2" not in r.body and b"password" not in r.body, "the list shows password hashes")
    by_name = {u["name"]: u for u in users}
    check(by_name["olga"]["role"] == "organizer" and by_name["alice"]["disabled"] is False, "roles: %r" % by_name)
    r = boss.get("/api/v1/users?limit=2")
    page = r.json()["users"]
    check([u["name"] for u in page] == ["boss", "olga"], "page 1: %r" % page)
    r = boss.get("/api/v1/users?limit=2&after=%d" % page[-1]["id"])
    check([u["name"] for u in r.json()["users"]] == ["alice", "bob"], "page 2: %r" % r)
    refused(boss.get("/api/v1/users?after=x"), 400, what="bad after")
    refused(boss.get("/api/v1/users?sort=name"), 400, what="unknown parameter")

    # changes
    aid, bid = by_name["alice"]["id"], by_name["bob"]["id"]
    r = boss.request("PATCH", "/api/v1/users/%d" % aid,
                     {"display_name": "Alice A.", "email": "alice@example.org", "role": "teacher"})
    check(r.status == 200, "patch alice: %r" % r)
    u = r.json()["user"]
    check(u["display_name"] == "Alice A." and u["email"] == "alice@example.org" and u["role"] == "teacher" and
          set(u) == USER_KEYS, "patched: %r" % u)
    r = alice.get("/api/v1/me")
    check(r.status == 200 and r.json()["user"]["role"] == "teacher", "alice's role: %r" % r)
    boss_id = by_name["boss"]["id"]
    for body, what in (({"role": "wizard"}, "bad role"), ({"email": "not-an-address"}, "bad email"),
                       ({"password": "short"}, "weak password"), ({"display_name": ""}, "empty display name"),
                       ({"name": "renamed"}, "unknown field"), ({"disabled": "yes"}, "disabled not a bool")):
        refused(boss.request("PATCH", "/api/v1/users/%d" % aid, body), 400, what=what)
    refused(boss.request("PATCH", "/api/v1/users/%d" % boss_id, {"disabled": True}), 400, what="disable oneself")
    refused(boss.request("PATCH", "/api/v1/users/%d" % boss_id, {"role": "contestant"}), 400, what="demote oneself")
    refused(boss.request("PATCH", "/api/v1/users/999999", {"disabled": True}), 404, what="no such user")

    # disabling logs out everywhere; enabling lets the user log in again
    alice2 = srv.client()
    alice2.login("alice", "alice-password-1")
    r = boss.request("PATCH", "/api/v1/users/%d" % aid, {"disabled": True})
    check(r.status == 200 and r.json()["user"]["disabled"] is True, "disable: %r" % r)
    refused(alice.get("/api/v1/me"), 401, what="a disabled user's session")
    refused(alice2.get("/api/v1/me"), 401, what="a disabled user's other session")
    check(db_rows(srv, "SELECT count(*) FROM sessions WHERE user_id = ?", (aid,))[0][0] == 0,
          "a disabled user's sessions remain")
    check(login_status(srv, "alice", "alice-password-1") == 401, "a disabled user logs in")
    boss.request("PATCH", "/api/v1/users/%d" % aid, {"disabled": False})
    check(login_status(srv, "alice", "alice-password-1") == 200, "an enabled user cannot log in")

    # a password reset ends the old sessions and the old password
    r = boss.request("PATCH", "/api/v1/users/%d" % bid, {"password": "bob-new-password-2"})
    check(r.status == 200, "reset: %r" % r)
    refused(c["bob"].get("/api/v1/me"), 401, what="a session from before the reset")
    check(login_status(srv, "bob", "bob-password-1") == 401, "the old password still works")
    check(login_status(srv, "bob", "bob-new-password-2") == 200, "the new password does not work")
    check(b"bob-new-password-2" not in open(srv.log, "rb").read(), "the new password is in the log")

    # the CSV import: a team contest for the registrations
    cid = create_contest(boss, "imp", team_mode=True)
    good = ("\ufeffname,display_name,email,role,password,contest,team\r\n"
            "u1,\"User, One\",u1@example.org,,,imp,Team X\r\n"
            "u2,\"The \"\"Second\"\"\",,teacher,u2-secret-pass,imp,Team X\r\n"
            "\r\n"
            "u3,,,,,,\r\n")
    r = csv_import(boss, good)
    check(r.status == 201, "import: %r" % r)
    res = r.json()
    check(res["created"] == 3 and [u["name"] for u in res["users"]] == ["u1", "u2", "u3"], "import: %r" % res)
    pw = {u["name"]: u.get("password") for u in res["users"]}
    check(pw["u2"] is None and len(pw["u1"] or "") == 16 and len(pw["u3"] or "") == 16 and pw["u1"] != pw["u3"],
          "generated passwords: %r" % pw)
    check(login_status(srv, "u1", pw["u1"]) == 200 and login_status(srv, "u3", pw["u3"]) == 200,
          "generated passwords do not log in")
    check(login_status(srv, "u2", "u2-secret-pass") == 200, "a given password does not log in")
    listed = {u["name"]: u for u in boss.get("/api/v1/users?limit=100").json()["users"]}
    check(listed["u1"]["display_name"] == "User, One" and listed["u1"]["email"] == "u1@example.org" and
          listed["u1"]["role"] == "contestant", "u1: %r" % listed["u1"])
    check(listed["u2"]["display_name"] == 'The "Second"' and listed["u2"]["role"] == "teacher", "u2: %r" % listed["u2"])
    check(listed["u3"]["display_name"] == "u3", "u3: %r" % listed["u3"])
    r = boss.get("/api/v1/contests/%d/teams" % cid)
    check(r.status == 200, "teams: %r" % r)
    teams = r.json()["teams"]
    check(len(teams) == 1 and teams[0]["name"] == "Team X" and sorted(teams[0]["members"]) == ["u1", "u2"],
          "imported team: %r" % teams)
    check(pw["u1"].encode() not in open(srv.log, "rb").read(), "a generated password is in the log")

    # a bad import lists every bad row and stores nothing
    users_before = db_rows(srv, "SELECT count(*) FROM users")[0][0]
    bad = ("name,email,role,password,contest,team\n"
           "goodguy,g@example.org,,,imp,Team Y\n"      # line 2: fine, but not stored
           "alice,,,,,\n"                              # 3: taken
           "dup,,,,,\n"                                # 4
           "DUP,,,,,\n"                                # 5: repeated (case)
           "r1,,wizard,,,\n"                           # 6: role
           "e1,nope,,,,\n"                             # 7: email
           "p1,,,short,,\n"                            # 8: password
           "c1,,,,nosuch,\n"                           # 9: contest
           "t1,,,,,Lonely\n"                           # 10: team without contest
           "f1,,\n"                                    # 11: field count
           "\"multi\nline\",,,,,\n"                    # 12-13: bad name (starts on line 12)
           "bad name,,,,,\n")                          # 14: name
    r = csv_import(boss, bad)
    refused(r, 400, "invalid_csv", "bad import")
    rows = r.json()["error"]["rows"]
    lines = sorted({x["line"] for x in rows})
    check(lines == [3, 5, 6, 7, 8, 9, 10, 11, 12, 14], "bad lines: %r" % rows)
    check(all(isinstance(x["reason"], str) and x["reason"] for x in rows), "reasons: %r" % rows)
    check(db_rows(srv, "SELECT count(*) FROM users")[0][0] == users_before, "a bad import stored users")
    check(db_rows(srv, "SELECT count(*) FROM teams WHERE name = 'Team Y'")[0][0] == 0, "a bad import made a team")
    # malformed files
    refused(csv_import(boss, "name,team\nx,\"open\n"), 400, "invalid_csv", "unclosed quote")
    check("line 2" in csv_import(boss, "name,team\nx,\"open\n").json()["error"]["message"], "no line number")
    refused(csv_import(boss, "email\nx@example.org\n"), 400, "invalid_csv", "no name column")
    refused(csv_import(boss, "name,colour\nx,red\n"), 400, "invalid_csv", "unknown column")
    refused(csv_import(boss, "name\n"), 400, "invalid_csv", "header only")
    refused(csv_import(boss, ""), 400, what="empty file")
    refused(csv_import(boss, b"name\n\xff\xfe\n"), 400, "invalid_csv", "not UTF-8")
    refused(csv_import(boss, "name\nx\n", ctype="application/json"), 415, what="wrong type")
    head = ("POST /api/v1/users/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
            "Content-Length: %d\r\nCookie: crucible_session=%s\r\nX-CSRF-Token: %s\r\n\r\n" %
            ((1 << 20) + 1, boss.cookie, boss.csrf))
    status, _, _ = srv.raw(head.encode() + b"name\n" + b"a" * 65536)
    check(status == 413, "a file over 1 MiB: %r" % status)
    refused(csv_import(boss, "name\n" + "".join("m%d\n" % i for i in range(5001))), 413, what="5,001 users")
    check(db_rows(srv, "SELECT count(*) FROM users")[0][0] == users_before, "malformed imports stored users")

    # judge hosts: one judging, one idle, one offline
    r = c["carol"].post("/api/v1/submissions", {"problem": upload(ctx, boss), "language": "c",
                                                "files": [{"name": "sum.c", "content": "int main(void){}\n"}]})
    check(r.status == 201, "submit: %r" % r)
    sid = r.json()["id"]
    body = base.claim_body("host-a", ("c", "cpp"))
    body["gpus"] = 2
    r = judge.post("/api/v1/judge/claim", body)
    check(r.status == 200, "claim: %r" % r)
    jid = r.json()["job"]["id"]
    check(judge.post("/api/v1/judge/claim", base.claim_body("host-b", ("python3",))).status == 204, "idle claim")
    check(judge.post("/api/v1/judge/claim", base.claim_body("host-c", ("c",))).status == 204, "idle claim")
    db = sqlite3.connect(os.path.join(srv.data, "crucible.db"), timeout=10)
    db.execute("UPDATE judge_hosts SET last_heartbeat = ? WHERE name = 'host-c'", (int(time.time()) - 3600,))
    db.commit()
    db.close()
    r = boss.get("/api/v1/judges")
    check(r.status == 200, "judges: %r" % r)
    hosts = {h["name"]: h for h in r.json()["judges"]}
    for h in hosts.values():
        check(JUDGE_KEYS <= set(h), "judge fields: %r" % sorted(h))
    a = hosts["host-a"]
    check(a["status"] == "judging" and a["current_judging"] == jid and a["current_submission"] == sid and
          a["languages"] == ["c", "cpp"] and a["gpus"] == 2 and a["enabled"] is True and
          abs(a["last_heartbeat"] - time.time()) < 60, "host-a: %r" % a)
    b = hosts["host-b"]
    check(b["status"] == "idle" and b["current_judging"] is None and b["current_submission"] is None and
          b["languages"] == ["python3"] and b["gpus"] == 0, "host-b: %r" % b)
    check(hosts["host-c"]["status"] == "offline", "host-c: %r" % hosts["host-c"])
    r = boss.request("PATCH", "/api/v1/judges/%d" % b["id"], {"enabled": False})
    check(r.status == 200 and r.json()["judge"]["enabled"] is False, "disable host-b: %r" % r)
    refused(judge.post("/api/v1/judge/claim", base.claim_body("host-b", ("python3",))), 403, "host_disabled",
            "a disabled host claims")
    refused(boss.request("PATCH", "/api/v1/judges/999999", {"enabled": False}), 404, what="no such host")
    refused(boss.request("PATCH", "/api/v1/judges/%d" % b["id"], {"enabled": "no"}), 400, what="enabled not bool")
    check(judge.post("/api/v1/judge/jobs/%d/result" % jid, base.fake_result("AC")).status == 200, "result")
    a = {h["name"]: h for h in boss.get("/api/v1/judges").json()["judges"]}["host-a"]
    check(a["status"] == "idle" and a["current_judging"] is None, "host-a after its result: %r" % a)

    # the audit log: newest first, every action above, paging
    entries = audit(boss, limit=100)
    ids = [e["id"] for e in entries]
    check(ids == sorted(ids, reverse=True), "audit order: %r" % ids)
    acts = [(e["action"], e["target"], e["actor"]) for e in entries]
    for want in (("user.update", "user %d (alice)" % aid, "boss"), ("user.update", "user %d (bob)" % bid, "boss"),
                 ("user.import", "users", "boss"), ("judge.update", "judge %d (host-b)" % b["id"], "boss")):
        check(want in acts, "audit lacks %r: %r" % (want, acts))
    details = [e["detail"] for e in entries if e["action"] == "user.update" and "(alice)" in e["target"]]
    check(any("disabled" in d for d in details) and any("role contestant -> teacher" in d for d in details),
          "user.update details: %r" % details)
    check(not any("bob-new-password" in json.dumps(e) for e in entries), "a password in the audit log")
    first = audit(boss, limit=2)
    check([e["id"] for e in first] == ids[:2], "audit page 1: %r" % first)
    check([e["id"] for e in audit(boss, limit=2, before=first[-1]["id"])] == ids[2:4], "audit page 2")
    check(all(set(e) >= {"id", "at", "actor", "address", "action", "target", "detail"} for e in entries),
          "audit fields: %r" % entries[0])


CASES = {
    "clarifications": case_clarifications,
    "rejudge": case_rejudge,
    "admin": case_admin,
}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
