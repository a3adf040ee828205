/*
 * whoami.c: prints who the program runs as and what it may do: uids, gids,
 * groups, capability sets, no_new_privs, seccomp mode, working folder,
 * limits. Copied setuid-root into the box, it shows that nosuid and
 * no_new_privs keep the euid unprivileged.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
    printf("uid %u\neuid %u\ngid %u\negid %u\n", (unsigned)getuid(), (unsigned)geteuid(),
           (unsigned)getgid(), (unsigned)getegid());
    gid_t groups[64];
    int n = getgroups(64, groups);
    printf("groups");
    for (int i = 0; i < n; i++)
        printf(" %u", (unsigned)groups[i]);
    printf("\n");
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) ||
            !strncmp(line, "SigIgn", 6) || !strncmp(line, "SigBlk", 6) ||
            !strncmp(line, "Seccomp:", 8)) {
            char *colon = strchr(line, ':');
            *colon = 0;
            printf("%s %s", line, colon + 1 + strspn(colon + 1, " \t"));
        }
    }
    if (f)
        fclose(f);
    char cwd[256];
    printf("cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
    char host[256] = "";
    gethostname(host, sizeof(host));
    printf("hostname %s\npid %d\n", host, (int)getpid());
    static const struct { int res; const char *name; } lims[] = {
        { RLIMIT_FSIZE, "fsize" }, { RLIMIT_NOFILE, "nofile" }, { RLIMIT_STACK, "stack" },
        { RLIMIT_CORE, "core" }, { RLIMIT_AS, "as" }, { RLIMIT_NPROC, "nproc" },
    };
    for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
        struct rlimit rl;
        getrlimit(lims[i].res, &rl);
        printf("rlimit_%s %lld %lld\n", lims[i].name,
               rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
               rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
    }
    return 0;
}
