#!/usr/bin/env python3
"""run_case.py: runs one end-to-end case of the sandbox test suite.

Each case copies a small program from tests/sandbox/progs into a fresh box
folder, runs `crucible sandbox run OPTIONS --box=BOX -- /box/PROG ARGS`,
parses the one JSON object crucible prints, asserts the exact status (and
exit code, signal, measurements where they matter) and then checks from the
host that the host was not affected: no process of the run is left, files
outside the box are unchanged, listeners on the loopback got nothing.

    run_case.py --crucible PATH --progs DIR --work DIR CASE

Exit status: 0 pass, 1 fail, 77 skip (not root, javac missing), which CTest
reads through SKIP_RETURN_CODE. Set CRUCIBLE_TEST_KEEP=1 to keep the
temporary folders of a case for a look afterwards.
"""

import argparse
import ctypes
import errno as errno_mod
import hashlib
import json
import signal
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

SKIP = 77
UID_FIRST, UID_LAST = 60000, 60999
MIB = 1 << 20
CLK_TCK = os.sysconf("SC_CLK_TCK")

RESULT_KEYS = {
    "status": str,
    "exit_code": int,
    "signal": int,
    "cpu_seconds": (int, float),
    "wall_seconds": (int, float),
    "memory_bytes": int,
    "message": str,
}
STATUSES = {"ok", "time_limit", "wall_limit", "memory_limit", "output_limit",
            "runtime_error", "signaled", "sandbox_error"}

# Errnos for a call the seccomp filter refuses, and for a refused socket family.
SECCOMP_ERRNO = {"EPERM"}
SOCKET_REFUSED = {"EAFNOSUPPORT", "EPERM"}


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


# ---- the run ------------------------------------------------------------------

class Result:
    """One finished `crucible sandbox run`: its JSON and what it left."""

    def __init__(self):
        self.rc = None
        self.json = None
        self.raw_stdout = ""
        self.raw_stderr = ""
        self.out = ""          # the program's stdout (the --stdout file)
        self.err = ""          # the program's stderr
        self.box = None
        self.stdout_path = None
        self.stderr_path = None
        self.start_ticks = 0
        self.end_ticks = 0
        self.argv = []

    def describe(self):
        """What a failure message shows: the command, the JSON, the outputs."""
        parts = ["command: " + " ".join(self.argv),
                 "crucible exit code: %s" % self.rc,
                 "crucible stdout: " + self.raw_stdout.strip()[:2000]]
        if self.raw_stderr.strip():
            parts.append("crucible stderr: " + self.raw_stderr.strip()[:2000])
        if self.out:
            parts.append("program stdout:\n" + _indent(self.out[:4000]))
        if self.err:
            parts.append("program stderr:\n" + _indent(self.err[:2000]))
        return "\n".join(parts)

    def lines(self):
        """The program's stdout as {first word: rest of the line}."""
        d = {}
        for line in self.out.splitlines():
            name, _, rest = line.partition(" ")
            d[name] = rest.strip()
        return d


def _indent(text):
    return "\n".join("    " + l for l in text.splitlines())


def boot_ticks():
    """Now, in the units of /proc/PID/stat's starttime (ticks since boot)."""
    return int(time.clock_gettime(time.CLOCK_BOOTTIME) * CLK_TCK)


class Case:
    """The state of one case: paths, temporary folders, the host secret."""

    def __init__(self, args):
        self.crucible = args.crucible
        self.progs = args.progs
        os.makedirs(args.work, exist_ok=True)
        self.root = tempfile.mkdtemp(prefix="case-", dir=args.work)
        self.token = os.path.basename(self.root).replace("case-", "").lower()
        self.secret = "crucible-secret-" + self.token
        self.cleanups = []
        self.notes = []

    def close(self):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception:
                pass
        if os.environ.get("CRUCIBLE_TEST_KEEP") != "1":
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            print("kept", self.root)

    def mkdir(self, prefix):
        return tempfile.mkdtemp(prefix=prefix, dir=self.root)

    def new_box(self, progs=()):
        """A fresh box (0700, owned by root, as a judge would make it)."""
        box = self.mkdir("box-")
        for p in progs:
            dst = os.path.join(box, p)
            shutil.copyfile(os.path.join(self.progs, p), dst)
            os.chmod(dst, 0o755)
        return box

    def env(self, extra=None):
        """crucible's environment: the host's, plus a secret that must not
        reach the program."""
        env = dict(os.environ)
        env["CRUCIBLE_SECRET"] = self.secret
        env.update(extra or {})
        return env

    def start(self, prog, args=(), opts=(), box=None, env=None, stdin=None,
              stdout=True, stderr=True, program=None, preexec=None):
        """Starts a run; returns (Popen, Result-being-filled)."""
        r = Result()
        r.box = box if box is not None else self.new_box([prog] if prog else [])
        io = self.mkdir("io-")
        r.stdout_path = os.path.join(io, "stdout") if stdout is True else stdout
        r.stderr_path = os.path.join(io, "stderr") if stderr is True else stderr
        cmd = [self.crucible, "sandbox", "run"] + list(opts) + ["--box=" + r.box]
        if stdin:
            cmd.append("--stdin=" + stdin)
        if r.stdout_path:
            cmd.append("--stdout=" + r.stdout_path)
        if r.stderr_path:
            cmd.append("--stderr=" + r.stderr_path)
        cmd += ["--", program or "/box/" + prog] + list(args)
        r.argv = cmd
        r.start_ticks = boot_ticks()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=self.env(env), text=True, errors="replace",
                             preexec_fn=preexec, restore_signals=preexec is None)
        return p, r

    def finish(self, p, r, timeout=15):
        """Waits for crucible (less long than CTest's TIMEOUT, so a hang is
        reported with the command), then checks its output and the host."""
        try:
            r.raw_stdout, r.raw_stderr = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            r.raw_stdout, r.raw_stderr = p.communicate()
            raise Fail("crucible did not return within %s s\n%s" % (timeout, r.describe()))
        r.end_ticks = boot_ticks()
        r.rc = p.returncode
        for attr, path in (("out", r.stdout_path), ("err", r.stderr_path)):
            if path and os.path.isfile(path) and os.path.getsize(path) < 8 * MIB:
                with open(path, "rb") as f:
                    setattr(r, attr, f.read().decode("utf-8", "replace"))
        check_no_survivors(r)
        r.json = parse_result(r)
        want_rc = 2 if r.json["status"] == "sandbox_error" else 0
        check(r.rc == want_rc, "crucible exited %s, expected %s\n%s" % (r.rc, want_rc, r.describe()))
        return r

    def run(self, prog, args=(), opts=(), timeout=15, **kw):
        p, r = self.start(prog, args, opts, **kw)
        return self.finish(p, r, timeout)


