/*
 * fuzz_checker_output.c: libFuzzer target for the judge's parsing of what
 * output validators, testlib checkers and AI scorers write (judge.c, exposed
 * in judge_int.h): a feedback file made a message, score.txt, a testlib
 * "points" message, and a scorer's {"public": x, "private": y}.
 *
 * Input: one selector byte (low 2 bits: which parser), then the bytes as a
 * validator would have written them. Besides memory errors, the parsers'
 * promises are checked and a broken one aborts: a message is NUL-terminated
 * within its buffer, free of control characters but '\n'; a score that is
 * accepted is finite.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "judge_int.h"
#include "problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* read_feedback's path: a file of up to size - 1 bytes into a message. */
static void feedback(const char *text, size_t n, char *out, size_t size)
{
    memset(out, 'Z', size);
    jdg_feedback_text(text, n, out, size);
    size_t len = strnlen(out, size);
    if (len >= size)
        abort();
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)out[i] < 0x20 && out[i] != '\n')
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 16))
        return 0;
    unsigned sel = data[0] & 3u;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    char msg[JDG_MESSAGE_MAX], small[64];
    double v = 0;
    switch (sel) {
    case 0:                                 /* judgemessage.txt, a validator's stderr */
        feedback(text, n, msg, sizeof(msg));
        break;
    case 1: {                               /* score.txt as read_score reads it */
        feedback(text, n, small, sizeof(small));
        int rc = jdg_score_text_parse(small, &v);
        if (rc < -1 || rc > 1 || (rc == 1 && !isfinite(v)) || (rc == 0 && small[0]))
            abort();
        break;
    }
    case 2: {                               /* a testlib checker's message, exit 7 */
        feedback(text, n, msg, sizeof(msg));
        int rc = jdg_testlib_points(msg, &v);
        if ((rc != 0 && rc != -1) || (rc == 0 && (!isfinite(v) || !strstr(msg, "points"))))
            abort();
        break;
    }
    default: {                              /* an AI scorer's stdout */
        struct prb_ai_score s = { 0 };
        struct err err = { 0 };
        int rc = jdg_scorer_output_parse(text, n, &s, &err);
        if (rc == 0 && (!isfinite(s.public_score) || !isfinite(s.private_score)))
            abort();
        if (rc < 0 && !err.msg[0])
            abort();
        break;
    }
    }
    return 0;
}
