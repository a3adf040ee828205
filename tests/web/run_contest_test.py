#!/usr/bin/env python3
"""run_contest_test.py: end-to-end cases for contests, registration, teams and
contest submissions (web/api_contests.c, web/api_submissions.c):

    run_contest_test.py --crucible PATH --source-dir REPO --work DIR CASE

Each case starts the real `crucible serve` on a loopback port with a fresh
data folder (run_web_test.py's helpers) and gives verdicts with a fake judge
through the judge protocol. Exit status: 0 pass, 1 fail.
"""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
Fail = base.Fail


# ---- helpers ----------------------------------------------------------------------------------------

def platform(ctx):
    """A running server with an admin, two organizers, five contestants and
    a judge; returns (srv, clients by name, judge client)."""
    srv = ctx.server()
    users = {"boss": "admin", "olga": "organizer", "oscar": "organizer", "alice": "contestant",
             "bob": "contestant", "carol": "contestant", "dave": "contestant", "erin": "contestant"}
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


def upload(ctx, admin, name, publish):
    r = admin.post("/api/v1/problems?name=" + name, ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload %s: %r" % (name, r))
    pid = r.json()["problem"]["id"]
    if publish:
        r = admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True})
        check(r.status == 200, "publish: %r" % r)
    return pid


def contest_body(short_name, **kw):
    now = int(time.time())
    body = {"short_name": short_name, "title": "Contest " + short_name, "start_time": now - 60,
            "duration": 7200, "public": True, "registration": "open"}
    body.update(kw)
    return body


def create(client, short_name, **kw):
    r = client.post("/api/v1/contests", contest_body(short_name, **kw))
    check(r.status == 201, "create contest %s: %r" % (short_name, r))
    return r.json()["id"]


def get_contest(client, cid):
    r = client.get("/api/v1/contests/%d" % cid)
    check(r.status == 200, "get contest %d: %r" % (cid, r))
    return r.json()["contest"]


def refused(r, status, code, field=None, what=""):
    check(r.status == status, "%s: expected %d, got %r" % (what, status, r))
    check(r.error_code() == code, "%s: expected code %s, got %r" % (what, code, r))
    if field:
        msg = r.json()["error"]["message"]
        check(field in msg, "%s: the message does not name %s: %r" % (what, field, msg))


def put_problems(client, cid, problems):
    return client.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": problems})


def post_sub(client, pid, contest=None, lang="c", **extra):
    body = {"problem": pid, "language": lang, "files": [{"name": "sum.c" if lang == "c" else "sum.py",
                                                          "content": "int main(void) { return 0; }\n"}]}
    if contest is not None:
        body["contest"] = contest
    body.update(extra)
    return client.post("/api/v1/submissions", body)


def sub_ok(client, pid, contest=None, **kw):
    r = post_sub(client, pid, contest, **kw)
    check(r.status == 201, "submission: %r" % r)
    return r.json()["id"]


def judge_all(judge, verdicts):
    """Claims every queued job and gives it verdicts[sid] (default AC)."""
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        v = verdicts.get(job["submission_id"], "AC")
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result(v))
        check(r.status == 200, "result: %r" % r)


def audit_actions(srv):
    db = sqlite3.connect(os.path.join(srv.data, "crucible.db"))
    try:
        return [(a, t, d) for (a, t, d) in db.execute("SELECT action, target, detail FROM audit_log ORDER BY id")]
    finally:
        db.close()


# ---- cases ----------------------------------------------------------------------------------------------

