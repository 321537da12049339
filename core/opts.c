/* opts.c — see opts.h. */
#include "core/opts.h"
#include "capstan.h"

#include <string.h>

int opts_publish_read(void *dst, size_t dst_size, const void *src, const char *what, capstan_error *err)
{
    cap_err e = CAP_ERR_INIT;
    if (opts_read(dst, dst_size, src, what, &e) == 0)
        return 0;
    return cap_err_publish(err, &e, CAPSTAN_EUSAGE);
}

int opts_read(void *dst, size_t dst_size, const void *src, const char *what, cap_err *err)
{
    memset(dst, 0, dst_size);
    if (src) {
        size_t n = *(const size_t *)src;
        if (n == 0)
            n = dst_size;
        if (n < sizeof(size_t))
            return cap_err_coded(err, CAPSTAN_EUSAGE, "%s: size %zu is smaller than its size field", what, n);
        for (size_t i = dst_size; i < n; i++)
            if (((const unsigned char *)src)[i])
                return cap_err_coded(err, CAPSTAN_EUSAGE,
                                     "%s: options from a newer capstan.h (size %zu; this library knows %zu bytes)",
                                     what, n, dst_size);
        memcpy(dst, src, n < dst_size ? n : dst_size);
    }
    *(size_t *)dst = dst_size;
    return 0;
}

/* The embedded structs keep their size (capstan.h: they grow inside their
 * reserved tails); on the LP64 ABI: */
#if defined(__LP64__)
_Static_assert(sizeof(capstan_render_opts) == 368, "capstan_render_opts must keep its size: shrink reserved_");
_Static_assert(sizeof(capstan_kube_opts) == 168, "capstan_kube_opts must keep its size: shrink reserved_");
#endif