def parse_result(r):
    text = r.raw_stdout.strip()
    try:
        obj = json.loads(text)
    except ValueError as e:
        raise Fail("crucible's stdout is not exactly one JSON object (%s)\n%s" % (e, r.describe()))
    check(isinstance(obj, dict), "crucible's stdout is not a JSON object\n" + r.describe())
    for key, typ in RESULT_KEYS.items():
        check(key in obj, "the result has no %r\n%s" % (key, r.describe()))
        check(isinstance(obj[key], typ) and not isinstance(obj[key], bool),
              "the result's %r has the wrong type\n%s" % (key, r.describe()))
    check(obj["status"] in STATUSES, "unknown status %r\n%s" % (obj["status"], r.describe()))
    return obj


def expect(r, status, exit_code=None, sig=None):
    j = r.json
    check(j["status"] == status,
          "status is %r, expected %r\n%s" % (j["status"], status, r.describe()))
    if exit_code is not None:
        check(j["exit_code"] == exit_code,
              "exit_code is %r, expected %r\n%s" % (j["exit_code"], exit_code, r.describe()))
    if sig is not None:
        check(j["signal"] == sig, "signal is %r, expected %r\n%s" % (j["signal"], sig, r.describe()))


def expect_lines(r, table):
    """table: {name: set of accepted values (or a function)} over r.lines()."""
    got = r.lines()
    bad = []
    for name, accepted in table.items():
        value = got.get(name)
        ok = accepted(value) if callable(accepted) else value in accepted
        if not ok:
            bad.append("%s: got %r, expected %s" % (name, value,
                       "a different value" if callable(accepted) else sorted(accepted)))
    check(not bad, "wrong results:\n  " + "\n  ".join(bad) + "\n" + r.describe())


# ---- host-side checks -----------------------------------------------------------

