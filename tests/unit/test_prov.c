/* test_prov.c — core/pgp: canonical text, clear-signed documents (dash-escapes,
 * CRLF, missing parts), and a sign/verify round trip with an Ed25519 key made
 * here with OpenSSL and written as the packets gpg exports (no stored key). */
#include "unit.h"
#include "core/pgp.h"

#include <openssl/evp.h>
#include <string.h>

static void canonical_text(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    pgp_canonical_text("a  \nb\t\n", 7, &sb);
    assert_string_equal(sb_str(&sb), "a\r\nb\r\n");
    sb_reset(&sb);
    pgp_canonical_text("x\r\ny", 4, &sb);
    assert_string_equal(sb_str(&sb), "x\r\ny");
    sb_release(&sb);
}

static void decode_documents(void **state)
{
    (void)state;
    strbuf t = STRBUF_INIT, c = STRBUF_INIT, s = STRBUF_INIT;
    /* "AAAA": three zero bytes as the signature; without a CRC line none is checked */
    const char *doc = "junk\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n- --- a\nb \n\n"
                      "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----";
    assert_int_equal(pgp_clearsign_decode(doc, strlen(doc), &t, &c, &s), 0);
    assert_string_equal(sb_str(&t), "--- a\nb \n");
    assert_string_equal(sb_str(&c), "--- a\r\nb\r\n");
    assert_int_equal(s.len, 3);
    sb_reset(&t), sb_reset(&c), sb_reset(&s);
    const char *crlf = "-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA512\r\n\r\nx\r\n"
                       "-----BEGIN PGP SIGNATURE-----\r\n\r\nAAAA\r\n-----END PGP SIGNATURE-----\r\n";
    assert_int_equal(pgp_clearsign_decode(crlf, strlen(crlf), &t, &c, &s), 0);
    assert_string_equal(sb_str(&c), "x");
    static const char *bad[] = {
        "",
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nx\n",                          /* no signature */
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nx\n-----BEGIN PGP SIGNATURE-----\n\nAAAA\n", /* no end */
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nx\n-----BEGIN PGP SIGNATURE-----\n\nA!AA\n"
        "-----END PGP SIGNATURE-----",                                                        /* bad base64 */
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nx\n-----BEGIN PGP SIGNATURE-----\n\nAAAA\n=AAAA\n"
        "-----END PGP SIGNATURE-----",                                                        /* bad CRC */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sb_reset(&t), sb_reset(&c), sb_reset(&s);
        assert_int_equal(pgp_clearsign_decode(bad[i], strlen(bad[i]), &t, &c, &s), -1);
    }
    sb_release(&t), sb_release(&c), sb_release(&s);
}

static void put_mpi(strbuf *b, const unsigned char *p, size_t n, unsigned bits)
{
    unsigned char h[2] = {(unsigned char)(bits >> 8), (unsigned char)bits};
    sb_add(b, h, 2);
    sb_add(b, p, n);
}

/* A secret Ed25519 key with one user ID, as gpg --export-secret-keys writes it. */
static void ed25519_keyring(strbuf *ring, strbuf *pubring)
{
    EVP_PKEY *pk = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    assert_non_null(ctx);
    assert_true(EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_keygen(ctx, &pk) > 0);
    unsigned char pub[33] = {0x40}, seed[32];
    size_t n = 32;
    assert_true(EVP_PKEY_get_raw_public_key(pk, pub + 1, &n) > 0 && n == 32);
    n = 32;
    assert_true(EVP_PKEY_get_raw_private_key(pk, seed, &n) > 0 && n == 32);
    seed[0] |= 0x80; /* a full 256-bit MPI keeps the test simple (the key stays valid) */
    EVP_PKEY_free(pk);
    EVP_PKEY_CTX_free(ctx);
    pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    n = 32;
    assert_true(pk && EVP_PKEY_get_raw_public_key(pk, pub + 1, &n) > 0);
    EVP_PKEY_free(pk);
    static const unsigned char head[] = {4, 0x60, 0, 0, 0, 22, 9, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01};
    strbuf body = STRBUF_INIT;
    sb_add(&body, head, sizeof head);
    put_mpi(&body, pub, 33, 263);
    size_t publen = body.len;
    sb_addc(&body, 0); /* not protected */
    size_t at = body.len;
    put_mpi(&body, seed, 32, 256);
    unsigned sum = 0;
    for (size_t i = at; i < body.len; i++)
        sum += (unsigned char)body.buf[i];
    unsigned char ck[2] = {(unsigned char)(sum >> 8), (unsigned char)sum};
    sb_add(&body, ck, 2);
    const char uid[] = "Unit Signer <unit@example.com>";
    unsigned char h[2] = {0x94, (unsigned char)body.len}, u[2] = {0xb4, sizeof uid - 1}, hp[2] = {0x98, (unsigned char)publen};
    sb_add(ring, h, 2), sb_add(ring, body.buf, body.len), sb_add(ring, u, 2), sb_add(ring, uid, sizeof uid - 1);
    sb_add(pubring, hp, 2), sb_add(pubring, body.buf, publen), sb_add(pubring, u, 2), sb_add(pubring, uid, sizeof uid - 1);
    sb_release(&body);
}

