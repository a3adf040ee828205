#!/usr/bin/env python3
"""run_course_test.py: end-to-end cases for courses (web/api_courses.c and the
assignment parts of web/api_submissions.c):

    run_course_test.py --crucible PATH --source-dir REPO --work DIR CASE

course_semester: a semester in miniature: a roster, two assignments with
late rules, submissions before and after the due time and with an extension
(dated by the teacher's `time`), best and last counting, a test fix and
rejudge, and a gradebook whose CSV matches totals computed by hand below.
course_access: join codes, roster errors that leave nothing, 404s to
non-members, students' grades, feedback visibility (all, samples, after_due).
Verdicts come from a fake judge through the judge protocol. Exit status: 0
pass, 1 fail.
"""

import csv
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
Fail = base.Fail

DAY, HOUR = 86400, 3600


def platform(ctx):
    """A server with an admin, a teacher, two contestants and a judge;
    returns (srv, clients by name, judge client)."""
    srv = ctx.server()
    users = {"boss": "admin", "tina": "teacher", "zed": "contestant", "yan": "contestant", "otto": "contestant"}
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


def upload(ctx, admin, name, publish=True):
    r = admin.post("/api/v1/problems?name=" + name, ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload %s: %r" % (name, r))
    pid = r.json()["problem"]["id"]
    if publish:
        check(admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True}).status == 200, "publish")
    return pid


def result(verdict, score, max_score):
    """A judge's result with a sample and a secret test."""
    tests = [{"name": "sample/01", "group": "sample", "verdict": verdict, "time_seconds": 0.01,
              "memory_bytes": 1 << 20, "score": 0, "message": ""},
             {"name": "secret/01", "group": "secret", "verdict": verdict, "time_seconds": 0.01,
              "memory_bytes": 1 << 20, "score": 0, "message": "secret detail"}]
    return {"verdict": verdict, "score": score, "max_score": max_score, "time_seconds": 0.02,
            "memory_bytes": 2 << 20, "compile_output": "", "message": "", "cpu_seconds_total": 0.1,
            "tests": tests}


def judge_all(judge, results):
    """Claims every queued job and gives it results[submission] (default AC 1/1)."""
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        res = results.get(job["submission_id"], ("AC", 1, 1))
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], result(*res))
        check(r.status == 200, "result: %r" % r)


def submission(problem, assignment=None, **kw):
    body = {"problem": problem, "language": "c", "files": [{"name": "a.c", "content": "int main(void){return 0;}"}]}
    if assignment is not None:
        body["assignment"] = assignment
    body.update(kw)
    return body


def submit(client, problem, assignment, **kw):
    r = client.post("/api/v1/submissions", submission(problem, assignment, **kw))
    check(r.status == 201, "submit %r: %r" % (kw, r))
    return r.json()["id"]


def new_course(client, **kw):
    body = {"title": "Programming 1"}
    body.update(kw)
    r = client.post("/api/v1/courses", body)
    check(r.status == 201, "create course: %r" % r)
    return r.json()["id"]


# ---- cases ----------------------------------------------------------------------------------------------

