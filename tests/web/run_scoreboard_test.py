#!/usr/bin/env python3
"""run_scoreboard_test.py: end-to-end cases for scoreboards and the ICPC
Contest API, on the real `crucible serve` (run_web_test.py's helpers):

    run_scoreboard_test.py --crucible PATH --source-dir REPO --work DIR --schemas DIR CASE

icpc_contest: a scripted ICPC contest (jury submissions on behalf of teams
at chosen times, verdicts from a fake judge) whose board was worked out by
hand below: penalties, compile errors free, a tie sharing a rank, first to
solve, the freeze as a contestant, the public and the jury see it, then the
unfreeze. ioi_oi: IOI's best per subtask across submissions (from the
judge's groups), OI's last submission, hidden until the end. contest_api:
every Contest API endpoint for the public, a team and the jury, checked
against the spec's JSON schemas; the event feed with since_token, and a
streaming read that sees a new judgement arrive; a submission's files (a
zip of its sources) for the jury alone.
"""
import argparse
import http.client
import io
import json
import os
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402
import validate_scoreboard as vs  # noqa: E402

check = base.check
Fail = base.Fail
SCHEMAS = None


def login(srv, name, pw):
    c = srv.client()
    c.login(name, pw)
    return c


def upload(ctx, srv, admin, name):
    r = admin.post("/api/v1/problems?name=" + name, ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload %s: %r" % (name, r))
    return r.json()["problem"]["id"]


def make_contest(admin, **kw):
    body = {"short_name": kw.pop("short_name"), "title": kw.pop("title", "A contest"),
            "start_time": kw.pop("start_time"), "duration": kw.pop("duration")}
    body.update(kw)
    r = admin.post("/api/v1/contests", body)
    check(r.status == 201, "create contest: %r" % r)
    return r.json()["id"]


def on_behalf(admin, cid, pid, user, t, lang="c", name="sum.c", content="int main(){}"):
    r = admin.post("/api/v1/submissions", {"contest": cid, "problem": pid, "language": lang, "user": user,
                                           "time": t, "files": [{"name": name, "content": content}]})
    check(r.status == 201, "submission for %s: %r" % (user, r))
    return r.json()["id"]


def judge_all(judge, verdicts, leave=()):
    """Claims every queued job and posts the verdict verdicts[submission]
    (a string, or a full result dict); those in leave stay judging."""
    seen = 0
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return seen
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        seen += 1
        sid = job["submission_id"]
        if sid in leave:
            continue
        v = verdicts[sid]
        body = v if isinstance(v, dict) else base.fake_result(v)
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], body)
        check(r.status == 200, "result: %r" % r)


def board(client, cid, query=""):
    r = client.get("/api/v1/contests/%d/scoreboard%s" % (cid, query))
    check(r.status == 200, "scoreboard: %r" % r)
    return r.json()


def rows_by_name(b):
    return {row["name"]: row for row in b["rows"]}


def cell(row, label):
    for c in row["cells"]:
        if c["label"] == label:
            return c
    raise Fail("no cell %s in %r" % (label, row))


# ---- icpc_contest ---------------------------------------------------------------------------------

