/*
 * judge_overhead.c: what judging costs against running the tests by hand.
 * Generates a pass-fail package with N small a+b tests and a C solution,
 * then times, round by round: `crucible judge run --all-tests` on it, the
 * same command with --samples (the package has no samples, so this is the
 * judge's fixed cost: start-up, package load and the compile in the
 * sandbox), the host-compiled binary run N times by fork+exec with each
 * output compared by `cmp`, and the host compile itself; with -v also a
 * copy of the package that has a custom output validator (C, Kattis exit
 * codes), to show what a checker run per test costs. Prints each round,
 * the medians and their ratios.
 *
 * Usage: judge_overhead [-n TESTS] [-r ROUNDS] [-c CRUCIBLE] [-k] [-v]
 * Needs root (the judge's sandbox). See docs/performance.md.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS 10000
#define MAX_ROUNDS 101
#define JSON_MAX_BYTES (16u << 20)
#define SHORT_PATH 256   /* paths below the temporary folder */

static const char problem_yaml[] =
    "problem_format_version: 2023-07-draft\n"
    "type: pass-fail\n"
    "name: A plus B (judge_overhead)\n"
    "uuid: 5d2c7a4e-9a53-4f0e-8d1b-6a0b2d6e7c11\n"
    "limits:\n"
    "  time_limit: 1\n"
    "  memory: 256\n";

static const char solution_c[] =
    "#include <stdio.h>\n"
    "int main(void)\n"
    "{\n"
    "    long long a, b;\n"
    "    if (scanf(\"%lld %lld\", &a, &b) != 2)\n"
    "        return 1;\n"
    "    printf(\"%lld\\n\", a + b);\n"
    "    return 0;\n"
    "}\n";

/* The -v package's output validator: the Kattis protocol, team output on
 * stdin, the answer file in argv[2]. */
static const char validator_c[] =
    "#include <stdio.h>\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    long long want, got;\n"
    "    FILE *ans = argc > 2 ? fopen(argv[2], \"r\") : NULL;\n"
    "    if (!ans || fscanf(ans, \"%lld\", &want) != 1)\n"
    "        return 1;\n"
    "    return scanf(\"%lld\", &got) == 1 && got == want ? 42 : 43;\n"
    "}\n";

/* Everything the methods share, set up once in main. */
struct bench {
    int ntests;
    char dir[64];                  /* the temporary folder */
    int with_validator;            /* -v */
    char pkg[SHORT_PATH];          /* dir/pkg */
    char problem_arg[SHORT_PATH];
    char pkgv[SHORT_PATH];         /* dir/pkgv: the same with output_validator/ (-v) */
    char problem_v_arg[SHORT_PATH];
    char src[SHORT_PATH];          /* dir/sol.c */
    char bin[SHORT_PATH];          /* dir/sol, compiled on the host */
    char out[SHORT_PATH];          /* dir/sol.out, the plain run's output */
    char json[SHORT_PATH];         /* dir/judge.json */
    char crucible[PATH_MAX];
    char gcc[PATH_MAX];
    char cmp[PATH_MAX];
    char (*in)[SHORT_PATH];        /* per test */
    char (*ans)[SHORT_PATH];
};

/* One round's figures, in milliseconds. */
struct round {
    double judge;                  /* judge run --all-tests, wall */
    double judge_fixed;            /* judge run --samples, wall */
    double judge_val;              /* judge run --all-tests on pkgv (-v), wall */
    double judge_cpu;              /* judge run --all-tests: user+sys of it and its children */
    double judge_test_cpu;         /* sum of the tests' time_seconds in its JSON */
    double judge_sandboxed_cpu;    /* its cpu_seconds_total (compile included) */
    double fixed_compile_cpu;      /* --samples: cpu_seconds_total (the compile) */
    double plain;                  /* N runs + N cmps, wall */
    double plain_run;              /* the runs alone */
    double plain_cmp;              /* the cmps alone */
    double plain_cpu;              /* user+sys of the runs and cmps */
    double host_gcc;               /* gcc on the host, wall */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double rusage_ms(const struct rusage *ru)
{
    return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
           (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* Forks and execs argv[0] with stdin from in_path (or /dev/null) and stdout
 * to out_path (or /dev/null); stderr goes to /dev/null unless verbose.
 * Adds the child's CPU time to *cpu_ms. Returns the wait status or -1. */
static int spawn_wait(char *const argv[], const char *in_path, const char *out_path, int verbose,
                      double *cpu_ms)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("judge_overhead: fork");
        return -1;
    }
    if (pid == 0) {
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                           : open("/dev/null", O_WRONLY);
        int null = open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0 || null < 0 || dup2(in, STDIN_FILENO) < 0 ||
            dup2(out, STDOUT_FILENO) < 0 || (!verbose && dup2(null, STDERR_FILENO) < 0))
            _exit(126);
        for (int fd = STDERR_FILENO + 1; fd <= in || fd <= out || fd <= null; fd++)
            close(fd);   /* the program sees only 0, 1 and 2 */
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("judge_overhead: wait4");
            return -1;
        }
    }
    if (cpu_ms)
        *cpu_ms += rusage_ms(&ru);
    return status;
}

