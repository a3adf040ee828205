#!/usr/bin/env python3
"""web_load.py: a benchmark, not a test. `wrk` against `crucible serve` on a
contest of 1,000 teams, 13 problems and 100,000 judged submissions, and
against nginx serving a static file of the same size as the scoreboard (the
ceiling: no application can answer faster than a web server sending a file
from the page cache). Prints requests per second, latency percentiles and
the server's memory.

    tests/bench/web_load.py [--build build] [--connections 200] [--duration 15]
                            [--threads 2] [--server-threads 0]
                            [--pg CONNINFO [--servers N]]

With --pg (a libpq conninfo without dbname, e.g. "host=/tmp/pg user=postgres")
the server runs on a fresh PostgreSQL database instead of SQLite; with
--servers N, N servers share that database behind nginx as a load balancer
(an upstream of N, keep-alive), and the endpoints are measured through it.

Needs root (the server drops to nobody; nginx runs as it does), wrk and
nginx (deploy/install-deps.sh installs both; the nginx service stays off,
this starts its own on a free port with a configuration of its own).

Endpoints measured:
  scoreboard   GET /api/v1/contests/ID/scoreboard, anonymous (the public,
               about 1 MB of JSON, gzip not asked for)
  problem      GET /api/v1/problems/ID, anonymous, the hello-sum example
               (statement HTML, samples, limits)
  submit       POST /api/v1/submissions to the contest by an admin with an
               API token (the jury may submit at any time); every request
               stores a submission (the source blob is the same each time)
  nginx        GET of a static file as large as the scoreboard's JSON
"""

