/* golden_runner — run capstan on every golden case and compare with helm.
 *
 * Cases: $CAPSTAN_SRCDIR/tests/golden/cases/<suite>.json (template cases, each
 * materialised as a chart in a temp dir) and tests/golden/expected/<name>.json
 * (runs over the committed chart tests/golden/charts/<name>/, suite "charts").
 * The program under test is $CAPSTAN_BUILDDIR/capstan, run as
 * `capstan template ARGS` with posix_spawn, stdin fed, stdout and stderr
 * captured, killed after GOLDEN_TIMEOUT seconds (default 20).
 * Comparison rules: tests/golden/README.md.
 *
 * Environment:
 *   GOLDEN_FILTER   comma-separated patterns: SUITE or SUITE/NAME, shell globs
 *                   allowed (e.g. "yaml", "fmt/set-*", "charts/basic*")
 *   GOLDEN          "0" skips everything (prints 0 passed, 0 failed), "1" runs;
 *                   unset: runs unless built with -DGOLDEN_DEFAULT_RUN=0
 *   GOLDEN_DETAILS  how many failures to show in detail (default 20)
 *   GOLDEN_VERBOSE  "1": list the name of every failing case
 * Prints "SUITE: N passed, N failed" per suite, then "N passed, N failed";
 * exits 1 when anything failed.  Links nothing of capstan but jansson. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef GOLDEN_DEFAULT_RUN
#define GOLDEN_DEFAULT_RUN 1
#endif

extern char **environ;

/* ---- small growable byte buffer (own, so nothing of capstan is linked) --- */
typedef struct { char *p; size_t n, cap; } buf;

static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < b->n + n + 1) c *= 2;
		char *q = realloc(b->p, c);
		if (!q) { perror("golden_runner"); exit(2); }
		b->p = q; b->cap = c;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}
static void buf_adds(buf *b, const char *s) { buf_add(b, s, strlen(s)); }
static void buf_free(buf *b) { free(b->p); b->p = NULL; b->n = b->cap = 0; }
static const char *buf_str(buf *b) { if (!b->p) buf_add(b, "", 0); return b->p; }

static void buf_printf(buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0) return;
	buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Replace every "@CHART@" in S (length N) by CHART. */
static void subst_chart(buf *out, const char *s, size_t n, const char *chart)
{
	static const char tok[] = "@CHART@";
	size_t i = 0;
	while (i < n) {
		const char *hit = NULL;
		if (n - i >= sizeof tok - 1)
			hit = memmem(s + i, n - i, tok, sizeof tok - 1);
		if (!hit) { buf_add(out, s + i, n - i); break; }
		buf_add(out, s + i, (size_t)(hit - (s + i)));
		buf_adds(out, chart);
		i = (size_t)(hit - s) + sizeof tok - 1;
	}
}

/* ---- files --------------------------------------------------------------- */
static int mkdirs(const char *path)
{
	char tmp[4096];
	if (strlen(path) >= sizeof tmp) return -1;
	strcpy(tmp, path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/') continue;
		*p = 0;
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
	return 0;
}

static int safe_rel(const char *rel)
{
	if (!*rel || rel[0] == '/') return 0;
	for (const char *p = rel; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0) return 0;
		p += n + (e ? 1 : 0);
	}
	return 1;
}

