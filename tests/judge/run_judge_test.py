#!/usr/bin/env python3
"""run_judge_test.py: runs one end-to-end case of the judge's test suite.

Each case starts the real `crucible judge run` or `crucible problem verify`
on a package (the examples in problems/examples, the small probes in
tests/judge/packages, or a package this script builds from them at test
time) and checks what it printed and its exit status:

    run_judge_test.py --crucible PATH --source-dir REPO --work DIR CASE [ARG]

`verify PACKAGE` runs verify on any package and expects it to pass; the
other cases are listed in CASES below. Exit status: 0 pass, 1 fail, 77 skip
(not root: the judge needs the sandbox), which CTest reads through
SKIP_RETURN_CODE. Set CRUCIBLE_TEST_KEEP=1 to keep a case's work folder.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77

# Keys and types of `judge run --json` (judge.h, jdg_result_to_json).
NUMBER = (int, float)
RESULT_KEYS = {"verdict": str, "score": NUMBER, "max_score": NUMBER, "time_seconds": NUMBER,
               "memory_bytes": int, "compile_output": str, "tests": list,
               "cpu_seconds_total": NUMBER, "gpu_seconds": NUMBER}
TEST_KEYS = {"name": str, "group": str, "verdict": str, "time_seconds": NUMBER,
             "memory_bytes": int, "score": NUMBER, "message": str}
VERDICTS = {"AC", "WA", "TLE", "MLE", "OLE", "RTE", "CE", "JE"}


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


class Ctx:
    """What every case gets: the binary, the source tree, a private work
    folder (also the TMPDIR of every crucible started here)."""

    def __init__(self, crucible, source_dir, work):
        self.crucible = crucible
        self.src = source_dir
        self.work = work
        self.tmpdir = os.path.join(work, "tmp")
        os.makedirs(self.tmpdir, exist_ok=True)

    def example(self, name):
        return os.path.join(self.src, "problems", "examples", name)

    def package(self, name):
        return os.path.join(self.src, "tests", "judge", "packages", name)

    def crucible_run(self, args, timeout=120):
        env = dict(os.environ, TMPDIR=self.tmpdir)
        try:
            p = subprocess.run([self.crucible] + args, capture_output=True, text=True,
                               errors="replace", env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Fail("crucible %s did not end within %d s" % (" ".join(args), timeout))
        return p

    def judge(self, package, sources, extra=(), timeout=120, expect_rc=None):
        """`judge run --json`: returns (the one JSON object, the process)."""
        p = self.crucible_run(["judge", "run", "--json", "--problem=" + package] + list(extra)
                              + list(sources), timeout)
        lines = [l for l in p.stdout.splitlines() if l.strip()]
        check(len(lines) == 1, "judge run --json printed %d non-empty lines, not one:\n%s\n%s"
              % (len(lines), p.stdout[-2000:], p.stderr[-2000:]))
        try:
            res = json.loads(lines[0])
        except ValueError as e:
            raise Fail("judge run --json printed no valid JSON (%s): %s" % (e, lines[0][:500]))
        check(isinstance(res, dict), "the JSON is not an object")
        if expect_rc is not None:
            check(p.returncode == expect_rc, "judge run exited %d, expected %d; stderr: %s"
                  % (p.returncode, expect_rc, p.stderr[-1000:]))
        return res, p

    def verify(self, package, timeout=240):
        p = self.crucible_run(["problem", "verify", package], timeout)
        return p, verify_table(p.stdout)

    def write(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def copy_package(self, src, name):
        dst = os.path.join(self.work, name)
        if os.path.exists(dst):
            shutil.rmtree(dst)
        shutil.copytree(src, dst, symlinks=True)
        return dst


def verify_table(out):
    """verify's table as {submission: (verdict, result)}."""
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^(\S+/\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(ok|MISMATCH.*|skipped.*)$", line)
        if m:
            rows[m.group(1)] = (m.group(3), m.group(5))
    return rows


def show(p):
    return "exit %d\n--- stdout\n%s\n--- stderr\n%s" % (p.returncode, p.stdout[-4000:], p.stderr[-2000:])


def check_shape(res):
    for k, t in RESULT_KEYS.items():
        check(k in res, "key %r missing from the result" % k)
        check(isinstance(res[k], t) and not isinstance(res[k], bool),
              "key %r is %r, not %s" % (k, res[k], t))
    check(res["verdict"] in VERDICTS, "unknown verdict %r" % res["verdict"])
    check(res["time_seconds"] >= 0 and res["memory_bytes"] >= 0, "negative time or memory")
    for t in res["tests"]:
        check(isinstance(t, dict), "a test is not an object")
        for k, ty in TEST_KEYS.items():
            check(k in t, "key %r missing from test %r" % (k, t.get("name")))
            check(isinstance(t[k], ty) and not isinstance(t[k], bool),
                  "test %r: key %r is %r" % (t.get("name"), k, t[k]))
        check(t["verdict"] in VERDICTS, "test %s: unknown verdict %r" % (t["name"], t["verdict"]))
        check(t["time_seconds"] >= 0 and t["memory_bytes"] >= 0, "test %s: negative time or memory"
              % t["name"])


def expect_verify(ctx, package, expected, rc=0):
    """Runs verify; expects its exit code and, for each named submission, the
    verdict column (None: any) and ok or MISMATCH."""
    p, rows = ctx.verify(package)
    check(p.returncode == rc, "verify exited %d, expected %d\n%s" % (p.returncode, rc, show(p)))
    for sub, (verdict, ok) in expected.items():
        check(sub in rows, "verify did not list %s\n%s" % (sub, show(p)))
        got_v, got_r = rows[sub]
        if verdict is not None:
            check(got_v == verdict, "%s: verdict %s, expected %s\n%s" % (sub, got_v, verdict, show(p)))
        want = "ok" if ok else "MISMATCH"
        check(got_r.startswith(want), "%s: %r, expected %s\n%s" % (sub, got_r, want, show(p)))
    return p, rows


# ---- the cases -----------------------------------------------------------------

def case_verify(ctx, package):
    """Any package: verify must pass."""
    if not os.path.isabs(package):
        package = os.path.join(ctx.src, package)
    p, rows = ctx.verify(package, timeout=400)
    check(p.returncode == 0 and "verify: ok" in p.stdout, "verify failed\n" + show(p))
    check(rows, "verify listed no submission\n" + show(p))
    bad = [s for s, (_, r) in rows.items() if not (r == "ok" or r.startswith("skipped"))]
    check(not bad, "rows not ok: %s\n%s" % (bad, show(p)))


def case_interactive_order(ctx):
    """Kattis's order of interactive verdicts, one submission per rule."""
    expect_verify(ctx, ctx.package("interactive-order"), {
        "accepted/correct.py": ("AC", True),
        "wrong_answer/reject_then_crash.py": ("WA", True),      # (a) rejected first: WA
        "run_time_error/crash_after_guess.py": ("RTE", True),  # (b) crashed first: RTE
        "time_limit_exceeded/spin.py": ("TLE", True),          # (c) TLE
        "wrong_answer/exit_zero_early.py": ("WA", True),       # (e) ended fine, rejected: WA
    })


def case_interactive_validator_crash(ctx):
    """An interactive validator that crashes is a judge error even when the
    submission, left without input, then crashes too."""
    pkg = ctx.copy_package(ctx.package("interactive-order"), "crashing-interactor")
    ctx.write(os.path.join(pkg, "output_validator", "interactor.py"),
              "import os, sys\n"
              "print('this interactor crashes on purpose', file=sys.stderr)\n"
              "os._exit(1)\n")
    sub = os.path.join(pkg, "submissions", "accepted", "correct.py")
    res, p = ctx.judge(pkg, [sub], ["--all-tests"])
    check_shape(res)
    check(res["verdict"] == "JE", "verdict %s, expected JE: %s" % (res["verdict"], json.dumps(res)))
    check(p.returncode == 1, "judge run exited %d, expected 1 (judge error)" % p.returncode)


def case_mislabeled(ctx):
    """verify's comparison can fail: by folder, by tag, by submissions.yaml."""
    p, rows = expect_verify(ctx, ctx.package("mislabeled"), {
        "accepted/sum.py": ("AC", True),
        "accepted/difference.py": ("WA", False),
        "tagged/claims_correct.py": ("WA", False),
        "expected/wrong_message.py": ("WA", False),
    }, rc=1)
    for sub in ("accepted/difference.py", "tagged/claims_correct.py", "expected/wrong_message.py"):
        check(re.search(r"^%s\s.*MISMATCH" % re.escape(sub), p.stdout, re.M),
              "no MISMATCH line names %s\n%s" % (sub, show(p)))
    check("verify: FAILED" in p.stdout, "no 'verify: FAILED'\n" + show(p))


def case_expected_results(ctx):
    """@EXPECTED_RESULTS@ tags, submissions.yaml globs, groups, score, message."""
    expect_verify(ctx, ctx.package("expected-results"), {
        "accepted/square.py": ("100/100", True),
        "mixed/correct_tagged.py": ("100/100", True),
        "mixed/slow_or_wrong.py": (None, True),
        "partial/float_square.py": ("WA", True),
    })


def case_verify_group_score(ctx):
    """A `score` under a test group constrains that group's score, not the
    submission's total (2023-07: "The score key puts a constraint on the
    aggregated score of a given test data group")."""
    pkg = ctx.copy_package(ctx.package("expected-results"), "group-score")
    shutil.rmtree(os.path.join(pkg, "submissions", "mixed"))
    yaml_path = os.path.join(pkg, "submissions", "submissions.yaml")
    ctx.write(yaml_path, "accepted/*:\n  secret/group1:\n    score: 40\n  secret/group2:\n    score: 60\n"
                         "partial/*:\n  secret/group1:\n    score: 40\n  secret/group2:\n    score: 0\n")
    expect_verify(ctx, pkg, {"accepted/square.py": ("100/100", True),
                             "partial/float_square.py": ("WA", True)})
    # And a wrong group score must be caught.
    ctx.write(yaml_path, "partial/*:\n  secret/group2:\n    score: 60\n")
    expect_verify(ctx, pkg, {"partial/float_square.py": ("WA", False)}, rc=1)


def case_verify_folder_override(ctx):
    """Overriding a default folder in submissions.yaml keeps the keys it does
    not name (2023-07: "Keys that are not specified are inherited from the
    default configuration"): time_limit_exceeded still requires a TLE."""
    pkg = ctx.copy_package(ctx.package("mislabeled"), "folder-override")
    for d in ("tagged", "expected"):
        shutil.rmtree(os.path.join(pkg, "submissions", d))
    os.unlink(os.path.join(pkg, "submissions", "accepted", "difference.py"))
    ctx.write(os.path.join(pkg, "submissions", "time_limit_exceeded", "never_slow.py"),
              "# Fast and wrong: no TLE anywhere.\nprint(0)\n")
    ctx.write(os.path.join(pkg, "submissions", "submissions.yaml"),
              "time_limit_exceeded:\n  permitted: [AC, WA, TLE]\n")
    expect_verify(ctx, pkg, {"accepted/sum.py": ("AC", True),
                             "time_limit_exceeded/never_slow.py": ("WA", False)}, rc=1)


def case_multi_pass(ctx):
    """Two passes: the second-pass-only wrong answer is caught."""
    expect_verify(ctx, ctx.package("multi-pass"), {
        "accepted/both_passes.py": ("AC", True),
        "wrong_answer/second_pass_wrong.py": ("WA", True),
    })


def case_multi_pass_feedback_persists(ctx):
    """The feedback folder persists between the passes of a test case
    (2025-09: "All other files inside the feedback directory are guaranteed
    to persist between passes"): judgemessage.txt, appended to in each pass,
    ends up with both lines. Several judges run at once, so that the two
    passes' validators often run under different sandbox uids: the second
    must still be able to append to what the first wrote."""
    pkg = ctx.package("multi-pass")
    sub = os.path.join(pkg, "submissions", "accepted", "both_passes.py")
    env = dict(os.environ, TMPDIR=ctx.tmpdir)
    procs = [subprocess.Popen([ctx.crucible, "judge", "run", "--json", "--all-tests", "--problem=" + pkg, sub],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(4)]
    for i, proc in enumerate(procs):
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise Fail("judge run %d did not end within 60 s" % i)
        try:
            res = json.loads(out)
        except ValueError:
            raise Fail("judge run %d: no JSON: %r %r" % (i, out[:300], err[-300:]))
        check_shape(res)
        check(proc.returncode == 0 and res["verdict"] == "AC",
              "judge run %d: exit %d, verdict %s: %s" % (i, proc.returncode, res["verdict"], json.dumps(res)))
        for t in res["tests"]:
            check("pass 1 ok" in t["message"] and "pass 2 ok" in t["message"],
                  "judge run %d, test %s: message %r lacks a pass's line" % (i, t["name"], t["message"]))


def case_multi_pass_nextpass_on_reject(ctx):
    """A validator that writes nextpass.in but does not accept is a judge
    error (2025-09: "It is a judge error to create the nextpass.in file and
    exit with any other code than 42"). The package's validator does that
    when the team prints -1."""
    pkg = ctx.package("multi-pass")
    sub = ctx.write(os.path.join(ctx.work, "sub", "minus_one.py"), "print(-1)\n")
    res, p = ctx.judge(pkg, [sub])
    check_shape(res)
    check(res["verdict"] == "JE", "verdict %s, expected JE: %s" % (res["verdict"], json.dumps(res)))
    check(p.returncode == 1, "judge run exited %d, expected 1" % p.returncode)


def case_bad_validator(ctx):
    """A crashing output validator gives JE, whatever the submission did."""
    pkg = ctx.package("bad-validator")
    for sub in ("accepted/sum.py", "wrong_answer/difference.py"):
        res, p = ctx.judge(pkg, [os.path.join(pkg, "submissions", sub)])
        check_shape(res)
        check(res["verdict"] == "JE", "%s: verdict %s, expected JE: %s" % (sub, res["verdict"], json.dumps(res)))
        check(p.returncode == 1, "%s: judge run exited %d, expected 1 (judge error)" % (sub, p.returncode))
        check(res["tests"] and all(t["verdict"] in ("JE",) for t in res["tests"]),
              "%s: tests %s" % (sub, [(t["name"], t["verdict"]) for t in res["tests"]]))
        check("validator" in res.get("message", ""), "%s: the message %r does not name the validator"
              % (sub, res.get("message")))


def case_escape(ctx):
    """Submissions that look for the test data all get WA."""
    pkg = ctx.copy_package(ctx.package("escape"), "escape")
    orig = ctx.package("escape")
    ctx.write(os.path.join(pkg, "submissions", "wrong_answer", "package_path.py"),
              "# Escape attempt (written by run_judge_test.py): the package's own paths.\n"
              "import os\n"
              "found = []\n"
              "for root in %r:\n"
              "    for rel in ['data/secret/01-secret.ans', 'data/secret', 'data', '']:\n"
              "        p = os.path.join(root, rel)\n"
              "        try:\n"
              "            if os.path.isdir(p):\n"
              "                for n in os.listdir(p):\n"
              "                    if n.endswith('.ans'):\n"
              "                        found.append(open(os.path.join(p, n)).read())\n"
              "            else:\n"
              "                found.append(open(p).read())\n"
              "        except OSError:\n"
              "            pass\n"
              "for p in ['/run/crucible/judge', '/var/cache/crucible', %r]:\n"
              "    try:\n"
              "        for folder, dirs, files in os.walk(p):\n"
              "            found += [open(os.path.join(folder, n)).read() for n in files if n.endswith('.ans')]\n"
              "    except OSError:\n"
              "        pass\n"
              "print(found[0].strip() if found else 'nothing')\n"
              % ([pkg, orig], ctx.work))
    p, rows = ctx.verify(pkg)
    check(p.returncode == 0, "verify failed\n" + show(p))
    escapers = [s for s in rows if s.startswith("wrong_answer/")]
    check(len(escapers) >= 5, "only %d escape attempts were judged\n%s" % (len(escapers), show(p)))
    for s in escapers:
        check(rows[s] == ("WA", "ok"), "%s: %s\n%s" % (s, rows[s], show(p)))


def snapshot(root):
    """Everything about a tree that a careless judge could change."""
    snap = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            entry = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid,
                     st.st_size, st.st_mtime_ns)
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    entry += (hashlib.sha256(f.read()).hexdigest(),)
            snap[os.path.relpath(path, root)] = entry
    return snap


def case_box_litter(ctx):
    """A submission that leaves links to host paths, fifos, a locked folder,
    deep and many folders and a huge file in its box: the judge follows
    nothing, changes nothing on the host, and still prints a verdict."""
    canary = os.path.join(ctx.work, "canary")
    ctx.write(os.path.join(canary, "file.txt"), "canary\n")
    ctx.write(os.path.join(canary, "dir", "inner.txt"), "inner\n")
    os.chmod(os.path.join(canary, "dir"), 0o700)
    pkg = ctx.copy_package(ctx.package("escape"), "litter-package")
    before = (snapshot(canary), snapshot(pkg))
    sub = ctx.write(os.path.join(ctx.work, "sub", "box_litter.py"), r'''
# Leaves a mess in its box and /tmp, then prints a wrong answer.
import os
CANARY = %r


made = 0


def attempt(f, *args):
    global made
    try:
        f(*args)
        made += 1
    except OSError:
        pass


for base in ("/box", "/tmp"):
    attempt(os.symlink, CANARY + "/file.txt", base + "/link_file")
    attempt(os.symlink, CANARY + "/dir", base + "/link_dir")
    attempt(os.symlink, CANARY, base + "/link_canary")
    attempt(os.symlink, "/", base + "/link_root")
    attempt(os.symlink, "../../../../../../../..", base + "/link_up")
    attempt(os.symlink, "link_loop", base + "/link_loop")
    attempt(os.mkfifo, base + "/evil.fifo")
# The names of the judge's own files next to the box.
for name in ("team.out", "team.err", "feedback", "compiled", "checker-box", "box", "judgemessage.txt"):
    attempt(os.symlink, CANARY + "/dir", "/box/" + name)
attempt(os.makedirs, "/box/locked/inner")
attempt(lambda: open("/box/locked/inner/f", "w").write("x"))
attempt(os.symlink, CANARY + "/file.txt", "/box/locked/inner/link")
attempt(os.chmod, "/box/locked/inner", 0)
attempt(os.chmod, "/box/locked", 0)
path = "/box/deep"
for i in range(60):
    attempt(os.mkdir, path)
    path += "/d"
attempt(os.mkdir, "/box/many")
for i in range(2000):
    attempt(lambda: open("/box/many/%%d" %% i, "w").close())
# A huge sparse file (as large as the file size limit allows) and a dense one.
for exp in range(40, 19, -1):
    try:
        with open("/box/sparse.bin", "wb") as f:
            f.seek(1 << exp)
            f.write(b"x")
        break
    except OSError:
        pass
attempt(lambda: open("/box/dense.bin", "wb").write(b"x" * (4 << 20)))
print("made-%%d" %% made)
''' % canary)
    res, p = ctx.judge(pkg, [sub], ["--all-tests"], timeout=120)
    check_shape(res)
    check(p.returncode == 0, "judge run exited %d\n%s" % (p.returncode, p.stderr[-1000:]))
    check(res["verdict"] == "WA", "verdict %s, expected WA: %s" % (res["verdict"], json.dumps(res)))
    # The checker's message may quote the team output: then it shows that the
    # mess was really made (the box was writable).
    m = re.search(r"made-(\d+)", json.dumps(res))
    check(not m or int(m.group(1)) >= 2000, "the submission made only %s of its mess" % (m and m.group(1)))
    after = (snapshot(canary), snapshot(pkg))
    check(after[0] == before[0], "the canary folder changed:\n%s\n%s" % (before[0], after[0]))
    check(after[1] == before[1], "the package changed")
    left = os.listdir(ctx.tmpdir)
    check(not left, "crucible left files in its TMPDIR: %s" % left)


def case_json_fields(ctx):
    """--json: one object with every documented field; lazy judging stops at
    the first rejected test, --all-tests runs them all."""
    pkg = ctx.example("hello-sum")
    ncases = sum(1 for d in ("sample", "secret") for n in os.listdir(os.path.join(pkg, "data", d))
                 if n.endswith(".in"))
    res, _ = ctx.judge(pkg, [os.path.join(pkg, "submissions", "accepted", "sum.c")], expect_rc=0)
    check_shape(res)
    check(res["verdict"] == "AC", "sum.c: verdict %s" % res["verdict"])
    check(len(res["tests"]) == ncases, "sum.c: %d tests, expected %d" % (len(res["tests"]), ncases))
    check(all(t["verdict"] == "AC" for t in res["tests"]), "sum.c: a test not AC")
    check(res["compile_output"] == "" or isinstance(res["compile_output"], str), "compile_output")
    names = [t["name"] for t in res["tests"]]
    check(names[0].startswith("sample/") and all(n.startswith(("sample/", "secret/")) for n in names),
          "test names %s" % names)
    check(all(t["group"] in ("sample", "secret") for t in res["tests"]), "groups")

    wa = os.path.join(pkg, "submissions", "wrong_answer", "difference.c")
    res, _ = ctx.judge(pkg, [wa], expect_rc=0)
    check_shape(res)
    check(res["verdict"] == "WA", "difference.c: verdict %s, expected WA: %s" % (res["verdict"], json.dumps(res)))
    tests = res["tests"]
    check(tests and tests[-1]["verdict"] == "WA" and all(t["verdict"] == "AC" for t in tests[:-1]),
          "lazy judging did not stop at the first rejection: %s" % [(t["name"], t["verdict"]) for t in tests])
    check(len(tests) < ncases, "lazy judging ran all %d tests" % ncases)

    res, _ = ctx.judge(pkg, [wa], ["--all-tests"], expect_rc=0)
    check_shape(res)
    check(res["verdict"] == "WA", "--all-tests: verdict %s" % res["verdict"])
    check(len(res["tests"]) == ncases, "--all-tests: %d tests, expected %d" % (len(res["tests"]), ncases))
    check(any(t["verdict"] == "AC" for t in res["tests"]), "--all-tests: difference.c is AC on 0 + 0")

    # --samples: the samples only.
    nsamples = sum(1 for n in os.listdir(os.path.join(pkg, "data", "sample")) if n.endswith(".in"))
    res, _ = ctx.judge(pkg, [os.path.join(pkg, "submissions", "accepted", "sum.c")], ["--samples"], expect_rc=0)
    check_shape(res)
    check(res["verdict"] == "AC", "--samples: verdict %s" % res["verdict"])
    check(len(res["tests"]) == nsamples and all(t["name"].startswith("sample/") for t in res["tests"]),
          "--samples ran %s" % [t["name"] for t in res["tests"]])


def case_compile_error_output(ctx):
    """CE: the compiler's own message in compile_output, no test run."""
    pkg = ctx.example("hello-sum")
    res, _ = ctx.judge(pkg, [os.path.join(pkg, "submissions", "compile_error", "syntax_error.c")],
                       expect_rc=0)
    check_shape(res)
    check(res["verdict"] == "CE", "verdict %s" % res["verdict"])
    check(res["tests"] == [], "tests were run after a compile error")
    out = res["compile_output"]
    check("syntax_error.c" in out and "error" in out, "compile_output lacks gcc's message: %r" % out[:500])
    py = ctx.write(os.path.join(ctx.work, "sub", "broken.py"), "def f(:\n    pass\n")
    res, _ = ctx.judge(pkg, [py], expect_rc=0)
    check(res["verdict"] == "CE", "broken.py: verdict %s" % res["verdict"])
    check("SyntaxError" in res["compile_output"], "broken.py: compile_output %r" % res["compile_output"][:500])


def case_languages(ctx):
    """`judge languages`: what this machine runs; no GPU means no CUDA."""
    p = ctx.crucible_run(["judge", "languages"])
    check(p.returncode == 0, "judge languages\n" + show(p))
    table = {}
    for line in p.stdout.splitlines():
        m = re.match(r"^(\S+)\s+.*?\s(yes|no)(\s|$)", line)
        if m:
            table[m.group(1)] = m.group(2) == "yes"
    pj = ctx.crucible_run(["judge", "languages", "--json"])
    check(pj.returncode == 0, "judge languages --json\n" + show(pj))
    try:
        listed = {x["id"]: x["available"] for x in json.loads(pj.stdout)}
    except (ValueError, KeyError, TypeError) as e:
        raise Fail("judge languages --json: %s: %r" % (e, pj.stdout[:500]))
    check(listed == table, "the table and --json disagree: %s vs %s" % (table, listed))
    for lang in ("c", "cpp", "python3", "java", "rust", "pascal", "javascript"):
        check(table.get(lang) is True, "%s is not listed as available:\n%s" % (lang, p.stdout))
    dev = os.environ.get("CRUCIBLE_SANDBOX_DEV", "/dev")
    if not os.path.exists(os.path.join(dev, "nvidia0")):
        check(table.get("cuda") is False, "cuda is not listed as unavailable without a GPU:\n" + p.stdout)
        check(re.search(r"^cuda\s.*GPU", p.stdout, re.M), "cuda's row does not say it needs a GPU")


def case_bad_args(ctx):
    """Bad command lines: exit 2 and the usage on stderr."""
    pkg = ctx.example("hello-sum")
    src = os.path.join(pkg, "submissions", "accepted", "sum.c")
    for args in (["judge"], ["judge", "frobnicate"], ["judge", "run"], ["judge", "run", src],
                 ["judge", "run", "--problem=" + pkg], ["judge", "run", "--bogus", "--problem=" + pkg, src],
                 ["judge", "run", "--problem=" + pkg, "--lang=nosuch", src],
                 ["judge", "run", "--problem=" + pkg, "--time-limit=abc", src],
                 ["judge", "run", "--problem=" + pkg, "--time-limit=-1", src],
                 ["judge", "languages", "--bogus"], ["problem"], ["problem", "verify"],
                 ["problem", "frobnicate", pkg], ["problem", "verify", "--bogus", pkg],
                 ["problem", "verify", pkg, pkg]):
        p = ctx.crucible_run(args, timeout=60)
        check(p.returncode == 2, "crucible %s: exit %d, expected 2\n%s" % (" ".join(args), p.returncode, show(p)))
        check("usage:" in p.stderr, "crucible %s: no usage on stderr\n%s" % (" ".join(args), show(p)))
        check(p.stdout.strip() == "", "crucible %s: printed on stdout: %r" % (" ".join(args), p.stdout[:300]))
    # Not bad arguments but a package that cannot load: 1.
    p = ctx.crucible_run(["judge", "run", "--problem=" + os.path.join(ctx.work, "no-such-package"), src])
    check(p.returncode == 1, "a missing package: exit %d, expected 1\n%s" % (p.returncode, show(p)))


def make_zip(src, dst, top):
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for folder, dirs, files in os.walk(src):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, src)
                z.write(path, os.path.join(top, rel) if top else rel)
    return dst


