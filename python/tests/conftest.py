"""Shared fixtures: texts to score, the CLI's results for them, and a local Spark session.

A suite that needs a tool this machine lacks (pandas, pyspark, dask, a JRE, the CLI
binary) is skipped with the reason, unless OWNUP_TEST_ALL=1 is set (CI sets it): then it
fails, so nothing is skipped there unnoticed.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from support import need, need_module

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "data" / "bench" / "comments.jsonl.gz"
CORPORA = ROOT / "corpora"

#: Real comments scored by the Spark and Dask tests: enough for several Arrow batches and
#: partitions, few enough for a minute of CI.
SAMPLE_ROWS = 3000


@pytest.fixture(scope="session")
def sample_texts() -> List[str]:
    """Real comments from the shared bench corpus, or the project's own corpora (repeated)
    where that corpus is absent."""
    if BENCH.exists():
        with gzip.open(BENCH, "rt", encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in itertools.islice(f, SAMPLE_ROWS)]
    else:
        own = [
            json.loads(line)["text"]
            for path in sorted(CORPORA.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        texts = list(itertools.islice(itertools.cycle(own), SAMPLE_ROWS))
    return texts


@pytest.fixture(scope="session")
def cli() -> str:
    """The `ownup` binary of this checkout (OWNUP_CLI overrides)."""
    path = os.environ.get("OWNUP_CLI") or str(ROOT / "target" / "release" / "ownup")
    if not Path(path).exists():
        need(f"no ownup binary at {path}: run `cargo build --release` first")
    return path


@pytest.fixture(scope="session")
def cli_records(cli, sample_texts, tmp_path_factory) -> List[Dict]:
    """`ownup batch` output for the sample texts, one record per text, in order."""
    path = tmp_path_factory.mktemp("cli") / "texts.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, text in enumerate(sample_texts):
            f.write(json.dumps({"id": i, "text": text}) + "\n")
    out = subprocess.run(
        [cli, "batch", "--no-progress", str(path)], capture_output=True, check=True
    ).stdout
    records = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    # `ownup batch` writes every id as text.
    assert [r["id"] for r in records] == [str(i) for i in range(len(sample_texts))]
    return records


@pytest.fixture(scope="session")
def spark():
    """A local Spark session on two cores, shared by the Spark tests."""
    need_module("pyspark")
    need_module("pyarrow")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        need("no Java runtime (java on PATH or JAVA_HOME) for Spark")
    from pyspark.sql import SparkSession

    # The workers must run this interpreter, which has ownup installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("ownup-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
