#!/usr/bin/env python3
"""run_static_test.py: end-to-end case for the browser UI's files as
crucible serve serves them (web/static.c; CTest e2e.web.static):

    run_static_test.py --crucible PATH --source-dir REPO --work DIR static

The server serves a copy of web/ui (ui_dir) beside a folder of secrets and
links that lead to them. Checked: UI files revalidate (no-cache, ETag,
Last-Modified, 304 without a body when unchanged), Debian's libraries under
/vendor/ are cached for a year (immutable), each type has its Content-Type,
client routes get index.html, HEAD works, every answer carries the security
headers, and no trick (.., %2e%2e, %2f, encoded NUL, backslashes, hidden
files, folders, links out of the folder, absolute paths, absolute-form
request lines) reaches a file outside the UI folder.
Exit status: 0 pass, 1 fail.
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_web_test as base  # noqa: E402

check = base.check
SECRET = b"static-test-secret-4b1d"
TYPES = {
    "/": "text/html; charset=utf-8",
    "/ui/index.html": "text/html; charset=utf-8",
    "/ui/app.js": "text/javascript; charset=utf-8",
    "/ui/app.css": "text/css; charset=utf-8",
    "/ui/i18n/en.json": "application/json",
    "/ui/icon.svg": "image/svg+xml",
    "/vendor/katex/fonts/KaTeX_Main-Regular.woff2": "font/woff2",
    "/vendor/katex/katex.min.css": "text/css; charset=utf-8",
    "/vendor/codemirror/lib/codemirror.js": "text/javascript; charset=utf-8",
}


def ui_copy(ctx):
    """A copy of web/ui, with links out of it, beside a folder of secrets."""
    root = os.path.join(ctx.work, "site")
    ui = os.path.join(root, "ui")
    shutil.copytree(os.path.join(ctx.src, "web", "ui"), ui, symlinks=True)
    out = os.path.join(root, "outside")
    os.makedirs(out)
    for name in ("secret.js", "secret.json", "passwd"):
        with open(os.path.join(out, name), "wb") as f:
            f.write(SECRET + b"\n")
    with open(os.path.join(ui, ".hidden.js"), "wb") as f:
        f.write(SECRET + b"\n")
    os.symlink(os.path.join(out, "secret.js"), os.path.join(ui, "leak.js"))        # absolute link out
    os.symlink("../outside/secret.json", os.path.join(ui, "i18n", "leak.json"))     # relative link out
    os.symlink("../outside", os.path.join(ui, "outdir"))                            # a folder link out
    os.symlink("/etc/passwd", os.path.join(ui, "passwd.txt"))
    os.symlink("app.js", os.path.join(ui, "alias.js"))                              # inside: allowed
    for d, dirs, files in os.walk(root):
        os.chmod(d, 0o755)
        for f in files:
            p = os.path.join(d, f)
            if not os.path.islink(p):
                os.chmod(p, 0o644)
    return ui


def revalidating(r, what):
    cc = r.headers.get("cache-control", "")
    check(cc == "no-cache", "%s: Cache-Control %r, not no-cache" % (what, cc))
    check(r.headers.get("etag", "").startswith('"'), "%s: no strong ETag: %r" % (what, r.headers))
    check(r.headers.get("last-modified", "").endswith(" GMT"), "%s: no Last-Modified: %r" % (what, r.headers))


def refused(c, path, what=None, method="GET"):
    r = c.request(method, path)
    check(r.status in (400, 404), "%s %s (%s): %d, not refused" % (method, path, what or "", r.status))
    check(SECRET not in r.body and b"root:" not in r.body, "%s: a secret in the answer" % path)
    check("no-store" in r.headers.get("cache-control", ""), "%s: an error that may be cached: %r" % (path, r.headers))
    check(r.headers.get("content-type", "").startswith("application/json"), "%s: not JSON: %r" % (path, r.headers))
    return r


def case_static(ctx):
    ui = ui_copy(ctx)
    srv, _ = base.setup_platform(ctx, {"ui_dir": ui})
    c = srv.client()
    with open(os.path.join(ui, "index.html"), "rb") as f:
        index = f.read()
    with open(os.path.join(ui, "app.js"), "rb") as f:
        app_js = f.read()

    # Every type with its Content-Type; UI files revalidate, libraries are immutable.
    for path, ctype in TYPES.items():
        r = c.get(path)
        check(r.status == 200, "GET %s: %r" % (path, r))
        check(r.headers.get("content-type") == ctype, "%s: Content-Type %r, not %r" %
              (path, r.headers.get("content-type"), ctype))
        check(int(r.headers.get("content-length", -1)) == len(r.body), "%s: Content-Length" % path)
        if path.startswith("/vendor/"):
            cc = r.headers.get("cache-control", "")
            check("immutable" in cc and "max-age=31536000" in cc and "public" in cc,
                  "%s: Cache-Control %r" % (path, cc))
            check("no-cache" not in cc and "no-store" not in cc, "%s: Cache-Control %r" % (path, cc))
        else:
            revalidating(r, path)
    check(c.get("/ui/app.js").body == app_js, "app.js is not the file")

    # Client routes are index.html; API paths and file-like paths are not.
    for path in ("/", "/contests/3", "/contests/3/scoreboard", "/problems", "/admin/users", "/etc/passwd",
                 "/users/ann.lee", "/users/a-b_c.d.e"):
        r = c.get(path)
        check(r.status == 200 and r.body == index, "%s is not index.html: %r" % (path, r))
        check(r.headers.get("content-type") == "text/html; charset=utf-8", "%s: %r" % (path, r.headers))
        revalidating(r, path)
    r = c.get("/api/v1/no-such-thing")
    check(r.status == 404 and r.body != index and r.error_code() == "not_found", "an unknown API path: %r" % r)
    for path in ("/favicon.ico", "/app.js", "/users/x.css", "/contests/3/index.html", "/users/.hidden",
                 "/users/../ui/app.js", "/users//x"):
        refused(c, path, "a file name outside /ui/")

    # Conditional requests: 304 without a body when unchanged, 200 otherwise.
    r = c.get("/ui/app.js")
    etag, lm = r.headers["etag"], r.headers["last-modified"]
    for h in ({"If-None-Match": etag}, {"If-None-Match": '"other", ' + etag}, {"If-None-Match": "W/" + etag},
              {"If-None-Match": "*"}, {"If-Modified-Since": lm}):
        r = c.get("/ui/app.js", headers=h)
        check(r.status == 304, "conditional GET with %r: %r" % (h, r))
        check(r.body == b"", "a 304 with a body: %r" % r.body[:100])
        check(r.headers.get("etag") == etag, "a 304 without the ETag: %r" % r.headers)
        check(r.headers.get("cache-control") == "no-cache", "a 304's Cache-Control: %r" % r.headers)
    for h in ({"If-None-Match": '"stale"'}, {"If-None-Match": '"stale"', "If-Modified-Since": lm},
              {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}):
        r = c.get("/ui/app.js", headers=h)
        check(r.status == 200 and r.body == app_js, "conditional GET with %r: %r" % (h, r))
    r = c.get("/contests/3", headers={"If-None-Match": c.get("/").headers["etag"]})
    check(r.status == 304 and r.body == b"", "a client route revalidates index.html: %r" % r)
    # A changed file gets a new tag and its new content.
    with open(os.path.join(ui, "app.css"), "ab") as f:
        f.write(b"\n/* changed */\n")
    css0 = c.get("/ui/app.css")
    with open(os.path.join(ui, "app.css"), "ab") as f:
        f.write(b"/* changed again */\n")
    r = c.get("/ui/app.css", headers={"If-None-Match": css0.headers["etag"]})
    check(r.status == 200 and r.body.endswith(b"/* changed again */\n") and r.headers["etag"] != css0.headers["etag"],
          "a changed file answered %r" % r)

    # HEAD: the headers of GET, no body.
    for path in ("/ui/app.js", "/", "/contests/3", "/vendor/katex/katex.min.js"):
        g, h = c.get(path), c.request("HEAD", path)
        check(h.status == 200 and h.body == b"", "HEAD %s: %r" % (path, h))
        for k in ("content-type", "content-length", "cache-control", "etag"):
            check(h.headers.get(k) == g.headers.get(k), "HEAD %s: %s %r, GET has %r" %
                  (path, k, h.headers.get(k), g.headers.get(k)))
    r = c.request("HEAD", "/ui/app.js", headers={"If-None-Match": etag})
    check(r.status == 304, "a conditional HEAD: %r" % r)
    for m in ("POST", "PUT", "DELETE"):
        r = c.request(m, "/ui/app.js", body=b"x", ctype="text/plain")
        check(r.status in (404, 405), "%s /ui/app.js: %r" % (m, r))

    # The security headers on every kind of answer (Client checks them on
    # each one; here the parts the UI depends on, spelled out).
    for path in ("/", "/ui/app.js", "/vendor/katex/katex.min.js", "/ui/nope.js"):
        r = c.get(path)
        csp = r.headers.get("content-security-policy", "")
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
        check(directives.get("script-src") == "'self'", "%s: script-src %r" % (path, directives.get("script-src")))
        check("unsafe" not in csp, "%s: an unsafe CSP source: %r" % (path, csp))
        check(directives.get("frame-ancestors") == "'none'" and directives.get("object-src") == "'none'",
              "%s: CSP %r" % (path, csp))
        check(r.headers.get("x-content-type-options") == "nosniff", "%s: no nosniff" % path)

    # Links: inside the folder they work, out of it they do not.
    r = c.get("/ui/alias.js")
    check(r.status == 200 and r.body == app_js, "a link inside the folder: %r" % r)
    for path in ("/ui/leak.js", "/ui/i18n/leak.json", "/ui/outdir/secret.js", "/ui/passwd.txt", "/ui/.hidden.js",
                 "/ui/outdir/passwd"):
        refused(c, path, "a link or hidden file")
        refused(c, path, "a link or hidden file", method="HEAD")

    # Paths that try to leave the folder, or are no file at all.
    tricks = [
        "/ui/../../outside/secret.js", "/ui/../static.c", "/ui/%2e%2e/%2e%2e/outside/secret.js",
        "/ui/%2E%2E/outside/secret.js", "/ui/..%2f..%2foutside%2fsecret.js", "/ui/.%2e/outside/secret.js",
        "/ui/%2e%2e%5coutside%5csecret.js", "/ui/..\\outside\\secret.js", "/ui//etc/passwd",
        "/ui/%2fetc%2fpasswd", "/ui/%2Fetc/hostname.txt", "/ui/i18n/../../outside/secret.json",
        "/vendor/katex/../../../../etc/passwd", "/vendor/katex/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/katex//etc/passwd", "/vendor/../ui/app.js", "/vendor/nope/x.js", "/vendor/katex",
        "/vendor/katex/", "/ui/", "/ui/i18n", "/ui/i18n/", "/ui/app.js/", "/ui/app.js%00.png",
        "/ui/app.js%00", "/ui/%00", "/ui/leak.js%00.css", "/contests/3%00.js", "/%00", "/ui/app.js%2500",
        "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/contests/%2e%2e", "/ui/app.exe",
        "/ui/app", "/ui/APP.JS", "/ui/app.js.bak", "/ui/" + "a/" * 120 + "x.js", "/" + "x" * 300,
    ]
    for path in tricks:
        refused(c, path)
    # Absolute-form and odd request lines (raw).
    for line in (b"GET http://127.0.0.1/../outside/secret.js HTTP/1.1", b"GET /ui/../../outside/secret.js HTTP/1.1",
                 b"GET ../outside/secret.js HTTP/1.1", b"GET /ui/%00/../../outside/secret.js HTTP/1.1",
                 b"GET /ui/\x00/../../outside/secret.js HTTP/1.1"):
        status, _, got = srv.raw(line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        check(status is None or status in (400, 404), "%r answered %r" % (line, got[:200]))
        check(SECRET not in got and b"root:" not in got, "%r: a secret in the answer" % line)
    check(c.get("/healthz").status == 200, "the server is still up")
    srv.stop()


CASES = {"static": case_static}


if __name__ == "__main__":
    base.CASES = CASES
    sys.exit(base.main())
