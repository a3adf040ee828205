/*
 * cpu_sum_threads.c: N threads (the main one included) each burn S seconds
 * of their own CPU time, then the process prints its total. The sandbox's
 * cpu_seconds must be that sum, not the time of one thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds_each;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *burn(void *arg)
{
    (void)arg;
    volatile unsigned long sink = 0;
    while (clock_seconds(CLOCK_THREAD_CPUTIME_ID) < seconds_each)
        for (int i = 0; i < 10000; i++)
            sink++;
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    seconds_each = argc > 2 ? strtod(argv[2], NULL) : 0.25;
    pthread_t t[64];
    if (n > 64)
        n = 64;
    for (int i = 1; i < n; i++)
        if (pthread_create(&t[i], NULL, burn, NULL) != 0)
            return 11;
    burn(NULL);
    for (int i = 1; i < n; i++)
        pthread_join(t[i], NULL);
    printf("clock %.6f\n", clock_seconds(CLOCK_PROCESS_CPUTIME_ID));
    return 0;
}
