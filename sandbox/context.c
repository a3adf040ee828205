/*
 * context.c: what the sandbox detects and prepares once (cgroups, the
 * seccomp filters, the state folders, the /etc allow-list) and then shares
 * read-only with every run.
 */
#include "sandbox_int.h"
#include "run_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* /etc entries a run may see. Everything else in /etc stays outside: it can
 * hold secrets (judge tokens, database passwords, TLS keys). */
static const char *const etc_allow[] = {
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d",   /* the dynamic linker */
    "alternatives",                                 /* java, javac, c++ ... are links through it */
    "fpc.cfg",                                      /* Free Pascal's configuration */
    "nsswitch.conf", "localtime", "timezone",
    "mime.types", "protocols", "services",
};
/* Families of /etc entries, by prefix: /etc/java-17-openjdk (the JVM's
 * configuration), /etc/fpc-3.2.2.cfg (Free Pascal's, behind fpc.cfg). */
static const char *const etc_prefixes[] = { "java-", "fpc-" };

/* Top-level host folders a run sees read-only, as links where the host has
 * merged /usr. */
static const char *const root_allow[] = { "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32" };

static int add_entry(struct sbx_context *ctx, struct sbx_entry *list, size_t *n, size_t max,
                     const char *host, const char *name)
{
    if (*n >= max)
        return 0;
    struct stat st;
    if (lstat(host, &st) < 0)
        return 0;                       /* not on this host: skip */
    struct sbx_entry *e = &list[*n];
    memset(e, 0, sizeof(*e));
    if (str_fmt(e->host, sizeof(e->host), "%s", host) < 0 ||
        str_fmt(e->name, sizeof(e->name), "%s", name) < 0)
        return 0;
    if (S_ISLNK(st.st_mode)) {
        ssize_t l = readlink(host, e->link, sizeof(e->link) - 1);
        if (l <= 0)
            return 0;
        e->link[l] = '\0';
        e->type = SBX_ENTRY_LINK;
    } else if (S_ISDIR(st.st_mode)) {
        e->type = SBX_ENTRY_DIR;
    } else if (S_ISREG(st.st_mode) && st.st_size <= SBX_ETC_COPY_MAX) {
        e->type = SBX_ENTRY_FILE;
    } else {
        return 0;
    }
    (void)ctx;
    (*n)++;
    return 0;
}

static void find_entries(struct sbx_context *ctx)
{
    char host[SBX_PATH_MAX];
    for (size_t i = 0; i < sizeof(root_allow) / sizeof(root_allow[0]); i++) {
        str_fmt(host, sizeof(host), "/%s", root_allow[i]);
        add_entry(ctx, ctx->root_entries, &ctx->nroot, SBX_MAX_ENTRIES, host, root_allow[i]);
    }
    for (size_t i = 0; i < sizeof(etc_allow) / sizeof(etc_allow[0]); i++) {
        str_fmt(host, sizeof(host), "/etc/%s", etc_allow[i]);
        add_entry(ctx, ctx->etc_entries, &ctx->netc, SBX_MAX_ENTRIES, host, etc_allow[i]);
    }
    DIR *d = opendir("/etc");
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)))
            for (size_t i = 0; i < sizeof(etc_prefixes) / sizeof(etc_prefixes[0]); i++)
                if (!strncmp(de->d_name, etc_prefixes[i], strlen(etc_prefixes[i]))) {
                    str_fmt(host, sizeof(host), "/etc/%s", de->d_name);
                    add_entry(ctx, ctx->etc_entries, &ctx->netc, SBX_MAX_ENTRIES, host, de->d_name);
                }
        closedir(d);
    }
}

static void find_base_devices(struct sbx_context *ctx)
{
    static const char *const names[] = { "null", "zero", "full", "random", "urandom" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        /* The ordinary character devices always come from the real /dev. */
        char path[64];
        str_fmt(path, sizeof(path), "/dev/%s", names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISCHR(st.st_mode)) {
            struct sbx_dev *dv = &ctx->base_devs[ctx->nbase_devs++];
            dv->dev = st.st_rdev;
            str_fmt(dv->name, sizeof(dv->name), "%s", names[i]);
        }
    }
}

