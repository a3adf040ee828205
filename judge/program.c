/*
 * program.c: making programs ready to run. A submission's sources are
 * compiled in the sandbox; a package's validators and checkers too, once,
 * into a cache keyed by the hash of their files and of the language table
 * entry used. The result is always a folder owned by root and read-only to
 * the runs, copied (hard-linked) into a fresh box for each run.
 */
#include "judge_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMPILE_OUTPUT_LIMIT ((uint64_t)64 << 20)

/* A file name safe to place in the box as it is. */
static int safe_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 200)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == '+'))
            return 0;
    return 1;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static void main_of(const char *file, char *out, size_t size)
{
    str_fmt(out, size, "%s", base_name(file));
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

/* Parses "HOST[:INSIDE]" binds of a language into cfg (borrowing). */
void jdg_language_binds(const struct jdg_language *lang, struct sbx_config *cfg, char store[][JDG_PATH_MAX])
{
    for (size_t i = 0; lang && i < lang->binds.n && cfg->nbinds < SBX_MAX_BINDS; i++) {
        char *s = store[cfg->nbinds];
        str_fmt(s, JDG_PATH_MAX, "%s", lang->binds.v[i]);
        char *colon = strchr(s, ':');
        struct sbx_bind *b = &cfg->binds[cfg->nbinds++];
        b->host = s;
        b->inside = s;
        if (colon) {
            *colon = '\0';
            b->inside = colon + 1;
        }
        b->writable = 0;
    }
}

int jdg_program_build(struct jdg_judge *j, const struct jdg_language *lang,
                      const char *const *files, size_t nfiles, const char *dir,
                      const char *log_path, const struct jdg_limits *lim,
                      struct sbx_result *res, double *cpu, struct err *err)
{
    memset(res, 0, sizeof(*res));
    if (nfiles == 0 || nfiles > JDG_MAX_FILES)
        return err_set(err, ERR_INVALID, "a program needs 1 to %d source files", JDG_MAX_FILES);
    if (jdg_mkdirs(dir, 0755) < 0)
        return err_sys(err, "cannot create '%s'", dir);

    const char *names[JDG_MAX_FILES];
    uint64_t total = 0;
    for (size_t i = 0; i < nfiles; i++) {
        names[i] = base_name(files[i]);
        if (!safe_name(names[i]))
            return err_set(err, ERR_INVALID, "source file name '%.64s' has characters other than "
                           "letters, digits, '.', '_', '-' and '+'", names[i]);
        struct stat st;
        if (stat(files[i], &st) < 0 || !S_ISREG(st.st_mode))
            return err_set(err, ERR_INVALID, "source file '%s' is not a readable file", files[i]);
        total += (uint64_t)st.st_size;
        if (total > JDG_SOURCE_MAX_BYTES)
            return err_set(err, ERR_LIMIT, "the sources are larger than %u bytes", JDG_SOURCE_MAX_BYTES);
        char dst[JDG_PATH_MAX];
        str_fmt(dst, sizeof(dst), "%s/%s", dir, names[i]);
        if (jdg_copy_file(files[i], dst, 0644, JDG_SOURCE_MAX_BYTES, err) < 0)
            return -1;
    }
    char main[256];
    main_of(names[0], main, sizeof(main));

    if (lang->compile.n) {
        struct prb_strv argv = { 0 };
        jdg_expand(&lang->compile, names, nfiles, main, lim->memory >> 20, &argv);
        int logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
        if (logfd < 0) {
            jdg_strv_release(&argv);
            return err_sys(err, "cannot create '%s'", log_path);
        }
        struct sbx_config cfg;
        sbx_config_init(&cfg);
        cfg.argv = (const char *const *)argv.v;
        cfg.box = dir;
        cfg.time_limit = lim->time;
        cfg.wall_limit = lim->time * 2 + 5;
        cfg.memory_limit = lim->memory;
        cfg.processes = lang->compile_processes;
        cfg.output_limit = COMPILE_OUTPUT_LIMIT;
        cfg.fd_limit = 256;
        cfg.stdout_fd = logfd;
        cfg.stderr_fd = logfd;
        char bind_store[SBX_MAX_BINDS][JDG_PATH_MAX];
        jdg_language_binds(lang, &cfg, bind_store);
        int rc = sbx_run(j->sbx, &cfg, res);
        close(logfd);
        jdg_strv_release(&argv);
        if (cpu)
            *cpu += res->cpu_seconds;
        if (rc < 0 || res->status == SBX_SANDBOX_ERROR)
            return err_set(err, ERR_SYSTEM, "the compiler could not be run: %s", res->message);
        if (res->status != SBX_OK)
            return 1;
    }
    if (jdg_seal_tree(dir, err) < 0)
        return -1;
    return 0;
}

void jdg_program_release(struct jdg_program *prog)
{
    jdg_strv_release(&prog->run);
    memset(prog, 0, sizeof(*prog));
}

/* The source files of a package program: the file itself, or the files of
 * its folder in name order; the language of the first recognised one. */
static int package_sources(struct jdg_judge *j, const char *path, char files[][JDG_PATH_MAX],
                           size_t *nfiles, const struct jdg_language **lang, int *has_scripts,
                           struct err *err)
{
    struct stat st;
    *nfiles = 0;
    *lang = NULL;
    *has_scripts = 0;
    if (stat(path, &st) < 0)
        return err_sys(err, "cannot open '%s'", path);
    if (S_ISREG(st.st_mode)) {
        str_fmt(files[0], JDG_PATH_MAX, "%s", path);
        *nfiles = 1;
        *lang = jdg_language_for_file(j->langs, path);
        if (!*lang)
            return err_set(err, ERR_INVALID, "'%s': no language for this file", path);
        return 0;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0)
        return err_sys(err, "cannot read '%s'", path);
    const char *dirname = base_name(path);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char full[JDG_PATH_MAX];
        str_fmt(full, sizeof(full), "%s/%s", path, name);
        if (name[0] != '.' && stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            if (!strcmp(name, "build") || !strcmp(name, "run"))
                *has_scripts = 1;
            const struct jdg_language *l = jdg_language_for_file(j->langs, name);
            if (l && (!*lang || l == *lang) && *nfiles < JDG_MAX_FILES) {
                /* The main file first: one named after the folder, else the
                 * first in name order. */
                char m[256];
                main_of(name, m, sizeof(m));
                if (*nfiles && (!strcmp(m, dirname) || !strcmp(m, "main") || !strcmp(m, "validator") ||
                                !strcmp(m, "checker"))) {
                    memmove(files[1], files[0], JDG_PATH_MAX * *nfiles);
                    str_fmt(files[0], JDG_PATH_MAX, "%s", full);
                } else {
                    str_fmt(files[*nfiles], JDG_PATH_MAX, "%s", full);
                }
                (*nfiles)++;
                *lang = l;
            }
        }
        free(names[i]);
    }
    free(names);
    if (!*has_scripts && !*nfiles)
        rc = err_set(err, ERR_INVALID, "'%s' holds no program in a known language", path);
    return rc;
}

