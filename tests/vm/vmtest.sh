#!/bin/sh
# vmtest.sh: stage two of the cgroup v2 VM test, PID 1 on a tmpfs root of a
# VM that mounts only the unified cgroup hierarchy (and boots with
# cgroup_no_v1=all), so `crucible sandbox` can only take its v2 path: the
# delegated subtree, memory/pids/cpu controllers, the BPF device filter.
# Prints one "VMTEST NAME PASS|FAIL DETAIL" line per check, "VMTEST-DONE",
# and powers off. run_vm_test.py parses these lines; its EXPECTED list must
# name every check printed here.
export PATH=/usr/local/bin:/usr/bin:/usr/sbin

CG=/sys/fs/cgroup
BASE=$CG/crucible
FAKEDEV=/run/fakedev
PROBE=/usr/bin/vmprobe
TIMEOUT=60
NRUNS=0
LEFT_GROUPS=""
LEFT_PROCS=""
ANY_FAIL=0

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
mount -t tmpfs -o mode=0755 run /run
mount -t tmpfs -o mode=1777 tmp /tmp
# The options systemd uses for the unified hierarchy.
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 $CG ||
    mount -t cgroup2 cgroup2 $CG
# Keep kernel messages (OOM kills) off the console the driver parses.
echo 1 > /proc/sys/kernel/printk

# ---- helpers -----------------------------------------------------------------

# result NAME PASS|FAIL DETAIL...: the one line the driver reads per check.
result() {
    name=$1
    verdict=$2
    shift 2
    [ "$verdict" = PASS ] || ANY_FAIL=1
    echo "VMTEST $name $verdict $(printf '%s' "$*" | tr '\n' '|')"
}

# jget KEY: a field of the JSON object in $OUT (strings without quotes).
jget() {
    echo "$OUT" | sed -n "s/.*\"$1\": \"\{0,1\}\([^\",}]*\).*/\1/p"
}

# between VALUE LOW HIGH: LOW <= VALUE <= HIGH, as numbers.
between() {
    awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 <= hi) }'
}

# Every run's cgroup must be gone, and no process of a run's uid left, as
# soon as crucible returns. Checked after every run; reported at the end.
after_run() {
    NRUNS=$((NRUNS + 1))
    for base in "$@"; do
        for d in "$base"/run-*; do
            [ -e "$d" ] && LEFT_GROUPS="$LEFT_GROUPS $d(after run $NRUNS)"
        done
    done
    for s in /proc/[0-9]*/status; do
        uid=$(awk '/^Uid:/ { print $2 }' "$s" 2>/dev/null)
        if [ -n "$uid" ] && [ "$uid" -ge 60000 ] && [ "$uid" -le 60999 ]; then
            LEFT_PROCS="$LEFT_PROCS ${s#/proc/}:uid=$uid(after run $NRUNS)"
        fi
    done
}

# sbx ARGS...: one `crucible sandbox run`, result JSON in $OUT, exit code in $RC.
sbx() {
    OUT=$(timeout $TIMEOUT crucible sandbox run "$@" 2>/tmp/sbx.err)
    RC=$?
    ERR=$(head -c 300 /tmp/sbx.err)
    after_run "$BASE"
}

summary() {
    echo "rc=$RC status=$(jget status) cpu=$(jget cpu_seconds) wall=$(jget wall_seconds)" \
         "mem=$(jget memory_bytes) message='$(jget message)' stderr='$ERR'"
}

# open_result FILE PATH: what `vmprobe open` printed for PATH.
open_result() {
    awk -v p="$2" '$1 == "open" && $2 == p { print $3 }' "$1"
}

# A character major that no driver in this kernel registered.
free_major() {
    m=500
    while grep -q "^ *$m " /proc/devices; do
        m=$((m - 1))
    done
    echo $m
}

# ---- the environment -----------------------------------------------------------

