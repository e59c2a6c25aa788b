"""The README's Dask example: ownup.pandas.score on every partition with map_partitions."""

from __future__ import annotations

import ownup
from support import assert_rows_match_cli, need_module, plain_rows

pd = need_module("pandas")
dd = need_module("dask.dataframe")
import ownup.pandas  # noqa: E402  (needs pandas, checked above)

ADDED = ["apology", "score", "verdict", "deflections", "components", "findings", "error"]


def test_map_partitions_gives_the_cli_scores_on_real_comments(sample_texts, cli_records, tmp_path):
    frame = pd.DataFrame({"id": range(len(sample_texts)), "text": sample_texts})
    dd.from_pandas(frame, npartitions=4).to_parquet(tmp_path / "comments")

    # The example as the README gives it.
    ddf = dd.read_parquet(tmp_path / "comments")
    scored = ddf.map_partitions(ownup.pandas.score, threads=1, meta=ownup.pandas.score(ddf._meta))
    scored.to_parquet(tmp_path / "scored", schema=ownup.pandas.parquet_types())

    result = pd.read_parquet(tmp_path / "scored").sort_values("id")
    assert list(result.columns) == ["id", "text"] + ADDED
    assert result["text"].tolist() == sample_texts
    assert_rows_match_cli(plain_rows(result), cli_records)
    want = ownup.pandas.score(frame)["deflections"].tolist()
    # Read back from Parquet, each list is a numpy array.
    assert [list(d) for d in result["deflections"]] == want


def test_bad_rows_in_a_partition_are_errors():
    frame = pd.DataFrame({"text": pd.Series(["Sorry, my bad.", None, ""] * 4, dtype=object)})
    ddf = dd.from_pandas(frame, npartitions=3)
    scored = ddf.map_partitions(ownup.pandas.score, threads=1, meta=ownup.pandas.score(ddf._meta))
    errors = [row["error"] for row in plain_rows(scored[["error"]].compute())]
    # Dask stores strings with Arrow, where a missing value is NA, not None.
    assert errors == [None, "text is missing (NA)", "text is empty"] * 4