def case_course_semester(ctx):
    """The issue's semester; the totals are computed by hand in the comments."""
    srv, c, judge = platform(ctx)
    boss, tina = c["boss"], c["tina"]
    p1, p2 = upload(ctx, boss, "sum-one"), upload(ctx, boss, "sum-two")
    cid = new_course(tina, description="A first course")

    # the roster: three students, accounts created (username = the student number)
    roster = "student_number,name,class\ns001,Ann Archer,A\ns002,\"Ben, Jr.\",B\ns003,Cat Cole,A\n"
    r = tina.post("/api/v1/courses/%d/roster" % cid, roster, ctype="text/csv")
    check(r.status == 200 and r.json()["enrolled"] == 3, "roster: %r" % r)
    created = {x["student_number"]: x for x in r.json()["created"]}
    check(set(created) == {"s001", "s002", "s003"} and all(len(x["password"]) >= 8 for x in created.values()),
          "created accounts: %r" % created)
    st = {}
    for num in ("s001", "s002", "s003"):
        st[num] = srv.client()
        st[num].login(created[num]["name"], created[num]["password"])
    members = tina.get("/api/v1/courses/%d/members" % cid).json()["members"]
    check([(m["name"], m["role"], m["class"]) for m in members] ==
          [("tina", "teacher", ""), ("s001", "student", "A"), ("s002", "student", "B"), ("s003", "student", "A")],
          "members: %r" % members)
    course = st["s001"].get("/api/v1/courses/%d" % cid).json()["course"]
    check(course["my_role"] == "student" and course["students"] == 3 and "join_code" not in course,
          "a student's view of the course: %r" % course)

    # T0: ten days ago, less an hour (so "now" stays inside whole days of lateness)
    now = int(time.time())
    t0 = now - 10 * DAY + HOUR
    far = now + DAY
    # Lab 1: due T0+3d, late until tomorrow, 10 % per started day, best; P1 100 points, P2 50
    r = tina.post("/api/v1/courses/%d/assignments" % cid, {
        "title": "Lab 1", "open_time": t0, "due_time": t0 + 3 * DAY, "late_until": far,
        "late_rule": {"kind": "percent_per_day", "value": 10}, "counting": "best",
        "problems": [{"problem": p1, "points": 100}, {"problem": p2, "points": 50, "feedback": "samples"}]})
    check(r.status == 201, "Lab 1: %r" % r)
    a1 = r.json()["id"]
    # Lab 2: due T0+5d, late until tomorrow, x0.9 per started hour, last; P1 40 points
    r = tina.post("/api/v1/courses/%d/assignments" % cid, {
        "title": "Lab 2", "open_time": t0, "due_time": t0 + 5 * DAY, "late_until": far,
        "late_rule": {"kind": "coefficient_per_hour", "value": 0.9}, "counting": "last",
        "problems": [{"problem": p1, "points": 40}]})
    check(r.status == 201, "Lab 2: %r" % r)
    a2 = r.json()["id"]
    # Cat's extension on Lab 1: due T0+6d
    r = tina.request("PUT", "/api/v1/assignments/%d/extensions" % a1,
                     {"user": "s003", "due_time": t0 + 6 * DAY, "late_until": far})
    check(r.status == 200, "extension: %r" % r)
    got = st["s003"].get("/api/v1/assignments/%d" % a1).json()["assignment"]
    check(got["my_due_time"] == t0 + 6 * DAY and got["due_time"] == t0 + 3 * DAY and len(got["problems"]) == 2,
          "Cat's assignment: %r" % got)

    res = {}

    def dated(num, problem, assignment, when, outcome):
        sid = submit(tina, problem, assignment, user=num, time=when)
        res[sid] = outcome
        return sid

    # Lab 1 (10 %/day, best):
    #   Ann P1 at T0+1d: 40/100 -> 40; at T0+3d+1h (1 started day late, x0.9): 100/100 -> 90; best 90
    #   Ann P2 at T0+2d: AC -> 50.                                            Ann: 90 + 50 = 140
    dated("s001", p1, a1, t0 + 1 * DAY, ("WA", 40, 100))
    dated("s001", p1, a1, t0 + 3 * DAY + HOUR, ("AC", 100, 100))
    dated("s001", p2, a1, t0 + 2 * DAY, ("AC", 100, 100))
    #   Ben P1 at T0+4d+2h (1d2h late: 2 started days, x0.8): AC -> 80
    #   Ben P2 now, sent himself (7d - 1h + a few s late: 7 started days, x0.3): AC -> 15.  Ben: 95
    dated("s002", p1, a1, t0 + 4 * DAY + 2 * HOUR, ("AC", 1, 1))
    ben_p2 = submit(st["s002"], p2, a1)
    #   Cat (due T0+6d) P1 at T0+5d: 70/100 -> 70; P2 at T0+7d (exactly one day late, x0.9):
    #   WA 0/1 at first -> 0 (Cat: 70); after the test fix AC -> 45.         Cat: 115
    dated("s003", p1, a1, t0 + 5 * DAY, ("WA", 70, 100))
    cat_p2 = dated("s003", p2, a1, t0 + 7 * DAY, ("WA", 0, 1))
    # Lab 2 (x0.9/hour, last):
    #   Ann P1 at T0+4d: AC -> 40; then at T0+5d+2h30m (3 started hours, x0.729): 50/100 -> 14.58;
    #   last counts.                                                          Ann: 14.58
    dated("s001", p1, a2, t0 + 4 * DAY, ("AC", 1, 1))
    dated("s001", p1, a2, t0 + 5 * DAY + 2 * HOUR + 30 * 60, ("WA", 50, 100))
    #   Ben P1 at T0+5d+1s (1 started hour, x0.9): AC -> 36.                  Ben: 36; Cat: 0
    dated("s002", p1, a2, t0 + 5 * DAY + 1, ("AC", 1, 1))
    judge_all(judge, res)

    # refused: after late_until, a problem not in the assignment, both contest and assignment
    r = tina.post("/api/v1/submissions", submission(p1, a1, user="s001", time=far + 1))
    check(r.status == 403 and r.error_code() == "assignment_closed", "after late_until: %r" % r)
    r = st["s001"].post("/api/v1/submissions", submission(p2, a2))
    check(r.status == 422 and r.error_code() == "unknown_problem", "a problem not in Lab 2: %r" % r)
    r = st["s001"].post("/api/v1/submissions", submission(p1, a1, contest=1))
    check(r.status == 400, "contest and assignment: %r" % r)
    r = st["s001"].post("/api/v1/submissions", submission(p1, a1, user="s002"))
    check(r.status == 403, "a student submitting for another: %r" % r)
    s = st["s002"].get("/api/v1/submissions/%d" % ben_p2).json()["submission"]
    check(s["assignment"] == a1 and s["verdict"] == "AC", "Ben's own submission: %r" % s)

    def gradebook():
        r = tina.get("/api/v1/courses/%d/gradebook.csv" % cid)
        check(r.status == 200 and r.headers["content-type"].startswith("text/csv"), "gradebook.csv: %r" % r)
        return list(csv.reader(io.StringIO(r.body.decode())))

    rows = gradebook()
    check(rows[0] == ["student_number", "name", "class", "Lab 1", "Lab 2", "total"], "header: %r" % rows[0])
    check(rows[1:] == [["s001", "Ann Archer", "A", "140.00", "14.58", "154.58"],
                       ["s002", "Ben, Jr.", "B", "95.00", "36.00", "131.00"],
                       ["s003", "Cat Cole", "A", "70.00", "0.00", "70.00"]], "gradebook before the fix: %r" % rows)

    # the test fix: P2's tests were wrong; the admin rejudges P2 and Cat's submission passes now
    r = boss.post("/api/v1/rejudgings", {"problem": p2})
    check(r.status in (200, 201), "rejudge: %r" % r)
    res[cat_p2] = ("AC", 1, 1)
    judge_all(judge, res)
    rows = gradebook()
    check(rows[1:] == [["s001", "Ann Archer", "A", "140.00", "14.58", "154.58"],
                       ["s002", "Ben, Jr.", "B", "95.00", "36.00", "131.00"],
                       ["s003", "Cat Cole", "A", "115.00", "0.00", "115.00"]], "gradebook after the fix: %r" % rows)

    # the JSON gradebook and one assignment's grades agree
    gb = tina.get("/api/v1/courses/%d/gradebook" % cid).json()
    check([(a["title"], a["max"]) for a in gb["assignments"]] == [("Lab 1", 150), ("Lab 2", 40)],
          "assignments: %r" % gb["assignments"])
    check([(x["name"], x["grades"], x["total"]) for x in gb["students"]] ==
          [("s001", [140, 14.58], 154.58), ("s002", [95, 36], 131), ("s003", [115, 0], 115)],
          "gradebook JSON: %r" % gb["students"])
    g = tina.get("/api/v1/assignments/%d/grades" % a1).json()["students"]
    cat = [x for x in g if x["name"] == "s003"][0]
    check([(p["grade"], p["late_factor"]) for p in cat["problems"]] == [(70, 1), (45, 0.9)], "Cat: %r" % cat)
    mine = st["s002"].get("/api/v1/assignments/%d/grades" % a1).json()["students"]
    check(len(mine) == 1 and mine[0]["name"] == "s002" and mine[0]["total"] == 95, "Ben's own grades: %r" % mine)
    srv.stop()