def case_zip_package(ctx):
    """A package given as a .zip (files at the top, or in one folder): judged
    as the folder would be, custom validator and groups included."""
    src = ctx.package("expected-results")
    accepted = os.path.join(src, "submissions", "accepted", "square.py")
    partial = os.path.join(src, "submissions", "partial", "float_square.py")
    for top in ("", "expected-results"):
        z = make_zip(src, os.path.join(ctx.work, "pkg-%s.zip" % (top or "flat")), top)
        res, _ = ctx.judge(z, [accepted], expect_rc=0)
        check_shape(res)
        check(res["verdict"] == "AC" and res["score"] == 100 and res["max_score"] == 100,
              "%s: accepted got %s %s/%s" % (z, res["verdict"], res["score"], res["max_score"]))
        check(any("square ok" in t["message"] for t in res["tests"]), "%s: no validator message" % z)
        res, _ = ctx.judge(z, [partial], expect_rc=0)
        check(res["score"] == 40, "%s: partial scored %s, expected 40" % (z, res["score"]))
        check(not os.listdir(ctx.tmpdir), "%s: the extracted package was left in TMPDIR: %s"
              % (z, os.listdir(ctx.tmpdir)))
    p, rows = ctx.verify(z)
    check(p.returncode == 0, "verify of the zip failed\n" + show(p))
    check(not os.listdir(ctx.tmpdir), "verify left files in TMPDIR: %s" % os.listdir(ctx.tmpdir))


