#!/usr/bin/env python3
"""run_hostile_test.py: the sandbox attack suite against the judge as a whole
(issue #8), through `crucible judge run --json` (root: the sandbox; exit 77
otherwise).

    run_hostile_test.py --crucible PATH --source-dir REPO --work DIR hostile

hostile submissions   a fork bomb, reading /proc/1/environ, the judge's own
                      environment and the package's path, writing outside
                      the box (a canary folder, the package), connecting to a
                      TCP server of this script, endless output, sleeping past
                      the wall limit: each gets a verdict other than AC within
                      a bounded time, the canary, the package and the host's
                      process count are untouched, the server saw no
                      connection, and no secret answer, environment canary or
                      package path shows in the result.
hostile checkers      an output validator that writes to the judge answer and
                      the input file, one that loops forever (validation_time
                      2 s), one that prints megabytes to stdout, stderr and
                      judgemessage.txt: JE or a clear verdict within a bounded
                      time, the package unchanged, messages bounded.
hostile archives      zips with ../ paths, absolute paths, symlink entries, a
                      zip bomb and 100,000 files: each refused (exit 1 or 2,
                      a message naming the archive, nothing on stdout);
                      nothing written outside the judge's temporary folder,
                      which is left empty.

The Ctx and helpers are run_judge_test.py's.
"""

import json
import os
import socket
import stat
import sys
import threading
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_judge_test as jt  # noqa: E402

check = jt.check
SECRET_ANS = "CRUCIBLE-ANSWER-5BE1D2-ZQ"
ENV_CANARY = "hostile-env-canary-7Q2W"


def left_behind(names):
    """Live processes whose command line names one of the submissions."""
    found = []
    for n in os.listdir("/proc"):
        if not n.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % n, "rb") as f:
                cmd = f.read().decode(errors="replace")
            with open("/proc/%s/stat" % n) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(x in cmd for x in names) and "run_hostile_test" not in cmd:
            found.append((int(n), cmd.replace("\0", " ")[:80]))
    return found


