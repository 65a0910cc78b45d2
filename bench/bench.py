#!/usr/bin/env python3
"""Benchmarks of issue 6: downgrade-watch against references measured in the same run.

Started by `bench/run` (which installs wrk, sqlite3, psql and datasette first). Every row runs
this project and its reference on the same data in the same run, several times, and reports the
minimum and the median; ratios are computed from medians. The machines are shared and noisy, so
only ratios are meant to be compared between runs. Nothing here is part of the test suite.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BIN = TARGET / "release" / "downgrade-watch"
REF_DIR = BENCH / "reference"
REF_TARGET = REF_DIR / "target"
REF_BIN = REF_TARGET / "release" / "dw-bench-reference"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")

PASSWORD = "bench-password-1234"
ADMIN = "bench-admin@example.org"
REGULATOR = "bench-regulator@example.org"

# One intake document (reference case 2 of cases.md), sent unchanged to both servers.
INTAKE_BODY = {
    "sector": "video_membership",
    "company_name": "某视频平台",
    "service_name": "某视频App",
    "plan_from": "连续包年高级会员",
    "plan_to": "基础会员",
    "price_from": "248",
    "price_to": "98",
    "billing_cycle": "yearly",
    "requested_action": "downgrade",
    "channels_tried": ["app", "online_chat"],
    "contact_attempts": 5,
    "first_attempt_on": "2026-09-03",
    "obstacles_reported": ["HIDDEN-ENTRY"],
    "outcome": "gave_up",
    "narrative": (
        "升级按钮在首页非常醒目，降级选项却藏在“账户安全”里，翻了好几层才找到。点进去提示“当前周期内不支持"
        "降级操作，请于到期前3日内再试”。到期前三天再试，又弹窗说降级后将无法继续使用多项会员权益，建议保留"
        "当前套餐。在线客服一直是机器人推送固定话术，不转人工；我故意问更贵的超级VIP，一分钟内就有人工客服出现，"
        "可我一说要降级，对方又说基础版体验会大打折扣、超级VIP限时优惠很划算。"
    ),
    "province": "110000",
    "consent_share_narrative": True,
    "consent_contact_company": True,
    "language": "zh-CN",
}

# The regulator-tier export as one SQL statement: the same rows and columns that
# services/exports/query.rs reads (joins and correlated sub-queries included), formatted by the
# database. What the references do not do: scrub narratives, order obstacle codes by taxonomy.
EXPORT_SQL = {
    "sqlite": """SELECT c.tracking_code AS complaint_id, strftime('%Y-%m-%dT%H:%M:%SZ', c.received_at) AS received_at,
  c.sector, COALESCE(co.name, c.company_name) AS company_name, co.credit_code AS company_credit_code, c.service_name,
  c.requested_action, c.plan_from,
  CASE WHEN c.price_from_fen IS NOT NULL THEN printf('%.2f', c.price_from_fen / 100.0) END AS price_from, c.plan_to,
  CASE WHEN c.price_to_fen IS NOT NULL THEN printf('%.2f', c.price_to_fen / 100.0) END AS price_to,
  c.billing_cycle, c.channels_tried, c.contact_attempts, c.first_attempt_on,
  CAST(julianday(date(c.closed_at, '+8 hours')) - julianday(date(c.received_at, '+8 hours')) AS INTEGER) AS days_to_close,
  (SELECT group_concat(o.obstacle_code, ';') FROM complaint_obstacles o WHERE o.complaint_id = c.id) AS obstacle_codes,
  c.primary_obstacle, (SELECT ob.rights FROM obstacles ob WHERE ob.code = c.primary_obstacle) AS rights_implicated,
  c.taxonomy_version, c.outcome, c.status, c.company_response, c.response_timely, c.province, c.submitted_via,
  c.consent_share_narrative, CASE WHEN c.consent_share_narrative THEN c.narrative END AS narrative,
  (SELECT COUNT(*) FROM evidence_files e WHERE e.complaint_id = c.id) AS evidence_count,
  (SELECT group_concat(g.name, ';') FROM case_group_members m JOIN case_groups g ON g.id = m.group_id
    WHERE m.complaint_id = c.id) AS case_group,
  d.tracking_code AS duplicate_of, c.tags,
  strftime('%Y-%m-%dT%H:%M:%SZ', c.forwarded_at) AS forwarded_at, c.response_due_on,
  strftime('%Y-%m-%dT%H:%M:%SZ', c.responded_at) AS responded_at, c.response_category,
  COALESCE(c.consumer_feedback, 'none') AS consumer_feedback, c.consumer_disputed