ctl=$(cat $CG/cgroup.controllers 2>/dev/null)
v1=$(grep -c ' - cgroup ' /proc/self/mountinfo)
if grep -q ' - cgroup2 ' /proc/self/mountinfo && [ "$v1" = 0 ] &&
   echo " $ctl " | grep -q ' memory ' && echo " $ctl " | grep -q ' pids '; then
    result pure_v2 PASS "controllers: $ctl; kernel $(uname -r)"
else
    result pure_v2 FAIL "v1 mounts=$v1 controllers='$ctl'"
fi

# ---- crucible sandbox info -----------------------------------------------------

OUT=$(timeout $TIMEOUT crucible sandbox info 2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
sub=$(cat $CG/cgroup.subtree_control 2>/dev/null)
if [ $RC = 0 ] && echo "$OUT" | grep -q '"usable": true' && echo "$OUT" | grep -q '"cgroup": "v2"' &&
   echo "$OUT" | grep -q "\"cgroup_base\": \"$BASE\"" && [ -d $BASE ] &&
   echo " $sub " | grep -q ' memory ' && echo " $sub " | grep -q ' pids '; then
    result info PASS "cgroup v2, base $BASE, root subtree_control: $sub"
else
    result info FAIL "rc=$RC out=$OUT stderr='$ERR' subtree_control='$sub'"
fi

OUT=$(CRUCIBLE_CGROUP=v1 timeout $TIMEOUT crucible sandbox info 2>/dev/null)
RC=$?
if [ $RC = 1 ] && echo "$OUT" | grep -q '"usable": false'; then
    result forced_v1_refused PASS "message: $(jget missing)"
else
    result forced_v1_refused FAIL "rc=$RC out=$OUT"
fi

# ---- runs ------------------------------------------------------------------------

sbx --time=5 --stdout=/tmp/hello.out -- $PROBE hello
hello=$(cat /tmp/hello.out 2>/dev/null)
if [ "$(jget status)" = ok ] && [ "$(jget exit_code)" = 0 ] && [ "$(jget memory_bytes)" -gt 0 ] 2>/dev/null &&
   echo "$hello" | grep -q '^hello uid=60[0-9][0-9][0-9] cgroup=0::/$'; then
    result run_ok PASS "$hello; memory_bytes=$(jget memory_bytes)"
else
    result run_ok FAIL "$(summary) stdout='$hello'"
fi

sbx --time=1 -- $PROBE spin
if [ "$(jget status)" = time_limit ] && between "$(jget cpu_seconds)" 0.95 2.0; then
    result time_limit PASS "cpu_seconds=$(jget cpu_seconds) wall_seconds=$(jget wall_seconds)"
else
    result time_limit FAIL "$(summary)"
fi

sbx --time=10 --memory=64M -- $PROBE hog 512
if [ "$(jget status)" = memory_limit ] && between "$(jget memory_bytes)" 33554432 67108864; then
    result memory_limit PASS "memory_bytes=$(jget memory_bytes)"
else
    result memory_limit FAIL "$(summary)"
fi

sbx --time=2 --processes=5 -- $PROBE forkbomb
st=$(jget status)
if [ "$RC" = 0 ] && [ -n "$st" ] && [ "$st" != ok ] && [ "$st" != sandbox_error ] &&
   [ -z "$LEFT_PROCS" ] && [ ! -e $BASE/run-0 ]; then
    result fork_bomb PASS "status=$st cpu_seconds=$(jget cpu_seconds); nothing left"
else
    result fork_bomb FAIL "$(summary) left:$LEFT_PROCS"
fi

sbx --wall=1 -- $PROBE sleep 30
if [ "$(jget status)" = wall_limit ] && between "$(jget wall_seconds)" 1.0 3.0 &&
   between "$(jget cpu_seconds)" 0 0.5; then
    result wall_limit PASS "wall_seconds=$(jget wall_seconds) cpu_seconds=$(jget cpu_seconds)"
else
    result wall_limit FAIL "$(summary)"
fi

# Two runs at once take two slots, so two groups side by side.
(timeout $TIMEOUT crucible sandbox run --time=1 -- $PROBE spin > /tmp/c1.json 2>&1) &
c1=$!
(timeout $TIMEOUT crucible sandbox run --time=1 -- $PROBE spin > /tmp/c2.json 2>&1) &
c2=$!
wait $c1
wait $c2
after_run "$BASE"
NRUNS=$((NRUNS + 1))
if grep -q '"status": "time_limit"' /tmp/c1.json && grep -q '"status": "time_limit"' /tmp/c2.json; then
    result concurrent PASS "both time_limit"
else
    result concurrent FAIL "$(cat /tmp/c1.json /tmp/c2.json)"
fi

# ---- devices: the BPF filter -------------------------------------------------------

uvm_major=$(free_major)
mkdir -p $FAKEDEV
mknod $FAKEDEV/nvidia0 c 195 0
mknod $FAKEDEV/nvidia1 c 195 1
mknod $FAKEDEV/nvidiactl c 195 255
mknod $FAKEDEV/nvidia-uvm c "$uvm_major" 0
nv_registered=$(grep -c '^ *195 ' /proc/devices)

probe_paths="/dev/nvidia0 /dev/nvidiactl /dev/nvidia-uvm /dev/nvidia1 /dev/null /dev/zero /dev/urandom"
OUT=$(CRUCIBLE_SANDBOX_DEV=$FAKEDEV timeout $TIMEOUT crucible sandbox run --time=5 --gpus=0 \
      --stdout=/tmp/gpu.out -- $PROBE open $probe_paths 2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
after_run "$BASE"
ok=1
for p in /dev/nvidia0 /dev/nvidiactl /dev/nvidia-uvm; do
    case $(open_result /tmp/gpu.out $p) in ENXIO|ENODEV) ;; *) ok=0 ;; esac
