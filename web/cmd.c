/*
 * cmd.c: `crucible serve`, `crucible init` and `crucible user add|token`.
 * Only this file (and backup.c, for `crucible backup|restore`) prints or
 * chooses exit codes for web/.
 */
#include "web_int.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- crucible serve ------------------------------------------------------------------------ */

static const char serve_usage[] =
    "usage: crucible serve [--config=FILE] [--data=DIR] [--listen=ADDR:PORT] [--check-config]\n"
    "  Serves the web API (docs/api.md) until SIGTERM or SIGINT.\n"
    "  --config=FILE    settings as `key = value` lines (see below)\n"
    "  --data=DIR       the data folder (default " WEB_DEFAULT_DATA_DIR ")\n"
    "  --listen=A:P     address and port (default " WEB_DEFAULT_LISTEN ")\n"
    "  --check-config   validate the settings, print them and exit\n"
    "Settings come from defaults < the file < CRUCIBLE_<KEY> environment variables\n"
    "< flags. Started as root, the server binds, opens the database and then runs\n"
    "as `user` (default: crucible if that account exists, else nobody), and starts\n"
    "`judges` judge workers as root beside it (a `crucible judge daemon` that stops\n"
    "when the server does; its account is " WEB_EMBEDDED_JUDGE ", its token DATA/judge.token).\n"
    "Keys:\n";

static int serve_usage_print(FILE *out)
{
    struct buf b;
    buf_init(&b, 0);
    web_config_help(&b);
    fprintf(out, "%s%s", serve_usage, b.buf);
    buf_release(&b);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    enum { O_CONFIG = 1, O_DATA, O_LISTEN, O_CHECK, O_HELP };
    static const struct option opts[] = {
        { "config", required_argument, NULL, O_CONFIG }, { "data", required_argument, NULL, O_DATA },
        { "listen", required_argument, NULL, O_LISTEN }, { "check-config", no_argument, NULL, O_CHECK },
        { "help", no_argument, NULL, O_HELP }, { NULL, 0, NULL, 0 },
    };
    const char *config = NULL, *data = NULL, *listen_at = NULL;
    int check = 0, c;
    struct web_config cfg;
    struct err err = { 0 };
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_CONFIG: config = optarg; break;
        case O_DATA: data = optarg; break;
        case O_LISTEN: listen_at = optarg; break;
        case O_CHECK: check = 1; break;
        case O_HELP: return serve_usage_print(stdout);
        default:
            fprintf(stderr, "crucible serve: unknown option %s\n", argv[optind - 1]);
            serve_usage_print(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "crucible serve: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    web_config_init(&cfg);
    if ((config && web_config_load_file(&cfg, config, &err) < 0) || web_config_load_env(&cfg, &err) < 0 ||
        (data && web_config_set(&cfg, "data", data, &err) < 0) ||
        (listen_at && web_config_set(&cfg, "listen", listen_at, &err) < 0) || web_config_check(&cfg, &err) < 0) {
        fprintf(stderr, "crucible serve: %s\n", err.msg);
        return 2;
    }
    if (check) {
        struct jdg_languages langs;
        const char *path = cfg.languages[0] ? cfg.languages : jdg_languages_default_path();
        if (jdg_languages_load(path, &langs, &err) < 0) {
            fprintf(stderr, "crucible serve: languages: %s\n", err.msg);
            return 2;
        }
        jdg_languages_release(&langs);
        struct buf b;
        buf_init(&b, 0);
        web_config_format(&cfg, &b);
        printf("%s", b.buf);
        buf_release(&b);
        return 0;
    }
    int rc = web_serve(&cfg, &err);
    if (rc < 0)
        log_error("web", "%s", err.msg);
    web_embedded_stop();
    return rc < 0 ? 1 : 0;
}

/* ---- crucible init ----------------------------------------------------------------------------- */

static const char *default_data(const char *given)
{
    const char *env = getenv("CRUCIBLE_DATA");
    return given ? given : env && *env ? env : WEB_DEFAULT_DATA_DIR;
}

int cmd_init(int argc, char **argv)
{
    enum { O_DATA = 1, O_REG, O_CODE, O_HELP };
    static const struct option opts[] = {
        { "data", required_argument, NULL, O_DATA }, { "registration", required_argument, NULL, O_REG },
        { "registration-code", required_argument, NULL, O_CODE }, { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 },
    };
    static const char usage[] =
        "usage: crucible init [--data=DIR] [--registration=open|admin|code] [--registration-code=CODE]\n"
        "  Creates the data folder and its database (or brings an old one up to date)\n"
        "  and the installation's settings: registration (default open: anyone; admin:\n"
        "  accounts are made with `crucible user add`; code: registering needs CODE) and\n"
        "  a secret key.\n";
    const char *data = NULL, *reg = NULL, *code = NULL;
    struct err err = { 0 };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_DATA: data = optarg; break;
        case O_REG: reg = optarg; break;
        case O_CODE: code = optarg; break;
        case O_HELP: fputs(usage, stdout); return 0;
        default: fprintf(stderr, "crucible init: unknown option %s\n%s", argv[optind - 1], usage); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "crucible init: unexpected argument '%s'\n%s", argv[optind], usage);
        return 2;
    }
    enum web_registration mode;
    if (reg && web_registration_parse(reg, &mode) < 0) {
        fprintf(stderr, "crucible init: --registration must be open, admin or code\n");
        return 2;
    }
    if (code && (!code[0] || strlen(code) > WEB_CODE_MAX)) {
        fprintf(stderr, "crucible init: --registration-code must be 1 to %d bytes\n", WEB_CODE_MAX);
        return 2;
    }
    data = default_data(data);
    if (web_data_init(data, &err) < 0) {
        fprintf(stderr, "crucible init: %s\n", err.msg);
        return 1;
    }
    if (reg || code) {
        struct web_store *s = NULL;
        if (web_store_open(data, &s, &err) < 0 ||
            (reg && web_store_setting_set(s, "registration", reg, &err) < 0) ||
            (code && web_store_setting_set(s, "registration_code", code, &err) < 0)) {
            web_store_close(s);
            fprintf(stderr, "crucible init: %s\n", err.msg);
            return 1;
        }
        web_store_close(s);
    }
    printf("initialised %s\n", data);
    return 0;
}

