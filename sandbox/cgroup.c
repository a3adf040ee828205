/*
 * cgroup.c: one cgroup per run, in cgroup v2 (a delegated subtree) or v1
 * (memory, cpuacct, pids and devices hierarchies, as on hybrid hosts).
 *
 * How this works: at context creation we read /proc/self/mountinfo and
 * /proc/self/cgroup, pick v2 when a cgroup2 hierarchy offers the memory and
 * pids controllers, else v1 when the memory, cpuacct and pids hierarchies are
 * mounted, and prepare a "crucible" folder under our own cgroup. Each run then
 * gets crucible/run-SLOT (the slot is exclusive, see run.c), is limited there,
 * measured from the group's counters, and the group is emptied and removed
 * when the run ends.
 */
#include "sandbox_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static const char *const v1_names[SBX_V1_CONTROLLERS] = { "memory", "cpuacct", "pids", "devices" };

int sbx_write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

static ssize_t read_small(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    out[n] = '\0';
    return n;
}

int sbx_read_u64(const char *path, uint64_t *out)
{
    char text[64];
    if (read_small(path, text, sizeof(text)) < 0)
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text)
        return -1;
    *out = v;
    return 0;
}

int sbx_read_keyed(const char *path, const char *key, uint64_t *out)
{
    char text[4096];
    if (read_small(path, text, sizeof(text)) < 0)
        return -1;
    size_t klen = strlen(key);
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
            *out = strtoull(line + klen + 1, NULL, 10);
            return 0;
        }
        line = next;
    }
    return -1;
}

static int path_join(char *out, size_t size, const char *a, const char *b)
{
    size_t al = strlen(a);
    while (al > 1 && a[al - 1] == '/')
        al--;
    while (b[0] == '/')
        b++;
    return str_fmt(out, size, "%.*s%s%s", (int)al, a, b[0] ? "/" : "", b) < 0 ? -1 : 0;
}

/* Whether the comma-separated list holds the word. */
static int list_has(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, word, n) && (p[n] == ',' || !p[n]))
            return 1;
    return 0;
}

/* Our own cgroup path in the hierarchy whose /proc/self/cgroup line has the
 * given id field ("0" for v2) or lists the controller. */
/* Copies the next line of *text into line (without the newline). */
static int next_line(const char **text, char *line, size_t size)
{
    if (!**text)
        return 0;
    size_t n = strcspn(*text, "\n");
    str_fmt(line, size, "%.*s", (int)(n < size ? n : size - 1), *text);
    *text += n + ((*text)[n] == '\n');
    return 1;
}

static int own_cgroup(const char *text, const char *controller, char *out, size_t size)
{
    char line[1024];
    int found = -1;
    while (next_line(&text, line, sizeof(line))) {
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c1 = '\0';
        *c2 = '\0';
        const char *ctls = c1 + 1, *path = c2 + 1;
        int match = 0;
        if (!controller) {
            match = strcmp(line, "0") == 0 && !*ctls;
        } else {
            match = list_has(ctls, controller);
        }
        if (match) {
            str_fmt(out, size, "%s", path);
            found = 0;
            break;
        }
    }
    return found;
}

/* Finds the mount point of a cgroup hierarchy: cgroup2 when controller is
 * NULL, else the v1 hierarchy carrying that controller. */
static int find_mount(const char *text, const char *controller, char *out, size_t size)
{
    char line[2048];
    int found = -1;
    while (found < 0 && next_line(&text, line, sizeof(line))) {
        /* id parent maj:min root mountpoint opts [optional...] - fstype source superopts */
        char *sep = strstr(line, " - ");
        if (!sep)
            continue;
        char fstype[64], source[256], superopts[1024];
        if (sscanf(sep + 3, "%63s %255s %1023s", fstype, source, superopts) != 3)
            continue;
        char root[SBX_PATH_MAX], mnt[SBX_PATH_MAX];
        if (sscanf(line, "%*s %*s %*s %511s %511s", root, mnt) != 2)
            continue;
        if (strcmp(root, "/") != 0)
            continue;   /* a bind of a sub-folder: not the hierarchy's root */
        if (!controller) {
            if (!strcmp(fstype, "cgroup2")) {
                str_fmt(out, size, "%s", mnt);
                found = 0;
            }
        } else if (!strcmp(fstype, "cgroup")) {
            if (list_has(superopts, controller)) {
                str_fmt(out, size, "%s", mnt);
                found = 0;
            }
        }
    }
    return found;
}

