/*
 * sandbox_overhead.c: what isolation costs per run. Starts a static
 * do-nothing program N times each through plain fork+exec, the sandbox
 * library in-process, `crucible sandbox run`, and bubblewrap with comparable
 * isolation, then prints the median and p90 of each and their ratios. The
 * methods take turns run by run, so load from elsewhere hits them alike.
 *
 * Usage: sandbox_overhead [-n RUNS] [-c CRUCIBLE] [-t TRUE_STATIC] [-m LIST]
 * LIST is a comma-separated subset of fork,library,command,bwrap,context
 * (context: sbx_context_new + sbx_context_free alone, the set-up the command
 * repeats on every run). The sandbox methods need root. See
 * docs/performance.md.
 */
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP_RUNS 10
#define MAX_RUNS 1000000

/* Everything the methods share, set up once in main. */
struct bench {
    char box[64];              /* host folder mounted at /box */
    char true_host[PATH_MAX];  /* box/true_static, for plain fork+exec */
    char box_arg[128];         /* --box=DIR */
    char crucible[PATH_MAX];
    char bwrap[PATH_MAX];
    struct sbx_context *ctx;
    int devnull;
};

struct method {
    const char *name;          /* as given to -m */
    const char *label;         /* as printed */
    /* One run; returns 0 on success or -1, after saying why if verbose. */
    int (*run)(struct bench *b, int verbose);
    int available;
    double *ms;
    int failed;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Forks, execs argv[0] with stdout and stderr to /dev/null unless verbose,
 * waits; returns the wait status or -1. */
static int spawn_wait(struct bench *b, char *const argv[], int verbose)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("sandbox_overhead: fork");
        return -1;
    }
    if (pid == 0) {
        if (!verbose) {
            dup2(b->devnull, STDOUT_FILENO);
            dup2(b->devnull, STDERR_FILENO);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("sandbox_overhead: waitpid");
            return -1;
        }
    }
    return status;
}

static int exited_zero(const char *what, int status, int verbose)
{
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (verbose) {
        if (status >= 0 && WIFEXITED(status))
            fprintf(stderr, "sandbox_overhead: %s exited with %d\n", what, WEXITSTATUS(status));
        else if (status >= 0 && WIFSIGNALED(status))
            fprintf(stderr, "sandbox_overhead: %s killed by signal %d\n", what, WTERMSIG(status));
    }
    return -1;
}

static int run_fork(struct bench *b, int verbose)
{
    char *argv[] = { b->true_host, NULL };
    return exited_zero("fork+exec", spawn_wait(b, argv, verbose), verbose);
}

static int run_command(struct bench *b, int verbose)
{
    char *argv[] = { b->crucible, "sandbox", "run", b->box_arg, "--", "/box/true_static", NULL };
    if (verbose)
        fprintf(stderr, "sandbox_overhead: %s sandbox run %s -- /box/true_static prints:\n",
                b->crucible, b->box_arg);
    int status = spawn_wait(b, argv, verbose);
    if (verbose)
        fprintf(stderr, "\n");
    return exited_zero("crucible sandbox run", status, verbose);
}

static int run_library(struct bench *b, int verbose)
{
    static const char *const argv[] = { "/box/true_static", NULL };
    struct sbx_config cfg;
    sbx_config_init(&cfg);
    cfg.argv = argv;
    cfg.box = b->box;
    struct sbx_result res;
    int rc = sbx_run(b->ctx, &cfg, &res);
    if (rc == 0 && res.status == SBX_OK)
        return 0;
    if (verbose) {
        fprintf(stderr, "sandbox_overhead: sbx_run gave rc %d, status %s: %s\n", rc,
                sbx_status_name(res.status), res.message);
    }
    return -1;
}

/* Not a way to run a program: the per-process set-up that the command pays
 * on every run and the library only once, shown to split the command's cost. */
static int run_context(struct bench *b, int verbose)
{
    struct sbx_context *ctx = NULL;
    struct err err;
    err_clear(&err);
    int rc = sbx_context_new(NULL, &ctx, &err);
    sbx_context_free(ctx);
    if (rc < 0 && verbose)
        fprintf(stderr, "sandbox_overhead: sbx_context_new: %s\n", err.msg);
    return rc < 0 ? -1 : 0;
}

static int run_bwrap(struct bench *b, int verbose)
{
    char *argv[] = {
        b->bwrap, "--unshare-all", "--die-with-parent",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        "--bind", b->box, "/box", "--chdir", "/box",
        "--cap-drop", "ALL", "--new-session",
        "/box/true_static", NULL,
    };
    return exited_zero("bwrap", spawn_wait(b, argv, verbose), verbose);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile of sorted v by linear interpolation between ranks. */
static double percentile(const double *v, int n, double p)
{
    double pos = p / 100.0 * (n - 1);
    int lo = (int)floor(pos), hi = (int)ceil(pos);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (out < 0) {
        close(in);
        return -1;
    }
    char chunk[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, chunk, sizeof(chunk))) > 0) {
        if (write(out, chunk, (size_t)n) != n) {
            rc = -1;
            break;
        }
    }
    if (n < 0)
        rc = -1;
    close(in);
    if (close(out) < 0)
        rc = -1;
    return rc == 0 ? chmod(to, 0755) : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    remove(path);
    return 0;
}