def case_test_data_invisible(ctx):
    """Neither the test data's paths nor its content appear in what judge run
    prints for a failing submission (a checker may quote the team's output;
    the answer must not be quoted)."""
    pkg = ctx.package("escape")
    secrets = [pkg, os.path.realpath(pkg), "data/secret"]
    for name in os.listdir(os.path.join(pkg, "data", "secret")):
        with open(os.path.join(pkg, "data", "secret", name)) as f:
            secrets.append(f.read().strip())
        secrets.append(name)
    nope = ctx.write(os.path.join(ctx.work, "sub", "nope.py"), "print('nope')\n")
    crash = ctx.write(os.path.join(ctx.work, "sub", "crash.py"), "import sys\nsys.exit(3)\n")
    for sub in (nope, crash):
        for fmt in (["--json"], []):
            p = ctx.crucible_run(["judge", "run", "--problem=" + pkg] + fmt + [sub])
            check(p.returncode == 0, "%s: exit %d\n%s" % (sub, p.returncode, show(p)))
            for s in secrets:
                check(s not in p.stdout and s not in p.stderr,
                      "%s %s: the output shows %r:\n%s" % (os.path.basename(sub), fmt, s, show(p)))


def case_input_path_hidden(ctx):
    """The submission cannot learn where the test data lives: its stdin,
    seen through /proc/self/fd/0, names no package path or test file. This
    submission solves the problem, but prints what it saw instead when the
    link shows the data's location."""
    pkg = ctx.package("escape")
    sub = ctx.write(os.path.join(ctx.work, "sub", "where.py"),
                    "import os\n"
                    "q = input().strip()\n"
                    "try:\n"
                    "    where = os.readlink('/proc/self/fd/0')\n"
                    "except OSError:\n"
                    "    where = ''\n"
                    "if '/data/' in where or 'secret' in where or where.endswith('.in'):\n"
                    "    print('stdin-is-' + where.replace(' ', '_'))\n"
                    "else:\n"
                    "    print(q.upper().replace('QUESTION', 'ANSWER'))\n")
    res, _ = ctx.judge(pkg, [sub], expect_rc=0)
    check_shape(res)
    check(res["verdict"] == "AC", "the submission saw where its input comes from: %s"
          % "; ".join(t["message"] for t in res["tests"]))


