/* dep_int.h — internals shared by the dep_*.c files (not a public API). */
#ifndef CAPSTAN_DEP_INT_H
#define CAPSTAN_DEP_INT_H

#include "core/arena.h"
#include "renderer/chart/chart.h"
#include "core/err.h"
#include "core/strbuf.h"

/* A locked dependency: Chart.lock's {name, repository, version}. */
typedef struct dep_locked {
    const char *name, *repository, *version;
} dep_locked;

/* Chart.yaml (+ requirements.yaml for v1) and the lock of a chart directory. */
typedef struct dep_chart {
    const char *dir;
    chart_meta *meta;
    bool v1;                 /* apiVersion v1: requirements.lock */
    bool has_lock;
    const char *lock_digest;
    dep_locked *lock;
    size_t nlock;
} dep_chart;

int dep_read_chart(arena *a, const char *dir, dep_chart *out, cap_err *err);

/* json.Marshal of []*chart.Dependency (Go's field order, omitempty). */
void dep_json_reqs(strbuf *out, chart_dep **deps, size_t n);
void dep_json_locked(strbuf *out, const dep_locked *deps, size_t n);
/* "sha256:" + hex (72 bytes with NUL). */
void dep_sha256_hex(const void *data, size_t len, char out[65]);

/* Write Chart.lock (or requirements.lock) as helm writes it, generated now. */
int dep_write_lock(const dep_chart *c, const char *digest, const dep_locked *deps, size_t n, cap_err *err);

/* Pack the chart directory dir into the archive dest (NAME/ prefix). */
int dep_package_dir(const char *dir, const char *name, const char *dest, cap_err *err);

/* The chart name and version inside archive/directory path; -1 when it is not a chart. */
int dep_peek_chart(arena *a, const char *path, const char **name, const char **version, cap_err *err);

#endif