def case_icpc_contest(ctx):
    srv, users = base.setup_platform(ctx)
    for name in ("carol", "dave"):
        srv.add_user(name, "contestant", name + "-password-1")
    srv.stop()
    srv.start()
    admin = login(srv, "boss", "boss-password-1")
    judge = srv.client(token=users["judge"][1])
    pa, pb = upload(ctx, srv, admin, "sum-a"), upload(ctx, srv, admin, "sum-b")
    now = int(time.time())
    start = now - 100 * 60                  # 120 minutes, frozen for the last 30: the freeze began 10 min ago
    cid = make_contest(admin, short_name="icpc1", start_time=start, duration=120 * 60, freeze=30 * 60,
                       public=True, team_mode=True, rules="icpc", registration="admin")
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid,
                      {"problems": [{"problem": pa, "label": "A", "color": "#ff0000"},
                                    {"problem": pb, "label": "B", "color": "blue"}]})
    check(r.status == 200, "problem set: %r" % r)
    teams = {}
    for team, member in (("Alpha", "alice"), ("Beta", "bob"), ("Gamma", "carol"), ("Delta", "dave")):
        r = admin.post("/api/v1/contests/%d/teams" % cid, {"name": team, "members": [member]})
        check(r.status == 201, "team %s: %r" % (team, r))
        teams[team] = r.json()["id"]

    # An empty board before anything: every team at rank 1 with nothing.
    b = board(admin, cid)
    check([row["rank"] for row in b["rows"]] == [1, 1, 1, 1] and b["rules"] == "icpc", "empty board: %r" % b)

    def at(minute):
        return start + minute * 60

    plan = [  # (team member, problem, minute, verdict)
        ("alice", pa, 10, "WA"), ("alice", pa, 20, "AC"),        # A: 20 + 20 penalty
        ("alice", pb, 30, "CE"), ("alice", pb, 40, "AC"),        # B: 40, the CE is free
        ("bob", pa, 15, "AC"),                                   # A: 15, first to solve A
        ("bob", pb, 50, "TLE"), ("bob", pb, 65, "AC"),           # B: 65 + 20
        ("carol", pa, 20, "WA"), ("carol", pa, 40, "AC"),        # A: 40 + 20
        ("carol", pb, 20, "AC"),                                 # B: 20, first to solve B
        ("dave", pa, 5, "RTE"), ("dave", pa, 95, "AC"),          # A in the freeze: 95 + 20
        ("dave", pb, 60, None),                                  # still being judged
        ("alice", pa, 70, "WA"),                                 # after the AC: changes nothing
    ]
    verdicts, pending = {}, set()
    for i, (user, pid, minute, v) in enumerate(plan):
        sid = on_behalf(admin, cid, pid, user, at(minute))
        if v is None:
            pending.add(sid)
        else:
            verdicts[sid] = v
        if i == 4:
            # warm the cache midway: later changes are applied to it incrementally
            board(admin, cid)
            judge_all(judge, verdicts, leave=pending)
            board(admin, cid)
    judge_all(judge, verdicts, leave=pending)

    alice, dave = login(srv, "alice", "alice-password-1"), login(srv, "dave", "dave-password-1")
    public = srv.client()

    # The jury: the live board.
    j = board(admin, cid)
    check(j["state"] == "frozen" and j["frozen"] is False, "jury state: %r" % j)
    check([p["label"] for p in j["problems"]] == ["A", "B"] and j["problems"][0]["color"] == "#ff0000",
          "problems: %r" % j["problems"])
    rows = rows_by_name(j)
    expect = {"Alpha": (1, 2, 80), "Gamma": (1, 2, 80), "Beta": (3, 2, 100), "Delta": (4, 1, 115)}
    for name, (rank, solved, penalty) in expect.items():
        row = rows[name]
        check((row["rank"], row["solved"], row["penalty"]) == (rank, solved, penalty),
              "jury %s: %r, expected rank %d solved %d penalty %d" % (name, row, rank, solved, penalty))
        check(row["team"] == teams[name], "team id of %s: %r" % (name, row))
    check([row["name"] for row in j["rows"]] == ["Alpha", "Gamma", "Beta", "Delta"], "order: %r" % j["rows"])
    a = cell(rows["Alpha"], "A")
    check((a["attempts"], a["pending"], a["solved"], a["time"], a["first"]) == (2, 0, True, 20, False),
          "Alpha A: %r" % a)
    ab = cell(rows["Alpha"], "B")
    check((ab["attempts"], ab["solved"], ab["time"]) == (2, True, 40), "Alpha B (CE free): %r" % ab)
    check(cell(rows["Beta"], "A")["first"] is True and cell(rows["Gamma"], "B")["first"] is True,
          "first to solve: %r" % j["rows"])
    da, db = cell(rows["Delta"], "A"), cell(rows["Delta"], "B")
    check((da["attempts"], da["solved"], da["time"]) == (2, True, 95), "Delta A live: %r" % da)
    check((db["attempts"], db["pending"], db["solved"]) == (0, 1, False), "Delta B pending: %r" % db)

    # The public: Delta's AC in the freeze is pending.
    p = board(public, cid)
    check(p["frozen"] is True, "public not frozen: %r" % p)
    prow = rows_by_name(p)
    pa_cell = cell(prow["Delta"], "A")
    check((prow["Delta"]["solved"], prow["Delta"]["penalty"], prow["Delta"]["rank"]) == (0, 0, 4) and
          (pa_cell["attempts"], pa_cell["pending"], pa_cell["solved"]) == (1, 1, False),
          "public Delta: %r" % prow["Delta"])
    check(prow["Alpha"]["rank"] == 1 and prow["Gamma"]["rank"] == 1, "public tie: %r" % p["rows"])
    # The jury asking for the public view gets the same.
    check(board(admin, cid, "?view=public")["rows"] == p["rows"], "jury ?view=public differs")
    check(public.get("/api/v1/contests/%d/scoreboard?view=jury" % cid).status == 400, "view=jury accepted")
    # A contestant: its own row live, the others frozen.
    d = rows_by_name(board(dave, cid))
    check(d["Delta"]["solved"] == 1 and cell(d["Delta"], "A")["solved"] is True, "Delta's own row: %r" % d["Delta"])
    al = board(alice, cid)
    check(al["frozen"] is True and rows_by_name(al)["Delta"]["solved"] == 0, "Alpha sees Delta frozen: %r" % al)

    # A private contest is not there for the public.
    cid2 = make_contest(admin, short_name="private1", start_time=start, duration=7200, public=False)
    check(public.get("/api/v1/contests/%d/scoreboard" % cid2).status == 404, "private board is public")
    check(alice.get("/api/v1/contests/%d/scoreboard" % cid2).status == 404, "private board for a non-participant")
    check(public.get("/api/v1/contests/999999/scoreboard").status == 404, "unknown contest")

    # The unfreeze: everyone sees the final board.
    r = admin.request("PATCH", "/api/v1/contests/%d" % cid, {"unfrozen": True})
    check(r.status == 200, "unfreeze: %r" % r)
    p2 = board(public, cid)
    check(p2["frozen"] is False and rows_by_name(p2)["Delta"]["solved"] == 1 and
          rows_by_name(p2)["Delta"]["penalty"] == 115, "after the unfreeze: %r" % p2)

    # Ignoring a submission takes it off the cached board; un-ignoring brings it back.
    beta_a = [sid for sid, v in verdicts.items() if v == "AC"][2]      # Beta's AC on A at minute 15
    r = admin.post("/api/v1/submissions/%d/ignore" % beta_a, {"ignored": True})
    if r.status != 404:                 # the jury's endpoint, when present
        check(r.status == 200, "ignore: %r" % r)
        g = rows_by_name(board(public, cid))
        check(g["Beta"]["solved"] == 1 and cell(g["Alpha"], "A")["first"] is True,
              "after ignoring Beta's A: %r" % g)
        check(admin.post("/api/v1/submissions/%d/ignore" % beta_a, {"ignored": False}).status == 200, "unignore")
        check(board(public, cid)["rows"] == p2["rows"], "un-ignoring did not restore the board")
    srv.stop()
    srv.start()
    p3 = board(public, cid)
    check(p3["rows"] == p2["rows"], "the board after a restart differs")
    # The public's JSON is shared between viewers (cached): a new judged
    # submission must show in the next request of every viewer.
    check(board(srv.client(), cid) == p3 and board(alice, cid)["rows"] == p3["rows"], "shared view differs")
    sid = on_behalf(admin, cid, pb, "dave", at(100))
    check(cell(rows_by_name(board(public, cid))["Delta"], "B")["pending"] == 2, "a queued submission not shown")
    judge_all(judge, {sid: "AC"}, leave=pending)
    r4 = rows_by_name(board(public, cid))
    check(r4["Delta"]["solved"] == 2 and cell(r4["Delta"], "B")["solved"] is True, "after a new AC: %r" % r4["Delta"])
    check(rows_by_name(board(alice, cid))["Delta"] == r4["Delta"], "a team sees an old shared board")
    srv.stop()


