/*
 * validator.c: the specification's default output validator, run in-process
 * on two buffers, and the parser for its arguments.
 *
 * Semantics (2023-07-draft and 2025-09 "Default output validator"; legacy
 * is the same minus the precise float grammar): tokens are split on the six
 * ASCII whitespace bytes; with a float tolerance set, an answer token that
 * matches the float grammar is compared numerically (either tolerance
 * suffices), otherwise tokens compare as strings, up to ASCII case unless
 * case_sensitive. space_change_sensitive compares every whitespace run,
 * leading and trailing included, byte for byte.
 */
#include "problems_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_TOKEN_MAX 40   /* bytes of a token quoted in a message */

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The spec's grammar:
 *   float = sign? ( digit* "." digit+ | digit+ "." | digit+ ) exponent?
 *   exponent = [Ee] sign? digit+
 * so "inf", "nan", hex floats and a lone "." are not floats.
 */
static int float_syntax(const char *s, size_t n)
{
    size_t i = 0, intd = 0, fracd = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < n && is_digit(s[i])) {
        i++;
        intd++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i])) {
            i++;
            fracd++;
        }
    }
    if (intd + fracd == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t expd = 0;
        while (i < n && is_digit(s[i])) {
            i++;
            expd++;
        }
        if (!expd)
            return 0;
    }
    return i == n;
}

/* 1: a float (value in *out), 0: not a float, -1: a float too long to parse. */
static int float_token(const char *s, size_t n, double *out)
{
    char tmp[PRB_FLOAT_TOKEN_MAX + 1];
    if (!float_syntax(s, n))
        return 0;
    if (n > PRB_FLOAT_TOKEN_MAX)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    /* Overflow gives +-HUGE_VAL (inf) and underflow a tiny value or 0, which
     * is what the numeric comparison below should see. */
    *out = strtod(tmp, NULL);
    return 1;
}

static int float_arg(const char *s, double *out)
{
    double v;
    if (!s || float_token(s, strlen(s), &v) != 1 || !isfinite(v) || v < 0)
        return ERR_INVALID;
    *out = v;
    return 0;
}

int prb_validator_flags_parse(const struct prb_strv *args, struct prb_validator_flags *f,
                              struct err *err)
{
    int seen_abs = 0, seen_rel = 0, seen_both = 0;
    memset(f, 0, sizeof(*f));
    for (size_t i = 0; args && i < args->n; i++) {
        const char *a = args->v[i];
        if (strcmp(a, "case_sensitive") == 0) {
            f->case_sensitive = 1;
        } else if (strcmp(a, "space_change_sensitive") == 0) {
            f->space_change_sensitive = 1;
        } else if (strcmp(a, "float_absolute_tolerance") == 0 ||
                   strcmp(a, "float_relative_tolerance") == 0 ||
                   strcmp(a, "float_tolerance") == 0) {
            double v;
            if (i + 1 >= args->n || float_arg(args->v[i + 1], &v) < 0)
                return err_set(err, ERR_INVALID, "'%s' needs a non-negative number", a);
            i++;
            int *seen = strcmp(a, "float_absolute_tolerance") == 0   ? &seen_abs
                        : strcmp(a, "float_relative_tolerance") == 0 ? &seen_rel
                                                                     : &seen_both;
            if ((*seen)++)
                return err_set(err, ERR_INVALID, "'%s' given more than once", a);
            if (seen == &seen_abs) {
                f->has_abs_tol = 1;
                f->abs_tol = v;
            } else if (seen == &seen_rel) {
                f->has_rel_tol = 1;
                f->rel_tol = v;
            } else {
                f->has_abs_tol = f->has_rel_tol = 1;
                f->abs_tol = f->rel_tol = v;
            }
        } else {
            return err_set(err, ERR_INVALID, "unknown default validator argument '%.64s'", a);
        }
    }
    if (seen_both && (seen_abs || seen_rel))
        return err_set(err, ERR_INVALID,
                       "float_tolerance cannot be combined with float_absolute_tolerance or "
                       "float_relative_tolerance");
    return 0;
}

