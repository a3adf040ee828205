/*
 * crucible.c: the one `crucible` binary. Like git, it dispatches its first
 * argument to a subcommand that each module provides.
 */
#include <stdio.h>
#include <string.h>

#include "judge.h"
#include "sandbox.h"
#include "web.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command's name */
    const char *summary;
    const char *usage;                   /* printed by `crucible help NAME` */
};

static const struct command commands[] = {
    { "sandbox", cmd_sandbox, "run one untrusted program in isolation with limits",
      "usage: crucible sandbox run [OPTIONS] -- PROGRAM [ARG]...\n"
      "       crucible sandbox info\n"
      "Run `crucible sandbox run --help` for the options." },
    { "judge", cmd_judge, "judge submissions: one from the command line, or a server's queue",
      "usage: crucible judge run --problem=PATH [--lang=LANG] [--all-tests] [--json] SOURCE...\n"
      "       crucible judge languages\n"
      "       crucible judge daemon --server=URL --token-file=FILE [--workers=N]\n"
      "Run `crucible judge --help` for the options." },
    { "problem", cmd_problem, "check a problem package: validators and expected verdicts",
      "usage: crucible problem verify [--languages=FILE] [--time-limit=SECONDS] PATH\n"
      "Run `crucible problem --help` for details." },
    { "serve", cmd_serve, "serve the web platform: the browser UI and its HTTP API",
      "usage: crucible serve [--config=FILE] [--data=DIR] [--listen=ADDR:PORT] [--check-config]\n"
      "Run `crucible serve --help` for the settings." },
    { "init", cmd_init, "create the data folder and database for crucible serve",
      "usage: crucible init [--data=DIR] [--registration=open|admin|code] [--registration-code=CODE]" },
    { "user", cmd_user, "create accounts and API tokens",
      "usage: crucible user add [--data=DIR] --role=ROLE [--display-name=TEXT] NAME\n"
      "       crucible user token [--data=DIR] [--token-name=NAME] NAME\n"
      "Run `crucible user --help` for details." },
    /* ops: backups (web/backup.c) */
    { "backup", cmd_backup, "copy a running server's data folder: database, blobs, manifest",
      "usage: crucible backup [--data=DIR] --out=DEST\n"
      "Run `crucible backup --help` for details." },
    { "restore", cmd_restore, "restore a data folder from a backup, verified",
      "usage: crucible restore --from=DEST [--data=DIR] [--force]\n"
      "Run `crucible restore --help` for details." },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_overview(FILE *out)
{
    fprintf(out, "usage: crucible COMMAND [ARGS]...\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n", "help", "show help for a command");
    fprintf(out, "\nRun `crucible help COMMAND` for a command's usage.\n");
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_overview(stdout);
        return 0;
    }
    if (!strcmp(name, "--version")) {
        printf("crucible 0.1.0\n");
        return 0;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            print_overview(stdout);
            return 0;
        }
        const struct command *c = find_command(argv[2]);
        if (!c) {
            fprintf(stderr, "crucible: no command '%s'; see `crucible --help`\n", argv[2]);
            return 2;
        }
        printf("crucible %s: %s\n%s\n", c->name, c->summary, c->usage);
        return 0;
    }
    const struct command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "crucible: no command '%s'; see `crucible --help`\n", name);
        return 2;
    }
    return c->run(argc - 1, argv + 1);
}
