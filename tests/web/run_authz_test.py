#!/usr/bin/env python3
"""run_authz_test.py: the authorization matrix: every endpoint of the route
table in web/server.c called by every kind of caller.

    run_authz_test.py --crucible PATH --source-dir REPO --work DIR authz

How this works: the test reads the route table from web/server.c, so an
endpoint added without an entry in MATRIX below fails the test. Each entry
gives a concrete request (path and body, built from a fixture: a private,
running, frozen ICPC contest with a jury, two participants, a problem that
is not published and a judged submission) and the callers allowed to make
it. Every caller then makes it, denied callers first: a denied caller must
get 401, 403 or 404 and change nothing; an allowed one must get anything
else (a 400 or 409 is fine: the request got past authorization). On top of
the status, every response a caller received is searched for what that
caller must never see: another's source, secret test data, the frozen
verdict of someone else's submission, a password hash, a token.

Callers: anon (no credentials), alice and bob (participants of the
contest), carol (a contestant who is not), oscar (an organizer who is not
the contest's jury), olga (the organizer who made the contest: its jury),
boss (admin), judge (a judge account's API token).
"""

import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
Fail = base.Fail

CALLERS = ["anon", "alice", "bob", "carol", "oscar", "olga", "boss", "judge"]
EVERYONE = set(CALLERS)
USERS = EVERYONE - {"anon"}
PEOPLE = USERS - {"judge"}
STAFF = {"oscar", "olga", "boss"}
JURY = {"olga", "boss"}
CONTEST = {"alice", "bob", "olga", "boss"}       # who may see the private contest
ADMIN = {"boss"}

ALICE_MARK = "alice-private-marker-7f3a"          # in alice's source only
DENIED = (401, 403, 404)
# A submission naming a contest or problem the caller may not see is refused
# as if it did not exist (422, like a wrong id in a body), leaking nothing.
DENIED_CODES = ("unknown_contest", "unknown_problem")


def denied(r):
    if r.status in DENIED:
        return True
    return r.status == 422 and r.error_code() in DENIED_CODES


def routes_of(source_dir):
    """(method, pattern) of every route in web/server.c's table."""
    with open(os.path.join(source_dir, "web", "server.c")) as f:
        text = f.read()
    table = text[text.index("static const struct web_route routes[]"):]
    table = table[:table.index("\n};")]
    return set(re.findall(r'\{\s*"([A-Z]+)",\s*"([^"]+)"', table))


class Fixture:
    pass


