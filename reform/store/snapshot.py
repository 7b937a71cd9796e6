"""Everything the app and the command line read, loaded once per store state.

Discipline scores are not stored: they derive from the inspection records by the configured
rule, so they are added here and every consumer ranks DISCIPLINE like any other index.

The illustrative sample (versions uploaded by ``config.SAMPLE_USER``) never mixes with real
data: an index shows its sample versions only while it has no real version at all, so no rank
change, trend or comparison ever sets a real period against an illustrative one.

At national scale (10,000 units × 10 periods × 40 components: 4 million scores) the score
table is kept lean: without the cell reference of each score (``source``: no page shows it,
and the store keeps it in each version), and with its key columns as categoricals, so the
app process holds codes rather than millions of strings.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reform.analysis.discipline import discipline_scores
from reform.core import config
from reform.core.kinds import INDEX_CODES, inspection_kind
from reform.core.model import LINK_COLUMNS, PUBLISHED_CHANGE_COLUMNS
from reform.core.text import collation_key
from reform.store.lean import LEAN_KEYS, LEAN_SCORE_COLUMNS, concat_categorical
from reform.store.state import StoreState

if TYPE_CHECKING:
    # For the hints only: a restart reads the Arrow copy through a ``StoreState`` and never
    # needs ``Store`` (SQLAlchemy), which ``load_snapshot`` is handed when it reads the store.
    from reform.store.store import Store

KEY_COLUMNS = LEAN_KEYS
"""Score columns kept as categoricals: a handful of indices, ten periods, forty components and
ten thousand units repeat over millions of rows (a code each instead of a string)."""
CACHE_FORMAT = 5
"""Part of the cached copy's name: a copy written in an older shape (scores with ``source``,
plain string keys; no ``name_order``; 64K-row batches and NaN as nulls, read by copying) is
never read back as a current one."""
SCORE_SHOWN = LEAN_SCORE_COLUMNS
"""The score columns a snapshot holds."""


class UnitNames(dict):
    """unit_id -> display name, where an id without a name names itself.

    ``names.__getitem__`` is then a picker's label function in C: Streamlit calls it for each
    of 10,000 options on every rerun, where a Python lambda cost tens of milliseconds.
    """

    def __missing__(self, key: str) -> str:
        return key


@dataclass(frozen=True)
class Snapshot:
    """The frames shown now: scores (with derived discipline scores), units, components,
    published ranks and groups, inspection records, and the store state they came from."""

    scores: pd.DataFrame
    units: pd.DataFrame
    components: pd.DataFrame
    published: pd.DataFrame
    inspections: pd.DataFrame
    token: int
    samples: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"index": []}))
    """One row per index whose data shown comes from the illustrative sample."""
    links: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LINK_COLUMNS))
    """Old → new unit links of the crosswalks shown (``core.model.LINK_COLUMNS``)."""
    published_changes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=PUBLISHED_CHANGE_COLUMNS))
    """Changes the files print ("Tăng/giảm so với 2015"), of the versions shown."""
    name_order: pd.DataFrame | None = None
    """``name_order(units)``: each unit name's place in Vietnamese dictionary order. Kept in
    the Arrow copy, so a restarted app does not collate 10,000 names again (half a second);
    computed on first use when a snapshot is built without it."""
    folder: Path | None = None
    """The Arrow copy this snapshot was read from or written to (None without one): the
    pages' views of this state are kept next to it (``read_view``)."""

    @cached_property
    def name_places(self) -> dict[str, int]:
        """Unit name -> its place in Vietnamese dictionary order (``name_order``): sorting
        names by it sorts them as ``core.text.collation_key`` does."""
        order = self.name_order if self.name_order is not None else name_order(self.units)
        return dict(zip(order["name"], order["order"].tolist(), strict=True))

    @cached_property
    def unit_places(self) -> dict[str, int]:
        """unit_id -> the place of its name (its last one, when renamed) in ``name_places``."""
        last = self.units.drop_duplicates("unit_id", keep="last")
        places = self.name_places
        return {unit_id: places[name] for unit_id, name in
                zip(last["unit_id"].astype("str"), last["name"].fillna("").astype("str"), strict=True)}

    def in_name_order(self, unit_ids) -> list[str]:
        """``unit_ids`` in Vietnamese order of their names (then by id); ids the registry
        does not know come last, by id."""
        places, last = self.unit_places, len(self.unit_places)
        return sorted(unit_ids, key=lambda u: (places.get(u, last), u))

    def periods_of(self, index: str) -> list[str]:
        """The periods ``index`` has scores in, sorted as text; read from the key codes (no
        comparison of millions of strings)."""
        index_key, period_key = self.scores["index"], self.scores["period"]
        if not isinstance(period_key.dtype, pd.CategoricalDtype):
            return sorted({str(p) for p in period_key[index_key == index].dropna().unique()})
        return sorted(str(p) for p in _categories_in(period_key, _code_mask(index_key, index)))

    def scored_units(self, index: str, period: str) -> pd.DataFrame:
        """One row (``index``, ``period``, ``unit_id``) per unit with a score in ``index`` and
        ``period``, read from the key codes. A new frame; empty when nothing is scored."""
        scores = self.scores
        unit_key = scores["unit_id"]
        if not all(isinstance(scores[c].dtype, pd.CategoricalDtype)
                   for c in ("index", "period", "unit_id")):
            ids = unit_key[(scores["index"] == index) & (scores["period"] == period)].unique()
        else:
            ids = _categories_in(unit_key, _code_mask(scores["index"], index)
                                 & _code_mask(scores["period"], period))
        return pd.DataFrame({"index": index, "period": period,
                             "unit_id": pd.Series(ids, dtype="str").to_numpy()}).astype("str")

    @cached_property
    def unit_names(self) -> UnitNames:
        """unit_id -> display name; an unknown id names itself (``names[unit_id]``)."""
        return UnitNames(zip(self.units["unit_id"], self.units["name"], strict=True))

    @property
    def empty(self) -> bool:
        return self.scores.empty

    @property
    def sample_indices(self) -> frozenset[str]:
        """Indices whose data shown is the illustrative sample."""
        return frozenset(self.samples["index"])

    def is_sample(self, *indices: str | None) -> bool:
        """True when any of ``indices`` shows the illustrative sample."""
        return any(index in self.sample_indices for index in indices)

    def indices(self) -> list[str]:
        found = {str(code) for code in self.scores["index"].unique()}  # not a loop over rows
        return [i for i in INDEX_CODES if i in found] + sorted(found - set(INDEX_CODES))


