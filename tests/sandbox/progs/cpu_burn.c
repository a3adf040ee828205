/*
 * cpu_burn.c: burns the given CPU seconds on one thread, then prints what it
 * measured itself (getrusage and CLOCK_PROCESS_CPUTIME_ID) so the driver can
 * compare the sandbox's cpu_seconds with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double process_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double target = argc > 1 ? strtod(argv[1], NULL) : 1.0;
    volatile unsigned long sink = 0;
    while (process_cpu() < target)
        for (int i = 0; i < 10000; i++)
            sink++;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rus = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                 ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("clock %.6f rusage %.6f\n", process_cpu(), rus);
    return 0;
}