def build(ctx):
    fx = Fixture()
    srv = ctx.server()
    roles = {"boss": "admin", "olga": "organizer", "oscar": "organizer", "alice": "contestant",
             "bob": "contestant", "carol": "contestant"}
    for name, role in roles.items():
        srv.add_user(name, role, name + "-password-1")
    _, judge_token = srv.add_user("judge1", "judge")
    for i in range(40):                  # spare accounts that calls may change or remove
        srv.add_user("spare%02d" % i, "contestant", "spare-password-1")
    srv.start()
    c = {"anon": srv.client(), "judge": srv.client(token=judge_token)}
    for name in roles:
        c[name] = srv.client()
        c[name].login(name, name + "-password-1")
    fx.srv, fx.c = srv, c
    boss, olga = c["boss"], c["olga"]

    # problems: one unpublished (the contest's), one published (practice)
    r = boss.post("/api/v1/problems?name=secret-sum", ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload: %r" % r)
    fx.p = r.json()["problem"]["id"]
    r = boss.post("/api/v1/problems?name=open-sum", ctx.hello_sum_zip(), ctype="application/zip")
    check(r.status == 201, "upload: %r" % r)
    fx.q = r.json()["problem"]["id"]
    check(boss.request("PATCH", "/api/v1/problems/%d" % fx.q, {"published": True}).status == 200, "publish")

    # an AI problem with downloadable files (ai/public), unpublished, in the contest as B
    r = boss.post("/api/v1/problems?name=secret-iris",
                  ctx.zip_dir(os.path.join(ctx.src, "problems", "examples", "iris-ai"), top="iris-ai"),
                  ctype="application/zip")
    check(r.status == 201, "upload iris-ai: %r" % r)
    fx.ai = r.json()["problem"]["id"]

    # a private ICPC contest, running, frozen since its start
    now = int(time.time())
    r = olga.post("/api/v1/contests", {"short_name": "priv", "title": "Private", "start_time": now - 60,
                                       "duration": 7200, "freeze": 7200, "public": False,
                                       "registration": "code", "registration_code": "sesame", "rules": "icpc"})
    check(r.status == 201, "create contest: %r" % r)
    fx.cid = r.json()["id"]
    r = olga.request("PUT", "/api/v1/contests/%d/problems" % fx.cid,
                     {"problems": [{"problem": fx.p, "label": "A", "color": "#ff0000"},
                                   {"problem": fx.ai, "label": "B"}]})
    check(r.status == 200, "problem set: %r" % r)
    for name in ("alice", "bob"):
        r = c[name].post("/api/v1/contests/%d/register" % fx.cid, {"code": "sesame"})
        check(r.status in (200, 201), "register %s: %r" % (name, r))
    r = olga.post("/api/v1/contests/%d/teams" % fx.cid, {"name": "Spare team"})
    check(r.status == 201, "team: %r" % r)
    fx.team = r.json()["id"]

    # alice's submission, judged AC during the freeze; a practice one
    src = "/* %s */\n#include <stdio.h>\nint main(void){long a,b;scanf(\"%%ld %%ld\",&a,&b);" \
          "printf(\"%%ld\\n\",a+b);}\n" % ALICE_MARK
    r = c["alice"].post("/api/v1/submissions", {"problem": fx.p, "contest": fx.cid, "language": "c",
                                                "files": [{"name": "sum.c", "content": src}]})
    check(r.status == 201, "alice submits: %r" % r)
    fx.sub = r.json()["id"]
    r = c["alice"].post("/api/v1/submissions", {"problem": fx.q, "language": "c",
                                                "files": [{"name": "sum.c", "content": src}]})
    check(r.status == 201, "alice practises: %r" % r)
    fx.practice = r.json()["id"]
    # similarity: olga's course (alice a student) with an assignment on the practice problem and
    # alice's submission for it (judged below with the rest)
    r = olga.post("/api/v1/courses", {"title": "Similarity course"})
    check(r.status == 201, "course: %r" % r)
    fx.sim_course = r.json()["id"]
    r = olga.post("/api/v1/courses/%d/members" % fx.sim_course, {"user": "alice", "role": "student"})
    check(r.status in (200, 201), "enrol alice: %r" % r)
    r = olga.post("/api/v1/courses/%d/assignments" % fx.sim_course,
                  {"title": "Similarity", "open_time": int(time.time()) - 60, "due_time": int(time.time()) + 7200,
                   "problems": [{"problem": fx.q, "template": "int main(void) { return 0; }"}]})
    check(r.status == 201, "assignment: %r" % r)
    fx.sim_assignment = r.json()["id"]
    r = c["alice"].post("/api/v1/submissions", {"problem": fx.q, "language": "c", "assignment": fx.sim_assignment,
                                                "files": [{"name": "sum.c", "content": src}]})
    check(r.status == 201, "alice submits for the assignment: %r" % r)
    fx.sim_sub = r.json()["id"]
    # courses: in olga's course a unit, a lesson, 16 roster students (cm00..cm15; cm00..cm07 are removed,
    # one per caller), per-caller lessons and assignments to delete (the latter with an extension for
    # alice to remove), and a course to join with a code
    cs = fx.sim_course
    r = olga.post("/api/v1/courses/%d/units" % cs, {"title": "Unit 1"})
    check(r.status == 201, "unit: %r" % r)
    fx.unit = r.json()["id"]
    roster = "student_number,name,username\n" + "".join("cm%02d,Student %d,cm%02d\n" % (i, i, i) for i in range(16))
    r = olga.post("/api/v1/courses/%d/roster" % cs, roster, ctype="text/csv")
    check(r.status == 200, "roster: %r" % r)
    fx.lessons, fx.assignments, fx.ext_assignments = {}, {}, {}
    for who in CALLERS + ["keep"]:
        r = olga.post("/api/v1/courses/%d/lessons" % cs, {"unit": fx.unit, "title": "L " + who, "markdown": "# Hi"})
        check(r.status == 201, "lesson: %r" % r)
        fx.lessons[who] = r.json()["id"]
        for d in (fx.assignments, fx.ext_assignments):
            r = olga.post("/api/v1/courses/%d/assignments" % cs,
                          {"title": "A " + who, "open_time": int(time.time()) - 60,
                           "due_time": int(time.time()) + 7200, "problems": [{"problem": fx.q}]})
            check(r.status == 201, "assignment: %r" % r)
            d[who] = r.json()["id"]
        r = olga.request("PUT", "/api/v1/assignments/%d/extensions" % fx.ext_assignments[who],
                         {"user": "alice", "due_time": int(time.time()) + 9000})
        check(r.status == 200, "extension: %r" % r)
    r = olga.post("/api/v1/courses", {"title": "Join me", "join_code": "authz-join"})
    check(r.status == 201, "join course: %r" % r)
    judge = c["judge"]
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            break
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        fx.judging = job["id"]
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result("AC"))
        check(r.status == 200, "result: %r" % r)
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(srv.data, "crucible.db"), uri=True)
    fx.source_hash = db.execute("SELECT source_hash FROM submissions WHERE id = ?", (fx.sub,)).fetchone()[0]
    db.close()
    with open(os.path.join(ctx.src, "problems/examples/hello-sum/data/secret/02-max.in")) as f:
        fx.secret = f.read().strip()

    # a question from alice, a rejudging by the admin
    r = c["alice"].post("/api/v1/contests/%d/clarifications" % fx.cid, {"text": "Is n positive? alice asks"})
    check(r.status == 201, "clarification: %r" % r)
    fx.clar = r.json()["id"] if "id" in r.json() else r.json()["clarification"]["id"]
    r = boss.post("/api/v1/rejudgings", {"submission": fx.practice})
    check(r.status in (200, 201), "rejudging: %r" % r)
    body = r.json()
    fx.rejudging = body["id"] if "id" in body else body["rejudging"]["id"]
    fx.spare = iter(range(40))
    fx.users = {}
    for u in boss.get("/api/v1/users?limit=100").json()["users"]:
        fx.users[u["name"]] = u["id"]
    for u in boss.get("/api/v1/users?limit=100&after=%d" % max(fx.users.values())).json()["users"]:
        fx.users[u["name"]] = u["id"]           # courses: the roster's students come late
    return fx


