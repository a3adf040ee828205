/* dl.c: loading heavy optional libraries when first needed. */
#include "common.h"

#include <dlfcn.h>

int dl_symbols(const char *soname, const char *const *names, void **out, size_t n, struct err *err)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return err_set(err, ERR_UNSUPPORTED, "cannot load %s: %s", soname, dlerror());
    for (size_t i = 0; i < n; i++) {
        out[i] = dlsym(h, names[i]);
        if (!out[i])
            return err_set(err, ERR_UNSUPPORTED, "%s lacks %s", soname, names[i]);
    }
    return 0;
}
