"""ownup.spark.score in Spark local[2]: rows/s, and the cost of each Arrow batch.

    python python/bench/spark.py [--rows N]

Writes the bench corpus (`../shared/data/bench/comments.jsonl.gz` beside the repository) to
Parquet once, then times, with Arrow batches of 10,000 and of 100 rows, two jobs that read
it and write to Spark's no-op sink (the best of two rounds each):

- `pass-through`: `mapInArrow` that returns each batch as it came (Spark, Arrow and the
  Python workers, without ownup);
- `score`: `ownup.spark.score`.

rows/s is that of `score` at 10,000 rows a batch (the default). The cost of a batch is
the time `score` gains when the same rows come in a hundred times as many batches, divided
by the added batches; the same for `pass-through` tells how much of it is Spark's own. For scale it also times, in this process, `score_columns(texts, 1)` on the
same texts: the analysis alone, on one thread.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import ownup
import ownup.spark

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "data" / "bench" / "comments.jsonl.gz"
BATCHES = (10_000, 100)
ROUNDS = 2


def pass_through(batches):
    yield from batches


def timed(job) -> float:
    start = time.perf_counter()
    job.write.format("noop").mode("overwrite").save()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=0, help="first N rows (default: all)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"no bench corpus at {CORPUS}", file=sys.stderr)
        return 2
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = itertools.islice(f, args.rows) if args.rows else f
        texts = [json.loads(line)["text"] for line in lines]

    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("ownup-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    with tempfile.TemporaryDirectory() as tmp:
        source = str(Path(tmp) / "comments")
        pdf_rows = [(i, t) for i, t in enumerate(texts)]
        spark.createDataFrame(pdf_rows, "id long, text string").repartition(2).write.parquet(
            source
        )
        df = spark.read.parquet(source)
        jobs = {
            "pass-through": lambda: df.mapInArrow(pass_through, df.schema),
            "score": lambda: ownup.spark.score(df),
        }
        timed(jobs["score"]())  # start the workers, compile the analyzer's regexes
        seconds = {}
        for _ in range(ROUNDS):
            for batch in BATCHES:
                spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch))
                for name, job in jobs.items():
                    s = timed(job())
                    seconds[name, batch] = min(s, seconds.get((name, batch), s))
    spark.stop()

    n = len(texts)
    start = time.process_time()
    ownup.Analyzer().score_columns(texts, 1)
    alone = time.process_time() - start

    print(f"{n} rows, Spark local[2]")
    for (name, batch), s in seconds.items():
        print(f"  {name:12} {batch:6} rows/batch  {s:6.2f} s  {n / s:8.0f} rows/s")
    big, small = BATCHES
    batches_added = -(-n // small) - -(-n // big)
    print(f"score: {n / seconds['score', big]:.0f} rows/s at {big} rows a batch")
    for name in jobs:
        per_batch = (seconds[name, small] - seconds[name, big]) / batches_added
        print(f"{name}: cost of one more Arrow batch {per_batch * 1000:.2f} ms")
    print(f"analysis alone, one thread in this process: {n / alone:.0f} rows/s ({alone:.2f} s cpu)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
