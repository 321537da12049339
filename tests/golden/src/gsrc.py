"""gsrc — the small vocabulary the golden case sources are written in.

A case source is a Python module tests/golden/src/<suite>.py that builds a
Suite and exposes it as SUITE.  tests/tools/gen-golden runs every case through
helm v4.1.4 and writes tests/golden/cases/<suite>.json (see ../README.md).

One case = one helm run = one chart.  To keep the number of helm runs sane,
a case usually renders several related expressions, each under its own key:

    s = Suite("strings")
    s.exprs("upper", ['upper "abc"', 'upper ""', 'upper 12'])

renders templates/t.yaml as

    r0: |2-
      {{ upper "abc" }}
    r1: |2-
      {{ upper "" }}
    ...

Each output sits in a YAML block scalar, so whatever the expression prints the
document stays valid YAML (helm parses every rendered document).  An expression
whose output may span several lines is written with a leading "~": the
generator then pipes it through `indent 2` (`{{ EXPR | indent 2 }}`) instead.
Errors stop a whole case, so expressions expected to fail get their own case:

    s.err("upper-noarg", 'upper')

Cases declare whether helm is expected to succeed; gen-golden warns when helm
disagrees (an authoring mistake, or a surprise worth a look).  When a case
of several expressions fails though expected to succeed, gen-golden replaces
it by one case per expression (NAME.1, NAME.2, ...), so each call keeps its
own verdict.
"""

import re

DEFAULT_CHART = "apiVersion: v2\nname: t\nversion: 0.1.0\n"


def wrap_expr(expr):
    """The template text that prints EXPR inside a block scalar line."""
    if expr.startswith("~"):
        return "{{ %s | indent 2 }}" % expr[1:].strip()
    return "  {{ %s }}" % expr


def block(exprs, keys=None):
    """A template rendering each expression under r0, r1, ... (or KEYS)."""
    out = []
    for i, e in enumerate(exprs):
        k = keys[i] if keys else "r%d" % i
        out.append("%s: |2-\n%s\n" % (k, wrap_expr(e)))
    return "".join(out)


def slug(s):
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", s).strip("-")
    return s[:60] or "x"


class Suite:
    def __init__(self, name):
        self.name = name
        self.cases = []
        self._names = set()

    def add(self, name, template=None, values=None, args=(), files=None,
            stdin=None, match=None, expect="ok", tname="templates/t.yaml", exact=False):
        """A raw case. TEMPLATE is the text of templates/t.yaml (TNAME);
        VALUES the text of values.yaml; ARGS extra argv after `t @CHART@`;
        FILES more chart files {path: text}; EXPECT "ok" or "error"."""
        base = slug(name)
        n, i = base, 2
        while n in self._names:
            n = "%s-%d" % (base, i)
            i += 1
        self._names.add(n)
        fs = {}
        if values is not None:
            fs["values.yaml"] = values
        if template is not None:
            fs[tname] = template
        if files:
            fs.update(files)
        c = {"name": n, "files": fs, "args": ["t", "@CHART@"] + list(args),
             "expect": expect}
        if stdin is not None:
            c["stdin"] = stdin
        if match is not None:
            c["match"] = match
        if exact:
            c["exact_error"] = True
        self.cases.append(c)
        return c

    def exprs(self, name, exprs, **kw):
        """One case printing several expressions, expected to succeed."""
        if isinstance(exprs, str):
            exprs = [exprs]
        c = self.add(name, block(exprs), **kw)
        c["_exprs"] = list(exprs)
        return c

    def split(self, c):
        """The cases of C's expressions one by one (gen-golden uses this when
        a multi-expression case fails unexpectedly, so one failing call does
        not hide the others). Expectations are unknown: "any"."""
        out = []
        for i, e in enumerate(c["_exprs"]):
            d = dict(c)
            d.pop("_exprs")
            d["name"] = "%s.%d" % (c["name"], i + 1)
            d["files"] = dict(c["files"])
            d["files"]["templates/t.yaml"] = block([e])
            d["expect"] = "any"
            out.append(d)
        return out

    def each(self, name, exprs, **kw):
        """Like exprs, but split into cases of at most 8 expressions."""
        for i in range(0, len(exprs), 8):
            self.exprs(name if len(exprs) <= 8 else "%s-%d" % (name, i // 8 + 1),
                       exprs[i:i + 8], **kw)

    def err(self, name, expr, **kw):
        """One case whose single expression is expected to make helm fail."""
        kw.setdefault("expect", "error")
        return self.add(name, block([expr]), **kw)

    def errs(self, name, exprs, **kw):
        """One error case per expression."""
        for e in exprs:
            self.err("%s-%s" % (name, slug(e)[:40]), e, **kw)

    def tpl(self, name, template, **kw):
        """A case with a hand-written template (language constructs)."""
        return self.add(name, template, **kw)

    def fn(self, fname, normal=(), edge=(), errors=(), **kw):
        """The usual trio for one function: a case of normal calls, a case of
        edge calls (nil, empty, wrong type, unicode, huge), and one case per
        call expected to fail."""
        if normal:
            self.exprs(fname, list(normal), **kw)
        if edge:
            self.exprs(fname + "-edge", list(edge), **kw)
        for i, e in enumerate(errors):
            self.err("%s-err%d" % (fname, i + 1), e, **kw)