class Listener:
    """A loopback TCP server counting the connections it gets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
                self.hits += 1
                c.close()
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.t.join()
        self.sock.close()


SUBMISSIONS = {
    "fork_bomb.py": ("import os\n"
                     "while True:\n"
                     "    try:\n"
                     "        os.fork()\n"
                     "    except OSError:\n"
                     "        pass\n"),
    "environ.py": ("import os\n"
                   "out = []\n"
                   "for p in ['/proc/1/environ', '/proc/self/environ', '/proc/1/cmdline', '/proc/self/mountinfo']:\n"
                   "    try:\n"
                   "        out.append(open(p, 'rb').read().decode('latin-1').replace('\\0', ' '))\n"
                   "    except OSError as e:\n"
                   "        out.append(str(e))\n"
                   "out.append(' '.join('%s=%s' % kv for kv in os.environ.items()))\n"
                   "print(' | '.join(out)[:100000])\n"),
    "package.py": ("import os\n"
                   "found = []\n"
                   "for root in %(roots)r:\n"
                   "    for folder, dirs, files in os.walk(root):\n"
                   "        for n in files:\n"
                   "            try:\n"
                   "                found.append(open(os.path.join(folder, n)).read())\n"
                   "            except OSError:\n"
                   "                pass\n"
                   "print(' '.join(found)[:100000] or 'nothing')\n"),
    "write_out.py": ("import os\n"
                     "for p in %(targets)r:\n"
                     "    try:\n"
                     "        with open(p, 'w') as f:\n"
                     "            f.write('owned')\n"
                     "    except OSError:\n"
                     "        pass\n"
                     "    try:\n"
                     "        os.unlink(p)\n"
                     "    except OSError:\n"
                     "        pass\n"
                     "print('tried')\n"),
    "network.py": ("import socket\n"
                   "ok = 0\n"
                   "for host in ['127.0.0.1', '::1', 'localhost', '10.0.2.2', '8.8.8.8']:\n"
                   "    try:\n"
                   "        socket.create_connection((host, %(port)d), timeout=0.5).close()\n"
                   "        ok += 1\n"
                   "    except OSError:\n"
                   "        pass\n"
                   "print('connected-%%d' %% ok)\n"),
    "flood.py": ("import sys\n"
                 "line = 'x' * 65535 + '\\n'\n"
                 "while True:\n"
                 "    sys.stdout.write(line)\n"
                 "    sys.stderr.write(line)\n"),
    "sleepy.py": "import time\ntime.sleep(1000)\n",
}
WANT = {"fork_bomb.py": ("RTE", "TLE", "WA"), "environ.py": ("WA",), "package.py": ("WA",),
        "write_out.py": ("WA",), "network.py": ("WA",), "flood.py": ("OLE", "TLE", "RTE", "WA"),
        "sleepy.py": ("TLE",)}


def leaks(res, secrets):
    text = json.dumps(res)
    return [s for s in secrets if s and s in text]


def hostile_submissions(ctx):
    pkg = ctx.copy_package(ctx.package("escape"), "hostile-pkg")
    canary = os.path.join(ctx.work, "canary")
    ctx.write(os.path.join(canary, "file.txt"), "canary\n")
    before = (jt.snapshot(canary), jt.snapshot(pkg))
    listener = Listener()
    os.environ[ENV_CANARY.split("-")[0].upper() + "_CANARY"] = ENV_CANARY   # the judge's own environment
    subs = {}
    try:
        fill = {"roots": [pkg, os.path.realpath(pkg), ctx.work, "/root", "/etc/crucible", "/var/lib/crucible"],
                "targets": [os.path.join(canary, "file.txt"), os.path.join(canary, "new.txt"),
                            os.path.join(pkg, "data", "secret", "01-secret.ans"), os.path.join(pkg, "problem.yaml"),
                            "/etc/crucible-owned", "/tmp/crucible-owned", "/root/crucible-owned"],
                "port": listener.port}
        for name, text in SUBMISSIONS.items():
            path = ctx.write(os.path.join(ctx.work, "sub", name), text % fill if "%(" in text else text)
            t0 = time.time()
            res, p = ctx.judge(pkg, [path], timeout=120)
            took = time.time() - t0
            jt.check_shape(res)
            subs[name] = (res["verdict"], round(took, 1))
            check(res["verdict"] in WANT[name], "%s: verdict %s, not one of %s: %s" %
                  (name, res["verdict"], WANT[name], json.dumps(res)[:2000]))
            check(took < 60, "%s: judged in %.0f s" % (name, took))
            bad = leaks(res, [SECRET_ANS, ENV_CANARY, pkg, os.path.realpath(pkg), ctx.work])
            check(not bad, "%s: the result shows %r" % (name, bad))
            check(len(json.dumps(res)) < 1 << 20, "%s: a result of %d bytes" % (name, len(json.dumps(res))))
        time.sleep(0.5)
        left = left_behind(list(SUBMISSIONS))
        check(not left, "processes left: %r" % left[:5])
    finally:
        listener.close()
        del os.environ[ENV_CANARY.split("-")[0].upper() + "_CANARY"]
    check(listener.hits == 0, "the server got %d connections from submissions" % listener.hits)
    after = (jt.snapshot(canary), jt.snapshot(pkg))
    check(after[0] == before[0], "the canary folder changed")
    check(after[1] == before[1], "the package changed")
    for p in ("/etc/crucible-owned", "/tmp/crucible-owned", "/root/crucible-owned"):
        check(not os.path.exists(p), "a submission wrote " + p)
    print("hostile submissions: %s" % subs)


CHECKERS = {
    "writes": ("import sys\n"
               "for p in (sys.argv[1], sys.argv[2]):\n"
               "    try:\n"
               "        open(p, 'w').write('owned')\n"
               "    except OSError:\n"
               "        pass\n"
               "sys.stdin.read()\n"
               "sys.exit(42)\n", ("AC", "JE")),
    "loops": "import sys\nsys.stdin.read()\nwhile True:\n    pass\n",
    "floods": ("import os, sys\n"
               "sys.stdin.read()\n"
               "line = 'y' * 65535 + '\\n'\n"
               "try:\n"
               "    with open(os.path.join(sys.argv[3], 'judgemessage.txt'), 'w') as f:\n"
               "        for i in range(2000):\n"
               "            f.write(line)\n"
               "except OSError:\n"
               "    pass\n"
               "for i in range(2000):\n"
               "    sys.stdout.write(line)\n"
               "    sys.stderr.write(line)\n"
               "sys.exit(43)\n"),
}


def hostile_checkers(ctx):
    sub = ctx.write(os.path.join(ctx.work, "sub", "solve.py"),
                    open(os.path.join(ctx.package("escape"), "submissions", "accepted", "solve.py")).read())
    results = {}
    for name, spec in CHECKERS.items():
        text, want = (spec if isinstance(spec, tuple) else (spec, ("JE",)))
        pkg = ctx.copy_package(ctx.package("escape"), "checker-" + name)
        ctx.write(os.path.join(pkg, "output_validator", "validate.py"), "#!/usr/bin/env python3\n" + text)
        with open(os.path.join(pkg, "problem.yaml"), "a") as f:
            f.write("  validation_time: 2\n")
        with open(os.path.join(pkg, "problem.yaml")) as f:
            check("validation_time: 2" in f.read(), "problem.yaml")
        before = jt.snapshot(pkg)
        t0 = time.time()
        res, p = ctx.judge(pkg, [sub], timeout=120)
        took = time.time() - t0
        jt.check_shape(res)
        results[name] = (res["verdict"], round(took, 1))
        if name == "floods":
            want = ("WA", "JE")
        check(res["verdict"] in want, "checker %s: verdict %s, not one of %s: %s" %
              (name, res["verdict"], want, json.dumps(res)[:1500]))
        check(took < 60, "checker %s: judged in %.0f s" % (name, took))
        check(jt.snapshot(pkg) == before, "checker %s changed the package" % name)
        check(len(json.dumps(res)) < 1 << 20, "checker %s: a result of %d bytes" % (name, len(json.dumps(res))))
        check(SECRET_ANS not in json.dumps(res) or name == "floods", "checker %s: the answer leaks" % name)
    print("hostile checkers: %s" % results)


def write_zip(path, entries):
    """entries: (ZipInfo or name, bytes, or an int: that many MiB of zeros,
    streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if isinstance(data, int):
                with z.open(info, "w", force_zip64=True) as f:
                    chunk = b"\0" * (1 << 20)
                    for _ in range(data):
                        f.write(chunk)
            else:
                z.writestr(info, data)
    return path


def package_entries(ctx, top=""):
    src = ctx.package("escape")
    out = []
    for folder, dirs, files in os.walk(src):
        for n in sorted(files):
            full = os.path.join(folder, n)
            with open(full, "rb") as f:
                out.append((os.path.join(top, os.path.relpath(full, src)), f.read()))
    return out


def hostile_archives(ctx):
    good = package_entries(ctx)
    link = zipfile.ZipInfo("data/secret/link.ans")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    outside = os.path.join(ctx.work, "escaped")
    bomb = zipfile.ZipInfo("data/secret/02-bomb.in")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    archives = {
        "dotdot": good + [("../../escaped/dotdot.txt", b"owned"), ("data/../../escaped2.txt", b"owned")],
        "absolute": good + [(outside + "/absolute.txt", b"owned")],
        "symlink": good + [(link, b"/etc/shadow")],
        "bomb": good + [(bomb, 1100)],
        "many": good + [("data/secret/many/%06d.in" % i, b"") for i in range(100000)],
    }
    results = {}
    for name, entries in archives.items():
        z = write_zip(os.path.join(ctx.work, "evil-%s.zip" % name), entries)
        t0 = time.time()
        p = ctx.crucible_run(["judge", "run", "--json", "--problem=" + z,
                              os.path.join(ctx.package("escape"), "submissions", "accepted", "solve.py")], 180)
        took = time.time() - t0
        results[name] = (p.returncode, round(took, 1), (p.stderr.strip().splitlines() or [""])[-1][-120:])
        refused = p.returncode in (1, 2) and os.path.basename(z) in p.stderr and not p.stdout.strip()
        check(refused or (p.returncode == 0 and '"AC"' in p.stdout),
              "%s: exit %d\n%s\n%s" % (name, p.returncode, p.stdout[-500:], p.stderr[-1500:]))
        check(took < 120, "%s: %.0f s" % (name, took))
        check(not os.path.exists(outside) and not os.path.exists(os.path.join(ctx.work, "escaped2.txt")),
              "%s: a file was written outside the extraction" % name)
        check(not os.listdir(ctx.tmpdir), "%s: left in TMPDIR: %s" % (name, os.listdir(ctx.tmpdir)[:5]))
        check("/etc/shadow" not in p.stdout and "root:" not in p.stdout, "%s: the link was followed" % name)
        os.unlink(z)
    print("hostile archives (exit, seconds, last message): %s" % json.dumps(results, indent=1))
    for name in ("dotdot", "absolute", "symlink", "bomb", "many"):
        check(results[name][0] in (1, 2), "%s: not refused: %r" % (name, results[name]))


def case_hostile(ctx):
    hostile_submissions(ctx)
    hostile_checkers(ctx)
    hostile_archives(ctx)


if __name__ == "__main__":
    jt.CASES = {"hostile": case_hostile}
    sys.exit(jt.main())
