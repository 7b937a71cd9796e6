"""Everything the app and the command line read, loaded once per store state.

Discipline scores are not stored: they derive from the inspection records by the configured
rule, so they are added here and every consumer ranks DISCIPLINE like any other index.

The illustrative sample (versions uploaded by ``config.SAMPLE_USER``) never mixes with real
data: an index shows its sample versions only while it has no real version at all, so no rank
change, trend or comparison ever sets a real period against an illustrative one.
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
from reform.core.model import LINK_COLUMNS, SCORE_COLUMNS
from reform.store.store import Store


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
        found = set(self.scores["index"])
        return [i for i in INDEX_CODES if i in found] + sorted(found - set(INDEX_CODES))


_FRAMES = ("scores", "units", "components", "published", "inspections", "samples", "links")


def load_snapshot(store: Store, cache_dir: Path | None = config.SNAPSHOT_CACHE_DIR) -> Snapshot:
    """Read the store's current state into a :class:`Snapshot`.

    With ``cache_dir``, the frames are also kept as Parquet files named by the store and its
    state token, and read from there while the state is unchanged (any write to the store
    moves the token, so a cached copy is never stale).
    """
    token = store.state_token()
    folder = None
    if cache_dir is not None:
        key = hashlib.sha1(f"{store.safe_url}|{store.instance_id}".encode()).hexdigest()[:12]
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
    frames = {"scores": store.scores(), "components": store.components(),
              "published": store.published(), "inspections": store.inspections()}
    frames["inspections"] = frames["inspections"].assign(index=inspection_kind().code)
    frames, shown = keep_apart(frames, sample)
    inspections = frames["inspections"].drop(columns="index")
    scores = frames["scores"]
    if not inspections.empty:
        derived = discipline_scores(inspections, period="year").reindex(columns=SCORE_COLUMNS)
        scores = pd.concat([scores, derived], ignore_index=True) if not scores.empty else derived
    return Snapshot(
        scores=scores, units=store.units(), components=frames["components"],
        published=frames["published"], inspections=inspections, token=token,
        samples=pd.DataFrame({"index": sorted(shown)}),
        links=store.lineage().drop(columns="version").astype({"weight": "float64"}),
    )


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
    if not (folder / "done").exists():
        return None
    try:
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _FRAMES}
    except (OSError, ValueError):
        return None  # a damaged or half-removed cache is simply rebuilt
    frames["units"]["aliases"] = frames["units"]["aliases"].map(
        lambda a: tuple(a) if a is not None else ())
    return Snapshot(**frames, token=token)


def _write_cache(folder: Path, snapshot: Snapshot) -> None:
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=_ensure(folder.parent)))
        for name in _FRAMES:
            frame = getattr(snapshot, name)
            if name == "units":
                frame = frame.assign(aliases=frame["aliases"].map(list))
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / "done").touch()
        staging.rename(folder)
    except OSError:
        return  # read-only disk or a race with another process: the cache is only a speed-up
    prefix = folder.name.rsplit("-", 1)[0] + "-"
    for old in folder.parent.glob(prefix + "*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
