#!/usr/bin/env python3
"""run_pg_test.py: end-to-end cases that only make sense on the PostgreSQL
engine (run_web_test.py's helpers; CRUCIBLE_TEST_PG names the cluster, as
the CTest fixture `pg` sets it; without it the cases skip, 77):

    run_pg_test.py --crucible PATH --source-dir REPO --work DIR CASE

multi_process: two `crucible serve` processes, A and B, with different data
folders on one database (B's folder starts empty and B never runs `crucible
init`), on two ports: a session made on A works on B and a logout on B ends
it on A; a package uploaded through A downloads byte for byte through B; a
submission made on A is claimed, fetched and judged by a fake judge talking
to B, the verdict read on A; a contest's scoreboard and streamed event feed
on A show a judgement reported through B within a few seconds; A is killed
with SIGKILL in the middle of a burst of submissions and B serves on with
every acknowledged submission, then A comes back on the same database.

reconnect: PostgreSQL drops every connection of the server (as a restart or
a failover does) three times: between requests, during a burst of
submissions, and while a judge reports; the server opens new connections
and every request after the drop succeeds, nothing acknowledged is lost,
and the server never exits.
"""

import hashlib
import http.client
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
Fail = base.Fail

NOTICE_SECONDS = 5          # how soon one process must see another's write


def login(srv, name, pw):
    c = srv.client()
    c.login(name, pw)
    return c


def on(srv, client):
    """The same user agent (cookie, CSRF token, API token) talking to srv."""
    c = srv.client(client.token)
    c.cookie, c.csrf = client.cookie, client.csrf
    return c


def judge_one(judge, verdict="AC", host="host-b"):
    """Claims one job through judge's server, fetches its blobs there, and
    posts verdict; returns the job."""
    r = judge.post("/api/v1/judge/claim", base.claim_body(host))
    check(r.status == 200, "claim: %r" % r)
    job = r.json()["job"]
    for blob in [job["problem"]["package"]] + [f["blob"] for f in job["files"]]:
        r = judge.get("/api/v1/judge/blobs/" + blob)
        check(r.status == 200 and hashlib.blake2b(r.body, digest_size=32).hexdigest() == blob,
              "blob %s through %d: %r" % (blob, judge.server.port, r))
    r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result(verdict))
    check(r.status == 200, "result: %r" % r)
    return job


def wait_for(what, fn, seconds=NOTICE_SECONDS):
    """Polls fn() until it returns something true; returns it and the wait."""
    t0 = time.time()
    while True:
        got = fn()
        if got:
            return got, time.time() - t0
        if time.time() - t0 > seconds:
            raise Fail("%s: not seen within %d s" % (what, seconds))
        time.sleep(0.1)


def all_submission_ids(client):
    have, before = set(), 0
    while True:
        page = client.get("/api/v1/submissions" + ("?before=%d" % before if before else "")).json()["submissions"]
        if not page:
            return have
        have.update(x["id"] for x in page)
        before = page[-1]["id"]


