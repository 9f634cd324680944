"""A throwaway PostgreSQL 15 + PostGIS cluster for the benchmarks (like .ci/run, on its own port).

- Installs postgresql-15-postgis-3 with apt-get when PostGIS is absent.
- ``Cluster(port)`` runs initdb in a temporary directory, starts the server (as the postgres user
  when we are root), and removes everything on ``stop()``.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")


def ensure_postgis(log=print):
    if PG_BIN.joinpath("initdb").exists() and POSTGIS_CONTROL.exists():
        return
    log("installing postgresql-15-postgis-3 (apt-get) …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql-15", "postgresql-15-postgis-3"], check=True, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def memory_settings():
    """shared_buffers ¼ and effective_cache_size ¾ of this machine's memory, PostgreSQL's usual advice
    for a database server (docs/operations.md): with 1 GB, a province push (3 GB of tables and
    indexes it touches) spent about 10 % of its time copying pages in from the OS cache."""
    mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return f"-c shared_buffers={mb // 4}MB -c effective_cache_size={mb * 3 // 4}MB"


class Cluster:
    SETTINGS = (
        "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        f"{memory_settings()} -c work_mem=64MB -c maintenance_work_mem=512MB -c max_wal_size=8GB "
        "-c max_parallel_workers_per_gather=0 -c jit=off -c random_page_cost=1.1"
    )

    def __init__(self, port=55440):
        self.port = port
        self.data = Path(tempfile.mkdtemp(prefix="jobcircle-bench-pg."))
        self.root = os.geteuid() == 0

    def _run(self, command):
        if self.root:
            return subprocess.run(["su", "postgres", "-s", "/bin/bash", "-c", command], check=True,
                                  stdout=subprocess.DEVNULL)  # fmt: skip
        return subprocess.run(["bash", "-c", command], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        if self.root:
            shutil.chown(self.data, "postgres")
        self._run(f"{PG_BIN}/initdb -D {self.data} -U postgres -A trust -E UTF8 --locale=C.UTF-8")
        log_file = self.data / "server.log"
        self._run(f"{PG_BIN}/pg_ctl -D {self.data} -l {log_file} -o '-p {self.port} -k /tmp {self.SETTINGS}' -w start")
        return self

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name, *, postgis=True):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        if postgis:
            with psycopg.connect(self.url(name), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return self.url(name)

    def stop(self):
        try:
            self._run(f"{PG_BIN}/pg_ctl -D {self.data} -m fast stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.data, ignore_errors=True)
