"""Benchmark of the partner finder's engine: `python -m partners.bench` (no Django, no database).

1. Every UK organisation: the current councils, combined authorities, fire, police and
   health bodies from the register files in data/ (synthetic track record and service
   facts); synthetic UK-like data if the files are not there.
2. 100,000 generated organisations, the scale of every municipality in Europe.

For each: the time to build the matching data once, then the time per query (median and
95th percentile) for the full ranking with reasons for the top 20. On the 100,000 the
similarity factor alone is timed against scikit-learn's brute-force NearestNeighbors
(fitted once, then kneighbors on one row for 20 neighbours), the reference for a
vectorised nearest-neighbour search. scikit-learn is needed for that part only
(requirements-bench.txt); without it the comparison is skipped.

Options: --queries N (default 200), --size N (default 100000), --threads N (BLAS threads;
default: as configured), --seed N.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from partners.engine import (
    ArrangementFact,
    IndicatorSpec,
    MatchingData,
    Query,
    SharedRecord,
    build_matching_data,
    find_partners,
    service_facts,
    similarity_scores,
)

DATA = Path(__file__).resolve().parent.parent / "data"
GROUPS = ("people", "place", "deprivation", "economy")
STATUSES = ("live", "live", "live", "ended", "ended", "disaggregated", "business_case")
SERVICES = ("Building control", "Waste collection", "Revenues and benefits", "ICT", "Legal services", "Procurement")
UNITARY_LIKE = ("UA", "MD", "LBO", "SCO", "WPA", "NID")


# --- Generated data --------------------------------------------------------------------------


def generated(n: int, *, k: int = 32, seed: int = 1, box=(36.0, 70.0, -10.0, 30.0), nations: int = 30):
    """n organisations in a latitude/longitude box: about one county per 20 councils, one
    fire and police area per 80, `k` indicators in four groups (8% missing), about six
    borders each and one shared arrangement per two organisations."""
    rng = np.random.default_rng(seed)
    lat = rng.uniform(box[0], box[1], n)
    lon = rng.uniform(box[2], box[3], n)
    kind = rng.random(n)
    types = np.where(kind < 0.05, "CTY", np.where(kind < 0.35, "NMD", rng.choice(UNITARY_LIKE, n)))
    # Areas: cells of a grid, coarser for fire and police.
    cells = max(1, int(math.sqrt(n / 20)))
    cell = (
        np.floor((lat - box[0]) / (box[1] - box[0]) * cells) * cells
        + np.floor((lon - box[2]) / (box[3] - box[2]) * cells)
    ).astype(int)
    big = cell // 4
    organisations = [
        {
            "code": f"G{i:06d}",
            "name": f"Place {i}",
            "org_type": str(types[i]),
            "nation": f"Nation {cell[i] % nations}",
            "lat": float(lat[i]),
            "lon": float(lon[i]),
            "population": float(rng.lognormal(11.5, 1.0)),
            "areas": {
                "county": f"C{cell[i]}",
                "fire": f"F{big[i]}",
                "police": f"P{big[i]}",
                "health": f"H{big[i] // 2}",
            },
        }
        for i in range(n)
    ]
    specs = [IndicatorSpec(f"{GROUPS[j % 4]}-{j}", f"Indicator {j}", GROUPS[j % 4]) for j in range(k)]
    latent = rng.normal(size=(n, 4))
    values = latent[:, np.arange(k) % 4] + 0.7 * rng.normal(size=(n, k))
    values[rng.random((n, k)) < 0.08] = np.nan
    # Borders: each organisation to the next three in a walk through the grid: about six each.
    order = np.lexsort((lon, cell))
    borders = [
        (organisations[order[a]]["code"], organisations[order[b]]["code"], float(rng.uniform(1, 40)))
        for a in range(n)
        for b in range(a + 1, min(n, a + 4))
    ]
    history = _random_history(rng, [o["code"] for o in organisations], borders, n // 2)
    return organisations, specs, values, borders, history


def _random_history(rng, codes, borders, count):
    picks = rng.integers(0, len(borders), count) if borders else []
    history = []
    for p in picks:
        a, b, _km = borders[p]
        start = int(rng.integers(2000, 2025))
        status = str(rng.choice(STATUSES))
        end = start + int(rng.integers(1, 8)) if status in ("ended", "disaggregated") else None
        history.append((a, b, SharedRecord(str(rng.choice(SERVICES)), start, status, end, members=2)))
    return history


# --- Every UK organisation, from the register files -------------------------------------------


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def uk(seed: int = 1):
    """The current UK councils (and combined authorities) from the register, plus the fire,
    police and health bodies they sit in, with real locations, populations, areas, borders
    and seven indicators; the track record is generated."""
    register = DATA / "register" / "uk_local_authorities.csv"
    if not register.exists():
        return None
    rows = [r for r in _read(register) if r["current-authority"] == "True"]
    by_gss = {r["gss-code"]: r["local-authority-code"] for r in rows if r["gss-code"]}
    areas_file = DATA / "derived" / "lad24_to_service_areas_derived.csv"
    service_areas = {r["lad24cd"]: r for r in _read(areas_file)} if areas_file.exists() else {}
    bodies: dict[str, dict] = {}
    organisations = []
    for r in rows:
        code = r["local-authority-code"]
        areas = {
            "county": r["county-la"] or (code if r["local-authority-type"] == "CTY" else ""),
            "combined": r["combined-authority"],
        }
        sa = service_areas.get(r["gss-code"], {})
        for kind, prefix, org_type in (
            ("fire", "fra", "FRA"),
            ("police", "pfa", "PFA"),
            ("health", "icb", "ICB"),
            ("health", "lhb", "LHB"),
        ):
            if sa.get(f"{prefix}_cd"):
                areas[kind] = sa[f"{prefix}_cd"]
                body = bodies.setdefault(
                    sa[f"{prefix}_cd"],
                    {
                        "code": sa[f"{prefix}_cd"],
                        "name": sa[f"{prefix}_nm"],
                        "org_type": org_type,
                        "nation": r["nation"],
                        "points": [],
                    },
                )
                if r["lat"]:
                    body["points"].append((float(r["lat"]), float(r["long"])))
        organisations.append(
            {
                "code": code,
                "name": r["nice-name"],
                "org_type": r["local-authority-type"],
                "nation": r["nation"],
                "lat": r["lat"],
                "lon": r["long"],
                "population": r["pop-2020"],
                "areas": areas,
            }
        )
    for body in bodies.values():
        points = body.pop("points")
        if points:
            body["lat"], body["lon"] = np.mean(points, axis=0).tolist()
        organisations.append(body)
    specs = [
        IndicatorSpec("deprivation-score", "Deprivation score", "deprivation"),
        IndicatorSpec("high-deprivation", "Residents in the most deprived fifth", "deprivation"),
        IndicatorSpec("low-deprivation", "Residents in the least deprived two fifths", "deprivation"),
        IndicatorSpec("population-density", "Population density", "place", log=True),
        IndicatorSpec("urban", "Residents in urban areas", "place", short="urban share"),
        IndicatorSpec("rural", "Residents in rural areas", "place", short="rural share"),
        IndicatorSpec("highly-rural", "Residents in highly rural areas", "place"),
    ]
    columns = {"deprivation-score": "la-deprivation-score", "population-density": "density"}
    values: dict[str, dict[str, float]] = {}
    for name in ("la_imd.csv", "la_ruc.csv"):
        path = DATA / "indicators" / name
        if path.exists():
            for r in _read(path):
                for spec in specs:
                    cell = r.get(columns.get(spec.key, spec.key)) or ""
                    if cell:
                        values.setdefault(r["local-authority-code"], {})[spec.key] = float(cell)
    borders = []
    for name in ("lad24_adjacency_derived.csv", "ctyua24_adjacency_derived.csv"):
        path = DATA / "derived" / name
        if path.exists():
            borders += [(by_gss.get(r["areacd"], ""), by_gss.get(r["neighbour_cd"], ""), 10.0) for r in _read(path)]
    rng = np.random.default_rng(seed)
    history = _random_history(rng, [o["code"] for o in organisations], borders, len(organisations) // 2)
    return organisations, specs, values, borders, history


# --- Timing ----------------------------------------------------------------------------------


def _times_ms(run: Callable[[int], object], count: int) -> list[float]:
    times = []
    for n in range(count):
        start = time.perf_counter()
        run(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _summary(times: list[float]) -> str:
    p95 = float(np.percentile(times, 95))
    return f"median {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms"


def _service(data: MatchingData, seed: int) -> dict[str, Any]:
    """Facts about one district service: live arrangements of two to five members (one per
    fifty organisations), contract end years for one in twenty, posts on the matchmaking
    board for one in a hundred."""
    rng = np.random.default_rng(seed)
    n, codes = data.size, data.codes
    arrangements = [
        ArrangementFact(a, f"Arrangement {a}", tuple(codes[j] for j in rng.integers(0, n, size)))
        for a, size in enumerate(rng.integers(2, 6, max(10, n // 50)))
    ]
    ends = {codes[j]: int(rng.integers(2025, 2032)) for j in rng.integers(0, n, max(5, n // 20))}
    posts = {codes[j]: "Looking for a partner" for j in rng.integers(0, n, max(3, n // 100))}
    return {"arrangements": arrangements, "contract_end_years": ends, "interest": posts}


def _organisations(data: MatchingData, count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [data.codes[j] for j in rng.choice(np.flatnonzero(data.eligible["district"]), count)]


def bench(name: str, inputs, queries: int, seed: int, compare: bool) -> None:
    organisations, specs, values, borders, history = inputs
    start = time.perf_counter()
    data = build_matching_data(organisations, specs, values, borders, history)
    build = (time.perf_counter() - start) * 1000
    pairs = sum(map(len, data.history.values())) // 2
    print(
        f"\n{name}: {data.size:,} organisations, {len(data.indicators)} indicators, "
        f"{len(data.border_indices) // 2:,} borders, {pairs:,} pairs with history"
    )
    print(f"  build once            {build:10.0f} ms")
    service = _service(data, seed)
    codes = _organisations(data, queries, seed)
    start = time.perf_counter()
    facts = service_facts(data, **service)
    prepare = (time.perf_counter() - start) * 1000
    print(
        f"  service facts once    {prepare:10.1f} ms   ({len(facts.arrangements):,} live arrangements, "
        f"{int(np.isfinite(facts.end_year).sum()):,} contract dates, {len(facts.posts):,} posts)"
    )

    def query(n: int, prepared: bool = True) -> Query:
        common: dict[str, Any] = {
            "service_key": "waste",
            "service_label": "waste collection",
            "tier_rule": "district",
            "year": 2025,
        }
        return Query(codes[n], facts=facts, **common) if prepared else Query(codes[n], **common, **service)

    find_partners(data, query(0))  # warm up
    full = _times_ms(lambda n: find_partners(data, query(n)), queries)
    print(f"  full query (top 20)   {_summary(full)}   ({queries} queries, service facts prepared)")
    raw = _times_ms(lambda n: find_partners(data, query(n, prepared=False)), min(queries, 50))
    print(f"  full query (top 20)   {_summary(raw)}   (service facts passed as they are)")
    if not compare:
        return
    rows = [data.index[code] for code in codes]
    try:
        from sklearn.neighbors import NearestNeighbors
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        ours = _times_ms(lambda n: similarity_scores(data, rows[n]), queries)
        print(f"  similarity step       {_summary(ours)}")
        print("  scikit-learn is not installed: pip install -r requirements-bench.txt for the comparison")
        return
    z = np.ascontiguousarray(data.zt.T, dtype=float)  # the same z-scores, missing as 0 (average)
    start = time.perf_counter()
    nn = NearestNeighbors(n_neighbors=20, algorithm="brute", metric="euclidean").fit(z)
    fit = (time.perf_counter() - start) * 1000
    print(
        f"  similarity step alone (every organisation) against scikit-learn's brute-force NearestNeighbors\n"
        f"  (fitted once in {fit:.0f} ms; then kneighbors on one row, 20 neighbours):"
    )
    configured = max((pool["num_threads"] for pool in threadpool_info()), default=1)
    for threads in dict.fromkeys((configured, 1)):
        with threadpool_limits(threads) if threads == 1 else nullcontext():
            similarity_scores(data, rows[0], threads)  # warm up
            nn.kneighbors(z[rows[0] : rows[0] + 1])
            ours = _times_ms(lambda n, threads=threads: similarity_scores(data, rows[n], threads), queries)
            theirs = _times_ms(lambda n: nn.kneighbors(z[rows[n] : rows[n] + 1]), queries)
        setting = "1 thread each" if threads == 1 else f"{threads} threads each (scikit-learn's BLAS as configured)"
        ratio = statistics.median(theirs) / statistics.median(ours)
        print(f"    {setting}: ours {ratio:.1f} times as fast (median)")
        print(f"      engine        {_summary(ours)}")
        print(f"      scikit-learn  {_summary(theirs)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default: as configured)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    limits = nullcontext()
    if args.threads:
        try:
            from threadpoolctl import threadpool_limits

            limits = threadpool_limits(args.threads)
        except ImportError:
            print("threadpoolctl is not installed (it comes with scikit-learn): --threads ignored")
    with limits:
        print(
            f"Partner finder engine: numpy {np.__version__}"
            + (f", {args.threads} BLAS thread(s)" if args.threads else "")
        )
        inputs = uk(args.seed)
        label = "Every UK organisation (register files)"
        if inputs is None:
            label = "UK-like (generated)"
            inputs = generated(400, seed=args.seed, box=(50.0, 58.5, -6.0, 1.8), nations=4)
        bench(label, inputs, args.queries, args.seed, compare=False)
        bench("Generated", generated(args.size, seed=args.seed), args.queries, args.seed, compare=True)
        print(
            "\nAim: under 20 ms per full query at 100,000; the similarity step no slower than scikit-learn's."
            "\nTimes are wall-clock: other processes on the machine make the p95, and threaded libraries, noisy."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
