/* test_tmpl_lex.c — the template lexer (renderer/engine/tmpl_lex.c): the
 * items of inputs that take each of its fast paths and the edges between them
 * (trim markers next to newlines, words that go on beyond ASCII, invalid
 * UTF-8, numbers the fast path hands on, strings with escapes, comments,
 * newline counts of short and long ranges, every error, lexing after
 * tmpl_lex_jump). The expected items are those of the rune-by-rune lexer the
 * fast paths replaced (main 0aec4f6), which follows Go's
 * text/template/parse/lex.go. */
#include "unit.h"
#include "renderer/engine/tmpl_ast.h"

#include <string.h>

/* One line per input: every item as TYPE@pos:line"val", until EOF or the first error. */
static const char *const tk_name[] = {
    "ERROR", "BOOL", "CHAR", "CHARCONST", "COMMENT", "COMPLEX", "ASSIGN", "DECLARE", "EOF", "FIELD",
    "IDENT", "LDELIM", "LPAREN", "NUMBER", "PIPE", "RAWSTRING", "RDELIM", "RPAREN", "SPACE", "STRING",
    "TEXT", "VARIABLE", "KEYWORD", "BLOCK", "BREAK", "CONTINUE", "DOT", "DEFINE", "ELSE", "END", "IF",
    "NIL", "RANGE", "TEMPLATE", "WITH",
};

static void dump_items(strbuf *out, tl_lexer *l, tl_item (*next)(tl_lexer *))
{
    for (int k = 0; k < 200; k++) {
        tl_item it = next(l);
        if (k)
            sb_addc(out, ' ');
        sb_addf(out, "%s@%d:%d\"", tk_name[it.type], it.pos, it.line);
        for (size_t i = 0; i < it.len; i++) {
            unsigned char c = (unsigned char)it.val[i];
            if (c == '\n') sb_adds(out, "\\n");
            else if (c == '"' || c == '\\') { sb_addc(out, '\\'); sb_addc(out, (char)c); }
            else if (c < 0x20 || c >= 0x7F) sb_addf(out, "\\x%02x", c);
            else sb_addc(out, (char)c);
        }
        sb_addc(out, '"');
        if (it.type == TK_EOF || it.type == TK_ERROR)
            break;
    }
}

/* inputs: text, break_ok/continue_ok, and a jump (pos, line; pos -1: none) */
static const struct lex_case { const char *text; size_t len; bool brk; int jump, jline; } lex_cases[] = {
#define C(s) { s, sizeof s - 1, true, -1, 0 }
    C("{{- .Values.a.b -}}\n  x"),
    C("a \n\t{{- 3 }} b"),
    C("{{ $x := 1 }}{{ $x = 2 }}{{$y:=3}}"),
    C("{{ if true }}{{ else if false }}{{ end }}"),
    C("{{ break }}{{ continue }}"),
    { "{{ break }}{{ continue }}", 25, false, -1, 0 },
    C("{{ range $i, $v := . }}{{ end }}"),
    C("{{ \"a\\\"b\" 'c' `raw\nline` \"\\u00e9\" }}"),
    C("{{ \"unterminated\n\" }}"),
    C("{{ \"esc\\\n\" }}"),
    C("{{ 'x"),
    C("{{ `open\nraw"),
    C("{{ 0x1F 1e3 -2 +3 1.5i 1+2i .5 1_000 0b1 0o7 0X1p-2 }}"),
    C("{{ 1a }}"),
    C("{{ 12. }}{{ 7,8 }}"),
    C("{{ . }}{{ .}}{{.}}{{.a.b}}"),
    C("{{ $ }}{{ $.a }}{{ $x.y }}{{$}}"),
    C("{{ .a| b}}{{.a|b}}"),
    C("{{ (.a) }}{{ (print (len .b)) }}"),
    C("{{ ( }}"),
    C("{{ ) }}"),
    C("{{ .\xc3\xa9t\xc3\xa9 }}{{ h\xc3\xa9llo }}{{ \xc3\xa9 }}{{ $\xc3\xa9 }}"),
    C("{{ \xff }}"),
    C("{{ .a\xff }}"),
    C("{{ ab\xe2\x82 }}"),
    C("{{ .a-b }}"),
    C("{{ a\x01 }}"),
    C("{{ \x01 }}"),
    C("{{ \x7f }}"),
    C("{{ : }}"),
    C("{{ .a } }}{{ .a}}}"),
    C("{{/* c\n */}}x{{- /* c */ -}}  \n y"),
    C("{{/* c */ }}"),
    C("{{/* c"),
    C("{{ .a\n.b }}"),
    C("{{ .a \n-}}\n\nz"),
    C("{{ .a  \t-}}  z"),
    C("{{ -}}x"),
    C("{{- -}}"),
    C("{{-\n.a\n-}}"),
    C("x{{"),
    C("{{ .a"),
    C("{{ ."),
    C("{{ 1"),
    C("{{ $"),
    C("{{ abc"),
    C("text only\nline2\n"),
    C(""),
    C("{{ nil }}{{ with .x }}{{ end }}{{ define \"t\" }}{{ end }}{{ template \"t\" }}{{ block \"b\" . }}{{ end }}"),
    C("{{ truex falsey endx ifx _a a_1 }}"),
    C("line1\nline2\nline3 is long enough\n\n   {{- .x }}\n  tail text longer than sixteen bytes\n"),
    C("{{ .a,.b }}{{ .a:.b }}{{ .a(.b) }}"),
    C("{{ -1 }}{{ - }}{{ + }}{{ 1+ }}"),
    C("{{ {{ }}"),
    C("{{ \"a\" }}{{ 'b' }}{{ '\\'' }}{{ \"\xc3\xa9\xff\" }}"),
    C("{{\r\n.a\r\n}}"),
    C("{{ .a }}\n{{ .b }}{{ end }}"),
    { "{{ if .x }}abc\n{{ .y }}{{ end }}", 32, true, 11, 1 },
    { "{{ if .x }}abc\n{{ .y }}{{ end }}", 32, true, 15, 2 },
    C("{{ \"nul\0\" }}{{ \0 }}"),
    C("0123456789abcdefghij{{ .a -}}\n\nab\ncd{{ .b }}\n{{ `x\ny` -}}\n z"),
#undef C
};

