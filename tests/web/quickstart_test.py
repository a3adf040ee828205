#!/usr/bin/env python3
"""e2e.quickstart: the README's run command, as a user runs it.

Runs deploy/run.sh with a fresh data folder, pid folder and loopback port,
then does what a newcomer would: finds the demo contest, registers an
account, logs in, registers for the contest, submits a correct solution in
the contest and a wrong one in practice, and waits for the verdicts. The
judging is done by the server's embedded judges: no judge daemon runs but
the one below the server's supervisor. Runs deploy/run.sh a second time and
checks that nothing was replaced (no new admin password, the same problems,
the same single demo contest, the submissions still there), then stops
everything with `deploy/run.sh stop` and checks that no judge is left.

Exit 0 pass, 1 fail, 77 skipped (not root: the sandbox and the privilege
drop need it).
"""
import argparse
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


class Fail(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as f:
                return f.status, json.loads(f.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def run_sh(source, env, *args):
    p = subprocess.run(["bash", os.path.join(source, "deploy", "run.sh")] + list(args), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    if p.returncode != 0:
        raise Fail("deploy/run.sh %s exited %d:\n%s" % (" ".join(args), p.returncode, p.stdout[-3000:]))
    return p.stdout


def judged(client, sid, limit=120):
    deadline = time.time() + limit
    while time.time() < deadline:
        status, body = client.call("GET", "/api/v1/submissions/%d" % sid)
        if status != 200:
            raise Fail("GET submission %d: %d %s" % (sid, status, body))
        if body["submission"]["status"] == "judged":
            return body["submission"]
        time.sleep(0.5)
    raise Fail("submission %d was not judged within %d s" % (sid, limit))


def proc_stat(pid):
    """(state, ppid), or None when the process is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def judge_daemons(port):
    """Live `crucible judge daemon` processes serving this port."""
    want = ("--server=http://127.0.0.1:%d" % port).encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % name, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        st = proc_stat(int(name))
        if st and st[0] != "Z" and b"judge" in argv and b"daemon" in argv and want in argv:
            found.append(int(name))
    return found


def demo_contests(client):
    status, body = client.call("GET", "/api/v1/contests")
    if status != 200:
        raise Fail("GET /api/v1/contests: %d %s" % (status, body))
    return [c for c in body["contests"] if c["short_name"] == "demo"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("skipped: deploy/run.sh needs root")
        return 77
    work = tempfile.mkdtemp(prefix="crucible-quickstart-")
    os.chmod(work, 0o755)   # the server's account must reach the data folder
    port = free_port()
    env = dict(os.environ, CRUCIBLE_DATA=os.path.join(work, "data"),
               CRUCIBLE_RUN_DIR=os.path.join(work, "run"), CRUCIBLE_LISTEN="127.0.0.1:%d" % port)
    ok = False
    try:
        out = run_sh(args.source_dir, env)
        if "admin password: " not in out:
            raise Fail("the first run printed no admin password:\n" + out[-2000:])
        if "judge daemon" in out or os.path.exists(os.path.join(work, "run", "judge.pid")):
            raise Fail("run.sh started a judge daemon of its own:\n" + out[-2000:])
        c = Client("http://127.0.0.1:%d" % port)
        demo = demo_contests(c)
        if len(demo) != 1 or demo[0]["state"] != "running" or not demo[0]["public"] or \
                demo[0]["registration"] != "open":
            raise Fail("no running, public, open demo contest: %s" % demo)
        cid = demo[0]["id"]
        status, body = c.call("GET", "/api/v1/contests/%d/problems" % cid)
        if status != 200 or "hello-sum" not in [p["short_name"] for p in body.get("problems", [])]:
            raise Fail("the demo contest's problems: %d %s" % (status, body))
        status, body = c.call("GET", "/api/v1/problems")
        names = sorted(p["short_name"] for p in body.get("problems", []))
        if status != 200 or "hello-sum" not in names:
            raise Fail("the example problems are not in the archive: %d %s" % (status, body))
        hello = [p["id"] for p in body["problems"] if p["short_name"] == "hello-sum"][0]

        status, body = c.call("POST", "/api/v1/register", {"name": "newcomer", "password": "a long enough secret"})
        if status != 201:
            raise Fail("register: %d %s" % (status, body))
        status, body = c.call("POST", "/api/v1/login", {"name": "newcomer", "password": "a long enough secret"})
        if status != 200:
            raise Fail("login: %d %s" % (status, body))
        c.csrf = body["csrf_token"]
        status, body = c.call("POST", "/api/v1/contests/%d/register" % cid, {})
        if status not in (200, 201):
            raise Fail("register for the demo contest: %d %s" % (status, body))
        subs = os.path.join(args.source_dir, "problems", "examples", "hello-sum", "submissions")
        ids = {}
        for want, rel, contest in (("AC", "accepted/sum.py", cid), ("WA", "wrong_answer/difference.c", None)):
            lang = "python3" if rel.endswith(".py") else "c"
            with open(os.path.join(subs, rel)) as f:
                src = f.read()
            sub = {"problem": hello, "language": lang, "files": [{"name": os.path.basename(rel), "content": src}]}
            if contest:
                sub["contest"] = contest
            status, body = c.call("POST", "/api/v1/submissions", sub)
            if status != 201:
                raise Fail("submit %s: %d %s" % (rel, status, body))
            ids[want] = body["id"]
        for want, sid in ids.items():
            sub = judged(c, sid)
            if sub["verdict"] != want:
                raise Fail("submission %d: verdict %s, expected %s: %s" % (sid, sub["verdict"], want, sub))
            print("submission %d judged %s" % (sid, want))
        sub = judged(c, ids["AC"])
        if sub.get("contest") != cid:
            raise Fail("the contest submission is not in the demo contest: %s" % sub)

        # The demo course: join with the printed code, read the lesson, do the lab.
        if "join code DEMO-COURSE" not in out:
            raise Fail("run.sh did not print the demo course:\n" + out[-2000:])
        status, body = c.call("POST", "/api/v1/courses/join", {"code": "DEMO-COURSE"})
        if status != 200:
            raise Fail("join the demo course: %d %s" % (status, body))
        course = body["course"]
        status, body = c.call("GET", "/api/v1/courses/%d/units" % course)
        unit = body["units"][0] if status == 200 and body.get("units") else {}
        if not unit.get("lessons") or not unit.get("assignments"):
            raise Fail("the demo course's units: %d %s" % (status, body))
        status, body = c.call("GET", "/api/v1/lessons/%d" % unit["lessons"][0]["id"])
        if status != 200 or "embedded-problem" not in body["lesson"]["html"]:
            raise Fail("the demo lesson: %d %s" % (status, body))
        lab = unit["assignments"][0]["id"]
        with open(os.path.join(subs, "accepted", "sum.c")) as f:
            src = f.read()
        status, body = c.call("POST", "/api/v1/submissions", {"problem": hello, "language": "c", "assignment": lab,
                                                              "files": [{"name": "sum.c", "content": src}]})
        if status != 201:
            raise Fail("submit to the demo lab: %d %s" % (status, body))
        if judged(c, body["id"])["verdict"] != "AC":
            raise Fail("the demo lab's submission was not accepted")
        status, body = c.call("GET", "/api/v1/assignments/%d/grades" % lab)
        if status != 200 or [x["total"] for x in body.get("students", [])] != [100]:
            raise Fail("the demo lab's grade: %d %s" % (status, body))

        # The judging was done below the server: its supervisor's daemon.
        with open(os.path.join(work, "run", "serve.pid")) as f:
            serve = int(f.read())
        daemons = judge_daemons(port)
        if not daemons:
            raise Fail("no judge daemon serves port %d" % port)
        for d in daemons:
            sup = proc_stat(d)[1]
            if (proc_stat(sup) or (None, None))[1] != serve:
                raise Fail("judge daemon %d is not below the server %d (its parent %d)" % (d, serve, sup))

        again = run_sh(args.source_dir, env)
        if "admin password: " in again:
            raise Fail("the second run made a new admin:\n" + again[-2000:])
        status, body = c.call("GET", "/api/v1/problems")
        if sorted(p["short_name"] for p in body.get("problems", [])) != names:
            raise Fail("the second run changed the problems: %s" % body)
        status, body = c.call("GET", "/api/v1/submissions/%d" % ids["AC"])
        if status != 200 or body["submission"]["verdict"] != "AC":
            raise Fail("the second run lost a submission: %d %s" % (status, body))
        again_demo = demo_contests(c)
        if [d["id"] for d in again_demo] != [cid]:
            raise Fail("the second run changed the demo contest: %s, was %d" % (again_demo, cid))
        status, body = c.call("GET", "/api/v1/courses")
        if [x["id"] for x in body.get("courses", [])] != [course]:
            raise Fail("the second run changed the demo course: %s" % body)
        run_sh(args.source_dir, env, "stop")
        deadline = time.time() + 10
        while judge_daemons(port) and time.time() < deadline:
            time.sleep(0.2)
        if judge_daemons(port):
            raise Fail("judge daemons left after run.sh stop: %s" % judge_daemons(port))
        ok = True
        print("quickstart: ok")
    finally:
        try:
            run_sh(args.source_dir, env, "stop")
        except Fail as e:
            print(e)
            ok = False
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for log in ("serve.log",):
                path = os.path.join(work, "run", log)
                if os.path.exists(path):
                    with open(path) as f:
                        print("--- %s (last lines)\n%s" % (log, "".join(f.readlines()[-20:])))
            print("(work folder kept: %s)" % work)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print("FAIL:", e)
        sys.exit(1)
