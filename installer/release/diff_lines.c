/* diff_lines.c — the line diff of two objects, and its printing.
 *
 * The longest common subsequence of the lines, computed in linear space
 * (Hirschberg): common leading and trailing lines first, then the middle split
 * in halves, each half's best split point in the other text found from the
 * forward and backward LCS lengths. Among equally long subsequences the choice
 * is helm-diff's (diff/lcs.go), so that the printed lines are the same: the
 * first best split point, and a lone line matched at its last occurrence.
 * Time O(N*M) in the worst case (two texts with nothing in common), as helm-diff.
 */
#include "installer/release/diff.h"
#include "core/xalloc.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct line {
    const char *s;
    size_t len;
    uint64_t h;
} line;

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static bool same(const line *x, const line *y)
{
    return x->h == y->h && x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* Go's strings.Split(text, "\n"): n+1 lines for n newlines. */
static line *split(arena *a, const char *t, size_t len, bool strip_cr, size_t *n)
{
    size_t k = 1;
    for (size_t i = 0; i < len; i++)
        k += t[i] == '\n';
    line *l = arena_alloc(a, k * sizeof *l);
    size_t j = 0, from = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && t[i] != '\n')
            continue;
        size_t e = i;
        if (strip_cr && e > from && t[e - 1] == '\r')
            e--;
        l[j].s = t + from;
        l[j].len = e - from;
        l[j].h = hash(l[j].s, l[j].len);
        j++;
        from = i + 1;
    }
    *n = k;
    return l;
}

typedef struct out {
    diff_rec *r;
    size_t n;
} out;

static void emit(out *o, diff_delta d, const line *l)
{
    o->r[o->n++] = (diff_rec){d, l->s, l->len};
}

/* row[j] = LCS(a, b[:j]) for j = 0..nb */
static void lcs_forward(const line *a, size_t na, const line *b, size_t nb, uint32_t *row, uint32_t *tmp)
{
    memset(row, 0, (nb + 1) * sizeof *row);
    for (size_t i = 0; i < na; i++) {
        tmp[0] = 0;
        for (size_t j = 0; j < nb; j++)
            tmp[j + 1] = same(&a[i], &b[j]) ? row[j] + 1 : row[j + 1] >= tmp[j] ? row[j + 1] : tmp[j];
        memcpy(row, tmp, (nb + 1) * sizeof *row);
    }
}

/* row[j] = LCS(a, b[j:]) for j = 0..nb */
static void lcs_backward(const line *a, size_t na, const line *b, size_t nb, uint32_t *row, uint32_t *tmp)
{
    /* the forward recurrence over both texts reversed, stored from the end */
    memset(row, 0, (nb + 1) * sizeof *row);
    for (size_t i = na; i-- > 0;) {
        tmp[nb] = 0;
        for (size_t j = nb; j-- > 0;)
            tmp[j] = same(&a[i], &b[j]) ? row[j + 1] + 1 : row[j] >= tmp[j + 1] ? row[j] : tmp[j + 1];
        memcpy(row, tmp, (nb + 1) * sizeof *row);
    }
}

static void single(out *o, const line *e, const line *b, size_t nb)
{
    size_t found = SIZE_MAX;
    for (size_t j = nb; j-- > 0;)
        if (same(e, &b[j])) {
            found = j;
            break;
        }
    if (found == SIZE_MAX) {
        emit(o, DIFF_LEFT, e);
        for (size_t j = 0; j < nb; j++)
            emit(o, DIFF_RIGHT, &b[j]);
        return;
    }
    for (size_t j = 0; j < found; j++)
        emit(o, DIFF_RIGHT, &b[j]);
    emit(o, DIFF_COMMON, e);
    for (size_t j = found + 1; j < nb; j++)
        emit(o, DIFF_RIGHT, &b[j]);
}

