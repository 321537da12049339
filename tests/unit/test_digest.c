/* test_digest.c — core/digest against the published test vectors (FIPS 180). */
#include "unit.h"
#include "core/digest.h"

#include <string.h>

static void vectors_abc(void **state)
{
    (void)state;
    char hex[2 * DIGEST_MAX_SIZE + 1];
    digest_hex(DIGEST_SHA1, "abc", 3, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    digest_hex(DIGEST_SHA256, "abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    digest_hex(DIGEST_SHA512, "abc", 3, hex);
    assert_string_equal(hex, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                             "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    digest_hex(DIGEST_SHA256, "", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void incremental_equals_one_shot(void **state)
{
    (void)state;
    static char data[100000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i * 31 + 7);
    unsigned char a[32], b[32];
    digest_bytes(DIGEST_SHA256, data, sizeof data, a);
    digest_sha256_ctx ctx;
    digest_sha256_init(&ctx);
    for (size_t off = 0; off < sizeof data; off += 777)
        digest_sha256_update(&ctx, data + off, sizeof data - off < 777 ? sizeof data - off : 777);
    digest_sha256_final(&ctx, b);
    assert_memory_equal(a, b, 32);
    assert_int_equal(digest_size(DIGEST_SHA1), 20);
    assert_int_equal(digest_size(DIGEST_SHA512), 64);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(vectors_abc),
    cmocka_unit_test(incremental_equals_one_shot),
};

UNIT_MAIN(tests)