/* ---- crucible user ------------------------------------------------------------------------------- */

static const char user_usage[] =
    "usage: crucible user add [--data=DIR] --role=ROLE [--display-name=TEXT] NAME\n"
    "       crucible user token [--data=DIR] [--token-name=NAME] NAME\n"
    "  add     creates an account. The password is read from standard input when\n"
    "          that is not a terminal (first line), else one is generated and printed\n"
    "          once. ROLE: admin, organizer, teacher, contestant or judge; a judge\n"
    "          account also gets an API token for `crucible judge daemon`, printed once.\n"
    "  token   creates an API token for an account and prints it once.\n"
    "Output lines: `password: ...`, `token: ...`.\n";

/* 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
static void password_generate(char out[17])
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
    out[16] = '\0';
}

/* The first line of a non-terminal stdin; "" when empty. */
static int password_read(char *out, size_t size)
{
    out[0] = '\0';
    if (isatty(STDIN_FILENO))
        return 0;
    if (!fgets(out, (int)size, stdin))
        return 0;
    size_t n = strlen(out);
    if (n == size - 1 && out[n - 1] != '\n')
        return -1;              /* longer than the limit */
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return 0;
}

static int token_create(struct web_store *s, const struct web_user *u, const char *name, struct err *err)
{
    char token[WEB_TOKEN_HEX + 1];
    int64_t id;
    int rc = web_store_apitoken_create(s, u->id, name, (int64_t)time(NULL), 0, token, &id, err);
    if (rc < 0)
        return rc;
    printf("token: %s\n", token);
    sodium_memzero(token, sizeof(token));
    struct web_audit_entry e = { 0 };
    e.at = (int64_t)time(NULL);
    str_fmt(e.address, sizeof(e.address), "command line");
    str_fmt(e.action, sizeof(e.action), "token.create");
    str_fmt(e.target, sizeof(e.target), "user %lld", (long long)u->id);
    web_store_audit_add(s, &e, NULL, NULL);
    return 0;
}

