"""Scoring a Spark DataFrame: ``ownup.spark.score(df, text_col="text")``::

    scored = ownup.spark.score(spark.read.parquet("comments/"))
    scored.write.parquet("scored/")

The texts go to Python workers as Arrow batches and come back as Arrow batches
(``mapInArrow``), with no pandas in between. Each Python worker process compiles one
analyzer, on its first batch, and keeps it for every later batch and task (Spark reuses
its Python workers); each batch is analyzed on the worker's own thread, since Spark already
runs one task per core. The analyzer's lexicons travel with the job as text, so the
workers need ownup installed but not the lexicon files.
"""

from __future__ import annotations

from typing import Iterator, List, Optional

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    IntegerType,
    StringType,
    StructField,
    StructType,
)

from ownup import Analyzer, default_analyzer
from ownup._columns import ADDED, added_names, arrow_types

_SPARK_TYPES = {
    "apology": BooleanType(),
    "score": IntegerType(),
    "verdict": StringType(),
    "deflections": ArrayType(StringType(), containsNull=False),
    "components": ArrayType(StringType(), containsNull=False),
    "findings": StringType(),
    "error": StringType(),
}


def score(
    df: DataFrame,
    text_col: str = "text",
    *,
    analyzer: Optional[Analyzer] = None,
    prefix: str = "",
) -> DataFrame:
    """Returns ``df`` with the columns of :data:`ownup._columns.ADDED` added, lazily.

    Every row gets a value in every added column: a row whose text is null or empty gets
    ``error`` set and null elsewhere, never a failed task. ``analyzer`` defaults to the
    built-in one. Raises ValueError, before any task runs, when ``text_col`` is missing or
    an added column's name is taken (use ``prefix``), and TypeError when ``text_col`` is not
    a string column.
    """
    names = added_names(df.columns, text_col, prefix)
    text_type = df.schema[text_col].dataType
    if not isinstance(text_type, StringType):
        raise TypeError(f"column {text_col!r} holds {text_type.simpleString()}, not strings")
    schema = StructType(
        df.schema.fields
        + [StructField(name, _SPARK_TYPES[key], nullable=True) for name, key in zip(names, ADDED)]
    )

    def score_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _score_batches(batches, text_col, names, analyzer)

    return df.mapInArrow(score_batches, schema)


def _score_batches(
    batches: Iterator[pa.RecordBatch],
    text_col: str,
    names: List[str],
    analyzer: Optional[Analyzer],
) -> Iterator[pa.RecordBatch]:
    # Unpickling an Analyzer, or building the default one, finds the one this worker
    # process compiled for an earlier task.
    scorer = analyzer if analyzer is not None else default_analyzer()
    for batch in batches:
        texts = batch.column(text_col)
        columns = scorer.score_columns(texts.to_pylist(), 1)
        added = _arrow_columns(columns, texts.type)
        yield pa.RecordBatch.from_arrays(
            batch.columns + added, names=batch.schema.names + names
        )


def _arrow_columns(columns: dict, string: pa.DataType) -> List[pa.Array]:
    """The added columns as Arrow arrays; strings take the width of the text column's
    (Spark sends ``large_string`` when ``spark.sql.execution.arrow.useLargeVarTypes`` is
    on, and expects it back)."""
    types = arrow_types(string)
    return [pa.array(columns[key], type=types[key]) for key in ADDED]
