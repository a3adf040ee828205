/*
 * deep_stack.c: recursion with 4 KiB frames. With argument N it uses N MiB
 * of stack and exits 0 (the stack limit defaults to the memory limit, not
 * 8 MiB); without one it recurses until something stops it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "prog_common.h"

static long max_depth;

static __attribute__((noinline)) int recurse(long depth)
{
    volatile char frame[4096];
    frame[0] = (char)depth;
    frame[sizeof(frame) - 1] = 1;
    if (max_depth && depth >= max_depth)
        return frame[0];
    /* Not a tail call: the frame is read after the call returns. */
    return recurse(depth + 1) + frame[sizeof(frame) - 1];
}

int main(int argc, char **argv)
{
    record_uid();
    if (argc > 1)
        max_depth = strtol(argv[1], NULL, 10) * 256;   /* 256 frames per MiB */
    int r = recurse(1);
    printf("done %d\n", r != 0);
    return 0;
}
