"""The command line called in this process: ``reform.cli.main`` with the environment a user's
shell would give it, its stdout and stderr captured, returned as a ``CompletedProcess`` like
``subprocess.run`` gives.

Starting ``python -m reform`` costs 1.5–3 s of imports on every call, so tests that check what
a command does (its output, its exit code, the store afterwards) call it here. What only a
real process shows stays in subprocess tests, one per behaviour: the exit code and clean
stderr seen from outside (test_cli.py), an import killed mid-way (test_crash.py), peak memory
of a fresh process (test_hostile.py). Here an exception that is not a ``ReformError`` is not
turned into a traceback on stderr: it propagates and fails the test, which is stricter.
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import weakref
from collections.abc import Iterator

import sqlalchemy as sa

from reform import cli


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set for the block, then as it was."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def engines_closed_after() -> Iterator[None]:
    """Dispose of every engine that connected inside the block, as a process ends: its SQLite
    connections close and the last one folds the WAL into the file, so the file may be copied
    (a copy of the main file alone would miss what the WAL held)."""
    used: weakref.WeakSet[sa.Engine] = weakref.WeakSet()

    def record(connection: sa.Connection) -> None:
        used.add(connection.engine)

    sa.event.listen(sa.Engine, "engine_connect", record)
    try:
        yield
    finally:
        sa.event.remove(sa.Engine, "engine_connect", record)
        for engine in list(used):
            engine.dispose()


def run(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m reform ARGS`` against the store ``db`` (as ``REFORM_DATABASE_URL``), with
    ``env`` added to the environment; returns the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (environment({"REFORM_DATABASE_URL": db, **(env or {})}), engines_closed_after(),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)):
        try:
            code = cli.main(list(args))
        except SystemExit as stop:  # argparse's usage errors, as the interpreter would exit
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    return subprocess.CompletedProcess(["python", "-m", "reform", *args], code, out.getvalue(),
                                       err.getvalue())
