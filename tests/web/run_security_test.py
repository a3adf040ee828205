#!/usr/bin/env python3
"""run_security_test.py: the web server's security headers, cookies, code
guessing and secrets handling (issue #8).

    run_security_test.py --crucible PATH --source-dir REPO --work DIR CASE

Cases:

  security_headers    every kind of response (JSON API, UI page and file,
                      HEAD, 400/401/403/404/405/413/415 errors of the API and
                      the UI, the ICPC event feed, finite and streaming)
                      carries the same headers: a CSP whose script-src has no
                      'unsafe-inline' or 'unsafe-eval' and with
                      frame-ancestors 'none', X-Frame-Options DENY, nosniff,
                      Referrer-Policy no-referrer; the UI's HTML has no inline
                      script, event handler or style attribute the policy
                      would block. The session cookie: HttpOnly,
                      SameSite=Lax, Path=/, Secure exactly when the request
                      came over HTTPS (trust_proxy + X-Forwarded-Proto) or
                      cookie_secure = yes. Wrong registration codes (the
                      site's and a contest's) are rate-limited like logins.
  secrets_not_logged  a server at log_level = debug and (as root) a real
                      judge daemon at --log-level=debug: logins with
                      passwords (right and wrong), tokens from the command
                      line used for judge claims, a site registration code, a
                      contest registration code, imported users' passwords,
                      session cookies and CSRF tokens, and a secret test's
                      input and answer (a wrong answer on it) are used; none
                      of them appears in the server's or the judge's log.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check


def check_headers(what, headers):
    """The security headers every response has (names lower-case)."""
    csp = headers.get("content-security-policy", "")
    parts = {p.strip().split(" ", 1)[0]: p.strip() for p in csp.split(";") if p.strip()}
    script = parts.get("script-src", parts.get("default-src", ""))
    check(script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "*" not in script,
          "%s: script-src %r" % (what, script))
    check("default-src" in parts and parts.get("frame-ancestors") == "frame-ancestors 'none'" and
          parts.get("object-src") == "object-src 'none'", "%s: CSP %r" % (what, csp))
    check(headers.get("x-frame-options") == "DENY", "%s: X-Frame-Options %r" % (what, headers.get("x-frame-options")))
    check(headers.get("x-content-type-options") == "nosniff", "%s: nosniff" % what)
    check(headers.get("referrer-policy") == "no-referrer", "%s: Referrer-Policy %r" %
          (what, headers.get("referrer-policy")))


def raw_headers(srv, method, path, headers=None):
    """Status and lower-case headers, the body left unread (event feeds)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def cookie_of(resp):
    sc = resp.headers.get("set-cookie", "")
    check(sc.startswith("crucible_session="), "no session cookie: %r" % resp.headers)
    return sc


