"""ownup.spark.score in Spark local[2]: the CLI's scores on real comments, Parquet in and
out, bad rows, configuration shipped to the workers."""

from __future__ import annotations

import json

import pytest

import ownup
from support import assert_rows_match_cli, need_module

need_module("pyspark")
need_module("pyarrow")
import ownup.spark  # noqa: E402  (needs pyspark, checked above)

ADDED = ["apology", "score", "verdict", "deflections", "components", "findings", "error"]
BUT = "I'm sorry I missed your call, but you never pick up when I ring."
# What the engine scores it; the tests check the frame agrees, not the rules' current weights.
BUT_SCORE = ownup.analyze(BUT)["score"]


def collect_in_order(df):
    return [row.asDict() for row in df.orderBy("id").collect()]


def test_scores_equal_the_cli_on_real_comments_through_parquet(
    spark, sample_texts, cli_records, tmp_path
):
    # Small Arrow batches, so the few thousand rows cross many batches and both workers.
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
    source, target = str(tmp_path / "comments"), str(tmp_path / "scored")
    rows = [(i, text) for i, text in enumerate(sample_texts)]
    spark.createDataFrame(rows, "id long, text string").repartition(4).write.parquet(source)

    ownup.spark.score(spark.read.parquet(source)).write.parquet(target)

    scored = spark.read.parquet(target)
    assert scored.columns == ["id", "text"] + ADDED
    got = collect_in_order(scored)
    assert [r["text"] for r in got] == sample_texts
    assert_rows_match_cli(got, cli_records)
    for row in got:
        deflections = [
            f["category"]
            for f in json.loads(row["findings"])
            if f["kind"] == "deflection" and not f["reported"]
        ]
        assert row["deflections"] == list(dict.fromkeys(deflections))


def test_bad_rows_get_an_error_and_no_task_fails(spark):
    texts = [BUT, None, "", "   ", "Thanks!"]
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id long, text string")
    got = collect_in_order(ownup.spark.score(df))
    assert [r["error"] for r in got] == [
        None,
        "text is missing (None)",
        "text is empty",
        "text is empty",
        None,
    ]
    assert [r["score"] for r in got] == [BUT_SCORE, None, None, None, None]
    assert [r["verdict"] for r in got] == ["deflecting", None, None, None, "no_apology"]
    assert got[1]["deflections"] is None and got[4]["deflections"] == []


def test_usage_errors_raise_before_any_task(spark):
    df = spark.createDataFrame([(1, BUT, 3)], "id long, text string, score int")
    with pytest.raises(ValueError, match="prefix="):
        ownup.spark.score(df)
    with pytest.raises(ValueError, match="no column 'body'"):
        ownup.spark.score(df, text_col="body")
    with pytest.raises(TypeError, match="not strings"):
        ownup.spark.score(df, text_col="id", prefix="o_")
    got = ownup.spark.score(df, prefix="o_").collect()[0]
    assert (got["score"], got["o_score"]) == (3, BUT_SCORE)


def test_a_custom_analyzer_reaches_the_workers_without_its_files(spark, tmp_path):
    lexicon = tmp_path / "mine.toml"
    lexicon.write_text(
        "\n".join(
            [
                "[[rule]]",
                'id = "minimizing.no_biggie"',
                'category = "minimizing"',
                'kind = "deflection"',
                'phrases = ["no biggie"]',
                'message = "Calls the offence small."',
                'suggestion = "Let the other decide how big it was."',
                'source = "a test of user lexicons"',
            ]
        ),
        encoding="utf-8",
    )
    analyzer = ownup.Analyzer(lexicons=[lexicon], disable=["but_undoing"])
    lexicon.unlink()
    text = "Sorry I broke your mug, no biggie. But you left it on the edge."
    df = spark.createDataFrame([(1, text)], "id long, text string")
    got = ownup.spark.score(df, analyzer=analyzer).collect()[0]
    want = analyzer.analyze(text)
    assert json.loads(got["findings"]) == want["findings"]
    assert got["score"] == want["score"]
    assert "minimizing" in got["deflections"] and "but_undoing" not in got["deflections"]


def test_large_string_batches(spark):
    spark.conf.set("spark.sql.execution.arrow.useLargeVarTypes", "true")
    try:
        df = spark.createDataFrame([(1, BUT), (2, None)], "id long, text string")
        got = collect_in_order(ownup.spark.score(df))
    finally:
        spark.conf.unset("spark.sql.execution.arrow.useLargeVarTypes")
    assert [r["score"] for r in got] == [BUT_SCORE, None]
    assert got[0]["deflections"] == ["but_undoing", "counter_accusation"]
