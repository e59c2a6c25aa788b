"""analyze_many against the CLI's `ownup batch`, on one thread each, in one run.

    python python/bench/throughput.py [--cli target/release/ownup] [--rounds 2]

Reads the bench corpus (`../shared/data/bench/comments.jsonl.gz` beside the repository),
writes it uncompressed to a temporary file for the CLI, then alternates: the CLI with
`--threads 1` on that file (output to /dev/null), and `Analyzer().analyze_many(texts,
threads=1)` on the texts already in memory, keeping each one's best round. Both analyze
every text and build every report (the CLI as JSON lines, Python as dicts); the CLI also
parses each JSON line, Python also reads each str. Prints records/s and the ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ownup

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "data" / "bench" / "comments.jsonl.gz"


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(cli: str, path: str) -> tuple[float, float]:
    cpu0, t0 = child_cpu(), time.perf_counter()
    subprocess.run(
        [cli, "batch", "--threads", "1", "--no-progress", path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - t0, child_cpu() - cpu0


def run_python(analyzer: ownup.Analyzer, texts: list, threads=1) -> tuple[float, float]:
    cpu0, t0 = time.process_time(), time.perf_counter()
    rows = analyzer.analyze_many(texts, threads=threads)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    assert len(rows) == len(texts)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=str(ROOT / "target" / "release" / "ownup"))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"no bench corpus at {CORPUS}", file=sys.stderr)
        return 2
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    texts = [json.loads(line)["text"] for line in lines]
    analyzer = ownup.Analyzer()
    analyzer.analyze_many(texts[:2000], threads=1)  # compile the regexes the corpus wakes
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
        tmp.writelines(lines)
    try:
        best = {name: (float("inf"), 0.0) for name in ("cli", "python", "python-all-cores")}
        for _ in range(args.rounds):
            best["cli"] = min(best["cli"], run_cli(args.cli, tmp.name))
            best["python"] = min(best["python"], run_python(analyzer, texts))
            all_cores = run_python(analyzer, texts, threads=None)
            best["python-all-cores"] = min(best["python-all-cores"], all_cores)
    finally:
        os.unlink(tmp.name)
    n = len(texts)
    for name, (wall, cpu) in best.items():
        print(f"{name:16} {n / wall:9.0f} records/s wall ({wall:.2f} s, cpu {cpu:.2f} s)")
    ratio = best["cli"][0] / best["python"][0]
    print(f"analyze_many / CLI batch, 1 thread each: {ratio:.2f}x (records/s, wall)")
    ratio = best["cli"][1] / best["python"][1]
    print(f"the same in CPU time: {ratio:.2f}x")
    ratio = best["python"][0] / best["python-all-cores"][0]
    print(f"analyze_many, threads=None vs 1 ({os.cpu_count()} cores): {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