int jdg_program_prepare_package(struct jdg_judge *j, const char *path, const char *cache_dir,
                                const char *work, struct jdg_program *prog, double *cpu,
                                struct err *err)
{
    memset(prog, 0, sizeof(*prog));
    char (*files)[JDG_PATH_MAX] = calloc(JDG_MAX_FILES, JDG_PATH_MAX);
    if (!files)
        abort();
    const char *ptrs[JDG_MAX_FILES];
    size_t nfiles;
    const struct jdg_language *lang;
    int scripts;
    int rc = package_sources(j, path, files, &nfiles, &lang, &scripts, err);
    if (rc < 0) {
        free(files);
        return rc;
    }
    for (size_t i = 0; i < nfiles; i++)
        ptrs[i] = files[i];

    /* The cache key covers the sources and the commands that build them. */
    struct buf extra;
    buf_init(&extra, 1 << 16);
    buf_addf(&extra, "crucible-program 1\n%s\n", scripts ? "scripts" : lang->id);
    for (size_t i = 0; !scripts && i < lang->compile.n; i++)
        buf_addf(&extra, "%s\n", lang->compile.v[i]);
    char hex[65];
    rc = jdg_hash_tree(path, extra.buf, hex, err);
    buf_release(&extra);
    if (rc == 0 && str_fmt(prog->dir, sizeof(prog->dir), "%s/%s", cache_dir, hex) < 0)
        rc = err_set(err, ERR_LIMIT, "cache path too long");
    if (rc < 0) {
        free(files);
        return rc;
    }
    prog->lang = scripts ? NULL : lang;
    if (!scripts)
        main_of(files[0], prog->main, sizeof(prog->main));
    prog->own_run_script = scripts;
    if (scripts)
        jdg_strv_push(&prog->run, "./run");
    else
        for (size_t i = 0; i < lang->run.n; i++)
            jdg_strv_push(&prog->run, lang->run.v[i]);