# ---- AI problems (docs/ai-problems.md; judge.c's "AI problems" block) ----------

def iris(ctx):
    return ctx.example("iris-ai")


def iris_rows(ctx):
    """The perfect prediction file's lines: header first."""
    with open(os.path.join(iris(ctx), "submissions", "accepted", "perfect.csv")) as f:
        return f.read().splitlines()


def ai_scores(res):
    check(res["verdict"] == "AC", "verdict %s, expected AC: %s" % (res["verdict"], json.dumps(res)[:1000]))
    ai = res.get("ai")
    check(isinstance(ai, dict) and set(ai) == {"public_score", "private_score"},
          "no ai {public_score, private_score} in %s" % json.dumps(res)[:1000])
    return ai["public_score"], ai["private_score"]


def case_ai_predictions(ctx):
    """Prediction files: the perfect one scores 1/1; a duplicate id, a
    missing id, a wrong column and a NaN (on a numeric metric) give WA with
    the exact validation message; a CSV on an ordinary problem is a CE."""
    pkg = iris(ctx)
    rows = iris_rows(ctx)
    res, _ = ctx.judge(pkg, [os.path.join(pkg, "submissions", "accepted", "perfect.csv")], expect_rc=0)
    check_shape(res)
    check(ai_scores(res) == (1, 1), "perfect.csv scores %s" % (ai_scores(res),))
    check(res["gpu_seconds"] == 0 and res["tests"] == [], "unexpected fields: %s" % json.dumps(res))
    d = os.path.join(ctx.work, "pred")
    bad = {
        "dup.csv": (rows[:3] + [rows[1]] + rows[3:],
                    "predictions.csv line 4: id 't001' appears twice (first on line 2)"),
        "missing.csv": (rows[:5] + rows[6:],
                        "predictions.csv: missing predictions for 1 id (first: 't005')"),
        "column.csv": (["id,label"] + rows[1:],
                       "predictions.csv: column 'label' is not expected; column 'species' is missing"),
    }
    for name, (lines, msg) in bad.items():
        path = ctx.write(os.path.join(d, name), "\n".join(lines) + "\n")
        res, _ = ctx.judge(pkg, [path], expect_rc=0)
        check_shape(res)
        check(res["verdict"] == "WA" and res["message"] == msg and "ai" not in res,
              "%s: %s, expected WA %r" % (name, json.dumps(res), msg))
    # NaN needs numbers: the same data as a binary problem (setosa or not), scored by ROC-AUC.
    num = ctx.copy_package(pkg, "iris-auc")
    with open(os.path.join(num, "problem.yaml")) as f:
        y = f.read().replace("metric: accuracy", "metric: roc_auc")
    ctx.write(os.path.join(num, "problem.yaml"), y)
    sol = os.path.join(num, "ai", "solution.csv")
    with open(sol) as f:
        srows = f.read().splitlines()
    out = [srows[0]]
    for r in srows[1:]:
        i, sp, u = r.split(",")
        out.append("%s,%d,%s" % (i, sp == "setosa", u))
    ctx.write(sol, "\n".join(out) + "\n")
    preds = ["id,species"] + ["%s,%d" % (r.split(",")[0], r.split(",")[1] == "setosa") for r in rows[1:]]
    res, _ = ctx.judge(num, [ctx.write(os.path.join(d, "auc.csv"), "\n".join(preds) + "\n")], expect_rc=0)
    check(ai_scores(res) == (1, 1), "the AUC variant's perfect file scores %s" % (ai_scores(res),))
    preds[6] = preds[6].split(",")[0] + ",nan"
    res, _ = ctx.judge(num, [ctx.write(os.path.join(d, "nan.csv"), "\n".join(preds) + "\n")], expect_rc=0)
    msg = "predictions.csv line 7, column 'species': 'nan' is not a finite number"
    check(res["verdict"] == "WA" and res["message"] == msg, "nan.csv: %s, expected WA %r" % (json.dumps(res), msg))
    # Not an AI problem: a prediction file is a compile error, nothing is run.
    res, _ = ctx.judge(ctx.example("hello-sum"), [os.path.join(d, "dup.csv")], expect_rc=0)
    check(res["verdict"] == "CE" and "AI problems" in res["message"], "csv on hello-sum: %s" % json.dumps(res))


