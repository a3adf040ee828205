#!/usr/bin/env python3
"""run_compute_test.py: end-to-end cases for compute budgets and scheduling
(web/api_compute.c, the queue's claim in web/storage_sql.c):

  scheduling  fake judge hosts through the judge protocol: a GPU problem's
              jobs go only to a host with a free GPU (the CPU-only host gets
              204 while they wait), a host with too little memory gets
              nothing, and a burst of 20 submissions from one user does not
              starve another's 2 (fair share), under the per-user cap.
  quota       usage accumulates from fake results with CPU- and GPU-seconds;
              a quota refuses a contest submission with 429 quota_exceeded
              and the exact message shape; the jury raises it and the
              submission goes through; users see their usage.

    run_compute_test.py --crucible PATH --source-dir REPO --work DIR CASE

Exit status: 0 pass, 1 fail.
"""

import io
import os
import re
import sqlite3
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check

GPU_YAML = """problem_format_version: 2023-07-draft
type: pass-fail
name: Train On A GPU
uuid: 6f1c1d8e-6b0e-4a53-9a59-0c7d2f4e5b11
limits:
  memory: 512
crucible:
  ai:
    metric: accuracy
    split_column: usage
    prediction_columns: [label]
    gpus: 1
"""


def gpu_package():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("train/problem.yaml", GPU_YAML)
        z.writestr("train/ai/solution.csv", "id,usage,label\n1,public,a\n2,private,b\n3,public,a\n")
        z.writestr("train/ai/public/test.csv", "id,x\n1,0.5\n2,0.7\n3,0.1\n")
    return out.getvalue()


def refused(r, status, code=None, what=""):
    check(r.status == status, "%s: expected %d, got %r" % (what, status, r))
    if code:
        check(r.error_code() == code, "%s: expected code %s, got %r" % (what, code, r))


def claim(judge, host, gpus=0, memory=8 << 30, extra=None):
    body = base.claim_body(host)
    body["gpus"] = gpus
    body["memory_bytes"] = memory
    body.update(extra or {})
    r = judge.post("/api/v1/judge/claim", body)
    check(r.status in (200, 204), "claim by %s: %r" % (host, r))
    return r.json()["job"] if r.status == 200 else None


def result(judge, job, cpu=0.5, gpu=None, verdict="AC"):
    res = base.fake_result(verdict)
    res["cpu_seconds_total"] = cpu
    if gpu is not None:
        res["gpu_seconds"] = gpu
    r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], res)
    check(r.status == 200, "result: %r" % r)


