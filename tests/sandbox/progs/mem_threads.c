/*
 * mem_threads.c: four threads each touch 32 MiB and hold it a moment, so the
 * process tree passes a 64 MiB limit only in sum. The main thread then exits
 * 0; the OOM kill must still be reported as memory_limit.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "prog_common.h"

#define NTHREADS 4
#define PER_THREAD ((size_t)32 << 20)

static void *hog(void *arg)
{
    (void)arg;
    char *p = mmap(NULL, PER_THREAD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        exit(12);
    for (size_t off = 0; off < PER_THREAD; off += 4096)
        p[off] = 1;
    usleep(300 * 1000);
    return NULL;
}

int main(void)
{
    record_uid();
    pthread_t t[NTHREADS];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 << 10);
    /* The main thread is the fourth hog; three more threads. */
    for (int i = 0; i < NTHREADS - 1; i++)
        if (pthread_create(&t[i], &attr, hog, NULL) != 0)
            return 11;
    hog(NULL);
    for (int i = 0; i < NTHREADS - 1; i++)
        pthread_join(t[i], NULL);
    return 0;
}
