/*
 * csv.h: an RFC 4180 reader for uploaded CSV files (the user import). Pure
 * parsing, no I/O: bytes in, rows of fields out, or an error naming the line.
 */
#ifndef CRUCIBLE_WEB_CSV_H
#define CRUCIBLE_WEB_CSV_H

#include <stddef.h>

#include "common.h"

/* One record. line is the 1-based line it starts on, counting the line
 * breaks inside quoted fields, so an error can point at it. */
struct web_csv_row {
    size_t line;
    size_t n;
    char **v;                       /* n NUL-terminated fields; owned */
};

struct web_csv {
    struct web_csv_row *rows;       /* owned; release with web_csv_release */
    size_t n;
};

/*
 * Parses data[0..len) as CSV: fields separated by ',', records ended by
 * CRLF, LF or a lone CR (the last record needs no line break), a leading
 * UTF-8 byte order mark skipped. A field that starts with '"' is quoted: it
 * runs to the next lone '"', may hold ',', '"' (written "") and line breaks,
 * and must be followed by ',' or the end of the record. An empty line is a
 * record with one empty field. Refused (ERR_INVALID, err says "line N: ..."):
 * a quote inside an unquoted field, text after a closing quote, a quoted
 * field left open, a NUL byte. ERR_LIMIT: more than max_rows records or
 * more than max_fields fields in one. On failure out is left empty.
 */
int web_csv_parse(const char *data, size_t len, size_t max_rows, size_t max_fields, struct web_csv *out,
                  struct err *err);
void web_csv_release(struct web_csv *c);    /* NULL-safe; c is then empty */

#endif
