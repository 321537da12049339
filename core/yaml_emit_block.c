/* yaml_emit_block.c — toYaml's output written directly for the values most
 * charts pass it: mappings and sequences of numbers, booleans, nulls and
 * short ASCII words (resources, labels, selectors, ports, tolerations).
 *
 * libyaml's emitter (yaml_emit.c) costs an initialisation, an event and a
 * scalar analysis per node; for such values its output is fixed by a few
 * rules, which this file follows:
 *   - a mapping's entries are "key: value" at its indentation; a nested
 *     mapping goes two spaces in, a sequence under a key does not (go-yaml
 *     v2's indentless sequences); an empty one is written "{}" or "[]";
 *   - a sequence's items are "- item"; a mapping or a sequence as an item
 *     starts on the dash's line, the rest of it two spaces in;
 *   - a scalar is written plain, or double-quoted where it would read back
 *     as something else ("true", "1", "null"), as yaml_emit.c decides; a
 *     float as json.Marshal and go-yaml v2 write it (yaml_float_text), whose
 *     text ("1e+06", "-0.5") libyaml keeps plain.
 * A word is simple when every byte is a letter, a digit or one of "._/-+=",
 * or a ':' that neither starts nor ends it, it is not "-" alone, and it does
 * not start with "---" or "...": then libyaml's analysis allows it plain in block context,
 * it has no space to fold a line at, and quoting it needs no escape. A key
 * is at most 128 bytes (libyaml's simple key). A scalar or an empty
 * collection alone is one line (go-yaml writes no "..." after it). Anything
 * else — NaN and the infinities, bytes, objects, other strings, empty
 * strings, nesting deeper than 64 — is left to the emitter: yaml_emit_block writes nothing
 * and says so.
 */
#include "core/yaml.h"
#include "core/yaml_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NEST 64
#define MAX_KEY 128

static bool simple_word(const char *s, size_t n)
{
    static const bool ok[256] = {
        ['.'] = 1, ['_'] = 1, ['/'] = 1, ['-'] = 1, ['+'] = 1, ['='] = 1, [':'] = 1,
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
        ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
        ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
        ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
        ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
        ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
        ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    };
    /* ':' at either end and a lone '-' are indicators where they stand */
    if (n == 0 || s[0] == ':' || s[n - 1] == ':' || (n == 1 && s[0] == '-'))
        return false;
    if (n >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ok[(unsigned char)s[i]])
            return false;
    return true;
}

/* Can the block writer take v (a node at nesting depth)? */
static bool simple(const cval *v, int depth)
{
    if (depth > MAX_NEST)
        return false;
    if (!v || cv_is_nil_collection(v))
        return true;
    switch (v->kind) {
    case CV_NIL: case CV_BOOL: case CV_INT: case CV_UINT:
        return true;
    case CV_FLOAT: /* NaN and the infinities fail in the emitter's path */
        return isfinite(v->u.f);
    case CV_STRING:
        return simple_word(v->u.str.s, v->u.str.len);
    case CV_LIST: {
        size_t n = cv_list_len(v);
        cval **items = cv_list_items(v);
        for (size_t i = 0; i < n; i++)
            if (!simple(items[i], depth + 1))
                return false;
        return true;
    }
    case CV_MAP: {
        size_t n;
        const cv_entry *e = cv_map_sorted(v, &n);
        for (size_t i = 0; i < n; i++)
            if (e[i].keylen > MAX_KEY || !simple_word(e[i].key, e[i].keylen) || !simple(e[i].val, depth + 1))
                return false;
        return true;
    }
    default:
        return false;
    }
}

/* A simple word, plain, or double-quoted where go-yaml v2 would read it back
 * as something other than a string (yaml_emit.c's emit_string). */
static void word(strbuf *o, const char *s, size_t n)
{
    yres r = yaml_resolve_plain(s, n);
    bool plain = r.kind == YRES_STR && !yaml_is_base60_float(s, n);
    if (!plain)
        sb_addc(o, '"');
    sb_add(o, s, n);
    if (!plain)
        sb_addc(o, '"');
}

static bool is_collection(const cval *v)
{
    return v && !cv_is_nil_collection(v) &&
           ((v->kind == CV_MAP && cv_map_len(v) > 0) || (v->kind == CV_LIST && cv_list_len(v) > 0));
}

/* A scalar, or an empty collection in flow style. */
static void leaf(strbuf *o, const cval *v)
{
    char b[32];
    int n;
    if (!v || cv_is_nil_collection(v) || v->kind == CV_NIL) {
        sb_add(o, "null", 4);
        return;
    }
    switch (v->kind) {
    case CV_BOOL:
        sb_adds(o, v->u.b ? "true" : "false");
        return;
    case CV_INT:
        n = snprintf(b, sizeof b, "%lld", (long long)v->u.i);
        sb_add(o, b, (size_t)n);
        return;
    case CV_UINT:
        n = snprintf(b, sizeof b, "%llu", (unsigned long long)v->u.u);
        sb_add(o, b, (size_t)n);
        return;
    case CV_FLOAT:
        yaml_float_text(o, v->u.f);
        return;
    case CV_STRING:
        word(o, v->u.str.s, v->u.str.len);
        return;
    case CV_MAP:
        sb_add(o, "{}", 2);
        return;
    default: /* an empty list */
        sb_add(o, "[]", 2);
        return;
    }
}

static void block_map(strbuf *o, const cval *m, int ind, bool inl);
static void block_seq(strbuf *o, const cval *s, int ind, bool inl);

/* The value of a key written at column ind (the line holds "key:"). */
static void map_value(strbuf *o, const cval *v, int ind)
{
    if (!is_collection(v)) {
        sb_addc(o, ' ');
        leaf(o, v);
        sb_addc(o, '\n');
    } else if (v->kind == CV_MAP) {
        sb_addc(o, '\n');
        block_map(o, v, ind + 2, false);
    } else {
        sb_addc(o, '\n');
        block_seq(o, v, ind, false);
    }
}

/* An item after the "- " written at column ind. */
static void seq_item(strbuf *o, const cval *v, int ind)
{
    if (!is_collection(v)) {
        leaf(o, v);
        sb_addc(o, '\n');
    } else if (v->kind == CV_MAP) {
        block_map(o, v, ind + 2, true);
    } else {
        block_seq(o, v, ind + 2, true);
    }
}

/* A mapping's entries at column ind; inl: the first one goes on the current
 * line (after a "- "). */
static void block_map(strbuf *o, const cval *m, int ind, bool inl)
{
    size_t n;
    const cv_entry **k = yaml_sorted_entries(m, false, &n);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 || !inl)
            sb_addrep(o, ' ', (size_t)ind);
        word(o, k[i]->key, k[i]->keylen);
        sb_addc(o, ':');
        map_value(o, k[i]->val, ind);
    }
    free(k);
}

static void block_seq(strbuf *o, const cval *s, int ind, bool inl)
{
    size_t n = cv_list_len(s);
    cval **items = cv_list_items(s);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 || !inl)
            sb_addrep(o, ' ', (size_t)ind);
        sb_add(o, "- ", 2);
        seq_item(o, items[i], ind);
    }
}

bool yaml_emit_block(strbuf *out, const cval *v)
{
    if (!simple(v, 0))
        return false;
    if (!is_collection(v)) { /* a scalar or an empty collection alone: a line */
        leaf(out, v);
        sb_addc(out, '\n');
    } else if (v->kind == CV_MAP) {
        block_map(out, v, 0, false);
    } else {
        block_seq(out, v, 0, false);
    }
    return true;
}
