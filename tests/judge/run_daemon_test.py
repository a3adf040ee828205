#!/usr/bin/env python3
"""run_daemon_test.py: runs one end-to-end case of `crucible judge daemon`.

Each case starts a fake Crucible server (FakeServer below: the server side
of the judging protocol with an in-memory queue, on a loopback port) and the
real daemon against it, then checks what the server saw: claims, blob
downloads, heartbeats, progress posts and results.

    run_daemon_test.py --crucible PATH --source-dir REPO --work DIR CASE

The package is built at test time from problems/examples/hello-sum with
zipfile. Exit status: 0 pass, 1 fail, 77 skip (not root: the judge needs the
sandbox), which CTest reads through SKIP_RETURN_CODE. Set
CRUCIBLE_TEST_KEEP=1 to keep a case's work folder.
"""

import argparse
import collections
import hashlib
import http.server
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile

SKIP = 77
API = "/api/v1/judge/"

# Keys and types of a result (judge.h, jdg_result_to_json): exactly these.
NUMBER = (int, float)
RESULT_KEYS = {"verdict": str, "score": NUMBER, "max_score": NUMBER, "time_seconds": NUMBER,
               "memory_bytes": int, "compile_output": str, "message": str,
               "cpu_seconds_total": NUMBER, "gpu_seconds": NUMBER, "tests": list}
GROUP_KEYS = {"name": str, "score": NUMBER, "max_score": NUMBER}
TEST_KEYS = {"name": str, "group": str, "verdict": str, "time_seconds": NUMBER,
             "memory_bytes": int, "score": NUMBER, "message": str}

# A program that runs until the time limit kills it: judging it takes a while.
SPIN_C = b"int main(void) { volatile unsigned long n = 0; for (;;) n++; }\n"


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def blob_hash(data):
    """BLAKE2b-256 in hex, as libsodium's crypto_generichash with 32 bytes."""
    return hashlib.blake2b(data, digest_size=32).hexdigest()


