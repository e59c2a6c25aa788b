"""Type stubs of the native module: the analyzer, compiled from Rust."""

import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

#: The version of the JSON schema the reports follow; bumped on an incompatible change.
SCHEMA_VERSION: int
__version__: str

#: A report: the keys of ownup's JSON schema (``apology``, ``score``, ``verdict``,
#: ``findings``, ``contributions``, ``safety``, and any the schema gains) and ``error``.
Report = Dict[str, Any]

class LexiconError(ValueError):
    """A lexicon file could not be read or is malformed, or ``disable`` named no rule."""

class Analyzer:
    """Analyzes texts and tells how fully each apology takes ownership.

    ``lexicons``: TOML files in the format of ownup's ``lexicons/*.toml``, added to the
    built-in lexicon (a rule with the id of a built-in one replaces it). ``disable``: rule
    ids, category ids, or id prefixes ending in ``.`` to switch off. Raises
    :class:`LexiconError` for a malformed file (naming file and line) or an id that names
    no rule. An analyzer pickles as its lexicons' text, so Spark and Dask workers need not
    see the files; all analyzers built from the same text in one process share one
    compiled analyzer.
    """

    def __init__(
        self,
        lexicons: Optional[Sequence[Union[str, os.PathLike]]] = None,
        disable: Optional[Sequence[str]] = None,
    ) -> None: ...
    @property
    def lexicons(self) -> List[str]:
        """The names of the added lexicon files."""
    @property
    def disabled(self) -> List[str]:
        """The ids switched off."""
    def analyze(self, text: object) -> Report:
        """Analyzes one text. A value that is not a usable text (None, NaN, not a string,
        empty or only white space, a lone surrogate) gives a report whose ``error`` says
        why and whose other values are None; nothing is raised for it."""
    def analyze_many(self, texts: Iterable[object], threads: Optional[int] = None) -> List[Report]:
        """Analyzes every value of ``texts``: one report per value, in order, as
        :meth:`analyze` gives it. ``threads``: None uses every core, 1 only the calling
        thread (inside a Spark or Dask worker), n a pool of n. The interpreter lock is
        released while texts are analyzed. Raises TypeError when ``texts`` is one string
        and ValueError when ``threads`` is 0."""
    def score_columns(
        self, texts: Iterable[object], threads: Optional[int] = None
    ) -> Dict[str, List[Any]]:
        """The columns ``ownup.pandas.score`` and ``ownup.spark.score`` add, as lists:
        ``apology``, ``score``, ``verdict``, ``deflections``, ``components``, ``findings``
        (JSON text), ``error``."""
    def __reduce__(self) -> Tuple[Any, Tuple[List[Tuple[str, str]], List[str]]]: ...

def _rebuild(sources: List[Tuple[str, str]], disable: List[str]) -> Analyzer: ...