static void sign_and_verify(void **state)
{
    (void)state;
    strbuf sec = STRBUF_INIT, pub = STRBUF_INIT, doc = STRBUF_INIT;
    ed25519_keyring(&sec, &pub);
    pgp_keyring *sr = NULL, *pr = NULL;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(pgp_keyring_parse(sec.buf, sec.len, &sr, &err), 0);
    assert_int_equal(pgp_keyring_parse(pub.buf, pub.len, &pr, &err), 0);
    pgp_entity *e = NULL;
    assert_int_equal(pgp_keyring_find(sr, "unit@", &e, &err), 0);
    assert_non_null(e);
    assert_true(e->primary.secret && !e->primary.locked);
    assert_memory_equal(e->primary.fpr, pr->v[0].primary.fpr, 20);
    const char *text = "name: c\n\n...\nfiles:\n  c-1.0.0.tgz: sha256:00\n- dash\n";
    assert_int_equal(pgp_clearsign(&e->primary, text, strlen(text), 1700000000, &doc, &err), 0);
    assert_non_null(strstr(sb_str(&doc), "\n- - dash\n\n-----BEGIN PGP SIGNATURE-----\n\n"));
    strbuf t = STRBUF_INIT, c = STRBUF_INIT, s = STRBUF_INIT;
    assert_int_equal(pgp_clearsign_decode(doc.buf, doc.len, &t, &c, &s), 0);
    assert_string_equal(sb_str(&t), text);
    const pgp_entity *by = NULL;
    assert_int_equal(pgp_verify(pr, c.buf, c.len, s.buf, s.len, &by, &err), 0);
    assert_ptr_equal(by, &pr->v[0]);
    c.buf[0] = 'N'; /* the signed text changed */
    assert_int_equal(pgp_verify(pr, c.buf, c.len, s.buf, s.len, &by, &err), -1);
    assert_string_equal(err.msg, "openpgp: invalid signature: EdDSA verification failure");
    cap_err_clear(&err);
    pgp_keyring *armored = NULL;
    assert_int_equal(pgp_keyring_parse("-----BEGIN", 10, &armored, &err), -1);
    assert_null(armored);
    assert_string_equal(err.msg, "openpgp: invalid data: tag byte does not have MSB set");
    cap_err_clear(&err);
    assert_int_equal(pgp_keyring_parse("\xcd\x03" "abc", 5, &armored, &err), -1);
    assert_string_equal(err.msg, "openpgp: invalid data: first packet was not a public/private key");
    cap_err_clear(&err);
    pgp_keyring *empty = NULL;
    assert_int_equal(pgp_keyring_parse("", 0, &empty, &err), 0);
    assert_int_equal(empty->n, 0);
    assert_int_equal(pgp_verify(empty, c.buf, c.len, s.buf, s.len, &by, &err), -1);
    assert_string_equal(err.msg, "openpgp: signature made by unknown entity");
    cap_err_clear(&err);
    pgp_keyring_free(empty);
    pgp_keyring_free(sr);
    pgp_keyring_free(pr);
    sb_release(&sec), sb_release(&pub), sb_release(&doc), sb_release(&t), sb_release(&c), sb_release(&s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(canonical_text),
    cmocka_unit_test(decode_documents),
    cmocka_unit_test(sign_and_verify),
};

UNIT_MAIN(tests)
