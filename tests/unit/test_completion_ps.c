/* test_completion_ps.c — `capstan completion powershell`, tested by its text: no
 * PowerShell can be installed from the package registries this project reaches
 * (Debian has no pwsh; PyPI's and npm's "pwsh" packages download it at install time),
 * so the script is checked as a program text: it registers a native completer for
 * capstan that calls `capstan __complete`, handles every directive bit of cobra's
 * protocol, its brackets and quotes balance, every variable it reads is one it sets
 * (or PowerShell's own), and --no-descriptions switches the descriptions off. */
#include "unit.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

static char *run(const char *args)
{
    const char *b = getenv("CAPSTAN_BUILDDIR");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s/capstan' completion %s", b && *b ? b : ".", args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sb_add(&sb, buf, n);
    assert_int_equal(pclose(p), 0);
    return sb_detach(&sb, NULL);
}

/* The script with strings and comments blanked out (kept: their length), so that
 * brackets and code can be looked at alone; strings in *strings, NUL-separated. */
static char *code_only(const char *s, bool *ok)
{
    size_t n = strlen(s);
    char *c = strdup(s);
    *ok = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '#') {
            while (i < n && s[i] != '\n')
                c[i++] = ' ';
        } else if (s[i] == '\'') { /* '...', '' inside is a quote */
            c[i++] = ' ';
            while (i < n && !(s[i] == '\'' && s[i + 1] != '\'')) {
                if (s[i] == '\'')
                    c[i++] = ' ';
                if (s[i] == '\n')
                    *ok = false; /* no string of this script spans lines */
                c[i++] = ' ';
            }
            if (i >= n)
                *ok = false;
            else
                c[i] = ' ';
        } else if (s[i] == '"') { /* "...", ` escapes; $(...) and $x inside are kept as code */
            c[i++] = ' ';
            while (i < n && s[i] != '"') {
                if (s[i] == '`') {
                    c[i++] = ' ';
                } else if (s[i] == '$' && s[i + 1] == '(') {
                    int depth = 0;
                    do {
                        depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
                        i++;
                    } while (i < n && depth > 0);
                    continue;
                } else if (s[i] == '$' && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '_')) {
                    i++;
                    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':'))
                        i++;
                    continue;
                }
                if (s[i] == '\n')
                    *ok = false;
                c[i++] = ' ';
            }
            if (i >= n)
                *ok = false;
            else
                c[i] = ' ';
        } else if (s[i] == '`') { /* a backtick outside strings escapes the next character */
            c[i++] = ' ';
            c[i] = ' ';
        }
    }
    return c;
}

static void balanced(const char *code)
{
    char stack[256];
    int top = 0;
    int line = 1;
    for (const char *p = code; *p; p++) {
        if (*p == '\n')
            line++;
        if (*p == '{' || *p == '(' || *p == '[') {
            assert_true(top < 256);
            stack[top++] = *p;
        } else if (*p == '}' || *p == ')' || *p == ']') {
            char want = *p == '}' ? '{' : *p == ')' ? '(' : '[';
            if (top == 0 || stack[top - 1] != want)
                fail_msg("unbalanced '%c' at line %d", *p, line);
            top--;
        }
    }
    assert_int_equal(top, 0);
}

/* Every $name read is set somewhere ($name =, +=, param(...), foreach ($name in,
 * a typed function parameter) or is PowerShell's own. */
static void variables_defined(const char *code)
{
    static const char *const builtin[] = {"true", "false", "null", "_", "Matches", "PSVersionTable",
                                          "PSNativeCommandArgumentPassing", "env", NULL};
    for (const char *p = code; (p = strchr(p, '$')) != NULL; p++) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        size_t len = (size_t)(q - p - 1);
        if (len == 0 || *q == ':')
            continue; /* $env:NAME, a regex's $0 */
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, p + 1);
        bool known = false;
        for (int i = 0; builtin[i]; i++)
            known = known || strcmp(name, builtin[i]) == 0;
        char pat[4][80];
        snprintf(pat[0], sizeof pat[0], "$%s = ", name);
        snprintf(pat[1], sizeof pat[1], "$%s, ", name); /* param($a, $b, ...) */
        snprintf(pat[2], sizeof pat[2], "foreach ($%s in", name);
        snprintf(pat[3], sizeof pat[3], "]$%s)", name); /* function f([string]$x) */
        for (int i = 0; i < 4 && !known; i++)
            known = strstr(code, pat[i]) != NULL;
        char last_param[80];
        snprintf(last_param, sizeof last_param, "$%s)", name);
        known = known || (strstr(code, "param(") && strstr(strstr(code, "param("), last_param));
        if (!known)
            fail_msg("$%s is read but never set", name);
    }
}

static void test_structure(void **state)
{
    (void)state;
    char *s = run("powershell");
    assert_non_null(strstr(s, "Register-ArgumentCompleter -Native -CommandName 'capstan' -ScriptBlock {"));
    assert_non_null(strstr(s, "param($wordToComplete, $commandAst, $cursorPosition)"));
    assert_non_null(strstr(s, "& $program __complete @before $request"));
    assert_non_null(strstr(s, "[System.Management.Automation.CompletionResult]::new("));
    assert_non_null(strstr(s, "$descriptions = $true"));
    /* cobra's directive bits, each handled */
    static const char *const bits[] = {"-band 1)", "-band 2)", "-band 4)", "-band 8)", "-band 16)", "-band 32)"};
    for (size_t i = 0; i < sizeof bits / sizeof *bits; i++)
        if (!strstr(s, bits[i]))
            fail_msg("directive bit \"%s\" not handled", bits[i]);
    /* --flag=VALUE and the empty word of old PowerShells */
    assert_non_null(strstr(s, "-like '--*=*'"));
    assert_non_null(strstr(s, "$request = '\"\"'"));
    bool ok;
    char *code = code_only(s, &ok);
    assert_true(ok);
    balanced(code);
    variables_defined(code);
    free(code);
    free(s);
}

static void test_no_descriptions(void **state)
{
    (void)state;
    char *with = run("powershell"), *without = run("powershell --no-descriptions");
    assert_non_null(strstr(without, "$descriptions = $false"));
    assert_null(strstr(without, "$descriptions = $true"));
    /* only that line differs */
    size_t a = strlen(with), b = strlen(without);
    assert_int_equal(a + 1, b);
    free(with);
    free(without);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_no_descriptions),
    };
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
