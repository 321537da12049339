/* prov_api.c — the provenance entry points of capstan.h: capstan_chart_verify
 * (`helm verify`), capstan_default_keyring, and the signing step of
 * capstan_package (--sign, --key, --keyring, --passphrase-file). */
#include "capstan.h"
#include "renderer/chart/chart_prov.h"
#include "renderer/chart/prov_int.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *capstan_default_keyring(void)
{
    return chart_prov_default_keyring();
}

int capstan_chart_verify(const char *chart_tgz, const char *keyring, char **report, capstan_error *perr)
{
    cap_err err = CAP_ERR_INIT;
    char *dflt = keyring ? NULL : capstan_default_keyring();
    strbuf out = STRBUF_INIT, prov = STRBUF_INIT;
    sb_addf(&prov, "%s.prov", chart_tgz);
    int rc = chart_prov_verify(chart_tgz, prov.buf, keyring ? keyring : dflt, &out, &err);
    free(dflt);
    sb_release(&prov);
    *report = rc == 0 ? sb_detach(&out, NULL) : NULL;
    sb_release(&out);
    return rc == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EUSAGE);
}

/* Package.passphraseFileFetcher: the file's first line ("-": stdin, which must be a pipe) */
static char *passphrase_from_file(void *ctx, const char *identity, cap_err *err)
{
    (void)identity;
    const char *path = ctx;
    FILE *f = stdin;
    if (strcmp(path, "-") == 0) {
        struct stat st;
        if (fstat(0, &st) != 0 || !S_ISFIFO(st.st_mode)) {
            cap_err_set(err, "specified reading passphrase from stdin, without input on stdin");
            return NULL;
        }
    } else if (!(f = fopen(path, "r"))) {
        cap_err_set(err, "open %s: no such file or directory", path);
        return NULL;
    }
    strbuf line = STRBUF_INIT;
    int c;
    while ((c = getc(f)) != EOF && c != '\n' && line.len < 4096)
        sb_addc(&line, (char)c);
    bool empty = c == EOF && line.len == 0;
    if (f != stdin)
        fclose(f);
    if (empty) {
        sb_release(&line);
        cap_err_set(err, "EOF");
        return NULL;
    }
    if (line.len && line.buf[line.len - 1] == '\r')
        sb_setlen(&line, line.len - 1);
    return sb_detach(&line, NULL);
}

typedef struct ask_ctx {
    char *(*fn)(void *ctx, const char *identity);
    void *ctx;
} ask_ctx;

static char *passphrase_asked(void *ctx, const char *identity, cap_err *err)
{
    ask_ctx *a = ctx;
    char *p = a->fn(a->ctx, identity);
    if (!p)
        cap_err_set(err, "no passphrase for key \"%s\"", identity);
    return p;
}

int prov_package_sign(const char *archive, const capstan_package_opts *o, cap_err *err)
{
    if (!o->key || !*o->key)
        return cap_err_coded(err, CAPSTAN_EUSAGE, "--key is required for signing a package");
    char *dflt = o->keyring && *o->keyring ? NULL : capstan_default_keyring();
    ask_ctx ask = {o->passphrase, o->passphrase_ctx};
    int rc;
    if (o->passphrase_file && *o->passphrase_file)
        rc = chart_prov_sign(archive, dflt ? dflt : o->keyring, o->key, passphrase_from_file,
                             (void *)o->passphrase_file, err);
    else
        rc = chart_prov_sign(archive, dflt ? dflt : o->keyring, o->key, o->passphrase ? passphrase_asked : NULL,
                             &ask, err);
    free(dflt);
    return rc;
}