def case_contests(ctx):
    """Create (every field, each invalid one), PATCH rights, visibility of
    private contests, the problem set (labels, colors, points, order)."""
    srv, c, judge = platform(ctx)
    now = int(time.time())
    full = {"short_name": "spring", "title": "Spring Cup", "start_time": now - 60, "duration": 7200,
            "freeze": 600, "public": True, "registration": "code", "registration_code": "letmein",
            "team_mode": False, "rules": "icpc", "penalty_minutes": 15, "languages": ["c", "python3"],
            "max_submissions": 5, "submission_interval": 30}
    r = c["olga"].post("/api/v1/contests", full)
    check(r.status == 201 and isinstance(r.json().get("id"), int), "create: %r" % r)
    spring = r.json()["id"]
    got = get_contest(c["olga"], spring)
    for k, v in full.items():
        check(got[k] == v, "field %s: %r, not %r" % (k, got[k], v))
    check(got["id"] == spring and got["state"] == "running" and got["unfrozen"] is False
          and got["my_role"] == "jury" and got["my_team"] is None, "contest: %r" % got)
    pub = get_contest(c["alice"], spring)
    check(pub["registration_code"] is None and pub["my_role"] is None, "what a stranger sees: %r" % pub)
    check(get_contest(c["anon"], spring)["title"] == "Spring Cup", "anonymous view of a public contest")
    # defaults
    d = get_contest(c["olga"], create(c["olga"], "defaults", public=False, registration="admin"))
    check(d["rules"] == "icpc" and d["penalty_minutes"] == 20 and d["freeze"] == 0 and d["languages"] == []
          and d["max_submissions"] == 0 and d["team_mode"] is False, "defaults: %r" % d)

    # invalid fields: 4xx naming the field
    bad = [({"rules": "acm"}, "rules"), ({"duration": -5}, "duration"), ({"duration": 100, "freeze": 101}, "freeze"),
           ({"languages": ["c", "cobol"]}, "languages"), ({"languages": ["c", "c"]}, "languages"),
           ({"languages": [3]}, "languages"),
           ({"registration": "maybe"}, "registration"), ({"registration": "code"}, "registration_code"),
           ({"short_name": "no spaces"}, "short_name"), ({"short_name": ".dot"}, "short_name"),
           ({"title": ""}, "title"), ({"title": "a\nb"}, "title"), ({"start_time": -1}, "start_time"),
           ({"penalty_minutes": 5000}, "penalty_minutes"), ({"max_submissions": -1}, "max_submissions"),
           ({"submission_interval": -1}, "submission_interval"), ({"public": "yes"}, "public"),
           ({"wat": 1}, "wat")]
    for i, (fields, name) in enumerate(bad):
        body = contest_body("bad%d" % i)
        body.update(fields)
        r = c["olga"].post("/api/v1/contests", body)
        refused(r, 400, "invalid_field", name, "create with %r" % fields)
    body = contest_body("bad")
    del body["duration"]
    refused(c["olga"].post("/api/v1/contests", body), 400, "invalid_field", "duration", "no duration")
    refused(c["olga"].post("/api/v1/contests", contest_body("SPRING")), 409, "name_taken", "short_name",
            "duplicate short_name")
    check(c["alice"].post("/api/v1/contests", contest_body("mine")).status == 403, "a contestant creates a contest")
    check(c["anon"].post("/api/v1/contests", contest_body("mine")).status == 401, "anonymous creates a contest")

    # a private contest: 404 to all but its jury, participants and admins
    secret = create(c["olga"], "secret", public=False, start_time=now + 3600)
    for who in ("alice", "oscar", "anon"):
        r = c[who].get("/api/v1/contests/%d" % secret)
        refused(r, 404, "not_found", None, "%s sees the private contest" % who)
        check(c[who].get("/api/v1/contests/%d/problems" % secret).status == 404, "%s: private problems" % who)
        check(c[who].get("/api/v1/contests/%d/teams" % secret).status == 404, "%s: private teams" % who)
    check(get_contest(c["boss"], secret)["my_role"] == "jury", "admin's view of a private contest")
    r = c["oscar"].request("PATCH", "/api/v1/contests/%d" % secret, {"title": "Mine now"})
    refused(r, 404, "not_found", None, "another organizer PATCHes a private contest")
    r = c["oscar"].request("PATCH", "/api/v1/contests/%d" % spring, {"title": "Mine now"})
    refused(r, 403, "forbidden", None, "another organizer PATCHes a public contest")
    r = c["alice"].request("PATCH", "/api/v1/contests/%d" % spring, {"title": "Mine now"})
    check(r.status == 403, "a contestant PATCHes: %r" % r)
    check(c["anon"].get("/api/v1/contests/999").status == 404, "unknown contest")
    lists = {}
    for who in ("alice", "olga", "oscar", "boss", "anon"):
        r = c[who].get("/api/v1/contests")
        check(r.status == 200, "list: %r" % r)
        lists[who] = {x["short_name"] for x in r.json()["contests"]}
    check(lists["alice"] == {"spring"} and lists["anon"] == {"spring"}, "a contestant's list: %r" % lists)
    check(lists["olga"] == {"spring", "defaults", "secret"} and lists["boss"] == lists["olga"], "lists: %r" % lists)
    check(lists["oscar"] == {"spring"}, "another organizer's list: %r" % lists)
    r = c["alice"].get("/api/v1/contests?limit=1")
    check(r.status == 200 and len(r.json()["contests"]) == 1, "limit: %r" % r)
    r = c["olga"].get("/api/v1/contests?after=%d" % spring)
    check({x["short_name"] for x in r.json()["contests"]} == {"defaults", "secret"}, "after: %r" % r)

    # PATCH by the jury and by an admin
    r = c["olga"].request("PATCH", "/api/v1/contests/%d" % spring, {"title": "Spring Cup 2", "freeze": 0,
                                                                     "rules": "ioi", "languages": []})
    check(r.status == 200 and r.json()["contest"]["title"] == "Spring Cup 2" and r.json()["contest"]["freeze"] == 0
          and r.json()["contest"]["rules"] == "ioi" and r.json()["contest"]["languages"] == [], "PATCH: %r" % r)
    for fields, name in [({"freeze": 99999}, "freeze"), ({"short_name": "autumn"}, "short_name"),
                         ({"rules": "x"}, "rules"), ({"duration": 0}, "duration"), ({"languages": ["cobol"]}, "languages"),
                         ({"registration_code": ""}, "registration_code"), ({"unfrozen": 1}, "unfrozen")]:
        r = c["olga"].request("PATCH", "/api/v1/contests/%d" % spring, fields)
        refused(r, 400, "invalid_field", name, "PATCH %r" % fields)
    r = c["boss"].request("PATCH", "/api/v1/contests/%d" % spring, {"unfrozen": True, "freeze": 300})
    check(r.status == 200 and r.json()["contest"]["unfrozen"] is True, "admin PATCH: %r" % r)
    check(get_contest(c["alice"], spring)["state"] == "running", "state after unfreeze")

    # the problem set
    p1 = upload(ctx, c["boss"], "p1", True)
    p2 = upload(ctx, c["boss"], "p2", False)
    p3 = upload(ctx, c["boss"], "p3", True)
    r = put_problems(c["olga"], spring, [{"problem": p1, "label": "A", "color": "#FF0000", "points": 2},
                                         {"problem": p2, "label": "B", "color": "SkyBlue"},
                                         {"problem": p3, "label": "C-2"}])
    check(r.status == 200, "PUT problems: %r" % r)
    r = c["alice"].get("/api/v1/contests/%d/problems" % spring)
    check(r.status == 200, "problems of a running public contest: %r" % r)
    got = r.json()["problems"]
    check([(x["problem"], x["label"], x["color"], x["points"]) for x in got] ==
          [(p1, "A", "#ff0000", 2), (p2, "B", "skyblue", 1), (p3, "C-2", None, 1)], "problem set: %r" % got)
    check(got[0]["short_name"] == "p1" and got[0]["title"] == "Hello Sum" and got[0]["time_limit"] == 1
          and got[0]["memory_limit"] > 0, "problem entry: %r" % got[0])
    check(c["anon"].get("/api/v1/contests/%d/problems" % spring).status == 200, "anonymous, public contest")
    # reordering swaps labels too
    r = put_problems(c["olga"], spring, [{"problem": p2, "label": "A"}, {"problem": p1, "label": "B"}])
    check(r.status == 200, "reorder: %r" % r)
    got = c["olga"].get("/api/v1/contests/%d/problems" % spring).json()["problems"]
    check([(x["problem"], x["label"]) for x in got] == [(p2, "A"), (p1, "B")], "reordered: %r" % got)
    # an unpublished problem's statement, through the contest
    check(c["alice"].get("/api/v1/problems/%d" % p2).status == 404, "p2 is unpublished")
    r = c["alice"].get("/api/v1/contests/%d/problems/%d" % (spring, p2))
    check(r.status == 200 and r.json()["problem"]["label"] == "A" and "<" in r.json()["problem"]["statement_html"]
          and len(r.json()["problem"]["samples"]) > 0, "contest problem statement: %r" % r)
    check(c["alice"].get("/api/v1/contests/%d/problems/%d" % (spring, p3)).status == 404, "a problem not in the set")
    bad = [([{"problem": p1, "label": ""}], "label", 400), ([{"problem": p1, "label": "A" * 17}], "label", 400),
           ([{"problem": p1, "label": "A"}, {"problem": p2, "label": "a"}], "label", 400),
           ([{"problem": p1, "label": "A b"}], "label", 400),
           ([{"problem": p1, "label": "A", "color": "#12345"}], "color", 400),
           ([{"problem": p1, "label": "A", "color": "blurple"}], "color", 400),
           ([{"problem": p1, "label": "A", "points": 0}], "points", 400),
           ([{"problem": p1, "label": "A", "points": -1}], "points", 400),
           ([{"problem": p1, "label": "A"}, {"problem": p1, "label": "B"}], "problem", 400),
           ([{"problem": p1}], "label", 400), ([{"problem": p1, "label": "A", "x": 1}], "x", 400),
           ([{"problem": 9999, "label": "A"}], "problem", 422)]
    for probs, field, status in bad:
        r = put_problems(c["olga"], spring, probs)
        refused(r, status, "unknown_problem" if status == 422 else "invalid_field", field, "PUT %r" % probs)
    got = c["olga"].get("/api/v1/contests/%d/problems" % spring).json()["problems"]
    check(len(got) == 2, "a refused PUT changed the set: %r" % got)
    check(put_problems(c["alice"], spring, []).status == 403, "a contestant PUTs problems")
    check(put_problems(c["oscar"], secret, []).status == 404, "another organizer PUTs a private set")

    # never shown to participants before the start
    r = put_problems(c["olga"], secret, [{"problem": p2, "label": "A"}])
    check(r.status == 200, "PUT on a scheduled contest: %r" % r)
    r = c["olga"].post("/api/v1/contests/%d/participants" % secret, {"user": "alice"})
    check(r.status == 201, "add alice: %r" % r)
    s = get_contest(c["alice"], secret)
    check(s["state"] == "scheduled" and s["my_role"] == "participant", "a participant sees the contest: %r" % s)
    refused(c["alice"].get("/api/v1/contests/%d/problems" % secret), 403, "not_started", None, "before the start")
    check(c["alice"].get("/api/v1/contests/%d/problems/%d" % (secret, p2)).status == 403, "statement before the start")
    check(c["olga"].get("/api/v1/contests/%d/problems" % secret).status == 200, "the jury sees them before")
    future = create(c["olga"], "future", start_time=now + 3600)
    put_problems(c["olga"], future, [{"problem": p1, "label": "A"}])
    check(c["anon"].get("/api/v1/contests/%d/problems" % future).status == 403, "public contest before the start")
    r = c["olga"].request("PATCH", "/api/v1/contests/%d" % secret, {"start_time": now - 10})
    check(r.status == 200, "start now: %r" % r)
    got = c["alice"].get("/api/v1/contests/%d/problems" % secret)
    check(got.status == 200 and got.json()["problems"][0]["problem"] == p2, "after the start: %r" % got)
    check(c["bob"].get("/api/v1/contests/%d/problems" % secret).status == 404, "a stranger, private contest")
    srv.stop()
    acts = audit_actions(srv)
    names = [a for a, _, _ in acts]
    for a in ("contest.create", "contest.update", "contest.problems", "contest.participant_add"):
        check(a in names, "no %s in the audit log: %r" % (a, names))
    check(not any("letmein" in (d or "") for _, _, d in acts), "the registration code is in the audit log")


