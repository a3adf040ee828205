#!/usr/bin/env python3
"""run_talent_test.py: end-to-end case for profiles, ratings and the talent
pool (web/api_talent.c, web/rating.c):

    run_talent_test.py --crucible PATH --source-dir REPO --work DIR talent

Three contests that have ended are scripted with the jury's `user` and
`time` submissions and a fake judge so that their final standings are those
of docs/ratings.md's worked example; the ratings must be the document's
numbers. An ignored submission then changes a standing, and the ratings must
follow (checked against an independent implementation of the documented
formula, below). Privacy: a user who never opted in, and one who opts out,
never appear in the ratings, the talent pool, its CSV or the profile API.
Exit status: 0 pass, 1 fail.
"""

import csv
import io
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402
import run_contest_test as ct  # noqa: E402
import run_scoreboard_test as sb  # noqa: E402

check = base.check
Fail = base.Fail


# ---- the documented formula, independently (docs/ratings.md) -------------------------------------------

def _p(ra, rb):
    return 1.0 / (1.0 + 10.0 ** ((rb - ra) / 400.0))


def _trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def rate_contest(parts):
    """parts: [(user, rank, old)] -> {user: new}."""
    n = len(parts)
    if n == 1:
        return {parts[0][0]: parts[0][2]}
    parts = sorted(parts)
    place = {u: sum(1 for (_, k2, _) in parts if k2 <= k) for (u, k, _) in parts}
    d = {}
    for (u, k, r) in parts:
        seed = 1.0 + sum(_p(r2, r) for (v, _, r2) in parts if v != u)
        mid = math.sqrt(seed * place[u])
        lo, hi = 1, 8000
        while hi - lo > 1:
            m = (lo + hi) // 2
            if 1.0 + sum(_p(r2, m) for (_, _, r2) in parts) < mid:
                hi = m
            else:
                lo = m
        d[u] = _trunc_div(lo - r, 2)
    inc = _trunc_div(-sum(d.values()), n) - 1
    d = {u: x + inc for u, x in d.items()}
    top = sorted(parts, key=lambda p: (-p[2], place[p[0]], p[0]))[:min(n, 4 * round(math.sqrt(n)))]
    inc = min(0, max(-10, _trunc_div(-sum(d[p[0]] for p in top), len(top))))
    return {u: r + d[u] + inc for (u, _, r) in parts}


def rate_all(contests):
    """contests: [[(user, rank)]] in order -> {user: rating}."""
    rating = {}
    for standings in contests:
        new = rate_contest([(u, k, rating.get(u, 1500)) for (u, k) in standings])
        rating.update(new)
    return rating


# ---- helpers ------------------------------------------------------------------------------------------------

def ratings(client):
    r = client.get("/api/v1/ratings")
    check(r.status == 200, "ratings: %r" % r)
    return {u["name"]: u for u in r.json()["users"]}


def profile(client, name, status=200):
    r = client.get("/api/v1/users/%s/profile" % name)
    check(r.status == status, "profile of %s: expected %d, got %r" % (name, status, r))
    return r.json().get("profile") if status == 200 else r


def talent(client, query=""):
    r = client.get("/api/v1/talent" + query)
    check(r.status == 200, "talent%s: %r" % (query, r))
    return {u["name"]: u for u in r.json()["users"]}


def talent_csv(client, query=""):
    r = client.get("/api/v1/talent.csv" + query)
    check(r.status == 200 and r.headers.get("content-type", "").startswith("text/csv"), "talent.csv: %r" % r)
    rows = list(csv.DictReader(io.StringIO(r.body.decode())))
    return {row["name"]: row for row in rows}


NAMES = {1: "alice", 2: "bob", 3: "carol", 4: "dave", 5: "erin"}


# ---- the case -----------------------------------------------------------------------------------------------