static int write_file(const char *dir, const char *rel, const char *data, size_t n)
{
	char path[4096];
	if (!safe_rel(rel) || snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path)
		return -1;
	char *slash = strrchr(path, '/');
	*slash = 0;
	if (mkdirs(path) != 0) return -1;
	*slash = '/';
	FILE *f = fopen(path, "wb");
	if (!f) return -1;
	size_t w = fwrite(data, 1, n, f);
	return (fclose(f) == 0 && w == n) ? 0 : -1;
}

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0) return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d))) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
				char sub[4096];
				if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
					rm_rf(sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* ---- running capstan ----------------------------------------------------- */
typedef struct {
	int status;      /* exit status, or 128+signal, or -1 when not started */
	int timed_out;
	buf out, err;
	char spawn_err[256];
} result;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_prog(char **argv, char **envp, const char *cwd, const char *in, size_t in_n,
		     double timeout, result *r)
{
	int pin[2], pout[2], perr[2];
	memset(r, 0, sizeof *r);
	r->status = -1;
	if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC)) {
		snprintf(r->spawn_err, sizeof r->spawn_err, "pipe: %s", strerror(errno));
		return;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	if (cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(pin[0]); close(pout[1]); close(perr[1]);
	if (rc != 0) {
		snprintf(r->spawn_err, sizeof r->spawn_err, "cannot run %s: %s", argv[0], strerror(rc));
		close(pin[1]); close(pout[0]); close(perr[0]);
		return;
	}
	int fds[3] = {pout[0], perr[0], pin[1]};
	buf *bufs[2] = {&r->out, &r->err};
	size_t in_off = 0;
	if (in_n == 0) { close(pin[1]); fds[2] = -1; }
	else fcntl(pin[1], F_SETFL, O_NONBLOCK);
	double deadline = now_s() + timeout;
	while (fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd pf[3];
		int np = 0, map[3];
		for (int i = 0; i < 3; i++) {
			if (fds[i] < 0) continue;
			pf[np].fd = fds[i];
			pf[np].events = i < 2 ? POLLIN : POLLOUT;
			pf[np].revents = 0;
			map[np++] = i;
		}
		double left = deadline - now_s();
		if (left <= 0) { r->timed_out = 1; break; }
		int k = poll(pf, np, (int)(left * 1000) + 1);
		if (k < 0 && errno == EINTR) continue;
		if (k < 0) break;
		for (int j = 0; j < np; j++) {
			int i = map[j];
			if (!pf[j].revents) continue;
			if (i < 2) {
				char tmp[65536];
				ssize_t m = read(fds[i], tmp, sizeof tmp);
				if (m > 0) buf_add(bufs[i], tmp, (size_t)m);
				else if (m == 0 || (errno != EINTR && errno != EAGAIN)) { close(fds[i]); fds[i] = -1; }
			} else {
				ssize_t m = write(fds[2], in + in_off, in_n - in_off);
				if (m > 0) in_off += (size_t)m;
				if ((m < 0 && errno != EAGAIN && errno != EINTR) || in_off >= in_n) {
					close(fds[2]); fds[2] = -1;
				}
			}
		}
	}
	for (int i = 0; i < 3; i++) if (fds[i] >= 0) close(fds[i]);
	if (r->timed_out) kill(-pid, SIGKILL), kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- comparison ---------------------------------------------------------- */

/* The stable part of helm's error (README "Comparison"): the last stderr line
 * that is not blank and not the "Use --debug flag" hint, trimmed, minus a
 * leading "Error: " and a leading location "template: NAME:L:C: " or
 * "NAME:L:C: ". */
static int is_loc(const char *s, const char **after)
{
	/* NAME:L:C: with NAME free of spaces */
	const char *p = s;
	while (*p && *p != ' ' && *p != ':') p++;
	if (p == s || *p != ':') return 0;
	for (int part = 0; part < 2; part++) {
		p++;
		if (*p < '0' || *p > '9') return 0;
		while (*p >= '0' && *p <= '9') p++;
		if (*p != ':') return 0;
	}
	if (p[1] != ' ') return 0;
	*after = p + 2;
	return 1;
}

static char *stable_part(const char *err)
{
	const char *end = err + strlen(err);
	const char *line = NULL; size_t len = 0;
	while (end > err) {
		const char *e = end;
		while (e > err && (e[-1] == '\n' || e[-1] == '\r')) e--;
		const char *b = e;
		while (b > err && b[-1] != '\n') b--;
		const char *t = b;
		while (t < e && (*t == ' ' || *t == '\t')) t++;
		end = b;
		if (t == e) continue;
		if (!strncmp(t, "Use --debug flag", 16)) continue;
		line = t; len = (size_t)(e - t);
		break;
	}
	if (!line) return strdup("");
	char *s = strndup(line, len);
	const char *p = s, *a;
	if (!strncmp(p, "Error: ", 7)) p += 7;
	if (!strncmp(p, "template: ", 10) && is_loc(p + 10, &a)) p = a;
	else if (is_loc(p, &a)) p = a;
	memmove(s, p, strlen(p) + 1);
	return s;
}

/* First lines where EXP and GOT differ, into D. */
static void show_diff(buf *d, const char *what, const char *exp, size_t en, const char *got, size_t gn)
{
	size_t i = 0, line = 1, ls = 0;
	while (i < en && i < gn && exp[i] == got[i]) {
		if (exp[i] == '\n') { line++; ls = i + 1; }
		i++;
	}
	buf_printf(d, "    %s differs at line %zu (expected %zu bytes, got %zu):\n", what, line, en, gn);
	const char *srcs[2] = {exp, got};
	size_t ns[2] = {en, gn};
	const char *tag[2] = {"    - ", "    + "};
	for (int k = 0; k < 2; k++) {
		size_t p = ls;
		for (int l = 0; l < 6 && p < ns[k]; l++) {
			const char *nl = memchr(srcs[k] + p, '\n', ns[k] - p);
			size_t e = nl ? (size_t)(nl - srcs[k]) : ns[k];
			size_t show = e - p > 160 ? 160 : e - p;
			buf_adds(d, tag[k]);
			buf_add(d, srcs[k] + p, show);
			buf_adds(d, show < e - p ? "..." : "");
			buf_adds(d, "\n");
			p = e + 1;
		}
		if (p >= ns[k] && (ns[k] == 0 || srcs[k][ns[k] - 1] != '\n'))
			buf_printf(d, "%s(end, no newline)\n", tag[k]);
	}
}

static void show_text(buf *d, const char *label, const char *s, int maxlines)
{
	buf_printf(d, "    %s:\n", label);
	for (int l = 0; l < maxlines && *s; l++) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		buf_adds(d, "      | ");
		buf_add(d, s, n > 200 ? 200 : n);
		buf_adds(d, "\n");
		s += n + (nl ? 1 : 0);
	}
}

typedef struct {
	const char *capstan;
	char **envp;
	char *tmproot;
	double timeout;
	char **filters; int nfilters;
	int details, verbose;
	int shown, pass, fail;
} runner;

static const char *jstr(json_t *o, const char *k, size_t *n)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_string(v)) { if (n) *n = 0; return NULL; }
	if (n) *n = json_string_length(v);
	return json_string_value(v);
}

