/*
 * sleep_forever.c: uses no CPU and never ends; only the wall-clock limit can
 * stop it.
 */
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    for (;;)
        pause();
}
