#!/usr/bin/env bash
# The run command: installs the Debian packages, builds `crucible` in build/,
# and shows the sandbox working: `crucible sandbox info`, then a Python 3
# program run inside it. Safe to run again: each step skips finished work.
#
# Usage: sudo deploy/run.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: run as root (sudo deploy/run.sh): the sandbox needs it" >&2
    exit 2
fi

step() { printf '\n== %s\n' "$*"; }

step "installing Debian packages (deploy/install-deps.sh)"
deploy/install-deps.sh

step "building crucible in build/"
cmake -S . -B build -DCRUCIBLE_SANITIZE=OFF >/dev/null
cmake --build build -j "$(nproc)" --target crucible
crucible="$root/build/crucible"
"$crucible" --version

step "crucible sandbox info"
"$crucible" sandbox info
echo

# A throwaway box folder with a small program; removed however the demo ends.
box="$(mktemp -d /tmp/crucible-demo-XXXXXX)"
trap 'rm -rf "$box"' EXIT
chmod 0755 "$box"
cat >"$box/hello.py" <<'PY'
import os, platform, socket
print("hello from Python", platform.python_version(), "inside the Crucible sandbox")
print("pid", os.getpid(), "uid", os.getuid(), "hostname", socket.gethostname())
try:
    socket.create_connection(("1.1.1.1", 80), timeout=1)
    print("network: reachable")
except OSError as e:
    print("network: unreachable (" + e.strerror + ")")
print("sum of 0..9999999 =", sum(range(10_000_000)))
PY

step "crucible sandbox run: python3 /box/hello.py (2 s CPU, 256 MiB)"
cmd=("$crucible" sandbox run --box="$box" --time=2 --memory=256M --processes=4
     --stdout="$box/out.txt" -- /usr/bin/python3 /box/hello.py)
echo "\$ ${cmd[*]}"
rc=0
"${cmd[@]}" || rc=$?
echo
echo "program output (box/out.txt):"
sed 's/^/  /' "$box/out.txt" 2>/dev/null || echo "  (none)"
echo "exit code of crucible sandbox run: $rc"

step "done"
cat <<EOF
crucible is built at $crucible and the sandbox works on this machine.
The web platform (contests, judge, scoreboards) comes with the web issue;
until then this script installs, builds and demonstrates the sandbox only.
See README.md, docs/sandbox.md and docs/performance.md.
EOF
