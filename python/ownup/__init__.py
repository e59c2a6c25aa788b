"""Reads an apology and tells how fully it takes ownership.

>>> import ownup
>>> report = ownup.analyze("I'm sorry I missed your call, but you never pick up.")
>>> report["apology"], report["verdict"]
(True, 'deflecting')

Every report is a dict with the keys of ownup's JSON schema (``apology``, ``score``,
``verdict``, ``findings``, ``contributions``, ``safety``, and any the schema gains) plus
``error``: None, or why the value given was not a text that could be analyzed (None, NaN,
not a string, empty, a lone surrogate); then every other value is None. Bad input never
raises, so one bad row cannot stop a batch.

- :class:`Analyzer` with your own lexicons and disabled rules; ``analyze_many`` for many
  texts at once, on every core, without holding the interpreter lock.
- :func:`ownup.pandas.score` adds score columns to a pandas DataFrame (and, through
  ``map_partitions``, to a Dask one).
- :func:`ownup.spark.score` does the same for a Spark DataFrame, with ``mapInArrow``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ownup._ownup import SCHEMA_VERSION, Analyzer, LexiconError, __version__

__all__ = ["Analyzer", "LexiconError", "SCHEMA_VERSION", "__version__", "analyze", "default_analyzer"]

_default: Optional[Analyzer] = None


def default_analyzer() -> Analyzer:
    """The analyzer with the built-in lexicon, built on first use and shared."""
    global _default
    if _default is None:
        _default = Analyzer()
    return _default


def analyze(text: object) -> Dict[str, Any]:
    """Analyzes one text with the built-in lexicon.

    Returns a dict with the keys of ownup's JSON schema and ``error`` (see the module
    documentation). For many texts, ``default_analyzer().analyze_many(texts)`` is faster.
    """
    return default_analyzer().analyze(text)