class FakeServer:
    """The server side of the protocol, recording everything it sees."""

    def __init__(self, token):
        self.token = token
        self.cv = threading.Condition()
        self.queue = []                   # jobs waiting to be claimed
        self.blobs = {}                   # hash -> the bytes served under it
        self.blob_gets = collections.Counter()
        self.claims = []                  # (monotonic time, claim body)
        self.claimed = {}                 # job id -> job
        self.heartbeats = collections.Counter()
        self.results = {}                 # job id -> result body (parsed)
        self.refused_results = collections.Counter()   # 409s sent for results
        self.lose = set()                 # job ids whose heartbeat gets 409
        self.progress = collections.defaultdict(list)   # job id -> [(seq, monotonic time, body)]
        self.result_seq = {}              # job id -> seq of its result
        self.seq = 0                      # orders progress posts and results
        self.lose_progress = set()        # job ids whose progress gets 409
        self.bad_requests = []            # what broke the protocol
        self.next_id = 1
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def reply(self, status, body=b"", ctype="application/json"):
                self.send_response(status)
                if status != 204:
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 204:
                    self.wfile.write(body)

            def authorized(self):
                if self.headers.get("Authorization") == "Bearer " + server.token:
                    return True
                with server.cv:
                    server.bad_requests.append("bad Authorization on %s %s" % (self.command, self.path))
                # As web/auth.c answers a judge route.
                self.reply(403, b'{"error": {"code": "forbidden", "message": "invalid API token"}}')
                return False

            def body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n)

            def do_GET(self):
                if not self.authorized():
                    return
                prefix = API + "blobs/"
                if not self.path.startswith(prefix):
                    return self.reply(404)
                h = self.path[len(prefix):]
                with server.cv:
                    server.blob_gets[h] += 1
                    data = server.blobs.get(h)
                    server.cv.notify_all()
                if data is None:
                    return self.reply(404)
                self.reply(200, data, "application/octet-stream")

            def do_POST(self):
                raw = self.body()
                if not self.authorized():
                    return
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    with server.cv:
                        server.bad_requests.append("%s: body is not JSON" % self.path)
                    return self.reply(400)
                parts = self.path[len(API):].split("/") if self.path.startswith(API) else []
                with server.cv:
                    status, answer = server.route(parts, body)
                    server.cv.notify_all()
                self.reply(status, json.dumps(answer).encode() if answer is not None else b"")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def route(self, parts, body):
        """Called with the lock held: (status, JSON answer or None)."""
        if parts == ["claim"]:
            self.claims.append((time.monotonic(), body))
            if not self.queue:
                return 204, None
            job = self.queue.pop(0)
            self.claimed[job["id"]] = job
            return 200, {"job": job}
        if len(parts) == 3 and parts[0] == "jobs":
            try:
                jid = int(parts[1])
            except ValueError:
                return 404, None
            if jid not in self.claimed:
                return 404, None
            if parts[2] == "heartbeat":
                self.heartbeats[jid] += 1
                if jid in self.lose:
                    return 409, {"error": "lease lost"}
                return 200, {"lease_seconds": self.claimed[jid]["lease_seconds"]}
            if parts[2] == "progress":
                if jid in self.lose or jid in self.lose_progress or jid in self.results:
                    return 409, {"error": "lease lost"}
                self.seq += 1
                self.progress[jid].append((self.seq, time.monotonic(), body))
                return 200, {"lease_seconds": self.claimed[jid]["lease_seconds"]}
            if parts[2] == "result":
                if jid in self.lose or jid in self.results:
                    self.refused_results[jid] += 1
                    return 409, {"error": "not yours"}
                self.results[jid] = body
                self.seq += 1
                self.result_seq[jid] = self.seq
                return 200, {}
        return 404, None

    def add_blob(self, data, served=None):
        """Stores data under its hash; served replaces the bytes actually sent."""
        h = blob_hash(data)
        with self.cv:
            self.blobs[h] = data if served is None else served
        return h

    def add_job(self, package_hash, files, language="c", lease=60, time_limit=None):
        """files: [(name, bytes)]. Returns the job id."""
        entries = [{"name": n, "blob": self.add_blob(d)} for n, d in files]
        with self.cv:
            jid = self.next_id
            self.next_id += 1
            self.queue.append({"id": jid, "submission_id": 1000 + jid, "lease_seconds": lease,
                               "language": language,
                               "problem": {"id": 7, "package": package_hash, "time_limit": time_limit},
                               "files": entries})
            self.cv.notify_all()
        return jid

    def wait(self, pred, timeout, what):
        deadline = time.monotonic() + timeout
        with self.cv:
            while not pred():
                left = deadline - time.monotonic()
                check(left > 0, "timed out after %d s waiting for %s" % (timeout, what))
                self.cv.wait(min(left, 0.5))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Ctx:
    def __init__(self, crucible, source_dir, work):
        self.crucible = crucible
        self.src = source_dir
        self.work = work
        self.token = secrets.token_hex(24)
        self.token_file = os.path.join(work, "token")
        with open(self.token_file, "w") as f:
            f.write(self.token + "\n")
        os.chmod(self.token_file, 0o600)
        self.cache = os.path.join(work, "cache")
        self.rundir = os.path.join(work, "run")
        self.server = FakeServer(self.token)
        self.procs = []
        self.logs = []

    def example(self, *parts):
        return os.path.join(self.src, "problems", "examples", *parts)

    def source(self, rel):
        with open(self.example("hello-sum", "submissions", rel), "rb") as f:
            return f.read()

    def package_zip(self, name="hello-sum", edit=None):
        """The example package as a zip (in one top-level folder), in memory;
        edit(rel, bytes) may change a file's bytes."""
        root = self.example(name)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                for fn in sorted(filenames):
                    full = os.path.join(dirpath, fn)
                    rel = os.path.relpath(full, root)
                    with open(full, "rb") as f:
                        data = f.read()
                    z.writestr(os.path.join(name, rel), edit(rel, data) if edit else data)
        return out.getvalue()

    def start(self, extra=(), workers=1, token_file=None):
        log_path = os.path.join(self.work, "daemon-%d.log" % len(self.procs))
        log = open(log_path, "w")
        args = [self.crucible, "judge", "daemon", "--server=" + self.server.url,
                "--token-file=" + (token_file or self.token_file), "--cache=" + self.cache,
                "--work-dir=" + self.rundir, "--workers=%d" % workers] + list(extra)
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        p.log_path = log_path
        log.close()
        self.procs.append(p)
        return p

    def log(self, p):
        with open(p.log_path, errors="replace") as f:
            return f.read()

    def finish(self, p, timeout=60):
        try:
            return p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise Fail("the daemon did not exit within %d s; its log:\n%s" % (timeout, self.log(p)))

    def terminate(self, p, timeout=60):
        p.send_signal(signal.SIGTERM)
        return self.finish(p, timeout)

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.server.stop()

    def check_log_clean(self, p, secrets_=()):
        """Never a token or source code in the log."""
        text = self.log(p)
        check(self.token not in text, "the daemon logged its token")
        for s in secrets_:
            check(s not in text, "the daemon logged %r (source code)" % s)
        return text

    def check_no_job_folders(self):
        left = [n for n in os.listdir(self.rundir) if n.startswith("job-")] if os.path.isdir(self.rundir) else []
        check(not left, "per-job folders left behind: %s" % left)


