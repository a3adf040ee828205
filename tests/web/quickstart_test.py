#!/usr/bin/env python3
"""e2e.quickstart: the README's run command, as a user runs it.

Runs deploy/run.sh with a fresh data folder, pid folder and loopback port,
then does what a newcomer would: registers, logs in, submits a correct and a
wrong solution to an imported example problem and waits for the judge's
verdicts. Runs deploy/run.sh a second time and checks that nothing was
replaced (no new admin password, the same problems, the submissions still
there), then stops everything with `deploy/run.sh stop`.

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
        c = Client("http://127.0.0.1:%d" % port)
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
        subs = os.path.join(args.source_dir, "problems", "examples", "hello-sum", "submissions")
        ids = {}
        for want, rel in (("AC", "accepted/sum.py"), ("WA", "wrong_answer/difference.c")):
            lang = "python3" if rel.endswith(".py") else "c"
            with open(os.path.join(subs, rel)) as f:
                src = f.read()
            status, body = c.call("POST", "/api/v1/submissions",
                                  {"problem": hello, "language": lang,
                                   "files": [{"name": os.path.basename(rel), "content": src}]})
            if status != 201:
                raise Fail("submit %s: %d %s" % (rel, status, body))
            ids[want] = body["id"]
        for want, sid in ids.items():
            sub = judged(c, sid)
            if sub["verdict"] != want:
                raise Fail("submission %d: verdict %s, expected %s: %s" % (sid, sub["verdict"], want, sub))
            print("submission %d judged %s" % (sid, want))

        again = run_sh(args.source_dir, env)
        if "admin password: " in again:
            raise Fail("the second run made a new admin:\n" + again[-2000:])
        status, body = c.call("GET", "/api/v1/problems")
        if sorted(p["short_name"] for p in body.get("problems", [])) != names:
            raise Fail("the second run changed the problems: %s" % body)
        status, body = c.call("GET", "/api/v1/submissions/%d" % ids["AC"])
        if status != 200 or body["submission"]["verdict"] != "AC":
            raise Fail("the second run lost a submission: %d %s" % (status, body))
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
            for log in ("serve.log", "judge.log"):
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
