/* test_yaml_scan.c — the line scanner (core/yaml_scan.c) against libyaml.
 *
 * yaml_parse tries the scanner first; yaml_parse_all always reads with
 * libyaml. Whenever the scanner accepts a text, the two must give the same
 * value (or both fail). Checked on hand-written cases, every values file
 * and every golden helm output document of this repository, and those texts
 * broken in many small ways. */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/json.h"
#include "renderer/manifest.h"
#include "core/strbuf.h"
#include "yaml_texts.h"
#include "core/yaml.h"
#include "core/yaml_scan.h"

static int no_op(void *ctx, const ys_event *ev)
{
    (void)ctx;
    (void)ev;
    return 0;
}

/* 1 scanned and agreed, 0 left to libyaml; fails the test on disagreement */
static int check_text(const char *t, size_t n)
{
    if (!yaml_scan_doc(t, n, no_op, NULL)) /* yaml_parse's gate */
        return 0;
    arena *a = arena_new();
    cval *fast = NULL, *all = NULL;
    cap_err e1 = CAP_ERR_INIT, e2 = CAP_ERR_INIT;
    int r1 = yaml_parse(a, t, n, "t.yaml", &fast, &e1);
    int r2 = yaml_parse_all(a, t, n, "t.yaml", &all, &e2);
    cval *slow = r2 == 0 && cv_list_len(all) ? cv_list_get(all, 0) : cv_nil();
    if ((r1 != 0) != (r2 != 0) || (r1 == 0 && !cv_deep_equal(fast, slow)) ||
        (r1 != 0 && strcmp(e1.msg, e2.msg) != 0)) {
        fprintf(stderr, "scanner and libyaml disagree (%s | %s) on:\n%.*s\n", r1 ? e1.msg : "ok",
                r2 ? e2.msg : "ok", (int)n, t);
        fail();
    }
    cap_err_clear(&e1);
    cap_err_clear(&e2);
    arena_free(a);
    return 1;
}

static const char *const cases[] = {
    "a: plain\nb: 'it''s'\nc: \"tab\\there \\\"q\\\" \\\\ \\e\"\nd:\ne: ~\nf: 1\ng: 1.5\nh: true\ni: 0x1F\nj: 2001-12-14\n",
    "folded: one\n  two\n\n  three\n\n\n  four\nnext: x\n",
    "lit: |\n  a\n   b\n\n  c\n\n\nkeep: |+\n  a\n\n\nstrip: |-\n  a\n\nend: 1\n",
    "fold: >\n  a\n  b\n\n  c\n    more\n  d\n\n  e\nf2: >-\n  x\n  y\nf3: >+\n  z\n\n",
    "last: |\n  no newline at the end",
    "- a\n- - b\n  - c\n- k: v\n  l:\n  - m\n  n: o\n-\n- [p, \"q\", 'r']\n- []\n- {}\n",
    "empty_block: |\nnext: 1\n",
    "1: one\ntrue: t\n1.5: f\n",
    "<<:\n  a: 1\nb: 2\n",
    "a: .nan\n",
    "~: null key\n",
    "dup: 1\ndup: 2\n",
    "# comments only\n\n# more\n",
    "nested:\n  deeper:\n    deepest: [1, 2, 3]\n  sibling: |\n    text\n",
    "unicode: h\xc3\xa9llo \xe2\x80\x94 \xf0\x9f\x9a\x80\n",
    "big: 123456789012345678901234567890\nneg: -0.0\nexp: 1e3\noct: 0o17\nhex: 0xFF\n",
    "spaces: \"  lead and trail  \"\nsq: '  x  '\nkey with spaces: v\n",
    /* an explicit document start (yaml_scan_doc), as CRD files begin */
    "---\napiVersion: v1\nkind: List\n",
    "# https://example.com/crd.yaml\n\n---   # the CRD\n- a\n- b: c\n",
    "  # indented comment\n---\n",
    "---",
    "---a: 1\n", /* not a marker: a key */
    /* continuation lines of a plain scalar that begin with an indicator */
    "d: selects the\n  `Pod` objects\n  [x] {y} 'q' \"w\" &a *b !c |d >e %f @g ,h ]i }j\nnext: 1\n",
    "- text\n  `code` more\n- k: v\n    *not an alias\n",
    /* quoted scalars over several lines, folded */
    "d: 'Container name: required for volumes,\n    optional for env vars'\ne: x\n",
    "a:\n  b: '  lead\n\n     two\n\n\n   three  '\n  c: 'it''s\n    ''quoted'''\n",
    "- \"double \\\"q\\\" \\t\n  next\\n line  \"\n- ' \n   x'\n- 'a\n   '\n",
    "k: \"tail\n  \"  # comment\nl: 1\n",
    /* flow collections on one line, nested */
    "- {key: app.kubernetes.io/name, operator: In, values: [alertmanager]}\n- {}\n",
    "a: {x: 1, 'y': \"z\", n: [1, [2, 3], {}, {k: v}]}  # c\nb: { }\nc: [ ]\n",
    "a: {x: true, y: ~, z: 0x1F, w: -1.5, v: null, u: 'it''s'}\n",
    "a: {dup: 1, dup: 2}\n",
    "a: {1: one, true: t}\n",
    "- [a, {b: [c, {d: e}]}]\n",
};

