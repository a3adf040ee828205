/* log.c: one line per event on stderr, level checked before formatting. */
#include "common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level log_threshold = LOG_INFO;   /* set once at start-up */

static const char *const log_names[] = { "debug", "info", "warn", "error", "off" };

void log_set_level(enum log_level level)
{
    log_threshold = level;
}

int log_enabled(enum log_level level)
{
    return level >= log_threshold && level < LOG_OFF;
}

int log_level_parse(const char *s, enum log_level *out)
{
    for (int i = LOG_DEBUG; i <= LOG_OFF; i++) {
        if (strcmp(s, log_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return ERR_INVALID;
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    char line[2048];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof(line) - (size_t)n, "%s %s: ", log_names[level], module);
    if (n < (int)sizeof(line)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    /* A single fputs keeps concurrent lines whole. */
    size_t len = strnlen(line, sizeof(line) - 2);
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr);
}