static void hirschberg(out *o, const line *a, size_t na, const line *b, size_t nb)
{
    if (na == 0) {
        for (size_t j = 0; j < nb; j++)
            emit(o, DIFF_RIGHT, &b[j]);
        return;
    }
    if (nb == 0) {
        for (size_t i = 0; i < na; i++)
            emit(o, DIFF_LEFT, &a[i]);
        return;
    }
    if (na == 1) {
        single(o, &a[0], b, nb);
        return;
    }
    size_t mid = na / 2;
    uint32_t *fw = xmalloc((nb + 1) * sizeof *fw), *bw = xmalloc((nb + 1) * sizeof *bw),
             *tmp = xmalloc((nb + 1) * sizeof *tmp);
    lcs_forward(a, mid, b, nb, fw, tmp);
    lcs_backward(a + mid, na - mid, b, nb, bw, tmp);
    size_t split_j = 0;
    long best = -1;
    for (size_t j = 0; j <= nb; j++)
        if ((long)(fw[j] + bw[j]) > best) {
            best = (long)(fw[j] + bw[j]);
            split_j = j;
        }
    free(fw);
    free(bw);
    free(tmp);
    hirschberg(o, a, mid, b, split_j);
    hirschberg(o, a + mid, na - mid, b + split_j, nb - split_j);
}

void diff_lines(arena *a, const char *old, size_t oldlen, const char *new_, size_t newlen, bool strip_cr,
                diff_rec **outp, size_t *n)
{
    size_t n1, n2;
    line *l1 = split(a, old, oldlen, strip_cr, &n1), *l2 = split(a, new_, newlen, strip_cr, &n2);
    out o = {arena_alloc(a, (n1 + n2) * sizeof *o.r), 0};
    size_t start = 0, end = 0;
    while (start < n1 && start < n2 && same(&l1[start], &l2[start]))
        start++;
    /* as helm-diff: the trailing run stops before reaching `start` on either side */
    for (size_t i = n1 - 1, j = n2 - 1; i > start && j > start && same(&l1[i], &l2[j]); i--, j--)
        end++;
    for (size_t i = 0; i < start; i++)
        emit(&o, DIFF_COMMON, &l1[i]);
    hirschberg(&o, l1 + start, n1 - end - start, l2 + start, n2 - end - start);
    for (size_t i = n1 - end; i < n1; i++)
        emit(&o, DIFF_COMMON, &l1[i]);
    *outp = o.r;
    *n = o.n;
}

static void print_rec(strbuf *out, const diff_rec *r, bool color)
{
    if (r->delta == DIFF_COMMON) {
        if (r->len) {
            sb_adds(out, "  ");
            sb_add(out, r->s, r->len);
        }
        sb_addc(out, '\n');
        return;
    }
    if (color)
        sb_adds(out, r->delta == DIFF_RIGHT ? DIFF_GREEN : DIFF_RED);
    sb_adds(out, r->delta == DIFF_RIGHT ? "+ " : "- ");
    sb_add(out, r->s, r->len);
    if (color)
        sb_adds(out, DIFF_RESET);
    sb_addc(out, '\n');
}

void diff_print(strbuf *out, const diff_rec *r, size_t n, int context, bool color)
{
    if (context < 0) {
        for (size_t i = 0; i < n; i++)
            print_rec(out, &r[i], color);
        return;
    }
    /* each line's distance to the nearest change, before or after it */
    long *dist = xmalloc((n + 1) * sizeof *dist);
    long change = -1;
    for (size_t i = 0; i < n; i++) {
        if (r[i].delta != DIFF_COMMON)
            change = (long)i;
        dist[i] = change < 0 ? INT_MAX : (long)i - change;
    }
    change = -1;
    for (size_t i = n; i-- > 0;) {
        if (r[i].delta != DIFF_COMMON)
            change = (long)i;
        if (change >= 0 && change - (long)i < dist[i])
            dist[i] = change - (long)i;
    }
    bool omitting = false;
    for (size_t i = 0; i < n; i++) {
        if (dist[i] > context) {
            if (!omitting)
                sb_adds(out, "...\n");
            omitting = true;
        } else {
            omitting = false;
            print_rec(out, &r[i], color);
        }
    }
    free(dist);
}
