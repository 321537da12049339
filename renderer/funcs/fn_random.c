/* fn_random.c — Sprig's random strings (goutils CryptoRandom*), randInt and
 * uuidv4. Random by nature, as in Helm: tests check their form, not text. */
#include <string.h>
#include <sys/random.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "renderer/funcs/funcs.h"

#define RAND_MAX_COUNT (1 << 24)

static void fill_random(void *p, size_t n)
{
    unsigned char *b = p;
    while (n > 0) {
        ssize_t k = getrandom(b, n, 0);
        if (k <= 0)
            continue; /* EINTR; getrandom does not fail otherwise */
        b += k;
        n -= (size_t)k;
    }
}

/* splitmix64 */
static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* With a seed (tmpl_opts.seed, for tests) the draws are reproducible: each
 * comes from the seed and the render arena's allocation count, which moves on
 * with every draw (rand_word allocates) and is the same from run to run. */
static uint64_t rand_word(cv_call *c)
{
    const tmpl_opts *o = c->env ? tmpl_call_opts(c) : NULL;
    if (o && o->seed) {
        uint64_t x = mix(o->seed ^ mix((uint64_t)arena_used(c->a)));
        arena_alloc(c->a, 1);
        return x;
    }
    uint64_t x;
    fill_random(&x, sizeof x);
    return x;
}

/* Words drawn ahead with one system call, for a string of many characters
 * (a call per character was a system call per character). */
typedef struct rand_pool {
    uint64_t w[32];
    size_t n, i;
} rand_pool;

static uint64_t pool_word(cv_call *c, rand_pool *pool)
{
    const tmpl_opts *o = c->env ? tmpl_call_opts(c) : NULL;
    if (!pool || (o && o->seed)) /* seeded draws keep their order */
        return rand_word(c);
    if (pool->i == pool->n) {
        fill_random(pool->w, sizeof pool->w);
        pool->n = sizeof pool->w / sizeof *pool->w;
        pool->i = 0;
    }
    return pool->w[pool->i++];
}

/* A uniform draw in [0, n) from pool (NULL: a word at a time). */
static uint64_t draw_below(cv_call *c, rand_pool *pool, uint64_t n)
{
    if (n <= 1)
        return 0;
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
    do
        x = pool_word(c, pool);
    while (x >= lim);
    return x % n;
}

uint64_t fn_rand_below(cv_call *c, uint64_t n)
{
    return draw_below(c, NULL, n);
}

static cval *rand_from(cv_call *c, int64_t count, const char *set)
{
    if (count <= 0) /* goutils' errors are swallowed by Sprig: "" */
        return cv_string(c->a, "", 0);
    if (count > RAND_MAX_COUNT)
        return cv_call_fail(c, "capstan: random string of %lld characters is too long", (long long)count);
    size_t n = strlen(set);
    char *s = arena_alloc(c->a, (size_t)count + 1);
    rand_pool pool = { .n = 0, .i = 0 };
    for (int64_t i = 0; i < count; i++)
        s[i] = set[draw_below(c, &pool, n)];
    s[count] = '\0';
    explicit_bzero(&pool, sizeof pool); /* the words not used stay nowhere */
    return cv_string_ref(c->a, s, (size_t)count);
}

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

static cval *f_rand_alnum(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return rand_from(c, argv[0]->u.i, DIGITS UPPER LOWER);
}

static cval *f_rand_alpha(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return rand_from(c, argv[0]->u.i, UPPER LOWER);
}

static cval *f_rand_numeric(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return rand_from(c, argv[0]->u.i, DIGITS);
}

static cval *f_rand_ascii(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    char set[96];
    for (int i = 0; i < 95; i++)
        set[i] = (char)(32 + i);
    set[95] = '\0';
    return rand_from(c, argv[0]->u.i, set);
}

/* rand.Intn(max-min) + min; Intn panics on n <= 0. */
static cval *f_rand_int(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t lo = argv[0]->u.i, hi = argv[1]->u.i;
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (hi <= lo || (int64_t)span <= 0)
        return cv_call_fail(c, "invalid argument to Intn");
    return cv_goint(c->a, (int64_t)((uint64_t)lo + fn_rand_below(c, span)));
}

static cval *f_uuidv4(cv_call *c, int argc, cval **argv)
{
    (void)argc; (void)argv;
    unsigned char u[16];
    uint64_t w[2] = {rand_word(c), rand_word(c)};
    memcpy(u, w, sizeof u);
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    static const char hex[] = "0123456789abcdef";
    char s[37];
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            s[k++] = '-';
        s[k++] = hex[u[i] >> 4];
        s[k++] = hex[u[i] & 15];
    }
    s[k] = '\0';
    return cv_string(c->a, s, k);
}

const cv_fnreg fn_random_table[] = {
    {"randAlphaNum", f_rand_alnum, "i"},
    {"randAlpha", f_rand_alpha, "i"},
    {"randNumeric", f_rand_numeric, "i"},
    {"randAscii", f_rand_ascii, "i"},
    {"randInt", f_rand_int, "ii"},
    {"uuidv4", f_uuidv4, ""},
    {NULL, NULL, NULL},
};
