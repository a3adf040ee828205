#!/usr/bin/env python3
"""run_similarity_test.py: an assignment's similarity report (CTest e2e.web.similarity).

    run_similarity_test.py --crucible PATH --source-dir REPO --work DIR similarity

A teacher's course has an assignment whose problem comes with a template
(tests/web/similarity/template.c). Six students submit: alice the original
solution, mallory a planted copy of it (names changed, functions reordered),
bob and carol independent solutions, erin and frank nothing but the
template and a few lines. The report lists alice and mallory first (alice's
last judged submission, not her later unjudged one) and none of the
independent or template-only pairs; the pair view shows both sources and
matched line ranges. Only the course's staff (teacher, TA) and admins see
any of it: a student, another course's teacher and a stranger get 404.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
FIXTURES = os.path.join("tests", "web", "similarity")


def fixture(ctx, name):
    with open(os.path.join(ctx.src, FIXTURES, name)) as f:
        return f.read()


def create(client, path, body):
    r = client.post(path, body)
    check(r.status == 201, "POST %s: %r" % (path, r))
    return r.json()["id"]


def submit(client, pid, aid, content):
    r = client.post("/api/v1/submissions", {"problem": pid, "language": "c", "assignment": aid,
                                            "files": [{"name": "main.c", "content": content}]})
    check(r.status == 201, "submit: %r" % r)
    return r.json()["id"]


def judge_all(judge):
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return
        check(r.status == 200, "claim: %r" % r)
        r = judge.post("/api/v1/judge/jobs/%d/result" % r.json()["job"]["id"], base.fake_result("AC"))
        check(r.status == 200, "result: %r" % r)


def case_similarity(ctx):
    srv = ctx.server()
    srv.add_user("boss", "admin", "boss-password-1")
    srv.add_user("tina", "teacher", "tina-password-1")
    srv.add_user("olaf", "teacher", "olaf-password-1")
    students = ["alice", "mallory", "bob", "carol", "erin", "frank"]
    for name in students + ["tom", "stan"]:
        srv.add_user(name, "contestant", name + "-password-1")
    _, judge_token = srv.add_user("judge1", "judge")
    srv.start()
    c = {}
    for name in ["boss", "tina", "olaf", "tom", "stan"] + students:
        c[name] = srv.client()
        c[name].login(name, name + "-password-1")
    judge = srv.client(token=judge_token)
    anon = srv.client()
    tina = c["tina"]
    pid = base.upload_problem(ctx, srv, c["boss"])

    # tina's course: six students and a TA; an assignment with the template
    course = create(tina, "/api/v1/courses", {"title": "Algorithms 101"})
    for name in students:
        r = tina.post("/api/v1/courses/%d/members" % course, {"user": name, "role": "student"})
        check(r.status in (200, 201), "enrol %s: %r" % (name, r))
    r = tina.post("/api/v1/courses/%d/members" % course, {"user": "tom", "role": "ta"})
    check(r.status in (200, 201), "TA: %r" % r)
    now = int(time.time())
    aid = create(tina, "/api/v1/courses/%d/assignments" % course,
                 {"title": "Shortest paths", "open_time": now - 60, "due_time": now + 3600,
                  "problems": [{"problem": pid, "template": fixture(ctx, "template.c")}]})
    # olaf's course and assignment, with a submission of his own
    other_course = create(c["olaf"], "/api/v1/courses", {"title": "Other course"})
    other_aid = create(c["olaf"], "/api/v1/courses/%d/assignments" % other_course,
                       {"title": "Other", "open_time": now - 60, "due_time": now + 3600,
                        "problems": [{"problem": pid}]})
    olaf_sub = submit(c["olaf"], pid, other_aid, fixture(ctx, "copy_renamed.c"))

    files = {"alice": "original.c", "mallory": "copy_reordered.c", "bob": "indep_quadratic.c",
             "carol": "indep_indexed.c", "erin": "template_only_a.c", "frank": "template_only_b.c"}
    subs = {name: submit(c[name], pid, aid, fixture(ctx, f)) for name, f in files.items()}
    judge_all(judge)
    # alice's later submission is not judged yet: her judged one is compared
    later = submit(c["alice"], pid, aid, fixture(ctx, "indep_spfa.c"))
    check(later > subs["alice"], "ids grow")

    # the report: the planted pair first, nothing independent or template-only
    path = "/api/v1/assignments/%d/similarity?problem=%d" % (aid, pid)
    r = tina.get(path)
    check(r.status == 200, "report: %r" % r)
    rep = r.json()
    check(rep["problem"] == pid, "problem: %r" % rep)
    pairs = rep["pairs"]
    check(rep["total_pairs"] == len(pairs) and rep["truncated"] is False, "total_pairs: %r" % rep)
    check(pairs, "no pairs: %r" % rep)
    top = pairs[0]
    check({top["a"]["name"], top["b"]["name"]} == {"alice", "mallory"}, "first pair: %r" % top)
    side = {top["a"]["name"]: top["a"], top["b"]["name"]: top["b"]}
    check(side["alice"]["submission"] == subs["alice"] and side["mallory"]["submission"] == subs["mallory"],
          "the last judged submissions are compared: %r" % top)
    check(isinstance(side["alice"]["user"], int), "user ids: %r" % top)
    check(top["similarity"] >= 0.6 and top["matched_tokens"] > 100, "planted copy score: %r" % top)
    for p in pairs:
        names = {p["a"]["name"], p["b"]["name"]}
        check(p["similarity"] >= 0.2, "below the default min: %r" % p)
        check(not names & {"bob", "carol", "erin", "frank"}, "independent or template-only pair listed: %r" % p)
    sims = [p["similarity"] for p in pairs]
    check(sims == sorted(sims, reverse=True), "not sorted: %r" % sims)

    # min=0: every pair with anything in common; the template alone is not that
    r = tina.get(path + "&min=0")
    check(r.status == 200, "min=0: %r" % r)
    pairs0 = r.json()["pairs"]
    check(len(pairs0) >= len(pairs), "min=0 lists fewer: %r" % pairs0)
    for p in pairs0:
        names = {p["a"]["name"], p["b"]["name"]}
        if names != {"alice", "mallory"}:
            check(p["similarity"] <= 0.25, "an unplanted pair scores high: %r" % p)
        if names == {"erin", "frank"}:
            check(p["similarity"] <= 0.05, "the template counted: %r" % p)
    r = tina.get(path + "&min=1")
    check(r.status == 200 and all(p["similarity"] >= 1 for p in r.json()["pairs"]), "min=1: %r" % r)

    # the pair side by side
    pair_path = "/api/v1/assignments/%d/similarity/pair?a=%d&b=%d" % (aid, subs["alice"], subs["mallory"])
    r = tina.get(pair_path)
    check(r.status == 200, "pair: %r" % r)
    pv = r.json()
    check(pv["a"]["submission"] == subs["alice"] and pv["a"]["name"] == "alice" and pv["a"]["language"] == "c",
          "pair a: %r" % pv["a"])
    check(pv["a"]["source"] == fixture(ctx, "original.c"), "a's source")
    check(pv["b"]["source"] == fixture(ctx, "copy_reordered.c"), "b's source")
    la = pv["a"]["source"].count("\n") + 1
    lb = pv["b"]["source"].count("\n") + 1
    check(len(pv["regions"]) >= 3, "regions: %r" % pv["regions"])
    for g in pv["regions"]:
        check(1 <= g["a_start"] <= g["a_end"] <= la and 1 <= g["b_start"] <= g["b_end"] <= lb, "region %r" % g)
    # the template's part of the file (its first 40 lines) is no match
    check(all(g["a_end"] > 40 for g in pv["regions"]), "template lines matched: %r" % pv["regions"])

    # reading two students' sources is in the audit log
    entries = c["boss"].get("/api/v1/audit?limit=100").json()["entries"]
    views = [(e["actor"], e["target"], json.loads(e["detail"])) for e in entries if e["action"] == "similarity.view"]
    check(views == [("tina", "assignment %d" % aid, {"a": subs["alice"], "b": subs["mallory"]})],
          "audit of the pair view: %r" % views)
    # staff: the TA and an admin see it too
    for who in ("tom", "boss"):
        check(c[who].get(path).status == 200, "%s: report" % who)
        check(c[who].get(pair_path).status == 200, "%s: pair" % who)
    # everyone else: 404 (401 without an account), and no source in the answer
    secret = "heap_push"
    for who in ("alice", "mallory", "olaf", "stan"):
        for p in (path, pair_path):
            r = c[who].get(p)
            check(r.status == 404 and r.error_code() == "not_found", "%s %s: %r" % (who, p, r))
            check(secret.encode() not in r.body, "%s got a source" % who)
    check(anon.get(path).status == 401 and anon.get(pair_path).status == 401, "anonymous")

    # bad requests
    bad = [
        ("/api/v1/assignments/%d/similarity?problem=%d" % (aid + 999, pid), 404),
        ("/api/v1/assignments/%d/similarity?problem=%d" % (aid, pid + 999), 404),
        ("/api/v1/assignments/%d/similarity" % aid, 400),
        (path + "&min=2", 400),
        (path + "&min=abc", 400),
        (path + "&min=", 400),
        ("/api/v1/assignments/%d/similarity?problem=x" % aid, 400),
        (path + "&color=red", 400),
        ("/api/v1/assignments/%d/similarity/pair?a=%d" % (aid, subs["alice"]), 400),
        ("/api/v1/assignments/%d/similarity/pair?a=%d&b=%d" % (aid, subs["alice"], olaf_sub), 404),
        ("/api/v1/assignments/%d/similarity/pair?a=%d&b=%d" % (aid, subs["alice"] + 999, subs["bob"]), 404),
        ("/api/v1/assignments/%d/similarity/pair?a=-1&b=%d" % (aid, subs["bob"]), 400),
    ]
    for p, status in bad:
        r = tina.get(p)
        check(r.status == status, "%s: expected %d, got %r" % (p, status, r))
    # olaf sees his own assignment's report (one submission: no pairs)
    r = c["olaf"].get("/api/v1/assignments/%d/similarity?problem=%d" % (other_aid, pid))
    check(r.status == 200 and r.json()["pairs"] == [], "olaf's report: %r" % r)


CASES = {"similarity": case_similarity}


def main():
    base.CASES.clear()
    base.CASES.update(CASES)
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
