#!/usr/bin/env python3
"""run_vm_test.py: the sandbox end to end on a pure cgroup v2 system, in a VM.

Build hosts and CI machines are often cgroup v1 or hybrid, where the
sandbox's v2 code (the delegated subtree, memory/pids/cpu controllers, the
BPF device filter) never runs. This boots Debian 12's own kernel under QEMU
with an initramfs that mounts only the unified hierarchy (and passes
cgroup_no_v1=all), runs `crucible sandbox` there on small hostile programs,
and reads one "VMTEST NAME PASS|FAIL DETAIL" line per check from the serial
console (tests/vm/vmtest.sh prints them).

    run_vm_test.py --crucible PATH [--work DIR] [--timeout SECONDS] [--keep]

The initramfs holds busybox-static, the crucible binary with the shared
libraries ldd lists (laid out like Debian 12's merged /usr, which the
sandbox re-creates inside each run), vmprobe.c compiled with -static, and
the two stage scripts. The kernel package is fetched with `apt-get download`
into a cache folder and only its boot/ files are unpacked; nothing is
installed system-wide.

Environment:
  CRUCIBLE_VM_CACHE=DIR    where the kernel (and busybox) are kept between runs
                           (default /var/cache/crucible-vm as root, else
                           ~/.cache/crucible-vm)
  CRUCIBLE_VM_KERNEL=PATH  boot this bzImage instead (its config is not checked)
  CRUCIBLE_VM_ACCEL=auto|kvm|tcg
                           auto (default): KVM when a hardware KVM module
                           (kvm_intel, kvm_amd) drives /dev/kvm, else QEMU's
                           TCG emulator, which needs no /dev/kvm but is slower;
                           kvm: skip when hardware KVM is missing
  CRUCIBLE_TEST_KEEP=1     keep the temporary folder (initramfs, console log)

Exit status: 0 every check passed, 1 a check failed (or the VM did not finish),
77 skipped (not x86-64, no QEMU, no kernel or busybox to be had, a kernel
lacking a needed feature), which CTest reads through SKIP_RETURN_CODE.
"""

import argparse
import contextlib
import fcntl
import os
import platform
import re
import select
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
MULTIARCH = "usr/lib/x86_64-linux-gnu"

# Every check vmtest.sh prints, in order. A missing one is a failure, so a
# VM that stops half-way cannot pass.
EXPECTED = [
    "pure_v2", "info", "forced_v1_refused",
    "run_ok", "time_limit", "memory_limit", "fork_bomb", "wall_limit", "concurrent",
    "gpu_allowed", "gpu_hidden", "limits_applied", "devfilter_deny",
    "delegated_info", "delegated_run", "delegated_rerun", "shared_group_run",
    "cgroups_removed", "no_leftover_processes",
]

# Kernel features the test needs built in: the initramfs carries no modules.
REQUIRED_CONFIG = [
    "BLK_DEV_INITRD", "BINFMT_ELF", "BINFMT_SCRIPT", "TMPFS", "SHMEM", "PROC_FS", "SYSFS",
    "DEVTMPFS", "SERIAL_8250", "SERIAL_8250_CONSOLE", "UNIX",
    "CGROUPS", "MEMCG", "CGROUP_PIDS", "CGROUP_SCHED", "FAIR_GROUP_SCHED", "CGROUP_BPF",
    "BPF_SYSCALL", "NAMESPACES", "PID_NS", "NET_NS", "UTS_NS", "IPC_NS",
    "SECCOMP", "SECCOMP_FILTER",
]

KERNEL_CMDLINE = "console=ttyS0 quiet panic=-1 cgroup_no_v1=all"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1bc")
CHECK_LINE = re.compile(r"VMTEST (\S+) (PASS|FAIL)(?: (.*))?$")


class Skip(Exception):
    pass


def say(msg):
    print("run_vm_test: " + msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


# ---- getting the kernel and busybox ---------------------------------------------

def cache_dir():
    d = os.environ.get("CRUCIBLE_VM_CACHE")
    if not d:
        if os.geteuid() == 0:
            d = "/var/cache/crucible-vm"
        else:
            d = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "crucible-vm")
    os.makedirs(d, exist_ok=True)
    return d


