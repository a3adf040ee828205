#!/usr/bin/env python3
"""run_ai_files_test.py: an AI problem's downloadable files (CTest e2e.web.ai_files).

    run_ai_files_test.py --crucible PATH --source-dir REPO --work DIR ai_files

The iris example (problems/examples/iris-ai) is uploaded: its ai/public/
files are listed and downloaded, byte for byte, as attachments, by exactly
whoever may see the statement (the archive: staff while unpublished, anyone
once published; a contest: its participants once it started and its jury),
and nothing else of the package ever is (ai/solution.csv, paths that try to
leave ai/public). The problem's JSON says it is AI (metric, direction,
precision). Packages with a file name the URL cannot carry are refused;
hidden files and subfolders of ai/public are left out.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
IRIS = os.path.join("problems", "examples", "iris-ai")


def read(ctx, rel):
    with open(os.path.join(ctx.src, IRIS, rel), "rb") as f:
        return f.read()


def case_ai_files(ctx):
    srv, users = base.setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    bob = srv.client()
    bob.login("bob", "bob-password-1")
    anon = srv.client()

    extra = {"ai/public/.hidden": b"not listed", "ai/public/sub/inner.csv": b"id\n1\n"}
    r = admin.post("/api/v1/problems?name=iris", ctx.zip_dir(os.path.join(ctx.src, IRIS), top="iris-ai", edit=extra),
                   ctype="application/zip")
    check(r.status == 201, "upload iris-ai: %r" % r)
    pid = r.json()["problem"]["id"]
    test_csv, train_csv = read(ctx, "ai/public/test.csv"), read(ctx, "ai/public/train.csv")
    solution = read(ctx, "ai/solution.csv")

    # the problem's JSON says it is AI
    r = admin.get("/api/v1/problems/%d" % pid)
    check(r.status == 200, "problem: %r" % r)
    ai = r.json()["problem"].get("ai")
    check(ai == {"metric": "accuracy", "direction": "maximize", "precision": 4}, "ai object: %r" % ai)

    # the list: ai/public's regular files only, by name
    r = admin.get("/api/v1/problems/%d/files" % pid)
    check(r.status == 200, "files: %r" % r)
    files = r.json()["files"]
    check(files == [{"name": "test.csv", "size": len(test_csv)}, {"name": "train.csv", "size": len(train_csv)}],
          "files: %r" % files)
    r = admin.get("/api/v1/problems/%d/files/test.csv" % pid)
    check(r.status == 200 and r.body == test_csv, "download test.csv: %r" % r)
    check(r.headers.get("content-disposition") == 'attachment; filename="test.csv"',
          "Content-Disposition: %r" % r.headers)
    check(r.headers.get("content-type", "").startswith("text/csv"), "Content-Type: %r" % r.headers)
    # nothing outside ai/public, whatever the name
    for name in ("solution.csv", "problem.yaml", "..%2Fsolution.csv", "../solution.csv", "..", ".hidden",
                 "inner.csv", "sub", "%2e%2e%2fsolution.csv"):
        r = admin.get("/api/v1/problems/%d/files/%s" % (pid, name))
        check(r.status in (400, 404), "files/%s: %r" % (name, r))
        check(solution not in r.body and b"virginica,private" not in r.body, "files/%s leaks the solution" % name)

    # unpublished: staff only; published: anyone
    for c in (alice, anon):
        check(c.get("/api/v1/problems/%d/files" % pid).status == 404, "an unpublished problem's files listed")
        check(c.get("/api/v1/problems/%d/files/test.csv" % pid).status == 404, "an unpublished problem's file")

    # through a contest: participants once it started, the jury always
    now = int(time.time())
    r = admin.post("/api/v1/contests", {"short_name": "later", "title": "Later", "start_time": now + 3600,
                                        "duration": 3600, "public": False, "registration": "open"})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    check(admin.request("PUT", "/api/v1/contests/%d/problems" % cid,
                        {"problems": [{"problem": pid, "label": "A"}]}).status == 200, "problem set")
    r = admin.post("/api/v1/contests/%d/participants" % cid, {"user": "alice", "role": "participant"})
    check(r.status in (200, 201), "add alice: %r" % r)
    path = "/api/v1/contests/%d/problems/%d/files" % (cid, pid)
    r = alice.get(path)
    check(r.status == 403 and r.error_code() == "not_started", "before the start: %r" % r)
    check(alice.get(path + "/test.csv").status == 403, "a file before the start")
    check(admin.get(path).status == 200, "the jury before the start")
    check(bob.get(path).status == 404 and anon.get(path).status == 404, "a private contest's files to outsiders")
    check(admin.request("PATCH", "/api/v1/contests/%d" % cid, {"start_time": now - 60}).status == 200, "start")
    r = alice.get(path)
    check(r.status == 200 and [f["name"] for f in r.json()["files"]] == ["test.csv", "train.csv"], "list: %r" % r)
    r = alice.get(path + "/train.csv")
    check(r.status == 200 and r.body == train_csv, "participant downloads train.csv: %r" % r)
    check(alice.get(path + "/solution.csv").status == 404, "solution.csv through the contest")
    r = alice.get("/api/v1/contests/%d/problems/%d" % (cid, pid))
    check(r.status == 200 and r.json()["problem"]["ai"]["metric"] == "accuracy", "contest problem ai: %r" % r)
    r = alice.get("/api/v1/contests/%d/problems" % cid)
    check(r.status == 200 and r.json()["problems"][0]["ai"]["direction"] == "maximize", "contest problems: %r" % r)
    check(bob.get(path + "/test.csv").status == 404, "a non-participant downloads")

    # published: anyone, in the archive
    check(admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True}).status == 200, "publish")
    r = anon.get("/api/v1/problems/%d/files/test.csv" % pid)
    check(r.status == 200 and r.body == test_csv, "anyone downloads a published problem's file: %r" % r)

    # a problem that is not AI: no ai object, no files
    hello = base.upload_problem(ctx, srv, admin)
    r = admin.get("/api/v1/problems/%d" % hello)
    check(r.json()["problem"].get("ai", "absent") is None, "not AI: %r" % r.json()["problem"].get("ai"))
    r = admin.get("/api/v1/problems/%d/files" % hello)
    check(r.status == 200 and r.json()["files"] == [], "files of a non-AI problem: %r" % r)

    # a file name the download URL cannot carry refuses the package, naming the file
    r = admin.post("/api/v1/problems?name=iris-bad",
                   ctx.zip_dir(os.path.join(ctx.src, IRIS), top="iris-ai", edit={"ai/public/my data.csv": b"id\n"}),
                   ctype="application/zip")
    check(r.status == 422 and "ai/public/my data.csv" in r.body.decode(), "bad file name: %r" % r)
    srv.stop()


CASES = {"ai_files": case_ai_files}


def main():
    base.CASES.clear()
    base.CASES.update(CASES)
    return base.main()


if __name__ == "__main__":
    sys.exit(main())
