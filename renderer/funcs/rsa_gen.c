/* rsa_gen.c — RSA keys as Go's rsa.GenerateKey makes them (see rsa_gen.h).
 *
 * Where the time goes: a 1024-bit prime takes about 40 Miller-Rabin tests of
 * composites that survive the sieve, each one modular exponentiation, and
 * then the rounds that accept the prime. OpenSSL's BN_generate_prime_ex2 runs
 * 64 rounds there (more than the search itself); Go runs 5. Running Go's
 * count, after a round to base 2, and sieving a window of candidates at once
 * halves the work; searching for the two primes on two threads halves the
 * wall time again when two CPUs are free.
 */
#include "renderer/funcs/rsa_gen.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#define SIEVE_LIMIT 65536 /* sieve by the odd primes below this */
#define SIEVE_SPAN 4096  /* candidates w, w+2, ... w+2*(SIEVE_SPAN-1) per random draw */

int rsa_mr_rounds(int bits)
{
    /* crypto/internal/fips140/rsa isPrime, after BoringSSL: error below
     * 2^-security for a random candidate of that size */
    return bits >= 3747 ? 3 : bits >= 1345 ? 4 : bits >= 476 ? 5 : bits >= 400 ? 6 : bits >= 347 ? 7 : bits >= 308 ? 8
         : bits >= 55   ? 27 : 34;
}

/* One Miller-Rabin round: y = a^d mod w, then up to s-1 squarings. */
static int mr_round(BIGNUM *y, const BIGNUM *w, const BIGNUM *w1, int s, BN_CTX *ctx)
{
    if (BN_is_one(y) || BN_cmp(y, w1) == 0)
        return 1;
    for (int i = 1; i < s; i++) {
        if (!BN_mod_sqr(y, y, w, ctx))
            return -1;
        if (BN_cmp(y, w1) == 0)
            return 1;
        if (BN_is_one(y))
            return 0;
    }
    return 0;
}

int rsa_probable_prime(const BIGNUM *w, int rounds, BN_CTX *ctx)
{
    int ret = -1;
    BN_CTX_start(ctx);
    BIGNUM *w1 = BN_CTX_get(ctx), *d = BN_CTX_get(ctx), *w3 = BN_CTX_get(ctx), *a = BN_CTX_get(ctx),
           *y = BN_CTX_get(ctx);
    BN_MONT_CTX *mont = BN_MONT_CTX_new();
    if (!y || !mont || !BN_is_odd(w) || BN_num_bits(w) < 3 || !BN_copy(w1, w) || !BN_sub_word(w1, 1) ||
        !BN_copy(w3, w) || !BN_sub_word(w3, 3) || !BN_MONT_CTX_set(mont, w, ctx))
        goto out;
    if (BN_is_zero(w3) || BN_is_zero(w1)) { /* 3 and 1 */
        ret = BN_is_zero(w3);
        goto out;
    }
    int s = 0;
    while (!BN_is_bit_set(w1, s))
        s++;
    if (!BN_rshift(d, w1, s) || !BN_mod_exp_mont_word(y, 2, d, w, ctx, mont))
        goto out;
    int r = mr_round(y, w, w1, s, ctx);
    for (int i = 0; r == 1 && i < rounds; i++) {
        /* a in [2, w-2] */
        if (!BN_priv_rand_range_ex(a, w3, 0, ctx) || !BN_add_word(a, 2) || !BN_mod_exp_mont(y, a, d, w, ctx, mont)) {
            r = -1;
            break;
        }
        r = mr_round(y, w, w1, s, ctx);
    }
    ret = r;
out:
    BN_MONT_CTX_free(mont);
    BN_CTX_end(ctx);
    return ret;
}

/* ---- the search for the two primes of a key ------------------------------------ */

typedef struct keyjob {
    int bits;                   /* of each prime the helper looks for */
    _Atomic(BIGNUM *) found[2]; /* published by either thread, freed with the job */
    atomic_bool failed;
    uint16_t sp[6542];          /* odd primes below SIEVE_LIMIT */
    int nsp;
} keyjob;