@contextlib.contextmanager
def locked(folder):
    """Concurrent test runs share the cache: one downloads, the others wait."""
    with open(os.path.join(folder, ".lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def apt_package_for(meta):
    """The exact package a meta package (linux-image-amd64) depends on now."""
    if not shutil.which("apt-cache"):
        return None
    r = run(["apt-cache", "depends", meta])
    for line in r.stdout.splitlines():
        m = re.match(r"\s*Depends:\s*(linux-image-\S+)", line)
        if m:
            return m.group(1)
    return None


def unpack_deb(deb, dest, wanted):
    """Unpacks the members of a .deb whose path passes wanted(path) into dest."""
    os.makedirs(dest, exist_ok=True)
    p = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    n = 0
    with tarfile.open(fileobj=p.stdout, mode="r|") as tf:
        for m in tf:
            name = m.name[2:] if m.name.startswith("./") else m.name
            if not wanted(name) or not (m.isfile() or m.isdir()):
                continue
            target = os.path.join(dest, name)
            if m.isdir():
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            src = tf.extractfile(m)
            with open(target + ".part", "wb") as out:
                shutil.copyfileobj(src, out)
            os.chmod(target + ".part", m.mode & 0o755)
            os.replace(target + ".part", target)
            n += 1
    p.stdout.close()
    if p.wait() != 0:
        raise RuntimeError("dpkg-deb --fsys-tarfile %s failed" % deb)
    return n


def apt_download(pkg, folder):
    """apt-get download PKG into folder; returns the .deb path."""
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        raise Skip("apt-get or dpkg-deb is missing: cannot fetch %s" % pkg)
    r = run(["apt-get", "download", "-q", pkg], cwd=folder)
    debs = [f for f in os.listdir(folder) if f.startswith(pkg + "_") and f.endswith(".deb")]
    if r.returncode != 0 or not debs:
        raise Skip("cannot download %s: %s" % (pkg, (r.stderr or r.stdout).strip()[-300:]))
    return os.path.join(folder, sorted(debs)[-1])


def find_vmlinuz(folder):
    boot = os.path.join(folder, "boot")
    if not os.path.isdir(boot):
        return None, None
    kernels = sorted(f for f in os.listdir(boot) if f.startswith("vmlinuz-"))
    if not kernels:
        return None, None
    version = kernels[-1][len("vmlinuz-"):]
    config = os.path.join(boot, "config-" + version)
    return os.path.join(boot, kernels[-1]), (config if os.path.exists(config) else None)


def get_kernel(cache):
    """(bzImage, config or None): Debian's current amd64 kernel, from the cache
    or fetched into it. Falls back to the newest cached one when offline."""
    forced = os.environ.get("CRUCIBLE_VM_KERNEL")
    if forced:
        if not os.path.isfile(forced):
            raise Skip("CRUCIBLE_VM_KERNEL=%s is not a file" % forced)
        return forced, None
    with locked(cache):
        pkg = apt_package_for("linux-image-amd64")
        if pkg:
            folder = os.path.join(cache, pkg)
            kernel, config = find_vmlinuz(folder)
            if kernel:
                return kernel, config
            try:
                say("fetching %s into %s (once)" % (pkg, cache))
                dl = tempfile.mkdtemp(prefix="download-", dir=cache)
                try:
                    deb = apt_download(pkg, dl)
                    unpack_deb(deb, folder + ".part", lambda n: n.startswith("boot/"))
                    if os.path.isdir(folder):
                        shutil.rmtree(folder)
                    os.replace(folder + ".part", folder)
                    for old in os.listdir(cache):   # kernels that Debian has replaced
                        if old.startswith("linux-image-") and old != pkg:
                            shutil.rmtree(os.path.join(cache, old), ignore_errors=True)
                finally:
                    shutil.rmtree(dl, ignore_errors=True)
                kernel, config = find_vmlinuz(folder)
                if kernel:
                    return kernel, config
            except Skip as e:
                say("%s; looking for a cached kernel" % e)
        cached = sorted((d for d in os.listdir(cache) if d.startswith("linux-image-")), reverse=True)
        for d in cached:
            kernel, config = find_vmlinuz(os.path.join(cache, d))
            if kernel:
                return kernel, config
    raise Skip("no kernel: the linux-image-amd64 package cannot be resolved or downloaded "
               "and none is cached in %s (set CRUCIBLE_VM_KERNEL to a bzImage)" % cache)


def check_config(config):
    if not config:
        return
    values = {}
    with open(config) as f:
        for line in f:
            m = re.match(r"CONFIG_(\w+)=(.*)", line)
            if m:
                values[m.group(1)] = m.group(2)
    bad = ["CONFIG_%s=%s" % (k, values.get(k, "unset")) for k in REQUIRED_CONFIG if values.get(k) != "y"]
    if bad:
        raise Skip("the kernel (%s) lacks built-in features the test needs: %s" % (config, ", ".join(bad)))


def elf_interp(path):
    """The ELF program interpreter (PT_INTERP) of a 64-bit binary, or None
    for a static one."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            raise ValueError("%s is not a 64-bit ELF file" % path)
        phoff = int.from_bytes(head[0x20:0x28], "little")
        phentsize = int.from_bytes(head[0x36:0x38], "little")
        phnum = int.from_bytes(head[0x38:0x3a], "little")
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ph = f.read(phentsize)
            if int.from_bytes(ph[0:4], "little") == 3:   # PT_INTERP
                off = int.from_bytes(ph[8:16], "little")
                size = int.from_bytes(ph[32:40], "little")
                f.seek(off)
                return f.read(size).rstrip(b"\0").decode()
    return None


def get_busybox(cache):
    """A statically linked busybox: the installed busybox-static, or one
    fetched into the cache."""
    for p in ("/bin/busybox", "/usr/bin/busybox"):
        try:
            if os.path.isfile(p) and elf_interp(p) is None:
                return p
        except (OSError, ValueError):
            pass
    with locked(cache):
        folder = os.path.join(cache, "busybox-static")
        for sub in ("bin/busybox", "usr/bin/busybox"):
            if os.path.isfile(os.path.join(folder, sub)):
                return os.path.join(folder, sub)
        say("fetching busybox-static into %s (once)" % cache)
        dl = tempfile.mkdtemp(prefix="download-", dir=cache)
        try:
            deb = apt_download("busybox-static", dl)
            unpack_deb(deb, folder, lambda n: n in ("bin/busybox", "usr/bin/busybox"))
        finally:
            shutil.rmtree(dl, ignore_errors=True)
        for sub in ("bin/busybox", "usr/bin/busybox"):
            if os.path.isfile(os.path.join(folder, sub)):
                return os.path.join(folder, sub)
    raise Skip("busybox-static has no busybox binary")


# ---- the initramfs ---------------------------------------------------------------

def copy_file(src, dst, mode=None):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, mode if mode is not None else (os.stat(src).st_mode & 0o755) | 0o444)


def add_libraries(binary, root):
    """Puts the shared libraries binary needs (ldd) where Debian 12 has them:
    real files in /usr/lib/x86_64-linux-gnu, the loader reachable at its
    PT_INTERP path through the merged-/usr links."""
    interp = elf_interp(binary)
    if interp is None:
        return []
    r = run(["ldd", binary])
    if r.returncode != 0:
        raise RuntimeError("ldd %s failed: %s" % (binary, r.stderr.strip()))
    libs = []
    for line in r.stdout.splitlines():
        line = line.strip()
        m = re.match(r"(\S+) => (/\S+) \(0x[0-9a-f]+\)$", line)
        if m:
            libs.append((m.group(1), m.group(2)))
        elif line.startswith("/"):
            path = line.split()[0]
            libs.append((os.path.basename(path), path))
        elif "not found" in line:
            raise RuntimeError("ldd %s: %s" % (binary, line))
    for soname, path in libs:
        copy_file(os.path.realpath(path), os.path.join(root, MULTIARCH, soname), 0o755)
    # /lib64/ld-linux-x86-64.so.2 -> /usr/lib64/... -> the multiarch file.
    inside = interp.lstrip("/")
    for top in ("lib64/", "lib/", "bin/", "sbin/"):
        if inside.startswith(top):
            inside = "usr/" + inside
    loader = os.path.join(MULTIARCH, os.path.basename(interp))
    if inside != loader and not os.path.lexists(os.path.join(root, inside)):
        os.makedirs(os.path.dirname(os.path.join(root, inside)), exist_ok=True)
        os.symlink("/" + loader.replace("usr/", "", 1), os.path.join(root, inside))
    return [soname for soname, _ in libs]


def build_tree(root, crucible, busybox):
    for d in ("usr/bin", "usr/sbin", "usr/local/bin", MULTIARCH, "usr/lib64", "etc", "dev", "proc", "sys",
              "run", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    # Debian 12's merged /usr, which the sandbox re-creates in every run.
    for link, target in (("bin", "usr/bin"), ("sbin", "usr/sbin"), ("lib", "usr/lib"), ("lib64", "usr/lib64")):
        os.symlink(target, os.path.join(root, link))

    copy_file(busybox, os.path.join(root, "usr/bin/busybox"), 0o755)
    r = run([busybox, "--list"])
    applets = [a for a in r.stdout.split() if a and "/" not in a]
    if "sh" not in applets or "switch_root" not in applets:
        raise RuntimeError("%s lacks the sh or switch_root applet" % busybox)
    for a in applets:
        path = os.path.join(root, "usr/bin", a)
        if not os.path.lexists(path):
            os.symlink("busybox", path)

    copy_file(crucible, os.path.join(root, "usr/bin/crucible"), 0o755)
    libs = add_libraries(crucible, root)

    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise RuntimeError("no C compiler to build vmprobe")
    r = run([cc, "-static", "-O2", "-Wall", "-Wextra", "-D_GNU_SOURCE", "-o",
             os.path.join(root, "usr/bin/vmprobe"), os.path.join(HERE, "vmprobe.c")])
    if r.returncode != 0:
        raise RuntimeError("cannot build vmprobe with %s -static: %s" % (cc, r.stderr.strip()[-500:]))

    copy_file(os.path.join(HERE, "init.sh"), os.path.join(root, "init"), 0o755)
    copy_file(os.path.join(HERE, "vmtest.sh"), os.path.join(root, "vmtest.sh"), 0o755)
    return libs


def write_cpio(root, out_path):
    """An uncompressed newc archive of root (owned by root:root), plus
    /dev/console, which the kernel opens for init's stdio."""
    ino = [0]

    def entry(out, name, mode, data=b"", rdev=(0, 0), nlink=1):
        ino[0] += 1
        namez = name.encode() + b"\0"
        fields = [ino[0], mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(namez), 0]
        out.write(b"070701" + b"".join(b"%08X" % v for v in fields))
        out.write(namez + b"\0" * ((-(110 + len(namez))) % 4))
        out.write(data + b"\0" * ((-len(data)) % 4))

    with open(out_path, "wb") as out:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, root)
            for name in sorted(dirnames) + sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = name if rel_dir == "." else os.path.join(rel_dir, name)
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    entry(out, rel, stat.S_IFLNK | 0o777, os.readlink(full).encode())
                elif stat.S_ISDIR(st.st_mode):
                    entry(out, rel, stat.S_IFDIR | 0o755, nlink=2)
                elif stat.S_ISREG(st.st_mode):
                    with open(full, "rb") as f:
                        entry(out, rel, stat.S_IFREG | (st.st_mode & 0o777), f.read())
        entry(out, "dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
        entry(out, "TRAILER!!!", 0)


# ---- the VM ----------------------------------------------------------------------

def choose_accel():
    want = os.environ.get("CRUCIBLE_VM_ACCEL", "auto")
    if want not in ("auto", "kvm", "tcg"):
        raise Skip("CRUCIBLE_VM_ACCEL=%s: use auto, kvm or tcg" % want)
    kvm_ok = os.access("/dev/kvm", os.R_OK | os.W_OK)
    # /dev/kvm may also come from a software backend (PVM, in some cloud
    # sandboxes) that runs only specially built guest kernels, and a stock
    # kernel then crawls for minutes: only kvm_intel or kvm_amd count.
    hw = [m for m in ("kvm_intel", "kvm_amd") if os.path.isdir("/sys/module/" + m)]
    if want == "tcg":
        return "tcg", "CRUCIBLE_VM_ACCEL=tcg"
    if kvm_ok and hw:
        return "kvm", "/dev/kvm through %s" % hw[0]
    why = ("/dev/kvm is missing" if not os.path.exists("/dev/kvm") else
           "/dev/kvm is not usable by this user" if not kvm_ok else
           "/dev/kvm is not backed by kvm_intel or kvm_amd (loaded: %s)" %
           ", ".join(sorted(m for m in os.listdir("/sys/module") if m.startswith("kvm"))))
    if want == "kvm":
        raise Skip("CRUCIBLE_VM_ACCEL=kvm but %s" % why)
    return "tcg", "software emulation (TCG): %s" % why


def boot(qemu, accel, kernel, initrd, timeout, log_path):
    """Boots the VM; returns (console lines, finished, why it stopped)."""
    if accel == "kvm":
        accel_args = ["-enable-kvm", "-cpu", "host"]
    else:
        accel_args = ["-accel", "tcg,thread=multi", "-cpu", "max"]
    cmd = [qemu] + accel_args + [
        "-m", "1024", "-smp", "2", "-nographic", "-nodefaults", "-serial", "stdio", "-monitor", "none",
        "-no-reboot", "-kernel", kernel, "-initrd", initrd, "-append", KERNEL_CMDLINE]
    say("booting: " + " ".join(cmd))
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines, pending, done, why = [], b"", False, ""
    with open(log_path, "wb") as log:
        while True:
            left = start + timeout - time.monotonic()
            if left <= 0:
                why = "the VM did not finish within %d s" % timeout
                break
            ready, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                why = "QEMU exited with status %s" % p.wait()
                break
            log.write(chunk)
            log.flush()
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                line = ANSI.sub("", raw.decode("utf-8", "replace")).replace("\r", "")
                lines.append(line)
                if line.strip().endswith("VMTEST-DONE"):
                    done = True
            if done:
                break
    if p.poll() is None:
        try:
            p.wait(timeout=15)    # poweroff -f follows VMTEST-DONE
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if pending:
        lines.append(ANSI.sub("", pending.decode("utf-8", "replace")).replace("\r", ""))
    say("the VM ran for %.1f s" % (time.monotonic() - start))
    return lines, done, why


def evaluate(lines, done, why):
    """Prints the VMTEST lines; True when every expected check passed."""
    seen, ok = {}, True
    for line in lines:
        m = CHECK_LINE.search(line)
        if m:
            name, verdict, detail = m.group(1), m.group(2), m.group(3) or ""
            print("VMTEST %s %s %s" % (name, verdict, detail), flush=True)
            if name in seen:
                print("VMTEST %s FAIL printed twice" % name)
                ok = False
            seen[name] = verdict
            if verdict != "PASS":
                ok = False
            if name not in EXPECTED:
                print("VMTEST %s FAIL not in run_vm_test.py's EXPECTED list" % name)
                ok = False
        elif "VMTEST-ERROR" in line or line.startswith("VMLOG "):
            print(line, flush=True)
            ok = ok and "VMTEST-ERROR" not in line
    for name in EXPECTED:
        if name not in seen:
            print("VMTEST %s FAIL never reported (%s)" % (name, why or "the VM stopped before it"))
            ok = False
    if not done:
        ok = False
        print("VMTEST-DONE missing: %s; the console's last lines:" % (why or "no end marker"))
        for line in lines[-40:]:
            print("  | " + line)
    else:
        print("VMTEST-DONE")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crucible", required=True, help="the crucible binary to test")
    ap.add_argument("--work", default=None, help="folder for the temporary files (default: the system's)")
    ap.add_argument("--timeout", type=int, default=0,
                    help="seconds the VM may run (default 120 with KVM, 240 with TCG)")
    ap.add_argument("--keep", action="store_true", help="keep the initramfs and the console log")
    args = ap.parse_args()

    if platform.machine() != "x86_64":
        raise Skip("the VM test boots an amd64 kernel; this machine is %s" % platform.machine())
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Skip("qemu-system-x86_64 is not installed (deploy/install-deps.sh installs qemu-system-x86)")
    accel, accel_why = choose_accel()
    crucible = os.path.abspath(args.crucible)
    if not os.access(crucible, os.X_OK):
        print("run_vm_test: %s is not an executable" % crucible)
        return 1

    cache = cache_dir()
    kernel, config = get_kernel(cache)
    check_config(config)
    busybox = get_busybox(cache)
    say("kernel %s; busybox %s; accelerator: %s" % (kernel, busybox, accel_why))

    if args.work:
        os.makedirs(args.work, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vmtest-", dir=args.work)
    keep = args.keep or os.environ.get("CRUCIBLE_TEST_KEEP") == "1"
    ok = False
    try:
        root = os.path.join(tmp, "root")
        libs = build_tree(root, crucible, busybox)
        initrd = os.path.join(tmp, "initramfs.cpio")
        write_cpio(root, initrd)
        say("initramfs %s: %.1f MiB (crucible with %s)" %
            (initrd, os.path.getsize(initrd) / 2**20, ", ".join(libs) or "no shared libraries"))
        timeout = args.timeout or (120 if accel == "kvm" else 240)
        lines, done, why = boot(qemu, accel, kernel, initrd, timeout, os.path.join(tmp, "console.log"))
        ok = evaluate(lines, done, why)
    finally:
        if keep or not ok:
            say("kept %s (console.log, initramfs.cpio)" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Skip as e:
        print("SKIP: %s" % e, flush=True)
        sys.exit(SKIP)