def check_result(r, verdict):
    check(isinstance(r, dict), "the result is not a JSON object: %r" % (r,))
    # "groups" (each test data group's score) is there whenever tests ran
    check(set(r) - {"groups"} == set(RESULT_KEYS), "result keys %s, expected %s" % (sorted(r), sorted(RESULT_KEYS)))
    check(("groups" in r) == bool(r["tests"]), "groups %r with %d test(s)" % (r.get("groups"), len(r["tests"])))
    for g in r.get("groups", []):
        check(set(g) == set(GROUP_KEYS) and all(isinstance(g[k], t) for k, t in GROUP_KEYS.items()),
              "group %r" % (g,))
        check(0 <= g["score"] <= g["max_score"] or g["max_score"] == 0, "group score %r" % (g,))
    for k, t in RESULT_KEYS.items():
        check(isinstance(r[k], t) and not isinstance(r[k], bool), "result %s: %r has the wrong type" % (k, r[k]))
    check(r["verdict"] == verdict, "verdict %s, expected %s (message %r)" % (r["verdict"], verdict, r["message"]))
    for t in r["tests"]:
        check(set(t) == set(TEST_KEYS), "test keys %s, expected %s" % (sorted(t), sorted(TEST_KEYS)))
        for k, ty in TEST_KEYS.items():
            check(isinstance(t[k], ty), "test %s: %r has the wrong type" % (k, t[k]))


def check_progress(s, jid):
    """The job's progress posts came before its result, at most one per
    0.5 s but the last, and put together are exactly the result's tests."""
    posts = s.progress[jid]
    result = s.results[jid]
    check(posts, "job %d: no progress was posted before its result" % jid)
    got = []
    for seq, _, body in posts:
        check(seq < s.result_seq[jid], "job %d: a progress post came after the result" % jid)
        check(isinstance(body, dict) and set(body) == {"first", "tests"} and isinstance(body["first"], int)
              and isinstance(body["tests"], list) and body["tests"], "job %d: progress body %r" % (jid, body))
        check(body["first"] == len(got), "job %d: progress first=%d after %d tests (posts %r)"
              % (jid, body["first"], len(got), [(b["first"], len(b["tests"])) for _, _, b in posts]))
        for t in body["tests"]:
            check(set(t) == set(TEST_KEYS), "progress test keys %s" % sorted(t))
        got += body["tests"]
    check(got == result["tests"], "job %d: the progress tests %r differ from the result's %r"
          % (jid, [t["name"] for t in got], [t["name"] for t in result["tests"]]))
    times = [t for _, t, _ in posts]
    for a, b in zip(times[:-2], times[1:-1]):
        check(b - a >= 0.45, "job %d: two progress posts %.3f s apart" % (jid, b - a))


