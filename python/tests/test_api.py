"""ownup.analyze and ownup.Analyzer: the CLI's schema and results, bad rows, threads, pickling."""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import os
import pickle
import subprocess
import sys
import threading
import time

import pytest

import ownup

BUT = "I'm sorry I missed your call, but you never pick up when I ring."

LEXICON = """
[[rule]]
id = "minimizing.no_biggie"
category = "minimizing"
kind = "deflection"
phrases = ["no biggie"]
message = "Calls the offence small."
suggestion = "Let the other decide how big it was."
source = "a test of user lexicons"
"""


def cli_report(cli, text, *options):
    """The CLI's JSON report for one text, without the `path` it adds."""
    out = subprocess.run(
        [cli, *options, "--format", "json", "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    report = json.loads(out)
    del report["path"]
    return report


def without_error(row):
    assert row["error"] is None
    return {k: v for k, v in row.items() if k != "error"}


def test_analyze_gives_the_cli_report_plus_error(cli):
    for text in [BUT, "Thanks, that worked!", "Sorry if anyone was offended.\nIt was a joke."]:
        assert without_error(ownup.analyze(text)) == cli_report(cli, text)


def test_a_report_has_the_schema_keys_then_error():
    row = ownup.analyze(BUT)
    assert list(row)[:6] == ["apology", "score", "verdict", "findings", "contributions", "safety"]
    assert list(row)[-1] == "error"
    assert row["verdict"] == "deflecting"
    assert sum(c["points"] for c in row["contributions"]) == row["score"]
    assert ownup.SCHEMA_VERSION >= 1


BAD = [
    (None, "text is missing (None)"),
    (float("nan"), "text is missing (NaN)"),
    (42, "text is not a string (found int)"),
    (3.5, "text is not a string (found float)"),
    (b"sorry", "text is not a string (found bytes)"),
    (["sorry"], "text is not a string (found list)"),
    ("", "text is empty"),
    (" \n\t", "text is empty"),
    ("sorry \udc80 again", "text is not valid Unicode: a lone surrogate (U+DC80) at index 6"),
]


@pytest.mark.parametrize("value,message", BAD)
def test_bad_input_gives_an_error_row_not_an_exception(value, message):
    row = ownup.analyze(value)
    assert row["error"] == message
    assert all(v is None for k, v in row.items() if k != "error")
    assert list(row) == list(ownup.analyze("fine"))


def test_missing_values_of_numpy_and_pandas_are_missing():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert ownup.analyze(np.nan)["error"] == "text is missing (NaN)"
    assert ownup.analyze(pd.NA)["error"] == "text is missing (NA)"
    assert ownup.analyze(np.str_("Sorry, my bad."))["error"] is None


def test_analyze_many_keeps_one_row_per_text_in_order():
    texts = [BUT, None, "Thanks!", math.nan, "", "Sorry, my bad.", 7] * 50
    rows = ownup.default_analyzer().analyze_many(texts)
    assert len(rows) == len(texts)
    assert rows == [ownup.analyze(t) for t in texts]


def test_analyze_many_reads_any_iterable_across_chunks():
    texts = (BUT if i % 3 else "Thanks" for i in range(5_000))
    rows = ownup.default_analyzer().analyze_many(texts, threads=1)
    assert len(rows) == 5_000
    assert [r["verdict"] for r in rows[:3]] == ["no_apology", "deflecting", "deflecting"]


def test_threads_do_not_change_results(sample_texts):
    analyzer = ownup.Analyzer()
    one = analyzer.analyze_many(sample_texts, threads=1)
    assert analyzer.analyze_many(sample_texts, threads=2) == one
    assert analyzer.analyze_many(sample_texts) == one


def test_usage_errors_raise():
    analyzer = ownup.Analyzer()
    with pytest.raises(TypeError, match="not one string"):
        analyzer.analyze_many("sorry")
    with pytest.raises(ValueError, match="at least 1"):
        analyzer.analyze_many(["sorry"], threads=0)
    with pytest.raises(TypeError):
        analyzer.analyze_many(5)

    def broken():
        yield "sorry"
        raise RuntimeError("the source failed")

    # A failing source is not a bad row: its own exception comes through.
    with pytest.raises(RuntimeError, match="the source failed"):
        analyzer.analyze_many(broken())


def test_the_interpreter_lock_is_released_while_analyzing():
    texts = ["Thanks, that worked for me."] * 200_000
    call = {}

    def work():
        call["start"] = time.perf_counter()
        ownup.default_analyzer().analyze_many(texts, threads=1)
        call["end"] = time.perf_counter()

    worker = threading.Thread(target=work)
    wakes = []
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)
        wakes.append(time.perf_counter())
    # This thread needs the lock to wake up: a call that held it would leave no wake-up in
    # the middle of its run (the tenth at either end is left out for the moments the call
    # spends reading texts and building dicts).
    margin = (call["end"] - call["start"]) / 10
    inside = [t for t in wakes if call["start"] + margin < t < call["end"] - margin]
    assert len(inside) >= 10, (len(inside), call)


def test_lexicons_and_disabled_rules_as_in_the_cli(cli, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(LEXICON, encoding="utf-8")
    text = "Sorry I broke your mug, no biggie. But you left it on the edge."
    analyzer = ownup.Analyzer(lexicons=[path], disable=["but_undoing"])
    row = analyzer.analyze(text)
    assert "minimizing.no_biggie" in [f["rule"] for f in row["findings"]]
    assert "but_undoing" not in [f["category"] for f in row["findings"]]
    want = cli_report(cli, text, "--lexicon", str(path), "--disable", "but_undoing")
    assert without_error(row) == want
    assert analyzer.lexicons == [str(path)]
    assert analyzer.disabled == ["but_undoing"]
    assert "mine.toml" in repr(analyzer)


def test_bad_configuration_raises_lexicon_error_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(LEXICON.replace('"minimizing"', '"nope"'), encoding="utf-8")
    with pytest.raises(ownup.LexiconError, match=r"bad\.toml:\d+: .*unknown category"):
        ownup.Analyzer(lexicons=[path])
    with pytest.raises(ownup.LexiconError, match="cannot read lexicon"):
        ownup.Analyzer(lexicons=[tmp_path / "missing.toml"])
    with pytest.raises(ownup.LexiconError, match="no rule, gate or category named `nope`"):
        ownup.Analyzer(disable=["nope"])
    assert issubclass(ownup.LexiconError, ValueError)
    with pytest.raises(TypeError):
        ownup.Analyzer(lexicons=str(path))


def test_pickling_carries_the_lexicon_text_not_the_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(LEXICON, encoding="utf-8")
    analyzer = ownup.Analyzer(lexicons=[path], disable=["conditional.sorry_if"])
    data = pickle.dumps(analyzer)
    path.unlink()
    copy = pickle.loads(data)
    text = "Sorry, no biggie."
    assert copy.analyze(text) == analyzer.analyze(text)
    assert copy.lexicons == analyzer.lexicons
    assert copy.disabled == ["conditional.sorry_if"]
    plain = pickle.loads(pickle.dumps(ownup.Analyzer()))
    assert plain.analyze(text) == ownup.analyze(text)


def test_the_examples_in_the_docstrings():
    import doctest

    assert doctest.testmod(ownup, raise_on_error=True).attempted > 0
    if importlib.util.find_spec("pandas") is not None:
        frames = importlib.import_module("ownup.pandas")
        assert doctest.testmod(frames, raise_on_error=True).attempted > 0


THREAD_COUNT = """
import os, sys, ownup
def threads():
    return len(os.listdir("/proc/self/task"))
before = threads()
ownup.Analyzer().analyze_many(["Sorry, my bad."] * 5000, threads={threads})
print(before, threads())
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc")
def test_one_thread_starts_no_pool():
    """Inside a Spark or Dask worker (threads=1) no thread pool may start beside the task's."""

    def counts(threads):
        code = THREAD_COUNT.replace("{threads}", threads)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        before, after = map(int, out.stdout.split())
        return before, after

    before, after = counts("1")
    assert after == before
    before, after = counts("None")
    assert after > before
