#!/usr/bin/env python3
"""Mixed-traffic load test of issue 7: N concurrent clients for a fixed time on loopback.

Started by `bench/load` (which installs what it needs). It takes (or seeds) a demo dataset with
the same machinery as bench/bench.py, works on a private copy of it so the cached dataset stays
as it was, starts the release server and runs three kinds of simulated people at once, each a
closed loop (the next request when the previous one is answered) with a short think time:

- consumers: the home page, the complaint form, filings through the form (multipart, with the
  form token and the minimum fill time) and through the JSON API, tracking lookups (HTML and
  JSON) of codes filed during the run, public statistics;
- reviewers: a staff session (logged in through the login form) reading the HTML queue with
  filters and searches and case pages, and the JSON queue walking keyset cursors with a token;
- regulators: the dashboard, /api/v1/stats and CSV exports of the last 30 days.

Every response must have the expected status (zero errors is the target); latencies are
reported per kind of request (p50, p95, p99, max) and overall, with throughput. Results go to
stdout and to bench/results/load-<date>-<db>.{md,json}.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import sys
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import aiohttp
from yarl import URL

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the shared helpers: servers, datasets, percentiles)

NARRATIVES = [
    "开通会员只要一步，想降级到基础版却找不到入口。客服说只有到期前三天才能操作，到时候又提示系统繁忙，"
    "最后还是按高价自动续费了，我要求退还差价。",
    "I upgraded with one tap but the downgrade option is buried under account security. The chat bot never "
    "hands over to a person unless I ask about the premium plan. I want the price difference refunded.",
    "套餐升级在营业厅App首页，降档必须去线下营业厅办理，营业厅又说要先打客服电话预约，电话一直占线，"
    "已经多扣了两个月的费用。",
    "The cancellation page keeps asking me to confirm five times and then says the request failed. Meanwhile "
    "the yearly renewal was charged without any reminder email.",
]
SECTORS = ["telecom", "video_membership", "music_audio", "cloud_storage", "office_software", "gaming",
           "reading_news", "other"]
COMPANIES = ["某视频平台", "某移动通信公司", "某音乐App", "某云盘服务", "某办公软件", "Example Streaming Ltd"]
SEARCHES = ["降级入口", "客服", "自动续费", "退款", "refund", "营业厅"]
TOKEN_RE = re.compile(r'name="form_token" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CASE_LINK_RE = re.compile(r'href="/staff/cases/(\d+)"')


def intake_doc(rng: random.Random) -> dict:
    today = dt.date.today()
    return {
        "sector": rng.choice(SECTORS),
        "company_name": rng.choice(COMPANIES),
        "service_name": "会员服务",
        "plan_from": "高级会员",
        "plan_to": "基础会员",
        "price_from": str(rng.choice([30, 59, 128, 248])),
        "price_to": str(rng.choice([8, 15, 25])),
        "billing_cycle": rng.choice(["monthly", "yearly"]),
        "requested_action": rng.choice(["downgrade", "cancel", "refund", "stop_auto_renewal"]),
        "channels_tried": rng.sample(["app", "website", "hotline", "online_chat"], 2),
        "contact_attempts": rng.randint(1, 9),
        "first_attempt_on": (today - dt.timedelta(days=rng.randint(1, 90))).isoformat(),
        "outcome": "not_resolved",
        "narrative": rng.choice(NARRATIVES),
        "province": rng.choice(["110000", "310000", "440000", "510000"]),
        "contact_email": f"load{rng.randint(1, 10**9)}@example.org",
        "consent_share_narrative": rng.random() < 0.5,
        "consent_contact_company": True,
        "language": rng.choice(["zh-CN", "en"]),
    }


class Stats:
    def __init__(self) -> None:
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def ok(self, kind: str, elapsed: float) -> None:
        self.lat[kind].append(elapsed)

    def fail(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 20:
            self.samples.append(f"{kind}: {what}")


class Client:
    """One simulated person: an aiohttp session (own cookie jar) and a request helper."""

    def __init__(self, base: str, stats: Stats, deadline: float, rng: random.Random, think: float):
        self.base, self.stats, self.deadline, self.rng, self.think = base, stats, deadline, rng, think
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                             timeout=aiohttp.ClientTimeout(total=120))

    async def req(self, kind: str, method: str, path: str, expect: tuple[int, ...] = (200,), **kw) -> tuple[int, str, dict]:
        t = time.perf_counter()
        try:
            async with self.session.request(method, self.base + path, allow_redirects=False, **kw) as r:
                body = await r.read()
                elapsed = time.perf_counter() - t
                if r.status not in expect:
                    self.stats.fail(kind, f"{method} {path} -> {r.status}: {body[:200]!r}")
                    return r.status, "", {}
                self.stats.ok(kind, elapsed)
                return r.status, body.decode("utf-8", errors="replace"), dict(r.headers)
        except Exception as e:  # timeouts, resets: all count as errors
            self.stats.fail(kind, f"{method} {path}: {type(e).__name__} {e}")
            return 0, "", {}

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.think))

    def running(self) -> bool:
        return time.perf_counter() < self.deadline

    async def close(self) -> None:
        await self.session.close()


async def consumer(c: Client, codes: list[str], min_fill: float) -> None:
    while c.running():
        x = c.rng.random()
        if x < 0.10:
            await c.req("public: home", "GET", "/")
        elif x < 0.30:
            await c.req("public: form view", "GET", "/complaints/new")
        elif x < 0.42:
            status, body, _ = await c.req("public: form view", "GET", "/complaints/new")
            m = TOKEN_RE.search(body)
            if status == 200 and m:
                await asyncio.sleep(min_fill)
                doc = intake_doc(c.rng)
                form = aiohttp.FormData()
                form.add_field("form_token", m.group(1))
                form.add_field("website", "")
                for k, v in doc.items():
                    if isinstance(v, list):
                        for item in v:
                            form.add_field(k, item)
                    elif isinstance(v, bool):
                        if v:
                            form.add_field(k, "on")
                    else:
                        form.add_field(k, str(v))
                # What a browser sends for a file input left empty; it also makes the body multipart,
                # as the form's enctype says.
                form.add_field("evidence", b"", filename="", content_type="application/octet-stream")
                status, _, headers = await c.req("public: file via form", "POST", "/complaints", (303,), data=form)
                loc = headers.get("Location", "")
                if status == 303 and loc:
                    await c.req("public: receipt page", "GET", loc)
            elif status == 200:
                c.stats.fail("public: form view", "no form_token in the form")
        elif x < 0.62:
            status, body, _ = await c.req("api: file complaint", "POST", "/api/v1/complaints", (201,),
                                          json=intake_doc(c.rng))
            if status == 201:
                codes.append(json.loads(body)["tracking_code"])
        elif x < 0.80 and codes:
            await c.req("public: track page", "GET", f"/track/{c.rng.choice(codes)}")
        elif x < 0.92 and codes:
            await c.req("api: track", "GET", f"/api/v1/complaints/{c.rng.choice(codes)}")
        else:
            await c.req("public: stats", "GET", "/stats")
        await c.pause()


async def login(c: Client, email: str, password: str) -> bool:
    status, body, _ = await c.req("staff: login", "GET", "/staff/login")
    m = CSRF_RE.search(body)
    if status != 200 or not m:
        return False
    status, _, _ = await c.req("staff: login", "POST", "/staff/login", (303,),
                               data={"email": email, "password": password, "csrf_token": m.group(1)})
    return status == 303


async def reviewer(c: Client, token: str, logged_in: bool) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    case_ids: list[str] = []
    while c.running():
        x = c.rng.random()
        if x < 0.30 and logged_in:
            q = {"sector": c.rng.choice(SECTORS)}
            if c.rng.random() < 0.4:
                q = {"q": c.rng.choice(SEARCHES)}
            status, body, _ = await c.req("staff: queue page", "GET", "/staff/cases?" + urllib.parse.urlencode(q))
            case_ids = CASE_LINK_RE.findall(body) or case_ids
        elif x < 0.55 and logged_in and case_ids:
            await c.req("staff: case page", "GET", f"/staff/cases/{c.rng.choice(case_ids)}")
        elif x < 0.85:
            # Walk a few pages of the JSON queue by cursor, as an integration would.
            path = "/api/v1/cases?" + urllib.parse.urlencode({"sector": c.rng.choice(SECTORS), "limit": 50})
            for _ in range(c.rng.randint(1, 5)):
                status, body, _ = await c.req("api: queue page", "GET", path, headers=auth)
                if status != 200:
                    break
                nxt = json.loads(body).get("next_cursor")
                if not nxt:
                    break
                path = "/api/v1/cases?" + urllib.parse.urlencode({"cursor": nxt})
        else:
            await c.req("api: search", "GET", "/api/v1/cases?" + urllib.parse.urlencode({"q": c.rng.choice(SEARCHES)}),
                        headers=auth)
        await c.pause()


async def regulator(c: Client, token: str, logged_in: bool) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    since = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    while c.running():
        x = c.rng.random()
        if x < 0.35 and logged_in:
            await c.req("regulator: dashboard", "GET", "/regulator")
        elif x < 0.70:
            await c.req("api: stats", "GET", "/api/v1/stats", headers=auth)
        else:
            await c.req("api: export csv (30 days)", "GET",
                        f"/api/v1/exports/complaints.csv?tier=regulator&from={since}", headers=auth)
        await c.pause()


async def drive(base: str, args: argparse.Namespace, tokens: dict, stats: Stats) -> float:
    deadline = time.perf_counter() + args.seconds
    rng = random.Random(args.seed)
    codes: list[str] = []  # tracking codes filed during the run, for the tracking lookups
    n_reg = max(1, args.clients // 20)
    n_rev = max(1, args.clients // 5)
    n_con = max(1, args.clients - n_reg - n_rev)
    # One sign-in per role, its session cookie shared by that role's clients: every client comes
    # from 127.0.0.1, and the per-address sign-in throttle (a brute-force guard) would refuse 50
    # sign-ins in a burst from one address.
    signed_in: dict[str, tuple[bool, object]] = {}
    for role, email in (("admin", bench.ADMIN), ("regulator", bench.REGULATOR)):
        lc = Client(base, stats, deadline, random.Random(1), 0)
        ok = await login(lc, email, bench.PASSWORD)
        if not ok:
            stats.fail("staff: login", f"{role} could not sign in")
        signed_in[role] = (ok, lc.session.cookie_jar.filter_cookies(URL(base)))
        await lc.close()

    clients: list[Client] = []

    def client(role: str | None = None) -> Client:
        c = Client(base, stats, deadline, random.Random(rng.random()), args.think)
        if role:
            c.session.cookie_jar.update_cookies(signed_in[role][1])
        clients.append(c)
        return c

    tasks = [consumer(client(), codes, args.min_fill) for _ in range(n_con)]
    tasks += [reviewer(client("admin"), tokens["admin"], signed_in["admin"][0]) for _ in range(n_rev)]
    tasks += [regulator(client("regulator"), tokens["regulator"], signed_in["regulator"][0]) for _ in range(n_reg)]
    bench.log(f"load: {n_con} consumers, {n_rev} reviewers, {n_reg} regulators for {args.seconds} s")
    t = time.perf_counter()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t
    for c in clients:
        await c.close()
    return elapsed


def report(stats: Stats, elapsed: float, args: argparse.Namespace, db: str) -> tuple[str, dict]:
    ms = lambda x: f"{x * 1000:.1f}"
    lines = ["| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    everything: list[float] = []
    raw = {}
    for kind in sorted(set(stats.lat) | set(stats.errors)):
        xs = stats.lat.get(kind, [])
        everything += xs
        err = stats.errors.get(kind, 0)
        if xs:
            lines.append(f"| {kind} | {len(xs):,} | {err} | {ms(bench.median(xs))} | {ms(bench.percentile(xs, 95))} | "
                         f"{ms(bench.percentile(xs, 99))} | {ms(max(xs))} |")
        else:
            lines.append(f"| {kind} | 0 | {err} | – | – | – | – |")
        raw[kind] = {"count": len(xs), "errors": err,
                     "p50": bench.median(xs) if xs else None, "p99": bench.percentile(xs, 99) if xs else None}
    errors = sum(stats.errors.values())
    lines.append(f"| **all** | {len(everything):,} | {errors} | {ms(bench.median(everything))} | "
                 f"{ms(bench.percentile(everything, 95))} | {ms(bench.percentile(everything, 99))} | {ms(max(everything))} |")
    head = (f"Load test ({db}): {args.clients} concurrent clients for {elapsed:.0f} s on loopback, dataset "
            f"{args.count:,} complaints, think time 0–{args.think * 1000:.0f} ms; "
            f"{len(everything) / elapsed:,.0f} requests/s, {errors} errors.")
    text = head + "\n\n" + "\n".join(lines)
    if stats.samples:
        text += "\n\nFirst errors:\n" + "\n".join(f"- {s}" for s in stats.samples)
    return text, {"db": db, "clients": args.clients, "seconds": elapsed, "count": args.count, "errors": errors,
                  "requests": len(everything), "kinds": raw, "machine": bench.machine(),
                  "date": dt.datetime.now().isoformat(timespec="seconds"), "error_samples": stats.samples}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    p.add_argument("--count", type=int, default=100_000, help="complaints in the dataset (seeded once, then reused)")
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--seconds", type=int, default=300)
    p.add_argument("--think", type=float, default=0.2, help="maximum think time between requests, seconds")
    p.add_argument("--min-fill", type=float, default=1.0, help="seconds a form stays open before it is sent")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--reseed", action="store_true")
    args = p.parse_args()
    # The dataset machinery of bench.py, with its defaults for what the load test does not use.
    bargs = argparse.Namespace(count=args.count, reseed=args.reseed, no_build=True)
    b = bench.Bench(bargs)
    if not args.no_build:
        bench.log("building downgrade-watch (release)")
        bench.run(["cargo", "build", "--release", "--quiet", "--bin", "downgrade-watch"], cwd=bench.ROOT, capture=False)
    backends = {"sqlite": [bench.Sqlite()], "postgres": [bench.Postgres()],
                "both": [bench.Sqlite(), bench.Postgres()]}[args.db]
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    failed = False
    for backend in backends:
        ds = b.dataset(backend)
        work = f"dw_load_{args.count}"
        backend.clone(ds.db, work)
        ds_work = bench.Dataset(backend, work, ds.count, ds.seed_seconds, ds.seeded_at, True, ds.admin_token,
                                ds.regulator_token)
        stats = Stats()
        try:
            with b.serve(ds_work, "load", {"DW_MIN_FILL_SECONDS": str(max(0, int(args.min_fill)))}) as srv:
                elapsed = asyncio.run(drive(f"http://127.0.0.1:{srv.port}", args,
                                            {"admin": ds.admin_token, "regulator": ds.regulator_token}, stats))
                healthy = bench.Http(srv.port).get("/healthz")[0] == 200
        finally:
            backend.drop(work)
        text, raw = report(stats, elapsed, args, backend.name)
        if not healthy:
            text += "\n\nThe server did not answer /healthz after the run."
        print(text + "\n")
        stamp = dt.datetime.now().strftime("%Y-%m-%d")
        (bench.RESULTS / f"load-{stamp}-{backend.name}.md").write_text(text + "\n", encoding="utf-8")
        (bench.RESULTS / f"load-{stamp}-{backend.name}.json").write_text(json.dumps(raw, indent=2, ensure_ascii=False))
        failed = failed or raw["errors"] > 0 or not healthy
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