done
[ "$(open_result /tmp/gpu.out /dev/nvidia1)" = ENOENT ] || ok=0
for p in /dev/null /dev/zero /dev/urandom; do
    [ "$(open_result /tmp/gpu.out $p)" = ok ] || ok=0
done
grep -q '^cuda 0$' /tmp/gpu.out || ok=0
[ "$(jget status)" = ok ] && [ "$nv_registered" = 0 ] || ok=0
if [ $ok = 1 ]; then
    result gpu_allowed PASS "$(grep . /tmp/gpu.out | tr '\n' ';')"
else
    result gpu_allowed FAIL "$(summary) major195_registered=$nv_registered out: $(cat /tmp/gpu.out 2>/dev/null)"
fi

OUT=$(CRUCIBLE_SANDBOX_DEV=$FAKEDEV timeout $TIMEOUT crucible sandbox run --time=5 \
      --stdout=/tmp/nogpu.out -- $PROBE open $probe_paths 2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
after_run "$BASE"
ok=1
for p in /dev/nvidia0 /dev/nvidiactl /dev/nvidia-uvm /dev/nvidia1; do
    [ "$(open_result /tmp/nogpu.out $p)" = ENOENT ] || ok=0
done
[ "$(open_result /tmp/nogpu.out /dev/null)" = ok ] || ok=0
grep -q '^cuda (unset)$' /tmp/nogpu.out || ok=0
[ "$(jget status)" = ok ] || ok=0
if [ $ok = 1 ]; then
    result gpu_hidden PASS "$(grep . /tmp/nogpu.out | tr '\n' ';')"
else
    result gpu_hidden FAIL "$(summary) out: $(cat /tmp/nogpu.out 2>/dev/null)"
fi

# While a GPU run sleeps, read its group's limits from outside, then move a
# root shell (all capabilities) into the group: the device filter must still
# refuse a node that is not on the run's list (EPERM), while an allowed node
# without a driver fails further on (ENXIO). The control, outside the group,
# shows that the EPERM comes from the filter.
outside=$($PROBE open $FAKEDEV/nvidia1 /dev/kmsg | tr '\n' ';')
(CRUCIBLE_SANDBOX_DEV=$FAKEDEV timeout $TIMEOUT crucible sandbox run --gpus=0 --wall=5 --memory=48M \
     --processes=3 -- $PROBE sleep 30 > /tmp/bg.json 2>&1) &
bg=$!
rundir=""
for i in $(seq 1 200); do
    for d in $BASE/run-*; do
        # cgroupfs files have no size: read them.
        [ -n "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && rundir=$d
    done
    [ -n "$rundir" ] && break
    sleep 0.05
done
limits=""
inject=""
if [ -n "$rundir" ]; then
    mem_max=$(cat $rundir/memory.max)
    pids_max=$(cat $rundir/pids.max)
    swap_max=$(cat $rundir/memory.swap.max 2>/dev/null || echo absent)
    cg_type=$(cat $rundir/cgroup.type)
    base_sub=$(cat $BASE/cgroup.subtree_control)
    limits="memory.max=$mem_max pids.max=$pids_max memory.swap.max=$swap_max type=$cg_type"
    limits="$limits base subtree_control='$base_sub'"
    inject=$(sh -c "echo \$\$ > $rundir/cgroup.procs && exec $PROBE open $FAKEDEV/nvidia1 $FAKEDEV/nvidia0 /dev/kmsg /dev/null" 2>&1 |
             tr '\n' ';')
fi
wait $bg
after_run "$BASE"
NRUNS=$((NRUNS + 1))
bgstatus=$(sed -n 's/.*"status": "\([a-z_]*\)".*/\1/p' /tmp/bg.json)
# --memory=48M, --processes=3 (+1 for the run's init), no swap.
if [ -n "$rundir" ] && [ "$mem_max" = 50331648 ] && [ "$pids_max" = 4 ] &&
   { [ "$swap_max" = 0 ] || [ "$swap_max" = absent ]; } && [ "$cg_type" = domain ] &&
   echo " $base_sub " | grep -q ' memory ' && echo " $base_sub " | grep -q ' pids ' &&
   [ "$bgstatus" = wall_limit ]; then
    result limits_applied PASS "$rundir: $limits"
else
    result limits_applied FAIL "'$rundir': $limits; run: $(cat /tmp/bg.json)"
fi
case "$inject" in
    "open $FAKEDEV/nvidia1 EPERM;open $FAKEDEV/nvidia0 ENXIO;open /dev/kmsg EPERM;open /dev/null ok;"*)
        case "$outside" in
            "open $FAKEDEV/nvidia1 ENXIO;open /dev/kmsg ok;"*)
                result devfilter_deny PASS "in the run's group: $inject outside: $outside" ;;
            *) result devfilter_deny FAIL "control outside the group: $outside" ;;
        esac ;;
    *) result devfilter_deny FAIL "in the run's group ($rundir): '$inject' outside: $outside" ;;
