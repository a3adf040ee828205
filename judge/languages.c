/*
 * languages.c: the language table, read from an administrator's YAML file,
 * and whether this machine can run each language.
 */
#include "judge_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CRUCIBLE_SOURCE_DIR
#define CRUCIBLE_SOURCE_DIR "."
#endif

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static void strv_release(struct prb_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

static void language_release(struct jdg_language *l)
{
    free(l->id);
    free(l->name);
    strv_release(&l->extensions);
    strv_release(&l->compile);
    strv_release(&l->run);
    strv_release(&l->version);
    strv_release(&l->binds);
    memset(l, 0, sizeof(*l));
}

void jdg_languages_release(struct jdg_languages *langs)
{
    for (size_t i = 0; i < langs->n; i++)
        language_release(&langs->v[i]);
    free(langs->v);
    langs->v = NULL;
    langs->n = 0;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= JDG_LANG_ID_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '+'))
            return 0;
    return 1;
}

static int parse_language(const struct prb_yctx *c, const struct prb_ynode *m, struct jdg_language *l)
{
    if (prb_y_expect_map(c, m, "a language") < 0)
        return ERR_INVALID;
    l->time_multiplier = 1.0;
    l->compile_processes = 32;
    l->run_processes = 1;
    int rc = 0;
    for (size_t i = 0; m && i + 1 < m->n && rc == 0; i += 2) {
        const struct prb_ynode *kn = m->kids[i], *v = m->kids[i + 1];
        const char *k = kn->str;
        int64_t n;
        if (!strcmp(k, "id")) {
            rc = prb_y_string(c, v, k, &l->id);
            if (rc == 0 && !valid_id(l->id))
                rc = prb_yerr(c, v, "'id' must be a short lowercase word");
        } else if (!strcmp(k, "name")) {
            rc = prb_y_string(c, v, k, &l->name);
        } else if (!strcmp(k, "extensions")) {
            rc = prb_y_str_or_seq(c, v, k, &l->extensions);
        } else if (!strcmp(k, "compile")) {
            rc = prb_y_strseq(c, v, k, &l->compile);
        } else if (!strcmp(k, "run")) {
            rc = prb_y_strseq(c, v, k, &l->run);
        } else if (!strcmp(k, "version")) {
            rc = prb_y_strseq(c, v, k, &l->version);
        } else if (!strcmp(k, "binds")) {
            rc = prb_y_strseq(c, v, k, &l->binds);
        } else if (!strcmp(k, "time_multiplier")) {
            rc = prb_y_float(c, v, k, &l->time_multiplier);
            if (rc == 0 && !(l->time_multiplier > 0 && l->time_multiplier <= 100))
                rc = prb_yerr(c, v, "'time_multiplier' must be in (0, 100]");
        } else if (!strcmp(k, "memory_extra_mib")) {
            rc = prb_y_int(c, v, k, 0, 1 << 20, &l->memory_extra_mib);
        } else if (!strcmp(k, "compile_processes")) {
            if ((rc = prb_y_int(c, v, k, 1, 4096, &n)) == 0)
                l->compile_processes = (int)n;
        } else if (!strcmp(k, "run_processes")) {
            if ((rc = prb_y_int(c, v, k, 1, 4096, &n)) == 0)
                l->run_processes = (int)n;
        } else if (!strcmp(k, "gpus")) {
            if ((rc = prb_y_int(c, v, k, 0, SBX_MAX_GPUS, &n)) == 0)
                l->gpus = (int)n;
        } else {
            rc = prb_yerr(c, kn, "unknown key '%.64s' in a language", k);
        }
    }
    /* Without `run` (and `compile`) a language is a data file: AI problems'
     * prediction files (JDG_LANGUAGE_IS_DATA). */
    if (rc == 0 && (!l->id || !l->extensions.n))
        rc = prb_yerr(c, m, "a language needs 'id', 'extensions' and 'run'");
    if (rc == 0 && !l->run.n && (l->compile.n || l->gpus || l->binds.n))
        rc = prb_yerr(c, m, "a language without 'run' (prediction files) takes no 'compile', 'gpus' or 'binds'");
    if (rc == 0 && !l->name)
        l->name = xstrdup(l->id);
    for (size_t i = 0; rc == 0 && i < l->binds.n; i++)
        if (l->binds.v[i][0] != '/')
            rc = prb_yerr(c, m, "bind '%s' must be an absolute path", l->binds.v[i]);
    return rc;
}

