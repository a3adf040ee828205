/*
 * fd_exhaust.c: opens /dev/null until open() fails, prints how many it got,
 * the highest fd and the errno (EMFILE), and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    int n = 0, highest = -1, err = 0;
    while (n < 1000000) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) {
            err = errno;
            break;
        }
        if (fd > highest)
            highest = fd;
        n++;
    }
    printf("opened %d highest %d errno %s\n", n, highest, err ? strerrorname_np(err) : "none");
    return 0;
}