def case_ai_code(ctx):
    """The example's Python submission runs once, reads /data, writes
    predictions.csv and scores within its expected range; the text output
    shows both scores."""
    pkg = iris(ctx)
    sub = os.path.join(pkg, "submissions", "accepted", "nearest_centroid.py")
    res, _ = ctx.judge(pkg, [sub], expect_rc=0)
    check_shape(res)
    pub, priv = ai_scores(res)
    check(0.9 <= pub <= 1 and 0.9 <= priv <= 1, "scores %s, %s not in [0.9, 1]" % (pub, priv))
    check(res["cpu_seconds_total"] > 0 and res["gpu_seconds"] == 0 and res["time_seconds"] > 0,
          "times: %s" % json.dumps(res))
    p = ctx.crucible_run(["judge", "run", "--problem=" + pkg, sub])
    check(p.returncode == 0 and re.search(r"verdict: AC\s+public [0-9.]+\s+private [0-9.]+", p.stdout),
          "text output:\n" + show(p))


HOSTILE = r"""
import os, sys
PKG = %r
found = []
def look(path):
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 20)
    except OSError:
        return
    if b"usage" in data and b"private" in data:
        found.append(path)
# 1. Every file named like the solution, anywhere.
for top, dirs, files in os.walk("/", onerror=lambda e: None):
    if top.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    for n in files:
        if n.endswith(".csv") or n == "solution.csv":
            look(os.path.join(top, n))
# 2. The package's own path, and guesses from where /data came from.
look(os.path.join(PKG, "ai", "solution.csv"))
look(os.path.join(PKG, "ai", "public", "..", "solution.csv"))
look("/data/../solution.csv")
try:
    for line in open("/proc/self/mountinfo"):
        for w in line.split():
            if w.startswith("/") and w.endswith("/public"):
                look(os.path.join(w, "..", "solution.csv"))
except OSError:
    pass
# 3. The parent (the supervisor) and every process visible.
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for what in ("cmdline", "environ"):
            look("/proc/%%s/%%s" %% (pid, what))
        look("/proc/%%s/root%%s" %% (pid, os.path.join(PKG, "ai", "solution.csv")))
        try:
            for fd in os.listdir("/proc/%%s/fd" %% pid):
                look("/proc/%%s/fd/%%s" %% (pid, fd))
        except OSError:
            pass
labels = {}
for path in found:
    for line in open(path, errors="replace"):
        parts = line.strip().split(",")
        if len(parts) == 3:
            labels[parts[0]] = parts[1]
with open("/data/test.csv") as f, open("predictions.csv", "w") as out:
    out.write("id,species\n")
    next(f)
    for line in f:
        i = line.split(",")[0]
        out.write("%%s,%%s\n" %% (i, labels.get(i, "setosa")))
"""