/* Quotes at most SHOW_TOKEN_MAX bytes of a token, escaping what is not
 * printable ASCII, into out (size >= 4 * SHOW_TOKEN_MAX + 8). */
static void show_token(char *out, size_t outsz, const char *s, size_t n)
{
    size_t o = 0, i;
    for (i = 0; i < n && i < SHOW_TOKEN_MAX && o + 5 < outsz; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
    }
    if (i < n && o + 4 < outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static int ascii_case_equal(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static int reject(struct prb_check_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int reject(struct prb_check_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof(res->message), fmt, ap);
    va_end(ap);
    res->accepted = 0;
    return 0;
}

int prb_default_validate(const char *ans, size_t ans_len, const char *team, size_t team_len,
                         const struct prb_validator_flags *flags, struct prb_check_result *res)
{
    static const struct prb_validator_flags defaults;
    const struct prb_validator_flags *f = flags ? flags : &defaults;
    char t_show[4 * SHOW_TOKEN_MAX + 8];
    size_t i = 0, j = 0;
    unsigned long long token = 0, line = 1;   /* line of the team output */

    res->accepted = 0;
    res->message[0] = '\0';
    if ((f->has_abs_tol && !(f->abs_tol >= 0)) || (f->has_rel_tol && !(f->rel_tol >= 0)))
        return ERR_INVALID;
    int use_floats = f->has_abs_tol || f->has_rel_tol;

    for (;;) {
        size_t ai = i, tj = j;
        while (i < ans_len && is_ws((unsigned char)ans[i]))
            i++;
        while (j < team_len && is_ws((unsigned char)team[j])) {
            if (team[j] == '\n')
                line++;
            j++;
        }
        if (f->space_change_sensitive &&
            (i - ai != j - tj || memcmp(ans + ai, team + tj, i - ai) != 0))
            return reject(res, "whitespace differs from the answer after token %llu (line %llu)",
                          token, line);
        if (i == ans_len && j == team_len)
            break;
        size_t as = i, ts = j;
        while (i < ans_len && !is_ws((unsigned char)ans[i]))
            i++;
        while (j < team_len && !is_ws((unsigned char)team[j]))
            j++;
        token++;
        if (as == ans_len) {
            show_token(t_show, sizeof(t_show), team + ts, j - ts);
            return reject(res, "trailing output at token %llu (line %llu): '%s'", token, line,
                          t_show);
        }
        /* Messages quote the team's own output, never the answer: they may
         * travel further than the jury (test data stays invisible). */
        if (ts == team_len)
            return reject(res, "output ended at token %llu; more was expected", token);
        show_token(t_show, sizeof(t_show), team + ts, j - ts);

        double av, tv;
        if (use_floats && float_token(ans + as, i - as, &av) == 1) {
            int tr = float_token(team + ts, j - ts, &tv);
            if (tr == -1)
                return reject(res, "token %llu (line %llu): number too long: '%s'", token, line,
                              t_show);
            if (tr == 0)
                return reject(res, "token %llu (line %llu): expected a number, got '%s'", token, line,
                              t_show);
            double diff = fabs(tv - av);
            /* tv == av covers equal overflows (inf); otherwise an infinite
             * difference never passes, even against a relative inf bound. */
            int ok = tv == av ||
                     (isfinite(diff) && f->has_abs_tol && diff <= f->abs_tol) ||
                     (isfinite(diff) && f->has_rel_tol && diff <= f->rel_tol * fabs(av));
            if (!ok)
                return reject(res, "token %llu (line %llu): '%s' is outside the tolerance", token, line,
                              t_show);
            continue;
        }
        size_t al = i - as, tl = j - ts;
        int same = al == tl && (f->case_sensitive ? memcmp(ans + as, team + ts, al) == 0
                                                  : ascii_case_equal(ans + as, team + ts, al));
        if (!same)
            return reject(res, "token %llu (line %llu): wrong answer '%s'", token, line, t_show);
    }
    res->accepted = 1;
    return 0;
}