int sbx_context_new(const struct sbx_context_options *opts, struct sbx_context **out, struct err *err)
{
    struct sbx_context *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        abort();
    *out = ctx;
    ctx->template_fd = -1;
    struct sbx_context_options defaults = { 0 };
    if (!opts)
        opts = &defaults;
    str_fmt(ctx->state_dir, sizeof(ctx->state_dir), "%s", opts->state_dir ? opts->state_dir : "/run/crucible/sandbox");
    str_fmt(ctx->dev_dir, sizeof(ctx->dev_dir), "%s", opts->dev_dir ? opts->dev_dir : "/dev");
    ctx->first_uid = opts->first_uid ? opts->first_uid : 60000;
    ctx->slots = opts->slots ? opts->slots : 1000;
    ctx->ncpus = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? (int)sysconf(_SC_NPROCESSORS_ONLN) : 1;
    ctx->last_cap = cap_max_bits() - 1;
    ctx->empty_caps = cap_init();
    if (!ctx->empty_caps)
        abort();

    find_entries(ctx);
    find_base_devices(ctx);

    int rc = 0;
    struct err e = { 0 };
    if (geteuid() != 0) {
        rc = err_set(&e, ERR_UNSUPPORTED, "the sandbox must run as root (it creates namespaces, cgroups and switches to an unprivileged uid)");
        goto fail;
    }
    /* Every path below the state folder must fit SBX_PATH_MAX. */
    if (strlen(ctx->state_dir) > SBX_PATH_MAX - 64 ||
        str_fmt(ctx->root_dir, sizeof(ctx->root_dir), "%s/root", ctx->state_dir) < 0 ||
        str_fmt(ctx->lock_dir, sizeof(ctx->lock_dir), "%s/slots", ctx->state_dir) < 0) {
        rc = err_set(&e, ERR_LIMIT, "the state folder path '%.64s...' is too long", ctx->state_dir);
        goto fail;
    }
    if (fs_mkdirs(ctx->root_dir, 0755) < 0 || fs_mkdirs(ctx->lock_dir, 0755) < 0) {
        rc = err_sys(&e, "cannot create the state folder '%s'", ctx->state_dir);
        goto fail;
    }
    chmod(ctx->state_dir, 0700);
    unsigned want = opts->filters ? opts->filters : SBX_FILTER_ISOLATED | SBX_FILTER_NETWORK;
    if ((want & SBX_FILTER_ISOLATED) && (rc = sbx_filter_build(&ctx->filter, 0, &e)) < 0)
        goto fail;
    if ((want & SBX_FILTER_NETWORK) && (rc = sbx_filter_build(&ctx->filter_net, 1, &e)) < 0)
        goto fail;
    if ((rc = sbx_cgroups_detect(&ctx->cgs, opts->cgroup_mode, &e)) < 0)
        goto fail;
    /* Without a template every run takes the slow path: slower, as safe. */
    struct err te = { 0 };
    if (sbx_template_open(ctx, &te) < 0)
        str_fmt(ctx->template_error, sizeof(ctx->template_error), "%s", te.msg);
    ctx->usable = 1;
    return 0;
fail:
    str_fmt(ctx->why_unusable, sizeof(ctx->why_unusable), "%s", e.msg);
    return err_set(err, rc, "%s", e.msg);
}

void sbx_context_free(struct sbx_context *ctx)
{
    if (!ctx)
        return;
    sbx_filter_release(&ctx->filter);
    sbx_filter_release(&ctx->filter_net);
    if (ctx->template_fd >= 0)
        close(ctx->template_fd);
    cap_free(ctx->empty_caps);
    free(ctx);
}

static void json_str(struct buf *out, const char *s)
{
    buf_adds(out, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_addf(out, "\\%c", c);
        else if (c < 0x20)
            buf_addf(out, "\\u%04x", c);
        else
            buf_add(out, s, 1);
    }
    buf_adds(out, "\"");
}

int sbx_context_describe(const struct sbx_context *ctx, struct buf *out)
{
    static const char *const modes[] = { "none", "v1", "v2" };
    buf_adds(out, "{\"usable\": ");
    buf_adds(out, ctx->usable ? "true" : "false");
    buf_adds(out, ", \"cgroup\": ");
    json_str(out, modes[ctx->cgs.mode]);
    if (ctx->cgs.mode == SBX_CGROUP_V2) {
        buf_adds(out, ", \"cgroup_base\": ");
        json_str(out, ctx->cgs.v2_base);
    } else if (ctx->cgs.mode == SBX_CGROUP_V1) {
        static const char *const names[] = { "memory", "cpuacct", "pids", "devices" };
        buf_adds(out, ", \"cgroup_base\": {");
        for (int i = 0; i < SBX_V1_CONTROLLERS; i++) {
            buf_addf(out, "%s\"%s\": ", i ? ", " : "", names[i]);
            json_str(out, ctx->cgs.v1_base[i]);
        }
        buf_adds(out, "}");
    }
    buf_adds(out, ", \"missing\": ");
    json_str(out, ctx->usable ? ctx->cgs.missing : ctx->why_unusable);
    buf_adds(out, ", \"template\": ");
    if (ctx->template_fd >= 0)
        buf_adds(out, "true");
    else
        json_str(out, ctx->template_error[0] ? ctx->template_error : "not built");
    buf_adds(out, ", \"state_dir\": ");
    json_str(out, ctx->state_dir);
    buf_addf(out, ", \"uids\": [%u, %u], \"cpus\": %d, \"seccomp_instructions\": %u",
             ctx->first_uid, ctx->first_uid + ctx->slots - 1, ctx->ncpus, ctx->filter.len ? ctx->filter.len : ctx->filter_net.len);
    buf_adds(out, ", \"etc\": [");
    for (size_t i = 0; i < ctx->netc; i++) {
        if (i)
            buf_adds(out, ", ");
        json_str(out, ctx->etc_entries[i].name);
    }
    buf_adds(out, "]}");
    return 0;
}