def case_course_access(ctx):
    """Join codes, roster errors, 404s to non-members, grades and feedback visibility."""
    srv, c, judge = platform(ctx)
    boss, tina, zed, yan = c["boss"], c["tina"], c["zed"], c["yan"]
    p1, p2, p3 = upload(ctx, boss, "fb-all"), upload(ctx, boss, "fb-samples"), upload(ctx, boss, "fb-after")
    hidden_problem = upload(ctx, boss, "not-published", publish=False)

    # creating: teachers yes, contestants no; join codes
    check(zed.post("/api/v1/courses", {"title": "Mine"}).status == 403, "a contestant creates a course")
    cid = new_course(tina, join_code="JOIN-me_1")
    check(tina.post("/api/v1/courses", {"title": "Again", "join_code": "JOIN-me_1"}).status == 409, "code taken")
    check(tina.post("/api/v1/courses", {"title": "Bad", "join_code": "no"}).status == 400, "short code")
    check(tina.post("/api/v1/courses", {"title": "Bad", "bogus": 1}).status == 400, "unknown field")
    other = new_course(tina, title="Other course")
    code = tina.get("/api/v1/courses/%d" % other).json()["course"]["join_code"]
    check(len(code) >= 4, "a generated code: %r" % code)
    r = zed.post("/api/v1/courses/join", {"code": "JOIN-me_2"})
    check(r.status == 404 and r.error_code() == "unknown_code", "a wrong code: %r" % r)
    r = zed.post("/api/v1/courses/join", {"code": "JOIN-me_1"})
    check(r.status == 200 and r.json()["course"] == cid, "join: %r" % r)
    check(zed.get("/api/v1/courses/%d" % cid).json()["course"]["my_role"] == "student", "zed is a student")
    check([x["id"] for x in zed.get("/api/v1/courses").json()["courses"]] == [cid], "zed's courses")
    check(len(boss.get("/api/v1/courses").json()["courses"]) == 2, "admins list all courses")

    # roster errors leave nothing: no account, no enrolment
    bad = "student_number,name,class\nx100,Good Row,A\n,No Number,A\nx100,Same Number,B\nx102,,C\n"
    r = tina.post("/api/v1/courses/%d/roster" % cid, bad, ctype="text/csv")
    check(r.status == 400 and r.error_code() == "invalid_csv", "bad roster: %r" % r)
    lines = sorted(set(x["line"] for x in r.json()["error"]["rows"]))
    check(lines == [3, 4, 5], "bad lines: %r" % lines)
    names = [u["name"] for u in boss.get("/api/v1/users").json()["users"]]
    check("x100" not in names, "an account from a refused roster: %r" % names)
    members = tina.get("/api/v1/courses/%d/members" % cid).json()["members"]
    check([m["name"] for m in members] == ["tina", "zed"], "members after a refused roster: %r" % members)
    r = tina.post("/api/v1/courses/%d/roster" % cid, "name,class\nA,B\n", ctype="text/csv")
    check(r.status == 400, "a roster without student numbers: %r" % r)
    r = tina.post("/api/v1/courses/%d/roster" % cid, "student_number,name,username\nx200,Yan Y,yan\n",
                  ctype="text/csv")
    check(r.status == 200 and r.json()["enrolled"] == 1 and r.json()["created"] == [], "enrol yan: %r" % r)

    # a unit, a lesson embedding a problem
    r = tina.post("/api/v1/courses/%d/units" % cid, {"title": "Week 1"})
    unit = r.json()["id"]
    md = "# Sums\n\nAdd $a+b$.\n\n{{problem:fb-all}}\n\n<script>x</script>\n\n```\n{{problem:fb-all}}\n```\n"
    # the editor's preview renders without storing anything
    r = tina.post("/api/v1/courses/%d/lessons/preview" % cid, {"markdown": md})
    check(r.status == 200, "preview: %r" % r)
    pv = r.json()
    check("embedded-problem" in pv["html"] and "<script>" not in pv["html"] and "\\(a+b\\)" in pv["html"]
          and [x["short_name"] for x in pv["problems"]] == ["fb-all"], "preview: %r" % pv)
    check(zed.post("/api/v1/courses/%d/lessons/preview" % cid, {"markdown": "x"}).status == 403, "a student previews")
    check(c["otto"].post("/api/v1/courses/%d/lessons/preview" % cid, {"markdown": "x"}).status == 404,
          "a non-member previews")
    r = tina.post("/api/v1/courses/%d/lessons/preview" % cid, {"markdown": "x" * (257 << 10)})
    check(r.status == 413, "a huge preview: %r" % r)
    check(tina.post("/api/v1/courses/%d/lessons/preview" % cid, {"markdown": 5}).status == 400, "not text")
    check(tina.get("/api/v1/courses/%d/units" % cid).json()["units"][0]["lessons"] == [], "a preview stored a lesson")
    r = tina.post("/api/v1/courses/%d/lessons" % cid, {"unit": unit, "title": "Adding", "markdown": md})
    check(r.status == 201, "lesson: %r" % r)
    lesson = r.json()["id"]
    check(zed.get("/api/v1/lessons/%d" % lesson).json()["lesson"]["html"] == pv["html"], "preview = the lesson")
    x = zed.get("/api/v1/lessons/%d" % lesson).json()["lesson"]
    check('<a class="embedded-problem" href="/problems/%d">' % p1 in x["html"] and "<script>" not in x["html"]
          and x["problems"] == [{"problem": p1, "short_name": "fb-all", "title": x["problems"][0]["title"]}]
          and "{{problem:fb-all}}" in x["html"], "lesson html: %r" % x)
    units = zed.get("/api/v1/courses/%d/units" % cid).json()["units"]
    check(units[0]["lessons"][0]["id"] == lesson, "units: %r" % units)

    # assignments: a teacher may not use another's unpublished problem
    now = int(time.time())
    body = {"title": "Feedback", "unit": unit, "open_time": now - 60, "due_time": now + 3600,
            "problems": [{"problem": p1}, {"problem": p2, "feedback": "samples"},
                         {"problem": p3, "feedback": "after_due"}]}
    r = tina.post("/api/v1/courses/%d/assignments" % cid, dict(body, problems=[{"problem": hidden_problem}]))
    check(r.status == 422 and r.error_code() == "unknown_problem", "an unpublished problem: %r" % r)
    r = tina.post("/api/v1/courses/%d/assignments" % cid, dict(body, due_time=now - 120))
    check(r.status == 400, "due before open: %r" % r)
    r = tina.post("/api/v1/courses/%d/assignments" % cid, body)
    check(r.status == 201, "assignment: %r" % r)
    aid = r.json()["id"]
    r = tina.post("/api/v1/courses/%d/assignments" % cid, dict(body, title="Later", open_time=now + 3600,
                                                              due_time=now + 7200))
    later = r.json()["id"]
    got = zed.get("/api/v1/assignments/%d" % later).json()["assignment"]
    check(got["problems"] == [], "problems of an unopened assignment: %r" % got)
    r = zed.post("/api/v1/submissions", submission(p1, later))
    check(r.status == 403 and r.error_code() == "assignment_not_open", "not open: %r" % r)

    # an assignment's problem page: members once it opens, even when the
    # problem is not (or no longer) published in the archive
    r = boss.request("PATCH", "/api/v1/problems/%d" % p1, {"published": False})
    check(r.status == 200, "unpublish: %r" % r)
    check(zed.get("/api/v1/problems/%d" % p1).status == 404, "an unpublished problem in the archive")
    r = zed.get("/api/v1/assignments/%d/problems/%d" % (aid, p1))
    check(r.status == 200, "the assignment's problem page: %r" % r)
    x = r.json()["problem"]
    check(x["problem"] == p1 and x["points"] == 100 and x["feedback"] == "all" and x["statement_html"]
          and isinstance(x["samples"], list) and x["samples"] and x["time_limit"] > 0, "problem page: %r" % x)
    check(zed.get("/api/v1/assignments/%d/problems/%d" % (later, p1)).status == 404, "before it opens")
    check(tina.get("/api/v1/assignments/%d/problems/%d" % (later, p1)).status == 200, "staff before it opens")
    check(zed.get("/api/v1/assignments/%d/problems/%d" % (aid, hidden_problem)).status == 404, "not in it")
    check(c["otto"].get("/api/v1/assignments/%d/problems/%d" % (aid, p1)).status == 404, "a non-member")
    r = boss.request("PATCH", "/api/v1/problems/%d" % p1, {"published": True})
    check(r.status == 200, "publish again: %r" % r)

    # non-members: 404 everywhere (and submitting is not_enrolled)
    for who, cl in (("a contestant", c["otto"]), ("anon", c["anon"])):
        if who != "anon":
            r = cl.post("/api/v1/submissions", submission(p1, aid))
            check(r.status == 403 and r.error_code() == "not_enrolled", "an outsider submits: %r" % r)
        for path in ["/api/v1/courses/%d" % cid, "/api/v1/courses/%d/units" % cid, "/api/v1/lessons/%d" % lesson,
                     "/api/v1/courses/%d/assignments" % cid, "/api/v1/assignments/%d" % aid,
                     "/api/v1/assignments/%d/grades" % aid, "/api/v1/courses/%d/gradebook" % cid]:
            r = cl.get(path)
            check(r.status == (404 if who != "anon" else 401), "%s GET %s: %r" % (who, path, r))
    # students: not the members, gradebook, extensions; no changes
    for path in ["/api/v1/courses/%d/members" % cid, "/api/v1/courses/%d/gradebook" % cid,
                 "/api/v1/courses/%d/gradebook.csv" % cid, "/api/v1/assignments/%d/extensions" % aid]:
        check(zed.get(path).status == 403, "a student GET %s" % path)
    check(zed.request("PATCH", "/api/v1/courses/%d" % cid, {"title": "x"}).status == 403, "a student PATCHes")
    check(zed.request("DELETE", "/api/v1/lessons/%d" % lesson).status == 403, "a student deletes a lesson")

    # submissions, each judged with a sample and a secret test
    subs = {}
    for who, cl in (("zed", zed), ("yan", yan)):
        for p in (p1, p2, p3):
            subs[(who, p)] = submit(cl, p, aid)
    judge_all(judge, {})

    def view(cl, who, p):
        r = cl.get("/api/v1/submissions/%d" % subs[(who, p)])
        check(r.status == 200, "view: %r" % r)
        return r.json()["submission"]

    s = view(zed, "zed", p1)
    check(s["verdict"] == "AC" and [t["name"] for t in s["tests"]] == ["sample/01", "secret/01"], "all: %r" % s)
    s = view(zed, "zed", p2)
    check(s["verdict"] == "AC" and [t["name"] for t in s["tests"]] == ["sample/01"], "samples: %r" % s)
    s = view(zed, "zed", p3)
    check(s["verdict"] is None and s["hidden"] is True and s["tests"] is None and s["score"] is None,
          "after_due, before the due time: %r" % s)
    listed = {x["id"]: x for x in zed.get("/api/v1/submissions").json()["submissions"]}
    check(listed[subs[("zed", p3)]]["verdict"] is None and listed[subs[("zed", p1)]]["verdict"] == "AC",
          "after_due in the list: %r" % listed)
    s = view(tina, "zed", p3)
    check(s["verdict"] == "AC" and len(s["tests"]) == 2, "the teacher sees all: %r" % s)
    check(yan.get("/api/v1/submissions/%d" % subs[("zed", p1)]).status == 404, "another student's submission")
    # students see only their own grades
    g = zed.get("/api/v1/assignments/%d/grades" % aid).json()["students"]
    check([x["name"] for x in g] == ["zed"] and g[0]["total"] == 300, "zed's grades: %r" % g)
    g = tina.get("/api/v1/assignments/%d/grades" % aid).json()["students"]
    check(sorted(x["name"] for x in g) == ["yan", "zed"], "the teacher's grades: %r" % g)
    # an extension for yan keeps after_due hidden for yan once zed's due time passed
    r = tina.request("PUT", "/api/v1/assignments/%d/extensions" % aid, {"user": "yan", "due_time": now + 7200})
    check(r.status == 200, "extension: %r" % r)
    r = tina.request("PATCH", "/api/v1/assignments/%d" % aid, {"due_time": now - 30})
    check(r.status == 200, "move the due time: %r" % r)
    s = view(zed, "zed", p3)
    check(s["verdict"] == "AC" and s["hidden"] is False and len(s["tests"]) == 2, "after_due, after it: %r" % s)
    s = view(yan, "yan", p3)
    check(s["verdict"] is None and s["hidden"] is True, "after_due with an extension: %r" % s)
    r = tina.request("PUT", "/api/v1/assignments/%d/extensions" % aid, {"user": "tina", "due_time": now})
    check(r.status == 422, "an extension for a non-student: %r" % r)
    # members: removal; removed students see nothing more
    uid = [m["user"] for m in tina.get("/api/v1/courses/%d/members" % cid).json()["members"] if m["name"] == "yan"]
    check(tina.request("DELETE", "/api/v1/courses/%d/members/%d" % (cid, uid[0])).status == 204, "remove yan")
    check(yan.get("/api/v1/courses/%d" % cid).status == 404, "a removed student")
    check(zed.get("/api/v1/courses/%d" % other).status == 404, "a course zed is not in")
    srv.stop()


CASES = {
    "course_semester": case_course_semester,
    "course_access": case_course_access,
}


if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
