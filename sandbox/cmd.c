/*
 * cmd.c: `crucible sandbox run|info`, the command-line face of the library.
 * Only this file prints or chooses exit codes.
 */
#include "sandbox.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char run_usage[] =
    "usage: crucible sandbox run [OPTIONS] -- PROGRAM [ARG]...\n"
    "  --time=SECONDS        CPU-time limit, summed over every process and thread (fractions allowed)\n"
    "  --wall=SECONDS        wall-clock limit (default: 2 x time + 1)\n"
    "  --memory=SIZE         memory limit for the whole process tree (suffixes K, M, G)\n"
    "  --stack=SIZE          stack limit (default: the memory limit)\n"
    "  --processes=N         most processes and threads alive at once (default 1)\n"
    "  --output=SIZE         largest file the run may write, stdout and stderr included (default 64M);\n"
    "                        also the size of its /tmp; a file that reaches SIZE is over the limit\n"
    "  --files=N             most open file descriptors (default 64)\n"
    "  --box=DIR             host folder mounted read-write at /box, the working directory\n"
    "  --stdin=FILE --stdout=FILE --stderr=FILE\n"
    "                        host paths opened by the sandbox itself (default /dev/null)\n"
    "  --bind=HOST[:INSIDE][:rw]   extra bind mount, read-only unless :rw (repeatable)\n"
    "  --env=NAME=VALUE      add to the environment (repeatable)\n"
    "  --network             keep the host network (for trusted tools only; default: no network)\n"
    "  --gpus=LIST           GPU indexes the run may use, e.g. 0 or 0,1 (default: none)\n"
    "Prints one JSON object: status, exit_code, signal, cpu_seconds, wall_seconds, memory_bytes, message.\n"
    "Exits 0 when the run was carried out (whatever its status), 2 on a sandbox error or bad arguments.\n"
    "Environment: CRUCIBLE_SANDBOX_DEV=DIR takes device nodes from DIR instead of /dev (tests);\n"
    "CRUCIBLE_CGROUP=v1|v2 forces a cgroup version.\n";

#define MAX_LIMIT_SECONDS 86400.0
#define MAX_SIZE ((uint64_t)1 << 50)

static __attribute__((format(printf, 1, 2))) int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "crucible sandbox run: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", run_usage);
    return 2;
}

/* HOST[:INSIDE][:rw] */
static int parse_bind(char *spec, struct sbx_bind *b)
{
    size_t len = strlen(spec);
    b->writable = 0;
    if (len > 3 && !strcmp(spec + len - 3, ":rw")) {
        b->writable = 1;
        spec[len - 3] = '\0';
    } else if (len > 3 && !strcmp(spec + len - 3, ":ro")) {
        spec[len - 3] = '\0';
    }
    char *colon = strchr(spec, ':');
    if (colon) {
        *colon = '\0';
        b->inside = colon + 1;
    } else {
        b->inside = spec;
    }
    b->host = spec;
    return spec[0] == '/' && b->inside[0] == '/' ? 0 : -1;
}

static int parse_gpus(const char *list, struct sbx_config *cfg)
{
    const char *p = list;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v > 63 || cfg->ngpus >= SBX_MAX_GPUS || (*end && *end != ','))
            return -1;
        cfg->gpus[cfg->ngpus++] = (int)v;
        p = *end ? end + 1 : end;
    }
    return cfg->ngpus ? 0 : -1;
}

static enum sbx_cgroup_mode env_cgroup_mode(void)
{
    const char *v = getenv("CRUCIBLE_CGROUP");
    if (v && !strcmp(v, "v1"))
        return SBX_CGROUP_V1;
    if (v && !strcmp(v, "v2"))
        return SBX_CGROUP_V2;
    return SBX_CGROUP_NONE;
}

static void context_options(struct sbx_context_options *o)
{
    memset(o, 0, sizeof(*o));
    o->cgroup_mode = env_cgroup_mode();
    o->dev_dir = getenv("CRUCIBLE_SANDBOX_DEV");
    o->state_dir = getenv("CRUCIBLE_SANDBOX_STATE");
}