    struct stat st;
    if (stat(prog->dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        free(files);
        return 0;   /* built before */
    }

    char build[JDG_PATH_MAX], log[JDG_PATH_MAX];
    str_fmt(build, sizeof(build), "%s/build-%s", work, hex);
    str_fmt(log, sizeof(log), "%s/build-%s.log", work, hex);
    jdg_rmtree(build);
    struct jdg_limits lim = { .time = JDG_DEFAULT_COMPILE_S, .memory = (uint64_t)JDG_DEFAULT_MEMORY_MIB << 20 };
    struct sbx_result res;
    if (scripts) {
        /* A folder with build/run scripts: copy it and run ./build there. */
        if ((rc = jdg_copy_tree(path, build, err)) < 0)
            goto out;
        char b[JDG_PATH_MAX];
        str_fmt(b, sizeof(b), "%s/build", build);
        if (access(b, F_OK) == 0) {
            chmod(b, 0755);
            struct sbx_config cfg;
            sbx_config_init(&cfg);
            const char *argv[] = { "/bin/sh", "./build", NULL };
            cfg.argv = argv;
            cfg.box = build;
            cfg.time_limit = lim.time;
            cfg.memory_limit = lim.memory;
            cfg.processes = 64;
            cfg.stdout_path = log;
            cfg.stderr_path = log;
            sbx_run(j->sbx, &cfg, &res);
            if (cpu)
                *cpu += res.cpu_seconds;
            if (res.status != SBX_OK) {
                rc = err_set(err, ERR_INVALID, "'%s/build' failed: %s", path, sbx_status_name(res.status));
                goto out;
            }
        }
        char r[JDG_PATH_MAX];
        str_fmt(r, sizeof(r), "%s/run", build);
        chmod(r, 0755);
        if ((rc = jdg_seal_tree(build, err)) < 0)
            goto out;
    } else {
        /* A folder's other files (a checker's testlib.h, data) go along. */
        struct stat pst;
        if (stat(path, &pst) == 0 && S_ISDIR(pst.st_mode) && (rc = jdg_copy_tree(path, build, err)) < 0)
            goto out;
        rc = jdg_program_build(j, lang, ptrs, nfiles, build, log, &lim, &res, cpu, err);
        if (rc > 0) {
            struct buf out;
            buf_init(&out, 0);
            jdg_read_capped(log, 300, &out, NULL);
            rc = err_set(err, ERR_INVALID, "'%s' does not compile (%s): %s", path,
                         sbx_status_name(res.status), out.buf);
            buf_release(&out);
        }
        if (rc < 0)
            goto out;
    }
    if (jdg_mkdirs(cache_dir, 0700) < 0) {
        rc = err_sys(err, "cannot create the cache '%s'", cache_dir);
        goto out;
    }
    /* Publish atomically; a concurrent judge may have won the race. The
     * thread id keeps the daemon's workers (one process) apart. */
    char tmp[JDG_PATH_MAX];
    str_fmt(tmp, sizeof(tmp), "%s.tmp-%d-%d", prog->dir, (int)getpid(), (int)gettid());
    jdg_rmtree(tmp);
    if ((rc = jdg_copy_tree(build, tmp, err)) < 0)
        goto out;
    if (rename(tmp, prog->dir) < 0) {
        jdg_rmtree(tmp);
        if (!(errno == EEXIST || errno == ENOTEMPTY))
            rc = err_sys(err, "cannot publish '%s'", prog->dir);
    }
out:
    jdg_rmtree(build);
    free(files);
    if (rc < 0)
        jdg_program_release(prog);
    return rc;
}

int jdg_program_config(const struct jdg_program *prog, const char *box_dir,
                       const struct jdg_limits *lim, const struct prb_strv *args,
                       struct prb_strv *argv_store, struct sbx_config *cfg, struct err *err)
{
    if (jdg_copy_tree(prog->dir, box_dir, err) < 0)
        return -1;
    jdg_expand(&prog->run, NULL, 0, prog->main, lim->memory >> 20, argv_store);
    for (size_t i = 0; args && i < args->n; i++)
        jdg_strv_push(argv_store, args->v[i]);
    cfg->argv = (const char *const *)argv_store->v;
    cfg->box = box_dir;
    cfg->time_limit = lim->time;
    cfg->memory_limit = lim->memory;
    cfg->output_limit = lim->output;
    cfg->processes = lim->processes;
    return 0;
}

int jdg_source_files(const struct jdg_languages *langs, const char *path, char **files, size_t *nfiles,
                     const struct jdg_language **lang)
{
    struct stat st;
    *nfiles = 0;
    *lang = NULL;
    if (stat(path, &st) < 0)
        return -1;
    if (S_ISREG(st.st_mode)) {
        files[(*nfiles)++] = strdup(path);
        if (!files[0])
            abort();
        *lang = jdg_language_for_file(langs, path);
        return 0;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char full[JDG_PATH_MAX];
        const struct jdg_language *l = jdg_language_for_file(langs, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && l && *nfiles < JDG_MAX_FILES &&
            str_fmt(full, sizeof(full), "%s/%s", path, names[i]->d_name) == 0 && stat(full, &st) == 0 &&
            S_ISREG(st.st_mode) && (!*lang || *lang == l)) {
            files[*nfiles] = strdup(full);
            if (!files[*nfiles])
                abort();
            (*nfiles)++;
            *lang = l;
        }
        free(names[i]);
    }
    free(names);
    return *nfiles ? 0 : -1;
}
