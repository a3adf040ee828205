/*
 * mem_procs.c: four processes each touch 32 MiB at the same time, so only
 * their sum passes a 64 MiB limit. The parent exits 0 whatever happened to
 * its children: an OOM kill anywhere in the tree must give memory_limit.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prog_common.h"

#define NPROCS 4
#define PER_PROC ((size_t)32 << 20)

static void hog(void)
{
    char *p = mmap(NULL, PER_PROC, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(12);
    for (size_t off = 0; off < PER_PROC; off += 4096)
        p[off] = 1;
    usleep(300 * 1000);
}

int main(void)
{
    record_uid();
    for (int i = 0; i < NPROCS - 1; i++) {
        pid_t pid = fork();
        if (pid < 0)
            return 11;
        if (pid == 0) {
            hog();
            _exit(0);
        }
    }
    hog();
    while (wait(NULL) > 0)
        ;
    return 0;
}
