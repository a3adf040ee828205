#!/usr/bin/env python3
"""make_zips.py OUTDIR PACKAGES_DIR: builds the .zip files that the
unit.problems.archive_* tests feed to prb_archive_extract and
prb_package_load: hostile archives (path traversal, absolute paths, symlinks
out of the package, device and fifo entries, too many entries, zip bombs that
tell the truth or lie about their size) and good packages zipped from
PACKAGES_DIR."""
import os
import stat
import struct
import sys
import zipfile


def info(name, mode=0o100644):
    zi = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    zi.create_system = 3  # unix, so external_attr carries the mode
    zi.external_attr = mode << 16
    return zi


def write(path, entries, compress=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compress) as z:
        for zi, data in entries:
            zi.compress_type = compress
            z.writestr(zi, data)


def symlink(name, target):
    return info(name, stat.S_IFLNK | 0o777), target


def regular(name, data=b"x\n"):
    return info(name), data


def lie_about_sizes(path, fake):
    """Rewrites the uncompressed size of every entry, in the local headers
    and the central directory, to `fake` bytes."""
    data = bytearray(open(path, "rb").read())
    pos = 0
    while True:
        i = data.find(b"PK\x03\x04", pos)
        if i < 0:
            break
        struct.pack_into("<I", data, i + 22, fake)
        pos = i + 4
    pos = 0
    while True:
        i = data.find(b"PK\x01\x02", pos)
        if i < 0:
            break
        struct.pack_into("<I", data, i + 24, fake)
        pos = i + 4
    open(path, "wb").write(bytes(data))


def zip_dir(path, src, prefix):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for root, dirs, files in os.walk(src):
            dirs.sort()
            for f in sorted(files):
                full = os.path.join(root, f)
                rel = os.path.relpath(full, src)
                arc = os.path.join(prefix, rel) if prefix else rel
                z.write(full, arc)


def main():
    out, packages = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    o = lambda n: os.path.join(out, n)

    write(o("traversal.zip"), [regular("p/problem.yaml"), regular("../evil.txt")])
    write(o("traversal_mid.zip"), [regular("p/data/../../../evil.txt")])
    write(o("absolute.zip"), [regular("/tmp/crucible-evil.txt")])
    write(o("backslash.zip"), [regular("p\\..\\evil.txt")])
    write(o("symlink_out.zip"), [regular("p/problem.yaml"),
                                 symlink("p/data/link", "../../../etc/passwd")])
    write(o("symlink_abs.zip"), [symlink("p/link", "/etc/passwd")])
    write(o("symlink_notnorm.zip"), [symlink("p/s", "."), symlink("p/l", "s/../..")])
    write(o("symlink_through.zip"), [(info("p/sub/", stat.S_IFDIR | 0o755), b""),
                                     symlink("p/l", "sub"), regular("p/l/x.txt")])
    write(o("fifo.zip"), [regular("p/problem.yaml"), (info("p/fifo", stat.S_IFIFO | 0o644), b"")])
    write(o("chardev.zip"), [(info("p/null", stat.S_IFCHR | 0o644), b"")])
    write(o("duplicate.zip"), [regular("p/a.txt"), regular("p/./a.txt")])
    write(o("many.zip"), [regular("p/f%03d" % i) for i in range(50)])
    zeros = b"\0" * (8 << 20)
    write(o("bomb.zip"), [regular("p/zeros.bin", zeros)], zipfile.ZIP_DEFLATED)
    write(o("bomb_lying.zip"), [regular("p/zeros.bin", zeros)], zipfile.ZIP_DEFLATED)
    lie_about_sizes(o("bomb_lying.zip"), 100)
    write(o("bomb_total.zip"), [regular("p/z%d.bin" % i, b"\0" * (400 << 10)) for i in range(5)],
          zipfile.ZIP_DEFLATED)
    with open(o("not_a_zip.zip"), "wb") as f:
        f.write(b"this is not a zip archive\n")

    # Good packages: one inside a top-level folder, one flat, one with an
    # internal symlink.
    zip_dir(o("legacyhello.zip"), os.path.join(packages, "legacyhello"), "legacyhello")
    zip_dir(o("draft2023.zip"), os.path.join(packages, "draft2023"), "")
    pkg = os.path.join(packages, "legacyhello")
    entries = []
    for root, dirs, files in os.walk(pkg):
        for f in sorted(files):
            full = os.path.join(root, f)
            rel = os.path.relpath(full, pkg)
            entries.append(regular("lh/" + rel, open(full, "rb").read()))
    entries.append(symlink("lh/data/secret/copy.in", "../sample/1.in"))
    entries.append(symlink("lh/data/secret/copy.ans", "../sample/1.ans"))
    write(o("symlink_inside.zip"), entries)


if __name__ == "__main__":
    main()