static int selected(runner *R, const char *suite, const char *name)
{
	if (!R->nfilters) return 1;
	char full[1024];
	snprintf(full, sizeof full, "%s/%s", suite, name ? name : "");
	for (int i = 0; i < R->nfilters; i++) {
		const char *f = R->filters[i];
		if (!strchr(f, '/')) {
			if (!fnmatch(f, suite, 0)) return 1;
		} else if (name && !fnmatch(f, full, 0)) return 1;
		else if (!name && !strncmp(f, suite, strlen(suite)) && f[strlen(suite)] == '/') return 1;
	}
	return 0;
}

/* Equal, except for the 1-based line numbers listed in `volatile_lines` (lines
 * that differ between two helm runs, such as generated passwords). */
static int same_except(const char *a, size_t an, const char *b, size_t bn, json_t *volatile_lines)
{
	if (!json_is_array(volatile_lines) || json_array_size(volatile_lines) == 0)
		return an == bn && memcmp(a, b, an) == 0;
	size_t ai = 0, bi = 0;
	long line = 1;
	while (ai < an || bi < bn) {
		const char *ae = memchr(a + ai, '\n', an - ai), *be = memchr(b + bi, '\n', bn - bi);
		size_t al = ae ? (size_t)(ae - (a + ai)) + 1 : an - ai, bl = be ? (size_t)(be - (b + bi)) + 1 : bn - bi;
		int skip = 0;
		size_t k;
		json_t *v;
		json_array_foreach(volatile_lines, k, v)
			if (json_integer_value(v) == line) skip = 1;
		if (!skip && (al != bl || memcmp(a + ai, b + bi, al)))
			return 0;
		if ((ai >= an) != (bi >= bn))
			return 0;
		ai += al;
		bi += bl;
		line++;
	}
	return 1;
}

/* "exact_error" cases: capstan's first stderr line minus "capstan: " is helm's
 * first line minus "Error: " (the location said once, as helm says it), or
 * that line after a location helm lacks ("FILE:L:C: "), a path without "//". */
static int same_first_line(const char *helm, const char *got)
{
	if (!strncmp(helm, "Error: ", 7)) helm += 7;
	if (!strncmp(got, "capstan: ", 9)) got += 9;
	size_t hn = strcspn(helm, "\n"), gn = strcspn(got, "\n");
	if (hn == gn)
		return !memcmp(helm, got, hn);
	if (gn < hn + 2 || memcmp(got + gn - hn, helm, hn) || memcmp(got + gn - hn - 2, ": ", 2))
		return 0;
	size_t pn = gn - hn - 2;
	for (size_t i = 0; i + 1 < pn; i++)
		if (got[i] == '/' && got[i + 1] == '/') return 0;
	/* a location helm's line already gives is said twice */
	char *loc = strndup(got, pn), *line = strndup(helm, hn);
	int twice = strstr(line, loc) != NULL;
	free(loc); free(line);
	return !twice && memchr(got, ' ', pn) == NULL;
}

