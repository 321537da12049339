"""paths suite (issue 3): base, dir, clean, ext, isAbs and their os* forms."""
from gsrc import Suite

SUITE = s = Suite("paths")
P = ['"/a/b/c.txt"', '"a/b/"', '""', '"/"', '"."', '"a//b/../c/./d"', '"../x"', '"file.tar.gz"', '"/a/.hidden"',
     '"C:\\\\dir\\\\f.txt"', '"ü/ö.é"']
for f in ["base", "dir", "clean", "ext", "isAbs", "osBase", "osDir", "osClean", "osExt", "osIsAbs"]:
    s.each(f, ['%s %s' % (f, p) for p in P])
s.errs("path-errors", ['base 1', 'dir nil', 'ext (list "a")'])
