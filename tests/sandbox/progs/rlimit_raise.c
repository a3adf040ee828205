/*
 * rlimit_raise.c: tries to raise the hard limits the sandbox set (open
 * files, file size, core size) back to unlimited. Prints each limit and
 * "raise_NAME ok|err ERRNO"; every raise must fail with EPERM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "prog_common.h"

static void try_raise(const char *name, int res)
{
    struct rlimit rl;
    getrlimit(res, &rl);
    printf("limit_%s %lld %lld\n", name,
           rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
           rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
    struct rlimit up = { RLIM_INFINITY, RLIM_INFINITY };
    if (res == RLIMIT_NOFILE)
        up.rlim_cur = up.rlim_max = 1 << 20;
    int rc = setrlimit(res, &up);
    printf("raise_%s %s\n", name, rc == 0 ? "ok" : strerrorname_np(errno));
}

int main(void)
{
    record_uid();
    try_raise("nofile", RLIMIT_NOFILE);
    try_raise("fsize", RLIMIT_FSIZE);
    try_raise("core", RLIMIT_CORE);
    return 0;
}