def _code_mask(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` on a categorical column, by its codes (False everywhere when the
    value is no category)."""
    categories = column.cat.categories
    if value not in categories:
        return np.zeros(len(column), dtype=bool)
    return column.cat.codes.to_numpy() == categories.get_loc(value)


def _categories_in(column: pd.Series, rows: np.ndarray) -> pd.Index:
    """The categories of the categorical ``column`` that occur in the ``rows`` (a mask), read
    from the codes: no comparison of millions of strings."""
    codes = column.cat.codes.to_numpy()[rows]
    seen = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories))
    return column.cat.categories[seen > 0]


def name_order(units: pd.DataFrame) -> pd.DataFrame:
    """``name, order``: each distinct unit name (every row of ``units``, renamed units' old
    names too) and its place (0, 1, …) in Vietnamese dictionary order
    (``core.text.collation_key``), names that collate alike sharing a place. A new frame,
    in that order."""
    names = units["name"].fillna("").astype("str").unique()
    keys = {name: collation_key(name) for name in names}
    # Places by key, not by text: two spellings that collate alike ("Tân An", "Tân  An") share one.
    ranked = {key: i for i, key in enumerate(sorted(set(keys.values())))}
    frame = pd.DataFrame({"name": list(keys), "order": [ranked[k] for k in keys.values()]})
    return frame.astype({"name": "str", "order": "int64"}).sort_values(
        ["order", "name"], kind="stable").reset_index(drop=True)


_FRAMES = ("scores", "units", "components", "published", "inspections", "samples", "links",
           "published_changes", "name_order")


def load_snapshot(store: Store | StoreState,
                  cache_dir: Path | None = config.SNAPSHOT_CACHE_DIR) -> Snapshot:
    """Read the store's current state into a :class:`Snapshot`.

    With ``cache_dir``, the frames are also kept as Arrow files named by the store and its
    state token, and read from there while the state is unchanged (any write to the store
    moves the token, so a cached copy is never stale). ``store`` may be a ``StoreState``
    (``store.state``): the store itself is then opened only when there is no such copy.
    """
    token = store.state_token()
    folder = None
    if cache_dir is not None:
        name = f"{store.safe_url}|{store.instance_id}|{CACHE_FORMAT}"
        key = hashlib.sha1(name.encode()).hexdigest()[:12]
        folder = Path(cache_dir) / f"{key}-{token}"
        cached = _read_cache(folder, token)
        if cached is not None:
            return dataclasses.replace(cached, folder=folder)
    opener = getattr(store, "open", None)  # a StoreState: the store itself, opened now
    snapshot = _load_from_store(opener() if opener else store, token)
    if folder is not None:
        _write_cache(folder, snapshot)
        if (folder / "done").exists():
            snapshot = dataclasses.replace(snapshot, folder=folder)
    return snapshot


def _load_from_store(store: Store, token: int) -> Snapshot:
    sample = sample_versions(store.datasets())
    frames = {"scores": store.scores(lean=True), "components": store.components(),
              "published": store.published(), "inspections": store.inspections(),
              "published_changes": store.published_changes()}
    frames["inspections"] = frames["inspections"].assign(index=inspection_kind().code)
    frames, shown = keep_apart(frames, sample)
    inspections = frames["inspections"].drop(columns="index")
    scores = frames["scores"]
    if not inspections.empty:
        derived = discipline_scores(inspections, period="year").reindex(columns=SCORE_SHOWN)
        scores = concat_categorical([scores, derived], KEY_COLUMNS)
    scores = compact_scores(scores)
    # Rows kept apart from the sample leave their codes behind: no category without a row, so
    # value_counts and any grouping that lists categories see only what is shown. (Done here
    # and kept in the Arrow copy: on 4 million rows it takes a second.)
    scores = scores.assign(**{c: scores[c].cat.remove_unused_categories() for c in KEY_COLUMNS})
    units = store.units()
    return Snapshot(
        scores=scores, units=units, components=frames["components"],
        published=frames["published"], inspections=inspections, token=token,
        samples=pd.DataFrame({"index": sorted(shown)}),
        links=store.lineage().drop(columns="version").astype({"weight": "float64"}),
        published_changes=frames["published_changes"], name_order=name_order(units),
    )


def compact_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` as a snapshot holds them: the ``SCORE_SHOWN`` columns, ``KEY_COLUMNS`` as
    categoricals (categories sorted, so sorting by a key still sorts by its text).

    Consumers compare keys with strings (``==``, ``isin``) and group with ``observed=True``
    (pandas' default since 3.0); a categorical key never takes a new value in place.
    """
    out = scores.reindex(columns=SCORE_SHOWN)
    return out.astype({c: "category" for c in KEY_COLUMNS if out[c].dtype != "category"})


def sample_versions(datasets: list[dict]) -> set[int]:
    """The versions of the illustrative sample (stored by ``config.SAMPLE_USER``)."""
    return {d["version"] for d in datasets if d["uploaded_by"] == config.SAMPLE_USER}


def keep_apart(frames: dict[str, pd.DataFrame],
               sample: set[int]) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """Drop the sample's rows of every index that has real rows in any frame.

    Each frame needs ``index`` and ``version`` columns. Returns new frames and the indices
    still shown from the sample (those with no real data).
    """
    real, illustrative = set(), set()
    marks = {name: frame["version"].isin(sample) for name, frame in frames.items()}
    for name, frame in frames.items():
        # unique() before set(): a national store has millions of rows and a handful of indices
        real |= set(frame.loc[~marks[name], "index"].unique())
        illustrative |= set(frame.loc[marks[name], "index"].unique())
    kept = {}
    for name, frame in frames.items():
        drop = marks[name] & frame["index"].isin(real)
        kept[name] = frame[~drop].reset_index(drop=True) if drop.any() else frame
    return kept, illustrative - real


def _read_cache(folder: Path, token: int) -> Snapshot | None:
    import pyarrow.feather as feather

    if not (folder / "done").exists():
        return None
    try:
        # Memory-mapped and uncompressed: the national score table (4 million rows) is ready
        # in a fraction of a second, where decoding Parquet took seconds at every restart.
        tables = {name: feather.read_table(folder / f"{name}.arrow", memory_map=True)
                  for name in _FRAMES}
        # Columns in blocks of their own: the numbers are then views of the mapped file, not a
        # copy of 100 MB (half a second of a restart). They are read-only, as pandas' own
        # copy-on-write views are: consumers never change a snapshot in place.
        frames = {name: table.to_pandas(split_blocks=True) for name, table in tables.items()}
    except (OSError, ValueError):
        # A damaged, half-removed or older copy: removed, so that the rebuilt one takes its place.
        shutil.rmtree(folder, ignore_errors=True)
        return None
    frames["units"]["aliases"] = _alias_tuples(tables["units"].column("aliases"))
    frames["scores"] = compact_scores(frames["scores"])  # Arrow keeps categoricals as such
    return Snapshot(**frames, token=token)


def _alias_tuples(column) -> list[tuple[str, ...]]:
    """The Arrow list column of unit aliases as tuples. Only the aliases themselves become
    Python strings: ``to_pylist`` made a list per unit (a tenth of a second of a restart at
    10,000 units, most of them without an alias)."""
    import pyarrow.compute as pc

    lists = column.combine_chunks()
    counts = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    if not counts.any():
        return [()] * len(counts)
    names, ends = lists.flatten().to_pylist(), np.cumsum(counts)
    out: list[tuple[str, ...]] = [()] * len(counts)
    for row in np.flatnonzero(counts).tolist():  # the units with an alias only
        out[row] = tuple(names[ends[row] - counts[row]:ends[row]])
    return out


def _write_cache(folder: Path, snapshot: Snapshot) -> None:
    import pyarrow.feather as feather

    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=_ensure(folder.parent)))
        for name in _FRAMES:
            frame = getattr(snapshot, name)
            if frame is None:  # a snapshot built without its unit order
                frame = name_order(snapshot.units)
            if name == "units":
                frame = frame.assign(aliases=frame["aliases"].map(list))
            table = _arrow_table(frame)
            # One record batch: read back, a column is then one buffer that pandas takes as it
            # is (memory-mapped), where Arrow's default of 64K-row batches made the reader copy
            # every column of 4 million scores into one array.
            feather.write_feather(table, staging / f"{name}.arrow", compression="uncompressed",
                                  chunksize=max(table.num_rows, 1))
        (staging / "done").touch()
        staging.rename(folder)
    except OSError:
        # A read-only disk, or another process renamed its copy first: the cache is only a
        # speed-up, and a staging folder left behind would hold a whole copy for nothing.
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return
    prefix = folder.name.rsplit("-", 1)[0] + "-"
    for old in folder.parent.glob(prefix + "*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


def _arrow_table(frame: pd.DataFrame):
    """``frame`` as an Arrow table, its float columns with NaN kept as NaN: Arrow's nulls
    (``from_pandas``' reading of NaN) would make the reader build a new array to put the NaN
    back, where a column holding NaN itself is read without a copy."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, name in enumerate(table.column_names):
        column = frame[name]
        if column.dtype == np.float64 and table.column(i).null_count:
            table = table.set_column(i, name, pa.array(column.to_numpy(), type=pa.float64()))
    return table.combine_chunks()


# ---- views kept next to the Arrow copy --------------------------------------------------------

def read_view(data: Snapshot, name: str, options: tuple, *, classes: tuple[type, ...] = ()):
    """What ``keep_view`` kept for ``name`` and ``options`` on this snapshot's state and this
    code, else None.

    The first page after a restart is then read, not computed again: its ranking, sentences
    and the sidebar's choices cost over a second of CPU at national scale, and nothing they
    depend on has changed (the copy's folder is the store's state; the file name holds the
    code's own mark, ``code_mark``). A kept file is read with an unpickler that builds only
    frames, arrays and the given dataclasses (``classes``), so a file put in the cache folder
    can change what a page shows, as the Arrow copy can, but never run code; any other file is
    ignored and the view computed again.
    """
    path = _view_path(data, name, options)
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            return _ViewUnpickler(handle, classes).load()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        return None  # damaged, of classes since renamed, or not a view: computed again


_VIEW_GLOBALS = frozenset({
    ("builtins", "slice"), ("numpy", "dtype"), ("numpy", "ndarray"),
    ("numpy._core.numeric", "_frombuffer"), ("numpy._core.multiarray", "_reconstruct"),
    ("pandas", "DataFrame"), ("pandas", "Series"), ("pandas", "Index"), ("pandas", "RangeIndex"),
    ("pandas", "Int64Dtype"), ("pandas", "Float64Dtype"), ("pandas", "BooleanDtype"),
    ("pandas", "StringDtype"), ("pandas", "CategoricalDtype"), ("pandas", "Categorical"),
    ("pandas.arrays", "ArrowStringArray"), ("pandas.arrays", "IntegerArray"),
    ("pandas.arrays", "FloatingArray"), ("pandas.arrays", "BooleanArray"),
    ("pandas.arrays", "StringArray"), ("pandas.arrays", "DatetimeArray"),
    ("pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"), ("pandas._libs.internals", "_unpickle_block"),
    ("pandas.core.indexes.base", "_new_Index"), ("pandas.core.internals.managers", "BlockManager"),
    ("pyarrow.lib", "_restore_array"), ("pyarrow.lib", "py_buffer"), ("pyarrow.lib", "type_for_alias"),
})
"""The globals a kept view's pickle may name: what frames of numbers and text are rebuilt
from (found by recording the views of the national bench and the sample). None of them runs
code it is handed; a view naming anything else is not read."""


class _ViewUnpickler(pickle.Unpickler):
    """Python's "restricting globals" unpickler: only ``_VIEW_GLOBALS`` and the dataclasses
    the caller names."""

    def __init__(self, handle, classes: tuple[type, ...]) -> None:
        super().__init__(handle)
        self._classes = {(c.__module__, c.__qualname__): c for c in classes if dataclasses.is_dataclass(c)}

    def find_class(self, module: str, name: str):
        if (module, name) in self._classes:
            return self._classes[(module, name)]
        if (module, name) in _VIEW_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a kept view may not name {module}.{name}")


def keep_view(data: Snapshot, name: str, options: tuple, result) -> None:
    """Keep ``result`` (plain frames, text and dataclasses of them) for ``read_view``; nothing
    when the snapshot has no copy on disk or the disk refuses."""
    path = _view_path(data, name, options)
    if path is None:
        return
    try:
        path.parent.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)  # whole or not at all, for a session reading it now
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


def _view_path(data: Snapshot, name: str, options: tuple) -> Path | None:
    if data.folder is None or not data.folder.exists():
        return None
    digest = hashlib.sha1(f"{name}|{options!r}|{code_mark()}".encode()).hexdigest()[:24]
    return data.folder / "views" / f"{digest}.pickle"


@functools.cache
def code_mark() -> str:
    """A mark of the code that computes views (every module and string file of ``reform``,
    by size and time of change): a view kept by other code is never read back."""
    package = Path(__file__).resolve().parents[1]
    # Not the importer's modules (reform/ingest), the command line's or the app's: no view
    # is computed there.
    files = sorted(f for part in ("core", "analysis", "present", "store")
                   for f in (package / part).rglob("*.py")) + sorted(package.rglob("*.toml"))
    stats = ((f.relative_to(package).as_posix(), f.stat()) for f in files)
    return hashlib.sha1(repr([(n, s.st_size, s.st_mtime_ns) for n, s in stats]).encode()).hexdigest()


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