def case_scheduling(ctx):
    srv, users = base.setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    bob = srv.client()
    bob.login("bob", "bob-password-1")
    judge = srv.client(token=users["judge"][1])
    cpu_pid = base.upload_problem(ctx, srv, admin)
    src = base.sum_c(ctx)

    # A GPU problem: the package's crucible.ai.gpus is stored at upload.
    r = admin.post("/api/v1/problems", gpu_package(), ctype="application/zip")
    check(r.status == 201, "upload the AI package asking for a GPU: %r" % r)
    gpu_pid = r.json()["problem"]["id"]
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(srv.data, "crucible.db"), uri=True, timeout=10)
    stored = db.execute("SELECT gpus FROM problems WHERE id = ?", (gpu_pid,)).fetchone()[0]
    db.close()
    check(stored == 1, "the package's crucible.ai.gpus is not stored: %r" % stored)
    check(admin.request("PATCH", "/api/v1/problems/%d" % gpu_pid, {"published": True}).status == 200, "publish")

    # GPU jobs only to a host with a free GPU; the CPU host gets 204 while they wait.
    g1 = base.submit(alice, gpu_pid, src)
    check(claim(judge, "cpu-host") is None, "the CPU-only host got a GPU job")
    check(claim(judge, "gpu-host", gpus=1, memory=128 << 20) is None, "a host with too little memory got it")
    check(claim(judge, "gpu-host", gpus=0) is None, "a GPU host with its GPUs all held got it")
    job = claim(judge, "gpu-host", gpus=2, extra={"gpu_model": "NVIDIA H100 80GB HBM3"})
    check(job and job["submission_id"] == g1 and job["problem"].get("gpus") == 1, "the GPU job: %r" % job)
    result(judge, job, cpu=1.0, gpu=3.5)
    hosts = {h["name"]: h for h in admin.get("/api/v1/judges").json()["judges"]}
    check(hosts["gpu-host"]["gpus"] == 2, "the GPU host's capabilities: %r" % hosts["gpu-host"])
    refused(judge.post("/api/v1/judge/claim", dict(base.claim_body("x"), gpu_model="a\u0001b")), 400,
            "invalid_field", "a control character in gpu_model")
    refused(judge.post("/api/v1/judge/claim", dict(base.claim_body("x"), gpus=-1)), 400, "invalid_field",
            "negative gpus")
    # A CPU job still goes to the CPU host, and memory is checked against the limit.
    c0 = base.submit(bob, cpu_pid, src)
    check(claim(judge, "small-host", memory=128 << 20) is None, "a 128 MiB host got a 256 MiB problem")
    job = claim(judge, "cpu-host")
    check(job and job["submission_id"] == c0 and "gpus" not in job["problem"], "the CPU job: %r" % job)
    result(judge, job)

    # A burst of 20 from alice, then 2 from bob: bob's are claimed within the
    # next claims, and alice never has more than max_jobs_per_user (2) at once.
    burst = [base.submit(alice, cpu_pid, src) for _ in range(20)]
    later = [base.submit(bob, cpu_pid, src) for _ in range(2)]
    got = []
    for i in range(4):
        job = claim(judge, "host-%d" % i)
        check(job is not None, "claim %d got nothing" % i)
        got.append(job)
    sids = [j["submission_id"] for j in got]
    check(sids == [burst[0], later[0], burst[1], later[1]], "fair share: claimed %r, burst %r, bob %r" %
          (sids, burst[:3], later))
    check(claim(judge, "host-x") is None, "alice's third job started: the per-user cap did not hold")
    for who, sid in (("alice", burst[2]), ("bob", later[0])):
        s = admin.get("/api/v1/submissions/%d" % sid).json()["submission"]
        check(s["status"] in ("queued", "judging"), "%s: %r" % (who, s))
    check(admin.get("/api/v1/submissions/%d" % burst[2]).json()["submission"]["status"] == "queued",
          "alice's third is still queued")
    # A finished job frees a place for the next of the burst.
    result(judge, got[0])
    job = claim(judge, "host-y")
    check(job and job["submission_id"] == burst[2], "after a result: %r" % job)
    check(claim(judge, "host-z") is None, "the cap after a result")
    srv.stop()