def proc_processes():
    """(pid, uids, starttime, state, cmdline) for every host process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/status" % name) as f:
                status = f.read()
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % name, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            continue
        uids = set()
        for line in status.splitlines():
            if line.startswith("Uid:"):
                uids = {int(x) for x in line.split()[1:]}
        fields = stat[stat.rfind(")") + 2:].split()
        yield int(name), uids, int(fields[19]), fields[0], cmd


def run_uid(r):
    """The uid the program recorded in /box/.uid (or printed, for whoami),
    or None."""
    try:
        with open(os.path.join(r.box, ".uid")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        pass
    uid = r.lines().get("uid", "")
    return int(uid) if uid.isdigit() else None


def find_survivors(uid, start_ticks, end_ticks):
    return [p for p in proc_processes()
            if uid in p[1] and start_ticks - 2 <= p[2] <= end_ticks + 1]


def check_no_survivors(r):
    """Nothing of the run may be alive once crucible returned. Only the run's
    own uid is looked at, and only processes started while it ran, so a run
    in a parallel test (another uid, or the same slot later) is never taken
    for a survivor."""
    uid = run_uid(r)
    if uid is None:
        return
    check(UID_FIRST <= uid <= UID_LAST, "the run's uid %d is outside %d-%d\n%s"
          % (uid, UID_FIRST, UID_LAST, r.describe()))
    found = find_survivors(uid, r.start_ticks, r.end_ticks)
    if not found:
        return
    time.sleep(0.5)
    later = find_survivors(uid, r.start_ticks, r.end_ticks)
    for pid, *_ in later:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    raise Fail("%d process(es) of the run (uid %d) were alive after crucible returned "
               "(%d still 0.5 s later; killed now):\n  %s\n%s"
               % (len(found), uid, len(later),
                  "\n  ".join("pid %d state %s: %s" % (p[0], p[3], p[4]) for p in found),
                  r.describe()))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MIB), b""):
            h.update(block)
    return h.hexdigest()


def sentinel(uid=None):
    """A host process a hostile run tries to kill."""
    def drop():
        if uid is not None:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
    return subprocess.Popen(["sleep", "60"], preexec_fn=drop)


# ---- cases ----------------------------------------------------------------------

CASES = {}


def case(name):
    def register(fn):
        CASES[name] = fn
        return fn
    return register


def spin_bounds(r, limit):
    """time_limit must trigger within 10% + 50 ms of the limit."""
    cpu = r.json["cpu_seconds"]
    check(limit - 0.001 <= cpu <= limit * 1.1 + 0.05,
          "cpu_seconds %.3f is not within [%.3f, %.3f] for a %.3f s limit\n%s"
          % (cpu, limit, limit * 1.1 + 0.05, limit, r.describe()))


# -- processes

@case("attack.fork_bomb")
def _(c):
    r = c.run("fork_bomb", opts=["--time=0.5", "--processes=16", "--memory=256M"])
    expect(r, "time_limit")


@case("attack.fork_count")
def _(c):
    r = c.run("fork_count", opts=["--processes=8", "--time=2"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"children": {"7 errno EAGAIN"}})


@case("positive.default_processes")
def _(c):
    r = c.run("fork_count", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"children": {"0 errno EAGAIN"}})


@case("attack.thread_exhaustion")
def _(c):
    r = c.run("thread_exhaust", opts=["--processes=8", "--time=2"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"threads": {"7 errno EAGAIN"}})


@case("attack.fd_exhaustion")
def _(c):
    r = c.run("fd_exhaust", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    # 64 descriptors: 0, 1 and 2 are the standard streams.
    expect_lines(r, {"opened": {"61 highest 63 errno EMFILE"}})


@case("attack.fd_leak")
def _(c):
    r = c.run("fd_leak", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    fds = sorted(int(l.split()[1]) for l in r.out.splitlines() if l.startswith("fd "))
    check(fds == [0, 1, 2], "descriptors other than 0, 1, 2 are open in the run "
          "(leaked from the sandbox):\n" + r.describe())


@case("attack.daemon")
def _(c):
    r = c.run("daemon", opts=["--processes=4", "--time=2"])
    expect(r, "ok", exit_code=0)
    log = os.path.join(r.box, "daemon.log")
    check(os.path.isfile(log) and os.path.getsize(log) > 0,
          "the daemon never wrote its log (the test did not exercise anything)\n" + r.describe())
    before = os.path.getsize(log)
    time.sleep(0.3)
    after = os.path.getsize(log)
    check(before == after, "the daemon kept writing to the box after the run ended "
          "(%d -> %d bytes in 0.3 s)\n%s" % (before, after, r.describe()))


@case("attack.kill_all")
def _(c):
    # No sentinel with a sandbox uid: a host process with a slot's uid would
    # count against RLIMIT_NPROC of whichever concurrent run gets that slot.
    guards = [("root", sentinel()), ("nobody", sentinel(65534))]
    c.cleanups.append(lambda: [g.kill() for _, g in guards])
    host_pids = [str(g.pid) for _, g in guards] + [str(os.getpid()), str(os.getppid())]
    r = c.run("kill_all", args=host_pids, opts=["--processes=2", "--time=2"])
    expect(r, "ok", exit_code=0)
    # kill(-1) reaches the run's own child only; host pids do not exist there.
    table = {"fork": {"ok"}, "kill1": {"EPERM"}, "kill-1": {"ok"}}
    expect_lines(r, table)
    bad = [l for l in r.out.splitlines() if l.startswith("kill ") and not l.endswith(" ESRCH")]
    check(not bad, "host pids are reachable from the run (expected ESRCH):\n  %s\n%s"
          % ("\n  ".join(bad), r.describe()))
    dead = [name for name, g in guards if g.poll() is not None]
    check(not dead, "host sentinel process(es) killed from inside the run: %s\n%s"
          % (", ".join(dead), r.describe()))


# -- memory

@case("attack.memory_single")
def _(c):
    r = c.run("mem_hog", opts=["--memory=64M", "--time=5"])
    expect(r, "memory_limit")
    mem = r.json["memory_bytes"]
    check(48 * MIB <= mem <= 64 * MIB * 1.05,
          "memory_bytes %d is not near the 64 MiB limit\n%s" % (mem, r.describe()))


@case("attack.memory_threads")
def _(c):
    r = c.run("mem_threads", opts=["--memory=64M", "--processes=4", "--time=5"])
    expect(r, "memory_limit")


@case("attack.memory_procs")
def _(c):
    r = c.run("mem_procs", opts=["--memory=64M", "--processes=4", "--time=5"])
    expect(r, "memory_limit")


@case("attack.deep_stack")
def _(c):
    # The stack limit defaults to the memory limit: unbounded recursion must
    # run into the memory cgroup.
    r = c.run("deep_stack", opts=["--memory=64M", "--time=5"])
    expect(r, "memory_limit")


@case("attack.deep_stack_limited")
def _(c):
    r = c.run("deep_stack", args=["64"], opts=["--memory=256M", "--stack=8M", "--time=5"])
    expect(r, "signaled", exit_code=0, sig=11)


@case("positive.deep_stack_ok")
def _(c):
    r = c.run("deep_stack", args=["100"], opts=["--memory=256M", "--time=5"])
    expect(r, "ok", exit_code=0)
    check(r.out.strip() == "done 1", "unexpected output\n" + r.describe())


@case("positive.memory_accuracy")
def _(c):
    r = c.run("mem_touch", args=["100"], opts=["--memory=256M", "--time=5"])
    expect(r, "ok", exit_code=0)
    mem = r.json["memory_bytes"]
    check(abs(mem - 100 * MIB) <= 10 * MIB,
          "memory_bytes %d (%.1f MiB) is not within 10%% of 100 MiB\n%s"
          % (mem, mem / MIB, r.describe()))


# -- CPU and wall time

@case("attack.cpu_spin")
def _(c):
    r = c.run("cpu_spin", args=["threads", "1"], opts=["--time=0.5"])
    expect(r, "time_limit")
    spin_bounds(r, 0.5)


@case("attack.cpu_spin_threads")
def _(c):
    r = c.run("cpu_spin", args=["threads", "4"], opts=["--time=1", "--processes=4"])
    expect(r, "time_limit")
    spin_bounds(r, 1.0)


@case("attack.cpu_spin_procs")
def _(c):
    r = c.run("cpu_spin", args=["procs", "4"], opts=["--time=1", "--processes=4"])
    expect(r, "time_limit")
    spin_bounds(r, 1.0)


@case("positive.cpu_sum_threads")
def _(c):
    r = c.run("cpu_sum_threads", args=["4", "0.25"], opts=["--time=5", "--processes=4"])
    expect(r, "ok", exit_code=0)
    own = float(r.lines()["clock"])
    cpu = r.json["cpu_seconds"]
    check(own >= 0.99, "the program measured %.3f s, expected 4 x 0.25 s\n%s" % (own, r.describe()))
    check(abs(cpu - own) <= 0.05 * own + 0.01,
          "cpu_seconds %.3f is not the sum over threads the program measured (%.3f)\n%s"
          % (cpu, own, r.describe()))


@case("positive.cpu_accuracy")
def _(c):
    r = c.run("cpu_burn", args=["1.0"], opts=["--time=3"])
    expect(r, "ok", exit_code=0)
    words = r.out.split()
    own, rusage = float(words[1]), float(words[3])
    cpu = r.json["cpu_seconds"]
    for name, value in (("CLOCK_PROCESS_CPUTIME_ID", own), ("getrusage", rusage)):
        check(abs(cpu - value) <= 0.05 * value + 0.01,
              "cpu_seconds %.4f is not within 5%% + 10 ms of %s (%.4f)\n%s"
              % (cpu, name, value, r.describe()))


@case("attack.sleep_wall")
def _(c):
    r = c.run("sleep_forever", opts=["--time=1", "--wall=0.5"])
    expect(r, "wall_limit")
    wall = r.json["wall_seconds"]
    check(0.5 - 0.001 <= wall <= 0.5 * 1.1 + 0.05,
          "wall_seconds %.3f is not within 10%% + 50 ms of 0.5\n%s" % (wall, r.describe()))
    check(r.json["cpu_seconds"] < 0.1, "a sleeping program used CPU?\n" + r.describe())


@case("attack.sleep_default_wall")
def _(c):
    r = c.run("sleep_forever", opts=["--time=0.2"])
    expect(r, "wall_limit")
    wall = r.json["wall_seconds"]   # default: 2 x 0.2 + 1 = 1.4 s
    check(1.4 - 0.001 <= wall <= 1.4 * 1.1 + 0.05,
          "wall_seconds %.3f is not the default 2 x time + 1 = 1.4 s\n%s" % (wall, r.describe()))


# -- output

def check_size(r, path, limit):
    size = os.path.getsize(path) if os.path.exists(path) else 0
    check(size <= limit, "%s grew to %d bytes, past the %d byte limit\n%s"
          % (path, size, limit, r.describe()))


@case("attack.stdout_flood")
def _(c):
    r = c.run("stdout_flood", opts=["--output=1M", "--time=5"])
    expect(r, "output_limit")
    check_size(r, r.stdout_path, MIB)


@case("attack.stdout_flood_ignore_sigxfsz")
def _(c):
    r = c.run("stdout_flood", args=["1", "ignore"], opts=["--output=1M", "--time=5"])
    expect(r, "output_limit")
    check_size(r, r.stdout_path, MIB)


@case("attack.stderr_flood")
def _(c):
    r = c.run("stdout_flood", args=["2"], opts=["--output=1M", "--time=5"])
    expect(r, "output_limit")
    check_size(r, r.stderr_path, MIB)


@case("attack.stdout_at_limit")
def _(c):
    # "A stdout file at the limit => output_limit": exactly --output bytes.
    r = c.run("write_bytes", args=[str(MIB)], opts=["--output=1M", "--time=5"])
    expect(r, "output_limit")
    check_size(r, r.stdout_path, MIB)


@case("attack.file_flood")
def _(c):
    r = c.run("file_flood", opts=["--output=1M", "--time=5"])
    expect(r, "output_limit")
    check_size(r, os.path.join(r.box, "flood.bin"), MIB)


@case("attack.tmp_flood")
def _(c):
    token = "crucible-flood-" + c.token
    r = c.run("tmp_flood", args=[token], opts=["--output=4M", "--memory=256M", "--time=5"])
    expect(r, "output_limit")
    words = r.out.split()
    check(len(words) >= 2 and int(words[1]) <= 64,
          "more than 4 MiB of 64 KiB files fit in /tmp\n" + r.describe())
    leaked = [n for n in os.listdir("/tmp") if n.startswith(token)]
    check(not leaked, "the run's /tmp files appeared in the host's /tmp: %s" % leaked[:5])


# -- network

class Listeners:
    """A TCP and a UDP socket on 127.0.0.1 and an abstract AF_UNIX socket,
    all non-blocking: after a run, none may have received anything."""

    def __init__(self, token):
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(8)
        self.tcp.setblocking(False)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.setblocking(False)
        self.abstract = "crucible-test-" + token
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + self.abstract)
        self.unix.listen(8)
        self.unix.setblocking(False)

    def args(self):
        return [str(self.tcp.getsockname()[1]), str(self.udp.getsockname()[1]), self.abstract]

    def received(self):
        got = []
        for name, s in (("tcp", self.tcp), ("unix", self.unix)):
            try:
                conn, _ = s.accept()
                conn.close()
                got.append(name)
            except BlockingIOError:
                pass
        try:
            self.udp.recvfrom(16)
            got.append("udp")
        except BlockingIOError:
            pass
        return got

    def close(self):
        for s in (self.tcp, self.udp, self.unix):
            s.close()


def refused_or_absent(accepted):
    return lambda v: v is None or (v.startswith("err ") and v[4:] in accepted)


@case("attack.net_loopback")
def _(c):
    ls = Listeners(c.token)
    c.cleanups.append(ls.close)
    r = c.run("net_connect", args=ls.args(), opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    refused = {"err " + e for e in SOCKET_REFUSED}
    expect_lines(r, {
        "inet_socket": refused, "udp_socket": refused, "inet6_socket": refused,
        "netlink_socket": refused, "packet_socket": refused,
        "inet_connect": {None}, "udp_sendto": {None}, "inet6_connect": {None},
        "unix_socket": {"ok"},
        "unix_abstract_connect": lambda v: v is not None and v.startswith("err "),
    })
    got = ls.received()
    check(not got, "the host's listeners received something from the run: %s\n%s"
          % (got, r.describe()))


@case("positive.network_flag")
def _(c):
    ls = Listeners(c.token)
    c.cleanups.append(ls.close)
    r = c.run("net_connect", args=ls.args(), opts=["--time=2", "--network"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"inet_socket": {"ok"}, "inet_connect": {"ok"}})
    check("tcp" in ls.received(), "with --network the host's TCP listener got no connection\n"
          + r.describe())


# -- files, folders, devices

@case("attack.read_host_files")
def _(c):
    secret_dir = c.mkdir("secret-")
    secrets = [os.path.join(secret_dir, "secret.txt"),
               "/var/tmp/.%s" % c.secret, "/root/.%s" % c.secret]
    for path in secrets:
        with open(path, "w") as f:
            f.write(c.secret + "\n")
        os.chmod(path, 0o644)   # readable by anyone who can reach it
        c.cleanups.append(lambda p=path: os.unlink(p))
    before = {p: sha256(p) for p in secrets}
    paths = secrets + [
        "/etc/shadow", "/etc/gshadow", "/etc/ssh", "/root", "/home", "/var/log",
        "/run/crucible", "/sys", "/sys/fs/cgroup", "/boot", c.root, os.path.dirname(c.root),
        "/proc/1/root/etc/shadow", "/proc/self/root/etc/shadow", "/box/../etc/shadow",
        "/box/../../root/.%s" % c.secret, "/proc/1/root" + secrets[0],
    ]
    r = c.run("read_host", args=paths, opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    # Through /proc/1/root (the run's init, root-owned) EACCES is as good.
    bad = [l for l in r.out.splitlines() if not (l.endswith(" err ENOENT") or
           (l.startswith("/proc/1/root/") and l.endswith(" err EACCES")))]
    check(not bad, "host paths visible inside the run (each must be ENOENT):\n  %s\n%s"
          % ("\n  ".join(bad), r.describe()))
    check(len(r.out.splitlines()) == len(paths), "the program did not try every path\n"
          + r.describe())
    for p in secrets:
        check(sha256(p) == before[p], "host file %s changed during the run" % p)


@case("attack.proc_scan")
def _(c):
    r = c.run("proc_scan", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    count = int(r.lines().get("count", "999"))
    check(count <= 3, "the run sees %d processes in /proc: not its own pid namespace\n%s"
          % (count, r.describe()))
    # The run's init is a copy of the supervisor: its command line (paths of
    # the test data, a judge's flags) must not be readable either.
    host_marks = ["run_case.py", "ctest", "sleep 60", "/sbin/init", "systemd",
                  "sandbox run", "--stdout", "crucible"]
    seen = [l for l in r.out.splitlines() if any(m in l for m in host_marks)]
    check(not seen, "host processes visible in the run's /proc:\n  %s" % "\n  ".join(seen))


@case("attack.devices")
def _(c):
    r = c.run("devices", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    allowed = {"null": "1:3", "zero": "1:5", "full": "1:7", "random": "1:8", "urandom": "1:9"}
    entries = {}
    for line in r.out.splitlines():
        w = line.split()
        if w[0] == "entry":
            entries[w[1]] = (w[2], w[3])
    problems = []
    for name, (typ, rdev) in sorted(entries.items()):
        if name in allowed:
            if (typ, rdev) != ("chr", allowed[name]):
                problems.append("/dev/%s is %s %s, expected chr %s" % (name, typ, rdev, allowed[name]))
        elif typ in ("chr", "blk") or not (
                (typ == "lnk" and name in ("fd", "stdin", "stdout", "stderr", "shm")) or
                (typ == "dir" and name in ("shm", "pts"))):
            problems.append("/dev/%s (%s %s) should not exist" % (name, typ, rdev))
    for name in allowed:
        if name not in entries:
            problems.append("/dev/%s is missing" % name)
    for line in r.out.splitlines():
        w = line.split()
        if w[0] == "open" and w[2] != "ENOENT":
            problems.append("open(%s) gave %s, expected ENOENT" % (w[1], w[2]))
        if w[0] == "pts":
            problems.append("/dev/pts is not empty: %s" % w[1])
        if w[0] == "works" and w[2] != "yes":
            problems.append("/dev/%s does not work" % w[1])
    check(not problems, "\n  ".join(["device problems:"] + problems) + "\n" + r.describe())


@case("attack.readonly_paths")
def _(c):
    r = c.run("ro_write", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    refused = {"EROFS", "EACCES", "EPERM", "ENOENT"}
    table = {name: refused for name in r.lines() if not name.startswith("allowed_")}
    table.update({"allowed_box": {"ok"}, "allowed_tmp": {"ok"}})
    # /proc/sys paths may not exist, but must never accept a write.
    expect_lines(r, table)
    check(len(table) >= 16, "the program did not try every write\n" + r.describe())
    with open(os.path.join(r.box, "written")) as f:
        check(f.read() == "x", "the box file written inside did not reach the host")
    for p in ("/pwned", "/usr/pwned", "/usr/bin/pwned", "/etc/pwned", "/pwned_link"):
        check(not os.path.lexists(p), "%s appeared on the host" % p)


@case("attack.tmp_private")
def _(c):
    host_marker = "crucible-host-" + c.token
    inside_marker = "crucible-inside-" + c.token
    path = os.path.join("/tmp", host_marker)
    open(path, "w").close()
    c.cleanups.append(lambda: os.unlink(path))
    r = c.run("tmp_isolation", args=[host_marker, inside_marker], opts=["--time=2", "--output=8M"])
    expect(r, "ok", exit_code=0)
    lines = r.out.splitlines()
    entries = [l for l in lines if l.startswith("entry ")]
    check(not entries, "the run's /tmp did not start empty:\n" + r.describe())
    expect_lines(r, {"host_marker": {"ENOENT"}, "own_marker": {"ok"},
                     "tmp_size": lambda v: v is not None and 0 < int(v) <= 8 * MIB})
    check(not os.path.exists(os.path.join("/tmp", inside_marker)),
          "a file the run wrote to its /tmp appeared in the host's /tmp")


@case("attack.stdin_reopen")
def _(c):
    io = c.mkdir("in-")
    path = os.path.join(io, "input.txt")
    with open(path, "w") as f:
        f.write("the test data\n")
    os.chmod(path, 0o644)
    before = sha256(path)
    r = c.run("stdin_reopen", opts=["--time=2"], stdin=path)
    expect(r, "ok", exit_code=0)
    bad = {name: v for name, v in r.lines().items() if v == "ok"}
    check(not bad, "the program could change its input file: %s\n%s" % (sorted(bad), r.describe()))
    check(len(r.lines()) == 5, "the program did not try everything\n" + r.describe())
    check(sha256(path) == before, "the host's input file changed during the run")
    check(os.stat(path).st_mode & 0o777 == 0o644, "the host's input file changed mode")


# -- identity and privileges

def read_identity(r):
    d = r.lines()
    for key in ("uid", "euid", "gid", "egid"):
        check(key in d, "whoami printed no %s\n%s" % (key, r.describe()))
    return d


@case("positive.signals_reset")
def _(c):
    # A supervisor that ignores or blocks signals (a judge daemon ignoring
    # SIGPIPE, say) must not pass that on: the program starts with every
    # signal at its default action and none blocked.
    def hostile_parent():
        for sig in (signal.SIGPIPE, signal.SIGINT, signal.SIGTERM, signal.SIGUSR2):
            signal.signal(sig, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGHUP})
    p, r = c.start("whoami", opts=["--time=2", "--memory=256M"], preexec=hostile_parent)
    r = c.finish(p, r)
    expect(r, "ok", exit_code=0)
    d = read_identity(r)
    check(d.get("SigIgn") == "0000000000000000" and d.get("SigBlk") == "0000000000000000",
          "the program inherited ignored or blocked signals: SigIgn %s SigBlk %s\n%s"
          % (d.get("SigIgn"), d.get("SigBlk"), r.describe()))


@case("positive.identity")
def _(c):
    r = c.run("whoami", opts=["--time=2", "--memory=256M"])
    expect(r, "ok", exit_code=0)
    d = read_identity(r)
    uid = int(d["uid"])
    problems = []
    if not UID_FIRST <= uid <= UID_LAST:
        problems.append("uid %d outside %d-%d" % (uid, UID_FIRST, UID_LAST))
    if not d["euid"] == d["gid"] == d["egid"] == d["uid"]:
        problems.append("uid/euid/gid/egid differ: expected all %d" % uid)
    if d.get("groups", "") not in ("", str(uid)):
        problems.append("supplementary groups %r" % d.get("groups"))
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        if d.get(cap) != "0000000000000000":
            problems.append("%s is %s, expected none" % (cap, d.get(cap)))
    if d.get("NoNewPrivs") != "1":
        problems.append("no_new_privs is not set")
    if d.get("Seccomp") != "2":
        problems.append("no seccomp filter (Seccomp %s)" % d.get("Seccomp"))
    if d.get("cwd") != "/box":
        problems.append("working folder %r, expected /box" % d.get("cwd"))
    # RLIMIT_FSIZE is checked by attack.rlimit_raise.
    expected_limits = {"rlimit_core": "0 0", "rlimit_nofile": "64 64",
                       "rlimit_stack": "%d %d" % (256 * MIB, 256 * MIB)}
    for key, want in expected_limits.items():
        if d.get(key) != want:
            problems.append("%s is %r, expected %r" % (key, d.get(key), want))
    if d.get("hostname") == socket.gethostname():
        c.notes.append("the run's hostname is the host's (%s)" % d.get("hostname"))
    check(not problems, "\n  ".join(["identity problems:"] + problems) + "\n" + r.describe())


@case("attack.setuid_binary")
def _(c):
    box = c.new_box()
    path = os.path.join(box, "suid_whoami")
    shutil.copyfile(os.path.join(c.progs, "whoami"), path)
    os.chown(path, 0, 0)
    os.chmod(path, 0o6755)
    r = c.run(None, opts=["--time=2"], box=box, program="/box/suid_whoami")
    expect(r, "ok", exit_code=0)
    d = read_identity(r)
    check(d["euid"] == d["uid"] != "0" and d["egid"] == d["gid"] != "0",
          "a setuid-root binary in the box changed the ids\n" + r.describe())
    check(d.get("CapEff") == "0000000000000000", "a setuid binary gained capabilities\n"
          + r.describe())


@case("attack.su")
def _(c):
    r = c.run(None, opts=["--time=2", "--processes=4"], box=c.new_box(),
              program="/usr/bin/su", args=["root", "-c", "/usr/bin/id -u"])
    expect(r, "runtime_error")
    check(r.out.strip() != "0", "su gave root inside the run\n" + r.describe())


@case("attack.privileged_ops")
def _(c):
    hostname = socket.gethostname()
    r = c.run("privileged_ops", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    bad = sorted(n for n, v in r.lines().items() if not v.startswith("err "))
    check(not bad, "privileged operations succeeded inside the run: %s\n%s" % (bad, r.describe()))
    check(len(r.lines()) == 20, "the program did not try every operation\n" + r.describe())
    check(socket.gethostname() == hostname, "the host's hostname changed")


@case("attack.ptrace")
def _(c):
    r = c.run("ptrace_attack", opts=["--time=2", "--processes=2"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {name: {"err EPERM"} for name in
                     ("attach_child", "seize_child", "attach_init", "vm_readv_child", "traceme")})


@case("attack.refused_syscalls")
def _(c):
    r = c.run("syscall_table", opts=["--time=2", "--processes=2"])
    expect(r, "ok", exit_code=0)
    eperm = {"err " + e for e in SECCOMP_ERRNO}
    refused_socket = {"err " + e for e in SOCKET_REFUSED}
    table = {name: eperm for name in (
        "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "clone_newuser",
        "clone_newns", "ptrace", "process_vm_readv", "process_vm_writev", "bpf",
        "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd",
        "io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load",
        "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
        "swapon", "swapoff", "iopl", "ioperm", "clock_settime", "settimeofday", "adjtimex",
        "clock_adjtime", "open_by_handle_at", "personality_no_aslr")}
    table.update({"clone3": {"err ENOSYS"}, "clone3_newuser": {"err ENOSYS"}})
    table.update({name: refused_socket for name in (
        "socket_inet", "socket_inet6", "socket_netlink", "socket_packet", "socket_vsock",
        "socket_alg", "socket_inet_hibits", "socketpair_inet")})
    ok = lambda v: v is not None and v.startswith("ok ")
    table.update({"socket_unix": ok, "personality_query": ok, "getpid": ok})
    expect_lines(r, table)


@case("attack.syscall_abi_32bit_x32")
def _(c):
    r = c.run("syscall_abi", opts=["--time=2", "--processes=2"])
    expect(r, "ok", exit_code=0)
    lines = r.lines()
    check(len(lines) == 9, "the program did not try every call\n" + r.describe())
    bad = sorted(n for n, v in lines.items() if not (v.startswith("killed") or v.startswith("errno")))
    check(not bad, "system calls through the 32-bit or x32 ABI were not refused: %s\n%s"
          % (bad, r.describe()))


@case("attack.ipc_namespace")
def _(c):
    libc = ctypes.CDLL(None, use_errno=True)
    key = 0x43520000 | (os.getpid() & 0xffff)
    ipc_creat, ipc_rmid = 0o1000, 0
    shm = libc.shmget(key, 4096, ipc_creat | 0o666)
    msg = libc.msgget(key, ipc_creat | 0o666)
    sem = libc.semget(key, 1, ipc_creat | 0o666)
    c.cleanups.append(lambda: (libc.shmctl(shm, ipc_rmid, None), libc.msgctl(msg, ipc_rmid, None),
                               libc.semctl(sem, 0, ipc_rmid)))
    check(min(shm, msg, sem) >= 0, "cannot create the host's IPC objects: %s"
          % os.strerror(ctypes.get_errno()))
    r = c.run("ipc_probe", args=[hex(key)], opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"shmget": {"err ENOENT"}, "msgget": {"err ENOENT"}, "semget": {"err ENOENT"}})


@case("attack.cgroup_namespace")
def _(c):
    r = c.run("cgroup_probe", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    paths = [l.split(":", 2)[2] for l in r.out.splitlines() if l.startswith("cgroup ")]
    check(paths and all(p == "/" for p in paths),
          "/proc/self/cgroup shows host cgroup paths (expected '/' everywhere)\n" + r.describe())
    expect_lines(r, {"open_sys_fs_cgroup": {"ENOENT"},
                     "mount_cgroup2": lambda v: v not in (None, "ok"),
                     "mount_cgroup_v1": lambda v: v not in (None, "ok")})


@case("attack.core_dump")
def _(c):
    r = c.run("core_dump", opts=["--time=2"])
    expect(r, "signaled", exit_code=0, sig=6)
    expect_lines(r, {"raise_core": {"EPERM"}})
    cores = [n for n in os.listdir(r.box) if n == "core" or n.startswith("core.")]
    check(not cores, "core files were written: %s" % cores)


@case("attack.rlimit_raise")
def _(c):
    r = c.run("rlimit_raise", opts=["--time=2", "--output=2M"])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"limit_nofile": {"64 64"}, "limit_fsize": {"%d %d" % (2 * MIB, 2 * MIB)},
                     "limit_core": {"0 0"}, "raise_nofile": {"EPERM"},
                     "raise_fsize": {"EPERM"}, "raise_core": {"EPERM"}})


@case("attack.env_leak")
def _(c):
    r = c.run("env_dump", opts=["--time=2", "--env=A=B", "--env=CRUCIBLE_TEST_VAR=hello world"])
    expect(r, "ok", exit_code=0)
    env = [l[4:] for l in r.out.splitlines() if l.startswith("env ")]
    check("A=B" in env and "CRUCIBLE_TEST_VAR=hello world" in env,
          "--env variables are missing from the program's environment\n" + r.describe())
    leaks = [l for l in r.out.splitlines() if c.secret in l or "CRUCIBLE_SECRET" in l]
    check(not leaks, "the host's environment leaked into the run:\n  %s\n%s"
          % ("\n  ".join(leaks), r.describe()))


@case("attack.device_nodes_in_binds")
def _(c):
    # Device nodes that reach the run through a --bind or the box (made by
    # the host, not the run): nodev and the device cgroup must refuse them.
    nodes = {"kmsg": (stat.S_IFCHR, 1, 11), "mem": (stat.S_IFCHR, 1, 1),
             "sda": (stat.S_IFBLK, 8, 0), "tty": (stat.S_IFCHR, 5, 0)}
    d = c.mkdir("nodes-")
    box = c.new_box(["read_host"])
    try:
        for folder in (d, box):
            for name, (kind, major, minor) in nodes.items():
                os.mknod(os.path.join(folder, name), kind | 0o666, os.makedev(major, minor))
                os.chmod(os.path.join(folder, name), 0o666)
    except OSError as e:
        raise Skip("cannot make device nodes here: %s" % e)
    paths = ["/data/" + n for n in nodes] + ["/box/" + n for n in nodes]
    r = c.run("read_host", args=paths, opts=["--time=2", "--bind=%s:/data" % d], box=box)
    expect(r, "ok", exit_code=0)
    lines = r.out.splitlines()
    bad = [l for l in lines if l.split()[1] == "ok"]
    check(len(lines) == len(paths) and not bad,
          "device nodes from the host could be opened inside the run:\n  %s\n%s"
          % ("\n  ".join(bad), r.describe()))


# -- GPUs (fake device nodes)

def fake_dev(c):
    """A device folder with the five ordinary nodes, fake nvidia ones and a
    disk; returns its path for CRUCIBLE_SANDBOX_DEV."""
    d = c.mkdir("dev-")
    nodes = {"null": (1, 3), "zero": (1, 5), "full": (1, 7), "random": (1, 8),
             "urandom": (1, 9), "nvidia0": (195, 0), "nvidia1": (195, 1),
             "nvidiactl": (195, 255), "nvidia-modeset": (195, 254),
             "nvidia-uvm": (511, 0), "nvidia-uvm-tools": (511, 1), "sda": (8, 0)}
    try:
        for name, (major, minor) in nodes.items():
            kind = stat.S_IFBLK if name == "sda" else stat.S_IFCHR
            os.mknod(os.path.join(d, name), kind | 0o666, os.makedev(major, minor))
            os.chmod(os.path.join(d, name), 0o666)
    except OSError as e:
        raise Skip("cannot make fake device nodes here: %s" % e)
    return d


def gpu_run(c, gpus):
    dev = fake_dev(c)
    opts = ["--time=2"] + (["--gpus=" + gpus] if gpus is not None else [])
    return c.run("gpu_probe", opts=opts, env={"CRUCIBLE_SANDBOX_DEV": dev})


def no_driver(v):
    return v in ("ENXIO", "ENODEV")


@case("attack.gpu_hidden")
def _(c):
    r = gpu_run(c, None)
    expect(r, "ok", exit_code=0)
    bad = [l for l in r.out.splitlines() if l.startswith("open ") and not l.endswith(" ENOENT")]
    check(not bad, "nvidia nodes exist in a run without --gpus:\n  %s\n%s"
          % ("\n  ".join(bad), r.describe()))


def gpu_expect(r, shown, cuda):
    got = {l.split()[1]: l.split()[2] for l in r.out.splitlines() if l.startswith("open ")}
    problems = []
    for path, result in sorted(got.items()):
        if path in shown:
            if not no_driver(result):
                problems.append("%s: %s, expected ENXIO or ENODEV (allowed by the device "
                                "cgroup, no driver behind it)" % (path, result))
        elif result != "ENOENT":
            problems.append("%s: %s, expected ENOENT (not granted)" % (path, result))
    if r.lines().get("cuda") != cuda:
        problems.append("CUDA_VISIBLE_DEVICES is %r, expected %r" % (r.lines().get("cuda"), cuda))
    check(len(got) == 6 and not problems,
          "\n  ".join(["GPU problems:"] + problems) + "\n" + r.describe())


@case("positive.gpu_zero")
def _(c):
    r = gpu_run(c, "0")
    expect(r, "ok", exit_code=0)
    gpu_expect(r, {"/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia0"}, "0")


@case("positive.gpu_one")
def _(c):
    r = gpu_run(c, "1")
    expect(r, "ok", exit_code=0)
    gpu_expect(r, {"/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia1"}, "1")


# -- ordinary programs

@case("positive.exit_zero")
def _(c):
    r = c.run("exit_code", args=["0"], opts=["--time=2"])
    expect(r, "ok", exit_code=0, sig=0)


@case("positive.exit_three")
def _(c):
    r = c.run("exit_code", args=["3"], opts=["--time=2"])
    expect(r, "runtime_error", exit_code=3, sig=0)


def signal_case(what, number):
    @case("positive.signal_" + what)
    def _(c):
        r = c.run("signal_self", args=[what], opts=["--time=2"])
        expect(r, "signaled", exit_code=0, sig=number)


@case("attack.self_stop")
def _(c):
    r = c.run("signal_self", args=["stop"], opts=["--time=0.5", "--wall=0.5"])
    expect(r, "wall_limit")


for _what, _number in (("segv", 11), ("abrt", 6), ("fpe", 8), ("ill", 4), ("bus", 7), ("kill", 9)):
    signal_case(_what, _number)


@case("positive.stdin_stdout_50mib")
def _(c):
    io = c.mkdir("data-")
    src = os.path.join(io, "input.bin")
    with open(src, "wb") as f:
        for _ in range(50):
            f.write(os.urandom(MIB))
    os.chmod(src, 0o600)   # test data: only the sandbox itself may open it
    r = c.run("cat_stdin", opts=["--time=5"], stdin=src)
    expect(r, "ok", exit_code=0)
    check(os.path.getsize(r.stdout_path) == 50 * MIB and sha256(r.stdout_path) == sha256(src),
          "stdout differs from stdin (%d bytes out)\n%s"
          % (os.path.getsize(r.stdout_path), r.describe()))


@case("positive.default_stdin")
def _(c):
    r = c.run("cat_stdin", opts=["--time=2"])
    expect(r, "ok", exit_code=0)
    check(r.out == "", "stdin is not /dev/null by default\n" + r.describe())


@case("positive.stdout_stderr_files")
def _(c):
    r = c.run(None, opts=["--time=5", "--memory=256M"], box=c.new_box(),
              program="/usr/bin/python3",
              args=["-c", "import sys; print('to stdout'); sys.stderr.write('to stderr\\n')"])
    expect(r, "ok", exit_code=0)
    check(r.out == "to stdout\n" and r.err == "to stderr\n",
          "stdout or stderr did not reach its file\n" + r.describe())


@case("positive.python3")
def _(c):
    r = c.run(None, opts=["--memory=256M", "--time=5"], box=c.new_box(),
              program="/usr/bin/python3", args=["-c", "print(1+1)"])
    expect(r, "ok", exit_code=0)
    check(r.out == "2\n", "python3 printed %r, expected '2'\n%s" % (r.out, r.describe()))


@case("positive.java")
def _(c):
    javac = shutil.which("javac")
    if not javac:
        raise Skip("javac is not installed")
    box = c.new_box()
    src = os.path.join(c.mkdir("java-"), "Hello.java")
    with open(src, "w") as f:
        f.write('public class Hello {\n'
                '    public static void main(String[] args) {\n'
                '        System.out.println("Hello from Java");\n'
                '    }\n'
                '}\n')
    subprocess.run([javac, "-d", box, src], check=True, timeout=60)
    r = c.run(None, opts=["--memory=1G", "--processes=64", "--time=5"], box=box,
              program="/usr/bin/java", args=["-cp", "/box", "Hello"], timeout=40)
    expect(r, "ok", exit_code=0)
    check(r.out == "Hello from Java\n", "java printed %r\n%s" % (r.out, r.describe()))


@case("positive.concurrency")
def _(c):
    shared = c.mkdir("shared-")
    os.chmod(shared, 0o777)
    names = ("alpha", "beta")
    started = [c.start("conc_probe", args=[name, "/shared", other],
                       opts=["--time=5", "--bind=%s:/shared:rw" % shared])
               for name, other in zip(names, reversed(names))]
    for p, _ in started:
        c.cleanups.append(lambda p=p: p.wait(timeout=15))
    results = [c.finish(p, r) for p, r in started]
    uids = []
    for r, name in zip(results, names):
        expect(r, "ok", exit_code=0)
        d = r.lines()
        uids.append(d["uid"])
        check(d.get("partner") == "seen", "the two runs did not run at the same time\n"
              + r.describe())
        check(d.get("tmp_before") == "0" and d.get("tmp_after") == "1",
              "the two runs share /tmp\n" + r.describe())
        markers = sorted(n for n in os.listdir(r.box) if n.startswith("marker_"))
        check(markers == ["marker_" + name], "the boxes got mixed: %s\n%s" % (markers, r.describe()))
        own = float(d["clock"])
        check(abs(r.json["cpu_seconds"] - own) <= 0.05 * own + 0.01,
              "cpu_seconds %.3f is not the run's own %.3f (the runs' accounting mixed?)\n%s"
              % (r.json["cpu_seconds"], own, r.describe()))
    check(uids[0] != uids[1], "two concurrent runs got the same uid %s" % uids[0])
    for u in uids:
        check(UID_FIRST <= int(u) <= UID_LAST, "uid %s outside the sandbox range" % u)


def bind_dir(c):
    d = c.mkdir("bind-")
    os.chmod(d, 0o777)   # so only the mount's read-only flag can refuse a write
    with open(os.path.join(d, "in.txt"), "w") as f:
        f.write("hello")
    return d


@case("positive.bind_ro")
def _(c):
    d = bind_dir(c)
    r = c.run("bind_probe", opts=["--time=2", "--bind=%s:/data" % d])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"read": {"hello"}, "write": {"EROFS"}})
    check(not os.path.exists(os.path.join(d, "out.txt")), "a read-only bind was written")


@case("positive.bind_rw")
def _(c):
    d = bind_dir(c)
    r = c.run("bind_probe", opts=["--time=2", "--bind=%s:/data:rw" % d])
    expect(r, "ok", exit_code=0)
    expect_lines(r, {"read": {"hello"}, "write": {"ok"}})
    with open(os.path.join(d, "out.txt")) as f:
        check(f.read() == "written", "the rw bind's file did not reach the host")


# -- bad arguments

def bad_args(c, argv_list):
    for argv in argv_list:
        cmd = [c.crucible, "sandbox", "run"] + argv
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=10, env=c.env())
        check(p.returncode == 2, "`%s` exited %d, expected 2\nstdout: %s\nstderr: %s"
              % (" ".join(cmd), p.returncode, p.stdout.strip(), p.stderr.strip()))
        check("usage" in p.stderr.lower() or p.stderr.strip(),
              "`%s` said nothing on stderr" % " ".join(cmd))


@case("positive.args_unknown_flag")
def _(c):
    cmd = [c.crucible, "sandbox", "run", "--bogus-flag", "--", "/usr/bin/true"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    check(p.returncode == 2 and "usage" in p.stderr.lower(),
          "an unknown flag gave exit %d (expected 2) and stderr %r (expected the usage)"
          % (p.returncode, p.stderr))


@case("positive.args_bad_size")
def _(c):
    bad_args(c, [["--memory=12Q", "--", "/usr/bin/true"],
                 ["--memory=-5M", "--", "/usr/bin/true"],
                 ["--memory=", "--", "/usr/bin/true"],
                 ["--output=5X", "--", "/usr/bin/true"],
                 ["--stack=abc", "--", "/usr/bin/true"],
                 ["--memory=99999999999G", "--", "/usr/bin/true"]])


@case("positive.args_bad_number")
def _(c):
    bad_args(c, [["--time=abc", "--", "/usr/bin/true"],
                 ["--time=-1", "--", "/usr/bin/true"],
                 ["--wall=1x", "--", "/usr/bin/true"],
                 ["--processes=many", "--", "/usr/bin/true"],
                 ["--processes=-3", "--", "/usr/bin/true"],
                 ["--gpus=zero", "--", "/usr/bin/true"]])


@case("positive.args_missing_program")
def _(c):
    bad_args(c, [["--time=1", "--"], ["--time=1"], []])


# ---- main -------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crucible", required=True)
    ap.add_argument("--progs", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--list", action="store_true", help="print the case names")
    ap.add_argument("case", nargs="?")
    args = ap.parse_args()
    if args.list:
        print("\n".join(sorted(CASES)))
        return 0
    if args.case not in CASES:
        print("unknown case %r" % args.case, file=sys.stderr)
        return 1
    if os.geteuid() != 0:
        print("SKIP: the sandbox tests need root")
        return SKIP
    c = Case(args)
    try:
        CASES[args.case](c)
    except Skip as e:
        print("SKIP:", e)
        return SKIP
    except Fail as e:
        print("FAIL:", e)
        return 1
    finally:
        c.close()
    for note in c.notes:
        print("note:", note)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