/* Run one case (template case or chart run). CHART = dir to put for @CHART@,
 * FILES = object of files to write into it first (or NULL). Returns 1 if passed. */
static int run_case(runner *R, const char *suite, const char *name, json_t *c,
		    const char *chart, json_t *files, buf *why)
{
	json_t *args = json_object_get(c, "args");
	json_t *jexit = json_object_get(c, "exit");
	size_t eout_n = 0, eerr_n = 0, in_n = 0;
	const char *eout = jstr(c, "stdout", &eout_n), *eerr = jstr(c, "stderr", &eerr_n);
	const char *in = jstr(c, "stdin", &in_n), *match = jstr(c, "match", NULL);
	if (!json_is_array(args) || !json_is_integer(jexit) || !eout) {
		buf_adds(why, "    malformed case (needs args, exit, stdout)\n");
		return 0;
	}
	if (files) {
		const char *k; json_t *v;
		int has_chart = 0;
		json_object_foreach(files, k, v) {
			if (!strcmp(k, "Chart.yaml")) has_chart = 1;
			if (!json_is_string(v) || write_file(chart, k, json_string_value(v), json_string_length(v))) {
				buf_printf(why, "    cannot write chart file %s\n", k);
				return 0;
			}
		}
		static const char def[] = "apiVersion: v2\nname: t\nversion: 0.1.0\n";
		if (!has_chart && write_file(chart, "Chart.yaml", def, sizeof def - 1)) {
			buf_adds(why, "    cannot write Chart.yaml\n");
			return 0;
		}
	}
	size_t na = json_array_size(args);
	char **argv = calloc(na + 3, sizeof *argv);
	buf *abufs = calloc(na ? na : 1, sizeof *abufs);
	argv[0] = (char *)R->capstan;
	argv[1] = "template";
	for (size_t i = 0; i < na; i++) {
		json_t *a = json_array_get(args, i);
		if (json_is_string(a)) subst_chart(&abufs[i], json_string_value(a), json_string_length(a), chart);
		argv[i + 2] = (char *)buf_str(&abufs[i]);
	}
	result r;
	char *cwd = strdup(chart);
	char *sl = strrchr(cwd, '/');
	if (sl && sl != cwd) *sl = 0;
	run_prog(argv, R->envp, cwd, in, in_n, R->timeout, &r);
	free(cwd);
	for (size_t i = 0; i < na; i++) buf_free(&abufs[i]);
	free(abufs);
	free(argv);

	buf exp_out = {0}, exp_err = {0};
	subst_chart(&exp_out, eout, eout_n, chart);
	if (eerr) subst_chart(&exp_err, eerr, eerr_n, chart);
	int want = (int)json_integer_value(jexit), ok = 0;
	const char *got_err = buf_str(&r.err);
	if (r.status < 0) {
		buf_printf(why, "    %s\n", r.spawn_err);
	} else if (r.timed_out) {
		buf_printf(why, "    timed out after %.0fs (killed)\n", R->timeout);
	} else if (want == 0) {
		if (r.status != 0) {
			buf_printf(why, "    helm exit 0, capstan exit %d\n", r.status);
			show_text(why, "capstan stderr", got_err, 4);
		} else if (!same_except(buf_str(&exp_out), exp_out.n, buf_str(&r.out), r.out.n,
					json_object_get(c, "volatile"))) {
			show_diff(why, "stdout", buf_str(&exp_out), exp_out.n, buf_str(&r.out), r.out.n);
		} else if (eerr && (exp_err.n != r.err.n || memcmp(buf_str(&exp_err), got_err, r.err.n))) {
			/* helm's warnings (level=WARN/INFO lines) are part of its answer */
			show_diff(why, "stderr", buf_str(&exp_err), exp_err.n, got_err, r.err.n);
		} else ok = 1;
	} else {
		char *m = match ? strdup(match) : stable_part(buf_str(&exp_err));
		if (r.status == 0) {
			buf_printf(why, "    helm exit %d, capstan exit 0\n", want);
			buf_printf(why, "    helm's error: %s\n", m);
		} else if (r.out.n) {
			buf_printf(why, "    capstan failed (exit %d) but wrote %zu bytes to stdout\n", r.status, r.out.n);
		} else if (!strstr(got_err, m)) {
			buf_printf(why, "    both fail, but capstan's stderr lacks helm's message\n");
			buf_printf(why, "    want: %s\n", m);
			show_text(why, "capstan stderr", got_err, 4);
		} else if (json_is_true(json_object_get(c, "exact_error")) && !same_first_line(buf_str(&exp_err), got_err)) {
			buf_printf(why, "    capstan's error line is not helm's (after \"capstan: \" / \"Error: \")\n");
			show_text(why, "helm stderr", buf_str(&exp_err), 2);
			show_text(why, "capstan stderr", got_err, 2);
		} else ok = 1;
		free(m);
	}
	buf_free(&exp_out); buf_free(&exp_err);
	buf_free(&r.out); buf_free(&r.err);
	(void)suite; (void)name;
	return ok;
}

