/*
 * prog_common.h: what the hostile test programs share. Each one first writes
 * its uid to /box/.uid so that the driver can look, after the run, for
 * survivors of exactly this run (a concurrent run has another uid).
 */
#ifndef CRUCIBLE_TEST_PROG_COMMON_H
#define CRUCIBLE_TEST_PROG_COMMON_H

#include <stdio.h>
#include <unistd.h>

static inline void record_uid(void)
{
    FILE *f = fopen("/box/.uid", "w");
    if (f) {
        fprintf(f, "%u\n", (unsigned)getuid());
        fclose(f);
    }
}

#endif
