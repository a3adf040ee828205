/*
 * devbpf.c: the cgroup v2 device allow-list. v2 has no devices.allow file;
 * instead a BPF_PROG_TYPE_CGROUP_DEVICE program attached to the run's group
 * answers each open/mknod of a device node. Ours allows exactly the listed
 * character devices and nothing else. The program is written as raw BPF
 * instructions, so we need no libbpf; it lives as long as the group does.
 */
#include "sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_DEV_RULES 32

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

int sbx_devbpf_attach(const char *cgroup_dir, const dev_t *devices, size_t n, struct err *err)
{
    if (n > MAX_DEV_RULES)
        return err_set(err, ERR_LIMIT, "too many devices for the device filter");
    struct bpf_insn prog[8 + 5 * MAX_DEV_RULES];
    size_t k = 0;
    /* r2 = access_type & 0xffff (the device type), r3 = major, r4 = minor */
    prog[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct bpf_cgroup_dev_ctx, access_type), 0);
    prog[k++] = INSN(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
    prog[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, offsetof(struct bpf_cgroup_dev_ctx, major), 0);
    prog[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 4, 1, offsetof(struct bpf_cgroup_dev_ctx, minor), 0);
    for (size_t i = 0; i < n; i++) {
        /* if (type == char && major == M && minor == m) return 1; */
        prog[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 4, BPF_DEVCG_DEV_CHAR);
        prog[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 3, 0, 3, (int)major(devices[i]));
        prog[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 2, (int)minor(devices[i]));
        prog[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
        prog[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
    prog[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    prog[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uint64_t)(uintptr_t)prog;
    attr.insn_cnt = (uint32_t)k;
    attr.license = (uint64_t)(uintptr_t)"GPL";
    int prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
    if (prog_fd < 0)
        return err_sys(err, "cannot load the device filter");

    int cg_fd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg_fd < 0) {
        close(prog_fd);
        return err_sys(err, "cannot open cgroup '%s'", cgroup_dir);
    }
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cg_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    int rc = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr));
    int saved = errno;
    close(cg_fd);
    close(prog_fd);   /* the attachment holds its own reference */
    errno = saved;
    if (rc < 0)
        return err_sys(err, "cannot attach the device filter to '%s'", cgroup_dir);
    return 0;
}