/* Looks name up in $PATH; returns 0 and fills out if found. */
static int find_in_path(const char *name, char *out, size_t size)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        int n = snprintf(out, size, "%.*s/%s", (int)len, path, name);
        if (n > 0 && (size_t)n < size && access(out, X_OK) == 0)
            return 0;
        path += len;
        if (*path == ':')
            path++;
    }
    return -1;
}

/* Finds a file next to this program, or two folders up (the build root). */
static int find_near_self(const char *name, char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n < 0)
        return -1;
    self[n] = '\0';
    const char *dir = dirname(self);
    const char *ups[] = { "", "../../" };
    for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
        char path[PATH_MAX], resolved[PATH_MAX];
        int k = snprintf(path, sizeof(path), "%s/%s%s", dir, ups[i], name);
        if (k > 0 && (size_t)k < sizeof(path) && access(path, X_OK) == 0 &&
            realpath(path, resolved) && strlen(resolved) < size) {
            memcpy(out, resolved, strlen(resolved) + 1);
            return 0;
        }
    }
    return -1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sandbox_overhead [-n RUNS] [-c CRUCIBLE] [-t TRUE_STATIC] [-m LIST]\n"
            "  -n RUNS         timed runs per method (default 500)\n"
            "  -c CRUCIBLE     the crucible binary (default: next to this program or\n"
            "                  in the build root two folders up)\n"
            "  -t TRUE_STATIC  the static payload (default: next to this program)\n"
            "  -m LIST         methods, comma-separated: fork,library,command,bwrap,context\n"
            "                  (context times sbx_context_new + free alone; default: all)\n");
}

