"""Scoring a pandas DataFrame: ``ownup.pandas.score(df, text_col="text")``.

>>> import pandas as pd, ownup.pandas
>>> df = pd.DataFrame({"text": ["Sorry, my bad. I'll fix it tonight.", None]})
>>> ownup.pandas.score(df)[["score", "verdict", "error"]]
   score  verdict                   error
0     71  partial                    <NA>
1   <NA>     <NA>  text is missing (None)

With Dask, score each partition on Dask's own threads (``threads=1``; the analysis
releases the interpreter lock, so they run in parallel), and give Parquet the list
columns' types, which Dask cannot tell from an empty frame::

    scored = ddf.map_partitions(ownup.pandas.score, threads=1,
                                meta=ownup.pandas.score(ddf._meta))
    scored.to_parquet("scored/", schema=ownup.pandas.parquet_types())
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import pandas as pd

from ownup import Analyzer, default_analyzer
from ownup._columns import ADDED, added_names, arrow_types

# Typed columns that hold missing values: a row with an error keeps its column's type, and
# a frame (or a Dask partition) where every row has an error writes the same Parquet
# schema as any other. The lists stay Python lists: pandas 2 cannot read back from Parquet
# the Arrow list dtype it writes.
_DTYPES = {
    "apology": "boolean",
    "score": "Int64",
    "verdict": "string",
    "deflections": object,
    "components": object,
    "findings": "string",
    "error": "string",
}


def score(
    df: pd.DataFrame,
    text_col: str = "text",
    *,
    analyzer: Optional[Analyzer] = None,
    threads: Optional[int] = None,
    prefix: str = "",
) -> pd.DataFrame:
    """Returns a copy of ``df`` with the columns of :data:`ownup._columns.ADDED` added.

    Every row gets a value in every added column, in the frame's order and index: a row
    whose text is None, NaN, not a string, empty or not valid Unicode gets ``error`` set
    and None elsewhere; nothing is raised for it. ``analyzer`` defaults to the built-in one;
    ``threads`` is as for :meth:`Analyzer.analyze_many` (None: every core). Raises
    ValueError when ``text_col`` is missing or an added column's name is taken (use
    ``prefix``).
    """
    names = added_names(df.columns, text_col, prefix)
    columns = (analyzer or default_analyzer()).score_columns(df[text_col].tolist(), threads)
    out = df.copy(deep=False)
    for name, key in zip(names, ADDED):
        out[name] = pd.Series(columns[key], index=df.index, dtype=_DTYPES[key])
    return out


def parquet_types(prefix: str = "") -> Dict[str, Any]:
    """The Arrow type of each added column (needs pyarrow), for writers that cannot tell a
    column of lists from its dtype: ``ddf.to_parquet(path, schema=parquet_types())``."""
    return {prefix + key: t for key, t in arrow_types().items()}