# ---- ioi_oi --------------------------------------------------------------------------------------------

def ioi_result(groups, verdict="WA"):
    score = sum(g[1] for g in groups)
    res = base.fake_result(verdict)
    res["score"] = score
    res["max_score"] = 100
    res["groups"] = [{"name": "secret", "score": score, "max_score": 100}] + \
                    [{"name": n, "score": s, "max_score": m} for n, s, m in groups]
    return res


def case_ioi_oi(ctx):
    srv, users = base.setup_platform(ctx)
    admin = login(srv, "boss", "boss-password-1")
    judge = srv.client(token=users["judge"][1])
    pid = upload(ctx, srv, admin, "sum-ioi")
    now = int(time.time())
    start = now - 3600
    cid = make_contest(admin, short_name="ioi1", start_time=start, duration=7200, public=True, rules="ioi",
                       registration="admin")
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid,
                      {"problems": [{"problem": pid, "label": "T1", "points": 100}]})
    check(r.status == 200, "problem set: %r" % r)
    for u in ("alice", "bob"):
        r = admin.post("/api/v1/contests/%d/participants" % cid, {"user": u})
        check(r.status in (200, 201), "participant %s: %r" % (u, r))
    verdicts = {}
    # alice: 30 on subtask 1, then 70 on subtask 2: IOI takes 30 + 70 = 100.
    s1 = on_behalf(admin, cid, pid, "alice", start + 60)
    verdicts[s1] = ioi_result([("secret/1-small", 30, 30), ("secret/2-large", 0, 70)])
    judge_all(judge, verdicts)
    b = board(admin, cid)
    row = rows_by_name(b)["alice"]
    check(row["score"] == 30 and cell(row, "T1")["score"] == 30, "after one: %r" % row)
    s2 = on_behalf(admin, cid, pid, "alice", start + 120)
    verdicts[s2] = ioi_result([("secret/1-small", 0, 30), ("secret/2-large", 70, 70)])
    s3 = on_behalf(admin, cid, pid, "bob", start + 90)
    verdicts[s3] = ioi_result([("secret/1-small", 30, 30), ("secret/2-large", 40, 70)])
    judge_all(judge, verdicts)
    b = board(srv.client(), cid)
    rows = rows_by_name(b)
    check(rows["alice"]["score"] == 100 and cell(rows["alice"], "T1")["solved"] is True and
          rows["alice"]["rank"] == 1, "IOI per-subtask maximum: %r" % rows["alice"])
    check(rows["bob"]["score"] == 70 and rows["bob"]["rank"] == 2, "bob: %r" % rows["bob"])
    check(b["problems"][0]["points"] == 100 and b["rules"] == "ioi", "problems: %r" % b)

    # OI: the last submission counts, and nobody but the jury sees results before the end.
    oid = make_contest(admin, short_name="oi1", start_time=start, duration=7200, public=True, rules="oi",
                       registration="admin")
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % oid,
                      {"problems": [{"problem": pid, "label": "P", "points": 100}]})
    check(r.status == 200, "problem set: %r" % r)
    for u in ("alice", "bob"):
        check(admin.post("/api/v1/contests/%d/participants" % oid, {"user": u}).status in (200, 201), "register")
    o1 = on_behalf(admin, oid, pid, "alice", start + 60)
    o2 = on_behalf(admin, oid, pid, "alice", start + 120)
    o3 = on_behalf(admin, oid, pid, "bob", start + 100)
    full = base.fake_result("AC")
    full.update(score=100, max_score=100)
    part = base.fake_result("WA")
    part.update(score=40, max_score=100)
    verdicts.update({o1: full, o2: part, o3: full})
    judge_all(judge, verdicts)
    j = rows_by_name(board(admin, oid))
    check(j["alice"]["score"] == 40 and j["bob"]["score"] == 100 and j["bob"]["rank"] == 1,
          "OI jury board: %r" % j)
    alice = login(srv, "alice", "alice-password-1")
    for who, c in (("public", srv.client()), ("alice", alice)):
        b = board(c, oid)
        check(b["hidden"] is True, "%s: OI not hidden: %r" % (who, b))
        for row in b["rows"]:
            check(row["score"] is None and all(x["score"] is None and x["solved"] is None for x in row["cells"]),
                  "%s sees OI results: %r" % (who, row))
        check(b"40" not in json.dumps(b["rows"]).encode(), "a score leaks: %r" % b)
    # The end: move it into the past; results come out.
    r = admin.request("PATCH", "/api/v1/contests/%d" % oid, {"duration": now - start - 10})
    check(r.status == 200, "end the OI contest: %r" % r)
    b = board(srv.client(), oid)
    rows = rows_by_name(b)
    check(b["hidden"] is False and b["state"] == "finished" and rows["alice"]["score"] == 40 and
          rows["bob"]["score"] == 100, "OI after the end: %r" % b)
    srv.stop()


