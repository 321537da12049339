/* test_manifest_head.c — the line scanner of document heads (renderer/manifest_head.c)
 * against the full reader (yaml_parse, which the golden suite holds to helm):
 * whenever the scanner answers, the full reader must read the document without
 * error and find the same head. Checked on hand-written cases, on every document
 * of every golden helm output, and on those documents broken in many small ways
 * (a byte deleted, or a tab, colon, quote, indicator or newline inserted). */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "renderer/manifest.h"
#include "core/strbuf.h"
#include "yaml_texts.h"

static bool same_str(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }

/* 1 scanned and agreed, 0 left to the reader; fails the test on disagreement */
static int check_doc(const char *doc, size_t len)
{
    arena *a = arena_new();
    manifest_head fast, full;
    int scanned = manifest_head_scan(a, doc, len, &fast);
    if (scanned) {
        cval *v = NULL;
        cap_err e = CAP_ERR_INIT;
        int rc = manifest_head_read(a, "t.yaml", doc, len, &full, &v, &e);
        if (rc != 0 || fast.empty != full.empty || !same_str(fast.api_version, full.api_version) ||
            !same_str(fast.kind, full.kind) || !same_str(fast.name, full.name) || !same_str(fast.hook, full.hook) ||
            !same_str(fast.hook_weight, full.hook_weight)) {
            fprintf(stderr, "scanner and reader disagree (%s) on:\n%.*s\n", rc ? e.msg : "head", (int)len, doc);
            fail();
        }
        cap_err_clear(&e);
    }
    arena_free(a);
    return scanned;
}

typedef struct hcase {
    const char *doc;
    int scanned;          /* what the scanner must answer */
    const char *kind, *name, *hook;
} hcase;

static const hcase cases[] = {
    {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: |\n    text\n     more\n\n    end\n  b: c\n", 1, "ConfigMap", "x", NULL},
    {"kind: Job\nmetadata:\n  name: 'it''s'\n  annotations:\n    \"helm.sh/hook\": pre-install\n    helm.sh/hook-weight: \"5\"\n", 1, "Job", "it's", "pre-install"},
    {"# only a comment\n", 1, NULL, NULL, NULL},
    {"kind: A\nkind: B\nmetadata:\n  name: a\nmetadata:\n  labels: {}\n", 1, "B", NULL, NULL},
    {"kind: A\nspec:\n  containers:\n  - name: c\n    args: [\"a\", 'b', c d]\n    env:\n      - name: X\n        value: long text\n          folded on\n\n          lines\n  x: y\n", 1, "A", NULL, NULL},
    {"kind: A\nitems:\n- - a\n  - b\n-\n  c: d\n- >-\n  folded\n", 1, "A", NULL, NULL},
    {"kind: A\nmetadata:\n  annotations:\n", 1, "A", NULL, NULL},
    {"kind: A\nmetadata:\n  annotations: {}\n", 1, "A", NULL, NULL},
    {"kind: A\nmetadata:\n  name: 'b\n    c'\n  annotations:\n    \"helm.sh/hook\": \"post-install,\n      post-upgrade\"\n", 1, "A", "b c",
     "post-install, post-upgrade"},                              /* multi-line quoted, folded */
    {"kind: A\nmetadata: {name: nm, annotations: {helm.sh/hook: test}}\nspec:\n- {key: k, values: [a, [b], {}]}\n", 1, "A", "nm",
     "test"},                                                    /* flow collections on one line, nested */
    /* left to the reader: what it must see for itself */
    {"kind: A\n\tb: 1\n", 0, NULL, NULL, NULL},                 /* tab */
    {"kind: A: B\n", 0, NULL, NULL, NULL},                      /* mapping values not allowed */
    {"kind: A\n  b: 1\n", 0, NULL, NULL, NULL},                 /* continuation with a colon */
    {"kind: \"A\"\n  b\n", 0, NULL, NULL, NULL},                /* text after a quoted scalar */
    {"kind: A # c\n  b\n", 0, NULL, NULL, NULL},                /* text after a comment */
    {"a:\n  b: 1\n c: 2\n", 0, NULL, NULL, NULL},               /* bad indentation */
    {"a:\n- b\nc\n", 0, NULL, NULL, NULL},                      /* not a key */
    {"a: &x 1\nb: *x\n", 0, NULL, NULL, NULL},                  /* anchors */
    {"a: .nan\n", 0, NULL, NULL, NULL},                         /* NaN fails the JSON step */
    {"1: a\n", 0, NULL, NULL, NULL},                            /* a key that is not a string */
    {"kind: 5\n", 0, NULL, NULL, NULL},                         /* a head field that is not a string */
    {"metadata:\n  annotations:\n    helm.sh/hook-weight: 5\n", 0, NULL, NULL, NULL},
    {"- a\n", 0, NULL, NULL, NULL},                             /* not a mapping */
    {"a: b\n...\nc: d\n", 0, NULL, NULL, NULL},                 /* document end */
    {"a: \"x\\/y\"\n", 0, NULL, NULL, NULL},                    /* go-yaml's unknown escape */
    {"a: |\n\n   b\n  c\n", 0, NULL, NULL, NULL},               /* leading blank line in a block scalar */
    {"a: [b,\n  c]\n", 0, NULL, NULL, NULL},                    /* flow over lines */
    {"a: 'b\nc'\n", 0, NULL, NULL, NULL},                       /* multi-line quoted, not deeper than its key */
    {"a: \xc2\x85\n", 0, NULL, NULL, NULL},                     /* NEL is a line break */
    {"a: \xff\n", 0, NULL, NULL, NULL},                         /* not UTF-8 */
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const hcase *c = &cases[i];
        int got = check_doc(c->doc, strlen(c->doc));
        if (got != c->scanned) {
            fprintf(stderr, "case %zu: scanner answered %d:\n%s\n", i, got, c->doc);
            fail();
        }
        if (!got)
            continue;
        arena *a = arena_new();
        manifest_head h;
        manifest_head_scan(a, c->doc, strlen(c->doc), &h);
        assert_true(same_str(h.kind, c->kind));
        assert_true(same_str(h.name, c->name));
        assert_true(same_str(h.hook, c->hook));
        arena_free(a);
    }
}

