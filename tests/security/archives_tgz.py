#!/usr/bin/env python3
"""archives_tgz.py OUT.tgz MEMBER... — write a gzipped tar for the archive tests.

Each MEMBER, in order (the same name may come twice), is one of
  NAME=TEXT      a file holding TEXT ("\\n" read as a newline)
  NAME@PATH      a file holding the bytes of the file PATH
  NAME%SIZE      a file of SIZE zero bytes (written without holding them)
  NAME->TARGET   a symbolic link
"""
import io
import sys
import tarfile


class Zeros(io.RawIOBase):
    def __init__(self, n):
        self.left = n

    def readinto(self, b):
        k = min(len(b), self.left)
        b[:k] = bytes(k)
        self.left -= k
        return k

    def readable(self):
        return True


def main():
    out, members = sys.argv[1], sys.argv[2:]
    with tarfile.open(out, "w:gz", format=tarfile.GNU_FORMAT) as t:
        for m in members:
            ti = None
            if "->" in m:
                name, target = m.split("->", 1)
                ti = tarfile.TarInfo(name)
                ti.type, ti.linkname = tarfile.SYMTYPE, target
                t.addfile(ti)
                continue
            for sep in "=@%":
                if sep in m:
                    name, arg = m.split(sep, 1)
                    break
            else:
                sys.exit("bad member: " + m)
            ti = tarfile.TarInfo(name)
            ti.mode, ti.mtime = 0o644, 1700000000
            if sep == "=":
                data = arg.replace("\\n", "\n").encode()
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            elif sep == "@":
                data = open(arg, "rb").read()
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            else:
                ti.size = int(arg)
                t.addfile(ti, io.BufferedReader(Zeros(ti.size)))


main()