/* Texts the scanner leaves to libyaml: a document marker it cannot read as
 * the explicit start of the one document, a continuation line that libyaml
 * may read otherwise. */
static void test_refused(void **state)
{
    (void)state;
    static const char *const no[] = {
        "--- a: 1\n", "a: 1\n---\nb: 2\n", "---\n---\na: 1\n", "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n", "--- |\n  text\n", "---\t\na: 1\n",
        "a: x\n  - y\n", "a: x\n  ? y\n", "a: x\n  :y\n",
        "a: 'x\ny'\n", "  a: 'x\n  y'\n", "a: \"x \\\n  y\"\n", "a: 'x\n\ty'\n", "a: 'x\n---\n'\n",
        "'multi\n  key': v\n",
        "a: {x: 1,}\n", "a: {x:1}\n", "a: {x: 1\n  , y: 2}\n", "a: {x: &a 1}\n", "a: {? x}\n",
        "a: [a, b,]\n", "a: {x: http://y}\n", "a: {x}\n", "a: {[x]: 1}\n", "a: {x: }\n",
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        if (yaml_scan_doc(no[i], strlen(no[i]), no_op, NULL)) {
            fprintf(stderr, "scanned what it should leave to libyaml:\n%s\n", no[i]);
            fail();
        }
    }
    assert_false(yaml_scan("---\na: 1\n", 9, no_op, NULL)); /* manifest heads: never */
}

static void test_cases(void **state)
{
    (void)state;
    size_t scanned = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        scanned += (size_t)check_text(cases[i], strlen(cases[i]));
    assert_true(scanned >= sizeof cases / sizeof cases[0] - 1);
}

typedef struct texts {
    char **v;
    size_t *len;
    size_t n, cap;
} texts;

static void add_text(texts *t, const char *s, size_t n)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        t->len = realloc(t->len, t->cap * sizeof *t->len);
    }
    t->v[t->n] = malloc(n + 1);
    memcpy(t->v[t->n], s, n);
    t->v[t->n][n] = 0;
    t->len[t->n++] = n;
}

static bool is_values(const char *name) { return !strncmp(name, "values", 6) && strstr(name, ".yaml"); }

static void add_to(void *t, const char *text, size_t n) { add_text(t, text, n); }

/* every document of the golden outputs helm printed */
static void golden_texts(texts *t)
{
    arena *a = arena_new();
    const char **docs;
    size_t *lens;
    size_t n = golden_docs(a, &docs, &lens);
    for (size_t k = 0; k < n; k++)
        add_text(t, docs[k], lens[k]);
    free(docs);
    free(lens);
    arena_free(a);
}

static void free_texts(texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    free(t->len);
}

