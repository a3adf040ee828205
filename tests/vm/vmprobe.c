/*
 * vmprobe.c: the programs the cgroup v2 VM test runs inside the sandbox (and
 * one it runs outside, moved into a run's cgroup). One static binary with a
 * mode per behaviour, so the initramfs needs no C library for them.
 *
 *   vmprobe hello            print "hello uid=N cgroup=LINE", exit 0
 *   vmprobe spin             burn CPU forever
 *   vmprobe hog MIB          allocate and touch MIB MiB, then exit 0
 *   vmprobe forkbomb         fork forever (children fork too)
 *   vmprobe sleep SECONDS    sleep, then exit 0
 *   vmprobe open PATH...     open each read-write, print "open PATH ok|ERRNAME",
 *                            then "cuda VALUE" (CUDA_VISIBLE_DEVICES)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int hello(void)
{
    char line[256] = "";
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f) {
        if (!fgets(line, sizeof(line), f))
            line[0] = '\0';
        fclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    printf("hello uid=%d cgroup=%s\n", (int)getuid(), line);
    return 0;
}

static int spin(void)
{
    volatile unsigned long n = 0;
    for (;;)
        n++;
}

static int hog(long mib)
{
    for (long i = 0; i < mib; i++) {
        char *p = malloc(1 << 20);
        if (!p) {
            printf("malloc failed after %ld MiB\n", i);
            return 3;
        }
        memset(p, (int)(i & 0xff) | 1, 1 << 20);
    }
    printf("allocated %ld MiB\n", mib);
    return 0;
}

static int forkbomb(void)
{
    for (;;)
        fork();
}

static int sleep_for(double seconds)
{
    struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
    return 0;
}

static int open_all(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int fd = open(argv[i], O_RDWR | O_CLOEXEC);
        printf("open %s %s\n", argv[i], fd >= 0 ? "ok" : strerrorname_np(errno));
        if (fd >= 0)
            close(fd);
    }
    const char *cuda = getenv("CUDA_VISIBLE_DEVICES");
    printf("cuda %s\n", cuda ? cuda : "(unset)");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "hello"))
        return hello();
    if (!strcmp(mode, "spin"))
        return spin();
    if (!strcmp(mode, "hog") && argc > 2)
        return hog(strtol(argv[2], NULL, 10));
    if (!strcmp(mode, "forkbomb"))
        return forkbomb();
    if (!strcmp(mode, "sleep") && argc > 2)
        return sleep_for(strtod(argv[2], NULL));
    if (!strcmp(mode, "open"))
        return open_all(argc - 2, argv + 2);
    fprintf(stderr, "usage: vmprobe hello|spin|hog MIB|forkbomb|sleep SECONDS|open PATH...\n");
    return 2;
}
