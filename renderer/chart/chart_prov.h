/* chart_prov.h — helm's provenance files (pkg/provenance, downloader.VerifyChart):
 * NAME-VERSION.tgz.prov is an OpenPGP clear-signed message block, the chart's
 * metadata (Chart.yaml as helm marshals it), a "..." line, then
 *     files:
 *       NAME-VERSION.tgz: sha256:HEX
 * Verifying checks the signature against a binary keyring, then the archive's
 * SHA-256 against the block. Errors carry helm's words.
 *
 * No network. Ownership: the caller's strbufs; nothing else is kept.
 */
#ifndef CAPSTAN_CHART_PROV_H
#define CAPSTAN_CHART_PROV_H

#include "core/err.h"
#include "core/strbuf.h"

/* helm's VerifyChart(path, prov, keyring): the checks on the files first
 * ("unpacked charts cannot be verified", "chart must be a tgz file", "could not
 * load provenance file ...", "failed to load keyring: ..."), then the signature
 * and the hash. On success the lines helm's verify prints are appended to
 * report ("Signed by: ...", "Using Key With Fingerprint: ...", "Chart Hash
 * Verified: sha256:..."). */
int chart_prov_verify(const char *archive, const char *prov, const char *keyring, strbuf *report, cap_err *err);

/* helm's defaultKeyring: $GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg (malloc'd). */
char *chart_prov_default_keyring(void);

/* The passphrase of a locked key, asked for the key's first identity: a
 * malloc'd string, or NULL with err set. */
typedef char *(*chart_prov_passphrase_fn)(void *ctx, const char *identity, cap_err *err);

/* helm package --sign: ARCHIVE.prov next to the archive, signed with the
 * secret key named key in keyring (helm's NewFromKeyring and DecryptKey). */
int chart_prov_sign(const char *archive, const char *keyring, const char *key, chart_prov_passphrase_fn pass,
                    void *pass_ctx, cap_err *err);

#endif