def case_ai_hidden_labels(ctx):
    """A code submission that hunts for the labels (every CSV on the disk,
    the package's path, the parent's /proc) finds nothing and scores as a
    constant guess; its stdout and stderr reach no one."""
    pkg = iris(ctx)
    sub = ctx.write(os.path.join(ctx.work, "hostile", "hunt.py"), HOSTILE % os.path.realpath(pkg))
    res, p = ctx.judge(pkg, [sub], ["--time-limit=30"], timeout=180, expect_rc=0)
    check_shape(res)
    pub, priv = ai_scores(res)
    want = {"public": [0, 0], "private": [0, 0]}
    with open(os.path.join(pkg, "ai", "solution.csv")) as f:
        next(f)
        for line in f:
            i, sp, u = line.strip().split(",")
            want[u][0] += sp == "setosa"
            want[u][1] += 1
    chance = (want["public"][0] / want["public"][1], want["private"][0] / want["private"][1])
    check(abs(pub - chance[0]) < 1e-12 and abs(priv - chance[1]) < 1e-12,
          "the hostile submission scored %s, %s; a constant guess scores %s: it found labels" % (pub, priv, chance))
    check(pkg not in p.stdout and "solution" not in p.stdout, "the result names the package: " + p.stdout[:500])


def case_ai_no_predictions(ctx):
    """A program that writes no predictions gets WA "no predictions.csv
    written"; one that leaves a link instead gets WA too (never followed);
    an infinite loop is a TLE; a crash an RTE."""
    pkg = iris(ctx)
    d = os.path.join(ctx.work, "ai-subs")
    cases = [
        ("nothing.py", "print('hello')\n", "WA", "no predictions.csv written"),
        ("link.py", "import os\nos.symlink('/data/test.csv', 'predictions.csv')\n", "WA",
         "predictions.csv is a link, not a file"),
        ("folder.py", "import os\nos.mkdir('predictions.csv')\n", "WA", "predictions.csv is not a regular file"),
        ("spin.py", "while True:\n    pass\n", "TLE", None),
        ("crash.py", "import sys\nopen('predictions.csv', 'w').write('id,species\\n')\nsys.exit(3)\n", "RTE", None),
    ]
    for name, code, verdict, msg in cases:
        res, _ = ctx.judge(pkg, [ctx.write(os.path.join(d, name), code)], ["--time-limit=1"], expect_rc=0)
        check_shape(res)
        check(res["verdict"] == verdict and "ai" not in res, "%s: %s, expected %s" % (name, json.dumps(res), verdict))
        if msg is not None:
            check(res["message"] == msg, "%s: message %r, expected %r" % (name, res["message"], msg))


