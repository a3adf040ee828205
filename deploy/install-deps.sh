#!/usr/bin/env bash
# Installs every Debian 12 package that Crucible's build, tests and demo need.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run as root (or with sudo)" >&2
    exit 2
fi

packages=(
    # build
    build-essential cmake pkg-config clang
    # libraries the C code links
    libseccomp-dev libcap-dev libcjson-dev libmicrohttpd-dev libsqlite3-dev
    libsodium-dev libcurl4-openssl-dev libarchive-dev libyaml-dev libmd4c-dev libmd4c-html0-dev
    # pg: the PostgreSQL engine links libpq; its tests (ctest -L pg) run a
    # throwaway cluster of their own with the server's binaries (tests/pg)
    libpq-dev postgresql
    # the judge's languages (judge/languages.yaml); the example packages have a
    # solution in each, so problem verify needs them all (CUDA only where nvcc is)
    python3 default-jdk-headless fp-compiler rustc nodejs
    # deploy/run.sh talks to the server with curl
    curl
    # benchmark comparison and test helpers (tests/bench: bwrap, and wrk against
    # nginx serving a static file, the ceiling for the web server's figures)
    bubblewrap procps iproute2 wrk nginx-light
    # regenerating the AI metric fixtures and the iris-ai data (tests/problems/ai_fixtures)
    python3-sklearn
    # the cgroup v2 VM test (tests/vm): QEMU boots Debian's kernel with busybox
    qemu-system-x86 busybox-static
    # the browser UI (web/ui) serves these libraries; its tests (tests/ui) drive chromium
    libjs-katex libjs-codemirror libjs-chart.js chromium fonts-wqy-microhei
)
# npm for the UI tests' playwright-core; a Node.js from another source
# (NodeSource) brings its own npm and conflicts with Debian's package.
command -v npm >/dev/null || packages+=(npm)

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    # Debian starts nginx on port 80 when it is installed; the benchmark
    # starts its own with a configuration of its own, so the service stays off.
    if printf '%s\n' "${missing[@]}" | grep -qx nginx-light; then
        { systemctl disable --now nginx || service nginx stop; } >/dev/null 2>&1 || true
    fi
    # pg: Debian starts its `main` cluster on port 5432 when postgresql is
    # installed; the tests need none of it, so it stays off until a deployment
    # enables it (docs/deploy.md, "Several web processes with PostgreSQL").
    if printf '%s\n' "${missing[@]}" | grep -qx postgresql; then
        { systemctl disable --now postgresql || service postgresql stop; } >/dev/null 2>&1 || true
    fi
fi

# The UI tests' npm packages (tests/ui/package-lock.json), exactly as locked.
ui_tests="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/ui" && pwd)"
if [ ! -f "$ui_tests/node_modules/.package-lock.json" ] ||
   [ "$ui_tests/package-lock.json" -nt "$ui_tests/node_modules/.package-lock.json" ]; then
    (cd "$ui_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