def case_quota(ctx):
    srv, users = base.setup_platform(ctx)
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    bob = srv.client()
    bob.login("bob", "bob-password-1")
    judge = srv.client(token=users["judge"][1])
    pid = base.upload_problem(ctx, srv, admin)
    src = base.sum_c(ctx)
    r = admin.post("/api/v1/contests", {"short_name": "ai", "title": "AI", "start_time": int(time.time()) - 60,
                                        "duration": 86400 * 3, "public": True, "registration": "open"})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "problem set: %r" % r)
    for c in (alice, bob):
        r = c.post("/api/v1/contests/%d/register" % cid, {})
        check(r.status in (200, 201), "register: %r" % r)

    def sub(client):
        return client.post("/api/v1/submissions", {"problem": pid, "contest": cid, "language": "c",
                                                   "files": [{"name": "sum.c", "content": src}]})

    def judge_one(cpu, gpu):
        job = claim(judge, "host-a")
        check(job is not None, "nothing to judge")
        result(judge, job, cpu=cpu, gpu=gpu)

    qpath = "/api/v1/contests/%d/quota" % cid
    upath = "/api/v1/contests/%d/usage" % cid
    # No quota: unlimited.
    q = alice.get(qpath).json()
    check(q["quotas"] == {"user": None, "team": None} and q["contest"] == cid, "no quota: %r" % q)
    # Only the jury sets quotas; bodies are checked.
    refused(alice.request("PUT", qpath, {"scope": "user", "cpu_seconds_per_day": 1}), 403, "forbidden", "alice")
    refused(srv.client().request("PUT", qpath, {"scope": "user"}), 401, what="anonymous")
    refused(admin.request("PUT", qpath, {"scope": "crew"}), 400, "invalid_field", "bad scope")
    refused(admin.request("PUT", qpath, {"scope": "user", "cpu_seconds_total": -1}), 400, "invalid_field",
            "negative")
    refused(admin.request("PUT", qpath, {"scope": "user", "cpu_seconds_total": "10"}), 400, "invalid_field",
            "a string")
    refused(admin.request("PUT", qpath, {"scope": "user", "cpu_hours": 1}), 400, "invalid_field", "unknown field")
    refused(admin.request("PUT", "/api/v1/contests/999999/quota", {"scope": "user"}), 404, what="no contest")
    r = admin.request("PUT", qpath, {"scope": "user", "cpu_seconds_per_day": 10, "gpu_seconds_total": None,
                                     "cpu_seconds_total": 0})
    check(r.status == 200, "set the quota: %r" % r)
    uq = r.json()["quotas"]["user"]
    check(uq["cpu_seconds_per_day"] == 10 and uq["cpu_seconds_total"] is None and uq["gpu_seconds_total"] is None
          and r.json()["quotas"]["team"] is None, "the quota: %r" % r.json())
    check(alice.get(qpath).json()["quotas"]["user"]["cpu_seconds_per_day"] == 10, "alice reads the quota")

    # Usage accumulates from results: 6 + 5 CPU-seconds, 2 GPU-seconds.
    check(sub(alice).status == 201, "first submission")
    judge_one(6, 2)
    check(sub(alice).status == 201, "under the quota")
    judge_one(5, 0)
    u = alice.get(upath).json()
    me = u["user"]
    check(me["name"] == "alice" and me["cpu_seconds_today"] == 11 and me["cpu_seconds_total"] == 11
          and me["gpu_seconds_total"] == 2 and me["gpu_seconds_today"] == 2, "alice's usage: %r" % u)
    check(me["left"] == {"cpu_seconds_per_day": 0, "cpu_seconds_total": None, "gpu_seconds_per_day": None,
                         "gpu_seconds_total": None}, "alice's left: %r" % me["left"])
    check(u["team"] is None and re.match(r"^\d{4}-\d\d-\d\dT00:00:00Z$", u["resets_at"]), "usage: %r" % u)
    b = bob.get(upath).json()["user"]
    check(b["name"] == "bob" and b["cpu_seconds_total"] == 0, "bob's usage: %r" % b)

    # Over the daily quota: refused at once, with what is left and when it resets.
    r = sub(alice)
    refused(r, 429, "quota_exceeded", "over the daily quota")
    msg = r.json()["error"]["message"]
    m = re.match(r"^user quota cpu_seconds_per_day used up: 11 of 10 CPU-seconds used, 0 left; "
                 r"resets at (\d{4}-\d\d-\d\dT00:00:00Z)$", msg)
    check(m and m.group(1) == u["resets_at"], "the message: %r" % msg)
    e = r.json()["error"]
    check(e["left"] == 0 and e["quota"] == "cpu_seconds_per_day" and e["scope"] == "user", "error: %r" % e)
    after = int(r.headers.get("retry-after", "-1"))
    check(0 < after <= 86400, "Retry-After: %r" % r.headers)
    check(sub(bob).status == 201, "bob is not over his quota")
    judge_one(1, 0)
    # The jury is held to no quota.
    r = admin.post("/api/v1/submissions", {"problem": pid, "contest": cid, "language": "c",
                                           "files": [{"name": "sum.c", "content": src}]})
    check(r.status == 201, "the jury's submission: %r" % r)
    judge_one(1, 0)

    # A total quota: "never" resets, no Retry-After.
    r = admin.request("PUT", qpath, {"scope": "user", "cpu_seconds_per_day": 100, "gpu_seconds_total": 2})
    check(r.status == 200, "a GPU total: %r" % r)
    r = sub(alice)
    refused(r, 429, "quota_exceeded", "over the GPU total")
    check(r.json()["error"]["message"] == "user quota gpu_seconds_total used up: 2 of 2 GPU-seconds used, "
          "0 left; resets never", "the message: %r" % r.json())
    check("retry-after" not in r.headers, "Retry-After for a total: %r" % r.headers)

    # The jury raises it: the submission goes through.
    r = admin.request("PUT", qpath, {"scope": "user", "cpu_seconds_per_day": 100, "gpu_seconds_total": 50})
    check(r.status == 200, "raise: %r" % r)
    check(sub(alice).status == 201, "after the jury raised the quota")
    left = alice.get(upath).json()["user"]["left"]
    check(left["cpu_seconds_per_day"] == 89 and left["gpu_seconds_total"] == 48, "left: %r" % left)
    judge_one(0, 0)

    # Who sees what: the jury sees all, or one user; others only their own.
    refused(bob.get(upath + "?user=alice"), 403, "forbidden", "bob asks for alice's usage")
    a = admin.get(upath + "?user=alice").json()
    check(a["user"]["name"] == "alice" and a["user"]["cpu_seconds_total"] == 11, "the jury's view of alice: %r" % a)
    allu = admin.get(upath).json()
    names = {x["name"]: x for x in allu["users"]}
    check(set(names) == {"alice", "bob", "boss"} and names["bob"]["cpu_seconds_total"] == 1
          and allu["teams"] == [], "the jury's view: %r" % allu)
    refused(admin.get(upath + "?user=nobody-here"), 404, "not_found", "no such user")
    refused(srv.client().get(upath), 401, what="anonymous usage")

    # A team quota counts the team's submissions.
    r = admin.post("/api/v1/contests", {"short_name": "teams", "title": "Teams", "start_time": int(time.time()) - 60,
                                        "duration": 86400, "public": True, "registration": "open",
                                        "team_mode": True})
    check(r.status == 201, "team contest: %r" % r)
    tid = r.json()["id"]
    check(admin.request("PUT", "/api/v1/contests/%d/problems" % tid,
                        {"problems": [{"problem": pid, "label": "A"}]}).status == 200, "problems")
    r = alice.post("/api/v1/contests/%d/register" % tid, {"team_name": "Owls"})
    check(r.status in (200, 201), "alice's team: %r" % r)
    team = alice.get("/api/v1/contests/%d" % tid).json()["contest"]["my_team"]
    r = admin.post("/api/v1/contests/%d/participants" % tid, {"user": "bob", "team": team})
    check(r.status in (200, 201), "bob joins: %r" % r)
    r = admin.request("PUT", "/api/v1/contests/%d/quota" % tid, {"scope": "team", "cpu_seconds_total": 3})
    check(r.status == 200, "team quota: %r" % r)
    r = alice.post("/api/v1/submissions", {"problem": pid, "contest": tid, "language": "c",
                                           "files": [{"name": "sum.c", "content": src}]})
    check(r.status == 201, "alice in the team contest: %r" % r)
    judge_one(4, 0)
    r = bob.post("/api/v1/submissions", {"problem": pid, "contest": tid, "language": "c",
                                         "files": [{"name": "sum.c", "content": src}]})
    refused(r, 429, "quota_exceeded", "bob, in alice's team")
    check(r.json()["error"]["message"].startswith("team quota cpu_seconds_total used up: 4 of 3"), "%r" % r.json())
    t = bob.get("/api/v1/contests/%d/usage" % tid).json()
    check(t["team"]["name"] == "Owls" and t["team"]["cpu_seconds_total"] == 4 and t["user"]["cpu_seconds_total"] == 0,
          "bob's view of the team: %r" % t)

    # Quota changes are audited.
    acts = [(e["action"], e["target"]) for e in admin.get("/api/v1/audit?limit=100").json()["entries"]]
    check(acts.count(("contest.quota", "contest %d" % cid)) == 3, "audit: %r" % acts)
    srv.stop()


CASES = {
    "scheduling": case_scheduling,
    "quota": case_quota,
}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
