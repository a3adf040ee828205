/*
 * fork_count.c: forks until the process limit refuses, keeping every child
 * alive, then prints how many children it got. Checks that --processes is
 * exact and that children left behind are killed at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    int n = 0, err = 0;
    while (n < 10000) {
        pid_t pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            for (;;)
                pause();
        }
        n++;
    }
    printf("children %d errno %s\n", n, err ? strerrorname_np(err) : "none");
    return 0;
}
