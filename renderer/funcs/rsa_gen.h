/* rsa_gen.h — RSA key generation as Go's rsa.GenerateKey does it, faster.
 *
 * Primes come from OpenSSL's CSPRNG (BN_priv_rand_ex), are sieved by the
 * small primes below 2^13 and then tested with Miller-Rabin: one round to
 * base 2 and then as many rounds with random bases as Go's isPrime runs for
 * that size (FIPS 186-5 / BoringSSL's table: 5 for 1024-bit primes, 4 for
 * 2048-bit ones), where OpenSSL's own BN_generate_prime_ex2 runs 64 or 128.
 * The two primes of a key are searched for by the calling thread and, when
 * the process may use more than one CPU, by a helper thread at once; the
 * caller never waits for the helper: it takes the first two primes found by
 * either, and the helper drops its work when it sees both found.
 *
 * Ownership: the returned key is the caller's (EVP_PKEY_free). No state is
 * kept between calls.
 */
#ifndef CAPSTAN_RSA_GEN_H
#define CAPSTAN_RSA_GEN_H

#include <openssl/bn.h>
#include <openssl/evp.h>

/* A new RSA key of exactly `bits` bits (e = 65537, two primes with their top
 * two bits set), or NULL when OpenSSL fails. bits >= 64. */
EVP_PKEY *rsa_gen_key(int bits);

/* Miller-Rabin on odd w > 3: one round to base 2, then `rounds` rounds with
 * random bases in [2, w-2]. 1 probably prime, 0 composite, -1 error. */
int rsa_probable_prime(const BIGNUM *w, int rounds, BN_CTX *ctx);

/* Go's number of random-base rounds for a random candidate of `bits` bits. */
int rsa_mr_rounds(int bits);

#endif