static void test_golden_documents(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char **docs;
    size_t *lens;
    size_t n = golden_docs(a, &docs, &lens), scanned = 0;
    fprintf(stderr, "%zu golden documents\n", n);
    assert_true(n > 200);
    for (size_t i = 0; i < n; i++)
        scanned += (size_t)check_doc(docs[i], lens[i]);
    /* the scanner is worth having only if it answers for nearly all of them */
    fprintf(stderr, "scanned %zu of %zu golden documents\n", scanned, n);
    assert_true(scanned * 100 >= n * 90);
    free(docs);
    free(lens);
    arena_free(a);
}

static void test_broken_documents(void **state)
{
    (void)state;
    static const char *const ins[] = {": ", "\t", "#", " #", "'", "\"", "- ", "-", "[", "{", "}", "&a ", "*a", "!",
                                      "|", ">", "\n", " ", "  ", "\n---\n", "\n...\n", ".nan", "~", "\\", ":",
                                      "\xc3\xa9", "\xff", "? ", "%", "@", "`", ",", "<<: ", "1: ", "\"\\/\""};
    arena *a = arena_new();
    const char **docs;
    size_t *lens;
    size_t n = golden_docs(a, &docs, &lens);
    strbuf sb = STRBUF_INIT;
    size_t tried = 0, scanned = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = lens[i];
        size_t step = len <= 200 ? 1 : len / 50; /* big documents: 50 places */
        for (size_t at = 0; at < len; at += step) {
            for (size_t m = 0; m <= sizeof ins / sizeof ins[0]; m++) {
                mutate_at(&sb, docs[i], len, at, m < sizeof ins / sizeof ins[0] ? ins[m] : NULL);
                scanned += (size_t)check_doc(sb_str(&sb), sb.len);
                tried++;
            }
        }
    }
    /* and three edits at once, at places a small generator picks */
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < n; i++) {
        for (int v = 0; v < 80; v++) {
            sb_reset(&sb);
            sb_add(&sb, docs[i], lens[i]);
            mutate_random(&sb, ins, sizeof ins / sizeof ins[0], &seed, 3);
            scanned += (size_t)check_doc(sb_str(&sb), sb.len);
            tried++;
        }
    }
    fprintf(stderr, "broken documents: %zu tried, %zu scanned\n", tried, scanned);
    sb_release(&sb);
    free(docs);
    free(lens);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cases),
    cmocka_unit_test(test_golden_documents),
    cmocka_unit_test(test_broken_documents),
};

UNIT_MAIN(tests)
