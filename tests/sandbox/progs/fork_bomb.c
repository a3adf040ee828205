/*
 * fork_bomb.c: the classic fork bomb. Every process forks forever and spins
 * when the pids controller refuses; the run must end as time_limit and leave
 * no process behind.
 */
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    for (;;)
        fork();
}