def spare(fx):
    return "spare%02d" % next(fx.spare)


def matrix(ctx, fx):
    """(method, pattern) -> (path, body or a function of the caller, allowed callers[, ctype])."""
    cid, p, q, sub = fx.cid, fx.p, fx.q, fx.sub
    zipped = ctx.hello_sum_zip()
    uniq = iter(range(10 ** 6))

    def new_name(prefix):
        return lambda who: "%s-%s-%d" % (prefix, who, next(uniq))

    def contest_body(who):
        return {"short_name": new_name("c")(who), "title": "T", "start_time": int(time.time()) + 3600,
                "duration": 3600}

    def practice_sub(who):
        return {"problem": q, "language": "c", "files": [{"name": "a.c", "content": "int main(void){return 0;}"}]}

    def contest_sub(who):
        return {"problem": p, "contest": cid, "language": "c",
                "files": [{"name": "a.c", "content": "int main(void){return 0;}"}]}

    def participant_body(who):
        return {"user": spare(fx), "role": "participant"}

    def csv_body(who):
        return "name\nimport-%s-%d\n" % (who, next(uniq))

    m = {
        ("GET", "/healthz"): ("/healthz", None, EVERYONE),
        ("POST", "/api/v1/register"): ("/api/v1/register",
                                       lambda who: {"name": new_name("reg")(who), "password": "long-password-1"},
                                       EVERYONE),
        ("POST", "/api/v1/login"): ("/api/v1/login", {"name": "carol", "password": "carol-password-1"}, EVERYONE),
        ("POST", "/api/v1/logout"): None,                   # checked on its own below: it ends the session
        ("GET", "/api/v1/me"): ("/api/v1/me", None, USERS),
        ("POST", "/api/v1/problems"): (lambda who: "/api/v1/problems?name=" + new_name("up")(who), zipped, STAFF,
                                       "application/zip"),
        ("GET", "/api/v1/problems"): ("/api/v1/problems", None, EVERYONE),
        ("GET", "/api/v1/problems/{id}"): ("/api/v1/problems/%d" % p, None, STAFF),
        ("PATCH", "/api/v1/problems/{id}"): ("/api/v1/problems/%d" % p, {"title": "Hello Sum"}, STAFF),
        ("GET", "/api/v1/problems/{id}/samples"): ("/api/v1/problems/%d/samples" % p, None, STAFF),
        ("GET", "/api/v1/problems/{id}/package"): ("/api/v1/problems/%d/package" % p, None, ADMIN),
        # problem tags (of the problems each caller may see) and the language table
        ("GET", "/api/v1/problems/tags"): ("/api/v1/problems/tags", None, EVERYONE),
        ("GET", "/api/v1/languages"): ("/api/v1/languages", None, EVERYONE),
        ("POST", "/api/v1/submissions"): ("/api/v1/submissions", contest_sub, CONTEST),
        ("GET", "/api/v1/submissions"): ("/api/v1/submissions", None, USERS),
        ("GET", "/api/v1/submissions/{id}"): ("/api/v1/submissions/%d" % sub, None, {"alice", "olga", "boss", "judge"}),
        ("POST", "/api/v1/judge/claim"): ("/api/v1/judge/claim", base.claim_body(), {"judge"}),
        ("GET", "/api/v1/judge/blobs/{hex}"): ("/api/v1/judge/blobs/" + fx.source_hash, None, {"judge"}),
        ("POST", "/api/v1/judge/jobs/{id}/heartbeat"): ("/api/v1/judge/jobs/%d/heartbeat" % fx.judging, {},
                                                        {"judge"}),
        ("POST", "/api/v1/judge/jobs/{id}/result"): ("/api/v1/judge/jobs/%d/result" % fx.judging,
                                                     base.fake_result("WA"), {"judge"}),
        # live judging progress (sorted before the result, so the lease is still held)
        ("POST", "/api/v1/judge/jobs/{id}/progress"): ("/api/v1/judge/jobs/%d/progress" % fx.judging,
                                                       {"first": 0, "tests": base.fake_result("WA")["tests"]},
                                                       {"judge"}),
        ("POST", "/api/v1/contests"): ("/api/v1/contests", contest_body, STAFF),
        ("GET", "/api/v1/contests"): ("/api/v1/contests", None, EVERYONE),
        ("GET", "/api/v1/contests/{id}"): ("/api/v1/contests/%d" % cid, None, CONTEST),
        ("PATCH", "/api/v1/contests/{id}"): ("/api/v1/contests/%d" % cid, {"title": "Private"}, JURY),
        ("GET", "/api/v1/contests/{id}/problems"): ("/api/v1/contests/%d/problems" % cid, None, CONTEST),
        ("PUT", "/api/v1/contests/{id}/problems"): ("/api/v1/contests/%d/problems" % cid,
                                                    {"problems": [{"problem": p, "label": "A", "color": "#ff0000"},
                                                                  {"problem": fx.ai, "label": "B"}]},
                                                    JURY),
        ("GET", "/api/v1/contests/{id}/problems/{id2}"): ("/api/v1/contests/%d/problems/%d" % (cid, p), None, CONTEST),
        # AI problem files: whoever sees the statement (an unpublished problem: staff in the archive;
        # the contest's participants and jury through the contest)
        ("GET", "/api/v1/problems/{id}/files"): ("/api/v1/problems/%d/files" % fx.ai, None, STAFF),
        ("GET", "/api/v1/problems/{id}/files/{name}"): ("/api/v1/problems/%d/files/test.csv" % fx.ai, None, STAFF),
        ("GET", "/api/v1/contests/{id}/problems/{id2}/files"): ("/api/v1/contests/%d/problems/%d/files" % (cid, fx.ai),
                                                               None, CONTEST),
        ("GET", "/api/v1/contests/{id}/problems/{id2}/files/{name}"): (
            "/api/v1/contests/%d/problems/%d/files/test.csv" % (cid, fx.ai), None, CONTEST),
        # without the code: only who is in already (the admin is not: it adds people instead)
        ("POST", "/api/v1/contests/{id}/register"): ("/api/v1/contests/%d/register" % cid, {},
                                                     {"alice", "bob", "olga"}),
        ("GET", "/api/v1/contests/{id}/participants"): ("/api/v1/contests/%d/participants" % cid, None, JURY),
        ("POST", "/api/v1/contests/{id}/participants"): ("/api/v1/contests/%d/participants" % cid,
                                                         participant_body, JURY),
        ("DELETE", "/api/v1/contests/{id}/participants/{id2}"): None,   # below: each caller its own target
        ("GET", "/api/v1/contests/{id}/teams"): ("/api/v1/contests/%d/teams" % cid, None, CONTEST),
        ("POST", "/api/v1/contests/{id}/teams"): ("/api/v1/contests/%d/teams" % cid,
                                                  lambda who: {"name": new_name("team")(who)}, JURY),
        ("GET", "/api/v1/contests/{id}/scoreboard"): ("/api/v1/contests/%d/scoreboard" % cid, None, CONTEST),
        ("GET", "/api/v1/contests/{id}/clarifications"): ("/api/v1/contests/%d/clarifications" % cid, None, CONTEST),
        ("POST", "/api/v1/contests/{id}/clarifications"): ("/api/v1/contests/%d/clarifications" % cid,
                                                           {"text": "a question"}, CONTEST),
        ("POST", "/api/v1/rejudgings"): ("/api/v1/rejudgings", {"submission": sub, "preview": True}, JURY),
        ("GET", "/api/v1/rejudgings/{id}"): ("/api/v1/rejudgings/%d" % fx.rejudging, None, ADMIN),
        ("POST", "/api/v1/submissions/{id}/ignore"): ("/api/v1/submissions/%d/ignore" % sub, {"ignored": False},
                                                      JURY),
        ("GET", "/api/v1/users"): ("/api/v1/users", None, ADMIN),
        ("PATCH", "/api/v1/users/{id}"): ("/api/v1/users/%d" % fx.users["carol"], {"display_name": "Carol"}, ADMIN),
        ("POST", "/api/v1/users/import"): ("/api/v1/users/import", csv_body, ADMIN, "text/csv"),
        ("GET", "/api/v1/audit"): ("/api/v1/audit", None, ADMIN),
        ("GET", "/api/v1/judges"): ("/api/v1/judges", None, ADMIN),
        ("PATCH", "/api/v1/judges/{id}"): ("/api/v1/judges/1", {"enabled": True}, ADMIN),
        # compute budgets: quotas (the jury sets them) and usage (participants their own)
        ("GET", "/api/v1/contests/{id}/quota"): ("/api/v1/contests/%d/quota" % cid, None, CONTEST),
        ("PUT", "/api/v1/contests/{id}/quota"): ("/api/v1/contests/%d/quota" % cid, {"scope": "user"}, JURY),
        ("GET", "/api/v1/contests/{id}/usage"): ("/api/v1/contests/%d/usage" % cid, None, CONTEST),
        # AI leaderboards: the board for who sees the contest; finals chosen by participants;
        # baselines marked by the jury
        ("GET", "/api/v1/contests/{id}/leaderboard"): ("/api/v1/contests/%d/leaderboard" % cid, None, CONTEST),
        ("GET", "/api/v1/contests/{id}/final"): ("/api/v1/contests/%d/final" % cid, None, {"alice", "bob"}),
        ("POST", "/api/v1/contests/{id}/final"): ("/api/v1/contests/%d/final" % cid, {"submissions": []},
                                                  {"alice", "bob"}),
        ("POST", "/api/v1/submissions/{id}/baseline"): ("/api/v1/submissions/%d/baseline" % sub, {"baseline": False},
                                                        JURY),
        # ops: /metrics answers every loopback caller (as all of these are); from elsewhere only the
        # metrics token or an admin (e2e.web.metrics checks that through X-Forwarded-For)
        ("GET", "/metrics"): ("/metrics", None, EVERYONE),
        # the ICPC Contest API: the private contest is the jury's and its participants'
        ("GET", "/api"): ("/api", None, EVERYONE),
        ("GET", "/api/contests"): ("/api/contests", None, EVERYONE),
        ("GET", "/api/contests/{name}"): ("/api/contests/priv", None, CONTEST),
        # similarity: the assignment's course staff (olga, its teacher) and admins; everyone else 404
        ("GET", "/api/v1/assignments/{id}/similarity"): (
            "/api/v1/assignments/%d/similarity?problem=%d" % (fx.sim_assignment, q), None, {"olga", "boss"}),
        ("GET", "/api/v1/assignments/{id}/similarity/pair"): (
            "/api/v1/assignments/%d/similarity/pair?a=%d&b=%d" % (fx.sim_assignment, fx.sim_sub, fx.sim_sub), None,
            {"olga", "boss"}),
        # talent: one's own profile; a profile nobody opted in to show: its user and admins;
        # ratings for everyone (public profiles only); the talent pool for organizers and admins
        ("GET", "/api/v1/me/profile"): ("/api/v1/me/profile", None, USERS),
        ("PATCH", "/api/v1/me/profile"): ("/api/v1/me/profile", {"school": "Authz High"}, USERS),
        ("GET", "/api/v1/me/profile/views"): ("/api/v1/me/profile/views", None, USERS),
        ("GET", "/api/v1/users/{name}/profile"): ("/api/v1/users/alice/profile", None, {"alice", "boss"}),
        ("GET", "/api/v1/ratings"): ("/api/v1/ratings", None, EVERYONE),
        ("GET", "/api/v1/talent"): ("/api/v1/talent", None, STAFF),
        ("GET", "/api/v1/talent.csv"): ("/api/v1/talent.csv", None, STAFF),
    }
    # courses: olga's course (olga its teacher, alice a student); admins are staff of every course;
    # anyone else gets 404 (a member without the right 403); creating one takes a teacher, organizer
    # or admin; deletions each caller on its own target
    cs, sa = fx.sim_course, fx.sim_assignment
    members, teachers = {"alice", "olga", "boss"}, {"olga", "boss"}
    user_ids = fx.users
    m.update({
        ("POST", "/api/v1/courses"): ("/api/v1/courses", {"title": "New course"}, STAFF),
        ("GET", "/api/v1/courses"): ("/api/v1/courses", None, USERS),
        ("POST", "/api/v1/courses/join"): ("/api/v1/courses/join", {"code": "authz-join"}, PEOPLE),
        ("GET", "/api/v1/courses/{id}"): ("/api/v1/courses/%d" % cs, None, members),
        ("PATCH", "/api/v1/courses/{id}"): ("/api/v1/courses/%d" % cs, {"title": "Similarity course"}, teachers),
        ("GET", "/api/v1/courses/{id}/members"): ("/api/v1/courses/%d/members" % cs, None, teachers),
        ("POST", "/api/v1/courses/{id}/members"): ("/api/v1/courses/%d/members" % cs,
                                                   {"user": "cm15", "role": "student"}, teachers),
        ("DELETE", "/api/v1/courses/{id}/members/{id2}"): (
            lambda who: "/api/v1/courses/%d/members/%d" % (cs, user_ids["cm%02d" % CALLERS.index(who)]), None,
            teachers),
        ("POST", "/api/v1/courses/{id}/roster"): ("/api/v1/courses/%d/roster" % cs,
                                                  lambda who: "student_number,name\nr-%s-%d,R\n" % (who, next(uniq)),
                                                  teachers, "text/csv"),
        ("GET", "/api/v1/courses/{id}/units"): ("/api/v1/courses/%d/units" % cs, None, members),
        ("POST", "/api/v1/courses/{id}/units"): ("/api/v1/courses/%d/units" % cs, {"title": "U"}, teachers),
        ("POST", "/api/v1/courses/{id}/lessons"): ("/api/v1/courses/%d/lessons" % cs,
                                                   {"unit": fx.unit, "title": "L", "markdown": "x"}, teachers),
        ("POST", "/api/v1/courses/{id}/lessons/preview"): ("/api/v1/courses/%d/lessons/preview" % cs,
                                                           {"markdown": "# x"}, teachers),
        ("GET", "/api/v1/lessons/{id}"): ("/api/v1/lessons/%d" % fx.lessons["keep"], None, members),
        ("PATCH", "/api/v1/lessons/{id}"): ("/api/v1/lessons/%d" % fx.lessons["keep"], {"title": "L"}, teachers),
        ("DELETE", "/api/v1/lessons/{id}"): (lambda who: "/api/v1/lessons/%d" % fx.lessons[who], None, teachers),
        ("POST", "/api/v1/courses/{id}/assignments"): (
            "/api/v1/courses/%d/assignments" % cs,
            {"title": "New", "open_time": 0, "due_time": 1, "problems": [{"problem": q}]}, teachers),
        ("GET", "/api/v1/courses/{id}/assignments"): ("/api/v1/courses/%d/assignments" % cs, None, members),
        ("GET", "/api/v1/assignments/{id}"): ("/api/v1/assignments/%d" % sa, None, members),
        ("GET", "/api/v1/assignments/{id}/problems/{id2}"): ("/api/v1/assignments/%d/problems/%d" % (sa, q), None,
                                                            members),
        ("PATCH", "/api/v1/assignments/{id}"): ("/api/v1/assignments/%d" % sa, {"title": "Similarity"}, teachers),
        ("DELETE", "/api/v1/assignments/{id}"): (lambda who: "/api/v1/assignments/%d" % fx.assignments[who], None,
                                                 teachers),
        ("PUT", "/api/v1/assignments/{id}/extensions"): ("/api/v1/assignments/%d/extensions" % sa,
                                                         {"user": "alice", "due_time": int(time.time()) + 7200},
                                                         teachers),
        ("GET", "/api/v1/assignments/{id}/extensions"): ("/api/v1/assignments/%d/extensions" % sa, None, teachers),
        ("DELETE", "/api/v1/assignments/{id}/extensions/{id2}"): (
            lambda who: "/api/v1/assignments/%d/extensions/%d" % (fx.ext_assignments[who], user_ids["alice"]), None,
            teachers),
        ("GET", "/api/v1/assignments/{id}/grades"): ("/api/v1/assignments/%d/grades" % sa, None, members),
        ("GET", "/api/v1/courses/{id}/gradebook"): ("/api/v1/courses/%d/gradebook" % cs, None, teachers),
        ("GET", "/api/v1/courses/{id}/gradebook.csv"): ("/api/v1/courses/%d/gradebook.csv" % cs, None, teachers),
    })
    ccs_public = ["state", "judgement-types", "languages", "problems", "groups", "organizations", "teams",
                  "submissions", "judgements", "runs", "clarifications", "awards", "scoreboard"]
    for what in ccs_public:
        m[("GET", "/api/contests/{name}/{name2}", what)] = ("/api/contests/priv/" + what, None, CONTEST)
    m[("GET", "/api/contests/{name}/{name2}", "accounts")] = ("/api/contests/priv/accounts", None, JURY)
    m[("GET", "/api/contests/{name}/{name2}", "event-feed")] = ("/api/contests/priv/event-feed?stream=false",
                                                              None, CONTEST)
    # ... and one object of each collection, by id (what the jury lists)
    def first_id(what, pick=None):
        r = fx.c["boss"].get("/api/contests/priv/" + what)
        check(r.status == 200, "jury lists %s: %r" % (what, r))
        items = [x for x in r.json() if pick is None or pick(x)]
        return items[0]["id"] if items else "none"
    alice_team = first_id("teams", lambda t: t["name"].lower() == "alice")
    own = {"alice", "olga", "boss"}
    items = {
        "judgement-types": ("AC", CONTEST),
        "languages": ("c", CONTEST),
        "problems": (first_id("problems"), CONTEST),
        "groups": (first_id("groups"), set()),                  # none in Crucible: 404 for all
        "organizations": (first_id("organizations"), set()),    # likewise
        "teams": (alice_team, CONTEST),
        "accounts": ("alice", JURY),
        "submissions": (str(sub), CONTEST),
        "judgements": (first_id("judgements", lambda j: j["submission_id"] == str(sub)), own),
        "runs": (first_id("runs"), own),
        "clarifications": (str(fx.clar), own),
        "awards": (first_id("awards"), CONTEST),
    }
    for what, (ident, allowed) in items.items():
        m[("GET", "/api/contests/{name}/%s/{name2}" % what)] = ("/api/contests/priv/%s/%s" % (what, ident), None,
                                                               allowed)
    # ccs files: alice's sources as a zip, the contest's jury alone (olga, boss); 404 for everyone else
    m[("GET", "/api/contests/{name}/submissions/{name2}/files")] = (
        "/api/contests/priv/submissions/%d/files" % sub, None, JURY)
    return m


