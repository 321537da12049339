/* pgp_int.h — what the pgp_*.c files share: the packet reader, MPIs, and
 * the OpenSSL keys made from OpenPGP ones. Not for use outside core/pgp_*.c. */
#ifndef CAPSTAN_PGP_INT_H
#define CAPSTAN_PGP_INT_H

#include "core/pgp.h"

#include <openssl/evp.h>

typedef struct pgp_reader {
    const unsigned char *data;
    size_t len, pos;
} pgp_reader;

typedef struct pgp_packet {
    int tag;
    const unsigned char *body;
    size_t len;
} pgp_packet;

/* The next packet: 1, 0 at the end, -1 (err) when malformed. */
int pgp_packet_next(pgp_reader *rd, pgp_packet *p, cap_err *err);
/* An MPI's whole length at p (n available), 0 when truncated. */
size_t pgp_mpi_len(const unsigned char *p, size_t n);
/* "openpgp: invalid data: WHAT"; returns -1. */
int pgp_invalid(cap_err *err, const char *what);

static inline unsigned long pgp_be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Check and keep the secret MPIs of k (data: MPIs then a 2-byte sum, or a
 * 20-byte SHA-1 when sha1). */
int pgp_secret_plain(pgp_key *k, const unsigned char *data, size_t len, bool sha1, cap_err *err);

/* The name of a public-key algorithm, for errors ("RSA", "EdDSA", or its number). */
const char *pgp_algo_name(int algo, char buf[16]);

/* The OpenSSL digest of an OpenPGP hash algorithm (SHA-1, SHA-2), NULL for others. */
const EVP_MD *pgp_hash_md(int id);

#endif