def case_ai_verify(ctx):
    """verify on AI packages: prediction files and programs are judged and
    submissions.yaml's score range and message checked; a mislabelled one is
    a MISMATCH."""
    pkg = ctx.copy_package(iris(ctx), "iris-verify")
    shutil.copy(os.path.join(pkg, "submissions", "accepted", "perfect.csv"),
                os.path.join(pkg, "submissions", "wrong_answer", "actually_perfect.csv"))
    yaml = os.path.join(pkg, "submissions", "submissions.yaml")
    with open(yaml) as f:
        text = f.read()
    check("score: [0.9, 1.0]" in text, "the example's submissions.yaml changed:\n" + text)
    ctx.write(yaml, text.replace("score: [0.9, 1.0]", "score: [0.99, 1.0]"))
    expect_verify(ctx, pkg, {
        "accepted/perfect.csv": ("AC", True),
        "accepted/nearest_centroid.py": ("AC", False),     # private 0.96 is below 0.99
        "wrong_answer/duplicate_id.csv": ("WA", True),
        "wrong_answer/actually_perfect.csv": ("AC", False),
    }, rc=1)


SCORER = r"""
import json, os, socket, sys
sol, pred = sys.argv[1], sys.argv[2]
# The scorer's box holds the two files and nothing else of the package.
assert sorted(os.listdir("/judge")) == ["predictions.csv", "solution.csv"], os.listdir("/judge")
# Nothing of the judge's: not the package, not its work folders, not the
# submission's box, no other process, no network.
for hidden in (PKG, WORK, "/run/crucible", "/var/cache/crucible"):
    assert not os.path.exists(hidden), hidden
assert set(os.listdir("/box")) <= {"scorer.py", "__pycache__"}, os.listdir("/box")
assert all(not p.isdigit() or int(p) < 10 for p in os.listdir("/proc")), os.listdir("/proc")
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    assert False, "the scorer reached the network"
except OSError:
    pass
truth = {}
for line in open(sol).read().splitlines()[1:]:
    i, sp, u = line.split(",")
    truth[i] = (sp, u)
guess = dict(l.split(",", 1) for l in open(pred).read().splitlines()[1:])
if "refuse" in guess.values():
    print("one prediction says refuse", file=sys.stderr)
    sys.exit(43)
if "garbage" in guess.values():
    print('{"public": 1, "private": 1, "extra": 2}')
    sys.exit(0)
hit = {"public": [0, 0], "private": [0, 0]}
for i, (sp, u) in truth.items():
    hit[u][0] += guess.get(i) == sp
    hit[u][1] += 1
print(json.dumps({"public": hit["public"][0] / hit["public"][1], "private": hit["private"][0] / hit["private"][1]}))
"""