def check_claim(body):
    check(isinstance(body, dict), "the claim body is not a JSON object")
    check(set(body) == {"host", "languages", "cores", "memory_bytes", "gpus"},
          "claim keys %s" % sorted(body))
    check(isinstance(body["host"], str) and body["host"], "claim host %r" % body["host"])
    check(isinstance(body["languages"], list) and "c" in body["languages"]
          and all(isinstance(x, str) for x in body["languages"]), "claim languages %r" % body["languages"])
    check(isinstance(body["cores"], int) and body["cores"] > 0, "claim cores %r" % body["cores"])
    check(isinstance(body["memory_bytes"], int) and body["memory_bytes"] > 0,
          "claim memory_bytes %r" % body["memory_bytes"])
    check(isinstance(body["gpus"], int) and body["gpus"] >= 0, "claim gpus %r" % body["gpus"])


# ---- cases --------------------------------------------------------------------

def case_verdicts(ctx):
    """AC and WA on one package: the package is downloaded once (also by a
    daemon started later on the same cache), each source once; results have
    exactly jdg_result_to_json's fields; per-job folders go away. The tests
    were streamed as progress before each result, in order, the same."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    marker = b"/* crucible-daemon-test-%s */" % secrets.token_hex(8).encode()
    ac = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c") + marker + b"\n")])
    wa = s.add_job(pkg, [("difference.c", ctx.source("wrong_answer/difference.c"))])
    p = ctx.start()
    s.wait(lambda: ac in s.results and wa in s.results, 90, "both results")
    check(ctx.terminate(p) == 0, "SIGTERM: exit status %s" % p.returncode)
    check_result(s.results[ac], "AC")
    check_result(s.results[wa], "WA")
    check(len(s.results[ac]["tests"]) == 10, "AC: %d tests, expected 10" % len(s.results[ac]["tests"]))
    # live progress: the tests streamed while judging, in order, before the result
    check_progress(s, ac)
    check_progress(s, wa)
    check(s.blob_gets[pkg] == 1, "the package was downloaded %d times, expected once" % s.blob_gets[pkg])
    for jid in (ac, wa):
        for f in s.claimed[jid]["files"]:
            check(s.blob_gets[f["blob"]] == 1, "source %s downloaded %d times" % (f["name"], s.blob_gets[f["blob"]]))
    check(not s.bad_requests, "protocol errors: %s" % s.bad_requests)
    check(s.claims, "no claims")
    for _, body in s.claims:
        check_claim(body)
    ctx.check_log_clean(p, [marker.decode(), "scanf"])
    ctx.check_no_job_folders()
    check(os.path.isdir(os.path.join(ctx.cache, pkg)), "the package is not extracted in the cache")
    check(os.path.isfile(os.path.join(ctx.cache, pkg + ".zip")), "the package is not kept in the cache")

    # A new daemon on the same cache: --once, no second download.
    again = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    p2 = ctx.start(["--once"])
    check(ctx.finish(p2) == 0, "--once: exit status %s\n%s" % (p2.returncode, ctx.log(p2)))
    check(again in s.results, "--once: no result")
    check_result(s.results[again], "AC")
    check(s.blob_gets[pkg] == 1, "a restarted daemon downloaded the cached package again")


def case_workers(ctx):
    """Three workers, six jobs on one package: every result arrives and the
    package is downloaded and extracted once (the per-hash lock)."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    jobs = {}
    for i in range(6):
        if i % 2:
            jobs[s.add_job(pkg, [("difference.c", ctx.source("wrong_answer/difference.c"))])] = "WA"
        else:
            jobs[s.add_job(pkg, [("sum.py", ctx.source("accepted/sum.py"))], language="python3")] = "AC"
    p = ctx.start(workers=3)
    s.wait(lambda: all(j in s.results for j in jobs), 120, "six results")
    check(ctx.terminate(p) == 0, "SIGTERM: exit status %s" % p.returncode)
    for j, v in jobs.items():
        check_result(s.results[j], v)
    check(s.blob_gets[pkg] == 1, "the package was downloaded %d times by three workers" % s.blob_gets[pkg])
    text = ctx.log(p)
    check(text.count("extracted") == 1, "the package was extracted %d times" % text.count("extracted"))
    workers = {line.split("worker ")[1].split(":")[0] for line in text.splitlines() if "claimed" in line}
    check(len(workers) >= 2, "only worker(s) %s claimed jobs" % sorted(workers))
    ctx.check_no_job_folders()


