#!/bin/sh
# init.sh: stage one of the cgroup v2 VM test, /init (PID 1) of the initramfs.
# The sandbox pivot_root()s into each run's root, and pivot_root(2) refuses
# when the caller's root is the initramfs itself (rootfs has no parent
# mount), so copy the tree onto a tmpfs and switch_root into it; stage two
# (/vmtest.sh) then runs on an ordinary root, as on a real machine.
export PATH=/usr/bin:/usr/sbin

fail() {
    echo "VMTEST-ERROR stage one: $*"
    poweroff -f
    exit 1
}

mkdir -p /newroot || fail "cannot create /newroot"
mount -t tmpfs -o mode=0755 root /newroot || fail "cannot mount a tmpfs on /newroot"
for entry in usr bin sbin lib lib64 etc vmtest.sh; do
    cp -a "/$entry" /newroot/ || fail "cannot copy /$entry"
done
mkdir /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp || fail "cannot create mount points"
exec switch_root /newroot /vmtest.sh
fail "switch_root failed"
