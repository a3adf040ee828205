/*
 * ipc_probe.c: looks for the System V shared memory segment, message queue
 * and semaphore set the host created with the key in argv[1]; the IPC
 * namespace must hide all three. Prints "NAME ok|err ERRNO".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "prog_common.h"

static void report(const char *name, int rc)
{
    if (rc >= 0)
        printf("%s ok\n", name);
    else
        printf("%s err %s\n", name, strerrorname_np(errno));
}

int main(int argc, char **argv)
{
    record_uid();
    key_t key = argc > 1 ? (key_t)strtol(argv[1], NULL, 0) : 0x43525543;
    report("shmget", shmget(key, 0, 0));
    report("msgget", msgget(key, 0));
    report("semget", semget(key, 0, 0));
    return 0;
}