def secrets_for(fx, who):
    """What caller `who` must never receive."""
    s = [fx.secret, "$argon2id$", fx.source_hash if who != "judge" else None]
    if who not in ("alice", "olga", "boss", "judge"):
        s.append(ALICE_MARK)
    return [x for x in s if x]


def case_authz(ctx):
    fx = build(ctx)
    srv = fx.srv
    table = routes_of(ctx.src)
    m = matrix(ctx, fx)
    covered = {(k[0], k[1]) for k in m}
    missing = sorted(table - covered)
    check(not missing, "routes without an authorization entry in run_authz_test.py: %r" % missing)
    stale = sorted(covered - table)
    check(not stale, "entries for routes that no longer exist: %r" % stale)

    failures = []
    for key, entry in sorted(m.items(), key=lambda kv: str(kv[0])):
        if entry is None:
            continue
        method = key[0]
        path, body, allowed = entry[0], entry[1], entry[2]
        ctype = entry[3] if len(entry) > 3 else None
        order = [w for w in CALLERS if w not in allowed] + [w for w in CALLERS if w in allowed]
        for who in order:
            pth = path(who) if callable(path) else path
            b = body(who) if callable(body) else body
            cl = fx.c[who]
            if key[1] in ("/api/v1/login", "/api/v1/register"):
                # a copy: a new session must not replace the caller's own
                cl = fx.srv.client(token=cl.token)
                cl.cookie, cl.csrf = fx.c[who].cookie, fx.c[who].csrf
            r = cl.request(method, pth, b, ctype=ctype)
            if who in allowed and denied(r):
                failures.append("%s %s as %s: %d, but %s may (%s)" % (method, pth, who, r.status, who,
                                                                     r.body[:160]))
            if who not in allowed and not denied(r):
                failures.append("%s %s as %s: %d, but %s may not (%s)" % (method, pth, who, r.status, who,
                                                                         r.body[:160]))
            text = r.body.decode(errors="replace")
            for secret in secrets_for(fx, who):
                if secret in text:
                    failures.append("%s %s as %s: the response holds %r" % (method, pth, who, secret[:40]))

    # DELETE a participant: each caller its own target, registered first by the admin
    for who in CALLERS:
        name = spare(fx)
        r = fx.c["boss"].post("/api/v1/contests/%d/participants" % fx.cid, {"user": name, "role": "participant"})
        check(r.status in (200, 201), "add %s: %r" % (name, r))
        r = fx.c[who].request("DELETE", "/api/v1/contests/%d/participants/%d" % (fx.cid, fx.users[name]))
        ok = who in JURY
        if ok == (r.status in DENIED):
            failures.append("DELETE participant as %s: %d" % (who, r.status))

    # logout: any account with a session; a token-only caller has none to end
    for who in ["anon"] + sorted(PEOPLE):
        cl = srv.client()
        if who != "anon":
            cl.login(who, who + "-password-1")
        r = cl.post("/api/v1/logout")
        if (who == "anon") != (r.status in DENIED):
            failures.append("POST /api/v1/logout as %s: %d" % (who, r.status))

    # the frozen verdict: alice's AC is hidden from bob and the public, seen by alice and the jury
    def solved_seen(who):
        r = fx.c[who].get("/api/v1/contests/%d/scoreboard" % fx.cid)
        if r.status != 200:
            return None
        for row in r.json()["rows"]:
            if row["name"] in ("alice", "Alice") or str(row.get("team")) == "alice":
                return row["solved"] > 0
        return False
    check(solved_seen("bob") is False, "bob sees alice's frozen AC on the scoreboard")
    check(solved_seen("alice") is True, "alice does not see her own AC")
    check(solved_seen("olga") is True, "the jury does not see the live board")
    for who in ("bob",):
        r = fx.c[who].get("/api/contests/priv/judgements")
        if r.status == 200:
            sids = [j.get("submission_id") for j in r.json()]
            check(str(fx.sub) not in sids, "bob reads the judgement of alice's frozen submission: %r" % r.json())
    check(not failures, "authorization matrix:\n  " + "\n  ".join(failures))
    srv.stop()


CASES = {"authz": case_authz}


def main():
    base.CASES.clear()
    base.CASES.update(CASES)
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
