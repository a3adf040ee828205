#!/usr/bin/env bash
# The run command: installs the Debian packages, builds `crucible`, creates a
# data folder with an admin account (its password printed once) and a local
# judge account, imports the example problems, and starts the web server and
# a judge daemon on 127.0.0.1:8080.
#
# Safe to run again: an existing data folder, its accounts and problems are
# kept; a server or judge already running is left alone.
#
# Usage: sudo deploy/run.sh            (CRUCIBLE_DATA=DIR to choose the data folder,
#                                       CRUCIBLE_LISTEN=ADDR:PORT the address)
#        sudo deploy/run.sh stop       stops what it started
#        (CRUCIBLE_RUN_DIR=DIR keeps pid and log files elsewhere than /run/crucible)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${CRUCIBLE_DATA:-/var/lib/crucible}"
listen="${CRUCIBLE_LISTEN:-127.0.0.1:8080}"
run_dir="${CRUCIBLE_RUN_DIR:-/run/crucible}"   # pid and log files
crucible="$root/build/crucible"

if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: run as root (sudo deploy/run.sh): the sandbox and the privilege drop need it" >&2
    exit 2
fi

step() { printf '\n== %s\n' "$*"; }

running() {   # running NAME: its pid file names a live process
    local pid
    pid="$(cat "$run_dir/$1.pid" 2>/dev/null)" || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

stop_one() {
    if running "$1"; then
        kill -TERM "$(cat "$run_dir/$1.pid")"
        for _ in $(seq 50); do running "$1" || break; sleep 0.2; done
        echo "stopped $1"
    fi
    rm -f "$run_dir/$1.pid"
}

if [ "${1:-}" = "stop" ]; then
    stop_one judge
    stop_one serve
    exit 0
fi

step "installing Debian packages (deploy/install-deps.sh)"
deploy/install-deps.sh

step "building crucible in build/"
cmake -S . -B build -DCRUCIBLE_SANITIZE=OFF >/dev/null
cmake --build build -j "$(nproc)" --target crucible
"$crucible" --version

mkdir -p "$run_dir"
chmod 0755 "$run_dir"
fresh=0
admin_password=""
if [ ! -f "$data/crucible.db" ]; then
    fresh=1
    step "creating the data folder $data"
    "$crucible" init --data="$data"
    admin_password="$("$crucible" user add --data="$data" --role=admin admin </dev/null |
                      sed -n 's/^password: //p')"
    judge_token="$("$crucible" user add --data="$data" --role=judge judge-local </dev/null |
                   sed -n 's/^token: //p')"
    umask 077
    printf '%s\n' "$judge_token" >"$data/judge.token"
    # The import below uses an API token of the admin; it is not kept.
    import_token="$("$crucible" user token --data="$data" --token-name=quickstart-import admin |
                    sed -n 's/^token: //p')"
    umask 022
else
    step "using the existing data folder $data (nothing in it is replaced)"
fi

step "starting the web server on $listen"
if running serve; then
    echo "already running (pid $(cat "$run_dir/serve.pid"))"
else
    nohup "$crucible" serve --data="$data" --listen="$listen" >>"$run_dir/serve.log" 2>&1 &
    echo $! >"$run_dir/serve.pid"
    for _ in $(seq 100); do
        curl -fsS "http://$listen/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS "http://$listen/healthz" >/dev/null || {
        echo "run.sh: the server did not start; see $run_dir/serve.log" >&2
        tail -n 20 "$run_dir/serve.log" >&2
        exit 1
    }
    echo "serving (pid $(cat "$run_dir/serve.pid"), log $run_dir/serve.log)"
fi

if [ "$fresh" -eq 1 ]; then
    step "importing the example problems (problems/examples/) into the archive"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    for dir in problems/examples/*/; do
        name="$(basename "$dir")"
        (cd "$dir" && python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk("."):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            z.write(p, os.path.normpath(p))' "$tmp/$name.zip")
        answer="$(curl -sS -H "Authorization: Bearer $import_token" -H 'Content-Type: application/zip' \
                  --data-binary @"$tmp/$name.zip" "http://$listen/api/v1/problems")"
        id="$(printf '%s' "$answer" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["problem"]["id"] if "problem" in d else "")')"
        if [ -n "$id" ]; then
            curl -sS -X PATCH -H "Authorization: Bearer $import_token" -H 'Content-Type: application/json' \
                 --data '{"published": true}' "http://$listen/api/v1/problems/$id" >/dev/null
            echo "  $name: problem $id, published"
        else
            echo "  $name: not imported: $answer"
        fi
    done
fi

step "starting a judge daemon (one worker per core)"
if running judge; then
    echo "already running (pid $(cat "$run_dir/judge.pid"))"
else
    nohup "$crucible" judge daemon --server="http://$listen" --token-file="$data/judge.token" \
        >>"$run_dir/judge.log" 2>&1 &
    echo $! >"$run_dir/judge.pid"
    sleep 1
    running judge || { echo "run.sh: the judge did not start; see $run_dir/judge.log" >&2; exit 1; }
    echo "judging (pid $(cat "$run_dir/judge.pid"), log $run_dir/judge.log)"
fi

step "ready"
echo "Crucible is serving on http://$listen (the API: docs/api.md)."
if [ -n "$admin_password" ]; then
    echo "admin account: admin"
    echo "admin password: $admin_password   (shown this once; it is not stored anywhere)"
fi
echo "Stop with: sudo deploy/run.sh stop"
