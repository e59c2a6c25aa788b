"""ownup.pandas.score: added columns, dtypes, index and order kept, bad rows as errors."""

from __future__ import annotations

import json

import pytest

import ownup
from support import assert_rows_match_cli, need_module, plain_rows

pd = need_module("pandas")
np = need_module("numpy")
import ownup.pandas  # noqa: E402  (needs pandas, checked above)

ADDED = ["apology", "score", "verdict", "deflections", "components", "findings", "error"]
BUT = "I'm sorry I missed your call, but you never pick up when I ring."
# What the engine scores it; the tests check the frame agrees, not the rules' current weights.
BUT_SCORE = ownup.analyze(BUT)["score"]


def test_scores_equal_the_cli_on_real_comments(sample_texts, cli_records):
    df = pd.DataFrame({"id": range(len(sample_texts)), "text": sample_texts})
    scored = ownup.pandas.score(df)
    assert list(scored.columns) == ["id", "text"] + ADDED
    assert_rows_match_cli(plain_rows(scored), cli_records)


def test_columns_dtypes_and_values():
    df = pd.DataFrame({"text": [BUT, "Thanks, that worked!", "Sorry, I said \"sorry\"."]})
    scored = ownup.pandas.score(df)
    assert str(scored["apology"].dtype) == "boolean"
    assert str(scored["score"].dtype) == "Int64"
    first = scored.iloc[0]
    assert (first["apology"], first["score"], first["verdict"]) == (True, BUT_SCORE, "deflecting")
    assert first["deflections"] == ["but_undoing", "counter_accusation"]
    assert first["components"] == ["regret", "specificity"]
    assert json.loads(first["findings"]) == ownup.analyze(BUT)["findings"]
    assert first["error"] is pd.NA
    second = scored.iloc[1]
    assert second["apology"] is not pd.NA and not second["apology"]
    assert second["score"] is pd.NA
    assert (second["verdict"], second["deflections"], second["findings"]) == (
        "no_apology",
        [],
        "[]",
    )


def test_bad_rows_get_an_error_and_keep_their_place():
    values = [None, np.nan, 42, b"sorry", "", "sorry \udcff", BUT, pd.NA]
    df = pd.DataFrame({"text": pd.Series(values, dtype=object, index=list("abcdefgh"))})
    scored = ownup.pandas.score(df)
    assert list(scored.index) == list("abcdefgh")
    errors = plain_rows(scored[["error"]])
    errors = [e["error"] for e in errors]
    assert errors[:6] == [
        "text is missing (None)",
        "text is missing (NaN)",
        "text is not a string (found int)",
        "text is not a string (found bytes)",
        "text is empty",
        "text is not valid Unicode: a lone surrogate (U+DCFF) at index 6",
    ]
    assert errors[6] is None and scored.loc["g", "score"] == BUT_SCORE
    assert errors[7] == "text is missing (NA)"
    bad = scored.drop(index="g")
    assert bad["apology"].isna().all() and bad["score"].isna().all()
    assert bad[["verdict", "deflections", "components", "findings"]].isna().all().all()


def test_string_and_categorical_columns():
    for dtype in ["string", "category"]:
        df = pd.DataFrame({"body": pd.Series([BUT, None, BUT], dtype=dtype)})
        scored = ownup.pandas.score(df, text_col="body")
        assert scored["score"].tolist()[::2] == [BUT_SCORE, BUT_SCORE]
        assert scored["error"].iloc[1].startswith("text is missing")


def test_the_input_frame_is_left_alone_and_names_are_checked():
    df = pd.DataFrame({"text": [BUT], "score": [1]})
    with pytest.raises(ValueError, match="prefix="):
        ownup.pandas.score(df)
    with pytest.raises(ValueError, match="no column 'body'"):
        ownup.pandas.score(df, text_col="body")
    scored = ownup.pandas.score(df, prefix="ownup_")
    assert list(df.columns) == ["text", "score"]
    assert scored["score"].tolist() == [1]
    assert scored["ownup_score"].tolist() == [BUT_SCORE]


def test_an_empty_frame_gives_the_columns_with_no_rows():
    scored = ownup.pandas.score(pd.DataFrame({"text": pd.Series([], dtype=object)}))
    assert list(scored.columns) == ["text"] + ADDED
    assert len(scored) == 0


def test_a_custom_analyzer_and_one_thread(tmp_path):
    df = pd.DataFrame({"text": [BUT] * 3})
    analyzer = ownup.Analyzer(disable=["but_undoing"])
    scored = ownup.pandas.score(df, analyzer=analyzer, threads=1)
    assert scored["deflections"].tolist() == [["counter_accusation"]] * 3
