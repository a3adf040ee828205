#!/usr/bin/env bash
# The run command: installs the Debian packages, builds `crucible`, creates a
# data folder with an admin account (its password printed once), starts the
# web server on 127.0.0.1:8080 (started as root it runs its own judges: the
# `judges` setting, docs/api.md "Embedded judges"), imports the example
# problems and puts them into a public demo contest, open to everyone and
# running for the next hours.
#
# Safe to run again: an existing data folder, its accounts, problems and
# contests are kept (the demo contest is made only when there is none); a
# server already running is left alone.
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
    stop_one judge      # a judge daemon started by an older run.sh
    stop_one serve      # its embedded judges stop with it
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
    # The import below uses an API token of the admin; it is not kept.
    import_token="$("$crucible" user token --data="$data" --token-name=quickstart-import admin |
                    sed -n 's/^token: //p')"
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

step "the demo contest"
# demo_contest: 0 when a contest named "demo" exists or was made now; 3 when
# one must be made and no token was given. The token comes in the
# environment, not on the command line (where ps shows it).
demo_contest() {
    CRUCIBLE_URL="http://$listen" CRUCIBLE_TOKEN="${1:-}" python3 - <<'PY'
import json, os, sys, time, urllib.error, urllib.request

base, token = os.environ["CRUCIBLE_URL"], os.environ["CRUCIBLE_TOKEN"]

def call(method, path, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(base + path, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=30) as f:
            return f.status, json.loads(f.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")

after = 0
have_contest = None
while True:
    status, body = call("GET", "/api/v1/contests?limit=100" + ("&after=%d" % after if after else ""))
    if status != 200:
        sys.exit("run.sh: GET /api/v1/contests answered %d: %s" % (status, body))
    page = body.get("contests", [])
    for c in page:
        if c.get("short_name") == "demo":
            have_contest = c["id"]
    if len(page) < 100:
        break
    after = page[-1]["id"]
have_course = None
if token:
    status, body = call("GET", "/api/v1/courses")
    have_course = next((c["id"] for c in body.get("courses", []) if c.get("title") == "Demo course"), None)
if have_contest and (have_course or not token):
    print("  the demo contest exists (contest %d): left as it is" % have_contest)
    if have_course:
        print("  the demo course exists (course %d): left as it is" % have_course)
    sys.exit(0)
if not token:
    sys.exit(3)
# The problems in the archive (the examples just imported), in id order.
status, body = call("GET", "/api/v1/problems?limit=26")
problems = sorted(body.get("problems", []), key=lambda p: p["id"])
now = int(time.time())

def demo_course():
    """A course with a lesson and an assignment on hello-sum: students join
    with the code DEMO-COURSE."""
    hello = next((p for p in problems if p["short_name"] == "hello-sum"), None)
    if have_course or not hello:
        return
    status, body = call("POST", "/api/v1/courses", {
        "title": "Demo course", "description": "A first lab: reading input and adding numbers.",
        "join_code": "DEMO-COURSE"})
    if status != 201:
        sys.exit("run.sh: cannot create the demo course: %d %s" % (status, body))
    course = body["id"]
    status, body = call("POST", "/api/v1/courses/%d/units" % course, {"title": "Week 1: input and output"})
    unit = body["id"]
    lesson = ("# Reading two numbers\n\nA program reads $a$ and $b$ and prints $a + b$. With "
              "$|a|, |b| \\le 10^9$ the sum needs 64 bits:\n\n```c\nlong long a, b;\n"
              "scanf(\"%lld %lld\", &a, &b);\nprintf(\"%lld\\n\", a + b);\n```\n\n"
              "{{problem:hello-sum}}\n")
    status, body = call("POST", "/api/v1/courses/%d/lessons" % course,
                        {"unit": unit, "title": "Reading two numbers", "markdown": lesson})
    if status != 201:
        sys.exit("run.sh: cannot create the demo lesson: %d %s" % (status, body))
    status, body = call("POST", "/api/v1/courses/%d/assignments" % course, {
        "title": "Lab 1: sums", "unit": unit, "open_time": now - 60, "due_time": now + 7 * 86400,
        "late_until": now + 9 * 86400, "late_rule": {"kind": "percent_per_day", "value": 10},
        "problems": [{"problem": hello["id"], "points": 100}]})
    if status != 201:
        sys.exit("run.sh: cannot create the demo assignment: %d %s" % (status, body))
    print("  course %d \"Demo course\": a lesson and \"Lab 1: sums\" (due in 7 days); join code DEMO-COURSE"
          % course)

demo_course()
if have_contest:
    print("  the demo contest exists (contest %d): left as it is" % have_contest)
    sys.exit(0)
status, body = call("POST", "/api/v1/contests", {
    "short_name": "demo", "title": "Demo contest", "start_time": now - 60, "duration": 5 * 3600,
    "freeze": 0, "public": True, "registration": "open", "rules": "icpc"})
if status == 409:
    print("  a contest named demo exists: left as it is")
    sys.exit(0)
if status != 201:
    sys.exit("run.sh: cannot create the demo contest: %d %s" % (status, body))
cid = body["id"]
labels = [chr(ord("A") + i) for i in range(len(problems))]
status, body = call("PUT", "/api/v1/contests/%d/problems" % cid,
                    {"problems": [{"problem": p["id"], "label": l} for p, l in zip(problems, labels)]})
if status != 200:
    sys.exit("run.sh: cannot set the demo contest's problems: %d %s" % (status, body))
print("  contest %d \"demo\": %s, running for 5 hours, public, open registration" %
      (cid, ", ".join("%s %s" % (l, p["short_name"]) for p, l in zip(problems, labels))))
PY
}
set +e
demo_contest "${import_token:-}"
rc=$?
set -e
if [ "$rc" -eq 3 ]; then
    demo_token="$("$crucible" user token --data="$data" --token-name=quickstart-demo admin |
                  sed -n 's/^token: //p')"
    demo_contest "$demo_token"
elif [ "$rc" -ne 0 ]; then
    exit 1
fi

step "ready"
echo "Crucible is serving on http://$listen (the API: docs/api.md), judging with its embedded judges."
echo "The demo contest: http://$listen/api/v1/contests (register, then submit with \"contest\")."
echo "The demo course: join it with the code DEMO-COURSE at http://$listen/courses."
if [ -n "$admin_password" ]; then
    echo "admin account: admin"
    echo "admin password: $admin_password   (shown this once; it is not stored anywhere)"
fi
echo "Stop with: sudo deploy/run.sh stop"