import argparse
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC, "tests", "web"))
import run_web_test as base  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wrk(url, a, script=None):
    cmd = ["wrk", "-t%d" % a.threads, "-c%d" % a.connections, "-d%ds" % a.duration, "--latency",
           "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    p = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=a.duration + 60)
    out = p.stdout
    if p.returncode != 0:
        sys.exit("wrk failed: %s%s" % (out, p.stderr))
    res = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "90", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, out, re.M)
        res["p" + pct] = float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)] if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["bad"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", out)
    res["errors"] = m.group(1).strip() if m else ""
    m = re.search(r"(\d+) requests in", out)
    res["n"] = int(m.group(1)) if m else 0
    return res


def memory(pid):
    with open("/proc/%d/status" % pid) as f:
        mem = dict(l.split(":", 1) for l in f if l.startswith(("VmRSS", "VmHWM")))
    return mem["VmRSS"].strip(), mem["VmHWM"].strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2, help="wrk's threads")
    ap.add_argument("--server-threads", type=int, default=0, help="crucible serve's threads (0: its default)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--pg", default="", help="a libpq conninfo without dbname: PostgreSQL instead of SQLite")
    ap.add_argument("--servers", type=int, default=1, help="with --pg: servers sharing the database, behind nginx")
    a = ap.parse_args()
    if a.servers > 1 and not a.pg:
        sys.exit("web_load.py: --servers needs --pg (SQLite is one server's)")
    base.PG = a.pg
    if os.geteuid() != 0:
        sys.exit("web_load.py: run as root (the server drops to nobody)")
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit("web_load.py: %s is missing (deploy/install-deps.sh installs it)" % tool)
    crucible = os.path.join(a.build, "crucible")
    world_tool = os.path.join(a.build, "tests", "web", "web_board_tests")
    work = tempfile.mkdtemp(prefix="crucible-web-bench-")
    os.chmod(work, 0o755)
    ctx = base.Ctx(crucible, SRC, work)
    srv = nginx = None
    try:
        config = {"max_connections": str(max(1024, a.connections * 2))}
        if a.server_threads:
            config["threads"] = str(a.server_threads)
        else:
            config.pop("threads", None)
        srv = ctx.server("server", config)
        if not a.server_threads:        # the test helper's 4 threads, or the server's own default
            with open(srv.config) as f:
                text = f.read()
            with open(srv.config, "w") as f:
                f.write(re.sub(r"^threads = .*\n", "", text, flags=re.M))
        shutil.rmtree(srv.data)
        env = dict(os.environ)
        if srv.database:            # PostgreSQL: the world goes into an empty database
            name = srv.database.split("dbname=")[-1]
            base.pg_run(a.pg + " dbname=postgres", 'DROP DATABASE "%s" WITH (FORCE)' % name)
            base.pg_run(a.pg + " dbname=postgres", 'CREATE DATABASE "%s"' % name)
            env["CRUCIBLE_DATABASE"] = srv.database
        t0 = time.time()
        out = subprocess.run([world_tool, "world", srv.data], capture_output=True, text=True, check=True,
                             env=env).stdout
        contest = int(re.search(r"contest (\d+)", out).group(1))
        print("data: %s(%.0f s)" % (out.replace("\n", " "), time.time() - t0))
        nobody = pwd.getpwnam("nobody")
        for d, dirs, files in os.walk(srv.data):
            for name in [d] + [os.path.join(d, x) for x in files]:
                os.chown(name, nobody.pw_uid, nobody.pw_gid)
        srv.add_user("boss", "admin", "boss-password-1")
        token = re.search(r"token: (\S+)", srv.cli(["user", "token", "--data=" + srv.data, "boss"]).stdout).group(1)
        srv.start()
        others = []
        for i in range(1, a.servers):       # PostgreSQL: more servers on the same database
            o = base.Server(ctx, "server%d" % i, dict(config, database=srv.database), init=False)
            ctx.servers.append(o)
            others.append(o.start())
        admin = srv.client(token=token)
        pid = base.upload_problem(ctx, srv, admin)
        board_id = admin.get("/api/v1/contests/%d/problems" % contest).json()["problems"][0]["problem"]
        base_url = "http://127.0.0.1:%d" % srv.port

        board = srv.client().get("/api/v1/contests/%d/scoreboard" % contest)
        assert board.status == 200, board
        rows = len(board.json()["rows"])
        problem = srv.client().get("/api/v1/problems/%d" % pid)
        assert problem.status == 200, problem
        static_dir = os.path.join(work, "static")
        os.makedirs(static_dir)
        with open(os.path.join(static_dir, "board.json"), "wb") as f:
            f.write(board.body)
        print("scoreboard: %d rows, %d bytes; problem page: %d bytes" % (rows, len(board.body), len(problem.body)))

        lua = os.path.join(work, "submit.lua")
        body = json.dumps({"problem": board_id, "contest": contest, "language": "c",
                           "files": [{"name": "sum.c", "content": base.sum_c(ctx)}]})
        with open(lua, "w") as f:
            f.write('wrk.method = "POST"\nwrk.body = %s\n' % json.dumps(body))
            f.write('wrk.headers["Content-Type"] = "application/json"\n')
            f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)

        nport, lbport = free_port(), free_port()
        nconf = os.path.join(work, "nginx.conf")
        upstream = "".join("server 127.0.0.1:%d; " % s.port for s in [srv] + others)
        with open(nconf, "w") as f:
            f.write("worker_processes auto;\ndaemon off;\npid %s/nginx.pid;\nerror_log %s/nginx.err;\n"
                    "events { worker_connections 4096; }\n"
                    "http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;\n"
                    "  types { application/json json; }\n"
                    "  server { listen 127.0.0.1:%d; root %s; }\n"
                    "  upstream crucible { %skeepalive 256; }\n"
                    "  server { listen 127.0.0.1:%d; location / { proxy_pass http://crucible; "
                    "proxy_http_version 1.1; proxy_set_header Connection \"\"; } } }\n"
                    % (work, work, nport, static_dir, upstream, lbport))
        nginx = subprocess.Popen(["/usr/sbin/nginx", "-c", nconf, "-p", work], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", nport), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)

        if others:                  # several servers: measured through the balancer
            base_url = "http://127.0.0.1:%d" % lbport
        rss0 = memory(srv.proc.pid)
        results = []
        for name, url, script in [
                ("scoreboard", "%s/api/v1/contests/%d/scoreboard" % (base_url, contest), None),
                ("nginx, same size", "http://127.0.0.1:%d/board.json" % nport, None),
                ("problem", "%s/api/v1/problems/%d" % (base_url, pid), None),
                ("submit", "%s/api/v1/submissions" % base_url, lua)]:
            r = wrk(url, a, script)
            results.append((name, r))
            print("  %-18s %9.0f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  (%d requests, %d not 2xx%s)"
                  % (name, r["rps"], r["p50"], r["p90"], r["p99"], r["n"], r["bad"],
                     ", socket errors: " + r["errors"] if r["errors"] else ""), flush=True)
        rss1 = memory(srv.proc.pid)
        print("server memory: RSS %s before the load, %s after; peak %s" % (rss0[0], rss1[0], rss1[1]))
        for o in others:
            print("server %d memory: RSS %s; peak %s" % (o.port, *memory(o.proc.pid)))
        print("storage: %s; %d server(s)%s" % ("PostgreSQL" if a.pg else "SQLite", 1 + len(others),
                                               ", behind nginx" if others else ""))
        print("wrk: %d threads, %d connections, %d s per endpoint; %d CPUs" %
              (a.threads, a.connections, a.duration, os.cpu_count()))
        return 0
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=30)
        for s in ctx.servers:
            s.stop(expect_rc=None)
        if a.pg and not a.keep:
            base.pg_drop_databases()
        if a.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