# ---- contest_api -----------------------------------------------------------------------------------

ENDPOINTS = ["judgement-types", "languages", "problems", "groups", "organizations", "teams", "submissions",
             "judgements", "runs", "clarifications", "awards"]
SINGULAR = {"judgement-types": "judgement-type", "languages": "language", "problems": "problem",
            "groups": "group", "organizations": "organization", "teams": "team", "accounts": "account",
            "submissions": "submission", "judgements": "judgement", "runs": "run",
            "clarifications": "clarification", "awards": "award"}


class Validator(vs.Validator):
    """validate_scoreboard's validator, plus the one keyword the other
    schema files add."""

    def k_multipleOf(self, inst, want, schema, base, path):
        if isinstance(inst, (int, float)) and not isinstance(inst, bool):
            q = inst / want
            if abs(q - round(q)) > 1e-6:
                raise vs.Invalid("%s: %r is not a multiple of %r" % (path, inst, want))


def validate(v, inst, schema_file, what):
    if v is None:                       # no schemas beside the checkout: the rest is still checked
        return
    try:
        v.validate(inst, v.load(schema_file), schema_file, what)
    except vs.Invalid as e:
        raise Fail("%s does not match %s: %s\n%r" % (what, schema_file, e, inst))


def api_get(client, path, status=200):
    r = client.get(path)
    check(r.status == status, "GET %s: %r" % (path, r))
    return r.json() if status == 200 else None