FROM complaints c LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN complaints d ON d.id = c.duplicate_of
WHERE c.status NOT IN ('held', 'rejected') ORDER BY c.id""",
    "postgres": """SELECT c.tracking_code AS complaint_id,
  to_char(c.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received_at,
  c.sector, COALESCE(co.name, c.company_name) AS company_name, co.credit_code AS company_credit_code, c.service_name,
  c.requested_action, c.plan_from, to_char(c.price_from_fen / 100.0, 'FM9999990.00') AS price_from, c.plan_to,
  to_char(c.price_to_fen / 100.0, 'FM9999990.00') AS price_to, c.billing_cycle, c.channels_tried, c.contact_attempts,
  c.first_attempt_on,
  (c.closed_at AT TIME ZONE 'Asia/Shanghai')::date - (c.received_at AT TIME ZONE 'Asia/Shanghai')::date AS days_to_close,
  (SELECT string_agg(o.obstacle_code, ';') FROM complaint_obstacles o WHERE o.complaint_id = c.id) AS obstacle_codes,
  c.primary_obstacle, (SELECT ob.rights FROM obstacles ob WHERE ob.code = c.primary_obstacle) AS rights_implicated,
  c.taxonomy_version, c.outcome, c.status, c.company_response, c.response_timely, c.province, c.submitted_via,
  c.consent_share_narrative, CASE WHEN c.consent_share_narrative THEN c.narrative END AS narrative,
  (SELECT COUNT(*) FROM evidence_files e WHERE e.complaint_id = c.id) AS evidence_count,
  (SELECT string_agg(g.name, ';') FROM case_group_members m JOIN case_groups g ON g.id = m.group_id
    WHERE m.complaint_id = c.id) AS case_group,
  d.tracking_code AS duplicate_of, c.tags,
  to_char(c.forwarded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS forwarded_at, c.response_due_on,
  to_char(c.responded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS responded_at, c.response_category,
  COALESCE(c.consumer_feedback, 'none') AS consumer_feedback, c.consumer_disputed
FROM complaints c LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN complaints d ON d.id = c.duplicate_of
WHERE c.status NOT IN ('held', 'rejected') ORDER BY c.id""",
}

PUBLISHED = "'received', 'accepted', 'forwarded', 'responded', 'closed', 'withdrawn'"


def summary_sql(backend: str, first: str, last: str) -> str:
    """What GET /api/v1/stats reports (complaints by month and status, obstacle mentions by month,
    companies top 50, sectors, provinces), as GROUP BYs over the base tables: the query someone
    without the rollup tables would run. The first statement is month × status."""
    month = ("strftime('%Y-%m', {t}received_at, '+8 hours')" if backend == "sqlite"
             else "to_char({t}received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')")
    m, mc = month.format(t=""), month.format(t="c.")
    where = f"status IN ({PUBLISHED}) AND {m} BETWEEN '{first}' AND '{last}'"
    return f"""SELECT {m} AS month, status, COUNT(*) FROM complaints WHERE {where} GROUP BY 1, 2;
SELECT {mc} AS month, k.obstacle_code, COUNT(*) FROM complaints c
  JOIN (SELECT DISTINCT o.complaint_id, o.obstacle_code FROM complaint_obstacles o WHERE o.source = 'reviewer'
        OR NOT EXISTS (SELECT 1 FROM complaint_obstacles r WHERE r.complaint_id = o.complaint_id AND r.source = 'reviewer')) k
    ON k.complaint_id = c.id
  WHERE c.status IN ({PUBLISHED}) AND {mc} BETWEEN '{first}' AND '{last}' GROUP BY 1, 2;
SELECT COALESCE(company_id, 0), COUNT(*) AS n FROM complaints WHERE {where} GROUP BY 1 ORDER BY n DESC LIMIT 50;
SELECT sector, COUNT(*) FROM complaints WHERE {where} GROUP BY 1;
SELECT COALESCE(province, ''), COUNT(*) FROM complaints WHERE {where} GROUP BY 1"""


# Table columns datasette streams (it serves tables as they are: no joins or sub-queries).
DATASETTE_COLUMNS = [
    "tracking_code", "received_at", "sector", "company_name", "service_name", "requested_action", "plan_from",
    "price_from_fen", "plan_to", "price_to_fen", "billing_cycle", "channels_tried", "contact_attempts",
    "first_attempt_on", "closed_at", "primary_obstacle", "taxonomy_version", "outcome", "status", "company_response",
    "response_timely", "province", "submitted_via", "consent_share_narrative", "narrative", "duplicate_of", "tags",
]

# Filter of the deep queue page: one sector (about 22% of the demo data, so page 2,000 exists at 1M).
QUEUE_FILTERS = "sector=video_membership"

# ---------------------------------------------------------------------------------------------
# small helpers


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], *, env: dict | None = None, input: str | None = None, check: bool = True,
        capture: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    p = subprocess.run(cmd, env=full_env, input=input, text=True, cwd=cwd,
                       stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE if capture else None)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def timed(cmd: list[str], *, env: dict | None = None, stdout=subprocess.DEVNULL) -> float:
    """Wall time of one command, its output thrown away (or sent to `stdout`)."""
    full_env = {**os.environ, **(env or {})}
    t = time.perf_counter()
    p = subprocess.run(cmd, env=full_env, stdout=stdout, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {p.stderr.decode(errors='replace')[:2000]}")
    return elapsed


def fmt_s(x: float) -> str:
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    return f"{x * 1000:.1f} ms"


def fmt_n(x: float) -> str:
    return f"{x:,.0f}"


# ---------------------------------------------------------------------------------------------
# servers and HTTP


class Server:
    """A server process on a loopback port, stopped with SIGINT (graceful), then SIGKILL."""

    def __init__(self, name: str, cmd: list[str], env: dict, port: int, ready_path: str | None):
        self.name, self.cmd, self.env, self.port, self.ready_path = name, cmd, env, port, ready_path
        self.proc: subprocess.Popen | None = None
        self.log_path = DATA / "logs" / f"{name}.log"

    def __enter__(self) -> "Server":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.cmd, env={**os.environ, **self.env}, stdout=logf,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 600  # first start may run a long migration on a big database
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if self.ready_path is None:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return self
                else:
                    status, _, _ = Http(self.port).get(self.ready_path)
                    if status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not become ready; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def memory(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak resident set) in bytes."""
        out = {}
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(rest.split()[0]) * 1024
        return out


class Http:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port."""

    def __init__(self, port: int, token: str | None = None):
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def get(self, path: str) -> tuple[int, bytes, float]:
        t = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        body = r.read()
        return r.status, body, time.perf_counter() - t

    def get_json(self, path: str) -> tuple[dict, float]:
        status, body, elapsed = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} -> {status}: {body[:500]!r}")
        return json.loads(body), elapsed

    def post_json(self, path: str, doc: dict) -> tuple[int, dict]:
        body = json.dumps(doc, ensure_ascii=False).encode()
        self.conn.request("POST", path, body=body, headers={**self.headers, "Content-Type": "application/json"})
        r = self.conn.getresponse()
        raw = r.read()
        try:
            return r.status, json.loads(raw)
        except ValueError:
            return r.status, {"raw": raw.decode(errors="replace")}


def latencies(port: int, token: str | None, path: str, n: int) -> list[float]:
    """n sequential GETs of one path on one keep-alive connection (after 5 warm-up requests)."""
    h = Http(port, token)
    for _ in range(5):
        status, body, _ = h.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} -> {status}: {body[:300]!r}")
    out = []
    for _ in range(n):
        status, _, elapsed = h.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} -> {status}")
        out.append(elapsed)
    return out


def download(url: str, token: str | None = None) -> tuple[float, int]:
    """Wall time and size of one streamed download with curl (output discarded)."""
    cmd = ["curl", "-sS", "--fail", "-o", "/dev/null", "-w", "%{size_download} %{http_code}", url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Bearer {token}"]
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"curl {url} failed: {p.stderr.strip()} {p.stdout.strip()}")
    size, code = p.stdout.split()
    return elapsed, int(size)


# ---------------------------------------------------------------------------------------------
# databases


class Backend:
    name: str

    def url(self, db: str) -> str: ...
    def exists(self, db: str) -> bool: ...
    def drop(self, db: str) -> None: ...
    def clone(self, template: str, db: str) -> None: ...
    def query(self, db: str, sql: str) -> str: ...
    def cli(self, db: str, sql: str, csv_out: bool = False) -> list[str]: ...


class Sqlite(Backend):
    name = "sqlite"

    def path(self, db: str) -> Path:
        return DATA / f"{db}.db"

    def url(self, db: str) -> str:
        return f"sqlite://{self.path(db)}"

    def exists(self, db: str) -> bool:
        return self.path(db).exists()

    def drop(self, db: str) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path(db)) + suffix).unlink(missing_ok=True)

    def clone(self, template: str, db: str) -> None:
        self.drop(db)
        run(["sqlite3", str(self.path(template)), "PRAGMA wal_checkpoint(TRUNCATE);"])
        shutil.copyfile(self.path(template), self.path(db))

    def query(self, db: str, sql: str) -> str:
        return run(["sqlite3", "-batch", str(self.path(db)), sql]).stdout.strip()

    def cli(self, db: str, sql: str, csv_out: bool = False) -> list[str]:
        return ["sqlite3", "-batch", "-readonly"] + (["-csv", "-header"] if csv_out else []) + [str(self.path(db)), sql]


class Postgres(Backend):
    name = "postgres"

    def url(self, db: str) -> str:
        return f"{PG_BASE}/{db}"

    def admin(self, sql: str) -> str:
        return run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", f"{PG_BASE}/postgres", "-c", sql]).stdout.strip()

    def exists(self, db: str) -> bool:
        return self.admin(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"

    def drop(self, db: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    def clone(self, template: str, db: str) -> None:
        self.drop(db)
        self.admin(f"CREATE DATABASE {db} TEMPLATE {template}")

    def create(self, db: str) -> None:
        self.drop(db)
        self.admin(f"CREATE DATABASE {db}")

    def query(self, db: str, sql: str) -> str:
        return run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", self.url(db), "-c", sql]).stdout.strip()

    def cli(self, db: str, sql: str, csv_out: bool = False) -> list[str]:
        if csv_out:
            sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)"
        return ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", self.url(db), "-c", sql]


def dw(args: list[str], url: str, *, input: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": url, "DW_DATA_DIR": str(DATA / "dw-data"), "RUST_LOG": "warn", **(extra_env or {})}
    return run([str(BIN), *args], env=env, input=input)


# ---------------------------------------------------------------------------------------------
# results


@dataclass
class Row:
    db: str
    what: str
    ours: str
    reference: str
    ratio: str
    target: str
    ok: bool | None  # None: not measured
    note: str = ""
    raw: dict = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: "n/a"}[self.ok]


def table(rows: list[Row]) -> str:
    head = ["db", "row", "ours", "reference", "ratio", "target", "result"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        lines.append("| " + " | ".join([r.db, r.what, r.ours, r.reference, r.ratio, r.target, r.verdict]) + " |")
    notes = [f"- {r.db} / {r.what}: {r.note}" for r in rows if r.note]
    return "\n".join(lines) + ("\n\nNotes:\n" + "\n".join(notes) if notes else "")


def machine() -> str:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    disk = run(["df", "-h", "--output=source,size,fstype", str(DATA)], check=False).stdout.strip().splitlines()[-1]
    disk = " ".join(disk.split())
    sqlite_v = run(["sqlite3", "--version"], check=False).stdout.split()[:1]
    pg_v = run(["psql", "-X", "-A", "-t", f"{PG_BASE}/postgres", "-c", "SHOW server_version"], check=False).stdout.strip()
    return (f"{os.cpu_count()} vCPU {cpu}, {mem_kb / 1024 / 1024:.1f} GiB RAM, disk {disk}, "
            f"{platform.system()} {platform.release()}, SQLite {' '.join(sqlite_v)}, PostgreSQL {pg_v}")


# ---------------------------------------------------------------------------------------------
# the benchmark


@dataclass
class Dataset:
    backend: Backend
    db: str
    count: int
    seed_seconds: float
    seeded_at: str
    cached: bool
    admin_token: str
    regulator_token: str

    @property
    def url(self) -> str:
        return self.backend.url(self.db)


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rows: list[Row] = []
        self.stale_binary = ""

    # -- building -------------------------------------------------------------------------------

    def build(self) -> None:
        if self.args.no_build:
            return
        log("building downgrade-watch (release)")
        try:
            run(["cargo", "build", "--release", "--quiet", "--bin", "downgrade-watch"], cwd=ROOT, capture=False)
        except RuntimeError:
            # The tree is shared and may be mid-edit: measure the last good build rather than nothing.
            if not BIN.exists():
                raise
            built = dt.datetime.fromtimestamp(BIN.stat().st_mtime)
            log(f"WARNING: the build failed; measuring the binary built {built:%Y-%m-%d %H:%M}")
            self.stale_binary = f"the build failed; the binary measured was built {built:%Y-%m-%d %H:%M}"
        log("building the reference server (bench/reference, release)")
        run(["cargo", "build", "--release", "--quiet", "--manifest-path", str(REF_DIR / "Cargo.toml")],
            env={"CARGO_TARGET_DIR": str(REF_TARGET)}, capture=False)

    # -- data -------------------------------------------------------------------------------------

    def dataset(self, backend: Backend) -> Dataset:
        count = self.args.count
        db = f"dw_bench_{count}"
        meta_path = DATA / f"{backend.name}-{count}.json"
        if not self.args.reseed and meta_path.exists() and backend.exists(db):
            meta = json.loads(meta_path.read_text())
            log(f"{backend.name}: reusing {db} seeded {meta['seeded_at']} ({meta['seed_seconds']:.1f} s)")
            return Dataset(backend, db, count, meta["seed_seconds"], meta["seeded_at"], True,
                           meta["admin_token"], meta["regulator_token"])
        backend.drop(db)
        if isinstance(backend, Postgres):
            backend.create(db)
        url = backend.url(db)
        dw(["migrate"], url)
        log(f"{backend.name}: seed-demo --count {count} into {db}")
        t = time.perf_counter()
        p = dw(["--no-migrate", "seed-demo", "--count", str(count)], url)
        seed_seconds = time.perf_counter() - t
        log(f"{backend.name}: {p.stdout.strip()} (wall {seed_seconds:.1f} s)")
        tokens = {}
        for email, role in ((ADMIN, "admin"), (REGULATOR, "regulator")):
            dw(["--no-migrate", "create-user", "--email", email, "--role", role, "--password-stdin"], url,
               input=PASSWORD + "\n")
            out = dw(["--no-migrate", "token", "create", "--user", email, "--name", "bench"], url).stdout
            tokens[role] = out.strip().splitlines()[-1].strip()
        if isinstance(backend, Postgres):
            backend.query(db, "VACUUM ANALYZE")
        else:
            backend.query(db, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        meta = {"seed_seconds": seed_seconds, "seeded_at": dt.datetime.now().isoformat(timespec="seconds"),
                "admin_token": tokens["admin"], "regulator_token": tokens["regulator"], "seed_output": p.stdout.strip()}
        meta_path.write_text(json.dumps(meta, indent=2))
        return Dataset(backend, db, count, seed_seconds, meta["seeded_at"], False, tokens["admin"], tokens["regulator"])

    def serve(self, ds: Dataset, name: str, extra_env: dict | None = None) -> Server:
        port = free_port()
        env = {"DATABASE_URL": ds.url, "DW_BIND": f"127.0.0.1:{port}", "DW_DATA_DIR": str(DATA / "dw-data"),
               "RUST_LOG": "warn", "DW_INTAKE_LIMIT": "off", **(extra_env or {})}
        return Server(f"{ds.backend.name}-{name}", [str(BIN), "serve"], env, port, "/readyz")

    # -- rows ----------------------------------------------------------------------------------------

    def add(self, row: Row) -> None:
        # The machine is shared: keep the load next to each result.
        row.raw["loadavg_1m"] = float(Path("/proc/loadavg").read_text().split()[0])
        self.rows.append(row)
        log(f"{row.db} | {row.what} | ours {row.ours} | ref {row.reference} | {row.ratio} | {row.target} | {row.verdict}"
            + (f" | {row.note}" if row.note else ""))

    def row_seed(self, ds: Dataset) -> None:
        limit = 180.0 * ds.count / 1_000_000
        note = f"cached: seeded {ds.seeded_at} (run with --reseed to measure again)" if ds.cached else ""
        if ds.count != 1_000_000:
            note = (note + "; " if note else "") + f"target scaled from 3 min per 1M to {ds.count:,}"
        self.add(Row(ds.backend.name, f"seed-demo --count {ds.count:,}", fmt_s(ds.seed_seconds), "–",
                     f"{ds.count / ds.seed_seconds:,.0f} rows/s", f"< {fmt_s(limit)}", ds.seed_seconds < limit, note,
                     {"seconds": ds.seed_seconds}))

    def row_intake(self, backend: Backend) -> None:
        a = self.args
        tpl = "dw_bench_intake_tpl"
        if isinstance(backend, Postgres):
            backend.create(tpl)
        else:
            backend.drop(tpl)
        dw(["migrate"], backend.url(tpl))
        lua = DATA / "intake.lua"
        body = json.dumps(INTAKE_BODY, ensure_ascii=False)
        lua.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                       f"wrk.body = [==[{body}]==]\n", encoding="utf-8")
        results: dict[str, list[float]] = {"ours": [], "reference": []}
        problems: list[str] = []
        for i in range(a.intake_runs):
            sides = ["ours", "reference"] if i % 2 == 0 else ["reference", "ours"]
            for side in sides:
                db = f"dw_bench_intake_{side}"
                backend.clone(tpl, db)
                port = free_port()
                env = {"DATABASE_URL": backend.url(db), "DW_BIND": f"127.0.0.1:{port}", "RUST_LOG": "warn",
                       "DW_INTAKE_LIMIT": "off", "DW_DATA_DIR": str(DATA / "dw-data")}
                if side == "ours":
                    server = Server(f"{backend.name}-intake-ours", [str(BIN), "--no-migrate", "serve"], env, port, "/readyz")
                    path = "/api/v1/complaints"
                else:
                    server = Server(f"{backend.name}-intake-ref", [str(REF_BIN)], env, port, None)
                    path = "/complaints"
                with server:
                    status, doc = Http(port).post_json(path, INTAKE_BODY)
                    if status != 201 or doc.get("status") != "received":
                        raise RuntimeError(f"{side} intake sanity check: {status} {doc}")
                    url = f"http://127.0.0.1:{port}{path}"
                    wrk(url, lua, a.intake_connections, 2)  # warm-up
                    rps, non2xx, total = wrk(url, lua, a.intake_connections, a.intake_seconds)
                stored = int(backend.query(db, "SELECT COUNT(*) FROM complaints"))
                if non2xx:
                    problems.append(f"{side}: {non2xx} of {total} responses were not 2xx")
                if stored < total:
                    problems.append(f"{side}: {total} responses but {stored} rows stored")
                log(f"{backend.name} intake {side} run {i + 1}: {rps:,.0f} req/s ({total} requests, {stored} rows)")
                results[side].append(rps)
                backend.drop(db)
        backend.drop(tpl)
        ours, ref = median(results["ours"]), median(results["reference"])
        ratio = ours / ref
        self.add(Row(backend.name, f"intake POST throughput (wrk, {a.intake_connections} conn, {a.intake_seconds} s)",
                     f"{fmt_n(ours)} req/s (min {fmt_n(min(results['ours']))})",
                     f"{fmt_n(ref)} req/s (min {fmt_n(min(results['reference']))})",
                     f"{ratio:.2f}×", "≥ 0.5×", ratio >= 0.5 and not problems, "; ".join(problems), results))

    # -- summary ---------------------------------------------------------------------------------------

    def row_summary(self, ds: Dataset) -> None:
        a, b = self.args, ds.backend
        with self.serve(ds, "summary") as srv:
            h = Http(srv.port, ds.regulator_token)
            status, body, _ = h.get("/api/v1/stats")
            if status == 404:
                self.add(Row(b.name, "summary /api/v1/stats", "–", "–", "–", "–", None, "GET /api/v1/stats not found"))
                return
            doc = json.loads(body)
            ours = latencies(srv.port, ds.regulator_token, "/api/v1/stats", max(a.runs, a.summary_requests))
        period = doc["period"]
        sql = summary_sql(b.name, period["from"], period["to"])
        ref = [timed(b.cli(ds.db, sql)) for _ in range(max(a.runs, 3))]
        total = sum(int(line.split("|")[2]) for line in b.query(ds.db, sql.split(";")[0]).splitlines() if line.strip())
        note = f"period {period['from']}–{period['to']}"
        if doc.get("complaints") != total:
            note += f"; totals differ: API {doc.get('complaints')} vs recount {total}"
        o, r = median(ours), median(ref)
        tool = "sqlite3" if b.name == "sqlite" else "psql"
        self.add(Row(b.name, f"summary GET /api/v1/stats vs {tool} GROUP BYs",
                     f"{fmt_s(o)} (min {fmt_s(min(ours))})", f"{fmt_s(r)} (min {fmt_s(min(ref))})",
                     f"{o / r:.2f}× time", "≤ 1.5× time", o / r <= 1.5, note, {"ours": ours, "reference": ref}))

    # -- export ---------------------------------------------------------------------------------------

    def export_rows(self, ds: Dataset) -> int:
        """Rows a regulator-tier export of everything contains."""
        return int(ds.backend.query(ds.db, "SELECT COUNT(*) FROM complaints WHERE status NOT IN ('held', 'rejected')"))

    def row_export(self, ds: Dataset) -> None:
        a, b = self.args, ds.backend
        rows = self.export_rows(ds)
        ours: list[float] = []
        sizes: set[int] = set()
        with self.serve(ds, "export") as srv:
            url = f"http://127.0.0.1:{srv.port}/api/v1/exports/complaints.csv?tier=regulator"
            status, body, _ = Http(srv.port, ds.regulator_token).get("/api/v1/exports/complaints.csv?tier=regulator&from=2999-01-01")
            if status == 404:
                self.add(Row(b.name, "CSV export", "–", "–", "–", "–", None, "GET /api/v1/exports/complaints.csv not found"))
                return
            ref_sql = EXPORT_SQL[b.name]
            ref: list[float] = []
            tool = "sqlite3 -csv" if b.name == "sqlite" else "psql COPY … CSV"
            # Interleaved, so that load from elsewhere on a shared machine hits both sides alike.
            for i in range(a.runs):
                t, size = download(url, ds.regulator_token)
                log(f"{b.name} export ours run {i + 1}: {fmt_s(t)}, {size / 1e6:,.0f} MB")
                ours.append(t)
                sizes.add(size)
                t = timed(b.cli(ds.db, ref_sql, csv_out=True))
                log(f"{b.name} export {tool} run {i + 1}: {fmt_s(t)}")
                ref.append(t)
        o, r = median(ours), median(ref)
        speed = lambda t: f"{rows / t:,.0f} rows/s"
        self.add(Row(b.name, f"CSV export, {rows:,} rows (regulator tier) vs {tool}",
                     f"{fmt_s(o)} = {speed(o)} (min {fmt_s(min(ours))})", f"{fmt_s(r)} = {speed(r)} (min {fmt_s(min(ref))})",
                     f"{r / o:.2f}× speed", "≥ 0.8× speed", r / o >= 0.8,
                     f"ours {max(sizes) / 1e6:,.0f} MB per export", {"ours": ours, "reference": ref, "rows": rows}))
        if isinstance(b, Sqlite):
            self.row_datasette(ds, rows, ours)
        else:
            self.add(Row(b.name, "CSV export vs datasette", "–", "–", "–", "≥ 3× speed", None,
                         "datasette serves SQLite files only; see the sqlite rows"))

    def row_datasette(self, ds: Dataset, rows: int, ours: list[float]) -> None:
        a = self.args
        port = free_port()
        path = ds.backend.path(ds.db)  # type: ignore[attr-defined]
        cmd = [str(BENCH / ".venv" / "bin" / "datasette"), "serve", "-i", str(path), "-h", "127.0.0.1", "-p", str(port),
               "--setting", "max_csv_mb", "0", "--setting", "sql_time_limit_ms", "60000", "--setting", "num_sql_threads", "2"]
        run(["sqlite3", str(path), "PRAGMA wal_checkpoint(TRUNCATE);"])
        cols = "&".join(f"_col={c}" for c in DATASETTE_COLUMNS)
        url = (f"http://127.0.0.1:{port}/{path.stem}/complaints.csv?_stream=on&_size=max&_labels=off"
               f"&status__notin=held,rejected&{cols}")
        times: list[float] = []
        with Server(f"{ds.backend.name}-datasette", cmd, {}, port, "/-/versions.json"):
            for i in range(max(1, a.datasette_runs)):
                t, size = download(url)
                log(f"datasette run {i + 1}: {fmt_s(t)}, {size / 1e6:,.0f} MB")
                times.append(t)
        o, r = median(ours), median(times)
        self.add(Row("sqlite", f"CSV export, {rows:,} rows vs datasette CSV stream",
                     f"{fmt_s(o)} = {rows / o:,.0f} rows/s", f"{fmt_s(r)} = {rows / r:,.0f} rows/s (min {fmt_s(min(times))})",
                     f"{r / o:.2f}× speed", "≥ 3× speed", r / o >= 3,
                     "datasette streams the raw table columns (no joins or sub-queries; all narratives)",
                     {"ours": ours, "reference": times}))

    def row_memory(self, ds: Dataset) -> None:
        b = ds.backend
        total = self.export_rows(ds)
        # The most recent tenth of the data as the small export (a date filter on the same file).
        offset = max(0, total // 10 - 1)
        last = b.query(ds.db, "SELECT received_at FROM complaints WHERE status NOT IN ('held', 'rejected') "
                              f"ORDER BY received_at DESC LIMIT 1 OFFSET {offset}")
        day = (dt.datetime.fromisoformat(last.replace(" ", "T")[:19]) + dt.timedelta(hours=8)).date() + dt.timedelta(days=1)
        peaks = {}
        for label, query in (("small", f"&from={day.isoformat()}"), ("full", "")):
            with self.serve(ds, f"memory-{label}") as srv:
                base = srv.memory()["VmHWM"]
                h = Http(srv.port, ds.regulator_token)
                h.conn.request("GET", f"/api/v1/exports/complaints.csv?tier=regulator{query}", headers=h.headers)
                resp = h.conn.getresponse()
                if resp.status == 404:
                    self.add(Row(b.name, "export peak RSS", "–", "–", "–", "–", None, "export endpoint not found"))
                    return
                # A deliberately slow consumer (Python's csv parser) counts the records: the
                # server must not buffer ahead of it.
                reader = csv.reader(io.TextIOWrapper(resp, encoding="utf-8-sig", newline=""))
                n = sum(1 for _ in reader) - 1
                peaks[label] = (srv.memory()["VmHWM"], n, base)
                log(f"{b.name} export memory {label}: {n:,} records, peak RSS {peaks[label][0] / 2**20:.1f} MiB "
                    f"(after start {base / 2**20:.1f} MiB)")
        (small, ns, _), (full, nf, _) = peaks["small"], peaks["full"]
        ok = full < 100 * 2**20 and full <= small * 1.5
        note = "" if nf == total else f"full export had {nf:,} records, expected {total:,}"
        self.add(Row(b.name, f"export peak RSS, {nf:,} vs {ns:,} rows", f"{full / 2**20:.1f} MiB", f"{small / 2**20:.1f} MiB",
                     f"{full / small:.2f}×", "flat (≤ 1.5×), < 100 MiB", ok and not note, note,
                     {"full": full, "small": small, "rows_full": nf, "rows_small": ns}))

    # -- staff queue and search ------------------------------------------------------------------

    def row_queue(self, ds: Dataset) -> None:
        a, b = self.args, ds.backend
        filters = QUEUE_FILTERS
        with self.serve(ds, "queue") as srv:
            h = Http(srv.port, ds.admin_token)
            status, body, _ = h.get(f"/api/v1/cases?{filters}&limit=1")
            if status == 404:
                self.add(Row(b.name, "staff queue page 2,000 deep", "–", "–", "–", "–", None, "GET /api/v1/cases not found"))
                return
            cursor, depth, walk = None, 0, []
            t0 = time.perf_counter()
            # Page n is reached by following n - 1 cursors.
            while depth < a.queue_depth - 1:
                doc, elapsed = h.get_json(f"/api/v1/cases?{filters}" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
                nxt = doc.get("next_cursor")
                if not nxt:
                    break
                cursor, depth = nxt, depth + 1
                walk.append(elapsed)
            log(f"{b.name} queue: walked {depth} pages in {time.perf_counter() - t0:.1f} s "
                f"(p50 {median(walk) * 1000:.1f} ms, p99 {percentile(walk, 99) * 1000:.1f} ms)")
            path = f"/api/v1/cases?{filters}" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
            lat = latencies(srv.port, ds.admin_token, path, a.requests)
        p99, p50 = percentile(lat, 99), median(lat)
        note = (f"walk through pages 1–{depth}: p50 {median(walk) * 1000:.1f} ms, p99 {percentile(walk, 99) * 1000:.1f} ms"
                if walk else "")
        if depth < a.queue_depth - 1:
            note += f"; only {depth + 1} pages exist with these filters at this count"
        self.add(Row(b.name, f"staff queue page {depth + 1:,} ({filters}), {len(lat)} req",
                     f"p99 {p99 * 1000:.1f} ms (p50 {p50 * 1000:.1f} ms)", "–", "–", "p99 < 50 ms", p99 < 0.050, note,
                     {"latencies": lat, "walk": walk}))

    def row_search(self, ds: Dataset) -> None:
        a, b = self.args, ds.backend
        q = urllib.parse.quote("降级入口")
        with self.serve(ds, "search") as srv:
            h = Http(srv.port, ds.admin_token)
            status, body, _ = h.get(f"/api/v1/cases?q={q}")
            if status == 404:
                self.add(Row(b.name, "CJK search q=降级入口", "–", "–", "–", "–", None, "GET /api/v1/cases not found"))
                return
            items = len(json.loads(body).get("items", []))
            lat = latencies(srv.port, ds.admin_token, f"/api/v1/cases?q={q}", a.requests)
        p95 = percentile(lat, 95)
        self.add(Row(b.name, f"CJK search q=降级入口, first page, {len(lat)} req",
                     f"p95 {p95 * 1000:.1f} ms (p50 {median(lat) * 1000:.1f} ms)", "–", "–", "p95 < 100 ms", p95 < 0.100,
                     f"{items} items on the first page", {"latencies": lat}))


def wrk(url: str, script: Path, connections: int, seconds: int) -> tuple[float, int, int]:
    """Requests per second, non-2xx count and total requests of one wrk run."""
    out = run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "-s", str(script), url]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(m.group(1)) if m else 0, total


# ---------------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1_000_000, help="synthetic complaints in the dataset (default 1,000,000)")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--only", default="", help="comma-separated rows to run: seed,intake,summary,export,memory,queue,search")
    p.add_argument("--runs", type=int, default=3, help="runs per timed row (export, summary use at least this many)")
    p.add_argument("--requests", type=int, default=200, help="requests per latency row (queue, search)")
    p.add_argument("--summary-requests", type=int, default=10, help="requests of GET /api/v1/stats")
    p.add_argument("--datasette-runs", type=int, default=2, help="runs of the (slow) datasette export")
    p.add_argument("--queue-depth", type=int, default=2000, help="page of the staff queue to time")
    p.add_argument("--intake-runs", type=int, default=3)
    p.add_argument("--intake-seconds", type=int, default=10)
    p.add_argument("--intake-connections", type=int, default=50)
    p.add_argument("--reseed", action="store_true", help="seed the dataset again even if bench/data has it")
    p.add_argument("--keep-pg", action="store_true", help="keep the PostgreSQL dataset for the next run (default: drop it)")
    p.add_argument("--no-build", action="store_true", help="use the binaries already built")
    args = p.parse_args()
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    want = (lambda r: not only or r in only)

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    bench.build()
    started = dt.datetime.now()
    backends: list[Backend] = []
    if args.db in ("sqlite", "both"):
        backends.append(Sqlite())
    if args.db in ("postgres", "both"):
        backends.append(Postgres())
    for backend in backends:
        if want("intake"):
            bench.row_intake(backend)
        needs_data = any(want(r) for r in ("seed", "summary", "export", "memory", "queue", "search"))
        if not needs_data:
            continue
        ds = bench.dataset(backend)
        try:
            for name, fn in (("seed", bench.row_seed), ("summary", bench.row_summary), ("export", bench.row_export),
                             ("memory", bench.row_memory), ("queue", bench.row_queue), ("search", bench.row_search)):
                if want(name):
                    try:
                        fn(ds)
                    except Exception as e:  # one broken row must not hide the others
                        log(f"{backend.name} {name}: {e!r}")
                        bench.add(Row(backend.name, name, "error", "–", "–", "–", False, str(e)[:300]))
        finally:
            if isinstance(backend, Postgres) and not args.keep_pg:
                backend.drop(ds.db)
                (DATA / f"postgres-{ds.count}.json").unlink(missing_ok=True)

    desc = machine()
    loads = [r.raw["loadavg_1m"] for r in bench.rows if "loadavg_1m" in r.raw]
    if loads:
        desc += f"; 1-minute load average when rows finished: {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores"
    report = (f"bench/run --count {args.count} --db {args.db} — {started:%Y-%m-%d %H:%M}\n"
              f"machine: {desc}\n" + (f"WARNING: {bench.stale_binary}\n" if bench.stale_binary else "")
              + f"\n{table(bench.rows)}\n")
    print(report)
    stamp = f"{started:%Y%m%d-%H%M}-{args.db}-{args.count}"
    (RESULTS / f"{stamp}.md").write_text(report)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(
        {"started": started.isoformat(), "machine": desc, "args": vars(args),
         "rows": [r.__dict__ for r in bench.rows]}, indent=2, ensure_ascii=False, default=str))
    return 0 if all(r.ok is not False for r in bench.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
