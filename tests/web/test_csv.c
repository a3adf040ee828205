/*
 * test_csv.c: unit.web.csv: the CSV reader behind the user import
 * (web/csv.h): RFC 4180 quoting, CRLF/LF/CR line ends, a byte order mark,
 * line breaks inside quotes and the line numbers errors name, and the limits.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csv.h"

/* Parses s; returns the error code and the rows in *out. */
static int parse(const char *s, struct web_csv *out, struct err *err)
{
    return web_csv_parse(s, strlen(s), 100, 8, out, err);
}

/* The rows as "a|b;c|d" (fields joined by '|', records by ';'), for
 * comparing whole results at once. */
static const char *flat(const struct web_csv *c)
{
    static char out[1024];
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->rows[i].n; j++) {
            const char *sep = j ? "|" : i ? ";" : "";
            int n = snprintf(out + k, sizeof(out) - k, "%s%s", sep, c->rows[i].v[j]);
            if (n < 0 || (size_t)n >= sizeof(out) - k)
                return "(too long)";
            k += (size_t)n;
        }
    return out;
}

static void expect(const char *in, const char *want)
{
    struct web_csv c;
    struct err err = { 0 };
    int rc = parse(in, &c, &err);
    CHECK_INT(rc, ==, 0);
    if (rc < 0)
        fprintf(stderr, "  input %s: %s\n", in, err.msg);
    CHECK_STR(flat(&c), want);
    web_csv_release(&c);
}

static void expect_error(const char *in, int code, const char *msg_part)
{
    struct web_csv c;
    struct err err = { 0 };
    CHECK_INT(parse(in, &c, &err), ==, code);
    CHECK(c.n == 0 && c.rows == NULL);
    CHECK(strstr(err.msg, msg_part) != NULL);
    if (!strstr(err.msg, msg_part))
        fprintf(stderr, "  input %s: message '%s' lacks '%s'\n", in, err.msg, msg_part);
}

int main(void)
{
    struct web_csv c;
    struct err err;

    CHECK_SECTION("plain fields and line ends");
    expect("", "");
    expect("name\n", "name");
    expect("name,email\nann,a@x\n", "name|email;ann|a@x");
    expect("name,email\r\nann,a@x\r\n", "name|email;ann|a@x");
    expect("name,email\rann,a@x", "name|email;ann|a@x");
    expect("a,b\nc,d", "a|b;c|d");                 /* no final line break */
    expect("a,,c\n,,\n", "a||c;||");
    expect("a,b,\n", "a|b|");                      /* a trailing comma: an empty last field */
    expect("a,b,", "a|b|");
    expect(" a , b \n", " a | b ");                /* spaces are data */

    CHECK_SECTION("quoted fields");
    expect("\"a,b\",c\n", "a,b|c");
    expect("\"say \"\"hi\"\"\",x\n", "say \"hi\"|x");
    expect("\"\",x\n", "|x");
    expect("\"\"\"\"\n", "\"");
    expect("\"line1\nline2\",x\r\nnext,y\n", "line1\nline2|x;next|y");
    expect("\"crlf\r\ninside\"\r\n", "crlf\r\ninside");
    expect("\"ends at eof\"", "ends at eof");

    CHECK_SECTION("byte order mark, blank lines, UTF-8");
    expect("\xef\xbb\xbfname,team\nzoë,Ünï\n", "name|team;zoë|Ünï");
    expect("\xef\xbb\xbf", "");
    expect("a\n\nb\n", "a;;b");                    /* a blank line is one empty field */
    CHECK_INT(parse("a\n\nb\n", &c, &err), ==, 0);
    CHECK_INT(c.n, ==, 3);
    CHECK_INT(c.rows[1].n, ==, 1);
    web_csv_release(&c);

    CHECK_SECTION("line numbers count the breaks inside quotes");
    CHECK_INT(parse("h1,h2\r\n\"x\ny\nz\",1\r\nlast,2\r\n", &c, &err), ==, 0);
    CHECK_INT(c.n, ==, 3);
    CHECK_INT(c.rows[0].line, ==, 1);
    CHECK_INT(c.rows[1].line, ==, 2);
    CHECK_INT(c.rows[2].line, ==, 5);
    web_csv_release(&c);
    web_csv_release(&c);                            /* twice is harmless */
    web_csv_release(NULL);

    CHECK_SECTION("malformed input names its line");
    expect_error("a,b\nc,\"open\n", ERR_INVALID, "line 2: a quoted field is not closed");
    expect_error("a\nb\"c\n", ERR_INVALID, "line 2: a quote inside an unquoted field");
    expect_error("\"x\ny\"z,1\n", ERR_INVALID, "line 2: text after a closing quote");
    expect_error("\"ok\" ,1\n", ERR_INVALID, "line 1: text after a closing quote");
    {
        static const char nul[] = "a,b\nc\0d\n";
        CHECK_INT(web_csv_parse(nul, sizeof(nul) - 1, 100, 8, &c, &err), ==, ERR_INVALID);
        CHECK(strstr(err.msg, "line 2: a NUL byte") != NULL);
        static const char nulq[] = "\"c\0d\"\n";
        CHECK_INT(web_csv_parse(nulq, sizeof(nulq) - 1, 100, 8, &c, &err), ==, ERR_INVALID);
    }

    CHECK_SECTION("limits");
    CHECK_INT(web_csv_parse("a\nb\nc\n", 6, 3, 8, &c, &err), ==, 0);
    web_csv_release(&c);
    CHECK_INT(web_csv_parse("a\nb\nc\nd\n", 8, 3, 8, &c, &err), ==, ERR_LIMIT);
    CHECK(strstr(err.msg, "line 4") != NULL);
    CHECK(c.n == 0);
    CHECK_INT(web_csv_parse("1,2,3\n", 6, 3, 3, &c, &err), ==, 0);
    web_csv_release(&c);
    CHECK_INT(web_csv_parse("1,2,3,4\n", 8, 3, 3, &c, &err), ==, ERR_LIMIT);
    CHECK_INT(web_csv_parse(",,,\n", 4, 3, 3, &c, &err), ==, ERR_LIMIT);

    CHECK_SECTION("a large file");
    {
        size_t rows = 5001, len = 0;
        char *big = malloc(rows * 40);
        CHECK(big != NULL);
        for (size_t i = 0; i < rows; i++)
            len += (size_t)snprintf(big + len, 40, "user%zu,\"Name, %zu\",u%zu@x\r\n", i, i, i);
        CHECK_INT(web_csv_parse(big, len, 5001, 8, &c, &err), ==, 0);
        CHECK_INT(c.n, ==, 5001);
        CHECK_STR(c.rows[5000].v[1], "Name, 5000");
        CHECK_INT(c.rows[5000].line, ==, 5001);
        web_csv_release(&c);
        free(big);
    }
    return check_done("unit.web.csv");
}