def case_contest_api(ctx):
    v = Validator(SCHEMAS) if SCHEMAS and os.path.isdir(SCHEMAS) else None
    if v is None:
        print("the Contest API's JSON schemas are not at %r: objects are not schema-checked" % SCHEMAS)
    srv, users = base.setup_platform(ctx)
    admin = login(srv, "boss", "boss-password-1")
    judge = srv.client(token=users["judge"][1])
    pid = upload(ctx, srv, admin, "sum-api")
    now = int(time.time())
    start = now - 100 * 60
    cid = make_contest(admin, short_name="wf1", title="World Final", start_time=start, duration=120 * 60,
                       freeze=30 * 60, public=True, team_mode=True, registration="admin")
    check(admin.request("PUT", "/api/v1/contests/%d/problems" % cid,
                        {"problems": [{"problem": pid, "label": "A", "color": "#00ff00"}]}).status == 200, "set")
    tids = {}
    for team, member in (("Alpha", "alice"), ("Beta", "bob")):
        r = admin.post("/api/v1/contests/%d/teams" % cid, {"name": team, "members": [member]})
        check(r.status == 201, "team: %r" % r)
        tids[team] = str(r.json()["id"])
    s_before = on_behalf(admin, cid, pid, "alice", start + 600,     # before the freeze
                         name="alpha_sum.c", content=ALPHA_SOURCE)
    s_frozen = on_behalf(admin, cid, pid, "bob", start + 95 * 60)   # in the freeze
    judge_all(judge, {s_before: "WA", s_frozen: "AC"})
    r = admin.post("/api/v1/contests/%d/clarifications" % cid, {"text": "Announcement: all good",
                                                               "announcement": True})
    clar_ok = r.status == 201
    alice, bob, public = login(srv, "alice", "alice-password-1"), login(srv, "bob", "bob-password-1"), srv.client()

    info = api_get(public, "/api")
    validate(v, info, "api_information.json", "/api")
    check(info["version"] == "2023-06", "version: %r" % info)
    cs = api_get(public, "/api/contests")
    validate(v, cs, "contests.json", "/api/contests")
    check([c["id"] for c in cs] == ["wf1"], "contests: %r" % cs)
    base_path = "/api/contests/wf1"
    for who, c in (("public", public), ("team", alice), ("jury", admin)):
        contest = api_get(c, base_path)
        validate(v, contest, "contest.json", who + " contest")
        check(contest["duration"] == "2:00:00.000" and contest["scoreboard_freeze_duration"] == "0:30:00.000" and
              contest["scoreboard_type"] == "pass-fail" and contest["penalty_time"] == 20, "contest: %r" % contest)
        state = api_get(c, base_path + "/state")
        validate(v, state, "state.json", who + " state")
        check(state["started"] and state["frozen"] and state["ended"] is None, "state: %r" % state)
        for ep in ENDPOINTS + (["accounts"] if who == "jury" else []):
            data = api_get(c, base_path + "/" + ep)
            validate(v, data, ep + ".json", "%s %s" % (who, ep))
            for obj in data:
                validate(v, obj, SINGULAR[ep] + ".json", "%s %s item" % (who, ep))
                one = api_get(c, "%s/%s/%s" % (base_path, ep, obj["id"]))
                check(one == obj, "%s %s/%s differs from the collection's" % (who, ep, obj["id"]))
        sb = api_get(c, base_path + "/scoreboard")
        validate(v, sb, "scoreboard.json", who + " scoreboard")
        check(sb["state"] == state, "scoreboard state differs: %r vs %r" % (sb["state"], state))
        subs = api_get(c, base_path + "/submissions")
        check(sorted(s["id"] for s in subs) == sorted([str(s_before), str(s_frozen)]) and
              all(s["files"] == files_ref(who, s["id"]) for s in subs), "%s submissions: %r" % (who, subs))
        judgements = api_get(c, base_path + "/judgements")
        seen = {j["submission_id"]: j["judgement_type_id"] for j in judgements}
        check(seen.get(str(s_before)) == "WA", "%s: the judgement before the freeze: %r" % (who, judgements))
        if who == "public" or who == "team":
            check(str(s_frozen) not in seen, "%s sees a judgement made in the freeze: %r" % (who, judgements))
            runs = api_get(c, base_path + "/runs")
            check(all(r["judgement_id"] in [j["id"] for j in judgements] for r in runs), "runs leak: %r" % runs)
        else:
            check(seen.get(str(s_frozen)) == "AC", "the jury misses a judgement: %r" % judgements)
        teams = api_get(c, base_path + "/teams")
        check(sorted(t["name"] for t in teams) == ["Alpha", "Beta"], "teams: %r" % teams)
        api_get(c, base_path + "/teams/999999", 404)
        api_get(c, base_path + "/nothing-here", 404)
        if clar_ok:
            clars = api_get(c, base_path + "/clarifications")
            check(any(x["text"] == "Announcement: all good" for x in clars), "%s clarifications: %r" % (who, clars))
        body = json.dumps(api_get(c, base_path + "/runs")) + json.dumps(api_get(c, base_path + "/problems"))
        check("secret detail" not in body and "checker says" not in body, "test data leaks to %s" % who)
    # A team sees its own judgement made in the freeze.
    own = {j["submission_id"] for j in api_get(bob, base_path + "/judgements")}
    check(str(s_frozen) in own, "bob misses his own judgement: %r" % own)
    api_get(public, base_path + "/accounts", 404)
    api_get(alice, base_path + "/accounts", 404)
    accounts = api_get(admin, base_path + "/accounts")
    check({a["username"]: a.get("team_id") for a in accounts if a["type"] == "team"} ==
          {"alice": tids["Alpha"], "bob": tids["Beta"]}, "accounts: %r" % accounts)
    # filtering on an ID property
    only = api_get(admin, base_path + "/submissions?team_id=" + tids["Alpha"])
    check([s["id"] for s in only] == [str(s_before)], "filter team_id: %r" % only)
    check(public.get(base_path + "/submissions?bogus=1").status == 400, "unknown parameter accepted")
    awards = api_get(admin, base_path + "/awards")
    fts = {a["id"]: a["team_ids"] for a in awards}
    check(fts.get("first-to-solve-%d" % pid) == [tids["Beta"]] and fts.get("winner") == [tids["Beta"]],
          "awards: %r" % awards)
    # A private contest is not there for the public.
    make_contest(admin, short_name="hidden1", start_time=start, duration=7200, public=False)
    api_get(public, "/api/contests/hidden1", 404)
    check([c["id"] for c in api_get(public, "/api/contests")] == ["wf1"], "private contest listed")
    check("hidden1" in [c["id"] for c in api_get(admin, "/api/contests")], "the admin misses a contest")

    # ---- the event feed ----
    def feed_lines(c, query):
        r = c.get(base_path + "/event-feed" + query)
        check(r.status == 200 and r.headers.get("content-type", "").startswith("application/x-ndjson"),
              "event-feed: %r" % r)
        lines = [json.loads(l) for l in r.body.decode().split("\n") if l.strip()]
        for e in lines:
            validate(v, e, "event-feed.json", "event " + e["type"])
        return lines

    for who, c in (("public", public), ("team", alice), ("jury", admin)):
        events = feed_lines(c, "?stream=false")
        types = {e["type"] for e in events}
        check({"contest", "state", "problems", "teams", "submissions", "judgements"} <= types,
              "%s feed types: %r" % (who, types))
        frozen_seen = any(e["type"] == "judgements" and e["data"]["submission_id"] == str(s_frozen)
                          for e in events)
        check(frozen_seen == (who == "jury"), "%s feed and the freeze: %r" % (who, frozen_seen))
        check(("accounts" in types) == (who == "jury"), "%s feed accounts" % who)
        for e in events:                # ccs files: sources in the jury's feed alone
            if e["type"] == "submissions":
                check(e["data"]["files"] == files_ref(who, e["id"]), "%s feed files: %r" % (who, e))
    events = feed_lines(admin, "?stream=false")
    token = events[-1]["token"]
    check(all(e["token"] == token for e in events), "snapshot tokens differ")
    check(feed_lines(admin, "?stream=false&since_token=" + token) == [] or
          all(e["type"] == "state" for e in feed_lines(admin, "?stream=false&since_token=" + token)),
          "nothing new after the token")
    check(admin.get(base_path + "/event-feed?stream=false&since_token=99999999").status == 400, "bad token")
    check(admin.get(base_path + "/event-feed?stream=false&since_token=x").status == 400, "bad token")
    s_new = on_behalf(admin, cid, pid, "alice", start + 20 * 60)
    later = feed_lines(admin, "?stream=false&since_token=" + token)
    check([e["id"] for e in later if e["type"] == "submissions"] == [str(s_new)], "since_token: %r" % later)

    # Streaming: read the snapshot, then judge s_new and see its judgement arrive.
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.request("GET", base_path + "/event-feed", headers={"Cookie": "crucible_session=" + public.cookie}
                 if public.cookie else {})
    resp = conn.getresponse()
    check(resp.status == 200, "streaming feed: %d" % resp.status)
    got = []
    deadline = time.time() + 20
    judged = False
    while time.time() < deadline:
        line = resp.readline()
        if not line:
            break
        if not line.strip():
            continue
        e = json.loads(line)
        validate(v, e, "event-feed.json", "streamed event")
        got.append(e)
        if e["type"] == "submissions" and e["id"] == str(s_new) and not judged:
            judged = True
            judge_all(judge, {s_new: "AC"})
        if e["type"] == "judgements" and e["data"] and e["data"]["submission_id"] == str(s_new) and \
                e["data"]["judgement_type_id"]:
            break
    else:
        raise Fail("the streamed judgement did not arrive: %r" % got[-5:])
    check(judged and got[-1]["type"] == "judgements" and got[-1]["data"]["judgement_type_id"] == "AC",
          "streamed events: %r" % got[-5:])
    conn.close()
    contest_api_files(ctx, srv, admin, alice, public, cid, pid, s_before, v)
    srv.stop()


