"""Helpers for the tests: skipping for a missing tool, and comparing rows with the CLI's."""

from __future__ import annotations

import importlib
import json
import os
from typing import Dict, List

import pytest

REQUIRE_ALL = os.environ.get("OWNUP_TEST_ALL") == "1"


def need(reason: str) -> None:
    """Skips the test for a missing tool, or fails it when every suite must run."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (OWNUP_TEST_ALL=1: nothing may be skipped)")
    pytest.skip(reason, allow_module_level=True)


def need_module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        need(f"Python package {name!r} is not installed")


def assert_rows_match_cli(rows: List[Dict], records: List[Dict]) -> None:
    """Each scored row (apology, score, verdict, findings as JSON text) equals the CLI's."""
    assert len(rows) == len(records)
    for row, rec in zip(rows, records):
        assert row["error"] is None, (rec["id"], row["error"])
        got = (row["apology"], row["score"], row["verdict"], json.loads(row["findings"]))
        want = (rec["apology"], rec["score"], rec["verdict"], rec["findings"])
        assert got == want, f"row {rec['id']}"


def plain_rows(frame) -> List[Dict]:
    """The rows of a scored pandas frame as dicts of plain Python values, None for missing."""
    values = frame.astype(object)
    return values.where(frame.notna(), None).to_dict("records")