def case_talent(ctx):
    # alice, bob, carol, dave and erin play docs/ratings.md's Ana, Ben, Cai, Dan
    # and Eve; oscar (an organizer) opts in but never submits.
    srv, c, judge = ct.platform(ctx)
    anon, olga, boss = c["anon"], c["olga"], c["boss"]

    # two problems with tags
    pids = []
    for name, tags in (("sum-a", ["math", "greedy"]), ("sum-b", ["graphs"])):
        r = boss.post("/api/v1/problems?name=" + name, ctx.hello_sum_zip(), ctype="application/zip")
        check(r.status == 201, "upload: %r" % r)
        pid = r.json()["problem"]["id"]
        r = boss.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True, "tags": tags})
        check(r.status == 200, "publish and tag: %r" % r)
        pids.append(pid)
    pa, pb = pids

    # profiles: alice, bob, carol, dave opt in; erin never does; oscar (who never submits) does
    r = c["alice"].get("/api/v1/me/profile")
    check(r.status == 200 and r.json()["profile"]["public"] is False, "a new profile is private: %r" % r)
    for name, school, region in (("alice", "North High", "Tartu"), ("bob", "South High", "Tallinn"),
                                 ("carol", "North High", "Tallinn"), ("dave", "East College", "Narva"),
                                 ("oscar", "North High", "Tartu")):
        r = c[name].request("PATCH", "/api/v1/me/profile", {"public": True, "school": school, "region": region,
                                                             "bio": "Hi,\nI am %s." % name})
        check(r.status == 200 and r.json()["profile"]["public"] is True and r.json()["profile"]["school"] == school,
              "opt in %s: %r" % (name, r))
    r = c["erin"].request("PATCH", "/api/v1/me/profile", {"school": "North High", "region": "Tartu"})
    check(r.status == 200 and r.json()["profile"]["public"] is False, "erin's private profile: %r" % r)
    for bad in ({"public": 1}, {"school": "x" * 129}, {"region": "a\nb"}, {"bio": "x" * 4097}, {"nope": 1}):
        r = c["alice"].request("PATCH", "/api/v1/me/profile", bad)
        check(r.status == 400, "bad profile %r accepted: %r" % (bad, r))

    # Three contests that have ended, in order; the third is not rated yet. A
    # fourth, rated, is still running: it must not count.
    now = int(time.time())
    spans = [(now - 4 * 3600, 3600), (now - 3 * 3600 + 600, 3600), (now - 2 * 3600 + 1200, 3600),
             (now - 600, 7200)]
    cids = []
    for i, (start, dur) in enumerate(spans):
        r = olga.post("/api/v1/contests", {"short_name": "rated%d" % (i + 1), "title": "Rated %d" % (i + 1),
                                           "start_time": start, "duration": dur, "public": True,
                                           "rated": i != 2})
        check(r.status == 201 and r.json()["contest"]["rated"] is (i != 2), "create contest: %r" % r)
        cid = r.json()["id"]
        r = olga.request("PUT", "/api/v1/contests/%d/problems" % cid,
                         {"problems": [{"problem": pa, "label": "A"}, {"problem": pb, "label": "B"}]})
        check(r.status == 200, "problem set: %r" % r)
        for name in ("alice", "bob", "carol", "dave", "erin", "oscar"):
            r = olga.post("/api/v1/contests/%d/participants" % cid, {"user": name, "role": "participant"})
            check(r.status in (200, 201), "add %s: %r" % (name, r))
        cids.append(cid)
    check(boss.get("/api/v1/contests/%d" % cids[2]).json()["contest"]["rated"] is False, "unrated by default")

    # (contest, user, problem, minute, verdict)
    script = [
        # contest 1: alice 1st (2 solved), bob and carol tied 2nd, dave 4th (a wrong answer); oscar nothing
        (0, "alice", pa, 5, "AC"), (0, "alice", pb, 15, "AC"), (0, "bob", pa, 10, "AC"), (0, "carol", pa, 10, "AC"),
        (0, "dave", pa, 2, "WA"),
        # contest 2: bob, dave, alice, carol, erin (bob's B comes next)
        (1, "bob", pa, 5, "AC"), (1, "bob", pb, 10, "AC"), (1, "dave", pa, 5, "AC"), (1, "dave", pb, 20, "AC"),
        (1, "alice", pa, 10, "AC"), (1, "carol", pa, 20, "AC"), (1, "erin", pa, 3, "WA"),
        # contest 3: alice, carol, erin
        (2, "alice", pa, 5, "AC"), (2, "carol", pa, 10, "AC"), (2, "erin", pb, 10, "WA"),
        # contest 4 (running): dave wins
        (3, "dave", pa, 1, "AC"), (3, "alice", pa, 2, "WA"),
    ]
    verdicts, sids = {}, []
    for ci, user, pid, minute, verdict in script:
        sid = sb.on_behalf(olga, cids[ci], pid, user, spans[ci][0] + minute * 60)
        verdicts[sid] = verdict
        sids.append(sid)
    ben_b = sids[6]
    sb.judge_all(judge, verdicts)

    # The document's ratings after contests 1 and 2 (erin is rated but private).
    want2 = {"alice": 1569, "bob": 1588, "carol": 1433, "dave": 1485}
    rt = ratings(anon)
    check({n: u["rating"] for n, u in rt.items()} == want2, "ratings after two contests: %r" % rt)
    check(rt["alice"]["contests"] == 2 and rt["alice"]["max_rating"] == 1607, "alice's summary: %r" % rt["alice"])
    check(list(rt) == ["bob", "alice", "dave", "carol"], "ratings not sorted by rating: %r" % list(rt))

    # Contest 3 becomes rated: the document's final ratings.
    r = olga.request("PATCH", "/api/v1/contests/%d" % cids[2], {"rated": True})
    check(r.status == 200 and r.json()["contest"]["rated"] is True, "rate contest 3: %r" % r)
    want3 = {"alice": 1645, "bob": 1588, "carol": 1422, "dave": 1485}
    rt = ratings(anon)
    check({n: u["rating"] for n, u in rt.items()} == want3, "ratings after three contests: %r" % rt)

    # alice's public profile, as anyone sees it
    p = profile(anon, "alice")
    check(p["rating"] == 1645 and p["max_rating"] == 1645 and p["school"] == "North High"
          and p["bio"] == "Hi,\nI am alice.", "alice's profile: %r" % p)
    check([x["short_name"] for x in p["solved"]] == ["sum-a", "sum-b"], "alice's solved: %r" % p["solved"])
    check([(x["contest"], x["rank"], x["old_rating"], x["new_rating"]) for x in p["contests"]] ==
          [(cids[0], 1, 1500, 1607), (cids[1], 3, 1607, 1569), (cids[2], 1, 1569, 1645)],
          "alice's contests: %r" % p["contests"])
    check(p["contests"][0]["title"] == "Rated 1", "contest title: %r" % p["contests"][0])
    check([(h["contest"], h["rating"]) for h in p["rating_history"]] ==
          [(cids[0], 1607), (cids[1], 1569), (cids[2], 1645)], "alice's history: %r" % p["rating_history"])
    check(p["rating_history"][0]["time"] == spans[0][0] + spans[0][1], "history time: %r" % p["rating_history"])
    tags = {t["tag"]: (t["solved"], t["attempted"]) for t in p["tags"]}
    check(tags == {"math": (1, 1), "greedy": (1, 1), "graphs": (1, 1)}, "alice's tags: %r" % p["tags"])
    p = profile(anon, "dave")
    check([x["contest"] for x in p["contests"]] == cids[:2], "a running contest was rated: %r" % p["contests"])
    p = profile(c["oscar"], "oscar")
    check(p["rating"] is None and p["contests"] == [] and p["solved"] == [], "oscar is unrated: %r" % p)

    # A change to a final standing changes the ratings at once: the jury
    # ignores bob's B in contest 2, so dave wins it and bob is second.
    r = olga.post("/api/v1/submissions/%d/ignore" % ben_b, {"ignored": True})
    check(r.status == 200, "ignore: %r" % r)
    ranks = [[(1, 1), (2, 2), (3, 2), (4, 4)], [(2, 2), (4, 1), (1, 3), (3, 4), (5, 5)], [(1, 1), (3, 2), (5, 3)]]
    want = rate_all(ranks)
    expect = {NAMES[u]: v for u, v in want.items() if u != 5}
    check(expect != want3, "the ignore should matter")
    rt = ratings(anon)
    check({n: u["rating"] for n, u in rt.items()} == expect, "ratings after the ignore: %r, want %r" % (rt, expect))
    p = profile(anon, "bob")
    check([x["rank"] for x in p["contests"]] == [2, 2], "bob's ranks after the ignore: %r" % p["contests"])
    tags = {t["tag"]: (t["solved"], t["attempted"]) for t in p["tags"]}
    check(tags == {"math": (1, 1), "greedy": (1, 1)}, "bob's tags without the ignored B: %r" % p["tags"])
    # ... and back
    r = olga.post("/api/v1/submissions/%d/ignore" % ben_b, {"ignored": False})
    check(r.status == 200, "unignore: %r" % r)
    check({n: u["rating"] for n, u in ratings(anon).items()} == want3, "ratings after the unignore")

    # Privacy: erin never opted in. Her rating exists (it moved the others') but
    # nobody but she and the admin sees it.
    for who in (anon, olga, c["alice"]):
        r = profile(who, "erin", 404)
        check("1356" not in r.body.decode() and "North High" not in r.body.decode(), "erin leaks: %r" % r)
    p = profile(c["erin"], "erin")
    check(p["rating"] == 1356 and p["public"] is False, "erin sees her own profile: %r" % p)
    check(profile(boss, "erin")["rating"] == 1356, "the admin sees erin's profile")
    profile(anon, "nobody-such", 404)
    for who in (anon, olga):
        check("erin" not in ratings(who), "erin in the ratings")
    pool = talent(olga)
    check(set(pool) == {"alice", "bob", "carol", "dave", "oscar"}, "talent pool: %r" % sorted(pool))
    check(list(pool)[:4] == ["alice", "bob", "dave", "carol"] and pool["oscar"]["rating"] is None,
          "talent order: %r" % list(pool))
    check(pool["alice"]["solved"] == 2 and pool["alice"]["school"] == "North High" and pool["alice"]["last_active"] > 0,
          "alice in the pool: %r" % pool["alice"])
    check("erin" not in talent_csv(olga) and "erin" not in talent(boss), "erin in the talent pool")

    # filters
    check(set(talent(olga, "?min_rating=1500")) == {"alice", "bob"}, "min_rating")
    check(set(talent(olga, "?max_rating=1490")) == {"dave", "carol"}, "max_rating")
    check(set(talent(olga, "?tag=graphs")) == {"alice", "bob", "dave"}, "tag: %r" % sorted(talent(olga, "?tag=graphs")))
    check(set(talent(olga, "?school=north")) == {"alice", "carol", "oscar"}, "school")
    check(set(talent(olga, "?region=TALLINN&school=south")) == {"bob"}, "region and school")
    check(set(talent(olga, "?active_days=1")) == {"alice", "bob", "carol", "dave"}, "active_days")
    check(len(talent(olga, "?limit=2")) == 2, "limit")
    for bad in ("?min_rating=abc", "?limit=0", "?limit=1001", "?active_days=-1", "?max_rating=1e9", "?tag=" + "x" * 40,
                "?nope=1"):
        r = olga.get("/api/v1/talent" + bad)
        check(r.status == 400, "bad query %s: %r" % (bad, r))

    # contestants and strangers never reach the pool
    for who in (c["alice"], c["erin"], judge):
        for path in ("/api/v1/talent", "/api/v1/talent.csv"):
            r = who.get(path)
            check(r.status in (403, 404), "%s for a contestant: %r" % (path, r))
    for path in ("/api/v1/talent", "/api/v1/talent.csv"):
        check(anon.get(path).status == 401, "%s anonymous" % path)

    # Who looked: olga viewed alice's profile and exported the pool; anonymous views
    # count with no name; alice's own views and the admin's listing do not log exports.
    r = c["alice"].get("/api/v1/me/profile/views")
    check(r.status == 200, "views: %r" % r)
    views = [(v["viewer"], v["kind"]) for v in r.json()["views"]]
    check(("olga", "export") in views, "olga's export not logged: %r" % views)
    check((None, "view") in views, "the anonymous view not logged: %r" % views)
    check(not any(v == "alice" for v, _ in views), "alice's own views logged: %r" % views)
    n_before = len(views)
    profile(olga, "alice")
    views = [(v["viewer"], v["kind"]) for v in c["alice"].get("/api/v1/me/profile/views").json()["views"]]
    check(views[0] == ("olga", "view") and len(views) == n_before + 1, "olga's view: %r" % views)
    profile(olga, "alice")
    check(len(c["alice"].get("/api/v1/me/profile/views").json()["views"]) == n_before + 1,
          "a repeated view within the hour logged twice")
    rows = talent_csv(olga, "?school=north")
    check(set(rows) == {"alice", "carol", "oscar"} and rows["alice"]["rating"] == "1645" and rows["oscar"]["rating"] == ""
          and rows["alice"]["solved"] == "2", "csv: %r" % rows)
    exports = [v for v in c["carol"].get("/api/v1/me/profile/views").json()["views"] if v["kind"] == "export"]
    check(len(exports) == 2 and exports[0]["viewer"] == "olga", "carol's exports: %r" % exports)
    check(len([v for v in c["bob"].get("/api/v1/me/profile/views").json()["views"] if v["kind"] == "export"]) == 1,
          "bob was not in the second export")
    views = [(v["viewer"], v["kind"]) for v in c["erin"].get("/api/v1/me/profile/views").json()["views"]]
    check(views == [("boss", "view")], "erin's views: only the admin saw her profile: %r" % views)

    # Revoking hides at once, everywhere.
    r = c["dave"].request("PATCH", "/api/v1/me/profile", {"public": False})
    check(r.status == 200 and r.json()["profile"]["public"] is False, "opt out: %r" % r)
    profile(anon, "dave", 404)
    profile(olga, "dave", 404)
    check("dave" not in ratings(anon) and "dave" not in talent(olga) and "dave" not in talent_csv(olga),
          "dave still listed after opting out")
    check(profile(c["dave"], "dave")["rating"] == 1485, "dave sees his own profile")
    srv.stop()


CASES = {"talent": case_talent}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