static void corpus(texts *t)
{
    each_file("charts", is_values, add_to, t, 0);
    each_file("tests/golden/charts", is_values, add_to, t, 0);
    golden_texts(t);
}

static void test_corpus(void **state)
{
    (void)state;
    texts t = {0};
    corpus(&t);
    size_t scanned = 0;
    for (size_t i = 0; i < t.n; i++)
        scanned += (size_t)check_text(t.v[i], t.len[i]);
    fprintf(stderr, "scanned %zu of %zu texts\n", scanned, t.n);
    assert_true(t.n > 250);
    assert_true(scanned * 100 >= t.n * 85);
    free_texts(&t);
}

static void test_broken(void **state)
{
    (void)state;
    static const char *const ins[] = {": ", "\t", "#", " #", "'", "\"", "- ", "-", "[", "]", "{", "}", ",",
                                      "&a ", "*a", "!", "|", ">", "|-", ">+", "\n", " ", "  ", "\n\n", "\n  ",
                                      ".nan", "~", "\\", "\\n", ":", "\xc3\xa9", "\xff", "? ", "%", "@", "`",
                                      "<<: ", "1: ", "null: ", "''", "x:\n"};
    const size_t nins = sizeof ins / sizeof ins[0];
    texts t = {0};
    corpus(&t);
    strbuf sb = STRBUF_INIT;
    size_t tried = 0, scanned = 0;
    uint64_t seed = 0x2545F4914F6CDD1Du;
    for (size_t i = 0; i < t.n; i++) {
        size_t len = t.len[i];
        size_t step = len <= 80 ? 1 : len / 25 + 1;
        for (size_t at = 0; at < len; at += step) {
            for (size_t m = 0; m <= nins; m++) {
                mutate_at(&sb, t.v[i], len, at, m < nins ? ins[m] : NULL);
                scanned += (size_t)check_text(sb_str(&sb), sb.len);
                tried++;
            }
        }
        /* three edits at once */
        for (int v = 0; v < 20 && len; v++) {
            sb_reset(&sb);
            sb_add(&sb, t.v[i], len);
            mutate_random(&sb, ins, nins, &seed, 3);
            scanned += (size_t)check_text(sb_str(&sb), sb.len);
            tried++;
        }
    }
    fprintf(stderr, "broken texts: %zu tried, %zu scanned\n", tried, scanned);
    sb_release(&sb);
    free_texts(&t);
}

/* every byte value at every place of a block-scalar line and of a plain
 * value, across the scanner's sixteen-byte steps: refused exactly where
 * libyaml refuses the byte (controls but tab and newline, DEL, C1 and bytes
 * that are not UTF-8) */
static void test_bytes_everywhere(void **state)
{
    (void)state;
    char t[80];
    for (int style = 0; style < 2; style++)
        for (int pos = 0; pos < 40; pos++)
            for (int b = 1; b < 256; b++) {
                size_t n;
                if (style == 0)
                    n = (size_t)snprintf(t, sizeof t, "k: |\n  %-40s\nz: 1\n", "");
                else
                    n = (size_t)snprintf(t, sizeof t, "k: x%-40sy\nz: 1\n", "");
                size_t at = style == 0 ? 7 + (size_t)pos : 4 + (size_t)pos;
                for (size_t i = (style == 0 ? 7 : 4); i < at; i++)
                    t[i] = 'a';
                t[at] = (char)b;
                bool printable = (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n';
                int got = yaml_scan(t, n, no_op, NULL);
                if (!printable && got)
                    fail_msg("byte 0x%02x at %zu accepted (style %d)", b, at, style);
                if (printable && b != '\t' && b != '\n' && b != ' ' && b != '#' && b != ':' && !got && style == 0)
                    fail_msg("byte 0x%02x at %zu refused in a block scalar", b, at);
            }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bytes_everywhere),
    cmocka_unit_test(test_refused),
    cmocka_unit_test(test_cases),
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_broken),
};

UNIT_MAIN(tests)
