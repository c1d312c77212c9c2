"""Open-loop load on the whole product, as ``make run`` starts it on this machine.

Starts ``recoloca dev`` in a fresh folder, measures the ceiling (the raw offline rate of
``parse_file`` + ``analyse`` on the same two-page PDF, one process per CPU), then offers
uploads at fixed rates — each phase a fixed schedule, whatever the answers — and waits
for every CV to be scored over the users' event streams. During the 20/s phase a coach
conversation and a stream of signed Stripe webhooks run beside the uploads. Prints one
Markdown table (the README's) and the side measurements.

    python -m bench.load [--rates 10,20,30,40,60] [--seconds 20] [--users 40]

Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.analysis import two_page_cv
from bench.coach import QUESTIONS, _user
from bench.pipeline import _percentile
from consumers.parsing.parser import parse_file
from consumers.scoring.analyser import analyse
from schemas.files import FileKind
from tests.support import stripe_objects as so
from tests.support.billing import signed
from tests.support.dev_run import ROOT, DevRun, children_of
from tests.support.sse import read_events

WEBHOOK_SECRET = "whsec_bench_load"
# Settings of the run under load: no per-user budgets or plan limits in the way.
RUN_ENV = {
    "RECOLOCA_RATELIMIT_ENABLED": "false",
    "RECOLOCA_BILLING_FREE_ANALYSES_PER_MONTH": "1000000",
    "RECOLOCA_BILLING_FREE_COACH_MESSAGES_PER_DAY": "1000000",
    "RECOLOCA_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "RECOLOCA_OUTBOX_POLL_SECONDS": "0.5",
    "RECOLOCA_LOG_LEVEL": "WARNING",
}
DRAIN_SECONDS = 180.0


@dataclass
class Upload:
    sent: float
    accepted: float | None = None
    status: int | None = None
    done: float | None = None
    failed: bool = False


@dataclass
class Phase:
    rate: float
    uploads: dict[str, Upload] = field(default_factory=dict)
    errors: int = 0
    # What each error was: an HTTP status, or the client's exception.
    error_kinds: Counter[str] = field(default_factory=Counter)
    backlog: int = 0
    started: float = 0.0
    ended: float = 0.0


@dataclass
class Watcher:
    """Every CV's completion as the users' event streams report it."""

    done: dict[str, float] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    coach: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    arrived: dict[str, asyncio.Event] = field(default_factory=dict)

    def wait(self, key: str) -> asyncio.Event:
        return self.arrived.setdefault(key, asyncio.Event())

    def seen(self, key: str) -> None:
        self.wait(key).set()


# -- the ceiling -------------------------------------------------------------------------


def _analyse_many(pdf: bytes, seconds: float) -> int:
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        analyse(parse_file(pdf, FileKind.PDF), None)
        done += 1
    return done


def ceiling(pdf: bytes, processes: int, seconds: float = 10.0) -> float:
    """CVs per second of the bare analysis in ``processes`` processes, nothing else running."""
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_analyse_many, [pdf] * processes, [1.0] * processes))  # imports, caches
        started = time.perf_counter()
        total = sum(pool.map(_analyse_many, [pdf] * processes, [seconds] * processes))
        return total / (time.perf_counter() - started)


# -- the client --------------------------------------------------------------------------


async def _watch(client: httpx.AsyncClient, headers: dict[str, str], watcher: Watcher) -> None:
    async with client.stream("GET", "/v1/events", headers=headers, timeout=None) as stream:
        watcher.seen(f"stream:{headers['Authorization']}")
        async for event in read_events(stream):
            now = time.perf_counter()
            data = event.data
            if event.event in ("cv.scored", "cv.failed"):
                cv_id = str(data.get("cv_id"))
                watcher.done.setdefault(cv_id, now)
                if event.event == "cv.failed":
                    watcher.failed.add(cv_id)
                watcher.seen(cv_id)
            elif event.event == "notification.created":
                watcher.seen(f"notice:{headers['Authorization']}:{data.get('template')}")
            elif event.event == "coach.reply.delta":
                reply = str(data.get("message_id"))
                first, last = watcher.coach.get(reply, (None, None))
                watcher.coach[reply] = (first or now, last)
            elif event.event == "coach.reply.completed":
                reply = str(data.get("message_id"))
                first, _ = watcher.coach.get(reply, (None, None))
                watcher.coach[reply] = (first or now, now)
                watcher.seen(reply)


async def _upload(
    client: httpx.AsyncClient, headers: dict[str, str], pdf: bytes, phase: Phase
) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(
            "/v1/cvs", headers=headers, files={"file": ("cv.pdf", pdf, "application/pdf")}
        )
    except httpx.HTTPError as exc:
        phase.errors += 1
        phase.error_kinds[type(exc).__name__] += 1
        return
    if response.status_code != 202:
        phase.errors += 1
        try:
            code = response.json().get("code", "")
        except ValueError:
            code = ""
        phase.error_kinds[f"HTTP {response.status_code} {code}".strip()] += 1
        return
    phase.uploads[response.json()["id"]] = Upload(
        sent=started, accepted=time.perf_counter(), status=response.status_code
    )


async def offer(
    client: httpx.AsyncClient,
    users: list[dict[str, str]],
    pdf: bytes,
    rate: float,
    seconds: float,
    watcher: Watcher,
) -> Phase:
    """Uploads on a fixed schedule (open loop: a slow answer never delays the next one),
    then waits until every accepted CV is reported done."""
    phase = Phase(rate=rate)
    count = round(rate * seconds)
    phase.started = time.perf_counter()
    tasks = []
    for n in range(count):
        due = phase.started + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(_upload(client, users[n % len(users)], pdf, phase)))
    await asyncio.gather(*tasks)
    phase.ended = time.perf_counter()
    phase.backlog = sum(1 for cv_id in phase.uploads if cv_id not in watcher.done)
    deadline = time.perf_counter() + DRAIN_SECONDS
    for cv_id in list(phase.uploads):
        left = deadline - time.perf_counter()
        try:
            await asyncio.wait_for(watcher.wait(cv_id).wait(), max(0.01, left))
        except TimeoutError:
            break
    for cv_id, upload in phase.uploads.items():
        upload.done = watcher.done.get(cv_id)
        upload.failed = cv_id in watcher.failed
    return phase


async def _scored_cv(
    client: httpx.AsyncClient, headers: dict[str, str], pdf: bytes, watcher: Watcher
) -> float:
    started = time.perf_counter()
    response = await client.post(
        "/v1/cvs", headers=headers, files={"file": ("cv.pdf", pdf, "application/pdf")}
    )
    response.raise_for_status()
    cv_id = response.json()["id"]
    await asyncio.wait_for(watcher.wait(cv_id).wait(), 60)
    return watcher.done[cv_id] - started


async def coach_while_loaded(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    watcher: Watcher,
    until: float,
) -> list[float]:
    """Messages one after another in one session; seconds to each reply's first delta."""
    created = await client.post("/v1/coach/sessions", headers=headers, json={})
    created.raise_for_status()
    path = f"/v1/coach/sessions/{created.json()['id']}/messages"
    firsts: list[float] = []
    n = 0
    while time.perf_counter() < until:
        started = time.perf_counter()
        sent = await client.post(path, headers=headers, json={"text": QUESTIONS[n % 4]})
        sent.raise_for_status()
        reply = sent.json()["reply_id"]
        try:
            await asyncio.wait_for(watcher.wait(reply).wait(), 30)
        except TimeoutError:
            # Counted as what it is at least, rather than stopping the run: an overloaded
            # machine is what this measures.
            firsts.append(time.perf_counter() - started)
            continue
        first = watcher.coach[reply][0]
        assert first is not None
        firsts.append(first - started)
        n += 1
        await asyncio.sleep(0.2)
    return firsts


