"""A throwaway PostgreSQL server for the storage tests: a real server, not a mock.

``PostgresServer.start()`` finds Debian's server binaries (``/usr/lib/postgresql/<version>/bin``, or
``initdb`` on the PATH), creates a cluster in a temporary directory, starts it on a free port of
127.0.0.1 with trust authentication, and ``stop()`` removes it all. PostgreSQL refuses to run as root:
when the tests run as root, the cluster belongs to the ``postgres`` system user if there is one, else
to ``nobody``, and the server commands run as that user through ``runuser``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Set by CI: a missing server is a failure there, not a skipped test.
REQUIRE_ENV = "BOT_TEST_REQUIRE_POSTGRES"


def find_bin_dir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: the newest Debian version, else the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """One cluster, its port, and how to reach it."""

    bin_dir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bot-pg-")))
    port: int = field(default_factory=free_port)
    owner: str | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        """initdb, then start the server (waits until it accepts connections)."""
        if os.geteuid() == 0:
            self.owner = next((n for n in ("postgres", "nobody") if _user_exists(n)), None)
            if self.owner is None:
                raise RuntimeError("running as root and no unprivileged user to run PostgreSQL as")
            user = pwd.getpwnam(self.owner)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        self.resume()

    def pause(self) -> None:
        """Stop the server, keeping the cluster (an outage)."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def resume(self) -> None:
        """Start the server again after ``pause``."""
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", self._options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    @property
    def _options(self) -> str:
        return f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"

    def stop(self) -> None:
        """Stop the server and remove the cluster."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A throwaway server for the ``with`` block; the test is skipped (or, with ``REQUIRE_ENV`` set,
    as in CI, failed) when the server binaries are not installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
