/*
 * cmd.c: `crucible judge run|languages|daemon` and `crucible problem verify`.
 * Only this file (and verify.c and daemon.c, the commands' own files)
 * prints or chooses exit codes.
 */
#include "judge_int.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char judge_usage[] =
    "usage: crucible judge run --problem=PATH [--lang=LANG] [--all-tests] [--samples]\n"
    "                          [--time-limit=SECONDS] [--json] SOURCE...\n"
    "       crucible judge languages [--json]\n"
    "       crucible judge daemon --server=URL --token-file=FILE [--workers=N] [--cache=DIR]\n"
    "                             [--work-dir=DIR] [--log-level=LEVEL] [--once]\n"
    "  run         judges one submission (its source files) against a problem package\n"
    "              (a folder or a .zip) and prints the verdict; --json prints one object\n"
    "  languages   lists the language table and what this machine can run\n"
    "  daemon      claims submissions from a Crucible server, judges them and posts the\n"
    "              results until SIGTERM (`crucible judge daemon --help` for details)\n"
    "  --languages=FILE   the language table (default: $CRUCIBLE_LANGUAGES,\n"
    "                     /etc/crucible/languages.yaml, or the one in the source tree)\n"
    "Exit codes: 0 judged (any verdict), 1 judge error, 2 bad arguments.\n";

static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "crucible judge: %s%s\n%s", msg, arg ? arg : "", judge_usage);
    return 2;
}

/* Loads what every judge command needs. */
struct env {
    struct jdg_languages langs;
    struct sbx_context *sbx;
    struct jdg_judge *judge;
};

static int env_open(struct env *e, const char *lang_path, int need_sandbox)
{
    memset(e, 0, sizeof(*e));
    struct err err = { 0 };
    const char *path = lang_path ? lang_path : jdg_languages_default_path();
    if (jdg_languages_load(path, &e->langs, &err) < 0) {
        fprintf(stderr, "crucible judge: %s\n", err.msg);
        return -1;
    }
    if (!need_sandbox)
        return 0;
    struct sbx_context_options o = { 0 };
    o.filters = SBX_FILTER_ISOLATED;
    o.dev_dir = getenv("CRUCIBLE_SANDBOX_DEV");
    if (sbx_context_new(&o, &e->sbx, &err) < 0) {
        fprintf(stderr, "crucible judge: the sandbox is not usable: %s\n", err.msg);
        return -1;
    }
    jdg_judge_new(&e->langs, e->sbx, &e->judge, &err);
    return 0;
}

static void env_close(struct env *e)
{
    jdg_judge_free(e->judge);
    sbx_context_free(e->sbx);
    jdg_languages_release(&e->langs);
}

/* Loads a package from a folder or a zip (extracted into a temporary folder). */
int jdg_cmd_load_problem(const char *path, char *tmp, size_t tmpsize, struct prb_problem **p);
int jdg_cmd_load_problem(const char *path, char *tmp, size_t tmpsize, struct prb_problem **p)
{
    struct err err = { 0 };
    struct stat st;
    tmp[0] = '\0';
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        str_fmt(tmp, tmpsize, "%s/crucible-package-XXXXXX", base);
        if (!mkdtemp(tmp)) {
            fprintf(stderr, "crucible: cannot create a temporary folder in %s\n", base);
            tmp[0] = '\0';
            return -1;
        }
    }
    if (prb_package_load(path, tmp[0] ? tmp : NULL, NULL, p, &err) < 0) {
        fprintf(stderr, "crucible: %s: %s\n", path, err.msg);
        if (tmp[0]) {               /* security: a refused archive leaves nothing behind */
            jdg_rmtree(tmp);
            tmp[0] = '\0';
        }
        return -1;
    }
    return 0;
}

static void print_result(const struct jdg_result *r, const struct prb_problem *p, int json)
{
    if (json) {
        struct buf out;
        buf_init(&out, 0);
        jdg_result_to_json(r, &out);
        printf("%s\n", out.buf);
        buf_release(&out);
        return;
    }
    for (size_t i = 0; i < r->ntests; i++) {
        const struct jdg_test_result *t = &r->tests[i];
        printf("%-30s %-4s %7.3f s %8.1f MiB", t->name, jdg_verdict_name(t->verdict), t->time_seconds,
               (double)t->memory_bytes / (1 << 20));
        if (p->type & PRB_TYPE_SCORING)
            printf("  score %g", t->score);
        if (t->message[0])
            printf("  %.100s", t->message);
        printf("\n");
    }
    if (r->verdict == JDG_CE && r->compile_output && r->compile_output[0])
        printf("%s\n", r->compile_output);
    printf("verdict: %s", jdg_verdict_name(r->verdict));
    if (p->type & PRB_TYPE_SCORING)
        printf("  score %g / %g", r->score, r->max_score);
    if (r->has_ai)
        printf("  public %.10g  private %.10g", r->ai_public_score, r->ai_private_score);
    printf("  time %.3f s  memory %.1f MiB", r->time_seconds, (double)r->memory_bytes / (1 << 20));
    if (r->message[0])
        printf("  (%s)", r->message);
    printf("\n");
}

