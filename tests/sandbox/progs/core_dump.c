/*
 * core_dump.c: tries to turn core dumps back on (raise RLIMIT_CORE) and then
 * aborts in /box; no core file may appear, and the run ends as signaled 6.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
    int rc = setrlimit(RLIMIT_CORE, &rl);
    printf("raise_core %s\n", rc == 0 ? "ok" : strerrorname_np(errno));
    getrlimit(RLIMIT_CORE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_CORE, &rl);
    prctl(PR_SET_DUMPABLE, 1);
    fflush(stdout);
    if (chdir("/box") < 0)
        return 3;
    abort();
}