int main(int argc, char **argv)
{
    int runs = 500;
    const char *crucible_arg = NULL, *true_arg = NULL, *only = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "n:c:t:m:h")) != -1) {
        switch (opt) {
        case 'n': {
            int64_t v;
            if (parse_i64(optarg, 1, MAX_RUNS, &v) < 0) {
                fprintf(stderr, "sandbox_overhead: -n wants 1..%d runs\n", MAX_RUNS);
                return 2;
            }
            runs = (int)v;
            break;
        }
        case 'c': crucible_arg = optarg; break;
        case 't': true_arg = optarg; break;
        case 'm': only = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }

    struct bench b = { .ctx = NULL, .devnull = -1 };
    struct method methods[] = {
        { "fork", "fork+exec", run_fork, 1, NULL, 0 },
        { "library", "library (sbx_run)", run_library, 1, NULL, 0 },
        { "command", "crucible sandbox run", run_command, 1, NULL, 0 },
        { "bwrap", "bwrap", run_bwrap, 1, NULL, 0 },
        { "context", "(sbx_context_new+free)", run_context, 1, NULL, 0 },
    };
    enum { M_FORK, M_LIBRARY, M_COMMAND, M_BWRAP, M_CONTEXT, NMETHODS };
    int status = 1;

    if (only) {
        for (int i = 0; i < NMETHODS; i++) {
            const char *p = strstr(only, methods[i].name);
            size_t len = strlen(methods[i].name);
            methods[i].available = p && (p == only || p[-1] == ',') &&
                                   (p[len] == '\0' || p[len] == ',');
        }
    }

    char true_src[PATH_MAX];
    if (true_arg)
        snprintf(true_src, sizeof(true_src), "%s", true_arg);
    else if (find_near_self("true_static", true_src, sizeof(true_src)) < 0) {
        fprintf(stderr, "sandbox_overhead: true_static not found next to this program; use -t\n");
        return 2;
    }

    b.devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    snprintf(b.box, sizeof(b.box), "/tmp/crucible-bench-XXXXXX");
    if (b.devnull < 0 || !mkdtemp(b.box) || chmod(b.box, 0755) < 0) {
        perror("sandbox_overhead: cannot prepare the box folder");
        goto out;
    }
    snprintf(b.true_host, sizeof(b.true_host), "%s/true_static", b.box);
    snprintf(b.box_arg, sizeof(b.box_arg), "--box=%s", b.box);
    if (copy_file(true_src, b.true_host) < 0) {
        fprintf(stderr, "sandbox_overhead: cannot copy '%s' to '%s': %s\n", true_src,
                b.true_host, strerror(errno));
        goto out;
    }

    int root = geteuid() == 0;
    if (!root && (methods[M_LIBRARY].available || methods[M_COMMAND].available)) {
        printf("note: not root, skipping the sandbox library and command\n");
        methods[M_LIBRARY].available = methods[M_COMMAND].available = 0;
        methods[M_CONTEXT].available = 0;
    }
    if (methods[M_COMMAND].available) {
        if (crucible_arg)
            snprintf(b.crucible, sizeof(b.crucible), "%s", crucible_arg);
        else if (find_near_self("crucible", b.crucible, sizeof(b.crucible)) < 0) {
            printf("note: crucible binary not found (use -c), skipping the command\n");
            methods[M_COMMAND].available = 0;
        }
    }
    if (methods[M_BWRAP].available && find_in_path("bwrap", b.bwrap, sizeof(b.bwrap)) < 0) {
        printf("note: bwrap not installed (Debian: apt-get install bubblewrap), skipping it\n");
        methods[M_BWRAP].available = 0;
    }
    if (methods[M_LIBRARY].available) {
        struct err err;
        err_clear(&err);
        if (sbx_context_new(NULL, &b.ctx, &err) < 0) {
            printf("note: sbx_context_new failed (%s), skipping the library\n", err.msg);
            methods[M_LIBRARY].available = 0;
        }
    }

    char cpu[128] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof(line), f)) {
            char *colon = strchr(line, ':');
            if (!strncmp(line, "model name", 10) && colon) {
                snprintf(cpu, sizeof(cpu), "%s", colon + 2);
                cpu[strcspn(cpu, "\n")] = '\0';
                break;
            }
        }
        fclose(f);
    }
    printf("sandbox_overhead: %d timed runs per method, interleaved, after %d warm-up runs\n",
           runs, WARMUP_RUNS);
    printf("payload: %s (static, returns 0); box: %s\n", true_src, b.box);
    printf("machine: %ld cpus, %s\n\n", sysconf(_SC_NPROCESSORS_ONLN), cpu);
    fflush(stdout);

    /* Warm-up: the first run of each method shows its output and any
     * failure in full; a method that never works is left out. */
    for (int i = 0; i < NMETHODS; i++) {
        struct method *m = &methods[i];
        if (!m->available)
            continue;
        m->ms = calloc((size_t)runs, sizeof(double));
        if (!m->ms)
            abort();
        int bad = 0;
        for (int w = 0; w < WARMUP_RUNS; w++)
            bad += m->run(&b, w == 0) < 0;
        if (bad == WARMUP_RUNS) {
            printf("note: %s failed every warm-up run, skipping it\n", m->label);
            m->available = 0;
        }
    }

    /* Timed runs, interleaved (one of each method per round) so that load
     * from elsewhere on the machine falls on every method alike. */
    int fds_before = count_fds();
    for (int r = 0; r < runs; r++) {
        for (int i = 0; i < NMETHODS; i++) {
            struct method *m = &methods[i];
            if (!m->available)
                continue;
            double t0 = now_ms();
            int rc = m->run(&b, 0);
            m->ms[r] = now_ms() - t0;
            if (rc < 0 && m->failed++ == 0)
                m->run(&b, 1);   /* show why, outside the timing */
        }
    }
    int fds_after = count_fds();
    if (fds_after != fds_before)
        printf("note: open descriptors went from %d to %d over the timed runs\n", fds_before,
               fds_after);
    for (int i = 0; i < NMETHODS; i++)
        if (methods[i].available)
            qsort(methods[i].ms, (size_t)runs, sizeof(double), cmp_double);

    printf("%-22s %10s %10s %10s %10s %7s\n", "method", "median ms", "p90 ms", "min ms",
           "max ms", "failed");
    for (int i = 0; i < NMETHODS; i++) {
        struct method *m = &methods[i];
        if (!m->available) {
            printf("%-22s %10s\n", m->label, "skipped");
            continue;
        }
        printf("%-22s %10.3f %10.3f %10.3f %10.3f %7d\n", m->label, percentile(m->ms, runs, 50),
               percentile(m->ms, runs, 90), m->ms[0], m->ms[runs - 1], m->failed);
    }

    /* The targets of the sandbox issue; 0: no target, shown for context. */
    struct { int num, den; double target; } ratios[] = {
        { M_LIBRARY, M_FORK, 2.0 },
        { M_COMMAND, M_BWRAP, 0.5 },
        { M_LIBRARY, M_BWRAP, 0 },
        { M_COMMAND, M_FORK, 0 },
    };
    printf("\nratios (median, p90):\n");
    for (size_t i = 0; i < sizeof(ratios) / sizeof(ratios[0]); i++) {
        struct method *n = &methods[ratios[i].num], *d = &methods[ratios[i].den];
        if (!n->available || !d->available)
            continue;
        double rm = percentile(n->ms, runs, 50) / percentile(d->ms, runs, 50);
        double rp = percentile(n->ms, runs, 90) / percentile(d->ms, runs, 90);
        printf("  %-22s / %-22s %6.2f %6.2f", n->label, d->label, rm, rp);
        if (ratios[i].target > 0)
            printf("   (target <= %.1f: %s)", ratios[i].target,
                   rm <= ratios[i].target ? "met" : "not met");
        printf("\n");
    }

    status = 0;
    for (int i = 0; i < NMETHODS; i++)
        if (methods[i].failed)
            status = 1;
out:
    for (int i = 0; i < NMETHODS; i++)
        free(methods[i].ms);
    sbx_context_free(b.ctx);
    if (b.box[0] && strcmp(b.box + strlen(b.box) - 6, "XXXXXX") != 0)
        nftw(b.box, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (b.devnull >= 0)
        close(b.devnull);
    return status;
}