def case_ai_custom_scorer(ctx):
    """metric: custom: the package's scorer runs in its own box with only the
    solution and the predictions; its JSON gives the scores, exit 43 a WA
    with its message, malformed output a JE."""
    pkg = ctx.copy_package(iris(ctx), "iris-custom")
    with open(os.path.join(pkg, "problem.yaml")) as f:
        y = f.read().replace("metric: accuracy", "metric: custom").replace("    split_column: usage\n", "")
    ctx.write(os.path.join(pkg, "problem.yaml"), y)
    ctx.write(os.path.join(pkg, "ai", "scorer", "scorer.py"),
              "PKG, WORK = %r, %r\n" % (os.path.realpath(pkg), os.path.realpath(ctx.work)) + SCORER)
    rows = iris_rows(ctx)
    res, _ = ctx.judge(pkg, [os.path.join(pkg, "submissions", "accepted", "perfect.csv")], expect_rc=0)
    check_shape(res)
    check(ai_scores(res) == (1, 1), "perfect.csv scores %s" % (ai_scores(res),))
    res, _ = ctx.judge(pkg, [os.path.join(pkg, "submissions", "accepted", "nearest_centroid.py")], expect_rc=0)
    pub, priv = ai_scores(res)
    check(0.9 <= pub <= 1 and 0.9 <= priv <= 1, "nearest_centroid scores %s, %s" % (pub, priv))
    d = os.path.join(ctx.work, "custom")
    refuse = ctx.write(os.path.join(d, "refuse.csv"), "\n".join(rows[:2] + [rows[2].split(",")[0] + ",refuse"]
                                                                + rows[3:]) + "\n")
    res, _ = ctx.judge(pkg, [refuse], expect_rc=0)
    msg = "predictions.csv: refused by the scorer: one prediction says refuse"
    check(res["verdict"] == "WA" and res["message"] == msg, "refuse.csv: %s" % json.dumps(res))
    garbage = ctx.write(os.path.join(d, "garbage.csv"), "\n".join(rows[:2] + [rows[2].split(",")[0] + ",garbage"]
                                                                  + rows[3:]) + "\n")
    res, p = ctx.judge(pkg, [garbage], expect_rc=1)
    check(res["verdict"] == "JE" and "ai" not in res, "garbage.csv: %s" % json.dumps(res))


def case_ai_score_sandboxed(ctx):
    """A built-in metric is scored in a sandboxed step of its own, never in
    the judge's process: the step's run is counted in cpu_seconds_total
    (a prediction file runs nothing else), and a solution only root may read
    (the scorer box's uid may not) is a JE for prediction files and programs
    alike, with a message for the jury that quotes no label. Scoring
    in-process would give AC and no CPU time."""
    pkg = ctx.copy_package(iris(ctx), "iris-boxed")
    perfect = os.path.join(pkg, "submissions", "accepted", "perfect.csv")
    code = os.path.join(pkg, "submissions", "accepted", "nearest_centroid.py")
    res, _ = ctx.judge(pkg, [perfect], expect_rc=0)
    check(ai_scores(res) == (1, 1), "perfect.csv scores %s" % (ai_scores(res),))
    check(res["cpu_seconds_total"] > 0,
          "a prediction file's judging used no CPU in the sandbox: scored in-process? %s" % json.dumps(res))
    sol = os.path.join(pkg, "ai", "solution.csv")
    os.chmod(sol, 0o600)
    for sub in (perfect, code):
        res, _ = ctx.judge(pkg, [sub], expect_rc=1)
        check(res["verdict"] == "JE" and "ai" not in res and "built-in scorer failed" in res["message"],
              "%s scored with a solution the box cannot read: %s" % (os.path.basename(sub), json.dumps(res)))
        check("setosa" not in json.dumps(res), "the message quotes a label: " + res["message"])
    os.chmod(sol, 0o644)
    res, _ = ctx.judge(pkg, [code], expect_rc=0)
    pub, priv = ai_scores(res)
    check(0.9 <= pub <= 1 and 0.9 <= priv <= 1, "nearest_centroid scores %s, %s" % (pub, priv))
    # The hidden subcommand outside a box: bad arguments, a usage line.
    p = ctx.crucible_run(["judge", "ai-score"])
    check(p.returncode == 2 and "usage" in p.stderr, "ai-score without arguments:\n" + show(p))


CASES = {
    "verify": case_verify,
    "interactive_order": case_interactive_order,
    "interactive_validator_crash": case_interactive_validator_crash,
    "mislabeled": case_mislabeled,
    "expected_results": case_expected_results,
    "verify_group_score": case_verify_group_score,
    "verify_folder_override": case_verify_folder_override,
    "multi_pass": case_multi_pass,
    "multi_pass_feedback_persists": case_multi_pass_feedback_persists,
    "multi_pass_nextpass_on_reject": case_multi_pass_nextpass_on_reject,
    "bad_validator": case_bad_validator,
    "escape": case_escape,
    "box_litter": case_box_litter,
    "json_fields": case_json_fields,
    "compile_error_output": case_compile_error_output,
    "languages": case_languages,
    "bad_args": case_bad_args,
    "zip_package": case_zip_package,
    "test_data_invisible": case_test_data_invisible,
    "input_path_hidden": case_input_path_hidden,
    "ai_predictions": case_ai_predictions,
    "ai_code": case_ai_code,
    "ai_hidden_labels": case_ai_hidden_labels,
    "ai_no_predictions": case_ai_no_predictions,
    "ai_verify": case_ai_verify,
    "ai_custom_scorer": case_ai_custom_scorer,
    "ai_score_sandboxed": case_ai_score_sandboxed,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crucible", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True, help="parent of this case's work folder")
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("SKIP: the judge tests need root (the sandbox)")
        return SKIP
    os.makedirs(a.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix=a.case + "-", dir=a.work)
    ctx = Ctx(os.path.abspath(a.crucible), os.path.abspath(a.source_dir), work)
    try:
        CASES[a.case](ctx, *a.args)
    except Fail as e:
        print("FAIL: %s" % e)
        print("(work folder: %s)" % work)
        return 1
    if os.environ.get("CRUCIBLE_TEST_KEEP"):
        print("kept %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