static int exited_zero(int status)
{
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
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

/* snprintf into a SHORT_PATH buffer; -1 when the path would not fit. */
static int path_fmt(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int path_fmt(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, SHORT_PATH, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= SHORT_PATH) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* Writes one package at root: problem.yaml, the tests and, if with_val,
 * output_validator/validate.c. Fills b->in and b->ans when they are given. */
static int write_package(struct bench *b, const char *root, int with_val, char (*in)[SHORT_PATH],
                         char (*ans)[SHORT_PATH])
{
    char path[SHORT_PATH], in_path[SHORT_PATH], ans_path[SHORT_PATH];
    const char *dirs[] = { "", "/data", "/data/secret", "/output_validator" };
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) - (with_val ? 0 : 1); i++)
        if (path_fmt(path, "%s%s", root, dirs[i]) < 0 || mkdir(path, 0755) < 0)
            return -1;
    if (path_fmt(path, "%s/problem.yaml", root) < 0 || write_file(path, problem_yaml) < 0)
        return -1;
    if (with_val && (path_fmt(path, "%s/output_validator/validate.c", root) < 0 ||
                     write_file(path, validator_c) < 0))
        return -1;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < b->ntests; i++) {
        /* Deterministic operands below 2^39 in magnitude, about half negative. */
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        long long x = (long long)(seed >> 24) - (1LL << 39);
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        long long y = (long long)(seed >> 24) - (1LL << 39);
        char text[64];
        if (path_fmt(in_path, "%s/data/secret/%03d.in", root, i + 1) < 0 ||
            path_fmt(ans_path, "%s/data/secret/%03d.ans", root, i + 1) < 0)
            return -1;
        snprintf(text, sizeof(text), "%lld %lld\n", x, y);
        if (write_file(in_path, text) < 0)
            return -1;
        snprintf(text, sizeof(text), "%lld\n", x + y);
        if (write_file(ans_path, text) < 0)
            return -1;
        if (in)
            memcpy(in[i], in_path, sizeof(in_path));
        if (ans)
            memcpy(ans[i], ans_path, sizeof(ans_path));
    }
    return 0;
}

/* Writes the packages and the solution. */
static int make_package(struct bench *b)
{
    if (path_fmt(b->pkg, "%s/pkg", b->dir) < 0 || path_fmt(b->problem_arg, "--problem=%s", b->pkg) < 0 ||
        path_fmt(b->pkgv, "%s/pkgv", b->dir) < 0 || path_fmt(b->problem_v_arg, "--problem=%s", b->pkgv) < 0 ||
        path_fmt(b->src, "%s/sol.c", b->dir) < 0 || path_fmt(b->bin, "%s/sol", b->dir) < 0 ||
        path_fmt(b->out, "%s/sol.out", b->dir) < 0 || path_fmt(b->json, "%s/judge.json", b->dir) < 0)
        return -1;
    if (write_file(b->src, solution_c) < 0)
        return -1;
    b->in = calloc((size_t)b->ntests, sizeof(*b->in));
    b->ans = calloc((size_t)b->ntests, sizeof(*b->ans));
    if (!b->in || !b->ans)
        abort();
    if (write_package(b, b->pkg, 0, b->in, b->ans) < 0)
        return -1;
    return b->with_validator ? write_package(b, b->pkgv, 1, NULL, NULL) : 0;
}

/* The host compile, with the language table's C flags. Returns wall ms or -1. */
static double run_host_gcc(struct bench *b, int verbose)
{
    char *argv[] = { b->gcc, "-std=gnu17", "-O2", "-pipe", "-o", b->bin, b->src, "-lm", NULL };
    double t0 = now_ms();
    int status = spawn_wait(argv, NULL, NULL, verbose, NULL);
    double ms = now_ms() - t0;
    if (!exited_zero(status)) {
        fprintf(stderr, "judge_overhead: %s failed on %s\n", b->gcc, b->src);
        return -1;
    }
    return ms;
}

