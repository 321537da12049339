/* fn_network.c — Sprig's getHostByName: net.LookupHost(name), then one of
 * the addresses at random. (Helm replaces it with a function returning ""
 * unless DNS lookups are enabled; the engine's registry decides which runs.)
 * Addresses are resolved with getaddrinfo, printed as Go prints them. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/rand.h>

#include "core/value.h"

cval *fn_net_host_by_name(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char (*addrs)[INET6_ADDRSTRLEN] = NULL;
    size_t n = 0;
    if (getaddrinfo(argv[0]->u.str.s, NULL, &hints, &res) == 0) {
        size_t cap = 0;
        for (struct addrinfo *p = res; p; p = p->ai_next)
            cap++;
        addrs = arena_alloc(c->a, (cap + 1) * sizeof *addrs);
        for (struct addrinfo *p = res; p; p = p->ai_next) {
            char buf[INET6_ADDRSTRLEN] = "";
            if (p->ai_family == AF_INET)
                inet_ntop(AF_INET, &((struct sockaddr_in *)p->ai_addr)->sin_addr, buf, sizeof buf);
            else if (p->ai_family == AF_INET6)
                inet_ntop(AF_INET6, &((struct sockaddr_in6 *)p->ai_addr)->sin6_addr, buf, sizeof buf);
            else
                continue;
            bool dup = false;
            for (size_t i = 0; i < n; i++)
                if (strcmp(addrs[i], buf) == 0)
                    dup = true;
            if (!dup)
                memcpy(addrs[n++], buf, sizeof buf);
        }
        freeaddrinfo(res);
    }
    if (n == 0)
        return cv_call_fail(c, "invalid argument to Intn"); /* rand.Intn(0) panics in Sprig */
    unsigned int r = 0;
    RAND_bytes((unsigned char *)&r, sizeof r);
    return cv_cstring(c->a, addrs[r % n]);
}

const cv_fnreg fn_network_table[] = {
    {"getHostByName", fn_net_host_by_name, "s"},
    {NULL, NULL, NULL},
};
