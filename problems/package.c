/*
 * package.c: prb_package_load and problem.yaml. Finds the package root
 * (a folder, or a .zip extracted by archive.c), parses problem.yaml for the
 * legacy, 2023-07-draft and 2025-09 formats with unknown keys as errors,
 * resolves the time limit, and hands data/ to testdata.c.
 */
#include "problems_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TIMELIMIT_FILE_MAX 64   /* bytes read from `.timelimit` */
#define TIME_EPS 1e-9           /* slack for comparing float seconds */

const char *prb_format_name(enum prb_format format)
{
    switch (format) {
    case PRB_FORMAT_LEGACY: return "legacy";
    case PRB_FORMAT_2023_07_DRAFT: return "2023-07-draft";
    case PRB_FORMAT_2025_09: return "2025-09";
    }
    return "unknown";
}

const char *prb_problem_name(const struct prb_problem *p)
{
    for (size_t i = 0; i < p->n_names; i++)
        if (!strcmp(p->names[i].key, "en"))
            return p->names[i].value;
    return p->n_names ? p->names[0].value : "";
}

/* ---- freeing ---- */

static void ai_free(struct prb_ai *ai);

static void people_release(struct prb_people *pp)
{
    for (size_t i = 0; i < pp->n; i++) {
        free(pp->v[i].name);
        free(pp->v[i].email);
        free(pp->v[i].orcid);
        free(pp->v[i].kattis);
    }
    free(pp->v);
    pp->v = NULL;
    pp->n = 0;
}

static void kv_release(struct prb_kv *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].key);
        free(v[i].value);
    }
    free(v);
}

void prb_problem_free(struct prb_problem *p)
{
    if (!p)
        return;
    free(p->root);
    free(p->short_name);
    kv_release(p->names, p->n_names);
    free(p->uuid);
    free(p->version);
    people_release(&p->credits.authors);
    people_release(&p->credits.contributors);
    people_release(&p->credits.testers);
    people_release(&p->credits.packagers);
    people_release(&p->credits.acknowledgements);
    for (size_t i = 0; i < p->credits.n_translators; i++) {
        free(p->credits.translators[i].lang);
        people_release(&p->credits.translators[i].people);
    }
    free(p->credits.translators);
    for (size_t i = 0; i < p->n_sources; i++) {
        free(p->sources[i].name);
        free(p->sources[i].url);
    }
    free(p->sources);
    free(p->license);
    free(p->rights_owner);
    free(p->embargo_until);
    prbi_strv_release(&p->keywords);
    prbi_strv_release(&p->languages);
    for (size_t i = 0; i < p->n_constants; i++) {
        free(p->constants[i].name);
        free(p->constants[i].value);
        kv_release(p->constants[i].variants, p->constants[i].n_variants);
    }
    free(p->constants);
    prbi_strv_release(&p->validator_flags);
    prbi_group_free(p->root_group);
    free(p->groups);
    free(p->cases);
    ai_free(p->ai);
    free(p);
}

/* ---- paths ---- */

int prbi_check_inside(struct prbi_load *ld, const char *full, const char *rel)
{
    char *real = realpath(full, NULL);
    if (!real)
        return err_sys(ld->err, "cannot open '%s'", rel);
    size_t rl = strlen(ld->root_real);
    int ok = strncmp(real, ld->root_real, rl) == 0 && (real[rl] == '\0' || real[rl] == '/');
    free(real);
    if (!ok)
        return err_set(ld->err, ERR_INVALID, "'%s': points outside the package", rel);
    return 0;
}

static int is_dir(const char *root, const char *name)
{
    char *p = prbi_path_join(root, name);
    struct stat st;
    int r = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return r;
}

static int is_file(const char *root, const char *name)
{
    char *p = prbi_path_join(root, name);
    struct stat st;
    int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return r;
}

/* An extracted archive holds problem.yaml at its top or in its only
 * top-level folder (the spec's "archive of such a directory"). */
static int find_archive_root(const char *tmp, const char *zip, char **out, struct err *err)
{
    if (is_file(tmp, "problem.yaml")) {
        *out = prbi_strdup(tmp);
        return 0;
    }
    DIR *d = opendir(tmp);
    if (!d)
        return err_sys(err, "cannot open '%s'", tmp);
    struct dirent *de;
    char *only = NULL;
    int count = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "__MACOSX"))
            continue;
        count++;
        free(only);
        only = prbi_strdup(de->d_name);
    }
    closedir(d);
    if (count == 1) {
        char *sub = prbi_path_join(tmp, only);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode) && is_file(sub, "problem.yaml")) {
            free(only);
            *out = sub;
            return 0;
        }
        free(sub);
    }
    free(only);
    return err_set(err, ERR_INVALID,
                   "'%s': no problem.yaml at the top or in a single top-level folder", zip);
}

/* ---- problem.yaml ---- */

struct pctx {
    struct prb_yctx c;
    struct prb_problem *p;
    int legacy;
    int has_version_key;
    int have_time_limit;
    int have_validation_passes;
    char *legacy_author;
    char *legacy_source_url;
    const struct prb_ynode *source_url_node;
    const struct prb_ynode *rights_node;
    int validation_custom;
    int validation_interactive;
    int validation_score;
    const struct prb_ynode *validation_node;
    const struct prb_ynode *grading_node;
};

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return prbi_strndup(s, n);
}

static void people_push(struct prb_people *pp, struct prb_person *person)
{
    pp->v = prbi_realloc_array(pp->v, pp->n + 1, sizeof(*pp->v));
    pp->v[pp->n++] = *person;
}

/* "Full Name <email>" or "Full Name". */
static int person_from_string(const struct prb_yctx *c, const struct prb_ynode *n,
                              const char *s, struct prb_person *out)
{
    memset(out, 0, sizeof(*out));
    const char *lt = strchr(s, '<');
    if (lt) {
        const char *gt = strchr(lt, '>');
        if (!gt || gt[1] != '\0' || gt == lt + 1)
            return prb_yerr(c, n, "person '%.64s' must be 'Name' or 'Name <email>'", s);
        out->name = trim_dup(s, (size_t)(lt - s));
        out->email = prbi_strndup(lt + 1, (size_t)(gt - lt - 1));
    } else {
        out->name = trim_dup(s, strlen(s));
    }
    if (!out->name[0]) {
        free(out->name);
        free(out->email);
        memset(out, 0, sizeof(*out));
        return prb_yerr(c, n, "person without a name");
    }
    return 0;
}

static int parse_person(const struct prb_yctx *c, const struct prb_ynode *n,
                        struct prb_person *out)
{
    memset(out, 0, sizeof(*out));
    if (n && n->kind == PRB_Y_SCALAR && !prb_y_is_null(n))
        return person_from_string(c, n, n->str, out);
    if (!n || n->kind != PRB_Y_MAP)
        return prb_yerr(c, n, "a person must be a string or a map");
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *k = n->kids[i]->str;
        char **dst = !strcmp(k, "name") ? &out->name : !strcmp(k, "email") ? &out->email
                   : !strcmp(k, "orcid") ? &out->orcid : !strcmp(k, "kattis") ? &out->kattis
                   : NULL;
        int rc = dst ? prb_y_string(c, n->kids[i + 1], k, dst)
                     : prb_yerr(c, n->kids[i], "unknown key '%.64s' in a person", k);
        if (rc < 0)
            goto fail;
    }
    if (out->name)
        return 0;
    prb_yerr(c, n, "a person needs 'name'");