async def webhooks_while_loaded(client: httpx.AsyncClient, until: float) -> list[float]:
    """Signed subscription events at 10/s (customers the product does not know: acked,
    recorded, and applied to nobody); seconds to each acknowledgement."""
    acks: list[float] = []
    while time.perf_counter() < until:
        event = so.event(
            "customer.subscription.updated",
            so.subscription(customer=f"cus_{uuid.uuid4().hex[:14]}"),
        )
        body, headers = signed(event, WEBHOOK_SECRET)
        started = time.perf_counter()
        response = await client.post("/webhooks/stripe", content=body, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"webhook refused: {response.status_code} {response.text}")
        acks.append(time.perf_counter() - started)
        await asyncio.sleep(0.1)
    return acks


# -- where the CPU goes -----------------------------------------------------------------


def process_label(pid: int) -> str:
    """What a process of the run is: ``api``, ``worker parsing``, ``tansu``..."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    if len(argv) > 2 and argv[1].endswith("/recoloca"):
        return " ".join(argv[2:]).strip()
    if any("forkserver" in a for a in argv):
        return "parse sandbox"
    name = Path(argv[0]).name if argv and argv[0] else "?"
    return name.split(":")[0]


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_CLIENT = "load client"


def cpu_seconds(root: int) -> dict[str, float]:
    """CPU time so far of every process under ``root`` (the run), by what it is."""
    totals: dict[str, float] = {}
    for pid in children_of(root) | {root}:
        try:
            label, seconds = process_label(pid), process_cpu_seconds(pid)
        except OSError:
            continue
        totals[label] = totals.get(label, 0.0) + seconds
    # The load itself runs on the same cores: what it takes, the product does not get.
    totals[_CLIENT] = time.process_time()
    return totals


def _cpu_table(before: dict[str, float], after: dict[str, float], cvs: int) -> list[str]:
    spent = {k: v - before.get(k, 0.0) for k, v in after.items()}
    client = spent.pop(_CLIENT)
    lines = [f"CPU per CV at 10/s ({cvs} CVs), by process:"]
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        if seconds * 1000 / cvs >= 0.5:
            lines.append(f"  {seconds * 1000 / cvs:6.1f} ms  {label}")
    lines.append(f"  {sum(spent.values()) * 1000 / cvs:6.1f} ms  in all")
    lines.append(f"  {client * 1000 / cvs:6.1f} ms  the load client, on the same cores")
    return lines


# -- the report --------------------------------------------------------------------------


def _ms(values: list[float], fraction: float) -> str:
    return f"{_percentile(values, fraction) * 1000:.0f}" if values else "–"


def _row(phase: Phase) -> tuple[str, float]:
    accepted = [u.accepted - u.sent for u in phase.uploads.values() if u.accepted]
    scored = [u.done - u.sent for u in phase.uploads.values() if u.done]
    finished = [u.done for u in phase.uploads.values() if u.done]
    sustained = len(finished) / (max(finished) - phase.started) if finished else 0.0
    failed = sum(1 for u in phase.uploads.values() if u.failed)
    lost = sum(1 for u in phase.uploads.values() if u.done is None)
    row = (
        f"| {phase.rate:g}/s | {_ms(accepted, 0.5)} / {_ms(accepted, 0.99)} "
        f"| {_ms(scored, 0.5)} / {_ms(scored, 0.95)} / {_ms(scored, 0.99)} "
        f"| {sustained:.1f} | {phase.errors + failed + lost} | {phase.backlog} |"
    )
    return row, sustained


@contextmanager
def product(folder: Path) -> Iterator[DevRun]:
    shutil.rmtree(folder, ignore_errors=True)
    run = DevRun(folder / "data", extra_env=RUN_ENV).start()
    try:
        run.wait_ready(timeout=180)
        yield run
    finally:
        run.interrupt(timeout=60)


async def drive(
    base_url: str,
    root: int,
    pdf: bytes,
    rates: list[float],
    seconds: float,
    users: int,
    ceilings: tuple[float, float],
) -> int:
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    watcher = Watcher()
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        # Straight after /readyz: is the first CV as fast as the tenth? One account first,
        # and what its sign-up sets off (the welcome notice) done: the other accounts'
        # sign-ups (password hashing, welcome mails) would otherwise be measured with it.
        first = await _user(client)
        streams = [asyncio.create_task(_watch(client, first, watcher))]
        await asyncio.wait_for(watcher.wait(f"notice:{first['Authorization']}:welcome").wait(), 30)
        first_ten = [await _scored_cv(client, first, pdf, watcher) for _ in range(10)]

        accounts = [first, *[await _user(client) for _ in range(users - 1)]]
        streams += [asyncio.create_task(_watch(client, h, watcher)) for h in accounts[1:]]
        for headers in accounts:
            await asyncio.wait_for(watcher.wait(f"stream:{headers['Authorization']}").wait(), 30)
        # Warm-up at a gentle rate, not reported.
        await offer(client, accounts, pdf, 10, 5, watcher)

        rows: list[str] = []
        cpu: list[str] = []
        best = 0.0
        side: dict[str, list[float]] = {}
        misses: list[str] = []
        for rate in rates:
            if rate == 20:
                until = time.perf_counter() + seconds
                coach = asyncio.create_task(coach_while_loaded(client, accounts[1], watcher, until))
                hooks = asyncio.create_task(webhooks_while_loaded(client, until))
            before = cpu_seconds(root)
            phase = await offer(client, accounts, pdf, rate, seconds, watcher)
            if rate == 10:
                cpu = _cpu_table(before, cpu_seconds(root), len(phase.uploads))
            if rate == 20:
                side["coach first delta"] = await coach
                side["webhook ack"] = await hooks
            row, sustained = _row(phase)
            print(row, flush=True)
            failed = sum(1 for u in phase.uploads.values() if u.failed)
            lost = sum(1 for u in phase.uploads.values() if u.done is None and not u.failed)
            if phase.errors or failed or lost:
                print(
                    f"  errors at {rate:g}/s: uploads {dict(phase.error_kinds)}, "
                    f"cv.failed {failed}, not done within {DRAIN_SECONDS:.0f} s {lost}",
                    flush=True,
                )
            rows.append(row)
            best = max(best, sustained)
            accepted = [u.accepted - u.sent for u in phase.uploads.values() if u.accepted]
            scored = [u.done - u.sent for u in phase.uploads.values() if u.done]
            if rate <= 40 and accepted and _percentile(accepted, 0.99) >= 0.050:
                misses.append(f"202 p99 at {rate:g}/s")
            if rate == 20 and scored and _percentile(scored, 0.95) >= 0.500:
                misses.append("upload→scored p95 at 20/s")
            if phase.errors or any(u.done is None or u.failed for u in phase.uploads.values()):
                misses.append(f"errors at {rate:g}/s")
        for task in streams:
            task.cancel()
        await asyncio.gather(*streams, return_exceptions=True)

    print(
        "\n| offered | 202 p50 / p99 ms | upload→scored p50 / p95 / p99 ms | sustained CVs/s "
        "| errors | backlog at end of phase |"
    )
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(
        f"first CV after /readyz {first_ten[0] * 1000:.0f} ms, "
        f"tenth {first_ten[9] * 1000:.0f} ms, "
        f"median of ten {statistics.median(first_ten) * 1000:.0f} ms"
    )
    # "As fast as the tenth", with the slack of one run's spread.
    if first_ten[0] > 1.5 * statistics.median(first_ten[1:]):
        misses.append("first CV as fast as the tenth")
    print("\n".join(cpu))
    for name, values in side.items():
        print(
            f"{name} while CVs flow at 20/s: n={len(values)} p50={_ms(values, 0.5)} ms "
            f"p95={_ms(values, 0.95)} ms p99={_ms(values, 0.99)} ms"
        )
    if _percentile(side.get("coach first delta", [1.0]), 0.95) >= 0.300:
        misses.append("coach first delta p95")
    if _percentile(side.get("webhook ack", [1.0]), 0.99) >= 0.050:
        misses.append("webhook ack p99")
    return _summary(best, misses, ceilings)


def _summary(best: float, misses: list[str], ceilings: tuple[float, float]) -> int:
    one, top = ceilings
    ratio = best / top
    print(
        f"ceiling (offline parse + analyse): {top:.1f} CVs/s in {os.cpu_count()} processes, "
        f"{one:.1f} CVs/s in one"
    )
    print(
        f"best sustained {best:.1f} CVs/s = {ratio:.0%} of the ceiling "
        f"({best / one:.0%} of one process's)"
    )
    if best < 30:
        misses.append("sustained ≥ 30 CVs/s")
    if ratio < 0.6:
        misses.append("≥ 60% of the ceiling")
    if misses:
        print("targets missed: " + ", ".join(misses))
        return 1
    print("every target met")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="10,20,30,40,60")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=40)
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",")]

    _, pdf = two_page_cv()
    ceilings = ceiling(pdf, 1), ceiling(pdf, os.cpu_count() or 1)
    print(f"two-page PDF, {len(pdf) / 1024:.0f} KiB; ceiling measured, starting the product")
    started = time.perf_counter()
    with product(ROOT / ".recoloca" / "bench-load") as run:
        print(f"ready in {time.perf_counter() - started:.0f} s\n")
        assert run.process is not None
        root = run.process.pid
        return asyncio.run(
            drive(run.base_url, root, pdf, rates, args.seconds, args.users, ceilings)
        )


if __name__ == "__main__":
    sys.exit(main())