/* N runs of the binary, each output compared with cmp. Returns 0 when every
 * run exited 0 and every output matched. */
static int run_plain(struct bench *b, struct round *r, int verbose)
{
    int bad = 0;
    r->plain_run = r->plain_cmp = r->plain_cpu = 0;
    double start = now_ms();
    for (int i = 0; i < b->ntests; i++) {
        char *run_argv[] = { b->bin, NULL };
        char *cmp_argv[] = { b->cmp, "-s", b->out, b->ans[i], NULL };
        double t0 = now_ms();
        int st = spawn_wait(run_argv, b->in[i], b->out, verbose, &r->plain_cpu);
        double t1 = now_ms();
        int sc = spawn_wait(cmp_argv, NULL, NULL, verbose, &r->plain_cpu);
        double t2 = now_ms();
        r->plain_run += t1 - t0;
        r->plain_cmp += t2 - t1;
        if (!exited_zero(st) || !exited_zero(sc)) {
            if (verbose && bad == 0)
                fprintf(stderr, "judge_overhead: plain run of test %d: %s\n", i + 1,
                        !exited_zero(st) ? "the solution failed" : "output differs from the answer");
            bad++;
        }
    }
    r->plain = now_ms() - start;
    return bad ? -1 : 0;
}

static char *read_json(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = malloc(JSON_MAX_BYTES + 1);
    if (!text)
        abort();
    size_t n = fread(text, 1, JSON_MAX_BYTES, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* Runs `crucible judge run MODE --json` and checks its JSON: verdict AC and
 * `expect` tests, every one AC. Fills wall ms, CPU figures. */
static int run_judge(struct bench *b, char *problem_arg, const char *mode, int expect, double *wall,
                     double *cpu, double *test_cpu, double *sandboxed_cpu, int verbose)
{
    char *argv[] = { b->crucible, "judge", "run", (char *)mode, "--json", problem_arg, b->src, NULL };
    double c = 0;
    double t0 = now_ms();
    int status = spawn_wait(argv, NULL, b->json, verbose, &c);
    *wall = now_ms() - t0;
    if (cpu)
        *cpu = c;
    char *text = read_json(b->json);
    cJSON *o = text ? cJSON_Parse(text) : NULL;
    const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(o, "verdict");
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(o, "tests");
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(o, "cpu_seconds_total");
    int ok = exited_zero(status) && cJSON_IsString(verdict) && !strcmp(verdict->valuestring, "AC") &&
             cJSON_IsArray(tests) && cJSON_GetArraySize(tests) == expect && cJSON_IsNumber(total);
    double sum = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "verdict");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(t, "time_seconds");
        if (!cJSON_IsString(v) || strcmp(v->valuestring, "AC") != 0 || !cJSON_IsNumber(s))
            ok = 0;
        else
            sum += s->valuedouble * 1e3;
    }
    if (test_cpu)
        *test_cpu = sum;
    if (sandboxed_cpu)
        *sandboxed_cpu = cJSON_IsNumber(total) ? total->valuedouble * 1e3 : 0;
    if (!ok && verbose) {
        fprintf(stderr, "judge_overhead: %s judge run %s --json %s %s did not give AC on %d tests "
                "(exit status %d); it printed:\n%.2000s\n", b->crucible, mode, problem_arg, b->src,
                expect, status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, text ? text : "");
    }
    cJSON_Delete(o);
    free(text);
    return ok ? 0 : -1;
}

/* One round of every method. Returns the number of failed methods. */
static int run_round(struct bench *b, struct round *r, int verbose)
{
    int failed = 0;
    failed += run_judge(b, b->problem_arg, "--all-tests", b->ntests, &r->judge, &r->judge_cpu,
                        &r->judge_test_cpu, &r->judge_sandboxed_cpu, verbose) < 0;
    failed += run_judge(b, b->problem_arg, "--samples", 0, &r->judge_fixed, NULL, NULL,
                        &r->fixed_compile_cpu, verbose) < 0;
    if (b->with_validator)
        failed += run_judge(b, b->problem_v_arg, "--all-tests", b->ntests, &r->judge_val, NULL, NULL,
                            NULL, verbose) < 0;
    failed += run_plain(b, r, verbose) < 0;
    r->host_gcc = run_host_gcc(b, verbose);
    failed += r->host_gcc < 0;
    return failed;
}

/* Idle and total jiffies of all CPUs from /proc/stat; 0 and 0 when unreadable. */
static void cpu_jiffies(unsigned long long *idle, unsigned long long *total)
{
    unsigned long long v[8] = { 0 };
    *idle = *total = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return;
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 5)
        return;
    for (int i = 0; i < n; i++)
        *total += v[i];
    *idle = v[3] + v[4];   /* idle + iowait */
}

