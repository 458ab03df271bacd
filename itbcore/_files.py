"""Reading a file someone else controls: a regular file only, never a device or a FIFO, and never more than a bound.

For training only, not for treating patients.

The drug library (``ITB_DRUG_LIBRARY``) and the case files are the operator's, but a wrong path
(``/dev/zero``, a FIFO, a multi-gigabyte file) must end in a refusal that names the file, not in a server
that reads until its memory runs out or waits for a writer that never comes.

>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "x.toml")
>>> _ = open(p, "w").write("a = 1")
>>> read_regular(p, 100)
b'a = 1'
>>> read_regular("/dev/zero", 100)
Traceback (most recent call last):
...
ValueError: /dev/zero is not a regular file (a character device); only a regular file is read.
"""

from __future__ import annotations

import os
import stat

__all__ = ["read_regular", "MIB"]

MIB = 1024 * 1024


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened non-blocking (a FIFO never makes the caller wait for a writer), judged by ``fstat`` of what was
    opened (no race between a check and the read), read at most ``limit + 1`` bytes (a file that grows while
    read is still refused).  Raises ``FileNotFoundError``, ``OSError`` as ``open`` does, and ``ValueError``
    whose message names the file and the problem.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(
                f"{os.fspath(path)} is not a regular file ({_kind(st.st_mode)}); only a regular file is read."
            )
        if st.st_size > limit:
            raise ValueError(f"{os.fspath(path)} is {st.st_size} bytes, more than the {limit} bytes read.")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ValueError(f"{os.fspath(path)} is more than the {limit} bytes read.")
        return b"".join(chunks)
    finally:
        os.close(fd)