static int has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; (p = strstr(p, word)); p += n)
        if ((p == text || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
            return 1;
    return 0;
}

static int mkdir_ok(const char *path)
{
    return (mkdir(path, 0755) == 0 || errno == EEXIST) ? 0 : -1;
}

/* v2: make <own>/crucible with memory, pids (and cpu) delegated to children.
 * If our own group holds processes (a systemd service with Delegate=yes),
 * the "no internal processes" rule forbids enabling controllers there, so
 * we first move ourselves into a leaf <own>/crucible-supervisor. */
static int v2_prepare(struct sbx_cgroups *cgs, const char *cgtext, const char *mnt, struct err *err)
{
    char own[SBX_PATH_MAX], parent[SBX_PATH_MAX], path[SBX_PATH_MAX];
    if (own_cgroup(cgtext, NULL, own, sizeof(own)) < 0)
        return err_set(err, ERR_UNSUPPORTED, "cannot find our cgroup v2 path");
    size_t ol = strlen(own);
    const char *leaf = "/crucible-supervisor";
    if (ol >= strlen(leaf) && !strcmp(own + ol - strlen(leaf), leaf))
        own[ol - strlen(leaf)] = '\0';
    if (path_join(parent, sizeof(parent), mnt, own) < 0)
        return err_set(err, ERR_LIMIT, "cgroup path too long");

    char ctl[256];
    if (path_join(path, sizeof(path), parent, "cgroup.controllers") < 0 ||
        read_small(path, ctl, sizeof(ctl)) < 0)
        return err_sys(err, "cannot read '%s'", path);
    const char *want_all[] = { "memory", "pids", "cpu" };
    cgs->missing[0] = '\0';
    for (int i = 0; i < 2; i++)
        if (!has_word(ctl, want_all[i]))
            str_fmt(cgs->missing + strlen(cgs->missing), sizeof(cgs->missing) - strlen(cgs->missing),
                     "%scgroup v2 controller '%s'", cgs->missing[0] ? ", " : "", want_all[i]);
    if (cgs->missing[0])
        return err_set(err, ERR_UNSUPPORTED, "missing %s in '%s'", cgs->missing, parent);

    const char *enable = has_word(ctl, "cpu") ? "+memory +pids +cpu" : "+memory +pids";
    path_join(path, sizeof(path), parent, "cgroup.subtree_control");
    if (sbx_write_file(path, enable) < 0) {
        if (errno != EBUSY)
            return err_sys(err, "cannot enable controllers in '%s'", path);
        char procs[SBX_PATH_MAX], pid[32], list[64];
        str_fmt(pid, sizeof(pid), "%d", (int)getpid());
        path_join(procs, sizeof(procs), parent, "cgroup.procs");
        ssize_t n = read_small(procs, list, sizeof(list));
        if (n > 0 && list[n - 1] == '\n')
            list[n - 1] = '\0';
        if (n > 0 && !strcmp(list, pid)) {
            /* We are alone in our group (a Delegate=yes service): move into
             * a leaf so that the group may enable controllers. */
            char sup[SBX_PATH_MAX];
            path_join(sup, sizeof(sup), parent, "crucible-supervisor");
            path_join(procs, sizeof(procs), sup, "cgroup.procs");
            if (mkdir_ok(sup) < 0 || sbx_write_file(procs, pid) < 0)
                return err_sys(err, "cannot move into '%s'", sup);
            if (sbx_write_file(path, enable) < 0)
                return err_sys(err, "cannot enable controllers in '%s'", path);
        } else {
            /* Others share our group (a login session's scope, a wrapper
             * shell): it can never become an inner node. Its parent
             * already enables memory and pids (our cgroup.controllers
             * lists them), so the runs' base goes there instead. */
            char *slash = strrchr(own, '/');
            if (!slash || slash == own)
                own[1] = '\0', own[0] = '/';
            else
                *slash = '\0';
            if (path_join(parent, sizeof(parent), mnt, own) < 0)
                return err_set(err, ERR_LIMIT, "cgroup path too long");
        }
    }
    if (path_join(cgs->v2_base, sizeof(cgs->v2_base), parent, "crucible") < 0)
        return err_set(err, ERR_LIMIT, "cgroup path too long");
    if (mkdir_ok(cgs->v2_base) < 0)
        return err_sys(err, "cannot create '%s'", cgs->v2_base);
    path_join(path, sizeof(path), cgs->v2_base, "cgroup.subtree_control");
    if (sbx_write_file(path, enable) < 0)
        return err_sys(err, "cannot enable controllers in '%s'", path);
    path_join(path, sizeof(path), cgs->v2_base, "memory.swap.max");
    cgs->v2_swap = access(path, F_OK) == 0;
    path_join(path, sizeof(path), cgs->v2_base, "memory.peak");
    cgs->v2_peak = access(path, F_OK) == 0;
    cgs->mode = SBX_CGROUP_V2;
    return 0;
}

static int v1_prepare(struct sbx_cgroups *cgs, const char *mounts, const char *cgtext, struct err *err)
{
    cgs->missing[0] = '\0';
    for (int i = 0; i < SBX_V1_CONTROLLERS; i++) {
        char mnt[SBX_PATH_MAX], own[SBX_PATH_MAX], parent[SBX_PATH_MAX];
        cgs->v1_base[i][0] = '\0';
        if (find_mount(mounts, v1_names[i], mnt, sizeof(mnt)) < 0 || own_cgroup(cgtext, v1_names[i], own, sizeof(own)) < 0) {
            str_fmt(cgs->missing + strlen(cgs->missing), sizeof(cgs->missing) - strlen(cgs->missing),
                     "%scgroup v1 controller '%s'", cgs->missing[0] ? ", " : "", v1_names[i]);
            continue;
        }
        if (path_join(parent, sizeof(parent), mnt, own) < 0 ||
            path_join(cgs->v1_base[i], sizeof(cgs->v1_base[i]), parent, "crucible") < 0)
            return err_set(err, ERR_LIMIT, "cgroup path too long");
    }
    /* memory, cpuacct and pids are required; devices only for GPU runs and
     * for the /dev allow-list, which the mount setup enforces as well. */
    if (!cgs->v1_base[SBX_V1_MEMORY][0] || !cgs->v1_base[SBX_V1_CPUACCT][0] || !cgs->v1_base[SBX_V1_PIDS][0])
        return err_set(err, ERR_UNSUPPORTED, "missing %s", cgs->missing);
    for (int i = 0; i < SBX_V1_CONTROLLERS; i++)
        if (cgs->v1_base[i][0] && mkdir_ok(cgs->v1_base[i]) < 0)
            return err_sys(err, "cannot create '%s'", cgs->v1_base[i]);
    char path[SBX_PATH_MAX];
    path_join(path, sizeof(path), cgs->v1_base[SBX_V1_MEMORY], "memory.memsw.limit_in_bytes");
    cgs->v1_memsw = access(path, F_OK) == 0;
    cgs->mode = SBX_CGROUP_V1;
    return 0;
}

int sbx_cgroups_detect(struct sbx_cgroups *cgs, enum sbx_cgroup_mode force, struct err *err)
{
    memset(cgs, 0, sizeof(*cgs));
    struct buf mounts, cgtext;
    buf_init(&mounts, 1 << 20);
    buf_init(&cgtext, 1 << 16);
    int rc;
    if ((rc = buf_read_file(&mounts, "/proc/self/mountinfo", err)) < 0 ||
        (rc = buf_read_file(&cgtext, "/proc/self/cgroup", err)) < 0)
        goto out;

    char mnt[SBX_PATH_MAX];
    struct err e2 = { 0 };
    int have_v2 = find_mount(mounts.buf, NULL, mnt, sizeof(mnt)) == 0;
    if (force == SBX_CGROUP_V2 || (force == SBX_CGROUP_NONE && have_v2)) {
        if (!have_v2) {
            rc = err_set(err, ERR_UNSUPPORTED, "no cgroup2 file system is mounted");
            goto out;
        }
        rc = v2_prepare(cgs, cgtext.buf, mnt, &e2);
        if (rc == 0 || force == SBX_CGROUP_V2) {
            if (rc < 0)
                err_set(err, rc, "cgroup v2: %s", e2.msg);
            goto out;
        }
    }
    char v2msg[ERR_MSG_MAX];
    str_fmt(v2msg, sizeof(v2msg), "%s", e2.msg);
    rc = v1_prepare(cgs, mounts.buf, cgtext.buf, &e2);
    if (rc < 0) {
        if (have_v2 && force == SBX_CGROUP_NONE)
            err_set(err, rc, "no usable cgroups: v2: %s; v1: %s", v2msg, e2.msg);
        else
            err_set(err, rc, "no usable cgroups: v1: %s", e2.msg);
        str_fmt(cgs->missing, sizeof(cgs->missing), "%s", err ? err->msg : e2.msg);
        cgs->mode = SBX_CGROUP_NONE;
    }
out:
    buf_release(&mounts);
    buf_release(&cgtext);
    return rc;
}

/* ---- one run's group ---------------------------------------------------- */

static int write_at(const char *dir, const char *file, const char *text)
{
    char path[SBX_PATH_MAX];
    if (path_join(path, sizeof(path), dir, file) < 0)
        return -1;
    return sbx_write_file(path, text);
}

static int read_at(const char *dir, const char *file, uint64_t *out)
{
    char path[SBX_PATH_MAX];
    if (path_join(path, sizeof(path), dir, file) < 0)
        return -1;
    return sbx_read_u64(path, out);
}

static int keyed_at(const char *dir, const char *file, const char *key, uint64_t *out)
{
    char path[SBX_PATH_MAX];
    if (path_join(path, sizeof(path), dir, file) < 0)
        return -1;
    return sbx_read_keyed(path, key, out);
}

/* SIGKILLs every process listed in dir/cgroup.procs; returns how many it saw. */
static int kill_listed(const char *dir)
{
    char path[SBX_PATH_MAX], text[8192];
    if (path_join(path, sizeof(path), dir, "cgroup.procs") < 0 || read_small(path, text, sizeof(text)) < 0)
        return 0;
    int n = 0;
    for (char *p = text; *p;) {
        char *end;
        long pid = strtol(p, &end, 10);
        if (end == p)
            break;
        if (pid > 0) {
            kill((pid_t)pid, SIGKILL);
            n++;
        }
        p = end;
        while (*p == '\n')
            p++;
    }
    return n;
}

/* Empties and removes one cgroup folder. The run's PID namespace is already
 * gone when this is called, which killed every process in it; this loop is
 * the second line of defence, and rmdir retries while exiting tasks linger. */
static int remove_group(const char *dir, int has_kill_file, struct err *err)
{
    if (!dir[0])
        return 0;
    if (has_kill_file)
        write_at(dir, "cgroup.kill", "1");
    for (int tries = 0; tries < 2000; tries++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            return err_sys(err, "cannot remove cgroup '%s'", dir);
        kill_listed(dir);
        struct timespec ts = { 0, tries < 100 ? 100000 : 1000000 };
        nanosleep(&ts, NULL);
    }
    return err_set(err, ERR_SYSTEM, "cgroup '%s' stays busy", dir);
}

static int v1_devices(const char *dir, const dev_t *devs, size_t n)
{
    if (write_at(dir, "devices.deny", "a") < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char rule[64];
        str_fmt(rule, sizeof(rule), "c %u:%u rwm", major(devs[i]), minor(devs[i]));
        if (write_at(dir, "devices.allow", rule) < 0)
            return -1;
    }
    return 0;
}

int sbx_cgroup_create(struct sbx_cgroup *cg, const struct sbx_cgroups *cgs, unsigned slot,
                      const struct sbx_cg_limits *lim, struct err *err)
{
    memset(cg, 0, sizeof(*cg));
    cg->cgs = cgs;
    char name[32], num[32];
    str_fmt(name, sizeof(name), "run-%u", slot);
    str_fmt(num, sizeof(num), "%d", lim->pids);

    if (cgs->mode == SBX_CGROUP_V2) {
        if (path_join(cg->v2_path, sizeof(cg->v2_path), cgs->v2_base, name) < 0)
            return err_set(err, ERR_LIMIT, "cgroup path too long");
        /* A group left by a crashed run of this slot is emptied first. */
        remove_group(cg->v2_path, 1, NULL);
        if (mkdir(cg->v2_path, 0755) < 0) {
            cg->v2_path[0] = '\0';
            return err_sys(err, "cannot create cgroup '%s/%s'", cgs->v2_base, name);
        }
        if (lim->memory) {
            char mem[32];
            str_fmt(mem, sizeof(mem), "%llu", (unsigned long long)lim->memory);
            if (write_at(cg->v2_path, "memory.max", mem) < 0)
                return err_sys(err, "cannot set memory.max");
        }
        write_at(cg->v2_path, "memory.swap.max", "0");   /* absent without swap accounting */
        if (write_at(cg->v2_path, "pids.max", num) < 0)
            return err_sys(err, "cannot set pids.max");
        if (sbx_devbpf_attach(cg->v2_path, lim->devices, lim->ndevices, err) < 0)
            return -1;
        return 0;
    }
    if (cgs->mode != SBX_CGROUP_V1)
        return err_set(err, ERR_UNSUPPORTED, "no usable cgroups: %s", cgs->missing);

    for (int i = 0; i < SBX_V1_CONTROLLERS; i++) {
        if (!cgs->v1_base[i][0])
            continue;
        if (path_join(cg->v1_path[i], sizeof(cg->v1_path[i]), cgs->v1_base[i], name) < 0)
            return err_set(err, ERR_LIMIT, "cgroup path too long");
        remove_group(cg->v1_path[i], 0, NULL);
        if (mkdir(cg->v1_path[i], 0755) < 0) {
            cg->v1_path[i][0] = '\0';
            return err_sys(err, "cannot create cgroup '%s/%s'", cgs->v1_base[i], name);
        }
    }
    const char *memdir = cg->v1_path[SBX_V1_MEMORY];
    if (lim->memory) {
        char mem[32];
        str_fmt(mem, sizeof(mem), "%llu", (unsigned long long)lim->memory);
        if (write_at(memdir, "memory.limit_in_bytes", mem) < 0)
            return err_sys(err, "cannot set memory.limit_in_bytes");
        /* memsw counts memory + swap: equal limits mean no swap at all. */
        if (cgs->v1_memsw && write_at(memdir, "memory.memsw.limit_in_bytes", mem) < 0)
            return err_sys(err, "cannot set memory.memsw.limit_in_bytes");
    }
    write_at(memdir, "memory.swappiness", "0");
    if (write_at(cg->v1_path[SBX_V1_PIDS], "pids.max", num) < 0)
        return err_sys(err, "cannot set pids.max");
    if (cg->v1_path[SBX_V1_DEVICES][0] && v1_devices(cg->v1_path[SBX_V1_DEVICES], lim->devices, lim->ndevices) < 0)
        return err_sys(err, "cannot set the device allow-list");
    return 0;
}

int sbx_cgroup_attach(const struct sbx_cgroup *cg, pid_t pid, struct err *err)
{
    char text[32];
    str_fmt(text, sizeof(text), "%d", (int)pid);
    if (cg->cgs->mode == SBX_CGROUP_V2) {
        if (write_at(cg->v2_path, "cgroup.procs", text) < 0)
            return err_sys(err, "cannot move the run into its cgroup");
        return 0;
    }
    for (int i = 0; i < SBX_V1_CONTROLLERS; i++)
        if (cg->v1_path[i][0] && write_at(cg->v1_path[i], "cgroup.procs", text) < 0)
            return err_sys(err, "cannot move the run into its %s cgroup", v1_names[i]);
    return 0;
}

int sbx_cgroup_cpu_ns(const struct sbx_cgroup *cg, uint64_t *ns)
{
    if (cg->cgs->mode == SBX_CGROUP_V2) {
        uint64_t us;
        if (keyed_at(cg->v2_path, "cpu.stat", "usage_usec", &us) < 0)
            return -1;
        *ns = us * 1000;
        return 0;
    }
    return read_at(cg->v1_path[SBX_V1_CPUACCT], "cpuacct.usage", ns);
}

int sbx_cgroup_memory_now(const struct sbx_cgroup *cg, uint64_t *bytes)
{
    if (cg->cgs->mode == SBX_CGROUP_V2)
        return read_at(cg->v2_path, "memory.current", bytes);
    return read_at(cg->v1_path[SBX_V1_MEMORY], "memory.usage_in_bytes", bytes);
}

void sbx_cgroup_stats(const struct sbx_cgroup *cg, struct sbx_cg_stats *st)
{
    memset(st, 0, sizeof(*st));
    sbx_cgroup_cpu_ns(cg, &st->cpu_ns);
    if (cg->cgs->mode == SBX_CGROUP_V2) {
        read_at(cg->v2_path, "memory.peak", &st->memory_peak);
        st->oom_known = keyed_at(cg->v2_path, "memory.events", "oom_kill", &st->oom_kills) == 0;
        keyed_at(cg->v2_path, "memory.events", "max", &st->mem_failcnt);
        return;
    }
    const char *memdir = cg->v1_path[SBX_V1_MEMORY];
    read_at(memdir, "memory.max_usage_in_bytes", &st->memory_peak);
    read_at(memdir, "memory.failcnt", &st->mem_failcnt);
    st->oom_known = keyed_at(memdir, "memory.oom_control", "oom_kill", &st->oom_kills) == 0;
}

int sbx_cgroup_destroy(struct sbx_cgroup *cg, struct err *err)
{
    int rc = 0;
    if (!cg->cgs)
        return 0;
    if (cg->cgs->mode == SBX_CGROUP_V2) {
        rc = remove_group(cg->v2_path, 1, err);
        cg->v2_path[0] = '\0';
        return rc;
    }
    for (int i = 0; i < SBX_V1_CONTROLLERS; i++) {
        if (remove_group(cg->v1_path[i], 0, err) < 0)
            rc = -1;
        cg->v1_path[i][0] = '\0';
    }
    return rc;
}