static int cmd_run(int argc, char **argv)
{
    enum { O_TIME = 1, O_WALL, O_MEMORY, O_STACK, O_PROCS, O_OUTPUT, O_FILES, O_BOX, O_STDIN, O_STDOUT,
           O_STDERR, O_BIND, O_ENV, O_NETWORK, O_GPUS, O_HELP };
    static const struct option opts[] = {
        { "time", required_argument, NULL, O_TIME }, { "wall", required_argument, NULL, O_WALL },
        { "memory", required_argument, NULL, O_MEMORY }, { "stack", required_argument, NULL, O_STACK },
        { "processes", required_argument, NULL, O_PROCS }, { "output", required_argument, NULL, O_OUTPUT },
        { "files", required_argument, NULL, O_FILES }, { "box", required_argument, NULL, O_BOX },
        { "stdin", required_argument, NULL, O_STDIN }, { "stdout", required_argument, NULL, O_STDOUT },
        { "stderr", required_argument, NULL, O_STDERR }, { "bind", required_argument, NULL, O_BIND },
        { "env", required_argument, NULL, O_ENV }, { "network", no_argument, NULL, O_NETWORK },
        { "gpus", required_argument, NULL, O_GPUS }, { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 },
    };
    struct sbx_config cfg;
    sbx_config_init(&cfg);
    const char *env[65];
    size_t nenv = 0;
    int64_t n64;

    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case O_TIME:
            if (parse_seconds(optarg, MAX_LIMIT_SECONDS, &cfg.time_limit) < 0)
                return usage_error("bad --time '%s'", optarg);
            break;
        case O_WALL:
            if (parse_seconds(optarg, MAX_LIMIT_SECONDS, &cfg.wall_limit) < 0 || cfg.wall_limit <= 0)
                return usage_error("bad --wall '%s'", optarg);
            break;
        case O_MEMORY:
            if (parse_size(optarg, MAX_SIZE, &cfg.memory_limit) < 0 || cfg.memory_limit < 4096)
                return usage_error("bad --memory '%s'", optarg);
            break;
        case O_STACK:
            if (parse_size(optarg, MAX_SIZE, &cfg.stack_limit) < 0 || cfg.stack_limit < 4096)
                return usage_error("bad --stack '%s'", optarg);
            break;
        case O_PROCS:
            if (parse_i64(optarg, 1, 100000, &n64) < 0)
                return usage_error("bad --processes '%s'", optarg);
            cfg.processes = (int)n64;
            break;
        case O_OUTPUT:
            if (parse_size(optarg, MAX_SIZE, &cfg.output_limit) < 0 || cfg.output_limit == 0)
                return usage_error("bad --output '%s'", optarg);
            break;
        case O_FILES:
            if (parse_i64(optarg, 4, 1 << 20, &n64) < 0)
                return usage_error("bad --files '%s'", optarg);
            cfg.fd_limit = (uint64_t)n64;
            break;
        case O_BOX: cfg.box = optarg; break;
        case O_STDIN: cfg.stdin_path = optarg; break;
        case O_STDOUT: cfg.stdout_path = optarg; break;
        case O_STDERR: cfg.stderr_path = optarg; break;
        case O_BIND:
            if (cfg.nbinds >= SBX_MAX_BINDS || parse_bind(optarg, &cfg.binds[cfg.nbinds]) < 0)
                return usage_error("bad --bind '%s' (HOST[:INSIDE][:rw], absolute paths)", optarg);
            cfg.nbinds++;
            break;
        case O_ENV:
            if (nenv >= 64 || !strchr(optarg, '=') || optarg[0] == '=')
                return usage_error("bad --env '%s' (NAME=VALUE)", optarg);
            env[nenv++] = optarg;
            break;
        case O_NETWORK: cfg.network = 1; break;
        case O_GPUS:
            if (parse_gpus(optarg, &cfg) < 0)
                return usage_error("bad --gpus '%s' (a list of indexes such as 0,1)", optarg);
            break;
        case O_HELP:
            fputs(run_usage, stdout);
            return 0;
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "no program given");
    env[nenv] = NULL;
    cfg.env = env;
    cfg.argv = (const char *const *)(argv + optind);

    struct sbx_context_options o;
    context_options(&o);
    o.filters = cfg.network ? SBX_FILTER_NETWORK : SBX_FILTER_ISOLATED;
    struct sbx_context *ctx = NULL;
    struct err err = { 0 };
    struct sbx_result res;
    int rc;
    if (sbx_context_new(&o, &ctx, &err) < 0) {
        memset(&res, 0, sizeof(res));
        res.status = SBX_SANDBOX_ERROR;
        str_fmt(res.message, sizeof(res.message), "%s", err.msg);
        rc = -1;
    } else {
        rc = sbx_run(ctx, &cfg, &res);
    }
    struct buf out;
    buf_init(&out, 0);
    sbx_result_to_json(&res, &out);
    printf("%s\n", out.buf);
    buf_release(&out);
    sbx_context_free(ctx);
    return rc < 0 || res.status == SBX_SANDBOX_ERROR ? 2 : 0;
}

static int cmd_info(void)
{
    struct sbx_context_options o;
    context_options(&o);
    struct sbx_context *ctx = NULL;
    struct err err = { 0 };
    int rc = sbx_context_new(&o, &ctx, &err);
    struct buf out;
    buf_init(&out, 0);
    sbx_context_describe(ctx, &out);
    printf("%s\n", out.buf);
    buf_release(&out);
    sbx_context_free(ctx);
    return rc < 0 ? 1 : 0;
}

int cmd_sandbox(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fprintf(argc < 2 ? stderr : stdout,
                "usage: crucible sandbox run [OPTIONS] -- PROGRAM [ARG]...\n"
                "       crucible sandbox info     (cgroup mode, what is missing)\n\n%s", run_usage);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "info"))
        return cmd_info();
    fprintf(stderr, "crucible sandbox: unknown subcommand '%s'\n", argv[1]);
    return 2;
}
