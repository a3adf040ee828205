/*
 * thread_exhaust.c: creates threads (64 KiB stacks, each blocked forever)
 * until pthread_create() fails, then prints how many it got and exits 0.
 * With --processes=N exactly N-1 threads besides the main one must fit.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

static void *block(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    record_uid();
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 << 10);
    int n = 0, rc = 0;
    while (n < 10000) {
        pthread_t t;
        rc = pthread_create(&t, &attr, block, NULL);
        if (rc != 0)
            break;
        n++;
    }
    printf("threads %d errno %s\n", n, rc ? strerrorname_np(rc) : "none");
    fflush(stdout);
    _exit(0);
}
