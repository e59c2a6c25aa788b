"""The columns that ``ownup.pandas.score`` and ``ownup.spark.score`` add, shared by both."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

#: The added columns, in order: ``apology`` (bool), ``score`` (0-100, None without an
#: apology), ``verdict`` (band id), ``deflections`` and ``components`` (category ids that
#: count toward the score, each once, in order of first appearance), ``findings`` (the JSON
#: array of the report's findings, as ``ownup batch`` writes it), ``error`` (why the row's
#: text could not be analyzed; then every other added value is None).
ADDED = ("apology", "score", "verdict", "deflections", "components", "findings", "error")


def added_names(existing: Iterable[str], text_col: str, prefix: str) -> List[str]:
    """The added columns' names with ``prefix``; raises ValueError when the frame has no
    ``text_col`` or already has one of them, rather than overwrite the caller's data."""
    existing = list(existing)
    if text_col not in existing:
        raise ValueError(f"no column {text_col!r} to score (columns: {existing})")
    names = [prefix + name for name in ADDED]
    clash = [name for name in names if name in existing]
    if clash:
        raise ValueError(
            f"the frame already has column(s) {clash}; pass prefix= to name the added ones apart"
        )
    return names


def arrow_types(string: Any = None) -> Dict[str, Any]:
    """The Arrow type of each added column, by its name in :data:`ADDED`; ``string`` is the
    type of the text ones (``pyarrow.string()`` unless given)."""
    import pyarrow as pa

    string = string or pa.string()
    categories = pa.list_(pa.field("element", string, nullable=False))
    return {
        "apology": pa.bool_(),
        "score": pa.int32(),
        "verdict": string,
        "deflections": categories,
        "components": categories,
        "findings": string,
        "error": string,
    }