# ---- ccs files: a submission's sources, for the jury only -------------------------------------------

ALPHA_SOURCE = "/* Alpha's own sum */\n#include <stdio.h>\nint main(void){long a,b;scanf(\"%ld %ld\",&a,&b);" \
               "printf(\"%ld\\n\",a+b);return 0;}\n"


def files_ref(who, sid):
    """A submission's files as viewer `who` sees them in contest wf1."""
    if who != "jury":
        return []
    return [{"href": "contests/wf1/submissions/%s/files" % sid, "filename": "files.zip", "mime": "application/zip"}]


def contest_api_files(ctx, srv, admin, alice, public, cid, pid, s_before, v):
    base_path = "/api/contests/wf1"
    url = "%s/submissions/%d/files" % (base_path, s_before)
    # the jury's view links to the archive, which holds exactly the file as submitted
    sub = api_get(admin, "%s/submissions/%d" % (base_path, s_before))
    validate(v, sub, "submission.json", "jury submission")
    check(sub["files"] == files_ref("jury", str(s_before)), "jury files: %r" % sub)
    r = admin.get("/api/" + sub["files"][0]["href"])
    check(r.status == 200 and r.headers.get("content-type", "").startswith("application/zip"), "files: %r" % r)
    with zipfile.ZipFile(io.BytesIO(r.body)) as z:
        check(z.namelist() == ["alpha_sum.c"], "zip entries: %r" % z.namelist())
        check(z.read("alpha_sum.c") == ALPHA_SOURCE.encode(), "zip content: %r" % z.read("alpha_sum.c"))
        check(z.testzip() is None, "zip CRC")
    # a contestant of the contest (its own team's submission), the public: no link, no archive
    check(api_get(alice, "%s/submissions/%d" % (base_path, s_before))["files"] == [], "alice sees files")
    check(api_get(public, "%s/submissions/%d" % (base_path, s_before))["files"] == [], "the public sees files")
    for who, c in (("team", alice), ("public", public)):
        r = c.get(url)
        check(r.status == 404 and r.error_code() == "not_found", "%s downloads sources: %r" % (who, r))
    # another contest's jury: the contest is public, but olga is not its jury
    srv.add_user("olga", "organizer", "olga-password-1")
    olga = login(srv, "olga", "olga-password-1")
    make_contest(olga, short_name="other1", start_time=int(time.time()) - 60, duration=3600, public=True)
    check(api_get(olga, "%s/submissions/%d" % (base_path, s_before))["files"] == [], "olga sees files")
    check(olga.get(url).status == 404, "another contest's jury downloads sources")
    check(olga.get("/api/contests/other1/submissions/%d/files" % s_before).status == 404,
          "sources through another contest")
    # the admin, jury everywhere: only through the submission's own contest, only counted submissions
    check(admin.get("/api/contests/other1/submissions/%d/files" % s_before).status == 404,
          "the admin gets sources through another contest")
    for bad in ("999999", "0", "abc", "-1"):
        r = admin.get("%s/submissions/%s/files" % (base_path, bad))
        check(r.status == 404, "files of submission %s: %r" % (bad, r))
    r = alice.post("/api/v1/submissions", {"contest": cid, "problem": pid, "language": "c", "samples_only": True,
                                           "files": [{"name": "try.c", "content": "int main(){}"}]})
    check(r.status == 201, "samples-only run: %r" % r)
    check(admin.get("%s/submissions/%d/files" % (base_path, r.json()["id"])).status == 404,
          "a run on samples has files")
    check(alice.get("%s/submissions/%d/files" % (base_path, r.json()["id"])).status == 404,
          "the owner downloads a run on samples")


CASES = {"icpc_contest": case_icpc_contest, "ioi_oi": case_ioi_oi, "contest_api": case_contest_api}


def main():
    global SCHEMAS
    ap = argparse.ArgumentParser()
    ap.add_argument("--crucible", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--schemas", default=None)
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    SCHEMAS = a.schemas
    base.CASES = {a.case: CASES[a.case]}
    sys.argv = [sys.argv[0], "--crucible", a.crucible, "--source-dir", a.source_dir, "--work", a.work, a.case]
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