static bool job_done(keyjob *j)
{
    return atomic_load(&j->failed) || (atomic_load(&j->found[0]) && atomic_load(&j->found[1]));
}

/* Put p in a free slot; false (p is still the caller's) when both are taken. */
static bool job_publish(keyjob *j, BIGNUM *p)
{
    for (int i = 0; i < 2; i++) {
        BIGNUM *none = NULL;
        if (atomic_compare_exchange_strong(&j->found[i], &none, p))
            return true;
    }
    return false;
}

static void small_primes(keyjob *j)
{
    static const int n = SIEVE_LIMIT;
    unsigned char comp[SIEVE_LIMIT] = {0};
    j->nsp = 0;
    for (int i = 3; i < n; i += 2) {
        if (comp[i])
            continue;
        j->sp[j->nsp++] = (uint16_t)i;
        for (long k = (long)i * i; k < n; k += 2L * i)
            comp[k] = 1;
    }
}

/* Mark in dead[] each k with w + 2k divisible by a small prime. */
static bool sieve(const keyjob *j, const BIGNUM *w, unsigned char *dead)
{
    memset(dead, 0, SIEVE_SPAN);
    for (int i = 0; i < j->nsp; i += 2) {
        /* two primes below 2^16 per division of the big number */
        uint32_t p1 = j->sp[i], p2 = i + 1 < j->nsp ? j->sp[i + 1] : 1;
        BN_ULONG r = BN_mod_word(w, (BN_ULONG)p1 * p2);
        if (r == (BN_ULONG)-1)
            return false;
        for (int t = 0; t < 2; t++) {
            uint32_t p = t ? p2 : p1;
            if (p == 1)
                break;
            /* w + 2k = 0 (mod p)  <=>  k = (p - w mod p) * (p+1)/2 (mod p) */
            uint64_t k = ((uint64_t)((p - r % p) % p) * ((p + 1) / 2)) % p;
            for (; k < SIEVE_SPAN; k += p)
                dead[k] = 1;
        }
    }
    return true;
}

/* A new random prime of `bits` bits, top two bits set; NULL on error or when
 * the job no longer needs one. */
static BIGNUM *find_prime(keyjob *j, int bits, BN_CTX *ctx)
{
    BIGNUM *w = BN_new(), *c = BN_new();
    unsigned char *dead = malloc(SIEVE_SPAN);
    int rounds = rsa_mr_rounds(bits);
    if (!w || !c || !dead)
        goto fail;
    while (!job_done(j)) {
        if (!BN_priv_rand_ex(w, bits, BN_RAND_TOP_TWO, BN_RAND_BOTTOM_ODD, 0, ctx) || !sieve(j, w, dead) ||
            !BN_copy(c, w))
            goto fail;
        int at = 0;
        for (int k = 0; k < SIEVE_SPAN && !job_done(j); k++) {
            if (dead[k])
                continue;
            if (!BN_add_word(c, 2 * (BN_ULONG)(k - at)))
                goto fail;
            at = k;
            if (BN_num_bits(c) != bits) /* ran past 2^bits: draw again */
                break;
            int r = rsa_probable_prime(c, rounds, ctx);
            if (r < 0)
                goto fail;
            if (r == 1) {
                BN_free(w);
                free(dead);
                return c;
            }
        }
    }
fail:
    BN_free(w);
    BN_clear_free(c);
    free(dead);
    return NULL;
}

/* The helper: primes for the job until it has two. */
static void *helper_run(void *p)
{
    keyjob *j = p;
    BN_CTX *ctx = BN_CTX_new();
    while (ctx && !job_done(j)) {
        BIGNUM *q = find_prime(j, j->bits, ctx);
        if (!q)
            break;
        if (!job_publish(j, q))
            BN_clear_free(q);
    }
    BN_CTX_free(ctx);
    return NULL;
}