def case_registration(ctx):
    """Registration modes, idempotence, teams by registration and by the
    jury, participants' management."""
    srv, c, judge = platform(ctx)
    now = int(time.time())
    openc = create(c["olga"], "openc")
    codec = create(c["olga"], "codec", registration="code", registration_code="s3same")
    adminc = create(c["olga"], "adminc", registration="admin")
    privc = create(c["olga"], "privc", public=False, registration="code", registration_code="pc")
    privo = create(c["olga"], "privo", public=False, registration="open")
    teamc = create(c["olga"], "teamc", team_mode=True)
    oldc = create(c["olga"], "oldc", start_time=now - 7200, duration=3600)

    def reg(who, cid, body=None):
        return c[who].post("/api/v1/contests/%d/register" % cid, body)

    r = reg("alice", openc)
    check(r.status == 201 and r.json()["participant"]["role"] == "participant"
          and r.json()["participant"]["name"] == "alice" and r.json()["participant"]["team"] is None, "open: %r" % r)
    r = reg("alice", openc, {})
    check(r.status == 200 and r.json()["participant"]["role"] == "participant", "again: %r" % r)
    check(get_contest(c["alice"], openc)["my_role"] == "participant", "my_role")
    r = c["olga"].get("/api/v1/contests/%d/participants" % openc).json()["participants"]
    check(sorted((p["name"], p["role"]) for p in r) == [("alice", "participant"), ("olga", "jury")],
          "registering twice: %r" % r)
    check(reg("olga", openc).json()["participant"]["role"] == "jury", "the jury registering stays jury")
    refused(reg("alice", codec), 403, "wrong_code", None, "no code")
    refused(reg("alice", codec, {"code": "nope"}), 403, "wrong_code", None, "wrong code")
    check(reg("alice", codec, {"code": "s3same"}).status == 201, "right code")
    check(reg("alice", codec).status == 200, "registered: no code needed again")
    refused(reg("alice", adminc), 403, "registration_closed", None, "admin registration")
    refused(reg("alice", privc), 404, "not_found", None, "private, no code")
    refused(reg("alice", privc, {"code": "wrong"}), 404, "not_found", None, "private, wrong code")
    refused(reg("alice", privo), 404, "not_found", None, "private, open")
    check(reg("alice", privc, {"code": "pc"}).status == 201, "private, right code")
    check(get_contest(c["alice"], privc)["my_role"] == "participant", "a private contest once registered")
    refused(reg("alice", oldc), 403, "contest_over", None, "a finished contest")
    refused(reg("alice", openc, {"team_name": "Solo"}), 400, "invalid_field", "team_name", "team in an individual contest")
    refused(reg("alice", openc, {"wat": 1}), 400, "invalid_field", "wat", "unknown field")
    check(c["anon"].post("/api/v1/contests/%d/register" % openc).status == 401, "anonymous registers")
    check(reg("alice", 999).status == 404, "unknown contest")

    # teams by registration
    r = reg("alice", teamc, {"team_name": "Alpha"})
    check(r.status == 201 and isinstance(r.json()["participant"]["team"], int), "team registration: %r" % r)
    alpha = r.json()["participant"]["team"]
    refused(reg("bob", teamc, {"team_name": "Alpha"}), 409, "name_taken", "team_name", "a taken team name")
    refused(reg("bob", teamc, {"team_name": ""}), 400, "invalid_field", "team_name", "an empty team name")
    r = reg("bob", teamc, {"team_name": "Beta"})
    check(r.status == 201, "bob's team: %r" % r)
    beta = r.json()["participant"]["team"]
    check(reg("alice", teamc, {"team_name": "Alpha"}).status == 200, "the same team again")
    refused(reg("alice", teamc, {"team_name": "Gamma"}), 409, "already_in_team", None, "a second team")
    check(get_contest(c["alice"], teamc)["my_team"] == alpha, "my_team")
    teams = {t["name"]: t for t in c["anon"].get("/api/v1/contests/%d/teams" % teamc).json()["teams"]}
    check(teams["Alpha"]["members"] == ["alice"] and teams["Alpha"]["id"] == alpha
          and teams["Beta"]["members"] == ["bob"], "teams: %r" % teams)

    # the jury adds participants and teams
    def add(who, cid, body):
        return c[who].post("/api/v1/contests/%d/participants" % cid, body)

    r = add("olga", teamc, {"user": "carol", "team": alpha})
    check(r.status == 201 and r.json()["participant"]["team"] == alpha, "jury adds carol: %r" % r)
    refused(c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Delta", "members": ["dave", "dave"]}),
            400, "invalid_field", "members", "a member twice")
    r = c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Delta", "members": ["dave", "erin"]})
    check(r.status == 201 and isinstance(r.json()["id"], int), "team by the jury: %r" % r)
    delta = r.json()["id"]
    r = c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Empty"})
    check(r.status == 201, "a team without members: %r" % r)
    refused(c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Eps", "members": ["alice"]}),
            409, "already_in_team", "alice", "a user in two teams")
    refused(c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Eps", "members": ["olga"]}),
            409, "is_jury", None, "the jury in a team")
    refused(c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Eps", "members": ["ghost"]}),
            422, "unknown_user", "ghost", "an unknown member")
    refused(c["olga"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Delta"}), 409, "name_taken", None,
            "a taken team name")
    check(c["alice"].post("/api/v1/contests/%d/teams" % teamc, {"name": "Mine"}).status == 403, "a contestant's team")
    teams = {t["name"]: t for t in c["alice"].get("/api/v1/contests/%d/teams" % teamc).json()["teams"]}
    check(teams["Alpha"]["members"] == ["alice", "carol"] and teams["Delta"]["members"] == ["dave", "erin"]
          and teams["Empty"]["members"] == [] and "Eps" not in teams, "teams: %r" % teams)
    check(get_contest(c["erin"], teamc)["my_team"] == delta, "erin's team")
    parts = c["olga"].get("/api/v1/contests/%d/participants" % teamc).json()["participants"]
    names = [p["name"] for p in parts]
    check(len(names) == len(set(names)), "a user twice: %r" % names)
    check({p["name"]: p["team"] for p in parts} == {"olga": None, "alice": alpha, "bob": beta, "carol": alpha,
                                                     "dave": delta, "erin": delta}, "participants: %r" % parts)
    # moving a participant keeps them in one team
    r = add("olga", teamc, {"user": "carol", "team": beta})
    check(r.status == 200 and r.json()["participant"]["team"] == beta, "move carol: %r" % r)
    teams = {t["name"]: t for t in c["alice"].get("/api/v1/contests/%d/teams" % teamc).json()["teams"]}
    check(teams["Alpha"]["members"] == ["alice"] and teams["Beta"]["members"] == ["bob", "carol"], "moved: %r" % teams)
    refused(add("olga", teamc, {"user": "ghost"}), 422, "unknown_user", "user", "an unknown user")
    other_team = c["olga"].post("/api/v1/contests/%d/teams" % openc, {"name": "Elsewhere"}).json()["id"]
    refused(add("olga", teamc, {"user": "dave", "team": other_team}), 422, "unknown_team", "team",
            "another contest's team")
    refused(add("olga", teamc, {"user": "dave", "role": "boss"}), 400, "invalid_field", "role", "a bad role")
    refused(add("olga", teamc, {"user": "dave", "role": "jury", "team": alpha}), 400, "invalid_field", "team",
            "the jury in a team")
    refused(add("olga", teamc, {"role": "jury"}), 400, "invalid_field", "user", "no user")
    check(add("alice", teamc, {"user": "dave"}).status == 403, "a contestant adds participants")
    check(c["alice"].get("/api/v1/contests/%d/participants" % teamc).status == 403, "a contestant lists them")
    check(c["oscar"].get("/api/v1/contests/%d/participants" % privc).status == 404, "another organizer, private")
    # admin registration: only the jury adds; jury role; removal
    r = add("olga", adminc, {"user": "bob"})
    check(r.status == 201 and get_contest(c["bob"], adminc)["my_role"] == "participant", "added: %r" % r)
    r = add("olga", adminc, {"user": "erin", "role": "jury"})
    check(r.status == 201 and get_contest(c["erin"], adminc)["my_role"] == "jury", "jury added: %r" % r)
    check(c["erin"].get("/api/v1/contests/%d/participants" % adminc).status == 200, "the new jury lists")
    check(c["erin"].get("/api/v1/contests/%d/participants" % teamc).status == 403, "jury of one contest only")
    bob_id = c["bob"].get("/api/v1/me").json()["user"]["id"]
    r = c["olga"].request("DELETE", "/api/v1/contests/%d/participants/%d" % (adminc, bob_id))
    check(r.status == 204, "remove: %r" % r)
    check(get_contest(c["bob"], adminc)["my_role"] is None, "removed")
    check(c["olga"].request("DELETE", "/api/v1/contests/%d/participants/%d" % (adminc, bob_id)).status == 404,
          "remove twice")
    check(c["bob"].request("DELETE", "/api/v1/contests/%d/participants/%d" % (openc, bob_id)).status == 403,
          "a contestant removes")
    srv.stop()
    names = [a for a, _, _ in audit_actions(srv)]
    for a in ("contest.participant_add", "contest.participant_remove", "contest.team_create"):
        check(a in names, "no %s in the audit log: %r" % (a, names))


def case_contest_submissions(ctx):
    """Every refusal code, the jury's on-behalf submissions with a time,
    team sharing, OI hiding until the end, practice kept apart."""
    srv, c, judge = platform(ctx)
    now = int(time.time())
    p1 = upload(ctx, c["boss"], "p1", True)
    p2 = upload(ctx, c["boss"], "p2", False)
    p3 = upload(ctx, c["boss"], "p3", True)
    run = create(c["olga"], "run", registration="admin", team_mode=True, languages=["c"], max_submissions=3)
    later = create(c["olga"], "later", start_time=now + 3600)
    slow = create(c["olga"], "slow", submission_interval=3600)
    oi = create(c["olga"], "oi", rules="oi")
    priv = create(c["olga"], "priv", public=False)
    for cid in (run, later, slow, oi, priv):
        check(put_problems(c["olga"], cid, [{"problem": p1, "label": "A"}, {"problem": p2, "label": "B"}]).status
              == 200, "problem set")
    t1 = c["olga"].post("/api/v1/contests/%d/teams" % run, {"name": "T1", "members": ["alice", "bob"]}).json()["id"]
    t2 = c["olga"].post("/api/v1/contests/%d/teams" % run, {"name": "T2", "members": ["carol"]}).json()["id"]
    for cid in (later, slow, oi):
        check(c["alice"].post("/api/v1/contests/%d/register" % cid).status == 201, "register")
    c["olga"].post("/api/v1/contests/%d/participants" % later, {"user": "erin", "role": "jury"})
    start = get_contest(c["olga"], run)["start_time"]
    ids = {u: c[u].get("/api/v1/me").json()["user"]["id"] for u in ("alice", "bob", "carol", "dave", "erin")}

    # every refusal
    refused(post_sub(c["dave"], p1, run), 403, "not_registered", None, "not registered")
    refused(post_sub(c["erin"], p1, run), 403, "not_registered", None, "jury of another contest")
    refused(post_sub(c["alice"], p1, later), 403, "contest_not_running", None, "before the start")
    refused(post_sub(c["alice"], p1, run, lang="python3"), 422, "language_not_allowed", None, "language")
    refused(post_sub(c["alice"], p3, run), 422, "unknown_problem", None, "a problem not in the contest")
    refused(post_sub(c["alice"], 999, run), 422, "unknown_problem", None, "no such problem")
    refused(post_sub(c["alice"], p1, 999), 422, "unknown_contest", None, "no such contest")
    refused(post_sub(c["alice"], p1, priv), 422, "unknown_contest", None, "a private contest")
    refused(post_sub(c["alice"], p1, run, lang="cobol"), 422, "unknown_language", None, "no such language")
    refused(post_sub(c["alice"], p1, user="bob"), 400, "invalid_field", "user", "user without contest")
    refused(post_sub(c["alice"], p1, time=now), 400, "invalid_field", "time", "time without contest")
    refused(post_sub(c["alice"], p1, run, user="bob"), 403, "forbidden", None, "a contestant submits for another")
    refused(post_sub(c["alice"], p1, run, time=start + 5), 403, "forbidden", None, "a contestant dates one")
    refused(post_sub(c["alice"], p1, "run"), 400, "invalid_field", "contest", "a contest name")
    # unpublished problems: through the contest only
    refused(post_sub(c["alice"], p2), 422, "unknown_problem", None, "an unpublished problem in practice")
    a1 = sub_ok(c["alice"], p2, run)
    b1 = sub_ok(c["bob"], p2, run)
    a2 = sub_ok(c["alice"], p2, run)
    refused(post_sub(c["bob"], p2, run), 403, "submission_limit", None, "the team's fourth on one problem")
    a3 = sub_ok(c["alice"], p1, run)                        # another problem is fine
    c1 = sub_ok(c["carol"], p2, run)                        # another team is fine
    sub_ok(c["alice"], p1, slow)
    r = post_sub(c["alice"], p1, slow)
    refused(r, 429, "too_soon", None, "submission interval")
    check(0 < int(r.headers.get("retry-after", "0")) <= 3600, "Retry-After: %r" % r.headers)
    # the jury: any time, no limits, on behalf with a time
    sub_ok(c["olga"], p1, later)
    sub_ok(c["erin"], p1, later)
    refused(post_sub(c["olga"], p3, later), 422, "unknown_problem", None, "the jury, a problem not in the set")
    ob = sub_ok(c["olga"], p2, run, user="carol", time=start + 125)
    s = c["olga"].get("/api/v1/submissions/%d" % ob).json()["submission"]
    check(s["user"] == ids["carol"] and s["submitted_at"] == start + 125 and s["team"] == t2 and s["contest"] == run,
          "on behalf: %r" % s)
    ob2 = sub_ok(c["boss"], p1, run, user="alice")          # an admin too; the time is now
    check(c["boss"].get("/api/v1/submissions/%d" % ob2).json()["submission"]["team"] == t1, "admin on behalf")
    refused(post_sub(c["olga"], p1, run, user="carol", time=start - 1), 400, "invalid_field", "time", "before")
    refused(post_sub(c["olga"], p1, run, user="carol", time=start + 7200), 400, "invalid_field", "time", "at the end")
    refused(post_sub(c["olga"], p1, run, user="dave"), 403, "not_registered", None, "for a non-participant")
    refused(post_sub(c["olga"], p1, run, user="ghost"), 422, "unknown_user", "user", "for nobody")
    refused(post_sub(c["erin"], p1, run, user="alice"), 403, "forbidden", None,
            "jury of another contest submits for a participant")

    # team sharing and the jury's view
    judge_all(judge, {a1: "WA", b1: "AC"})
    s = c["bob"].get("/api/v1/submissions/%d" % a1)
    check(s.status == 200 and s.json()["submission"]["verdict"] == "WA" and s.json()["submission"]["team"] == t1
          and len(s.json()["submission"]["tests"]) == 2 and "message" not in s.json()["submission"],
          "a teammate's submission: %r" % s)
    for who in ("carol", "dave", "erin", "oscar"):
        check(c[who].get("/api/v1/submissions/%d" % a1).status == 404, "%s sees T1's submission" % who)
    j = c["olga"].get("/api/v1/submissions/%d" % a1).json()["submission"]
    check(j["verdict"] == "WA" and "message" in j and "judging" in j, "the jury's view: %r" % j)

    def listed(who, query):
        r = c[who].get("/api/v1/submissions" + query)
        check(r.status == 200, "list %s: %r" % (query, r))
        return {x["id"] for x in r.json()["submissions"]}, r.json()["submissions"]

    t1_subs = {a1, b1, a2, a3, ob2}
    check(listed("bob", "?contest=%d" % run)[0] == t1_subs, "T1's list")
    check(listed("alice", "?contest=%d&mine=1" % run)[0] == t1_subs - {b1}, "alice's own")
    check(listed("carol", "?contest=%d" % run)[0] == {c1, ob}, "T2's list")
    check(listed("olga", "?contest=%d" % run)[0] >= t1_subs | {c1, ob}, "the jury's list")
    check(listed("erin", "?contest=%d" % run)[0] == set(), "jury of another contest")
    check(listed("dave", "?contest=%d&problem=%d" % (run, p2))[0] == set(), "a stranger")
    check(c["dave"].get("/api/v1/submissions?contest=%d" % priv).status == 404, "a private contest's list")
    check(c["dave"].get("/api/v1/submissions?contest=x").status == 400, "a bad contest parameter")

    # OI: nothing of the result until the end, except for the jury
    o1 = sub_ok(c["alice"], p1, oi)
    judge_all(judge, {o1: "WA"})
    s = c["alice"].get("/api/v1/submissions/%d" % o1).json()["submission"]
    check(s["status"] == "judged" and s["verdict"] is None and s["score"] is None and s["tests"] is None
          and s["compile_output"] is None, "OI during the contest: %r" % s)
    _, rows = listed("alice", "?contest=%d" % oi)
    check(rows[0]["status"] == "judged" and rows[0]["verdict"] is None, "OI listed: %r" % rows)
    _, rows = listed("alice", "")
    check([x for x in rows if x["id"] == o1][0]["verdict"] is None, "OI in the default list: %r" % rows)
    s = c["olga"].get("/api/v1/submissions/%d" % o1).json()["submission"]
    check(s["verdict"] == "WA" and len(s["tests"]) == 2, "OI, the jury: %r" % s)
    r = c["olga"].request("PATCH", "/api/v1/contests/%d" % oi, {"start_time": now - 7200, "duration": 3600})
    check(r.status == 200 and r.json()["contest"]["state"] == "finished", "end the OI contest: %r" % r)
    s = c["alice"].get("/api/v1/submissions/%d" % o1).json()["submission"]
    check(s["verdict"] == "WA" and len(s["tests"]) == 2, "OI after the end: %r" % s)
    refused(post_sub(c["alice"], p1, oi), 403, "contest_not_running", None, "after the end")

    # practice and contest submissions kept apart
    pr = sub_ok(c["alice"], p1)
    judge_all(judge, {})
    s = c["alice"].get("/api/v1/submissions/%d" % pr).json()["submission"]
    check(s["contest"] is None and s["team"] is None and s["verdict"] == "AC", "practice submission: %r" % s)
    got, rows = listed("alice", "?practice=1")
    check(got == {pr} and all(x["contest"] is None for x in rows), "practice only: %r" % rows)
    got, _ = listed("alice", "?problem=%d" % p1)
    check(pr in got and a3 in got, "history of a problem: %r" % got)
    check(pr not in listed("alice", "?contest=%d" % run)[0], "practice in a contest list")
    got, rows = listed("alice", "")
    check({pr, a1, a2, a3, o1, ob2} <= got and b1 not in got, "the default list is one's own: %r" % got)
    check(listed("olga", "")[0] >= {pr} and a1 not in listed("oscar", "")[0], "organizers: practice only")
    check(a1 in listed("boss", "")[0], "admins see all")
    check(c["alice"].get("/api/v1/submissions?contest=%d&practice=1" % run).status == 400, "contest and practice")
    srv.stop()
    acts = [(a, d) for a, _, d in audit_actions(srv) if a == "submission.create_for"]
    check(len(acts) == 2 and "carol" in acts[0][1], "on-behalf submissions in the audit log: %r" % acts)


CASES = {
    "contests": case_contests,
    "registration": case_registration,
    "contest_submissions": case_contest_submissions,
}


if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
