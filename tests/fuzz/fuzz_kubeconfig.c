/* fuzz_kubeconfig.c — kubeconfig files (installer/kube/kubeconfig.c), read from
 * a file as --kubeconfig gives it; an input with a NUL is two files merged
 * as $KUBECONFIG=a:b merges them. Files the config names (certificates,
 * tokens) are looked up beside it, where there are none. */
#include "fuzz.h"

#include "installer/kube/kubeconfig.h"

#include "fuzz_tmpfile.h"

FUZZ_TARGET(kubeconfig)
{
    kube_config_opts o;
    memset(&o, 0, sizeof o);
    o.serviceaccount_dir = "/nonexistent/capstan-fuzz";
    size_t cut = 0;
    while (cut < size && data[cut])
        cut++;
    char both[1100];
    const char *first = fuzz_tmpfile("config", data, cut);
    if (cut < size) {
        snprintf(both, sizeof both, "%s:", first);
        const char *second = fuzz_tmpfile("config2", data + cut + 1, size - cut - 1);
        strncat(both, second, sizeof both - strlen(both) - 1);
        o.env_kubeconfig = both;
    } else {
        o.kubeconfig = first;
    }
    kube_config *kc = NULL;
    cap_err err = CAP_ERR_INIT;
    int rc = kube_config_load(&o, &kc, &err);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL && kc != NULL : rc == -1 && err.msg != NULL);
    if (rc == 0)
        kube_config_free(kc);
    cap_err_clear(&err);
    return 0;
}