fail:
    free(out->name);
    free(out->email);
    free(out->orcid);
    free(out->kattis);
    memset(out, 0, sizeof(*out));
    return ERR_INVALID;
}

/* Person or non-empty sequence of persons. */
static int parse_people(const struct prb_yctx *c, const struct prb_ynode *n, const char *key,
                        struct prb_people *out)
{
    struct prb_person person;
    if (n && n->kind == PRB_Y_SEQ) {
        if (n->n == 0)
            return prb_yerr(c, n, "'%s' must not be empty", key);
        for (size_t i = 0; i < n->n; i++) {
            if (parse_person(c, n->kids[i], &person) < 0)
                return ERR_INVALID;
            people_push(out, &person);
        }
        return 0;
    }
    if (parse_person(c, n, &person) < 0)
        return ERR_INVALID;
    people_push(out, &person);
    return 0;
}

static int parse_credits(struct pctx *x, const struct prb_ynode *n)
{
    struct prb_credits *cr = &x->p->credits;
    if (n && n->kind == PRB_Y_SCALAR)
        return parse_people(&x->c, n, "credits", &cr->authors);
    if (!n || n->kind != PRB_Y_MAP)
        return prb_yerr(&x->c, n, "'credits' must be a string or a map");
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *k = n->kids[i]->str;
        const struct prb_ynode *v = n->kids[i + 1];
        struct prb_people *pp = !strcmp(k, "authors") ? &cr->authors
                              : !strcmp(k, "contributors") ? &cr->contributors
                              : !strcmp(k, "testers") ? &cr->testers
                              : !strcmp(k, "packagers") ? &cr->packagers
                              : !strcmp(k, "acknowledgements") ? &cr->acknowledgements : NULL;
        int rc;
        if (pp) {
            rc = parse_people(&x->c, v, k, pp);
        } else if (!strcmp(k, "translators")) {
            if (!v || v->kind != PRB_Y_MAP)
                return prb_yerr(&x->c, v, "'translators' must map languages to people");
            rc = 0;
            for (size_t j = 0; rc == 0 && j + 1 < v->n; j += 2) {
                cr->translators = prbi_realloc_array(cr->translators, cr->n_translators + 1,
                                                     sizeof(*cr->translators));
                struct prb_translation *tr = &cr->translators[cr->n_translators++];
                memset(tr, 0, sizeof(*tr));
                tr->lang = prbi_strdup(v->kids[j]->str);
                rc = parse_people(&x->c, v->kids[j + 1], "translators", &tr->people);
            }
        } else {
            rc = prb_yerr(&x->c, n->kids[i], "unknown key '%.64s' in 'credits'", k);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void source_push(struct prb_problem *p, char *name, char *url)
{
    p->sources = prbi_realloc_array(p->sources, p->n_sources + 1, sizeof(*p->sources));
    p->sources[p->n_sources].name = name;
    p->sources[p->n_sources].url = url;
    p->n_sources++;
}

static int parse_source_entry(struct pctx *x, const struct prb_ynode *n)
{
    char *name = NULL, *url = NULL;
    if (n && n->kind == PRB_Y_MAP) {
        for (size_t i = 0; i + 1 < n->n; i += 2) {
            const char *k = n->kids[i]->str;
            int rc = !strcmp(k, "name") ? prb_y_string(&x->c, n->kids[i + 1], k, &name)
                   : !strcmp(k, "url") ? prb_y_string(&x->c, n->kids[i + 1], k, &url)
                   : prb_yerr(&x->c, n->kids[i], "unknown key '%.64s' in 'source'", k);
            if (rc < 0)
                goto fail;
        }
        if (!name) {
            prb_yerr(&x->c, n, "a source needs 'name'");
            goto fail;
        }
    } else if (prb_y_string(&x->c, n, "source", &name) < 0) {
        goto fail;
    }
    source_push(x->p, name, url);
    return 0;
fail:
    free(name);
    free(url);
    return ERR_INVALID;
}

static int parse_source(struct pctx *x, const struct prb_ynode *n)
{
    if (x->legacy) {
        char *name = NULL;
        if (prb_y_string(&x->c, n, "source", &name) < 0)
            return ERR_INVALID;
        source_push(x->p, name, NULL);
        return 0;
    }
    if (n && n->kind == PRB_Y_SEQ) {
        if (n->n == 0)
            return prb_yerr(&x->c, n, "'source' must not be empty");
        for (size_t i = 0; i < n->n; i++)
            if (parse_source_entry(x, n->kids[i]) < 0)
                return ERR_INVALID;
        return 0;
    }
    return parse_source_entry(x, n);
}

static int parse_name(struct pctx *x, const struct prb_ynode *n)
{
    struct prb_problem *p = x->p;
    if (n && n->kind == PRB_Y_MAP) {
        if (n->n == 0)
            return prb_yerr(&x->c, n, "'name' must not be empty");
        for (size_t i = 0; i + 1 < n->n; i += 2) {
            char *v = NULL;
            if (prb_y_string(&x->c, n->kids[i + 1], "name", &v) < 0)
                return ERR_INVALID;
            p->names = prbi_realloc_array(p->names, p->n_names + 1, sizeof(*p->names));
            p->names[p->n_names].key = prbi_strdup(n->kids[i]->str);
            p->names[p->n_names].value = v;
            p->n_names++;
        }
        return 0;
    }
    char *v = NULL;
    if (prb_y_string(&x->c, n, "name", &v) < 0)
        return prb_yerr(&x->c, n, "'name' must be a string or a map of languages to strings");
    p->names = prbi_calloc(1, sizeof(*p->names));
    p->names[0].key = prbi_strdup("en");
    p->names[0].value = v;
    p->n_names = 1;
    return 0;
}

static const struct {
    const char *word;
    unsigned bit;
} type_words[] = {
    { "pass-fail", PRB_TYPE_PASS_FAIL },
    { "scoring", PRB_TYPE_SCORING },
    { "multi-pass", PRB_TYPE_MULTI_PASS },
    { "interactive", PRB_TYPE_INTERACTIVE },
    { "submit-answer", PRB_TYPE_SUBMIT_ANSWER },
    { NULL, 0 },
};

static int parse_type(struct pctx *x, const struct prb_ynode *n)
{
    struct prb_strv words = { 0 };
    unsigned type = 0;
    int rc = 0;
    if (x->legacy) {
        char *s = NULL;
        if (prb_y_string(&x->c, n, "type", &s) < 0)
            return ERR_INVALID;
        if (!strcmp(s, "pass-fail"))
            type = PRB_TYPE_PASS_FAIL;
        else if (!strcmp(s, "scoring"))
            type = PRB_TYPE_SCORING;
        else
            rc = prb_yerr(&x->c, n, "'type' must be 'pass-fail' or 'scoring', not '%.64s'", s);
        free(s);
        x->p->type = type;
        return rc;
    }
    if ((rc = prb_y_str_or_seq(&x->c, n, "type", &words)) < 0)
        return rc;
    for (size_t i = 0; i < words.n && rc == 0; i++) {
        size_t w = 0;
        while (type_words[w].word && strcmp(type_words[w].word, words.v[i]))
            w++;
        if (!type_words[w].word)
            rc = prb_yerr(&x->c, n, "unknown problem type '%.64s'", words.v[i]);
        else if (type & type_words[w].bit)
            rc = prb_yerr(&x->c, n, "problem type '%s' repeated", words.v[i]);
        type |= type_words[w].bit;
    }
    prbi_strv_release(&words);
    if (rc < 0)
        return rc;
    if ((type & PRB_TYPE_PASS_FAIL) && (type & PRB_TYPE_SCORING))
        return prb_yerr(&x->c, n, "problem types 'pass-fail' and 'scoring' are incompatible");
    if ((type & PRB_TYPE_SUBMIT_ANSWER) && (type & (PRB_TYPE_MULTI_PASS | PRB_TYPE_INTERACTIVE)))
        return prb_yerr(&x->c, n, "problem type 'submit-answer' is incompatible with "
                         "'multi-pass' and 'interactive'");
    if (!(type & PRB_TYPE_SCORING))
        type |= PRB_TYPE_PASS_FAIL;
    x->p->type = type;
    return 0;
}

static const char *const licenses[] = {
    "unknown", "public domain", "cc0", "cc by", "cc by-sa", "educational", "permission", NULL,
};

static int parse_license(struct pctx *x, const struct prb_ynode *n)
{
    char *s = NULL;
    if (prb_y_string(&x->c, n, "license", &s) < 0)
        return ERR_INVALID;
    for (size_t i = 0; licenses[i]; i++) {
        if (!strcmp(licenses[i], s)) {
            free(x->p->license);
            x->p->license = s;
            return 0;
        }
    }
    int rc = prb_yerr(&x->c, n, "unknown license '%.64s'", s);
    free(s);
    return rc;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int parse_embargo(struct pctx *x, const struct prb_ynode *n)
{
    char *s = NULL;
    if (prb_y_string(&x->c, n, "embargo_until", &s) < 0)
        return ERR_INVALID;
    size_t l = strlen(s);
    int ok = (l == 10 || l == 20) && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
             s[7] == '-' && digits(s + 8, 2);
    if (ok && l == 20)
        ok = s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) &&
             s[16] == ':' && digits(s + 17, 2) && s[19] == 'Z';
    if (!ok) {
        free(s);
        return prb_yerr(&x->c, n, "'embargo_until' must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ");
    }
    free(x->p->embargo_until);
    x->p->embargo_until = s;
    return 0;
}

static int valid_constant_name(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static int parse_constants(struct pctx *x, const struct prb_ynode *n)
{
    struct prb_problem *p = x->p;
    if (!n || n->kind != PRB_Y_MAP)
        return prb_yerr(&x->c, n, "'constants' must be a map");
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const struct prb_ynode *kn = n->kids[i], *v = n->kids[i + 1];
        if (!valid_constant_name(kn->str))
            return prb_yerr(&x->c, kn, "invalid constant name '%.64s'", kn->str);
        p->constants = prbi_realloc_array(p->constants, p->n_constants + 1, sizeof(*p->constants));
        struct prb_constant *k = &p->constants[p->n_constants++];
        memset(k, 0, sizeof(*k));
        k->name = prbi_strdup(kn->str);
        if (v && v->kind == PRB_Y_MAP && p->format == PRB_FORMAT_2025_09) {
            for (size_t j = 0; j + 1 < v->n; j += 2) {
                const char *vk = v->kids[j]->str;
                char *val = NULL;
                if (prb_y_string(&x->c, v->kids[j + 1], vk, &val) < 0)
                    return ERR_INVALID;
                if (!strcmp(vk, "value")) {
                    k->value = val;
                    continue;
                }
                k->variants = prbi_realloc_array(k->variants, k->n_variants + 1,
                                                 sizeof(*k->variants));
                k->variants[k->n_variants].key = prbi_strdup(vk);
                k->variants[k->n_variants].value = val;
                k->n_variants++;
            }
            if (!k->value)
                return prb_yerr(&x->c, v, "constant '%.64s' needs 'value'", kn->str);
        } else if (!v || v->kind != PRB_Y_SCALAR || prb_y_is_null(v)) {
            return prb_yerr(&x->c, v, "constant '%.64s' must be an int, float or string",
                             kn->str);
        } else {
            k->value = prbi_strdup(v->str);
        }
    }
    return 0;
}

static int parse_limits(struct pctx *x, const struct prb_ynode *n)
{
    struct prb_limits *lim = &x->p->limits;
    if (!n || n->kind != PRB_Y_MAP)
        return prb_yerr(&x->c, n, "'limits' must be a map");
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const struct prb_ynode *kn = n->kids[i], *v = n->kids[i + 1];
        const char *k = kn->str;
        int64_t *ip = !strcmp(k, "memory") ? &lim->memory_mib
                    : !strcmp(k, "output") ? &lim->output_mib
                    : !strcmp(k, "code") ? &lim->code_kib
                    : !strcmp(k, "compilation_time") ? &lim->compilation_time_s
                    : !strcmp(k, "compilation_memory") ? &lim->compilation_memory_mib
                    : !strcmp(k, "validation_time") ? &lim->validation_time_s
                    : !strcmp(k, "validation_memory") ? &lim->validation_memory_mib
                    : !strcmp(k, "validation_output") ? &lim->validation_output_mib : NULL;
        int rc;
        if (ip) {
            rc = prb_y_int(&x->c, v, k, 1, PRB_LIMIT_VALUE_MAX, ip);
        } else if (x->legacy && (!strcmp(k, "time_multiplier") ||
                                 !strcmp(k, "time_safety_margin"))) {
            double *dp = !strcmp(k, "time_multiplier") ? &lim->ac_to_time_limit
                                                         : &lim->time_limit_to_tle;
            rc = prb_y_float(&x->c, v, k, dp);
            if (rc == 0 && !(*dp > 0))
                rc = prb_yerr(&x->c, v, "'%s' must be positive", k);
        } else if (!x->legacy && !strcmp(k, "time_multipliers")) {
            if (!v || v->kind != PRB_Y_MAP)
                return prb_yerr(&x->c, v, "'time_multipliers' must be a map");
            rc = 0;
            for (size_t j = 0; rc == 0 && j + 1 < v->n; j += 2) {
                const char *mk = v->kids[j]->str;
                double *dp = !strcmp(mk, "ac_to_time_limit") ? &lim->ac_to_time_limit
                           : !strcmp(mk, "time_limit_to_tle") ? &lim->time_limit_to_tle : NULL;
                if (!dp)
                    return prb_yerr(&x->c, v->kids[j], "unknown key '%.64s' in "
                                     "'time_multipliers'", mk);
                rc = prb_y_float(&x->c, v->kids[j + 1], mk, dp);
                if (rc == 0 && !(*dp >= 1))
                    rc = prb_yerr(&x->c, v->kids[j + 1], "'%s' must be at least 1", mk);
            }
        } else if (!x->legacy && !strcmp(k, "time_limit")) {
            rc = prb_y_float(&x->c, v, k, &lim->time_limit);
            if (rc == 0 && !(lim->time_limit > 0 && lim->time_limit <= PRB_TIME_LIMIT_MAX_S))
                rc = prb_yerr(&x->c, v, "'time_limit' must be above 0 and at most %g seconds",
                               PRB_TIME_LIMIT_MAX_S);
            x->have_time_limit = 1;
        } else if (!x->legacy && !strcmp(k, "time_resolution")) {
            rc = prb_y_float(&x->c, v, k, &lim->time_resolution);
            if (rc == 0 && !(lim->time_resolution > 0 &&
                             lim->time_resolution <= PRB_TIME_LIMIT_MAX_S))
                rc = prb_yerr(&x->c, v, "'time_resolution' must be above 0");
        } else if (!x->legacy && !strcmp(k, "validation_passes")) {
            rc = prb_y_int(&x->c, v, k, 2, PRB_LIMIT_VALUE_MAX, &lim->validation_passes);
            x->have_validation_passes = 1;
        } else {
            rc = prb_yerr(&x->c, kn, "unknown key '%.64s' in 'limits'", k);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Legacy `validation`: "default", or "custom" plus some of score, interactive. */
static int parse_validation(struct pctx *x, const struct prb_ynode *n)
{
    struct prb_strv w = { 0 };
    int rc = 0;
    if (!n || n->kind != PRB_Y_SCALAR || prbi_strv_split(&w, n->str) < 0 || w.n == 0) {
        prbi_strv_release(&w);
        return prb_yerr(&x->c, n, "'validation' must be 'default' or 'custom ...'");
    }
    if (!strcmp(w.v[0], "default") && w.n == 1) {
        x->validation_custom = 0;
    } else if (!strcmp(w.v[0], "custom")) {
        x->validation_custom = 1;
        for (size_t i = 1; i < w.n && rc == 0; i++) {
            int *f = !strcmp(w.v[i], "score") ? &x->validation_score
                   : !strcmp(w.v[i], "interactive") ? &x->validation_interactive : NULL;
            if (!f || *f)
                rc = prb_yerr(&x->c, n, "bad 'validation' word '%.64s'", w.v[i]);
            else
                *f = 1;
        }
    } else {
        rc = prb_yerr(&x->c, n, "'validation' must start with 'default' or 'custom'");
    }
    x->validation_node = n;
    prbi_strv_release(&w);
    return rc;
}

static int parse_grading(struct pctx *x, const struct prb_ynode *n)
{
    if (!n || n->kind != PRB_Y_MAP)
        return prb_yerr(&x->c, n, "'grading' must be a map");
    x->grading_node = n;
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *k = n->kids[i]->str;
        const struct prb_ynode *v = n->kids[i + 1];
        int rc;
        if (!strcmp(k, "objective")) {
            const char *s = v && v->kind == PRB_Y_SCALAR ? v->str : "";
            if (strcmp(s, "min") && strcmp(s, "max"))
                return prb_yerr(&x->c, v, "'objective' must be 'min' or 'max'");
            x->p->objective_min = !strcmp(s, "min");
            rc = 0;
        } else if (!strcmp(k, "show_test_data_groups")) {
            rc = prb_y_bool(&x->c, v, k, &x->p->show_test_data_groups);
        } else {
            rc = prb_yerr(&x->c, n->kids[i], "unknown key '%.64s' in 'grading'", k);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The legacy `author` string: "A, B and C". */
static void split_authors(struct prb_people *out, const char *s)
{
    const char *p = s;
    while (*p) {
        const char *comma = strchr(p, ',');
        const char *and = strstr(p, " and ");
        const char *end = comma;
        size_t skip = 1;
        if (and && (!end || and < end)) {
            end = and;
            skip = 5;
        }
        if (!end)
            end = p + strlen(p);
        char *name = trim_dup(p, (size_t)(end - p));
        if (name[0]) {
            struct prb_person person = { .name = name };
            people_push(out, &person);
        } else {
            free(name);
        }
        p = *end ? end + skip : end;
    }
}

static const char *const keys_legacy[] = {
    "problem_format_version", "type", "name", "uuid", "author", "source", "source_url",
    "license", "rights_owner", "limits", "validation", "validator_flags", "grading",
    "keywords", "crucible", NULL,
};

static const char *const keys_new[] = {
    "problem_format_version", "type", "name", "uuid", "version", "credits", "source",
    "license", "rights_owner", "embargo_until", "limits", "keywords", "languages",
    "allow_file_writing", "constants", "crucible", NULL,
};

/* ---- AI problems: `crucible: ai:` (docs/ai-problems.md) ---- */

static void ai_free(struct prb_ai *ai)
{
    if (!ai)
        return;
    free(ai->id_column);
    prbi_strv_release(&ai->prediction_columns);
    free(ai->split_column);
    free(ai->public_ids_path);
    free(ai->predictions_file);
    free(ai->public_dir);
    free(ai->solution_path);
    free(ai->scorer_dir);
    free(ai);
}

/* A non-empty string that fits a CSV header and a message. */
static int ai_name(struct pctx *x, const struct prb_ynode *v, const char *key, char **out)
{
    if (prb_y_string(&x->c, v, key, out) < 0)
        return ERR_INVALID;
    if (!**out || strlen(*out) > PRB_NAME_MAX || strpbrk(*out, "\r\n\""))
        return prb_yerr(&x->c, v, "'%s' must be a non-empty name of at most %d bytes without "
                         "quotes or line breaks", key, PRB_NAME_MAX);
    return 0;
}

static int parse_ai(struct pctx *x, const struct prb_ynode *v)
{
    struct prb_ai *ai = prbi_calloc(1, sizeof(*ai));
    const struct prb_ynode *metric_node = NULL;
    int direction = -1, rc = ERR_INVALID;
    int64_t n;

    x->p->ai = ai;
    ai->precision = PRB_AI_DEFAULT_PRECISION;
    ai->max_prediction_bytes = PRB_AI_DEFAULT_PREDICTION_BYTES;
    if (prb_y_expect_map(&x->c, v, "'ai'") < 0)
        return ERR_INVALID;
    for (size_t i = 0; v && v->kind == PRB_Y_MAP && i + 1 < v->n; i += 2) {
        const struct prb_ynode *kn = v->kids[i], *val = v->kids[i + 1];
        const char *k = kn->str;
        if (!strcmp(k, "metric")) {
            char *m = NULL;
            if (prb_y_string(&x->c, val, k, &m) < 0)
                return ERR_INVALID;
            int bad = prb_ai_metric_parse(m, &ai->metric, &ai->k) < 0;
            if (bad)
                prb_yerr(&x->c, val, "unknown metric '%.64s' (accuracy, f1_micro, f1_macro, roc_auc, "
                          "log_loss, rmse, mae, map@K, ndcg@K with K from 1 to %d, or custom)", m,
                          PRB_AI_MAX_K);
            free(m);
            if (bad)
                return ERR_INVALID;
            metric_node = val;
        } else if (!strcmp(k, "direction")) {
            const char *s = val && val->kind == PRB_Y_SCALAR ? val->str : "";
            if (!strcmp(s, "maximize"))
                direction = 1;
            else if (!strcmp(s, "minimize"))
                direction = 0;
            else
                return prb_yerr(&x->c, val, "'direction' must be maximize or minimize");
        } else if (!strcmp(k, "id_column")) {
            rc = ai_name(x, val, k, &ai->id_column);
        } else if (!strcmp(k, "prediction_columns")) {
            if ((rc = prb_y_strseq(&x->c, val, k, &ai->prediction_columns)) < 0)
                return rc;
            if (ai->prediction_columns.n == 0)
                return prb_yerr(&x->c, val, "'prediction_columns' must not be empty");
            for (size_t a = 0; a < ai->prediction_columns.n; a++) {
                const char *c = ai->prediction_columns.v[a];
                if (!*c || strlen(c) > PRB_NAME_MAX || strpbrk(c, "\r\n\""))
                    return prb_yerr(&x->c, val, "'prediction_columns': each must be a non-empty name of "
                                     "at most %d bytes without quotes or line breaks", PRB_NAME_MAX);
                for (size_t b = 0; b < a; b++)
                    if (!strcmp(ai->prediction_columns.v[b], c))
                        return prb_yerr(&x->c, val, "'prediction_columns': '%.64s' appears twice", c);
            }
        } else if (!strcmp(k, "split_column")) {
            rc = ai_name(x, val, k, &ai->split_column);
        } else if (!strcmp(k, "public_ids")) {
            rc = prb_y_string(&x->c, val, k, &ai->public_ids_path);   /* resolved by ai_finish */
        } else if (!strcmp(k, "precision")) {
            if ((rc = prb_y_int(&x->c, val, k, 0, PRB_AI_MAX_PRECISION, &n)) == 0)
                ai->precision = (int)n;
        } else if (!strcmp(k, "max_prediction_bytes")) {
            const char *s = val && val->kind == PRB_Y_SCALAR ? val->str : "";
            if (parse_size(s, PRB_AI_MAX_PREDICTION_BYTES, &ai->max_prediction_bytes) < 0 ||
                ai->max_prediction_bytes == 0)
                return prb_yerr(&x->c, val, "'max_prediction_bytes' must be a size from 1 byte to %llu "
                                 "bytes", (unsigned long long)PRB_AI_MAX_PREDICTION_BYTES);
            rc = 0;
        } else if (!strcmp(k, "gpus")) {
            if ((rc = prb_y_int(&x->c, val, k, 0, PRB_AI_MAX_GPUS, &n)) == 0)
                ai->gpus = (int)n;
        } else if (!strcmp(k, "predictions_file")) {
            if ((rc = ai_name(x, val, k, &ai->predictions_file)) == 0 &&
                (strchr(ai->predictions_file, '/') || !strcmp(ai->predictions_file, ".") ||
                 !strcmp(ai->predictions_file, "..")))
                return prb_yerr(&x->c, val, "'predictions_file' must be a plain file name");
        } else {
            return prb_yerr(&x->c, kn, "unknown key '%.64s' in 'ai'", k);
        }
        if (strcmp(k, "metric") && strcmp(k, "direction") && rc < 0)
            return rc;
    }
    if (!metric_node)
        return prb_yerr(&x->c, v, "'ai' needs a metric");
    if (ai->split_column && ai->public_ids_path)
        return prb_yerr(&x->c, v, "'ai': give split_column or public_ids, not both");
    if (!ai->split_column && !ai->public_ids_path && ai->metric != PRB_AI_CUSTOM)
        return prb_yerr(&x->c, v, "'ai' needs split_column or public_ids (which rows are public)");
    if (!ai->id_column)
        ai->id_column = prbi_strdup("id");
    if (!ai->predictions_file)
        ai->predictions_file = prbi_strdup("predictions.csv");
    if (ai->prediction_columns.n == 0)
        prbi_strv_push(&ai->prediction_columns, "prediction");
    if (ai->prediction_columns.n > 1 && ai->metric != PRB_AI_LOG_LOSS && ai->metric != PRB_AI_CUSTOM)
        return prb_yerr(&x->c, metric_node, "metric '%.64s' takes one prediction column", metric_node->str);
    for (size_t a = 0; a < ai->prediction_columns.n; a++)
        if (!strcmp(ai->prediction_columns.v[a], ai->id_column) ||
            (ai->split_column && !strcmp(ai->prediction_columns.v[a], ai->split_column)))
            return prb_yerr(&x->c, v, "'ai': '%.64s' is both a prediction column and the id or split "
                             "column", ai->prediction_columns.v[a]);
    if (ai->split_column && !strcmp(ai->split_column, ai->id_column))
        return prb_yerr(&x->c, v, "'ai': the split column cannot be the id column");
    ai->maximize = direction >= 0 ? direction : prb_ai_metric_maximize(ai->metric);
    return 0;
}

/* An AI package's files, once the root is known: ai/solution.csv (checked
 * for a built-in metric), the public ids file, ai/public/, ai/scorer/. */
static int ai_finish(struct prbi_load *ld)
{
    struct prb_problem *p = ld->p;
    struct prb_ai *ai = p->ai;
    struct stat st;
    int rc;

    ai->solution_path = prbi_path_join(p->root, "ai/solution.csv");
    if (lstat(ai->solution_path, &st) < 0)
        return err_set(ld->err, ERR_INVALID, "'ai/solution.csv': missing (an AI problem needs its "
                       "ground truth)");
    if ((rc = prbi_check_inside(ld, ai->solution_path, "ai/solution.csv")) < 0)
        return rc;
    if (stat(ai->solution_path, &st) < 0 || !S_ISREG(st.st_mode))
        return err_set(ld->err, ERR_INVALID, "'ai/solution.csv': not a file");
    if (ai->public_ids_path) {
        char *rel = ai->public_ids_path;
        if (!*rel || rel[0] == '/' || strlen(rel) > PRB_PATH_MAX) {
            rc = err_set(ld->err, ERR_INVALID, "problem.yaml: 'public_ids' must be a path inside the "
                         "package");
            return rc;
        }
        ai->public_ids_path = prbi_path_join(p->root, rel);
        if (lstat(ai->public_ids_path, &st) < 0)
            rc = err_set(ld->err, ERR_INVALID, "'%.200s': missing (named by 'public_ids')", rel);
        else if ((rc = prbi_check_inside(ld, ai->public_ids_path, rel)) == 0 &&
                 (stat(ai->public_ids_path, &st) < 0 || !S_ISREG(st.st_mode)))
            rc = err_set(ld->err, ERR_INVALID, "'%.200s': not a file", rel);
        free(rel);
        if (rc < 0)
            return rc;
    }
    if (is_dir(p->root, "ai/public")) {
        ai->public_dir = prbi_path_join(p->root, "ai/public");
        if ((rc = prbi_check_inside(ld, ai->public_dir, "ai/public")) < 0)
            return rc;
    }
    if (ai->metric == PRB_AI_CUSTOM) {
        if (!is_dir(p->root, "ai/scorer"))
            return err_set(ld->err, ERR_INVALID, "'ai/scorer/': missing (metric 'custom' needs a scorer)");
        ai->scorer_dir = prbi_path_join(p->root, "ai/scorer");
        return prbi_check_inside(ld, ai->scorer_dir, "ai/scorer");
    }
    return prb_ai_solution_check(ai, NULL, NULL, ld->err);
}

/* An AI package without data/: a root group holding an empty secret group,
 * so that code walking the groups (result aggregation) sees the usual
 * shape, with no test cases. */
static void ai_empty_testdata(struct prb_problem *p)
{
    struct prb_group *g[2];
    for (int i = 0; i < 2; i++) {
        g[i] = prbi_calloc(1, sizeof(*g[i]));
        g[i]->name = prbi_strdup(i ? "secret" : "");
        g[i]->dir = prbi_path_join(p->root, i ? "data/secret" : "data");
        g[i]->index = (size_t)i;
        g[i]->aggregation = PRB_AGG_PASS_FAIL;
        g[i]->max_score = INFINITY;
        g[i]->verdict_mode = PRB_VMODE_WORST_ERROR;
        g[i]->legacy_aggregation = PRB_AGG_SUM;
        g[i]->accept_score = 1;
        g[i]->range_min = -INFINITY;
        g[i]->range_max = INFINITY;
    }
    g[1]->parent = g[0];
    g[0]->items = prbi_calloc(1, sizeof(*g[0]->items));
    g[0]->items[0].group = g[1];
    g[0]->n_items = 1;
    p->root_group = g[0];
    p->secret = g[1];
    p->groups = prbi_calloc(2, sizeof(*p->groups));
    p->groups[0] = g[0];
    p->groups[1] = g[1];
    p->n_groups = 2;
    p->cases = prbi_calloc(1, sizeof(*p->cases));
}

/* `crucible:` is our documented extension (docs/judge.md, docs/ai-problems.md):
 *   crucible:
 *     checker: testlib     # the output validator is a testlib-style checker
 *     ai: {...}            # an AI problem (parse_ai)
 */
static int parse_crucible(struct pctx *x, const struct prb_ynode *v)
{
    if (prb_y_expect_map(&x->c, v, "'crucible'") < 0)
        return ERR_INVALID;
    for (size_t i = 0; v && v->kind == PRB_Y_MAP && i + 1 < v->n; i += 2) {
        const struct prb_ynode *kn = v->kids[i], *val = v->kids[i + 1];
        if (!strcmp(kn->str, "ai")) {
            if (parse_ai(x, val) < 0)
                return ERR_INVALID;
            continue;
        }
        if (strcmp(kn->str, "checker") != 0)
            return prb_yerr(&x->c, kn, "unknown key '%.64s' in 'crucible'", kn->str);
        const char *s = val && val->kind == PRB_Y_SCALAR ? val->str : "";
        if (!strcmp(s, "testlib"))
            x->p->checker = PRB_CHECKER_TESTLIB;
        else if (!strcmp(s, "default"))
            x->p->checker = PRB_CHECKER_DEFAULT;
        else if (!strcmp(s, "validator"))
            x->p->checker = PRB_CHECKER_VALIDATOR;
        else
            return prb_yerr(&x->c, val, "'checker' must be testlib, validator or default");
    }
    return 0;
}

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

static int parse_problem_key(struct pctx *x, const struct prb_ynode *kn,
                             const struct prb_ynode *v)
{
    struct prb_problem *p = x->p;
    const char *k = kn->str;
    if (!in_list(x->legacy ? keys_legacy : keys_new, k))
        return prb_yerr(&x->c, kn, "unknown key '%.64s'", k);
    if (!strcmp(k, "problem_format_version"))
        return 0;
    if (!strcmp(k, "type"))
        return parse_type(x, v);
    if (!strcmp(k, "name"))
        return parse_name(x, v);
    if (!strcmp(k, "uuid"))
        return prb_y_string(&x->c, v, k, &p->uuid);
    if (!strcmp(k, "version"))
        return prb_y_string(&x->c, v, k, &p->version);
    if (!strcmp(k, "author"))
        return prb_y_string(&x->c, v, k, &x->legacy_author);
    if (!strcmp(k, "credits"))
        return parse_credits(x, v);
    if (!strcmp(k, "source"))
        return parse_source(x, v);
    if (!strcmp(k, "source_url")) {
        x->source_url_node = v;
        return prb_y_string(&x->c, v, k, &x->legacy_source_url);
    }
    if (!strcmp(k, "license"))
        return parse_license(x, v);
    if (!strcmp(k, "rights_owner")) {
        x->rights_node = kn;
        return prb_y_string(&x->c, v, k, &p->rights_owner);
    }
    if (!strcmp(k, "embargo_until"))
        return parse_embargo(x, v);
    if (!strcmp(k, "limits"))
        return parse_limits(x, v);
    if (!strcmp(k, "validation"))
        return parse_validation(x, v);
    if (!strcmp(k, "validator_flags")) {
        prbi_strv_release(&p->validator_flags);
        if (prb_y_is_null(v))
            return 0;
        if (v->kind != PRB_Y_SCALAR || prbi_strv_split(&p->validator_flags, v->str) < 0)
            return prb_yerr(&x->c, v, "'validator_flags' must be a string of at most %d words",
                             PRB_MAX_ARGS);
        return 0;
    }
    if (!strcmp(k, "grading"))
        return parse_grading(x, v);
    if (!strcmp(k, "keywords")) {
        if (!x->legacy)
            return prb_y_strseq(&x->c, v, k, &p->keywords);
        if (prb_y_is_null(v))
            return 0;
        if (v->kind != PRB_Y_SCALAR || prbi_strv_split(&p->keywords, v->str) < 0)
            return prb_yerr(&x->c, v, "'keywords' must be a string of space-separated words");
        return 0;
    }
    if (!strcmp(k, "languages")) {
        int rc = prb_y_str_or_seq(&x->c, v, k, &p->languages);
        if (rc == 0 && p->languages.n == 1 && !strcmp(p->languages.v[0], "all"))
            prbi_strv_release(&p->languages);
        return rc;
    }
    if (!strcmp(k, "allow_file_writing"))
        return prb_y_bool(&x->c, v, k, &p->allow_file_writing);
    if (!strcmp(k, "constants"))
        return parse_constants(x, v);
    if (!strcmp(k, "crucible"))
        return parse_crucible(x, v);
    return prb_yerr(&x->c, kn, "unknown key '%.64s'", k);
}

static char *join_people(const struct prb_people *pp)
{
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < pp->n; i++)
        if (buf_addf(&b, "%s%s", i ? ", " : "", pp->v[i].name) < 0)
            abort();
    return buf_detach(&b, NULL);
}

static int parse_problem_yaml(struct prbi_load *ld, const struct prb_ynode *root)
{
    struct prb_problem *p = ld->p;
    struct pctx x;
    int rc = 0;

    memset(&x, 0, sizeof(x));
    x.c.file = "problem.yaml";
    x.c.err = ld->err;
    x.p = p;
    if (prb_y_expect_map(&x.c, root, "problem.yaml") < 0)
        return ERR_INVALID;

    /* The version decides which keys exist, so it is read first. */
    p->format = PRB_FORMAT_LEGACY;
    for (size_t i = 0; root && root->kind == PRB_Y_MAP && i + 1 < root->n; i += 2) {
        if (strcmp(root->kids[i]->str, "problem_format_version"))
            continue;
        const struct prb_ynode *v = root->kids[i + 1];
        x.has_version_key = 1;
        const char *s = v && v->kind == PRB_Y_SCALAR ? v->str : "";
        if (!strcmp(s, "legacy") || !strcmp(s, "legacy-icpc"))
            p->format = PRB_FORMAT_LEGACY;
        else if (!strcmp(s, "2023-07-draft"))
            p->format = PRB_FORMAT_2023_07_DRAFT;
        else if (!strcmp(s, "2025-09"))
            p->format = PRB_FORMAT_2025_09;
        else
            return prb_yerr(&x.c, v, "unsupported problem_format_version '%.64s'", s);
    }
    x.legacy = p->format == PRB_FORMAT_LEGACY;

    p->type = PRB_TYPE_PASS_FAIL;
    p->license = prbi_strdup("unknown");
    p->limits.time_limit_source = PRB_TL_NONE;
    p->limits.ac_to_time_limit = x.legacy ? 5.0 : 2.0;
    p->limits.time_limit_to_tle = x.legacy ? 2.0 : 1.5;
    p->limits.time_resolution = 1.0;
    p->limits.validation_passes = 2;

    for (size_t i = 0; root && root->kind == PRB_Y_MAP && i + 1 < root->n; i += 2)
        if ((rc = parse_problem_key(&x, root->kids[i], root->kids[i + 1])) < 0)
            goto out;

    if (!x.legacy) {
        if (!p->n_names) {
            rc = prb_yerr(&x.c, NULL, "'name' is required");
            goto out;
        }
        if (!p->uuid) {
            rc = prb_yerr(&x.c, NULL, "'uuid' is required");
            goto out;
        }
        if (x.have_validation_passes && !(p->type & PRB_TYPE_MULTI_PASS)) {
            rc = prb_yerr(&x.c, NULL, "'limits.validation_passes' is only for multi-pass problems");
            goto out;
        }
        if (x.have_time_limit) {
            p->limits.time_limit_source = PRB_TL_PROBLEM_YAML;
            double k = p->limits.time_limit / p->limits.time_resolution;
            if (p->format == PRB_FORMAT_2025_09 && fabs(k - round(k)) > TIME_EPS * fmax(1, k)) {
                rc = prb_yerr(&x.c, NULL, "'limits.time_limit' must be a multiple of "
                               "'limits.time_resolution'");
                goto out;
            }
        }
    } else {
        if (x.legacy_author)
            split_authors(&p->credits.authors, x.legacy_author);
        if (x.legacy_source_url) {
            if (!p->n_sources) {
                rc = prb_yerr(&x.c, x.source_url_node, "'source_url' needs 'source'");
                goto out;
            }
            p->sources[0].url = x.legacy_source_url;
            x.legacy_source_url = NULL;
        }
        if (x.validation_score && !(p->type & PRB_TYPE_SCORING)) {
            rc = prb_yerr(&x.c, x.validation_node, "'validation: custom score' is only for "
                           "scoring problems");
            goto out;
        }
        if (x.grading_node && !(p->type & PRB_TYPE_SCORING)) {
            rc = prb_yerr(&x.c, x.grading_node, "'grading' is only for scoring problems");
            goto out;
        }
        if (x.validation_interactive)
            p->type |= PRB_TYPE_INTERACTIVE;
        p->custom_output_validator = x.validation_custom;
        p->legacy_custom_score = x.validation_score;
    }

    /* Rights owner ("License", "Rights owner"). */
    if (!strcmp(p->license, "public domain") && p->rights_owner) {
        rc = prb_yerr(&x.c, x.rights_node, "'rights_owner' must not be set for public domain");
        goto out;
    }
    if (!p->rights_owner && strcmp(p->license, "public domain")) {
        if (p->credits.authors.n)
            p->rights_owner = join_people(&p->credits.authors);
        else if (p->n_sources)
            p->rights_owner = prbi_strdup(p->sources[0].name);
        else if (strcmp(p->license, "unknown")) {
            rc = prb_yerr(&x.c, NULL, "license '%s' needs 'rights_owner' (or authors or a "
                           "source)", p->license);
            goto out;
        }
    }
out:
    free(x.legacy_author);
    free(x.legacy_source_url);
    return rc;
}

/* DOMjudge's `.timelimit`: one number of seconds. */
static int read_timelimit_file(struct prbi_load *ld)
{
    struct prb_problem *p = ld->p;
    char *path = prbi_path_join(p->root, ".timelimit");
    char text[TIMELIMIT_FILE_MAX + 1];
    int rc = 0, fd = -1;
    struct stat st;

    if (lstat(path, &st) < 0)
        goto out;   /* absent: the limit is computed later */
    if ((rc = prbi_check_inside(ld, path, ".timelimit")) < 0)
        goto out;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        rc = err_sys(ld->err, "cannot open '.timelimit'");
        goto out;
    }
    ssize_t n = read(fd, text, sizeof(text));
    if (n < 0) {
        rc = err_sys(ld->err, "cannot read '.timelimit'");
        goto out;
    }
    if ((size_t)n > TIMELIMIT_FILE_MAX) {
        rc = err_set(ld->err, ERR_LIMIT, ".timelimit: longer than %d bytes", TIMELIMIT_FILE_MAX);
        goto out;
    }
    char *t = trim_dup(text, (size_t)n);
    double v;
    if (parse_seconds(t, PRB_TIME_LIMIT_MAX_S, &v) < 0 || !(v > 0))
        rc = err_set(ld->err, ERR_INVALID, ".timelimit:1: expected seconds above 0 and at most "
                     "%g, got '%.32s'", PRB_TIME_LIMIT_MAX_S, t);
    else {
        p->limits.time_limit = v;
        p->limits.time_limit_source = PRB_TL_TIMELIMIT_FILE;
    }
    free(t);
out:
    if (fd >= 0)
        close(fd);
    free(path);
    return rc;
}

static char *base_name(const char *path, int strip_ext)
{
    size_t l = strlen(path);
    while (l > 1 && path[l - 1] == '/')
        l--;
    size_t s = l;
    while (s > 0 && path[s - 1] != '/')
        s--;
    char *b = prbi_strndup(path + s, l - s);
    if (strip_ext) {
        char *dot = strrchr(b, '.');
        if (dot && (!strcmp(dot, ".zip") || !strcmp(dot, ".kpp")))
            *dot = '\0';
    }
    return b;
}

int prb_package_load(const char *path, const char *tmp_dir, const struct prb_load_limits *lim,
                     struct prb_problem **out, struct err *err)
{
    struct prb_problem *p = prbi_calloc(1, sizeof(*p));
    struct prbi_load ld = { .p = p, .root_real = NULL, .err = err };
    struct prb_ynode *y = NULL;
    char *root = NULL, *yaml_path = NULL;
    struct stat st;
    int rc;

    *out = NULL;
    if (stat(path, &st) < 0) {
        rc = err_sys(err, "cannot open '%s'", path);
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        root = prbi_strdup(path);
    } else if (S_ISREG(st.st_mode)) {
        if (!tmp_dir) {
            rc = err_set(err, ERR_INVALID, "'%s': an archive needs a folder to extract into", path);
            goto out;
        }
        if ((rc = prb_archive_extract(path, tmp_dir, lim, err)) < 0 ||
            (rc = find_archive_root(tmp_dir, path, &root, err)) < 0)
            goto out;
        p->short_name = base_name(path, 1);
    } else {
        rc = err_set(err, ERR_INVALID, "'%s': not a folder or an archive", path);
        goto out;
    }
    p->root = realpath(root, NULL);
    if (!p->root) {
        rc = err_sys(err, "cannot open '%s'", root);
        goto out;
    }
    ld.root_real = p->root;
    if (!p->short_name)
        p->short_name = base_name(p->root, 0);

    yaml_path = prbi_path_join(p->root, "problem.yaml");
    if (lstat(yaml_path, &st) < 0) {
        rc = err_set(err, ERR_INVALID, "'problem.yaml': missing");
        goto out;
    }
    if ((rc = prbi_check_inside(&ld, yaml_path, "problem.yaml")) < 0 ||
        (rc = prb_yaml_load_file(yaml_path, "problem.yaml", &y, err)) < 0 ||
        (rc = parse_problem_yaml(&ld, y)) < 0)
        goto out;

    if (p->format == PRB_FORMAT_LEGACY) {
        if (p->custom_output_validator && !is_dir(p->root, "output_validators")) {
            rc = err_set(err, ERR_INVALID, "problem.yaml: 'validation: custom' needs an "
                         "output_validators/ directory");
            goto out;
        }
    } else {
        p->custom_output_validator = is_dir(p->root, "output_validator");
        if ((p->type & (PRB_TYPE_INTERACTIVE | PRB_TYPE_MULTI_PASS)) &&
            !p->custom_output_validator) {
            rc = err_set(err, ERR_INVALID, "problem.yaml: interactive and multi-pass problems "
                         "need an output_validator/ directory");
            goto out;
        }
    }
    /* The checker: a testlib checker or a Kattis output validator lives in
     * the output validator directory; otherwise the default validator. */
    if (p->checker == PRB_CHECKER_TESTLIB && !p->custom_output_validator) {
        p->custom_output_validator = is_dir(p->root, p->format == PRB_FORMAT_LEGACY ? "output_validators"
                                                                                   : "output_validator");
        if (!p->custom_output_validator) {
            rc = err_set(err, ERR_INVALID, "problem.yaml: 'checker: testlib' needs an %s directory",
                         p->format == PRB_FORMAT_LEGACY ? "output_validators/" : "output_validator/");
            goto out;
        }
    }
    if (p->checker == PRB_CHECKER_DEFAULT && p->custom_output_validator)
        p->checker = PRB_CHECKER_VALIDATOR;
    if (p->limits.time_limit_source == PRB_TL_NONE && (rc = read_timelimit_file(&ld)) < 0)
        goto out;
    if (p->ai && p->type != PRB_TYPE_PASS_FAIL) {
        rc = err_set(err, ERR_INVALID, "problem.yaml: an AI problem ('crucible: ai') must be of type "
                     "pass-fail (its metric scores it)");
        goto out;
    }
    if (p->ai && (rc = ai_finish(&ld)) < 0)
        goto out;
    /* An AI package needs no test data; with a data/ folder it is loaded as usual. */
    if (p->ai && !is_dir(p->root, "data"))
        ai_empty_testdata(p);
    else if ((rc = prbi_testdata_load(&ld)) < 0)
        goto out;
    *out = p;
    p = NULL;
out:
    prb_yaml_free(y);
    free(root);
    free(yaml_path);
    prb_problem_free(p);
    return rc;
}

/* ---- time limits ---- */

int prb_problem_time_limit(const struct prb_problem *p, double *seconds, struct err *err)
{
    if (p->limits.time_limit_source == PRB_TL_NONE)
        return err_set(err, ERR_NOTFOUND, "the package gives no time limit: compute it from the "
                       "accepted submissions");
    *seconds = p->limits.time_limit;
    return 0;
}

int prb_time_limit_compute(const struct prb_problem *p, double slowest_ac, double fastest_tle,
                           double *seconds, struct err *err)
{
    const struct prb_limits *l = &p->limits;
    double tl;
    if (!(slowest_ac >= 0) || !isfinite(slowest_ac) || !(fastest_tle >= 0))
        return err_set(err, ERR_INVALID, "run times must be non-negative numbers");
    double lower = slowest_ac * l->ac_to_time_limit;
    if (p->format == PRB_FORMAT_LEGACY) {
        /* problemtools: round half up to whole seconds, at least 1. */
        tl = fmax(1.0, floor(lower + 0.5));
    } else {
        double k = ceil(lower / l->time_resolution - TIME_EPS);
        tl = fmax(1.0, k) * l->time_resolution;
    }
    if (tl > PRB_TIME_LIMIT_MAX_S)
        return err_set(err, ERR_LIMIT, "computed time limit %g s is above %g s", tl,
                       PRB_TIME_LIMIT_MAX_S);
    if (tl * l->time_limit_to_tle > fastest_tle * (1 + TIME_EPS))
        return err_set(err, ERR_INVALID,
                       "no time limit fits: %g s (slowest accepted %g s x %g) times %g exceeds "
                       "the fastest time-limit-exceeded run %g s",
                       tl, slowest_ac, l->ac_to_time_limit, l->time_limit_to_tle, fastest_tle);
    *seconds = tl;
    return 0;
}
