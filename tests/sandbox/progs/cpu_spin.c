/*
 * cpu_spin.c: burns CPU forever on N threads ("threads N") or N processes
 * ("procs N"), the caller included. The CPU limit must count all of them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

static volatile unsigned long sink;

static void *spin(void *arg)
{
    (void)arg;
    for (;;)
        sink++;
    return NULL;
}

int main(int argc, char **argv)
{
    record_uid();
    int procs = argc > 1 && strcmp(argv[1], "procs") == 0;
    int n = argc > 2 ? atoi(argv[2]) : 1;
    for (int i = 1; i < n; i++) {
        if (procs) {
            if (fork() == 0)
                spin(NULL);
        } else {
            pthread_t t;
            pthread_create(&t, NULL, spin, NULL);
        }
    }
    spin(NULL);
}
