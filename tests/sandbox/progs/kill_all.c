/*
 * kill_all.c: kill(1, SIGKILL) (the run's init), kill(-1, SIGKILL) and
 * kill(PID, SIGKILL) for host pids given as arguments. It forks one child
 * first so that kill(-1) has something to hit inside the run; the host's
 * sentinel processes must survive and the run must end normally (exit 0).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(int argc, char **argv)
{
    record_uid();
    pid_t child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    printf("fork %s\n", child > 0 ? "ok" : strerrorname_np(errno));
    int rc = kill(1, SIGKILL);
    printf("kill1 %s\n", rc == 0 ? "ok" : strerrorname_np(errno));
    fflush(stdout);
    rc = kill(-1, SIGKILL);
    printf("kill-1 %s\n", rc == 0 ? "ok" : strerrorname_np(errno));
    for (int i = 1; i < argc; i++) {
        rc = kill((pid_t)atoi(argv[i]), SIGKILL);
        printf("kill %s %s\n", argv[i], rc == 0 ? "ok" : strerrorname_np(errno));
    }
    return 0;
}