static const char *const lex_expect[] = {
    /* 0 */ "LDELIM@0:1\"{{\" FIELD@4:1\".Values\" FIELD@11:1\".a\" FIELD@13:1\".b\" RDELIM@17:1\"}}\""
          " TEXT@22:2\"x\" EOF@23:2\"\"",
    /* 1 */ "TEXT@0:1\"a\" LDELIM@4:2\"{{\" NUMBER@8:2\"3\" SPACE@9:2\" \" RDELIM@10:2\"}}\""
          " TEXT@12:2\" b\" EOF@14:2\"\"",
    /* 2 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" VARIABLE@3:1\"$x\" SPACE@5:1\" \" DECLARE@6:1\":=\""
          " SPACE@8:1\" \" NUMBER@9:1\"1\" SPACE@10:1\" \" RDELIM@11:1\"}}\" LDELIM@13:1\"{{\""
          " SPACE@15:1\" \" VARIABLE@16:1\"$x\" SPACE@18:1\" \" ASSIGN@19:1\"=\" SPACE@20:1\" \""
          " NUMBER@21:1\"2\" SPACE@22:1\" \" RDELIM@23:1\"}}\" LDELIM@25:1\"{{\" VARIABLE@27:1\"$y\""
          " DECLARE@29:1\":=\" NUMBER@31:1\"3\" RDELIM@32:1\"}}\" EOF@34:1\"\"",
    /* 3 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" IF@3:1\"if\" SPACE@5:1\" \" BOOL@6:1\"true\" SPACE@10:1\" \""
          " RDELIM@11:1\"}}\" LDELIM@13:1\"{{\" SPACE@15:1\" \" ELSE@16:1\"else\" SPACE@20:1\" \""
          " IF@21:1\"if\" SPACE@23:1\" \" BOOL@24:1\"false\" SPACE@29:1\" \" RDELIM@30:1\"}}\""
          " LDELIM@32:1\"{{\" SPACE@34:1\" \" END@35:1\"end\" SPACE@38:1\" \" RDELIM@39:1\"}}\""
          " EOF@41:1\"\"",
    /* 4 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" BREAK@3:1\"break\" SPACE@8:1\" \" RDELIM@9:1\"}}\""
          " LDELIM@11:1\"{{\" SPACE@13:1\" \" CONTINUE@14:1\"continue\" SPACE@22:1\" \""
          " RDELIM@23:1\"}}\" EOF@25:1\"\"",
    /* 5 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" IDENT@3:1\"break\" SPACE@8:1\" \" RDELIM@9:1\"}}\""
          " LDELIM@11:1\"{{\" SPACE@13:1\" \" IDENT@14:1\"continue\" SPACE@22:1\" \""
          " RDELIM@23:1\"}}\" EOF@25:1\"\"",
    /* 6 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" RANGE@3:1\"range\" SPACE@8:1\" \" VARIABLE@9:1\"$i\""
          " CHAR@11:1\",\" SPACE@12:1\" \" VARIABLE@13:1\"$v\" SPACE@15:1\" \" DECLARE@16:1\":=\""
          " SPACE@18:1\" \" DOT@19:1\".\" SPACE@20:1\" \" RDELIM@21:1\"}}\" LDELIM@23:1\"{{\""
          " SPACE@25:1\" \" END@26:1\"end\" SPACE@29:1\" \" RDELIM@30:1\"}}\" EOF@32:1\"\"",
    /* 7 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" STRING@3:1\"\\\"a\\\\\\\"b\\\"\" SPACE@9:1\" \""
          " CHARCONST@10:1\"'c'\" SPACE@13:1\" \" RAWSTRING@14:1\"`raw\\nline`\" SPACE@24:2\" \""
          " STRING@25:2\"\\\"\\\\u00e9\\\"\" SPACE@33:2\" \" RDELIM@34:2\"}}\" EOF@36:2\"\"",
    /* 8 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unterminated quoted string\"",
    /* 9 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unterminated quoted string\"",
    /* 10 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unterminated character constant\"",
    /* 11 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unterminated raw quoted string\"",
    /* 12 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" NUMBER@3:1\"0x1F\" SPACE@7:1\" \" NUMBER@8:1\"1e3\""
          " SPACE@11:1\" \" NUMBER@12:1\"-2\" SPACE@14:1\" \" NUMBER@15:1\"+3\" SPACE@17:1\" \""
          " NUMBER@18:1\"1.5i\" SPACE@22:1\" \" COMPLEX@23:1\"1+2i\" SPACE@27:1\" \""
          " NUMBER@28:1\".5\" SPACE@30:1\" \" NUMBER@31:1\"1_000\" SPACE@36:1\" \" NUMBER@37:1\"0b1\""
          " SPACE@40:1\" \" NUMBER@41:1\"0o7\" SPACE@44:1\" \" NUMBER@45:1\"0X1p-2\" SPACE@51:1\" \""
          " RDELIM@52:1\"}}\" EOF@54:1\"\"",
    /* 13 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"bad number syntax: \\\"1a\\\"\"",
    /* 14 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" NUMBER@3:1\"12.\" SPACE@6:1\" \" RDELIM@7:1\"}}\""
          " LDELIM@9:1\"{{\" SPACE@11:1\" \" NUMBER@12:1\"7\" CHAR@13:1\",\" NUMBER@14:1\"8\""
          " SPACE@15:1\" \" RDELIM@16:1\"}}\" EOF@18:1\"\"",
    /* 15 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" DOT@3:1\".\" SPACE@4:1\" \" RDELIM@5:1\"}}\""
          " LDELIM@7:1\"{{\" SPACE@9:1\" \" DOT@10:1\".\" RDELIM@11:1\"}}\" LDELIM@13:1\"{{\""
          " DOT@15:1\".\" RDELIM@16:1\"}}\" LDELIM@18:1\"{{\" FIELD@20:1\".a\" FIELD@22:1\".b\""
          " RDELIM@24:1\"}}\" EOF@26:1\"\"",
    /* 16 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" VARIABLE@3:1\"$\" SPACE@4:1\" \" RDELIM@5:1\"}}\""
          " LDELIM@7:1\"{{\" SPACE@9:1\" \" VARIABLE@10:1\"$\" FIELD@11:1\".a\" SPACE@13:1\" \""
          " RDELIM@14:1\"}}\" LDELIM@16:1\"{{\" SPACE@18:1\" \" VARIABLE@19:1\"$x\" FIELD@21:1\".y\""
          " SPACE@23:1\" \" RDELIM@24:1\"}}\" LDELIM@26:1\"{{\" VARIABLE@28:1\"$\" RDELIM@29:1\"}}\""
          " EOF@31:1\"\"",
    /* 17 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" PIPE@5:1\"|\" SPACE@6:1\" \" IDENT@7:1\"b\""
          " RDELIM@8:1\"}}\" LDELIM@10:1\"{{\" FIELD@12:1\".a\" PIPE@14:1\"|\" IDENT@15:1\"b\""
          " RDELIM@16:1\"}}\" EOF@18:1\"\"",
    /* 18 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" LPAREN@3:1\"(\" FIELD@4:1\".a\" RPAREN@6:1\")\""
          " SPACE@7:1\" \" RDELIM@8:1\"}}\" LDELIM@10:1\"{{\" SPACE@12:1\" \" LPAREN@13:1\"(\""
          " IDENT@14:1\"print\" SPACE@19:1\" \" LPAREN@20:1\"(\" IDENT@21:1\"len\" SPACE@24:1\" \""
          " FIELD@25:1\".b\" RPAREN@27:1\")\" RPAREN@28:1\")\" SPACE@29:1\" \" RDELIM@30:1\"}}\""
          " EOF@32:1\"\"",
    /* 19 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" LPAREN@3:1\"(\" SPACE@4:1\" \""
          " ERROR@5:1\"unclosed left paren\"",
    /* 20 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unexpected right paren\"",
    /* 21 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".\\xc3\\xa9t\\xc3\\xa9\" SPACE@9:1\" \""
          " RDELIM@10:1\"}}\" LDELIM@12:1\"{{\" SPACE@14:1\" \" IDENT@15:1\"h\\xc3\\xa9llo\""
          " SPACE@21:1\" \" RDELIM@22:1\"}}\" LDELIM@24:1\"{{\" SPACE@26:1\" \""
          " IDENT@27:1\"\\xc3\\xa9\" SPACE@29:1\" \" RDELIM@30:1\"}}\" LDELIM@32:1\"{{\""
          " SPACE@34:1\" \" VARIABLE@35:1\"$\\xc3\\xa9\" SPACE@38:1\" \" RDELIM@39:1\"}}\" EOF@41:1\"\"",
    /* 22 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \""
          " ERROR@3:1\"unrecognized character in action: U+FFFD '\\xef\\xbf\\xbd'\"",
    /* 23 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"bad character U+FFFD '\\xef\\xbf\\xbd'\"",
    /* 24 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"bad character U+FFFD '\\xef\\xbf\\xbd'\"",
    /* 25 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"bad character U+002D '-'\"",
    /* 26 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"bad character U+0001\"",
    /* 27 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unrecognized character in action: U+0001\"",
    /* 28 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"unrecognized character in action: U+007F\"",
    /* 29 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" ERROR@3:1\"expected :=\"",
    /* 30 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" SPACE@5:1\" \" CHAR@6:1\"}\" SPACE@7:1\" \""
          " RDELIM@8:1\"}}\" LDELIM@10:1\"{{\" SPACE@12:1\" \" FIELD@13:1\".a\" RDELIM@15:1\"}}\""
          " TEXT@17:1\"}\" EOF@18:1\"\"",
    /* 31 */ "TEXT@12:2\"x\" TEXT@32:3\"y\" EOF@33:3\"\"",
    /* 32 */ "ERROR@2:1\"comment ends before closing delimiter\"",
    /* 33 */ "ERROR@2:1\"unclosed comment\"",
    /* 34 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" SPACE@5:1\"\\n\" FIELD@6:2\".b\""
          " SPACE@8:2\" \" RDELIM@9:2\"}}\" EOF@11:2\"\"",
    /* 35 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" SPACE@5:1\" \" RDELIM@8:2\"}}\""
          " TEXT@12:4\"z\" EOF@13:4\"\"",
    /* 36 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" SPACE@5:1\"  \" RDELIM@9:1\"}}\""
          " TEXT@13:1\"z\" EOF@14:1\"\"",
    /* 37 */ "LDELIM@0:1\"{{\" RDELIM@4:1\"}}\" TEXT@6:1\"x\" EOF@7:1\"\"",
    /* 38 */ "LDELIM@0:1\"{{\" NUMBER@4:1\"-\" RDELIM@5:1\"}}\" EOF@7:1\"\"",
    /* 39 */ "LDELIM@0:1\"{{\" FIELD@4:2\".a\" RDELIM@8:3\"}}\" EOF@10:3\"\"",
    /* 40 */ "TEXT@0:1\"x\" LDELIM@1:1\"{{\" ERROR@3:1\"unclosed action\"",
    /* 41 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" ERROR@5:1\"unclosed action\"",
    /* 42 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" NUMBER@3:1\".\" ERROR@4:1\"unclosed action\"",
    /* 43 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" NUMBER@3:1\"1\" ERROR@4:1\"unclosed action\"",
    /* 44 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" VARIABLE@3:1\"$\" ERROR@4:1\"unclosed action\"",
    /* 45 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" IDENT@3:1\"abc\" ERROR@6:1\"unclosed action\"",
    /* 46 */ "TEXT@0:1\"text only\\nline2\\n\" EOF@16:3\"\"",
    /* 47 */ "EOF@0:1\"\"",
    /* 48 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" NIL@3:1\"nil\" SPACE@6:1\" \" RDELIM@7:1\"}}\""
          " LDELIM@9:1\"{{\" SPACE@11:1\" \" WITH@12:1\"with\" SPACE@16:1\" \" FIELD@17:1\".x\""
          " SPACE@19:1\" \" RDELIM@20:1\"}}\" LDELIM@22:1\"{{\" SPACE@24:1\" \" END@25:1\"end\""
          " SPACE@28:1\" \" RDELIM@29:1\"}}\" LDELIM@31:1\"{{\" SPACE@33:1\" \" DEFINE@34:1\"define\""
          " SPACE@40:1\" \" STRING@41:1\"\\\"t\\\"\" SPACE@44:1\" \" RDELIM@45:1\"}}\" LDELIM@47:1\"{{\""
          " SPACE@49:1\" \" END@50:1\"end\" SPACE@53:1\" \" RDELIM@54:1\"}}\" LDELIM@56:1\"{{\""
          " SPACE@58:1\" \" TEMPLATE@59:1\"template\" SPACE@67:1\" \" STRING@68:1\"\\\"t\\\"\""
          " SPACE@71:1\" \" RDELIM@72:1\"}}\" LDELIM@74:1\"{{\" SPACE@76:1\" \" BLOCK@77:1\"block\""
          " SPACE@82:1\" \" STRING@83:1\"\\\"b\\\"\" SPACE@86:1\" \" DOT@87:1\".\" SPACE@88:1\" \""
          " RDELIM@89:1\"}}\" LDELIM@91:1\"{{\" SPACE@93:1\" \" END@94:1\"end\" SPACE@97:1\" \""
          " RDELIM@98:1\"}}\" EOF@100:1\"\"",
    /* 49 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" IDENT@3:1\"truex\" SPACE@8:1\" \" IDENT@9:1\"falsey\""
          " SPACE@15:1\" \" IDENT@16:1\"endx\" SPACE@20:1\" \" IDENT@21:1\"ifx\" SPACE@24:1\" \""
          " IDENT@25:1\"_a\" SPACE@27:1\" \" IDENT@28:1\"a_1\" SPACE@31:1\" \" RDELIM@32:1\"}}\""
          " EOF@34:1\"\"",
    /* 50 */ "TEXT@0:1\"line1\\nline2\\nline3 is long enough\" LDELIM@37:5\"{{\" FIELD@41:5\".x\""
          " SPACE@43:5\" \" RDELIM@44:5\"}}\""
          " TEXT@46:5\"\\n  tail text longer than sixteen bytes\\n\" EOF@85:7\"\"",
    /* 51 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" CHAR@5:1\",\" FIELD@6:1\".b\" SPACE@8:1\" \""
          " RDELIM@9:1\"}}\" LDELIM@11:1\"{{\" SPACE@13:1\" \" FIELD@14:1\".a\""
          " ERROR@16:1\"expected :=\"",
    /* 52 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" NUMBER@3:1\"-1\" SPACE@5:1\" \" RDELIM@6:1\"}}\""
          " LDELIM@8:1\"{{\" SPACE@10:1\" \" NUMBER@11:1\"-\" SPACE@12:1\" \" RDELIM@13:1\"}}\""
          " LDELIM@15:1\"{{\" SPACE@17:1\" \" NUMBER@18:1\"+\" SPACE@19:1\" \" RDELIM@20:1\"}}\""
          " LDELIM@22:1\"{{\" SPACE@24:1\" \" ERROR@25:1\"bad number syntax: \\\"1+\\\"\"",
    /* 53 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" CHAR@3:1\"{\" CHAR@4:1\"{\" SPACE@5:1\" \" RDELIM@6:1\"}}\""
          " EOF@8:1\"\"",
    /* 54 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" STRING@3:1\"\\\"a\\\"\" SPACE@6:1\" \" RDELIM@7:1\"}}\""
          " LDELIM@9:1\"{{\" SPACE@11:1\" \" CHARCONST@12:1\"'b'\" SPACE@15:1\" \" RDELIM@16:1\"}}\""
          " LDELIM@18:1\"{{\" SPACE@20:1\" \" CHARCONST@21:1\"'\\\\''\" SPACE@25:1\" \""
          " RDELIM@26:1\"}}\" LDELIM@28:1\"{{\" SPACE@30:1\" \" STRING@31:1\"\\\"\\xc3\\xa9\\xff\\\"\""
          " SPACE@36:1\" \" RDELIM@37:1\"}}\" EOF@39:1\"\"",
    /* 55 */ "LDELIM@0:1\"{{\" SPACE@2:1\"\\x0d\\n\" FIELD@4:2\".a\" SPACE@6:2\"\\x0d\\n\" RDELIM@8:3\"}}\""
          " EOF@10:3\"\"",
    /* 56 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" FIELD@3:1\".a\" SPACE@5:1\" \" RDELIM@6:1\"}}\""
          " TEXT@8:1\"\\n\" LDELIM@9:2\"{{\" SPACE@11:2\" \" FIELD@12:2\".b\" SPACE@14:2\" \""
          " RDELIM@15:2\"}}\" LDELIM@17:2\"{{\" SPACE@19:2\" \" END@20:2\"end\" SPACE@23:2\" \""
          " RDELIM@24:2\"}}\" EOF@26:2\"\"",
    /* 57 */ "TEXT@11:1\"abc\\n\" LDELIM@15:2\"{{\" SPACE@17:2\" \" FIELD@18:2\".y\" SPACE@20:2\" \""
          " RDELIM@21:2\"}}\" LDELIM@23:2\"{{\" SPACE@25:2\" \" END@26:2\"end\" SPACE@29:2\" \""
          " RDELIM@30:2\"}}\" EOF@32:2\"\"",
    /* 58 */ "LDELIM@15:2\"{{\" SPACE@17:2\" \" FIELD@18:2\".y\" SPACE@20:2\" \" RDELIM@21:2\"}}\""
          " LDELIM@23:2\"{{\" SPACE@25:2\" \" END@26:2\"end\" SPACE@29:2\" \" RDELIM@30:2\"}}\""
          " EOF@32:2\"\"",
    /* 59 */ "LDELIM@0:1\"{{\" SPACE@2:1\" \" STRING@3:1\"\\\"nul\\x00\\\"\" SPACE@9:1\" \" RDELIM@10:1\"}}\""
          " LDELIM@12:1\"{{\" SPACE@14:1\" \""
          " ERROR@15:1\"unrecognized character in action: U+0000\"",
    /* 60 */ "TEXT@0:1\"0123456789abcdefghij\" LDELIM@20:1\"{{\" SPACE@22:1\" \" FIELD@23:1\".a\""
          " RDELIM@27:1\"}}\" TEXT@31:3\"ab\\ncd\" LDELIM@36:4\"{{\" SPACE@38:4\" \" FIELD@39:4\".b\""
          " SPACE@41:4\" \" RDELIM@42:4\"}}\" TEXT@44:4\"\\n\" LDELIM@45:5\"{{\" SPACE@47:5\" \""
          " RAWSTRING@48:5\"`x\\ny`\" RDELIM@55:6\"}}\" TEXT@59:7\"z\" EOF@60:7\"\"",
};

static void items_as_before(void **state)
{
    (void)state;
    assert_int_equal(sizeof lex_cases / sizeof *lex_cases, sizeof lex_expect / sizeof *lex_expect);
    for (size_t i = 0; i < sizeof lex_cases / sizeof *lex_cases; i++) {
        const struct lex_case *c = &lex_cases[i];
        arena *a = arena_new();
        tl_lexer l;
        tmpl_lex_init(&l, a, c->text, c->len);
        l.break_ok = l.continue_ok = c->brk;
        if (c->jump >= 0)
            tmpl_lex_jump(&l, (size_t)c->jump, c->jline);
        strbuf sb = STRBUF_INIT;
        dump_items(&sb, &l, tmpl_lex_next);
        if (strcmp(sb_str(&sb), lex_expect[i]) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, sb_str(&sb), lex_expect[i]);
        sb_release(&sb);
        arena_free(a);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(items_as_before),
};

UNIT_MAIN(tests)