static void report(runner *R, const char *suite, const char *name, int ok, buf *why,
		   int *sp, int *sf)
{
	if (ok) { (*sp)++; R->pass++; return; }
	(*sf)++; R->fail++;
	if (R->shown < R->details) {
		printf("FAIL %s/%s\n%s", suite, name, buf_str(why));
		R->shown++;
	} else if (R->verbose) {
		printf("FAIL %s/%s\n", suite, name);
	}
}

static json_t *load_json(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	if (!j) printf("golden_runner: %s:%d: %s\n", path, e.line, e.text);
	return j;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

/* Sorted list of NAME.json files in DIR (names without .json). */
static int list_json(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	int n = 0, cap = 16;
	char **v = malloc(cap * sizeof *v);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			size_t l = strlen(e->d_name);
			if (l < 6 || strcmp(e->d_name + l - 5, ".json")) continue;
			if (n == cap) v = realloc(v, (cap *= 2) * sizeof *v);
			v[n++] = strndup(e->d_name, l - 5);
		}
		closedir(d);
	}
	qsort(v, n, sizeof *v, cmpstr);
	*out = v;
	return n;
}

static void run_suites(runner *R, const char *golden)
{
	char dir[4096], path[4096];
	char **names;
	if (snprintf(dir, sizeof dir, "%s/cases", golden) >= (int)sizeof dir) return;
	int n = list_json(dir, &names);
	for (int i = 0; i < n; i++) {
		if (!selected(R, names[i], NULL) ||
		    snprintf(path, sizeof path, "%s/%s.json", dir, names[i]) >= (int)sizeof path) {
			free(names[i]);
			continue;
		}
		json_t *j = load_json(path);
		int sp = 0, sf = 0;
		json_t *cases = j ? json_object_get(j, "cases") : NULL;
		if (!json_is_array(cases)) { sf = 1; R->fail++; }
		size_t k; json_t *c;
		json_array_foreach(cases, k, c) {
			const char *name = jstr(c, "name", NULL);
			if (!name) name = "?";
			if (!selected(R, names[i], name)) continue;
			char work[4096], chart[4200];
			snprintf(work, sizeof work, "%s/case", R->tmproot);
			rm_rf(work);
			mkdirs(work);
			snprintf(chart, sizeof chart, "%s/chart", work);
			mkdirs(chart);
			buf why = {0};
			json_t *files = json_object_get(c, "files"), *none = json_object();
			int ok = run_case(R, names[i], name, c, chart, json_is_object(files) ? files : none, &why);
			json_decref(none);
			report(R, names[i], name, ok, &why, &sp, &sf);
			buf_free(&why);
			rm_rf(work);
		}
		if (sp + sf) printf("%s: %d passed, %d failed\n", names[i], sp, sf);
		json_decref(j);
		free(names[i]);
	}
	free(names);
}

static void run_charts(runner *R, const char *golden)
{
	char dir[4096], path[4096];
	char **names;
	if (snprintf(dir, sizeof dir, "%s/expected", golden) >= (int)sizeof dir) return;
	int n = list_json(dir, &names);
	int sp = 0, sf = 0;
	for (int i = 0; i < n; i++) {
		char label[512];
		snprintf(label, sizeof label, "%s", names[i]);
		char chart[4096];
		if (!selected(R, "charts", NULL) ||
		    snprintf(path, sizeof path, "%s/%s.json", dir, names[i]) >= (int)sizeof path ||
		    snprintf(chart, sizeof chart, "%s/charts/%s", golden, names[i]) >= (int)sizeof chart) {
			free(names[i]);
			continue;
		}
		json_t *j = load_json(path);
		json_t *runs = j ? json_object_get(j, "runs") : NULL;
		size_t k; json_t *c;
		if (!json_is_array(runs)) {
			printf("FAIL charts/%s: no runs\n", label);
			sf++; R->fail++;
		}
		json_array_foreach(runs, k, c) {
			char name[600];
			snprintf(name, sizeof name, "%s#%zu", label, k + 1);
			if (!selected(R, "charts", name) && !selected(R, "charts", label)) continue;
			buf why = {0};
			int ok = run_case(R, "charts", name, c, chart, NULL, &why);
			report(R, "charts", name, ok, &why, &sp, &sf);
			buf_free(&why);
		}
		json_decref(j);
		free(names[i]);
	}
	free(names);
	if (sp + sf) printf("charts: %d passed, %d failed\n", sp, sf);
}