def case_multi_process(ctx):
    if not base.PG:
        raise base.Skip("CRUCIBLE_TEST_PG is not set (run through ctest's pg fixture)")
    a = ctx.server("a", {"lease_seconds": "10"})
    users = {"admin": a.add_user("boss", "admin", "boss-password-1"),
             "alice": a.add_user("alice", "contestant", "alice-password-1"),
             "bob": a.add_user("bob", "contestant", "bob-password-1"),
             "judge": a.add_user("judge1", "judge")}
    a.start()
    b = base.Server(ctx, "b", {"lease_seconds": "10", "database": a.database}, init=False)
    ctx.servers.append(b)
    check(os.listdir(b.data) == [], "B's data folder is not empty: %r" % os.listdir(b.data))
    b.start()
    check(a.port != b.port, "one port for both")

    # ---- users and sessions: made on one process, good on the other
    alice_a = login(a, "alice", "alice-password-1")
    alice_b = on(b, alice_a)
    me = alice_b.get("/api/v1/me")
    check(me.status == 200 and me.json()["user"]["name"] == "alice", "A's session on B: %r" % me)
    r = b.client().post("/api/v1/register", {"name": "carol", "password": "carol-password"})
    check(r.status == 201, "register on B: %r" % r)
    carol_a = login(a, "carol", "carol-password")
    check(carol_a.get("/api/v1/me").json()["user"]["name"] == "carol", "a user registered on B, on A")
    check(b.client().post("/api/v1/register", {"name": "CAROL", "password": "carol-password"}).status == 409,
          "names stay unique across processes")
    carol_b = on(b, carol_a)
    r = carol_b.post("/api/v1/logout")
    check(r.status == 204, "logout on B: %r" % r)
    check(on(a, carol_a).get("/api/v1/me").status == 401, "a session ended on B lives on on A")
    judge_b = b.client(token=users["judge"][1])
    check(judge_b.get("/api/v1/me").json()["user"]["role"] == "judge", "the judge's token (made by A's init) on B")

    # ---- a package uploaded through A, downloaded through B
    admin_a = login(a, "boss", "boss-password-1")
    admin_b = on(b, admin_a)
    zipped = ctx.hello_sum_zip()
    pid = base.upload_problem(ctx, a, admin_a)
    r = admin_b.get("/api/v1/problems/%d/package" % pid)
    check(r.status == 200 and r.body == zipped, "the package through B differs: %d, %d bytes" % (r.status, len(r.body)))
    digest = hashlib.blake2b(zipped, digest_size=32).hexdigest()
    r = judge_b.get("/api/v1/judge/blobs/" + digest)
    check(r.status == 200 and r.body == zipped, "the package blob through B: %r" % r)
    p = on(b, alice_a).get("/api/v1/problems/%d" % pid)
    check(p.status == 200 and p.json()["problem"]["published"] is True, "the published problem on B: %r" % p)

    # ---- a submission on A, judged through B, the verdict read on A
    source = base.sum_c(ctx)
    sid = base.submit(alice_a, pid, source)
    job = judge_one(judge_b, "AC")
    check(job["submission_id"] == sid, "B handed out another job: %r" % job)
    check(judge_b.post("/api/v1/judge/claim", base.claim_body("host-b")).status == 204, "a job twice")
    s = alice_a.get("/api/v1/submissions/%d" % sid).json()["submission"]
    check(s["status"] == "judged" and s["verdict"] == "AC" and len(s["tests"]) == 2, "the verdict on A: %r" % s)
    # and the other way round: a submission on B, claimed through A, result through B
    sid2 = base.submit(alice_b, pid, source)
    judge_a = a.client(token=users["judge"][1])
    r = judge_a.post("/api/v1/judge/claim", base.claim_body("host-a"))
    check(r.status == 200 and r.json()["job"]["submission_id"] == sid2, "claim through A: %r" % r)
    jid2 = r.json()["job"]["id"]
    check(judge_b.post("/api/v1/judge/jobs/%d/heartbeat" % jid2).status == 200, "a heartbeat through B")
    check(judge_b.post("/api/v1/judge/jobs/%d/result" % jid2, base.fake_result("WA")).status == 200,
          "a result through B for a job claimed through A")
    check(judge_a.post("/api/v1/judge/jobs/%d/result" % jid2, base.fake_result("AC")).status == 409,
          "a second result through A")
    check(alice_a.get("/api/v1/submissions/%d" % sid2).json()["submission"]["verdict"] == "WA", "WA on A")

    # ---- a contest on A: its scoreboard and event feed see a judgement reported through B
    now = int(time.time())
    start = now - 30 * 60
    r = admin_a.post("/api/v1/contests", {"short_name": "mp1", "title": "Two processes", "start_time": start,
                                          "duration": 120 * 60, "public": True, "team_mode": True,
                                          "rules": "icpc", "registration": "admin"})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    r = admin_b.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "problem set through B: %r" % r)
    for team, member in (("Alpha", "alice"), ("Beta", "bob")):
        r = admin_a.post("/api/v1/contests/%d/teams" % cid, {"name": team, "members": [member]})
        check(r.status == 201, "team %s: %r" % (team, r))

    def solved_on_a():
        rows = admin_a.get("/api/v1/contests/%d/scoreboard" % cid).json()["rows"]
        return [row for row in rows if row["name"] == "Alpha" and row.get("solved") == 1]

    check(not solved_on_a(), "Alpha solved something before submitting")
    feed = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    feed.request("GET", "/api/contests/mp1/event-feed")
    resp = feed.getresponse()
    check(resp.status == 200, "A's streaming event feed: %d" % resp.status)
    events = []

    def read_feed():                # until the connection ends (feed.close() below)
        try:
            for line in iter(resp.readline, b""):
                if line.strip():
                    events.append((time.time(), json.loads(line)))
        except (OSError, ValueError, http.client.HTTPException):
            pass

    reader = threading.Thread(target=read_feed, daemon=True)
    reader.start()
    # the snapshot is out when nothing more comes for a second
    wait_for("A's event feed snapshot", lambda: events and time.time() - events[-1][0] > 1.0, 10)
    r = alice_a.post("/api/v1/submissions", {"contest": cid, "problem": pid, "language": "c",
                                             "files": [{"name": "sum.c", "content": source}]})
    check(r.status == 201, "contest submission on A: %r" % r)
    csid = r.json()["id"]
    job = judge_one(judge_b, "AC")
    check(job["submission_id"] == csid, "B judged another job: %r" % job)
    t_result = time.time()

    def judgement_on_a():
        return [(t, e) for t, e in events if e["type"] == "judgements" and e.get("data")
                and e["data"]["submission_id"] == str(csid) and e["data"].get("judgement_type_id")]

    found, _ = wait_for("the judgement made through B in A's event feed", judgement_on_a)
    t_feed, e = found[0]
    check(e["data"]["judgement_type_id"] == "AC", "the streamed judgement: %r" % e)
    feed.sock.shutdown(socket.SHUT_RDWR)        # ends the reader's readline at once
    reader.join(10)
    feed.close()
    print("B's judgement in A's event feed after %.2f s" % max(0.0, t_feed - t_result))
    wait_for("Alpha's solve on A's scoreboard", solved_on_a, max(0.5, NOTICE_SECONDS - (time.time() - t_result)))
    print("B's judgement on A's scoreboard after %.2f s" % (time.time() - t_result))
    rows = {row["name"]: row for row in on(b, admin_a).get("/api/v1/contests/%d/scoreboard" % cid).json()["rows"]}
    check(rows["Alpha"].get("solved") == 1, "B's scoreboard: %r" % rows)

    # ---- A killed with SIGKILL in the middle of a burst: B serves on, nothing is lost
    acked, lock = [], threading.Lock()
    stop_at = time.time() + 20

    def worker(srv, client, n):
        while time.time() < stop_at:
            try:
                r = client.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                                        "files": [{"name": "w%d.c" % n, "content": source}]},
                                timeout=15)
            except (OSError, http.client.HTTPException, Fail):
                if srv is a:
                    return          # A is gone
                raise
            if r.status == 201:
                with lock:
                    acked.append(r.json()["id"])

    bob_a = login(a, "bob", "bob-password-1")
    errors = []

    def run(srv, client, n):
        try:
            worker(srv, client, n)
        except Exception as e:      # reported below
            errors.append("%s: %r" % ("A" if srv is a else "B", e))

    threads = [threading.Thread(target=run, args=(a, on(a, bob_a), i)) for i in range(3)]
    threads += [threading.Thread(target=run, args=(b, on(b, bob_a), 10 + i)) for i in range(2)]
    for t in threads:
        t.start()
    wait_for("submissions before the kill", lambda: len(acked) >= 20, 15)
    a.proc.kill()
    a.proc.wait()
    a.proc = None
    a.logf.close()
    n_at_kill = len(acked)
    wait_for("submissions through B after A's death", lambda: len(acked) >= n_at_kill + 10, 15)
    stop_at = 0
    for t in threads:
        t.join()
    check(not errors, "B failed while A died: %r" % errors)
    bob_b = on(b, bob_a)
    check(bob_b.get("/api/v1/me").status == 200, "a session made on A died with A")
    have = all_submission_ids(bob_b)
    missing = set(acked) - have
    check(not missing, "%d acknowledged submissions lost: %r" % (len(missing), sorted(missing)[:10]))
    check(len(set(acked)) == len(acked), "one id acknowledged twice")
    # B judges them all, each exactly once: the acknowledged ones and any that
    # A stored but died before acknowledging
    queued = {x for x in have if x > csid}
    check(len(queued) - len(acked) <= 3, "%d stored, only %d acknowledged" % (len(queued), len(acked)))
    judged = []
    while True:
        r = judge_b.post("/api/v1/judge/claim", base.claim_body("host-b"))
        if r.status == 204:
            break
        check(r.status == 200, "claim after the kill: %r" % r)
        job = r.json()["job"]
        check(judge_b.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result("AC")).status == 200,
              "result after the kill")
        judged.append(job["submission_id"])
    check(sorted(judged) == sorted(queued), "judged %d jobs (%d distinct) for %d stored submissions" %
          (len(judged), len(set(judged)), len(queued)))
    for sid3 in (acked[0], acked[-1]):
        s = bob_b.get("/api/v1/submissions/%d" % sid3).json()["submission"]
        check(s["status"] == "judged" and s["verdict"] == "AC", "after the kill: %r" % s)
    # A comes back on the same database and sees everything B did meanwhile
    a.start()
    have_a = all_submission_ids(on(a, bob_a))
    check(set(acked) <= have_a, "A restarted misses submissions")
    s = on(a, bob_a).get("/api/v1/submissions/%d" % acked[-1]).json()["submission"]
    check(s["verdict"] == "AC", "A restarted: %r" % s)
    a.stop()
    b.stop()


