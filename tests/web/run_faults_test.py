#!/usr/bin/env python3
"""run_faults_test.py: the judging queue's guarantees under faults (issue #8).

    run_faults_test.py --crucible PATH --source-dir REPO --work DIR CASE

Cases:

  burst_kill   client threads submit concurrently while a fake judge (the
               judge protocol in Python) claims and completes jobs; the
               server is killed with SIGKILL mid-burst and restarted on the
               same data folder and port. Every submission that got 201
               exists by id, the queue resumes (the fake judge drains it,
               jobs it held at the kill come back when their lease runs out),
               and every submission in the database ends with exactly one
               valid finished judging.
  judge_stop   (root) a real `crucible judge daemon` A holds a slow job and
               is stopped with SIGSTOP past its lease (lease_seconds = 5);
               daemon B gets the job again and judges it; A, continued with
               SIGCONT, is refused (409) and B's judging stays the only one:
               same verdict, same finish time, same test rows.
  judge_cut    (root) as judge_stop, but daemon A talks to the server through
               a TCP proxy in this script, which is cut (every connection
               closed, the port refusing) while A holds the job, and opened
               again after B has judged it: A's late heartbeat or result is
               refused, nothing is recorded twice.

The helpers (Server, Client, setup_platform, ...) are run_web_test.py's;
slow_sum_zip, SLOW_C and the daemon starter are run_reliability_test.py's.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402
import run_reliability_test as rel  # noqa: E402

check = base.check


def judgings_of(srv, sid):
    with rel.db(srv) as c:
        return c.execute("SELECT id, valid, finished_at, verdict FROM judgings WHERE submission_id = ? ORDER BY id",
                         (sid,)).fetchall()


def check_judged_once(srv):
    """Every submission in the database has exactly one valid finished
    judging; no judging has test rows twice; none unfinished has rows."""
    with rel.db(srv) as c:
        bad = c.execute("SELECT id, status, n FROM (SELECT s.id AS id, s.status AS status, "
                        "(SELECT COUNT(*) FROM judgings j WHERE j.submission_id = s.id "
                        "AND j.valid = 1 AND j.finished_at IS NOT NULL) AS n FROM submissions s) x "
                        "WHERE n != 1 OR status != 'judged'").fetchall()
        check(not bad, "submissions not judged exactly once (id, status, valid finished judgings): %r" % bad[:10])
        dup = c.execute("SELECT judging_id, ordinal, COUNT(*) FROM judging_tests GROUP BY judging_id, ordinal "
                        "HAVING COUNT(*) > 1").fetchall()
        check(not dup, "test results recorded twice: %r" % dup[:5])
        # live progress stores a judging's tests as they run, so one abandoned
        # mid-way (its judge or server killed) keeps some; a valid one never
        # stays unfinished with rows
        stray = c.execute("SELECT DISTINCT t.judging_id FROM judging_tests t JOIN judgings j ON j.id = t.judging_id "
                          "WHERE j.finished_at IS NULL AND j.valid = 1").fetchall()
        check(not stray, "test results of valid unfinished judgings: %r" % stray)
        return c.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]


# ---- burst_kill ------------------------------------------------------------------------------------------------

class FakeJudge(threading.Thread):
    """Claims and completes jobs until told to stop; survives the server's
    death (connection errors are retried). Holds the last job it claimed
    unanswered when `hold` is set, so the kill finds a lease in flight."""

    def __init__(self, srv, token):
        super().__init__(daemon=True)
        self.client = srv.client(token=token)
        self.stop = False
        self.hold = False
        self.completed = []
        self.held = []
        self.refused = 0
        self.error = None

    def run(self):
        while not self.stop:
            try:
                r = self.client.post("/api/v1/judge/claim", base.claim_body(), timeout=10)
                if r.status == 204:
                    time.sleep(0.05)
                    continue
                job = r.json()["job"]
                if self.hold and len(self.held) < 3:
                    self.held.append(job["id"])
                    continue
                r = self.client.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result("AC"), timeout=10)
                if r.status == 200:
                    self.completed.append(job["submission_id"])
                else:
                    self.refused += 1
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            except base.Fail as e:
                self.error = str(e)
                return


def case_burst_kill(ctx):
    srv, users = base.setup_platform(ctx, config={"lease_seconds": "5"})
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    pid = base.upload_problem(ctx, srv, admin)
    source = base.sum_c(ctx)
    acked, lock = [], threading.Lock()
    stop = threading.Event()

    def submitter(n):
        c = srv.client()
        c.login("alice" if n % 2 else "bob", "alice-password-1" if n % 2 else "bob-password-1")
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = c.post("/api/v1/submissions", {"problem": pid, "language": "c",
                                                   "files": [{"name": "t%d_%d.c" % (n, i), "content": source}]},
                           timeout=10)
            except (OSError, http.client.HTTPException):
                return                      # the server died under this request
            if r.status == 201:
                with lock:
                    acked.append(r.json()["id"])

    judge = FakeJudge(srv, users["judge"][1])
    judge.start()
    threads = [threading.Thread(target=submitter, args=(i,), daemon=True) for i in range(6)]
    for t in threads:
        t.start()
    rel.wait_for("20 acknowledged submissions", lambda: len(acked) >= 20, 30)
    judge.hold = True                       # leases in flight at the kill
    rel.wait_for("the fake judge holding a job", lambda: judge.held, 20)
    rel.wait_for("40 acknowledged submissions", lambda: len(acked) >= 40, 30)
    port = srv.port
    srv.proc.kill()                         # mid-burst: requests are in flight
    srv.proc.wait()
    srv.proc = None
    srv.logf.close()
    stop.set()
    for t in threads:
        t.join(timeout=20)
    print("killed the server after %d acknowledged submissions; %d completed, %d jobs held" %
          (len(acked), len(judge.completed), len(judge.held)))
    judge.hold = False
    srv.start(port=port)

    c = srv.client()
    c.login("boss", "boss-password-1")
    for sid in acked:
        r = c.get("/api/v1/submissions/%d" % sid)
        check(r.status == 200, "acknowledged submission %d is lost after the restart: %r" % (sid, r))

    def drained():
        with rel.db(srv) as d:
            left = d.execute("SELECT COUNT(*) FROM submissions WHERE status != 'judged'").fetchone()[0]
        return left == 0
    rel.wait_for("the queue drained after the restart (leases of held jobs expire)", drained, 60)
    judge.stop = True
    judge.join(timeout=20)
    check(judge.error is None, "the fake judge: %s" % judge.error)
    n = check_judged_once(srv)
    with rel.db(srv) as d:
        for jid in judge.held:
            valid, finished = d.execute("SELECT valid, finished_at FROM judgings WHERE id = ?", (jid,)).fetchone()
            check(valid == 0 and finished is None, "held judging %d: valid %r finished %r" % (jid, valid, finished))
    # a late answer for a held job is refused and changes nothing
    for jid in judge.held:
        r = judge.client.post("/api/v1/judge/jobs/%d/result" % jid, base.fake_result("WA"))
        check(r.status == 409 and r.error_code() == "lease_lost", "late result of held job %d: %r" % (jid, r))
    check_judged_once(srv)
    print("%d submissions in the database (%d acknowledged), each judged once" % (n, len(acked)))
    srv.stop()


# ---- judge_stop / judge_cut -------------------------------------------------------------------------------------

class Proxy:
    """A TCP forwarder from a loopback port to the server; cut() closes
    every connection and the listening socket (the port refuses), open()
    listens again on the same port."""

    def __init__(self, target_port):
        self.target = target_port
        self.port = None
        self.sock = None
        self.conns = []
        self.gen = 0                        # connections of an older generation are dead
        self.lock = threading.Lock()

    def open(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port or 0))
        s.listen(16)
        s.settimeout(0.2)
        self.port = s.getsockname()[1]
        with self.lock:
            self.sock = s
            gen = self.gen
        threading.Thread(target=self._accept, args=(s, gen), daemon=True).start()

    def _accept(self, s, gen):
        while True:
            try:
                a, _ = s.accept()
            except socket.timeout:
                if self.gen != gen:
                    return
                continue
            except OSError:
                return
            try:
                b = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            except OSError:
                a.close()
                continue
            a.settimeout(None)
            b.settimeout(None)
            with self.lock:
                if self.gen != gen:         # cut meanwhile
                    a.close()
                    b.close()
                    return
                self.conns += [a, b]
            for x, y in ((a, b), (b, a)):
                threading.Thread(target=self._pump, args=(x, y), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for x in (src, dst):
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        with self.lock:
            self.gen += 1
            conns, self.conns = self.conns, []
            s, self.sock = self.sock, None
        if s:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()


def start_daemon_at(ctx, srv, token_file, name, url):
    log = open(os.path.join(srv.dir, name + ".log"), "ab")
    p = subprocess.Popen([ctx.crucible, "judge", "daemon", "--server=" + url, "--token-file=" + token_file,
                          "--workers=1", "--cache=" + os.path.join(srv.dir, "cache-" + name),
                          "--work-dir=" + os.path.join(srv.dir, "work-" + name),
                          "--languages=" + os.path.join(ctx.src, "judge", "languages.yaml")],
                         stdout=log, stderr=log)
    p.logf = log
    return p


def late_judge(ctx, how):
    """judge_stop and judge_cut: A holds the job, is taken away past its
    lease (how = "stop" or "cut"), B judges it, A comes back."""
    if os.geteuid() != 0:
        raise base.Skip("the judge's sandbox needs root")
    srv, users = base.setup_platform(ctx, config={"judges": "0", "lease_seconds": "5"})
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    slow = rel.upload(srv, admin, rel.slow_sum_zip(ctx))
    sid = base.submit(alice, slow, rel.SLOW_C, "c", "slow.c")
    token = os.path.join(srv.dir, "judge.token")
    with open(token, "w") as f:
        f.write(users["judge"][1] + "\n")
    os.chmod(token, 0o600)
    direct = "http://127.0.0.1:%d" % srv.port
    proxy = None
    daemons = []
    try:
        url = direct
        if how == "cut":
            proxy = Proxy(srv.port)
            proxy.open()
            url = "http://127.0.0.1:%d" % proxy.port
        a = start_daemon_at(ctx, srv, token, "daemon-a", url)
        daemons.append(a)
        held = rel.wait_for("daemon A holds the job", lambda: rel.running_judgings(srv), 60)
        time.sleep(0.5)
        if how == "stop":
            a.send_signal(signal.SIGSTOP)
        else:
            proxy.cut()
        print("daemon A holds judging %s: %s" % (held, "stopped" if how == "stop" else "connection cut"))
        b = start_daemon_at(ctx, srv, token, "daemon-b", direct)
        daemons.append(b)

        def judged():
            return alice.get("/api/v1/submissions/%d" % sid).json()["submission"]["status"] == "judged"
        try:
            rel.wait_for("daemon B judged the job again", judged, 90)
        except base.Fail as e:
            raise base.Fail("%s\ndaemon B:\n%s" % (e, rel.daemon_log(srv, "daemon-b")))
        before = judgings_of(srv, sid)
        with rel.db(srv) as c:
            tests_before = c.execute("SELECT t.judging_id, t.ordinal, t.verdict, t.time_seconds FROM judging_tests t JOIN judgings j "
                                     "ON j.id = t.judging_id WHERE j.submission_id = ? ORDER BY 1, 2",
                                     (sid,)).fetchall()
        valid = [j for j in before if j[1] == 1]
        check(len(valid) == 1 and valid[0][0] not in held and valid[0][3] == "AC",
              "after B: judgings %r (A held %r)" % (before, held))

        # A comes back, late.
        if how == "stop":
            a.send_signal(signal.SIGCONT)
        else:
            proxy.open()

        def refused():
            text = rel.daemon_log(srv, "daemon-a")
            return "lease lost" in text or "refused the result" in text
        try:
            rel.wait_for("daemon A told its lease is lost", refused, 60)
        except base.Fail as e:
            raise base.Fail("%s\ndaemon A:\n%s" % (e, rel.daemon_log(srv, "daemon-a")))
        time.sleep(1)
        after = judgings_of(srv, sid)
        with rel.db(srv) as c:
            tests_after = c.execute("SELECT t.judging_id, t.ordinal, t.verdict, t.time_seconds FROM judging_tests t JOIN judgings j "
                                    "ON j.id = t.judging_id WHERE j.submission_id = ? ORDER BY 1, 2",
                                    (sid,)).fetchall()
        check(after == before, "A's late return changed the judgings: %r -> %r" % (before, after))
        check(tests_after == tests_before, "A's late return changed the test rows")
        s = alice.get("/api/v1/submissions/%d" % sid).json()["submission"]
        check(s["verdict"] == "AC" and s["status"] == "judged", "after A: %r" % s)
        check(a.poll() is None, "daemon A died instead of going on: %s" % rel.daemon_log(srv, "daemon-a"))
        # the queue still works for A: a new job is judged once
        sid2 = base.submit(alice, slow, rel.SLOW_C, "c", "slow2.c")
        rel.wait_for("the next job judged", lambda: alice.get("/api/v1/submissions/%d" % sid2).json()
                     ["submission"]["status"] == "judged", 90)
    finally:
        rel.stop_daemons(srv, daemons)
        if proxy:
            proxy.cut()
    srv.stop()
    check_judged_once(srv)
    print("judgings of submission %d: %r" % (sid, judgings_of(srv, sid)))


def case_judge_stop(ctx):
    late_judge(ctx, "stop")


def case_judge_cut(ctx):
    late_judge(ctx, "cut")


CASES = {
    "burst_kill": case_burst_kill,
    "judge_stop": case_judge_stop,
    "judge_cut": case_judge_cut,
}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