static char **make_env(const char *home)
{
	static const char *keep[] = {"PATH=", "ASAN_OPTIONS=", "UBSAN_OPTIONS=", "LSAN_OPTIONS=", NULL};
	size_t n = 0;
	for (char **e = environ; *e; e++) n++;
	char **v = calloc(n + 8, sizeof *v);
	size_t k = 0;
	for (char **e = environ; *e; e++)
		for (int i = 0; keep[i]; i++)
			if (!strncmp(*e, keep[i], strlen(keep[i]))) v[k++] = *e;
	char *h = malloc(strlen(home) + 6);
	sprintf(h, "HOME=%s", home);
	v[k++] = h;
	v[k++] = "LANG=C";
	v[k++] = "TZ=UTC";
	return v;
}

int main(void)
{
	const char *g = getenv("GOLDEN");
	int run = g ? strcmp(g, "0") != 0 : GOLDEN_DEFAULT_RUN;
	if (!run) {
		printf("golden: skipped (GOLDEN=1 or `make check-golden` runs the golden suites)\n");
		printf("0 passed, 0 failed\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	const char *bd = getenv("CAPSTAN_BUILDDIR"), *sd = getenv("CAPSTAN_SRCDIR");
	if (!bd || !*bd) bd = ".";
	if (!sd || !*sd) sd = ".";
	runner R = {0};
	char capstan[4096], golden[4096];
	char *abd = realpath(bd, NULL), *asd = realpath(sd, NULL);
	if (!abd || !asd) {
		printf("golden_runner: no such directory: %s\n0 passed, 1 failed\n", abd ? sd : bd);
		free(abd); free(asd);
		return 1;
	}
	snprintf(capstan, sizeof capstan, "%s/capstan", abd);
	snprintf(golden, sizeof golden, "%s/tests/golden", asd);
	free(abd); free(asd);
	R.capstan = capstan;
	const char *t = getenv("GOLDEN_TIMEOUT");
	R.timeout = t && atof(t) > 0 ? atof(t) : 20;
	const char *dd = getenv("GOLDEN_DETAILS");
	R.details = dd ? atoi(dd) : 20;
	const char *vb = getenv("GOLDEN_VERBOSE");
	R.verbose = vb && !strcmp(vb, "1");
	const char *flt = getenv("GOLDEN_FILTER");
	char *fcopy = NULL;
	if (flt && *flt) {
		fcopy = strdup(flt);
		R.filters = calloc(strlen(flt) + 1, sizeof *R.filters);
		for (char *tok = strtok(fcopy, ","); tok; tok = strtok(NULL, ","))
			if (*tok) R.filters[R.nfilters++] = tok;
	}
	const char *tmpdir = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/golden-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmpl)) { printf("golden_runner: mkdtemp: %s\n0 passed, 1 failed\n", strerror(errno)); return 1; }
	R.tmproot = tmpl;
	char home[4200];
	snprintf(home, sizeof home, "%s/home", tmpl);
	mkdirs(home);
	R.envp = make_env(home);
	if (access(capstan, X_OK) != 0)
		printf("golden_runner: %s is not executable; every case will fail\n", capstan);

	run_suites(&R, golden);
	run_charts(&R, golden);

	if (R.fail > R.shown && R.shown >= R.details)
		printf("(%d more failures not shown; GOLDEN_DETAILS=N shows more, GOLDEN_VERBOSE=1 lists them)\n",
		       R.fail - R.shown);
	rm_rf(tmpl);
	printf("%d passed, %d failed\n", R.pass, R.fail);
	for (char **e = R.envp; *e; e++)
		if (!strncmp(*e, "HOME=", 5)) free(*e);
	free(R.envp);
	free(R.filters);
	free(fcopy);
	return R.fail ? 1 : 0;
}
