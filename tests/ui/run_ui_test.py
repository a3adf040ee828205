#!/usr/bin/env python3
"""run_ui_test.py: runs one browser test of Crucible's UI (CTest e2e.ui.*).

    run_ui_test.py --crucible PATH --source-dir REPO --work DIR --screenshots DIR CASE

It starts the real `crucible serve` with a fresh data folder (the helpers of
tests/web/run_web_test.py), and for the cases that judge, a real `crucible
judge daemon` beside it; prepares what the case starts from through the JSON
API; then runs ui_cases.mjs, which drives Debian's chromium (headless) with
npm's playwright-core and saves screenshots under --screenshots.

Exit status: 0 pass, 1 fail, 77 skip (no chromium, no node_modules: run
`npm ci` in tests/ui, as deploy/install-deps.sh does; not root: the judge's
sandbox needs root).
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "web"))
import run_web_test as base  # noqa: E402

check, Fail, Skip = base.check, base.Fail, base.Skip
CHROMIUM = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]


def find_chromium():
    for c in CHROMIUM:
        if os.access(c, os.X_OK):
            return c
    return None


class Judge:
    """A real `crucible judge daemon` working for srv."""

    def __init__(self, ctx, srv, token):
        self.dir = srv.dir
        path = os.path.join(srv.dir, "judge.token")
        with open(path, "w") as f:
            f.write(token + "\n")
        os.chmod(path, 0o600)
        self.logf = open(os.path.join(srv.dir, "daemon.log"), "wb")
        self.proc = subprocess.Popen(
            [ctx.crucible, "judge", "daemon", "--server=http://127.0.0.1:%d" % srv.port, "--token-file=" + path,
             "--workers=1", "--cache=" + os.path.join(srv.dir, "cache"), "--work-dir=" + os.path.join(srv.dir, "work"),
             "--languages=" + os.path.join(ctx.src, "judge", "languages.yaml")],
            stdout=self.logf, stderr=self.logf)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()

    def log(self):
        with open(os.path.join(self.dir, "daemon.log"), "rb") as f:
            return f.read().decode(errors="replace")


def contest_api(admin, pid, **over):
    """Creates a running contest with the problem as A; None when the server
    has no contests yet (then the contestant case uses practice mode)."""
    body = {"short_name": "spring", "title": "Spring Contest", "start_time": int(time.time()) - 60,
            "duration": 3 * 3600, "freeze": 0, "public": True, "registration": "open", "rules": "icpc"}
    body.update(over)
    r = admin.post("/api/v1/contests", body)
    if r.status in (404, 405):
        return None
    check(r.status == 201, "create a contest: %r" % r)
    cid = r.json()["id"]
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid,
                      {"problems": [{"problem": pid, "label": "A", "color": "#e53935", "points": 100}]})
    check(r.status in (200, 204), "set the contest's problems: %r" % r)
    return cid


def run_browser(ctx, a, case, env):
    e = dict(os.environ)
    e.update({k: str(v) for k, v in env.items()})
    e["UI_CHROMIUM"] = find_chromium()
    e["UI_SCREENSHOTS"] = a.screenshots
    e["UI_SOURCE_DIR"] = ctx.src
    p = subprocess.run([a.node, os.path.join(HERE, "ui_cases.mjs"), case], env=e, capture_output=True, text=True,
                       timeout=240)
    sys.stdout.write(p.stdout)
    sys.stdout.write(p.stderr)
    check(p.returncode == 0, "the browser case %s failed (exit %d)" % (case, p.returncode))


def platform(ctx, judge=True):
    srv, users = base.setup_platform(ctx)
    srv.add_user("olga", "organizer", "olga-password-1")
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    pid = base.upload_problem(ctx, srv, admin)
    j = Judge(ctx, srv, users["judge"][1]) if judge else None
    return srv, admin, pid, j


def case_contestant(ctx, a):
    srv, admin, pid, judge = platform(ctx)
    try:
        cid = contest_api(admin, pid)
        subs = os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions")
        run_browser(ctx, a, "contestant", {
            "UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_CONTEST": cid or 0, "UI_PROBLEM": pid,
            "UI_SOURCE_OK": os.path.join(subs, "accepted", "sum.c"),
            "UI_SOURCE_WA": os.path.join(subs, "wrong_answer", "difference.c")})
        if cid is None:
            print("e2e.ui.contestant: the server has no contests yet: checked in practice mode")
    except Fail:
        print("---- judge daemon log ----\n" + judge.log()[-3000:])
        raise
    finally:
        judge.stop()
    srv.stop()


def case_organizer(ctx, a):
    srv, admin, pid, judge = platform(ctx, judge=False)
    r = admin.get("/api/v1/contests")
    if r.status == 404:
        raise Fail("the server has no contest endpoints (GET /api/v1/contests is 404)")
    good = os.path.join(srv.dir, "good.zip")
    bad = os.path.join(srv.dir, "broken.zip")
    with open(good, "wb") as f:
        f.write(ctx.hello_sum_zip(top="hello-again"))
    with open(bad, "wb") as f:
        f.write(ctx.hello_sum_zip(top="broken", edit={"problem.yaml": b"problem_format_version: 2023-07-draft\nlimits: [\n"}))
    run_browser(ctx, a, "organizer", {"UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_PROBLEM": pid,
                                      "UI_GOOD_ZIP": good, "UI_BROKEN_ZIP": bad})
    srv.stop()


def case_i18n(ctx, a):
    srv, admin, pid, judge = platform(ctx, judge=False)
    cid = contest_api(admin, pid)
    run_browser(ctx, a, "i18n", {"UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_CONTEST": cid or 0, "UI_PROBLEM": pid})
    srv.stop()


def case_ai(ctx, a):
    """An AI contest on the iris example, organized by olga, with a real judge."""
    srv, admin, _, judge = platform(ctx)
    try:
        iris = os.path.join(ctx.src, "problems", "examples", "iris-ai")
        r = admin.post("/api/v1/problems", ctx.zip_dir(iris, top="iris-ai"), ctype="application/zip")
        check(r.status == 201, "upload iris-ai: %r" % r)
        pid = r.json()["problem"]["id"]
        olga = srv.client()
        olga.login("olga", "olga-password-1")
        r = olga.post("/api/v1/contests", {"short_name": "iris-cup", "title": "Iris Cup",
                                           "start_time": int(time.time()) - 60, "duration": 3 * 3600,
                                           "public": True, "registration": "open", "final_submissions": 1})
        check(r.status == 201, "create the AI contest: %r" % r)
        cid = r.json()["id"]
        r = olga.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
        check(r.status == 200, "the contest's problems: %r" % r)
        srv.add_user("carol", "contestant", "carol-password-1")
        carol = srv.client()
        carol.login("carol", "carol-password-1")
        check(carol.post("/api/v1/contests/%d/register" % cid, {}).status in (200, 201), "carol registers")
        subs = os.path.join(iris, "submissions")
        run_browser(ctx, a, "ai", {
            "UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_CONTEST": cid, "UI_PROBLEM": pid,
            "UI_GOOD_CSV": os.path.join(subs, "accepted", "perfect.csv"),
            "UI_BAD_CSV": os.path.join(subs, "wrong_answer", "duplicate_id.csv")})
    except Fail:
        print("---- judge daemon log ----\n" + judge.log()[-3000:])
        raise
    finally:
        judge.stop()
    srv.stop()


# ---- cui: courses (e2e.ui.course) and talent (e2e.ui.talent) ------------------------------------------
def case_course(ctx, a):
    """A teacher builds a course in the browser; a student joins, learns and
    submits (a real judge); the teacher reads the gradebook and similarity."""
    srv, admin, pid, judge = platform(ctx)
    try:
        if admin.get("/api/v1/courses").status == 404:
            raise Fail("the server has no course endpoints (GET /api/v1/courses is 404)")
        srv.add_user("tess", "teacher", "tess-password-1")
        subs = os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions")
        run_browser(ctx, a, "course", {
            "UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_PROBLEM": pid,
            "UI_SOURCE_OK": os.path.join(subs, "accepted", "sum.c")})
    except Fail:
        print("---- judge daemon log ----\n" + judge.log()[-3000:])
        raise
    finally:
        judge.stop()
    srv.stop()


def judge_all(srv, token, verdict="AC"):
    """Judges every queued submission with a fake result (no daemon)."""
    judge = srv.client(token=token)
    while True:
        r = judge.post("/api/v1/judge/claim", base.claim_body())
        if r.status == 204:
            return
        check(r.status == 200, "claim: %r" % r)
        job = r.json()["job"]
        r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result(verdict))
        check(r.status in (200, 204), "result: %r" % r)


def case_talent(ctx, a):
    """carol and dave took part in a finished rated contest (carol solved the
    problem); carol opts in, olga finds her and opens her profile."""
    srv, users = base.setup_platform(ctx)
    srv.add_user("olga", "organizer", "olga-password-1")
    srv.add_user("carol", "contestant", "carol-password-1")
    srv.add_user("dave", "contestant", "dave-password-1")
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    pid = base.upload_problem(ctx, srv, admin)
    if admin.get("/api/v1/ratings").status == 404:
        raise Fail("the server has no rating endpoints (GET /api/v1/ratings is 404)")
    start = int(time.time()) - 7200
    cid = contest_api(admin, pid, short_name="rated-cup", title="Rated Cup", start_time=start, duration=3600, rated=True)
    check(cid is not None, "no contests")
    for name, verdict in (("carol", "AC"), ("dave", "WA")):
        r = admin.post("/api/v1/contests/%d/participants" % cid, {"user": name})
        check(r.status in (200, 201, 204), "add %s: %r" % (name, r))
        r = admin.post("/api/v1/submissions", {"problem": pid, "language": "c", "contest": cid, "user": name,
                                               "time": start + 600, "files": [{"name": "sum.c", "content": base.sum_c(ctx)}]})
        check(r.status == 201, "submit for %s: %r" % (name, r))
        judge_all(srv, users["judge"][1], verdict)
    run_browser(ctx, a, "talent", {"UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_PROBLEM": pid})
    srv.stop()


# ---- uiq: e2e.ui.quality: requests per page, labels and focus, the keyboard, long names on a phone ----
QUALITY_USER = "Wolfeschlegelsteinhausenbergerdorff.Maximilian-Alexander_Jr2"
QUALITY_DISPLAY = "Bartholomew-Featherstonehaugh-Cholmondeley-Marjoribanks-IIII"
QUALITY_TITLE = "InternationalCollegiateProgrammingChampionshipRegionalFinals"


def case_quality(ctx, a):
    """No judge: submissions stay queued, so a list that polls one request per
    row shows. The long-named user registers through the API; the browser
    logs in, registers for the contest and submits with the keyboard only."""
    for s in (QUALITY_USER, QUALITY_DISPLAY, QUALITY_TITLE):
        check(len(s) == 60 and " " not in s, "a 60-character name without spaces: %r" % s)
    srv, admin, pid, judge = platform(ctx, judge=False)
    cid = contest_api(admin, pid, short_name="quality", title=QUALITY_TITLE)
    check(cid is not None, "no contests")
    anon = srv.client()
    r = anon.post("/api/v1/register", {"name": QUALITY_USER, "password": "long-password-1",
                                       "display_name": QUALITY_DISPLAY})
    check(r.status in (200, 201), "register the long-named user: %r" % r)
    user = srv.client()
    user.login(QUALITY_USER, "long-password-1")
    source = base.sum_c(ctx)
    subs = []
    for _ in range(8):
        r = base.submit(user, pid, source)
        subs.append(r)
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    check(alice.post("/api/v1/contests/%d/register" % cid, {}).status in (200, 201), "alice registers")
    for _ in range(4):
        r = alice.post("/api/v1/submissions", {"problem": pid, "language": "c", "contest": cid,
                                               "files": [{"name": "sum.c", "content": source}]})
        check(r.status == 201, "alice's contest submission: %r" % r)
    run_browser(ctx, a, "quality", {
        "UI_URL": "http://127.0.0.1:%d" % srv.port, "UI_CONTEST": cid, "UI_PROBLEM": pid,
        "UI_USER": QUALITY_USER, "UI_PASSWORD": "long-password-1", "UI_TITLE": QUALITY_TITLE,
        "UI_SUBMISSION": subs[0]})
    # What the keyboard did reached the server.
    r = user.get("/api/v1/contests/%d" % cid)
    check(r.status == 200 and r.json()["contest"]["my_role"] == "participant", "not registered: %r" % r)
    r = user.get("/api/v1/submissions?contest=%d" % cid)
    got = r.json()["submissions"]
    check(len(got) == 1 and got[0]["language"] == "c" and got[0]["problem"] == pid,
          "the keyboard's submission: %r" % got)
    srv.stop()


CASES = {"contestant": case_contestant, "organizer": case_organizer, "i18n": case_i18n, "ai": case_ai,
         "course": case_course, "talent": case_talent, "quality": case_quality}
NEEDS_JUDGE = {"contestant", "ai", "course"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crucible", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--screenshots", required=True)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    if not find_chromium():
        print("e2e.ui.%s: skipped: no chromium (apt-get install chromium)" % a.case)
        return 77
    if not os.path.exists(os.path.join(HERE, "node_modules", "playwright-core", "package.json")):
        print("e2e.ui.%s: skipped: no tests/ui/node_modules (run npm ci in tests/ui)" % a.case)
        return 77
    if not shutil.which(a.node) and not os.access(a.node, os.X_OK):
        print("e2e.ui.%s: skipped: no node" % a.case)
        return 77
    if a.case in NEEDS_JUDGE and os.geteuid() != 0:
        print("e2e.ui.%s: skipped: the judge's sandbox needs root" % a.case)
        return 77
    a.screenshots = os.path.abspath(os.path.join(a.screenshots, a.case))
    shutil.rmtree(a.screenshots, ignore_errors=True)
    os.makedirs(a.screenshots, exist_ok=True)
    os.makedirs(a.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="ui-%s-" % a.case, dir=a.work)
    os.chmod(work, 0o755)
    d = a.work
    while d not in ("/", ""):
        if os.geteuid() == 0 and not os.stat(d).st_mode & 0o001:
            # the service user (nobody) cannot reach the data folder here
            shutil.rmtree(work)
            work = tempfile.mkdtemp(prefix="crucible-ui-%s-" % a.case)
            os.chmod(work, 0o755)
            break
        d = os.path.dirname(d)
    ctx = base.Ctx(os.path.abspath(a.crucible), os.path.abspath(a.source_dir), work)
    ok = False
    try:
        CASES[a.case](ctx, a)
        ok = True
        print("e2e.ui.%s: passed (screenshots in %s)" % (a.case, a.screenshots))
    except Skip as e:
        print("e2e.ui.%s: skipped: %s" % (a.case, e))
        return 77
    except Fail as e:
        print("e2e.ui.%s: FAILED: %s" % (a.case, e))
    except Exception:
        import traceback
        traceback.print_exc()
    finally:
        for s in ctx.servers:
            if s.proc and s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
            if not ok:
                try:
                    print("---- %s (last lines) ----\n%s" % (s.log, s.log_text()[-4000:]))
                except OSError:
                    pass
        if ok and not os.environ.get("CRUCIBLE_TEST_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