int jdg_languages_load(const char *path, struct jdg_languages *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct prb_ynode *root = NULL;
    int rc = prb_yaml_load_file(path, path, &root, err);
    if (rc < 0)
        return rc;
    struct prb_yctx c = { .file = path, .err = err };
    const struct prb_ynode *list = NULL;
    if (prb_y_expect_map(&c, root, "the language table") < 0) {
        rc = ERR_INVALID;
        goto out;
    }
    for (size_t i = 0; root && i + 1 < root->n; i += 2) {
        if (strcmp(root->kids[i]->str, "languages") != 0) {
            rc = prb_yerr(&c, root->kids[i], "unknown key '%.64s'", root->kids[i]->str);
            goto out;
        }
        list = root->kids[i + 1];
    }
    if (!list || list->kind != PRB_Y_SEQ) {
        rc = err_set(err, ERR_INVALID, "%s: 'languages' must be a list", path);
        goto out;
    }
    if (list->n > JDG_MAX_LANGUAGES) {
        rc = prb_yerr(&c, list, "more than %d languages", JDG_MAX_LANGUAGES);
        goto out;
    }
    out->v = calloc(list->n ? list->n : 1, sizeof(*out->v));
    if (!out->v)
        abort();
    for (size_t i = 0; i < list->n; i++) {
        struct jdg_language *l = &out->v[out->n++];
        if ((rc = parse_language(&c, list->kids[i], l)) < 0)
            goto out;
        for (size_t j = 0; j + 1 < out->n; j++) {
            if (!strcmp(out->v[j].id, l->id)) {
                rc = prb_yerr(&c, list->kids[i], "language '%s' is listed twice", l->id);
                goto out;
            }
            for (size_t a = 0; a < l->extensions.n; a++)
                for (size_t b = 0; b < out->v[j].extensions.n; b++)
                    if (!strcmp(l->extensions.v[a], out->v[j].extensions.v[b])) {
                        rc = prb_yerr(&c, list->kids[i], "extension '%s' belongs to '%s' already",
                                      l->extensions.v[a], out->v[j].id);
                        goto out;
                    }
        }
    }
out:
    prb_yaml_free(root);
    if (rc < 0)
        jdg_languages_release(out);
    return rc;
}

const struct jdg_language *jdg_language_find(const struct jdg_languages *langs, const char *id)
{
    for (size_t i = 0; i < langs->n; i++)
        if (!strcmp(langs->v[i].id, id))
            return &langs->v[i];
    for (size_t i = 0; i < langs->n; i++)
        for (size_t e = 0; e < langs->v[i].extensions.n; e++)
            if (!strcmp(langs->v[i].extensions.v[e], id))
                return &langs->v[i];
    return NULL;
}

const struct jdg_language *jdg_language_for_file(const struct jdg_languages *langs, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return NULL;
    for (size_t i = 0; i < langs->n; i++)
        for (size_t e = 0; e < langs->v[i].extensions.n; e++)
            if (!strcmp(langs->v[i].extensions.v[e], dot + 1))
                return &langs->v[i];
    return NULL;
}

const char *jdg_languages_default_path(void)
{
    const char *env = getenv("CRUCIBLE_LANGUAGES");
    if (env && *env)
        return env;
    if (access("/etc/crucible/languages.yaml", R_OK) == 0)
        return "/etc/crucible/languages.yaml";
    return CRUCIBLE_SOURCE_DIR "/judge/languages.yaml";
}

int jdg_language_usable(struct sbx_context *sbx, const struct jdg_language *l, char *why, size_t size,
                        char *version, size_t vsize)
{
    version[0] = '\0';
    const struct prb_strv *cmds[] = { &l->compile, &l->run };
    for (int i = 0; i < 2; i++) {
        const char *prog = cmds[i]->n ? cmds[i]->v[0] : NULL;
        if (prog && prog[0] == '/' && access(prog, X_OK) < 0) {
            str_fmt(why, size, "%s is not installed", prog);
            return 0;
        }
    }
    if (l->gpus > 0) {
        const char *dev = getenv("CRUCIBLE_SANDBOX_DEV");
        char path[512];
        str_fmt(path, sizeof(path), "%s/nvidia0", dev ? dev : "/dev");
        if (access(path, F_OK) < 0) {
            str_fmt(why, size, "needs a GPU; this machine has none");
            return 0;
        }
    }
    if (l->version.n && sbx) {
        char out[] = "/tmp/crucible-version-XXXXXX";
        int fd = mkstemp(out);
        if (fd >= 0) {
            struct sbx_config cfg;
            sbx_config_init(&cfg);
            cfg.argv = (const char *const *)l->version.v;
            cfg.time_limit = 10;
            cfg.memory_limit = (uint64_t)2 << 30;
            cfg.processes = 64;
            cfg.stdout_fd = fd;
            cfg.stderr_fd = fd;
            struct sbx_result r;
            sbx_run(sbx, &cfg, &r);
            struct buf b;
            buf_init(&b, 0);
            jdg_read_capped(out, 200, &b, NULL);
            size_t n = strcspn(b.buf, "\n");
            str_fmt(version, vsize, "%.*s", (int)n, b.buf);
            buf_release(&b);
            close(fd);
            unlink(out);
            if (r.status != SBX_OK) {
                str_fmt(why, size, "its version command fails in the sandbox (%s%s%s)", sbx_status_name(r.status),
                        r.message[0] ? ": " : "", r.message);
                return r.status == SBX_SANDBOX_ERROR ? -1 : 0;
            }
        }
    }
    return 1;
}