def case_bad_hash(ctx):
    """A package whose bytes do not match its hash is refused (retried, never
    judged, no result), and nothing is left in the cache under its name; a
    source with the wrong bytes likewise."""
    s = ctx.server
    good = ctx.package_zip()
    bad = bytearray(good)
    bad[len(bad) // 2] ^= 0xFF
    pkg = s.add_blob(good, served=bytes(bad))
    jid = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    p = ctx.start(["--once"])
    rc = ctx.finish(p, 90)
    text = ctx.check_log_clean(p)
    check(rc == 1, "--once with an unfetchable package: exit status %s, expected 1\n%s" % (rc, text))
    check(jid not in s.results, "a result was posted for a job whose package did not match its hash")
    check(s.blob_gets[pkg] >= 2, "the mismatching package was not retried (%d downloads)" % s.blob_gets[pkg])
    check("hash" in text and "abandon" in text, "no error logged about the hash:\n%s" % text)
    check("claimed" in text and " AC " not in text and "WA (" not in text, "the job was judged:\n%s" % text)
    left = [n for n in os.listdir(ctx.cache) if pkg in n and not n.endswith(".lock")]
    check(not left, "cache entries for the refused package: %s" % left)

    # The same with a source.
    pkg2 = s.add_blob(good)
    src = ctx.source("accepted/sum.c")
    jid2 = s.add_job(pkg2, [("sum.c", src)])
    h = blob_hash(src)
    with s.cv:
        s.blobs[h] = src + b"\n/* tampered */\n"
    p2 = ctx.start(["--once"])
    rc = ctx.finish(p2, 90)
    check(rc == 1, "--once with a tampered source: exit status %s\n%s" % (rc, ctx.log(p2)))
    check(jid2 not in s.results, "a result was posted for a job whose source did not match its hash")
    check(s.blob_gets[h] >= 2, "the tampered source was not retried")
    ctx.check_no_job_folders()


def case_lease_lost(ctx):
    """A heartbeat or a progress post answered 409 makes the daemon abandon
    the job: no result."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    # Lease 1 s: heartbeats every 1/3 s while a program spins to the 2 s limit.
    jid = s.add_job(pkg, [("spin.c", SPIN_C)], lease=1, time_limit=2)
    with s.cv:
        s.lose.add(jid)
    p = ctx.start(["--once"])
    rc = ctx.finish(p, 90)
    text = ctx.check_log_clean(p)
    check(rc == 0, "--once after a lost lease: exit status %s\n%s" % (rc, text))
    check(s.heartbeats[jid] >= 1, "no heartbeat was sent")
    check(jid not in s.results and s.refused_results[jid] == 0,
          "the daemon sent the result of a job whose lease it lost")
    check("lease lost" in text, "the lost lease is not logged:\n%s" % text)
    ctx.check_no_job_folders()

    # A progress post answered 409 means the same: no result.
    jid = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    with s.cv:
        s.lose_progress.add(jid)
    p = ctx.start(["--once"])
    rc = ctx.finish(p, 90)
    text = ctx.check_log_clean(p)
    check(rc == 0, "--once after a lost lease (progress): exit status %s\n%s" % (rc, text))
    check(jid not in s.results and s.refused_results[jid] == 0,
          "the daemon sent the result of a job whose progress got 409")
    check("lease lost (progress" in text, "the lost lease is not logged:\n%s" % text)
    ctx.check_no_job_folders()


def case_heartbeat(ctx):
    """Heartbeats go out every third of the lease while judging, and the
    result is still delivered."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    jid = s.add_job(pkg, [("spin.c", SPIN_C)], lease=1, time_limit=2)
    p = ctx.start(["--once"])
    rc = ctx.finish(p, 90)
    check(rc == 0, "--once: exit status %s\n%s" % (rc, ctx.log(p)))
    check(jid in s.results, "no result")
    check_result(s.results[jid], "TLE")
    check(s.heartbeats[jid] >= 3, "%d heartbeats in a job of over 2 s with a 1 s lease" % s.heartbeats[jid])


def case_token_permissions(ctx):
    """A token file others can read is refused before any request; so is a
    missing one; a token the server refuses stops the daemon with status 1."""
    loose = os.path.join(ctx.work, "token-loose")
    with open(loose, "w") as f:
        f.write(ctx.token + "\n")
    os.chmod(loose, 0o644)
    p = ctx.start(token_file=loose)
    rc = ctx.finish(p, 30)
    text = ctx.check_log_clean(p)
    check(rc not in (0, None), "a 0644 token file was accepted")
    check("token file" in text and "chmod 600" in text, "the refusal does not say why:\n%s" % text)
    check(not ctx.server.claims and not ctx.server.bad_requests, "the daemon talked to the server anyway")

    os.chmod(loose, 0o640)
    p = ctx.start(token_file=loose)
    check(ctx.finish(p, 30) not in (0, None), "a 0640 token file was accepted")

    p = ctx.start(token_file=os.path.join(ctx.work, "no-such-token"))
    check(ctx.finish(p, 30) not in (0, None), "a missing token file was accepted")

    wrong = os.path.join(ctx.work, "token-wrong")
    with open(wrong, "w") as f:
        f.write("not-the-token\n")
    os.chmod(wrong, 0o600)
    p = ctx.start(token_file=wrong)
    rc = ctx.finish(p, 30)
    text = ctx.log(p)
    check(rc == 1, "a refused token: exit status %s, expected 1\n%s" % (rc, text))
    check("refused" in text, "the refused token is not logged:\n%s" % text)
    check("not-the-token" not in text, "the daemon logged its (wrong) token")


def case_backoff(ctx):
    """With no work the daemon polls with a backoff from 0.2 s doubling to
    2 s, goes on polling, picks up work when it comes, and SIGTERM stops it
    with status 0."""
    s = ctx.server
    p = ctx.start()
    time.sleep(7)
    with s.cv:
        times = [t for t, _ in s.claims]
    check(len(times) >= 4, "only %d claims in 7 s" % len(times))
    gaps = [b - a for a, b in zip(times, times[1:])]
    check(all(g >= 0.15 for g in gaps), "polled too fast: gaps %s" % ["%.2f" % g for g in gaps])
    check(all(g <= 2.8 for g in gaps), "a gap past the 2 s cap: %s" % ["%.2f" % g for g in gaps])
    check(gaps[0] < 0.6 and max(gaps) > 1.5, "no backoff: gaps %s" % ["%.2f" % g for g in gaps])
    check(len(times) <= 12, "%d claims in 7 s: no backoff" % len(times))
    pkg = s.add_blob(ctx.package_zip())
    jid = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    s.wait(lambda: jid in s.results, 60, "the result of a job queued while polling")
    check_result(s.results[jid], "AC")
    start = time.monotonic()
    rc = ctx.terminate(p, 30)
    check(rc == 0, "SIGTERM while idle: exit status %s" % rc)
    check(time.monotonic() - start < 5, "SIGTERM took %.1f s to stop an idle daemon" % (time.monotonic() - start))
    check("stopping" in ctx.log(p), "the stop is not logged")


def case_sigterm(ctx):
    """SIGTERM during a job: the job is finished and its result sent, no new
    job is claimed, and the daemon exits 0."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    jid = s.add_job(pkg, [("spin.c", SPIN_C)], time_limit=2)
    later = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    p = ctx.start()
    s.wait(lambda: jid in s.claimed, 30, "the first claim")
    time.sleep(0.5)
    rc = ctx.terminate(p, 60)
    check(rc == 0, "SIGTERM while judging: exit status %s\n%s" % (rc, ctx.log(p)))
    check(jid in s.results, "the job under way was not finished:\n%s" % ctx.log(p))
    check_result(s.results[jid], "TLE")
    check(later not in s.claimed, "a job was claimed after SIGTERM")
    ctx.check_no_job_folders()


def case_source_names(ctx):
    """Source names from the server are checked: a path or a dot file is a
    CE (nothing written outside the job's folder), a good one is judged."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    src = ctx.source("accepted/sum.c")
    bad = {}
    for name in ("../escape.c", "sub/sum.c", ".hidden.c", "a b.c", ""):
        bad[s.add_job(pkg, [(name, src)])] = name
    dup = s.add_job(pkg, [("sum.c", src), ("sum.c", src)])
    good = s.add_job(pkg, [("Sum_2-x+y.c", src)])
    p = ctx.start()
    s.wait(lambda: all(j in s.results for j in list(bad) + [dup, good]), 90, "every result")
    check(ctx.terminate(p) == 0, "SIGTERM: exit status %s" % p.returncode)
    for j, name in bad.items():
        check_result(s.results[j], "CE")
        check("file name" in s.results[j]["message"], "%r: message %r" % (name, s.results[j]["message"]))
    check_result(s.results[dup], "CE")
    check_result(s.results[good], "AC")
    check(not os.path.exists(os.path.join(ctx.rundir, "escape.c")), "a source was written outside its folder")
    ctx.check_no_job_folders()


def case_bad_package(ctx):
    """A package that matches its hash but is not a package gives JE (the
    same on every judge), once per job, without a second download."""
    s = ctx.server
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "no problem.yaml here\n")
    pkg = s.add_blob(out.getvalue())
    j1 = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    j2 = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    p = ctx.start()
    s.wait(lambda: j1 in s.results and j2 in s.results, 60, "both results")
    check(ctx.terminate(p) == 0, "SIGTERM: exit status %s" % p.returncode)
    check(s.blob_gets[pkg] == 1, "the bad package was downloaded %d times" % s.blob_gets[pkg])
    for j in (j1, j2):
        check_result(s.results[j], "JE")
        check("problem.yaml" in s.results[j]["message"], "JE message %r" % s.results[j]["message"])


def case_result_retry(ctx):
    """The result is retried while the server is unreachable and delivered
    once it is back."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    jid = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    failures = {"left": 2}
    route = s.route

    def flaky(parts, body):
        if parts[-1:] == ["result"] and failures["left"] > 0:
            failures["left"] -= 1
            return 503, {"error": "restarting"}
        return route(parts, body)
    s.route = flaky
    p = ctx.start(["--once"])
    rc = ctx.finish(p, 60)
    text = ctx.log(p)
    check(rc == 0, "--once: exit status %s\n%s" % (rc, text))
    check(jid in s.results, "the result was not delivered after two 503s:\n%s" % text)
    check(text.count("retrying") >= 2, "the retries are not logged:\n%s" % text)


def case_host_disabled(ctx):
    """A claim refused with 403 host_disabled is retried with backoff (the
    host resumes when enabled again); the daemon then judges."""
    s = ctx.server
    pkg = s.add_blob(ctx.package_zip())
    jid = s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))])
    refusals = {"left": 2}
    route = s.route

    def disabled(parts, body):
        if parts == ["claim"] and refusals["left"] > 0:
            refusals["left"] -= 1
            s.claims.append((time.monotonic(), body))
            return 403, {"error": {"code": "host_disabled", "message": "judge host 'x' is disabled"}}
        return route(parts, body)
    s.route = disabled
    p = ctx.start(["--once"])
    rc = ctx.finish(p, 60)
    text = ctx.log(p)
    check(rc == 0, "--once after a disabled host: exit status %s\n%s" % (rc, text))
    check(jid in s.results, "no result after the host was enabled again:\n%s" % text)
    check("is disabled" in text, "the refusal is not logged:\n%s" % text)
    gap = s.claims[1][0] - s.claims[0][0]
    check(gap >= 0.8, "retried a refused claim after %.2f s" % gap)


def case_time_limit(ctx):
    """A package without a time limit, and none from the server: the limit
    is computed once per package (from its accepted submissions) and kept
    in the cache for the next jobs and the next daemon."""
    s = ctx.server

    def no_limit(rel, data):
        if rel != "problem.yaml":
            return data
        return b"".join(l for l in data.splitlines(True) if b"time_limit" not in l)
    pkg = s.add_blob(ctx.package_zip(edit=no_limit))
    jobs = [s.add_job(pkg, [("sum.c", ctx.source("accepted/sum.c"))]) for _ in range(2)]
    p = ctx.start()
    s.wait(lambda: all(j in s.results for j in jobs), 150, "both results")
    check(ctx.terminate(p) == 0, "SIGTERM: exit status %s" % p.returncode)
    for j in jobs:
        check_result(s.results[j], "AC")
    text = ctx.log(p)
    check(text.count("computed") == 1, "the time limit was computed %d times:\n%s" % (text.count("computed"), text))
    with open(os.path.join(ctx.cache, pkg + ".timelimit")) as f:
        tl = float(f.read())
    check(0 < tl <= 10, "cached time limit %r" % tl)
    # A new daemon reads it from the cache.
    again = s.add_job(pkg, [("difference.c", ctx.source("wrong_answer/difference.c"))])
    p2 = ctx.start(["--once"])
    check(ctx.finish(p2, 60) == 0, "--once: exit status %s" % p2.returncode)
    check_result(s.results[again], "WA")
    check("computed" not in ctx.log(p2), "a second daemon computed the cached time limit again")


def case_bad_args(ctx):
    """Bad arguments exit 2 before anything starts."""
    for args in ([], ["--server=ftp://x", "--token-file=" + ctx.token_file],
                 ["--server=" + ctx.server.url], ["--token-file=" + ctx.token_file],
                 ["--server=" + ctx.server.url, "--token-file=" + ctx.token_file, "--workers=0"],
                 ["--server=" + ctx.server.url, "--token-file=" + ctx.token_file, "--bogus"]):
        p = subprocess.run([ctx.crucible, "judge", "daemon"] + args, capture_output=True, text=True, timeout=30)
        check(p.returncode == 2, "%s: exit status %d, expected 2" % (args, p.returncode))
    check(not ctx.server.claims, "a claim was made with bad arguments")


CASES = {
    "verdicts": case_verdicts,
    "workers": case_workers,
    "bad_hash": case_bad_hash,
    "lease_lost": case_lease_lost,
    "heartbeat": case_heartbeat,
    "token_permissions": case_token_permissions,
    "backoff": case_backoff,
    "sigterm": case_sigterm,
    "source_names": case_source_names,
    "bad_package": case_bad_package,
    "result_retry": case_result_retry,
    "host_disabled": case_host_disabled,
    "time_limit": case_time_limit,
    "bad_args": case_bad_args,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crucible", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("skipped: the judge daemon needs root (the sandbox)")
        return SKIP
    work = os.path.join(os.path.abspath(a.work), "daemon-" + a.case)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    ctx = Ctx(os.path.abspath(a.crucible), os.path.abspath(a.source_dir), work)
    try:
        CASES[a.case](ctx)
    except Fail as e:
        print("FAIL daemon_%s: %s" % (a.case, e))
        for p in ctx.procs:
            print("---- %s\n%s" % (p.log_path, ctx.log(p)[-4000:]))
        return 1
    finally:
        ctx.close()
    print("ok daemon_%s" % a.case)
    if not os.environ.get("CRUCIBLE_TEST_KEEP"):
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
