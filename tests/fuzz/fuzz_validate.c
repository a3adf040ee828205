/*
 * fuzz_validate.c: libFuzzer target for prb_default_validate, the default
 * output validator that reads team output (untrusted) against the answer.
 *
 * Input: one flags byte, then the rest split in two halves, the answer and
 * the team output, each copied into a buffer of exactly its size with no NUL
 * after it, so an overread of either is an AddressSanitizer report.
 * Flags byte: bit 0 case_sensitive, bit 1 space_change_sensitive, bit 2
 * has_abs_tol, bit 3 has_rel_tol, bits 4-5 the absolute tolerance and bits
 * 6-7 the relative one (indexes into tols[]).
 *
 * Beyond memory safety it checks what the header promises: the message is
 * NUL-terminated inside its array, and an output always matches itself.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const double tols[4] = { 1e-6, 0.0, 1e-300, 1e300 };

static char *dup_exact(const uint8_t *p, size_t n)
{
    char *d = malloc(n ? n : 1);
    if (!d)
        abort();
    if (n)
        memcpy(d, p, n);
    return d;
}

static void check_msg(const struct prb_check_result *res)
{
    if (!memchr(res->message, '\0', sizeof(res->message)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t fl = data[0];
    data++;
    size--;
    struct prb_validator_flags flags = {
        .case_sensitive = fl & 1,
        .space_change_sensitive = (fl >> 1) & 1,
        .has_abs_tol = (fl >> 2) & 1,
        .has_rel_tol = (fl >> 3) & 1,
        .abs_tol = tols[(fl >> 4) & 3],
        .rel_tol = tols[(fl >> 6) & 3],
    };
    size_t alen = size / 2, tlen = size - alen;
    char *ans = dup_exact(data, alen), *team = dup_exact(data + alen, tlen);
    struct prb_check_result res;

    memset(&res, 0x5a, sizeof(res));
    if (prb_default_validate(ans, alen, team, tlen, &flags, &res) == 0)
        check_msg(&res);
    memset(&res, 0x5a, sizeof(res));
    if (prb_default_validate(ans, alen, team, tlen, NULL, &res) == 0)
        check_msg(&res);

    /* Reflexivity: the answer judged against itself is accepted. */
    memset(&res, 0x5a, sizeof(res));
    if (prb_default_validate(ans, alen, ans, alen, &flags, &res) == 0) {
        check_msg(&res);
        if (!res.accepted && !getenv("FUZZ_VALIDATE_NO_REFLEXIVE"))
            abort();
    }
    free(ans);
    free(team);
    return 0;
}
