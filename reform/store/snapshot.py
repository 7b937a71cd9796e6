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

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from reform.analysis.discipline import discipline_scores
from reform.core import config
from reform.core.kinds import INDEX_CODES, inspection_kind
from reform.core.model import LINK_COLUMNS, PUBLISHED_CHANGE_COLUMNS
from reform.store.store import LEAN_KEYS, LEAN_SCORE_COLUMNS, Store, concat_categorical

KEY_COLUMNS = LEAN_KEYS
"""Score columns kept as categoricals: a handful of indices, ten periods, forty components and
ten thousand units repeat over millions of rows (a code each instead of a string)."""
CACHE_FORMAT = 3
"""Part of the cached copy's name: a copy written in an older shape (scores with ``source``,
plain string keys) is never read back as a current one."""
SCORE_SHOWN = LEAN_SCORE_COLUMNS
"""The score columns a snapshot holds."""


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

    @cached_property
    def unit_names(self) -> dict[str, str]:
        """unit_id -> display name."""
        return dict(zip(self.units["unit_id"], self.units["name"], strict=True))

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


_FRAMES = ("scores", "units", "components", "published", "inspections", "samples", "links",
           "published_changes")


def load_snapshot(store: Store, cache_dir: Path | None = config.SNAPSHOT_CACHE_DIR) -> Snapshot:
    """Read the store's current state into a :class:`Snapshot`.

    With ``cache_dir``, the frames are also kept as Arrow files named by the store and its
    state token, and read from there while the state is unchanged (any write to the store
    moves the token, so a cached copy is never stale).
    """
    token = store.state_token()
    folder = None
    if cache_dir is not None:
        name = f"{store.safe_url}|{store.instance_id}|{CACHE_FORMAT}"
        key = hashlib.sha1(name.encode()).hexdigest()[:12]
        folder = Path(cache_dir) / f"{key}-{token}"
        cached = _read_cache(folder, token)
        if cached is not None:
            return cached
    snapshot = _load_from_store(store, token)
    if folder is not None:
        _write_cache(folder, snapshot)
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
    return Snapshot(
        scores=scores, units=store.units(), components=frames["components"],
        published=frames["published"], inspections=inspections, token=token,
        samples=pd.DataFrame({"index": sorted(shown)}),
        links=store.lineage().drop(columns="version").astype({"weight": "float64"}),
        published_changes=frames["published_changes"],
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
        frames = {name: table.to_pandas() for name, table in tables.items()}
    except (OSError, ValueError):
        # A damaged, half-removed or older copy: removed, so that the rebuilt one takes its place.
        shutil.rmtree(folder, ignore_errors=True)
        return None
    frames["units"]["aliases"] = [tuple(a or ()) for a in tables["units"].column("aliases").to_pylist()]
    frames["scores"] = compact_scores(frames["scores"])  # Arrow keeps categoricals as such
    return Snapshot(**frames, token=token)


def _write_cache(folder: Path, snapshot: Snapshot) -> None:
    import pyarrow as pa
    import pyarrow.feather as feather

    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=_ensure(folder.parent)))
        for name in _FRAMES:
            frame = getattr(snapshot, name)
            if name == "units":
                frame = frame.assign(aliases=frame["aliases"].map(list))
            table = pa.Table.from_pandas(frame, preserve_index=False).combine_chunks()
            feather.write_feather(table, staging / f"{name}.arrow", compression="uncompressed")
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


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
