/*
 * daemon.c: double-forks a daemon that leaves the session and appends a line
 * to /box/daemon.log every 10 ms, ignoring SIGTERM and SIGHUP; the original
 * process exits 0 as soon as the daemon has written once. The run must end
 * then and the daemon die with it: the log stops growing.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    pid_t pid = fork();
    if (pid < 0)
        return 3;
    if (pid == 0) {
        setsid();
        if (fork() != 0)
            _exit(0);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        int fd = open("/box/daemon.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
        for (unsigned long i = 0;; i++) {
            char line[32];
            int n = snprintf(line, sizeof(line), "%lu\n", i);
            (void)!write(fd, line, (size_t)n);
            usleep(10 * 1000);
        }
    }
    waitpid(pid, NULL, 0);
    for (int i = 0; i < 200; i++) {
        struct stat st;
        if (stat("/box/daemon.log", &st) == 0 && st.st_size > 0)
            break;
        usleep(5 * 1000);
    }
    printf("parent exits\n");
    return 0;
}