static int cmd_run(int argc, char **argv)
{
    enum { O_PROBLEM = 1, O_LANG, O_ALL, O_JSON, O_LANGS, O_TL, O_SAMPLES, O_HELP };
    static const struct option opts[] = {
        { "problem", required_argument, NULL, O_PROBLEM }, { "lang", required_argument, NULL, O_LANG },
        { "all-tests", no_argument, NULL, O_ALL }, { "json", no_argument, NULL, O_JSON },
        { "languages", required_argument, NULL, O_LANGS }, { "time-limit", required_argument, NULL, O_TL },
        { "samples", no_argument, NULL, O_SAMPLES }, { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 },
    };
    const char *problem = NULL, *lang_id = NULL, *langs_path = NULL;
    struct jdg_options o = { 0 };
    int json = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_PROBLEM: problem = optarg; break;
        case O_LANG: lang_id = optarg; break;
        case O_ALL: o.all_tests = 1; break;
        case O_SAMPLES: o.samples_only = 1; break;
        case O_JSON: json = 1; break;
        case O_LANGS: langs_path = optarg; break;
        case O_TL:
            if (parse_seconds(optarg, 3600, &o.time_limit) < 0 || o.time_limit <= 0)
                return usage("bad --time-limit ", optarg);
            break;
        case O_HELP: fputs(judge_usage, stdout); return 0;
        default: return usage("unknown option ", argv[optind - 1]);
        }
    }
    if (!problem)
        return usage("--problem is required", NULL);
    if (optind >= argc)
        return usage("no source file given", NULL);

    struct env e;
    if (env_open(&e, langs_path, 1) < 0)
        return 1;
    const struct jdg_language *lang = NULL;
    if (lang_id && !(lang = jdg_language_find(&e.langs, lang_id))) {
        env_close(&e);
        return usage("unknown language ", lang_id);
    }
    char tmp[1024];
    struct prb_problem *p = NULL;
    if (jdg_cmd_load_problem(problem, tmp, sizeof(tmp), &p) < 0) {
        env_close(&e);
        return 1;
    }
    struct jdg_submission sub = { .files = (const char *const *)(argv + optind),
                                  .nfiles = (size_t)(argc - optind), .lang = lang };
    struct jdg_result r;
    struct err err = { 0 };
    int rc = jdg_submission_judge(e.judge, p, &sub, &o, &r, &err);
    if (rc < 0)
        fprintf(stderr, "crucible judge: %s\n", err.msg);
    print_result(&r, p, json);
    int code = rc < 0 || r.verdict == JDG_JE ? 1 : 0;
    jdg_result_release(&r);
    prb_problem_free(p);
    if (tmp[0]) {
        char cmd[1100];
        str_fmt(cmd, sizeof(cmd), "%s", tmp);
        jdg_rmtree(cmd);
    }
    env_close(&e);
    return code;
}

static int cmd_languages(int argc, char **argv)
{
    const char *langs_path = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strncmp(argv[i], "--languages=", 12))
            langs_path = argv[i] + 12;
        else
            return usage("unknown option ", argv[i]);
    }
    struct env e;
    if (env_open(&e, langs_path, geteuid() == 0) < 0)
        return 1;
    if (json)
        printf("[");
    for (size_t i = 0; i < e.langs.n; i++) {
        const struct jdg_language *l = &e.langs.v[i];
        char why[256] = "", version[256] = "";
        int ok = jdg_language_usable(e.sbx, l, why, sizeof(why), version, sizeof(version)) > 0;
        if (json) {
            printf("%s{\"id\": \"%s\", \"available\": %s}", i ? ", " : "", l->id, ok ? "true" : "false");
        } else {
            printf("%-11s %-26s %-4s %s\n", l->id, l->name, ok ? "yes" : "no", ok ? version : why);
        }
    }
    if (json)
        printf("]\n");
    env_close(&e);
    return 0;
}

int cmd_judge(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(judge_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if ((!strcmp(argv[1], "run") || !strcmp(argv[1], "daemon")) && jdg_mounts_private() < 0)
        log_warn("judge", "cannot make a mount namespace of its own: %s", strerror(errno));
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "languages"))
        return cmd_languages(argc - 1, argv + 1);
    if (!strcmp(argv[1], "daemon"))
        return jdg_cmd_daemon(argc - 1, argv + 1);
    if (!strcmp(argv[1], "ai-score"))   /* hidden: the judge runs it in the sandbox */
        return jdg_cmd_ai_score(argc - 1, argv + 1);
    return usage("unknown subcommand ", argv[1]);
}
