"""The compiled-rubric cache: a rubric file compiled once is loaded, not compiled, after.

:func:`htx_rules.load` keeps every rubric it compiles as one file in the user's
cache folder (:func:`htx_rules._resources.cache_directory`, the folder of the
parser tables), named by a key that holds everything the compiled rubric
depends on:

* the SHA-256 of the rubric's bytes (or text) and the name it was loaded
  under (errors and traces show the name), and the SHA-256 it records;
* the engine: the version of htx_rules, the size and time of change of each of
  its modules (an edited checkout is a new engine), the grammar file's hash;
* Python's version and bytecode magic number, and Lark's installed files.

So an entry is never used by another engine, grammar or Python.  An entry is
the pickled :class:`~htx_rules.rubric.Rubric` — the checked model, the source,
the generated scoring code as marshalled code objects — after a header: a
magic line, the key, and the SHA-256 of the pickle.  Reading one checks the
header and the hash before unpickling, so a damaged, truncated or foreign file
is ignored (and replaced by the next compile), never half-read.

Pickles run code when read: entries are read only from the cache folder, which
htx_rules creates private to the user and does not use when another user owns
it or can write to it — the trust Python gives ``__pycache__``.

Entries are written to a temporary file and renamed into place, so processes
that compile the same rubric at the same time each write a whole entry and
readers never see half of one.  The folder keeps the :data:`MAX_ENTRIES` most
recently used entries.  Nothing here ever fails a load: a folder that cannot
be read or written means no cache, with a debug note on the ``htx_rules.cache``
logger.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import pickle
import sys
import threading
import time
from pathlib import Path

from htx_rules._resources import cache_directory, resource_path
from htx_rules._version import __version__

#: Changed whenever the layout of an entry changes.
FORMAT = 1
#: Entries kept; the least recently used beyond this are deleted.
MAX_ENTRIES = 64

_MAGIC = b"htx_rules compiled rubric\n"
_PREFIX = "rubric-"
_SUFFIX = ".pickle"
#: A temporary file older than this (seconds) was left by a process that died.
_STALE = 3600


def entry_key(*parts: str) -> str:
    """The key of an entry: the engine's stamp and ``parts`` (what was
    compiled: its hash, its name...), hashed."""
    material = "\0".join((_engine_stamp(), *parts))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@functools.cache
def _engine_stamp() -> str:
    """Everything besides the rubric that a compiled rubric depends on."""
    digest = hashlib.sha256()
    for part in (
        f"format {FORMAT}",
        __version__,
        sys.version,
        str(sys.implementation.cache_tag),
        importlib.util.MAGIC_NUMBER.hex(),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(resource_path("grammar", "rubric.lark").read_bytes())
    package = Path(__file__).parent
    files = sorted(
        (entry.name, entry.stat()) for entry in os.scandir(package) if entry.name.endswith(".py")
    )
    lark = importlib.util.find_spec("lark")
    if lark is not None and lark.origin is not None:
        files.append(("lark", Path(lark.origin).stat()))
    for name, status in files:
        digest.update(f"{name}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def read_entry(key: str) -> object | None:
    """The object cached under ``key``, or None (no cache, no entry, or a bad one)."""
    folder = cache_directory()
    if folder is None:
        return None
    path = folder / f"{_PREFIX}{key}{_SUFFIX}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        _note("cannot read %s: %s", path, error)
        return None
    found = _decode(data, key)
    if found is None:
        _note("ignoring damaged or foreign entry %s", path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when the folder is pruned
    return found


def _decode(data: bytes, key: str) -> object | None:
    header = _MAGIC + key.encode("ascii") + b"\n"
    if not data.startswith(header):
        return None
    digest_end = len(header) + 65
    payload = data[digest_end:]
    if data[len(header) : digest_end] != hashlib.sha256(payload).hexdigest().encode() + b"\n":
        return None
    try:
        found: object = pickle.loads(payload)  # our own file, its hash checked above
    except Exception:  # a pickle naming what no longer exists, or damaged
        return None
    return found


def write_entry(key: str, value: object) -> None:
    """Keep ``value`` under ``key``; without a usable cache folder, do nothing."""
    folder = cache_directory()
    if folder is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # an object that cannot be pickled: no entry
        _note("cannot cache %s: %s", key, error)
        return
    digest = hashlib.sha256(payload).hexdigest().encode()
    data = b"".join((_MAGIC, key.encode("ascii"), b"\n", digest, b"\n", payload))
    path = folder / f"{_PREFIX}{key}{_SUFFIX}"
    # A name of its own per process and thread; renamed into place when whole.
    temporary = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as error:
        _note("cannot write %s: %s", path, error)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    """Delete the least recently used entries beyond :data:`MAX_ENTRIES`, and
    temporary files that a process left behind."""
    try:
        entries = []
        now = time.time()
        for entry in os.scandir(folder):
            if entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX):
                entries.append((entry.stat().st_mtime, entry.path))
            elif entry.name.endswith(".tmp") and now - entry.stat().st_mtime > _STALE:
                os.unlink(entry.path)
        entries.sort()
        for _when, path in entries[: max(0, len(entries) - MAX_ENTRIES)]:
            os.unlink(path)
    except OSError as error:  # another process pruning at the same time, or a read-only folder
        _note("cannot prune %s: %s", folder, error)


def _note(message: str, *args: object) -> None:
    import logging  # noqa: PLC0415 - only when something went wrong

    logging.getLogger("htx_rules.cache").debug(message, *args)
