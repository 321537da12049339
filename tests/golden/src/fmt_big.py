"""fmt-big suite (issue 19): %v of values holding .Files (every byte as a
decimal number) and of pointers inside maps and lists, which fmt prints as
addresses; the address changes from run to run, so it is replaced before
comparing."""
from gsrc import Suite

SUITE = s = Suite("fmt-big")

FILES = {
    "files/bin.txt": "héllo ~ 0123456789\n\tend\n",
    "files/empty.txt": "",
    "files/z/deep.txt": "z" * 300 + "\n",
}


def addr(expr):
    """EXPR with Go's addresses replaced by ADDR."""
    return 'regexReplaceAll "0xc[0-9a-f]+" (%s) "ADDR"' % expr


s.exprs("files-v", [
    "print .Files",
    "print .Files | len",
    'printf "%v" (.Files.GetBytes "files/bin.txt")',
    'printf "%d|%5v|%+v|% d|%x" (.Files.GetBytes "files/bin.txt") (.Files.GetBytes "files/empty.txt") (.Files.GetBytes "files/bin.txt") (.Files.GetBytes "files/bin.txt") (.Files.GetBytes "files/bin.txt")',
    'printf "%#v" (.Files.GetBytes "files/bin.txt")',
    'list (.Files.GetBytes "files/bin.txt") 1 | toString',
], files=FILES)
s.exprs("root-v", [
    addr("print $"),
    addr('dict "root" $ | toString'),
    'dict "root" $ | toString | len',
    'printf "%v" $ | len',
    addr('printf "%v" $') + " | sha256sum",
    addr("list .Capabilities 1 | toString"),
    'dict "c" .Capabilities | toString | len',
    "print .Capabilities.KubeVersion",
], files=FILES, values="a: 1\nb: [x, 2]\n")
