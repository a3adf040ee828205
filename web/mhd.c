/* mhd.c: resolves libmicrohttpd's functions at run time (see mhd.h). */
#define WEB_MHD_IMPLEMENTATION
#include "mhd.h"

#include <pthread.h>
#include <stdio.h>

struct web_mhd_api web_mhd;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static struct err load_err;

static void load(void)
{
#define WEB_MHD_NAME(name) #name,
    static const char *const names[] = { WEB_MHD_SYMBOLS(WEB_MHD_NAME) };
#undef WEB_MHD_NAME
    _Static_assert(sizeof(names) / sizeof(names[0]) * sizeof(void *) == sizeof(web_mhd),
                   "one name per function pointer");
    dl_symbols(WEB_MHD_SONAME, names, (void **)&web_mhd, sizeof(names) / sizeof(names[0]), &load_err);
}

int web_mhd_load(struct err *err)
{
    pthread_once(&load_once, load);
    if (load_err.code)
        return err_set(err, load_err.code, "%s", load_err.msg);
    return 0;
}