static int user_add(struct web_store *s, const char *name, const char *role_name, const char *display)
{
    struct web_user u = { 0 };
    struct err err = { 0 };
    char password[WEB_PASSWORD_MAX + 2];
    int generated = 0, rc = 1;
    if (web_role_parse(role_name, &u.role) < 0) {
        fprintf(stderr, "crucible user: --role must be admin, organizer, teacher, contestant or judge\n");
        return 2;
    }
    if (password_read(password, sizeof(password)) < 0) {
        fprintf(stderr, "crucible user: the password is longer than %d bytes\n", WEB_PASSWORD_MAX);
        return 2;
    }
    if (!password[0]) {
        password_generate(password);
        generated = 1;
    }
    if (web_password_check(password, &err) < 0) {
        fprintf(stderr, "crucible user: %s\n", err.msg);
        rc = 2;
        goto out;
    }
    if (str_fmt(u.name, sizeof(u.name), "%s", name) < 0 ||
        str_fmt(u.display_name, sizeof(u.display_name), "%s", display ? display : name) < 0) {
        fprintf(stderr, "crucible user: the name is too long\n");
        rc = 2;
        goto out;
    }
    if (web_password_hash(password, u.password_hash, &err) < 0)
        goto fail;
    u.created_at = (int64_t)time(NULL);
    int src = web_store_user_create(s, &u, &err);
    if (src == WEB_STORE_CONFLICT) {
        fprintf(stderr, "crucible user: an account named '%s' exists\n", name);
        goto out;
    }
    if (src < 0)
        goto fail;
    {
        struct web_audit_entry e = { 0 };
        e.at = u.created_at;
        str_fmt(e.address, sizeof(e.address), "command line");
        str_fmt(e.action, sizeof(e.action), "user.create");
        str_fmt(e.target, sizeof(e.target), "user %lld", (long long)u.id);
        e.detail = (char *)web_role_name(u.role);
        web_store_audit_add(s, &e, NULL, NULL);
    }
    printf("user: %s (id %lld, %s)\n", u.name, (long long)u.id, web_role_name(u.role));
    if (generated)
        printf("password: %s\n", password);
    if (u.role == WEB_ROLE_JUDGE && token_create(s, &u, "judge", &err) < 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "crucible user: %s\n", err.msg);
out:
    sodium_memzero(password, sizeof(password));
    sodium_memzero(u.password_hash, sizeof(u.password_hash));
    return rc;
}

int cmd_user(int argc, char **argv)
{
    enum { O_DATA = 1, O_ROLE, O_DISPLAY, O_TOKEN_NAME, O_HELP };
    static const struct option opts[] = {
        { "data", required_argument, NULL, O_DATA }, { "role", required_argument, NULL, O_ROLE },
        { "display-name", required_argument, NULL, O_DISPLAY },
        { "token-name", required_argument, NULL, O_TOKEN_NAME }, { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 },
    };
    const char *data = NULL, *role = NULL, *display = NULL, *token_name = "api";
    struct err err = { 0 };
    int c;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(user_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") != 0 && strcmp(sub, "token") != 0) {
        fprintf(stderr, "crucible user: no subcommand '%s'\n%s", sub, user_usage);
        return 2;
    }
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (c) {
        case O_DATA: data = optarg; break;
        case O_ROLE: role = optarg; break;
        case O_DISPLAY: display = optarg; break;
        case O_TOKEN_NAME: token_name = optarg; break;
        case O_HELP: fputs(user_usage, stdout); return 0;
        default:
            fprintf(stderr, "crucible user: unknown option %s\n%s", argv[optind], user_usage);
            return 2;
        }
    }
    if (optind + 1 != argc - 1) {
        fprintf(stderr, "crucible user %s: give one account NAME\n%s", sub, user_usage);
        return 2;
    }
    const char *name = argv[optind + 1];
    if (!strcmp(sub, "add") && !role) {
        fprintf(stderr, "crucible user add: --role is required\n%s", user_usage);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "crucible user: cannot initialise libsodium\n");
        return 1;
    }
    data = default_data(data);
    struct web_store *s = NULL;
    if (web_data_init(data, &err) < 0 || web_store_open(data, &s, &err) < 0) {
        fprintf(stderr, "crucible user: %s\n", err.msg);
        return 1;
    }
    int rc;
    if (!strcmp(sub, "add")) {
        rc = user_add(s, name, role, display);
    } else {
        struct web_user u;
        rc = 0;
        if (web_store_user_by_name(s, name, &u, &err) < 0 || token_create(s, &u, token_name, &err) < 0) {
            fprintf(stderr, "crucible user: %s\n", err.msg);
            rc = 1;
        }
    }
    web_store_close(s);
    return rc;
}
