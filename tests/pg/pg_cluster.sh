#!/bin/sh
# pg_cluster.sh: a throwaway PostgreSQL cluster for the tests (ctest -L pg).
#
#   pg_cluster.sh start DIR     initdb + start (nothing to do if it runs already)
#   pg_cluster.sh stop DIR      stop it (fast) and remove DIR
#   pg_cluster.sh conninfo DIR  print the libpq conninfo: host=DIR user=postgres
#
# The cluster listens on a unix socket in DIR only (no TCP), trusts every
# local connection as the superuser `postgres`, and runs with fsync=off: it
# holds test data and nothing else. DIR itself is world-traversable so that a
# `crucible serve` dropped to `nobody` reaches the socket. Run as root, the
# cluster runs as the `postgres` OS user (initdb refuses root). The socket's
# path, DIR/.s.PGSQL.5432, must fit in 107 bytes: keep DIR short (/tmp/...).
# Exit status: 0 done, 1 failed, 2 usage, 77 PostgreSQL is not installed.
set -eu

usage() {
    echo "usage: pg_cluster.sh start|stop|conninfo DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
case $2 in
    /*) dir=${2%/} ;;
    *) dir=$(pwd)/${2%/} ;;
esac
[ -n "$dir" ] && [ "$dir" != / ] || usage

if [ "${#dir}" -gt 90 ]; then
    echo "pg_cluster.sh: '$dir' is too long for a unix socket path (keep it under 90 bytes)" >&2
    exit 2
fi

# The newest installed PostgreSQL's binaries (Debian: /usr/lib/postgresql/N/bin).
find_bin() {
    best=
    best_n=0
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] || continue
        n=$(basename "$(dirname "$d")")
        case $n in *[!0-9]*) continue ;; esac
        if [ "$n" -gt "$best_n" ]; then
            best=$d
            best_n=$n
        fi
    done
    if [ -z "$best" ] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    echo "$best"
}

# as_owner CMD...: runs CMD as the cluster's owner (postgres when we are root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c '"$0" "$@"' -- "$@"
        fi
    else
        "$@"
    fi
}

# ours DIR: DIR is missing, empty, or was made by this script (so removing it is safe).
ours() {
    [ ! -e "$dir" ] || [ -f "$dir/initdb.log" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]
}

running() {
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

case $cmd in
conninfo)
    echo "host=$dir user=postgres"
    exit 0
    ;;
start|stop) ;;
*) usage ;;
esac

bin=$(find_bin)
if [ -z "$bin" ]; then
    echo "pg_cluster.sh: PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH);" \
         "install the Debian package postgresql (deploy/install-deps.sh)" >&2
    exit 77
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg_cluster.sh: running as root, but there is no 'postgres' user to run the cluster as" >&2
    exit 1
fi

if ! ours; then
    echo "pg_cluster.sh: '$dir' holds files this script did not make; not touching it" >&2
    exit 1
fi
if [ "$cmd" = stop ]; then
    # What the server refused, with the statement, for whoever reads the
    # test's output (some are expected: a unique violation the server answers 409 to).
    if [ -f "$dir/server.log" ] && grep -q "ERROR:" "$dir/server.log"; then
        echo "pg_cluster.sh: errors in $dir/server.log:"
        grep "ERROR:\|STATEMENT:" "$dir/server.log" | tail -n 200
    fi
    if [ -d "$dir/data" ] && running; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    rm -rf "$dir"
    exit 0
fi

# start
if running; then
    echo "pg_cluster.sh: already running in $dir"
    exit 0
fi
# A folder left by a cluster that died (or a half-made one) is started afresh.
rm -rf "$dir"
mkdir -p "$dir"
chmod 0755 "$dir"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
fi
if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1; then
    echo "pg_cluster.sh: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
fi
cat >>"$dir/data/postgresql.conf" <<EOF

# pg_cluster.sh: a throwaway test cluster
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 64MB
log_min_error_statement = error
log_line_prefix = '%m [%p] %d '
EOF
if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    echo "pg_cluster.sh: the server did not start:" >&2
    tail -n 30 "$dir/server.log" >&2 || true
    exit 1
fi
echo "pg_cluster.sh: running in $dir (conninfo: host=$dir user=postgres)"