static int usable_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return CPU_COUNT(&set);
}

/* p and q into the job: with a helper for equal sizes on two CPUs, else in turn. */
static bool find_pair(keyjob *j, int bits, BN_CTX *ctx)
{
    pthread_t th;
    bool helper = bits % 2 == 0 && usable_cpus() > 1 && pthread_create(&th, NULL, helper_run, j) == 0;
    for (int i = 0; !job_done(j); i++) {
        BIGNUM *p = find_prime(j, i % 2 == 0 ? (bits + 1) / 2 : bits / 2, ctx);
        if (!p) {
            if (!job_done(j))
                atomic_store(&j->failed, true);
            break;
        }
        if (!job_publish(j, p))
            BN_clear_free(p);
    }
    if (helper)
        pthread_join(th, NULL); /* it stops at its next candidate */
    return !atomic_load(&j->failed);
}

/* The key from two primes: n = pq, d = e^-1 mod (p-1)(q-1), CRT values.
 * NULL with *again when e divides p-1 or q-1 (draw new primes). */
static EVP_PKEY *assemble(BIGNUM *p, BIGNUM *q, int bits, BN_CTX *ctx, bool *again)
{
    EVP_PKEY *key = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *kctx = NULL;
    *again = false;
    BN_CTX_start(ctx);
    BIGNUM *e = BN_CTX_get(ctx), *n = BN_CTX_get(ctx), *d = BN_CTX_get(ctx), *p1 = BN_CTX_get(ctx),
           *q1 = BN_CTX_get(ctx), *phi = BN_CTX_get(ctx), *dp = BN_CTX_get(ctx), *dq = BN_CTX_get(ctx),
           *qinv = BN_CTX_get(ctx);
    if (!qinv || !BN_set_word(e, 65537))
        goto out;
    if (BN_cmp(p, q) == 0) {
        *again = true;
        goto out;
    }
    if (BN_cmp(p, q) < 0) /* p > q, as most encoders expect */
        BN_swap(p, q);
    if (!BN_mul(n, p, q, ctx) || !BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()) ||
        !BN_mul(phi, p1, q1, ctx))
        goto out;
    if (BN_num_bits(n) != bits || !BN_mod_inverse(d, e, phi, ctx)) {
        *again = true;
        goto out;
    }
    if (!BN_mod(dp, d, p1, ctx) || !BN_mod(dq, d, q1, ctx) || !BN_mod_inverse(qinv, q, p, ctx))
        goto out;
    bld = OSSL_PARAM_BLD_new();
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv) ||
        !(params = OSSL_PARAM_BLD_to_param(bld)))
        goto out;
    kctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (!kctx || EVP_PKEY_fromdata_init(kctx) <= 0 || EVP_PKEY_fromdata(kctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
        key = NULL;
out:
    BN_clear(d);
    BN_clear(phi);
    BN_clear(dp);
    BN_clear(dq);
    BN_CTX_end(ctx);
    EVP_PKEY_CTX_free(kctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return key;
}

EVP_PKEY *rsa_gen_key(int bits)
{
    if (bits < 64)
        return NULL;
    keyjob *j = calloc(1, sizeof *j);
    BN_CTX *ctx = BN_CTX_secure_new();
    EVP_PKEY *key = NULL;
    if (!j || !ctx)
        goto out;
    small_primes(j);
    j->bits = bits / 2;
    for (int tries = 0; tries < 64 && !key; tries++) {
        for (int i = 0; i < 2; i++)
            BN_clear_free(atomic_exchange(&j->found[i], NULL));
        if (!find_pair(j, bits, ctx))
            break;
        bool again;
        key = assemble(atomic_load(&j->found[0]), atomic_load(&j->found[1]), bits, ctx, &again);
        if (!key && !again)
            break;
    }
out:
    if (j)
        for (int i = 0; i < 2; i++)
            BN_clear_free(atomic_load(&j->found[i]));
    free(j);
    BN_CTX_free(ctx);
    return key;
}