static double idle_percent(unsigned long long idle0, unsigned long long total0)
{
    unsigned long long idle1, total1;
    cpu_jiffies(&idle1, &total1);
    return total1 > total0 ? 100.0 * (double)(idle1 - idle0) / (double)(total1 - total0) : -1;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, c = *(const double *)y;
    return (a > c) - (a < c);
}

/* Median of the field at offset off over the rounds, or of a - b when
 * minus_off is not -1 (the difference is taken round by round). */
static double median(const struct round *rs, int n, size_t off, long minus_off)
{
    double v[MAX_ROUNDS];
    for (int i = 0; i < n; i++) {
        const char *base = (const char *)&rs[i];
        v[i] = *(const double *)(base + off);
        if (minus_off >= 0)
            v[i] -= *(const double *)(base + minus_off);
    }
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MED(field) median(rounds, nrounds, offsetof(struct round, field), -1)
#define MED_DIFF(a, b) median(rounds, nrounds, offsetof(struct round, a), (long)offsetof(struct round, b))

static void usage(FILE *out)
{
    fprintf(out,
            "usage: judge_overhead [-n TESTS] [-r ROUNDS] [-c CRUCIBLE] [-k] [-v]\n"
            "  -n TESTS     secret test cases in the generated package (default 100)\n"
            "  -r ROUNDS    timed rounds; medians are printed (default 3)\n"
            "  -c CRUCIBLE  the crucible binary (default: in the build root, found from\n"
            "               this program's path)\n"
            "  -k           keep the temporary folder (package, solution, last JSON)\n"
            "  -v           also judge a copy of the package with a custom output\n"
            "               validator (C), to show what a checker run costs per test\n");
}

int main(int argc, char **argv)
{
    struct bench b = { .ntests = 100 };
    int nrounds = 3, keep = 0, opt;
    const char *crucible_arg = NULL;
    while ((opt = getopt(argc, argv, "n:r:c:kvh")) != -1) {
        char *end;
        long v;
        switch (opt) {
        case 'n':
        case 'r':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (errno || *end || v < 1 || v > (opt == 'n' ? MAX_TESTS : MAX_ROUNDS)) {
                fprintf(stderr, "judge_overhead: -%c wants 1..%d\n", opt,
                        opt == 'n' ? MAX_TESTS : MAX_ROUNDS);
                return 2;
            }
            if (opt == 'n')
                b.ntests = (int)v;
            else
                nrounds = (int)v;
            break;
        case 'c': crucible_arg = optarg; break;
        case 'k': keep = 1; break;
        case 'v': b.with_validator = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (geteuid() != 0) {
        fprintf(stderr, "judge_overhead: the judge's sandbox needs root\n");
        return 2;
    }
    if (crucible_arg)
        snprintf(b.crucible, sizeof(b.crucible), "%s", crucible_arg);
    else if (find_near_self("crucible", b.crucible, sizeof(b.crucible)) < 0) {
        fprintf(stderr, "judge_overhead: crucible binary not found; use -c\n");
        return 2;
    }
    if (find_in_path("gcc", b.gcc, sizeof(b.gcc)) < 0 || find_in_path("cmp", b.cmp, sizeof(b.cmp)) < 0) {
        fprintf(stderr, "judge_overhead: gcc and cmp must be in PATH\n");
        return 2;
    }

    int status = 1;
    struct round rounds[MAX_ROUNDS];
    memset(rounds, 0, sizeof(rounds));
    snprintf(b.dir, sizeof(b.dir), "/tmp/crucible-judge-bench-XXXXXX");
    if (!mkdtemp(b.dir) || chmod(b.dir, 0755) < 0) {
        perror("judge_overhead: cannot create the temporary folder");
        b.dir[0] = '\0';
        goto out;
    }
    if (make_package(&b) < 0) {
        fprintf(stderr, "judge_overhead: cannot write the package in %s: %s\n", b.dir, strerror(errno));
        goto out;
    }
    if (run_host_gcc(&b, 1) < 0)
        goto out;

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
    printf("judge_overhead: %d secret tests (a+b, C), %d timed rounds after 1 warm-up round\n",
           b.ntests, nrounds);
    printf("package: %s; crucible: %s\n", b.pkg, b.crucible);
    printf("machine: %ld cpus, %s\n", sysconf(_SC_NPROCESSORS_ONLN), cpu);
    /* Other load on the machine shows here; the timed rounds take about
     * one CPU themselves. */
    unsigned long long idle0, total0;
    cpu_jiffies(&idle0, &total0);
    sleep(1);
    printf("idle CPU over the second before starting: %.0f %%\n\n", idle_percent(idle0, total0));
    fflush(stdout);

    /* Warm-up: page cache, the sandbox's template namespace, gcc's files.
     * Failures show in full here. */
    struct round warm;
    if (run_round(&b, &warm, 1) > 0) {
        fprintf(stderr, "judge_overhead: the warm-up round failed; nothing timed\n");
        goto out;
    }

    int failed = 0;
    cpu_jiffies(&idle0, &total0);
    printf("%-6s %10s %10s %10s %10s %10s %10s %10s", "round", "judge", "fixed", "judge-fix",
           "plain", "(runs)", "(cmps)", "host gcc");
    printf(b.with_validator ? " %10s\n" : "\n", "judge+val");
    for (int i = 0; i < nrounds; i++) {
        struct round *r = &rounds[i];
        failed += run_round(&b, r, 1);
        printf("%-6d %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f", i + 1, r->judge,
               r->judge_fixed, r->judge - r->judge_fixed, r->plain, r->plain_run, r->plain_cmp,
               r->host_gcc);
        printf(b.with_validator ? " %10.1f\n" : "\n", r->judge_val);
        fflush(stdout);
    }
    double idle = idle_percent(idle0, total0);
    double judge = MED(judge), fixed = MED(judge_fixed), tests = MED_DIFF(judge, judge_fixed);
    double plain = MED(plain), prun = MED(plain_run), pcmp = MED(plain_cmp), gcc = MED(host_gcc);
    double n = b.ntests;
    printf("%-6s %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f", "median", judge, fixed, tests,
           plain, prun, pcmp, gcc);
    printf(b.with_validator ? " %10.1f\n" : "\n", MED(judge_val));
    printf("(milliseconds, wall; judge = judge run --all-tests, fixed = judge run --samples on the\n"
           " same package: start-up, load and compile, no test run; judge-fix = their difference,\n"
           " round by round; plain = %d x (fork+exec of the binary, then cmp -s)%s)\n", b.ntests,
           b.with_validator ? ";\n judge+val = judge run --all-tests on the copy with a C output validator" : "");
    printf("idle CPU during the timed rounds: %.0f %% of %ld cpus\n\n", idle, sysconf(_SC_NPROCESSORS_ONLN));

    printf("per test:  judge %.2f ms (judge-fix / %d)   plain %.2f ms (run %.2f + cmp %.2f)\n",
           tests / n, b.ntests, plain / n, prun / n, pcmp / n);
    if (b.with_validator)
        printf("           with the output validator %.2f ms ((judge+val - fixed) / %d; the validator\n"
               "           was compiled into the cache in the warm-up round)\n",
               MED_DIFF(judge_val, judge_fixed) / n, b.ntests);
    printf("compile:   in the judge's sandbox %.1f ms CPU (its cpu_seconds_total with --samples);"
           " on the host %.1f ms wall\n", MED(fixed_compile_cpu), gcc);
    printf("CPU time:  judge run %.1f ms (user+sys, children included), of which the tests' own\n"
           "           time_seconds %.1f ms and all sandboxed runs %.1f ms; plain %.1f ms\n\n",
           MED(judge_cpu), MED(judge_test_cpu), MED(judge_sandboxed_cpu), MED(plain_cpu));

    printf("ratios of medians:\n");
    printf("  judge total / plain               %6.2f   (target <= 1.5: %s)\n", judge / plain,
           judge / plain <= 1.5 ? "met" : "not met");
    if (tests > 0)
        printf("  judge-fix (tests only) / plain    %6.2f   (<= 1.5: %s)\n", tests / plain,
               tests / plain <= 1.5 ? "yes" : "no");
    else
        printf("  judge-fix (tests only) / plain       n/a   (the fixed cost varied more than the\n"
               "                                             tests took: use more tests or rounds)\n");
    printf("  judge total / (plain + host gcc)  %6.2f   (<= 1.5: %s)\n", judge / (plain + gcc),
           judge / (plain + gcc) <= 1.5 ? "yes" : "no");
    status = failed ? 1 : 0;
    if (failed)
        printf("\nnote: %d method runs failed (see above); figures include them\n", failed);
out:
    if (b.dir[0] && keep)
        printf("\nkept %s\n", b.dir);
    else if (b.dir[0])
        nftw(b.dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(b.in);
    free(b.ans);
    return status;
}
