/*
 * signal_self.c: dies of the fault named by its argument, the way a buggy
 * submission does: segv (null write), abrt (abort), fpe (integer division by
 * zero), ill (ud2), bus (touching a mapping past the end of its file), kill
 * (raise(SIGKILL), which no limit may claim), stop (raise(SIGSTOP): stopped
 * forever, only the wall-clock limit can end it).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "segv";
    if (!strcmp(what, "segv")) {
        volatile int *p = NULL;
        *p = 1;
    } else if (!strcmp(what, "abrt")) {
        abort();
    } else if (!strcmp(what, "fpe")) {
        /* Both operands volatile: gcc rewrites 1 / x without a division. */
        volatile int one = 1, zero = 0;
        volatile int x = one / zero;
        (void)x;
    } else if (!strcmp(what, "ill")) {
        __asm__ volatile("ud2");
    } else if (!strcmp(what, "bus")) {
        int fd = open("/tmp/bus", O_RDWR | O_CREAT | O_TRUNC, 0600);
        volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
            return 3;
        p[0] = 1;   /* the file is empty: SIGBUS */
    } else if (!strcmp(what, "kill")) {
        raise(SIGKILL);
    } else if (!strcmp(what, "stop")) {
        raise(SIGSTOP);
        return 0;   /* a SIGCONT from outside would let it exit 0 */
    }
    return 3;
}
