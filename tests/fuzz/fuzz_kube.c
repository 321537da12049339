/* fuzz_kube.c — what capstan reads from the Kubernetes API. The first byte
 * picks the reader, the rest is the response:
 *   0  an error response (a Status object, or anything) for kube_api_error,
 *      with the HTTP status from the second byte
 *   1  a watch stream, cut into chunks as curl hands them (kube_watch.c's
 *      on_data and dispatch), each event's object checked for readiness
 *   2  a list (SecretList of release records, or any list): each item read
 *      as a release Secret (release_from_secret and release_store.c's
 *      release_from_secret_rec) and for readiness
 *   3  a release record (release_codec.c's release_decode), given as the
 *      bytes inside the base64, plain and gzipped
 * dispatch and on_data are static: this file includes kube_watch.c with its
 * exported functions renamed.
 */
#include "fuzz.h"

#define kube_watch_new fuzzcopy_kube_watch_new
#define kube_watch_free fuzzcopy_kube_watch_free
#define kube_watch_add fuzzcopy_kube_watch_add
#define kube_watch_poll fuzzcopy_kube_watch_poll
#include "installer/kube/kube_watch.c"

#include "core/base64.h"
#include "installer/kube/kube_api.h"
#include "installer/release/ready.h"
#include "installer/release/release_codec.h"
#include "installer/release/release_store.h"

#include "fuzz_gzip.h"

static void check_ready(arena *a, const cval *obj)
{
    ready_result r = ready_status(a, obj);
    FUZZ_CHECK(r.state >= READY_IN_PROGRESS && r.state <= READY_TERMINATING);
}

static void read_status(const uint8_t *data, size_t size)
{
    static const long codes[] = {200, 400, 401, 403, 404, 409, 410, 422, 429, 500, 503};
    kube_response r = {0, STRBUF_INIT, 1};
    r.status = size ? codes[data[0] % (sizeof codes / sizeof *codes)] : 500;
    if (size > 1)
        sb_add(&r.body, (const char *)data + 1, size - 1);
    cap_err err = CAP_ERR_INIT;
    kube_api_error(&err, &r, "GET /api/v1/namespaces/x/secrets");
    FUZZ_CHECK(err.msg != NULL);
    cap_err_clear(&err);
    sb_release(&r.body);
}

static int on_event(void *ctx, int stream, const char *type, cval *object, arena *a)
{
    int *events = ctx;
    (*events)++;
    FUZZ_CHECK(type != NULL && object != NULL);
    check_ready(a, object);
    return 0;
}

static void read_watch(const uint8_t *input, size_t input_len)
{
    const uint8_t *data = input;
    size_t size = input_len;
    struct stream s;
    memset(&s, 0, sizeof s);
    s.path = "/api/v1/namespaces/x/pods";
    sb_init(&s.buf);
    sb_init(&s.pending);
    int events = 0;
    size_t off = 0;
    /* chunk lengths: the byte at the start of each chunk, mod 64, plus 1 */
    while (off < size) {
        size_t n = (size_t)(data[off] % 64) + 1;
        if (n > size - off)
            n = size - off;
        on_data((char *)data + off, 1, n, &s);
        if (s.pending.len) /* as kube_watch_poll calls it */
            dispatch(&s, on_event, &events);
        off += n;
    }
    FUZZ_CHECK(s.pending.len == 0);
    free(s.rv);
    sb_release(&s.buf);
    sb_release(&s.pending);
}

static void read_list(const char *text, size_t len)
{
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *list;
    if (json_parse(a, text, len, "list", &list, &err) == 0) {
        cval *items = cv_is(list, CV_MAP) ? cv_map_get(list, "items") : NULL;
        for (size_t i = 0; cv_is(items, CV_LIST) && i < cv_list_len(items); i++) {
            cval *it = cv_list_get(items, i);
            release_rec rec;
            cval *rel;
            cap_err e2 = CAP_ERR_INIT;
            int rc = release_from_secret_rec(a, it, &rec, &e2);
            FUZZ_CHECK(rc == 0 ? e2.msg == NULL : rc == -1 && e2.msg != NULL);
            cap_err_clear(&e2);
            rc = release_from_secret(a, it, &rel, &e2);
            FUZZ_CHECK(rc == 0 ? e2.msg == NULL : rc == -1 && e2.msg != NULL);
            cap_err_clear(&e2);
            check_ready(a, it);
        }
    }
    cap_err_clear(&err);
    arena_free(a);
}

static void decode_release(const uint8_t *raw, size_t size)
{
    arena *a = arena_new();
    strbuf b64 = STRBUF_INIT;
    for (int zipped = 0; zipped < 2; zipped++) {
        size_t n = size;
        unsigned char *gz = zipped ? fuzz_gzip(raw, size, &n) : NULL;
        sb_reset(&b64);
        base64_encode(&b64, gz ? gz : raw, n, B64_STD);
        free(gz);
        cval *rel = NULL;
        cap_err err = CAP_ERR_INIT;
        int rc = release_decode(a, sb_str(&b64), b64.len, &rel, &err);
        FUZZ_CHECK(rc == 0 ? err.msg == NULL && cv_is(rel, CV_MAP) : rc == -1 && err.msg != NULL);
        cap_err_clear(&err);
    }
    sb_release(&b64);
    arena_free(a);
}

FUZZ_TARGET(kube)
{
    if (size < 1)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0: read_status(p, n); break;
    case 1: read_watch(p, n); break;
    case 2: {
        char *s = fuzz_cstr(p, n);
        read_list(s, n);
        free(s);
        break;
    }
    case 3: decode_release(p, n); break;
    }
    return 0;
}