esac

# ---- delegation: started inside a service's group -----------------------------------

# As systemd would for a unit with Delegate=yes: controllers enabled above,
# the service's main process alone in its group. crucible must move itself
# into <group>/crucible-supervisor before it can enable controllers there.
# (busybox timeout execs the program in its own process and watches from a
# child, so it stays outside: the shell moves, then becomes crucible.)
echo "+memory +pids +cpu" > $CG/cgroup.subtree_control
mkdir $CG/test.service $CG/test2.service

OUT=$(timeout $TIMEOUT sh -c "echo \$\$ > $CG/test.service/cgroup.procs && exec crucible sandbox info" 2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
sub=$(cat $CG/test.service/cgroup.subtree_control 2>/dev/null)
left=$(cat $CG/test.service/cgroup.procs 2>/dev/null)
if [ $RC = 0 ] && echo "$OUT" | grep -q "\"cgroup_base\": \"$CG/test.service/crucible\"" &&
   echo "$OUT" | grep -q '"usable": true' && [ -d $CG/test.service/crucible-supervisor ] &&
   [ -z "$left" ] && echo " $sub " | grep -q ' memory ' && echo " $sub " | grep -q ' pids '; then
    result delegated_info PASS "base $CG/test.service/crucible, subtree_control: $sub"
else
    result delegated_info FAIL "rc=$RC out=$OUT stderr='$ERR' subtree_control='$sub' procs_left='$left'"
fi

OUT=$(timeout $TIMEOUT sh -c "echo \$\$ > $CG/test2.service/cgroup.procs &&
             exec crucible sandbox run --time=5 --stdout=/tmp/hello2.out -- $PROBE hello" \
      2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
after_run "$CG/test2.service/crucible"
hello=$(cat /tmp/hello2.out 2>/dev/null)
if [ "$(jget status)" = ok ] && echo "$hello" | grep -q 'cgroup=0::/$' && [ -d $CG/test2.service/crucible ] &&
   [ -d $CG/test2.service/crucible-supervisor ]; then
    result delegated_run PASS "$hello"
else
    result delegated_run FAIL "$(summary) stdout='$hello' groups: $(ls $CG/test2.service | tr '\n' ' ')"
fi

# A later start from the leaf it moved into (a restarted daemon, a second
# command) reuses the delegated group.
OUT=$(timeout $TIMEOUT sh -c "echo \$\$ > $CG/test.service/crucible-supervisor/cgroup.procs &&
             exec crucible sandbox run --time=10 --memory=64M -- $PROBE hog 512" \
      2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
after_run "$CG/test.service/crucible"
if [ "$(jget status)" = memory_limit ] && between "$(jget memory_bytes)" 33554432 67108864; then
    result delegated_rerun PASS "memory_bytes=$(jget memory_bytes) in $CG/test.service/crucible"
else
    result delegated_rerun FAIL "$(summary)"
fi

# A group that other processes share: a root login shell (its session scope
# holds the shell and sshd) or a service whose main process is a shell that
# starts crucible as a child (the "exit" keeps busybox sh from exec-ing
# crucible in its place). The shell stays, so crucible cannot make that
# group an inner node by moving itself out; systemd has already enabled
# memory and pids in the parent slice.
mkdir -p $CG/user.slice/session-1.scope
echo "+memory +pids +cpu" > $CG/user.slice/cgroup.subtree_control
OUT=$(timeout $TIMEOUT sh -c "echo \$\$ > $CG/user.slice/session-1.scope/cgroup.procs &&
             crucible sandbox run --time=5 --stdout=/tmp/hello3.out -- $PROBE hello; exit \$?" 2>/tmp/sbx.err)
RC=$?
ERR=$(head -c 300 /tmp/sbx.err)
after_run "$CG/user.slice/session-1.scope/crucible" "$CG/user.slice/crucible"
hello=$(cat /tmp/hello3.out 2>/dev/null)
if [ "$(jget status)" = ok ] && echo "$hello" | grep -q 'cgroup=0::/$'; then
    result shared_group_run PASS "$hello; user.slice holds: $(cd $CG/user.slice && echo */)"
else
    result shared_group_run FAIL "$(summary)"
fi

# ---- what every run must leave behind: nothing --------------------------------------

if [ -z "$LEFT_GROUPS" ]; then
    result cgroups_removed PASS "no run-* group left after any of $NRUNS runs"
else
    result cgroups_removed FAIL "left:$LEFT_GROUPS"
fi
if [ -z "$LEFT_PROCS" ]; then
    result no_leftover_processes PASS "no process of uids 60000-60999 after any of $NRUNS runs"
else
    result no_leftover_processes FAIL "left:$LEFT_PROCS"
fi

if [ $ANY_FAIL = 1 ]; then
    # The kernel's complaints, less the OOM reports the memory checks cause.
    dmesg | grep -iE 'bpf|cgroup|error|warn|bug|oops|segfault|trap' | grep -viE 'oom|out of memory|mem_cgroup|memory cgroup|command line' |
        tail -n 20 | sed 's/^/VMLOG /'
fi
echo VMTEST-DONE
sync
poweroff -f
sleep 10