def case_security_headers(ctx):
    srv, users = base.setup_platform(ctx, config={"trust_proxy": "yes", "login_max_failures": "5"})
    admin = srv.client()
    admin.login("boss", "boss-password-1")
    pid = base.upload_problem(ctx, srv, admin)
    now = int(time.time())
    r = admin.post("/api/v1/contests", {"short_name": "sec1", "title": "Headers", "start_time": now - 60,
                                        "duration": 3600, "public": True, "registration": "code",
                                        "registration_code": "contest-code-77"})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    r = admin.request("PUT", "/api/v1/contests/%d/problems" % cid, {"problems": [{"problem": pid, "label": "A"}]})
    check(r.status == 200, "contest problems: %r" % r)

    # Every kind of response; base.Client checks the headers of each as well.
    anon = srv.client()
    kinds = [
        ("JSON API", anon.get("/api/v1/problems"), 200),
        ("JSON API, logged in", admin.get("/api/v1/me"), 200),
        ("UI page", anon.get("/"), 200),
        ("UI deep link", anon.get("/problems/%d" % pid), 200),
        ("UI script", anon.get("/ui/app.js"), 200),
        ("UI style", anon.get("/ui/app.css"), 200),
        ("HEAD of the UI", anon.request("HEAD", "/"), 200),
        ("API 404", anon.get("/api/v1/no-such-thing"), 404),
        ("API 404 of an id", anon.get("/api/v1/problems/999999"), 404),
        ("UI 404", anon.get("/ui/no-such-file.js"), 404),
        ("API 401", anon.get("/api/v1/me"), 401),
        ("API 400", anon.post("/api/v1/login", b"{not json", ctype="application/json"), 400),
        ("API 415", anon.post("/api/v1/login", b"x", ctype="text/plain"), 415),
        ("API 405", anon.request("DELETE", "/api/v1/problems"), 405),
        ("API 403 (CSRF)", admin.post("/api/v1/logout", csrf=False), 403),
        ("API 413", anon.post("/api/v1/login", b"{" + b" " * (70 << 10) + b"}", ctype="application/json"), 413),
        ("event feed, finite", anon.get("/api/contests/sec1/event-feed?stream=false"), 200),
        ("contest API", anon.get("/api/contests/sec1"), 200),
    ]
    for what, resp, status in kinds:
        check(resp.status == status, "%s: %d, not %d: %r" % (what, resp.status, status, resp))
        check_headers(what, resp.headers)
    st, h = raw_headers(srv, "GET", "/api/contests/sec1/event-feed")
    check(st == 200 and "ndjson" in h.get("content-type", ""), "streaming event feed: %d %r" % (st, h))
    check_headers("event feed, streaming", h)
    ctype = {"/": "text/html", "/ui/app.js": "javascript", "/ui/app.css": "text/css"}
    for path, want in ctype.items():
        got = anon.get(path).headers.get("content-type", "")
        check(want in got, "%s: Content-Type %r (nosniff needs the right one)" % (path, got))
    check("application/json" in anon.get("/api/v1/problems").headers.get("content-type", ""), "API Content-Type")

    # The UI needs nothing the policy forbids: no inline script, no event
    # handler attributes, no style attributes, no javascript: URLs.
    ui = os.path.join(ctx.src, "web", "ui")
    for name in sorted(os.listdir(ui)):
        if not name.endswith(".html"):
            continue
        with open(os.path.join(ui, name), encoding="utf-8") as f:
            html = f.read()
        for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I):
            check("src=" in m.group(1) and not m.group(2).strip(), "%s: an inline script: %r" % (name, m.group(0)[:80]))
        check(not re.search(r"\son[a-z]+\s*=", html, re.I), "%s: an inline event handler" % name)
        check(not re.search(r"\sstyle\s*=", html, re.I) and "<style" not in html.lower(), "%s: inline style" % name)
        check("javascript:" not in html.lower(), "%s: a javascript: URL" % name)

    # Cookies: plain HTTP, HTTPS through a trusted proxy.
    c = srv.client()
    sc = cookie_of(c.login("alice", "alice-password-1"))
    attrs = [a.strip() for a in sc.split(";")]
    for a in ("HttpOnly", "SameSite=Lax", "Path=/"):
        check(a in attrs, "cookie lacks %s: %s" % (a, sc))
    check("Secure" not in attrs and not any(a.lower().startswith("domain=") for a in attrs),
          "cookie over plain HTTP: %s" % sc)
    r = c.post("/api/v1/login", {"name": "alice", "password": "alice-password-1"},
               headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    check(r.status == 200 and "Secure" in [a.strip() for a in cookie_of(r).split(";")],
          "cookie over HTTPS (trusted proxy): %s" % r.headers.get("set-cookie"))
    c.csrf = r.json()["csrf_token"]
    r = c.post("/api/v1/logout", headers={"X-Forwarded-Proto": "https"})
    check(r.status == 204 and "Max-Age=0" in r.headers.get("set-cookie", "") and
          "HttpOnly" in r.headers.get("set-cookie", ""), "logout cookie: %r" % r.headers)

    # Guessing registration codes: like logins, per address (5 here).
    alice = srv.client()
    alice.login("alice", "alice-password-1")
    for i in range(5):
        r = alice.post("/api/v1/contests/%d/register" % cid, {"code": "guess-%d" % i})
        check(r.status == 403 and r.error_code() == "wrong_code", "wrong contest code %d: %r" % (i, r))
    r = alice.post("/api/v1/contests/%d/register" % cid, {"code": "contest-code-77"})
    check(r.status == 429 and r.error_code() == "rate_limited" and int(r.headers.get("retry-after", "0")) > 0,
          "the 6th contest code guess: %r" % r)
    srv.stop()
    # the site's registration code, on a fresh server (a fresh budget)
    srv2 = ctx.server("server2", {"login_max_failures": "5"})
    srv2.cli(["init", "--data=" + srv2.data, "--registration=code", "--registration-code=site-code-55"])
    srv2.start()
    x = srv2.client()
    for i in range(5):
        r = x.post("/api/v1/register", {"name": "u%d" % i, "password": "long-password-1", "code": "guess-%d" % i})
        check(r.status == 403, "wrong site code %d: %r" % (i, r))
    r = x.post("/api/v1/register", {"name": "u9", "password": "long-password-1", "code": "site-code-55"})
    check(r.status == 429 and r.error_code() == "rate_limited", "the 6th site code guess: %r" % r)
    srv2.stop()


# ---- secrets_not_logged ------------------------------------------------------------------------------------------

CANARY_IN = "918273645 192837465\n"
CANARY_ANS = "1111111110\n"


def case_secrets_not_logged(ctx):
    site_code = "site-code-Zq81x"
    srv = ctx.server("server", {"log_level": "debug", "lease_seconds": "10"})
    users = {"admin": srv.add_user("boss", "admin", "boss-password-Kx7"),
             "alice": srv.add_user("alice", "contestant", "alice-password-Qw3"),
             "judge": srv.add_user("judge1", "judge")}
    tok = srv.cli(["user", "token", "--data=" + srv.data, "alice"]).stdout
    alice_token = re.search(r"^token: ([0-9a-f]{64})$", tok, re.M).group(1)
    srv.cli(["init", "--data=" + srv.data, "--registration=code", "--registration-code=" + site_code])
    srv.start()
    secrets = {"admin password": "boss-password-Kx7", "alice password": "alice-password-Qw3",
               "judge token": users["judge"][1], "alice token": alice_token, "site code": site_code,
               "wrong password": "wrong-password-Pz5", "carol password": "carol-password-Mn2",
               "contest code": "contest-code-Vb4", "imported password": "imported-password-Hy6",
               "secret input": CANARY_IN.split()[0], "secret answer": CANARY_ANS.strip()}
    admin = srv.client()
    r = admin.login("boss", "boss-password-Kx7")
    secrets["admin session"] = admin.cookie
    secrets["admin csrf"] = admin.csrf
    bad = srv.client().post("/api/v1/login", {"name": "boss", "password": "wrong-password-Pz5"})
    check(bad.status == 401, "wrong password: %r" % bad)
    r = srv.client().post("/api/v1/register", {"name": "carol", "password": "carol-password-Mn2",
                                               "code": site_code})
    check(r.status == 201, "register with the site code: %r" % r)
    srv.client().post("/api/v1/register", {"name": "dave", "password": "carol-password-Mn2", "code": "not-it"})
    carol = srv.client()
    carol.login("carol", "carol-password-Mn2")
    secrets["carol session"] = carol.cookie
    r = admin.post("/api/v1/users/import", "name,password\nimported1,imported-password-Hy6\nimported2,\n",
                   ctype="text/csv")
    check(r.status in (200, 201), "import: %r" % r)
    for x in re.findall(r'"password": *"([^"]+)"', r.body.decode()):
        if x != "imported-password-Hy6":
            secrets["generated password"] = x
    # A problem with a secret test only this script knows.
    data = ctx.hello_sum_zip(edit={"data/secret/99-canary.in": CANARY_IN.encode(),
                                   "data/secret/99-canary.ans": CANARY_ANS.encode()})
    r = admin.post("/api/v1/problems", data, ctype="application/zip")
    check(r.status == 201, "upload: %r" % r)
    pid = r.json()["problem"]["id"]
    check(admin.request("PATCH", "/api/v1/problems/%d" % pid, {"published": True}).status == 200, "publish")
    now = int(time.time())
    r = admin.post("/api/v1/contests", {"short_name": "sec2", "title": "Secrets", "start_time": now - 60,
                                        "duration": 3600, "registration": "code",
                                        "registration_code": "contest-code-Vb4"})
    check(r.status == 201, "contest: %r" % r)
    cid = r.json()["id"]
    check(admin.request("PATCH", "/api/v1/contests/%d" % cid, {"registration_code": "contest-code-Vb4"}).status
          == 200, "patch contest")
    check(carol.post("/api/v1/contests/%d/register" % cid, {"code": "contest-code-Vb4"}).status == 201,
          "contest registration")
    # API tokens in use
    tc = srv.client(token=alice_token)
    check(tc.get("/api/v1/me").status == 200, "alice's token")
    subs = os.path.join(ctx.src, "problems", "examples", "hello-sum", "submissions")
    with open(os.path.join(subs, "wrong_answer", "difference.c")) as f:
        wrong = f.read()
    with open(os.path.join(subs, "accepted", "sum.c")) as f:
        right = f.read()
    sids = [base.submit(tc, pid, wrong, "c", "difference.c"), base.submit(tc, pid, right, "c", "sum.c")]
    dlog = ""
    if os.geteuid() == 0:
        token_file = os.path.join(srv.dir, "judge.token")
        with open(token_file, "w") as f:
            f.write(users["judge"][1] + "\n")
        os.chmod(token_file, 0o600)
        logpath = os.path.join(srv.dir, "daemon.log")
        log = open(logpath, "ab")
        d = subprocess.Popen([ctx.crucible, "judge", "daemon", "--server=http://127.0.0.1:%d" % srv.port,
                              "--token-file=" + token_file, "--workers=1", "--log-level=debug",
                              "--cache=" + os.path.join(srv.dir, "cache"), "--work-dir=" + os.path.join(srv.dir, "work"),
                              "--languages=" + os.path.join(ctx.src, "judge", "languages.yaml")],
                             stdout=log, stderr=log)
        try:
            deadline = time.time() + 120
            while time.time() < deadline:
                got = [tc.get("/api/v1/submissions/%d" % s).json()["submission"] for s in sids]
                if all(s["status"] == "judged" for s in got):
                    break
                time.sleep(0.5)
            check([s["verdict"] for s in got] == ["WA", "AC"], "verdicts: %r" % [s["verdict"] for s in got])
        finally:
            d.send_signal(signal.SIGTERM)
            try:
                d.wait(timeout=60)
            except subprocess.TimeoutExpired:
                d.kill()
                d.wait()
            log.close()
        with open(logpath, "rb") as f:
            dlog = f.read().decode(errors="replace")
        check("debug" in dlog, "the daemon logged nothing at debug level")
    else:
        judge = srv.client(token=users["judge"][1])
        for _ in sids:
            job = judge.post("/api/v1/judge/claim", base.claim_body()).json()["job"]
            check(judge.post("/api/v1/judge/jobs/%d/heartbeat" % job["id"]).status == 200, "heartbeat")
            check(judge.post("/api/v1/judge/jobs/%d/result" % job["id"], base.fake_result("AC")).status == 200,
                  "result")
    # the jury reads the judgings (messages included) through the API
    for s in sids:
        check(admin.get("/api/v1/submissions/%d" % s).status == 200, "jury view")
    r = admin.get("/api/v1/audit")
    check(r.status == 200, "audit: %r" % r)
    audit = r.body.decode(errors="replace")
    admin.post("/api/v1/logout")
    srv.stop()
    slog = srv.log_text()
    check(" debug " in slog or "debug" in slog, "the server logged nothing at debug level")
    for what, value in secrets.items():
        check(value and len(value) >= 8, "secret %s too short to look for: %r" % (what, value))
        for name, text in (("server", slog), ("judge daemon", dlog), ("audit", audit)):
            i = text.find(value)
            check(i < 0, "the %s log holds the %s: ...%s..." % (name, what, text[max(0, i - 120):i + 40]))
    print("%d secrets looked for in %d + %d bytes of log" % (len(secrets), len(slog), len(dlog)))


CASES = {
    "security_headers": case_security_headers,
    "secrets_not_logged": case_secrets_not_logged,
}

if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
