/*
 * conc_probe.c: one of two runs started at the same time. Prints its uid and
 * what its /tmp holds, leaves a marker named after argv[1] in /tmp and /box,
 * burns 0.3 s of CPU, then checks that /tmp still holds only its own marker
 * and prints its own CPU time. With a shared folder (argv[2], a --bind:rw)
 * and the other run's name (argv[3]) it also proves that both ran at the
 * same time: it leaves its name there and waits up to 3 s for the other's.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int count_tmp(void)
{
    DIR *d = opendir("/tmp");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "x";
    printf("uid %u\ntmp_before %d\n", (unsigned)getuid(), count_tmp());
    char path[256];
    snprintf(path, sizeof(path), "/tmp/%s", name);
    close(open(path, O_WRONLY | O_CREAT, 0644));
    snprintf(path, sizeof(path), "/box/marker_%s", name);
    close(open(path, O_WRONLY | O_CREAT, 0644));
    if (argc > 3) {
        snprintf(path, sizeof(path), "%s/%s", argv[2], name);
        close(open(path, O_WRONLY | O_CREAT, 0644));
        snprintf(path, sizeof(path), "%s/%s", argv[2], argv[3]);
        int seen = 0;
        for (int i = 0; i < 300 && !seen; i++) {
            seen = access(path, F_OK) == 0;
            if (!seen)
                usleep(10 * 1000);
        }
        printf("partner %s\n", seen ? "seen" : "absent");
    }
    volatile unsigned long sink = 0;
    while (cpu() < 0.3)
        for (int i = 0; i < 10000; i++)
            sink++;
    printf("tmp_after %d\nclock %.6f\n", count_tmp(), cpu());
    return 0;
}
