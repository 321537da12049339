/* test_base64.c — base64 against cases Go's encoding/base64 decoded. */
#include "unit.h"
#include "core/base64.h"

#include <string.h>

struct b64case {
    const char *in;
    int flags;
    int status;
    const char *out; /* decoded bytes, or Go's error text */
};

static const struct b64case cases[] = {
#include "base64_cases.inc"
};

static void decode_matches_go(void **state)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct b64case *c = &cases[i];
        strbuf out = STRBUF_INIT;
        size_t bad = 0;
        int rc = base64_decode(&out, c->in, strlen(c->in), c->flags, &bad);
        if (rc != c->status)
            fail_msg("case %zu (%s, flags %d): status %d, want %d", i, c->in, c->flags, rc, c->status);
        if (rc == 0) {
            assert_int_equal(out.len, strlen(c->out));
            assert_memory_equal(sb_str(&out), c->out, out.len);
        } else {
            char msg[64];
            snprintf(msg, sizeof msg, "illegal base64 data at input byte %zu", bad);
            if (strcmp(msg, c->out) != 0)
                fail_msg("case %zu (%s, flags %d): \"%s\", want \"%s\"", i, c->in, c->flags, msg, c->out);
        }
        sb_release(&out);
    }
}

static void encode_round_trips(void **state)
{
    const char *ins[] = {"", "a", "ab", "abc", "abcd", "hello world", "\xff\xfe\x00\x01"};
    const char *std[] = {"", "YQ==", "YWI=", "YWJj", "YWJjZA==", "aGVsbG8gd29ybGQ=", "//4AAQ=="};
    const size_t lens[] = {0, 1, 2, 3, 4, 11, 4};
    for (size_t i = 0; i < 7; i++) {
        strbuf e = STRBUF_INIT, d = STRBUF_INIT;
        base64_encode(&e, ins[i], lens[i], B64_STD);
        assert_string_equal(sb_str(&e), std[i]);
        assert_int_equal(base64_decode(&d, e.buf, e.len, B64_STD, NULL), 0);
        assert_int_equal(d.len, lens[i]);
        if (lens[i])
            assert_memory_equal(d.buf, ins[i], lens[i]);
        sb_release(&e);
        sb_release(&d);
    }
    strbuf u = STRBUF_INIT;
    base64_encode(&u, "\xff\xfe\x00\x01", 4, B64_URL | B64_RAW);
    assert_string_equal(sb_str(&u), "__4AAQ");
    sb_release(&u);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(decode_matches_go),
    cmocka_unit_test(encode_round_trips),
};

UNIT_MAIN(tests)
