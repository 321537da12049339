/* chart_prov.c — helm's provenance files (chart_prov.h): VerifyChart and
 * Signatory.Verify, Package.Clearsign and messageBlock, over core/pgp. */
#include "renderer/chart/chart_prov.h"
#include "renderer/chart/chart.h"
#include "core/arena.h"
#include "core/digest.h"
#include "core/fsutil.h"
#include "core/pgp.h"
#include "core/value.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

char *chart_prov_default_keyring(void)
{
    strbuf sb = STRBUF_INIT;
    const char *gh = getenv("GNUPGHOME"), *home = getenv("HOME");
    if (gh)
        sb_addf(&sb, "%s/pubring.gpg", gh);
    else
        sb_addf(&sb, "%s/.gnupg/pubring.gpg", home ? home : "");
    return sb_detach(&sb, NULL);
}

/* "stat P: no such file or directory", as Go's os.Stat error */
static int stat_go(const char *path, struct stat *st, cap_err *err)
{
    if (stat(path, st) == 0)
        return 0;
    char why[128];
    return cap_err_set(err, "stat %s: %s", path, fsu_errno_text(errno, why, sizeof why));
}

static int keyring_load(arena *a, const char *path, pgp_keyring **ring, cap_err *err)
{
    char *data;
    size_t len;
    if (fsu_read_go(a, path, &data, &len, err) != 0)
        return -1;
    return pgp_keyring_parse(data, len, ring, err);
}

/* Signatory.Verify: the signature, then the file's sum in the message block. */
static int verify_block(arena *a, const pgp_keyring *ring, const char *data, size_t len, const char *prov,
                        size_t provlen, const char *name, strbuf *report, cap_err *err)
{
    strbuf text = STRBUF_INIT, canon = STRBUF_INIT, sig = STRBUF_INIT;
    const pgp_entity *by = NULL;
    int rc = pgp_clearsign_decode(prov, provlen, &text, &canon, &sig);
    if (rc != 0)
        rc = cap_err_set(err, "signature block not found");
    if (rc == 0)
        rc = pgp_verify(ring, canon.buf, canon.len, sig.buf, sig.len, &by, err);
    char hex[2 * DIGEST_MAX_SIZE + 1];
    digest_hex(DIGEST_SHA256, data, len, hex);
    const char *t = sb_str(&text), *cut = rc == 0 ? strstr(t, "\n...\n") : NULL;
    if (rc == 0 && !cut)
        rc = cap_err_set(err, "message block must have at least two parts");
    cval *sums = NULL;
    if (rc == 0) {
        const char *part = cut + 5, *next = strstr(part, "\n...\n");
        size_t plen = next ? (size_t)(next - part) : strlen(part);
        rc = yaml_parse(a, part, plen, "", &sums, err);
    }
    if (rc == 0) {
        const char *sha = cv_get_str(cv_get(sums, "files"), name);
        if (!sha)
            rc = cap_err_set(err, "provenance does not contain a SHA for a file named \"%s\"", name);
        else if (strncmp(sha, "sha256:", 7) != 0 || strcmp(sha + 7, hex) != 0)
            rc = cap_err_set(err, "sha256 sum does not match for %s: \"%s\" != \"sha256:%s\"", name, sha, hex);
    }
    if (rc == 0) {
        for (size_t i = 0; i < by->nids; i++)
            sb_addf(report, "Signed by: %s\n", by->ids[i]);
        sb_adds(report, "Using Key With Fingerprint: ");
        for (int i = 0; i < 20; i++)
            sb_addf(report, "%02X", by->primary.fpr[i]);
        sb_addf(report, "\nChart Hash Verified: sha256:%s\n", hex);
    }
    sb_release(&text);
    sb_release(&canon);
    sb_release(&sig);
    return rc;
}