def drop_connections(srv):
    """Ends every connection to srv's database but psql's own."""
    name = srv.database.split("dbname=")[-1].split()[0]
    return base.pg_run(base.PG + " dbname=postgres",
                       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = '%s' AND pid <> pg_backend_pid()" % name)


def case_reconnect(ctx):
    if not base.PG:
        raise base.Skip("CRUCIBLE_TEST_PG is not set (run through ctest's pg fixture)")
    a = ctx.server("a")
    a.add_user("boss", "admin", "boss-password-1")
    a.add_user("alice", "contestant", "alice-password-1")
    token = a.add_user("judge1", "judge")[1]
    a.start()
    admin = login(a, "boss", "boss-password-1")
    alice = login(a, "alice", "alice-password-1")
    judge = a.client(token=token)
    pid = base.upload_problem(ctx, a, admin)

    # between requests: every pooled connection is dead; each request finds
    # a dead one first, reconnects and is retried (none is in a transaction)
    n = int(drop_connections(a)[0])
    check(n >= 1, "the server held no connection to drop")
    for i in range(8):
        r = alice.get("/api/v1/me")
        check(r.status == 200, "request %d after the drop: %r" % (i, r))
    r = a.client().post("/api/v1/register", {"name": "dave", "password": "dave-password-1"})
    check(r.status == 201, "a write after the drop: %r" % r)

    # during a burst: a submission may fail while its connection goes (a
    # 5xx, never a crash), but every one acknowledged exists afterwards
    acked, failed = [], []
    stop = threading.Event()
    body = {"problem": pid, "language": "c", "files": [{"name": "sum.c", "content": "int main(void) { return 0; }\n"}]}

    def burst():
        while not stop.is_set():
            r = alice.post("/api/v1/submissions", body)
            (acked if r.status == 201 else failed).append(r.json()["id"] if r.status == 201 else r.status)
    a.allow_5xx = True
    t = threading.Thread(target=burst)
    t.start()
    time.sleep(0.5)
    drop_connections(a)
    time.sleep(0.5)
    stop.set()
    t.join()
    check(len(acked) >= 5, "only %d submissions acknowledged around the drop (failed: %r)" % (len(acked), failed))
    check(all(s >= 500 for s in failed), "a failure that is not the server's: %r" % failed)
    r = alice.post("/api/v1/submissions", body)
    check(r.status == 201, "a submission after the burst: %r" % r)
    acked.append(r.json()["id"])
    have = all_submission_ids(alice)
    check(set(acked) <= have, "acknowledged submissions lost: %r" % sorted(set(acked) - have)[:10])

    # while a judge reports: the claim holds, the result lands after the drop
    r = judge.post("/api/v1/judge/claim", base.claim_body("host-a"))
    check(r.status == 200, "claim: %r" % r)
    job = r.json()["job"]
    drop_connections(a)
    r = judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result("AC"))
    check(r.status == 200, "result after the drop: %r" % r)
    s = alice.get("/api/v1/submissions/%d" % job["submission_id"]).json()["submission"]
    check(s["verdict"] == "AC", "the judgement reported after the drop: %r" % s)
    check(a.proc.poll() is None, "the server exited")
    a.stop()


CASES = {"multi_process": case_multi_process, "reconnect": case_reconnect}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