int chart_prov_verify(const char *archive, const char *prov, const char *keyring, strbuf *report, cap_err *err)
{
    struct stat st;
    if (stat_go(archive, &st, err) != 0)
        return -1;
    if (S_ISDIR(st.st_mode))
        return cap_err_set(err, "unpacked charts cannot be verified");
    const char *dot = strrchr(base_name(archive), '.');
    if (!dot || strcasecmp(dot, ".tgz") != 0)
        return cap_err_set(err, "chart must be a tgz file");
    if (stat_go(prov, &st, err) != 0) {
        cap_err_prefix(err, "could not load provenance file %s", prov);
        return -1;
    }
    arena *a = arena_new();
    pgp_keyring *ring = NULL;
    char *data = NULL, *provdata = NULL;
    size_t len = 0, provlen = 0;
    int rc = keyring_load(a, keyring, &ring, err);
    if (rc != 0)
        cap_err_prefix(err, "failed to load keyring");
    if (rc == 0 && (rc = fsu_read_go(a, archive, &data, &len, err)) != 0)
        cap_err_prefix(err, "failed to read chart archive");
    if (rc == 0 && (rc = fsu_read_go(a, prov, &provdata, &provlen, err)) != 0)
        cap_err_prefix(err, "failed to read provenance file");
    if (rc == 0)
        rc = verify_block(a, ring, data, len, provdata, provlen, base_name(archive), report, err);
    pgp_keyring_free(ring);
    arena_free(a);
    return rc;
}

/* messageBlock: the metadata as helm marshals it, "...", the archive's sum */
static int message_block(arena *a, const char *archive, const char *data, size_t len, strbuf *out, cap_err *err)
{
    chart *c;
    if (chart_load(a, archive, &c, err) != 0) {
        cap_err_prefix(err, "failed to load chart for signing");
        return -1;
    }
    if (yaml_emit(out, chart_meta_to_json(a, c->meta), err) != 0)
        return -1;
    sb_adds(out, "\n...\n");
    char hex[2 * DIGEST_MAX_SIZE + 1];
    digest_hex(DIGEST_SHA256, data, len, hex);
    cval *files = cv_map_new(a), *sums = cv_map_new(a);
    cv_map_set(files, base_name(archive), cv_cstring(a, arena_printf(a, "sha256:%s", hex)));
    cv_map_set(sums, "files", files);
    return yaml_emit(out, sums, err);
}

/* Signatory.DecryptKey: the primary key's secret, unlocked */
static int unlock(pgp_entity *e, chart_prov_passphrase_fn pass, void *ctx, cap_err *err)
{
    if (!e)
        return cap_err_set(err, "private key not found");
    if (!e->primary.secret)
        return cap_err_set(err, "provided key is not a private key. Try providing a keyring with secret keys");
    if (!e->primary.locked)
        return 0;
    const char *name = "Unknown";
    for (size_t i = 0; i < e->nids && strcmp(name, "Unknown") == 0; i++)
        if (*e->ids[i])
            name = e->ids[i];
    char *p = pass ? pass(ctx, name, err) : NULL;
    if (!p)
        return pass ? -1 : cap_err_set(err, "the key is protected by a passphrase: use --passphrase-file");
    int rc = pgp_key_unlock(&e->primary, p, strlen(p), err);
    memset(p, 0, strlen(p));
    free(p);
    return rc;
}

int chart_prov_sign(const char *archive, const char *keyring, const char *key, chart_prov_passphrase_fn pass,
                    void *pass_ctx, cap_err *err)
{
    arena *a = arena_new();
    pgp_keyring *ring = NULL;
    pgp_entity *e = NULL;
    char *data = NULL;
    size_t len = 0;
    strbuf block = STRBUF_INIT, doc = STRBUF_INIT;
    int rc = keyring_load(a, keyring, &ring, err);
    if (rc == 0 && key && *key)
        rc = pgp_keyring_find(ring, key, &e, err);
    if (rc == 0)
        rc = unlock(e, pass, pass_ctx, err);
    if (rc == 0 && (rc = fsu_read_go(a, archive, &data, &len, err)) != 0)
        cap_err_prefix(err, "failed to read chart archive");
    if (rc == 0)
        rc = message_block(a, archive, data, len, &block, err);
    if (rc == 0)
        rc = pgp_clearsign(&e->primary, block.buf, block.len, (long long)time(NULL), &doc, err);
    if (rc == 0) {
        char *path = arena_printf(a, "%s.prov", archive);
        rc = fsu_write_atomic(path, doc.buf, doc.len, 0644, err);
    }
    sb_release(&block);
    sb_release(&doc);
    pgp_keyring_free(ring);
    arena_free(a);
    return rc;
}
