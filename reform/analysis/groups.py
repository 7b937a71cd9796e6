"""Groups: the label each unit of a block gets (A/B/C/D, Tốt/Khá/…, or quartiles).

An index's thresholds come from its kind (``kind_of(index).group_scheme(period)``): a list of
(label, lower bound in % of maximum) from the best group down. A value equal to a bound
belongs to the upper group. An index without thresholds gets quartiles of the competition
rank (``config.QUARTILE_LABELS``, Q1 best).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reform.analysis.competition import competition_rank
from reform.core import config
from reform.core.kinds import kind_of
from reform.core.text import clean_text, fold

Schemes = Mapping[str, Mapping[str | None, Sequence[tuple[str, float]]]]
"""Thresholds per index, then per period (``None`` for the default), like the kinds hold."""

EPSILON = 1e-9
"""A percent within this of a group bound counts as on the bound."""

_GROUP_PREFIX = re.compile(r"^(xep loai|nhom|loai|group|tier)\s+")


def group_scheme(index: str, period: str, schemes: Schemes | None = None
                 ) -> list[tuple[str, float]] | None:
    """The (label, lower bound %) list for ``index`` in ``period``, best first; None = quartiles.

    Looks for an override of the period, then of its year (so "2023-05" uses the "2023"
    thresholds), then the index default. The thresholds are the index kind's, or those of
    ``schemes`` when given. Raises nothing.
    """
    if schemes is None:
        kind = kind_of(index)
        scheme = kind.group_scheme(period if period in kind.group_schemes else period[:4])
        return None if scheme is None else list(scheme)
    by_period = schemes.get(index)
    if not by_period:
        return None
    for key in (period, period[:4], None):
        if key in by_period:
            return list(by_period[key])
    return None


def _quartiles(values: pd.Series) -> pd.Series:
    """Q1..Q4 by competition rank among the present values; "" where missing."""
    rank = competition_rank(values)
    ranked = int(rank.notna().sum())
    labels = np.full(len(values), "", dtype=object)
    if ranked:
        quarter = (rank.to_numpy(dtype="float64", na_value=np.nan) - 1) * 4 // ranked
        present = ~np.isnan(quarter)
        labels[present] = np.asarray(config.QUARTILE_LABELS, dtype=object)[
            quarter[present].astype(int)]
    return pd.Series(labels, index=values.index, dtype="str")


def assign_groups(percent: pd.Series, *, index: str, period: str,
                  schemes: Schemes | None = None) -> pd.Series:
    """Group label of each percent: the index's thresholds for the period, else quartiles.

    Returns a new ``str`` Series aligned with ``percent``; "" where the percent is missing. A
    value equal to a lower bound belongs to that group (80.0 is "A" when A is "≥ 80"). Without
    a scheme the labels are ``config.QUARTILE_LABELS`` by competition rank within the series
    (Q1 best). ``schemes`` replaces the kinds' thresholds. Raises nothing.

    >>> assign_groups(pd.Series([80.0, 79.99]), index="PAR", period="2018").tolist()
    ['A', 'B']
    """
    scheme = group_scheme(index, period, schemes)
    if scheme is None:
        return _quartiles(percent)
    values = pd.to_numeric(percent, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    conditions = [values >= bound - EPSILON for _, bound in scheme]
    labels = np.select(conditions, [label for label, _ in scheme], default="")
    return pd.Series(labels, index=percent.index, dtype="str")


def block_groups(percent: pd.Series, score: pd.Series, *, index: str, period: str,
                 schemes: Schemes | None = None) -> pd.Series:
    """Groups of a ranked block: thresholds on ``percent``, or quartiles on ``score``.

    Thresholds are in % of maximum and mean nothing on points; quartiles work on either, so
    a block ranked on points still gets quartile groups. Returns a new ``str`` Series.
    """
    if group_scheme(index, period, schemes) is None:
        return assign_groups(score, index=index, period=period, schemes=schemes)
    return assign_groups(percent, index=index, period=period, schemes=schemes)


def group_label(label: object) -> str:
    """A published group label written one way: spaces trimmed and collapsed, composed
    accents, and a label in title case ("Trung Bình", "Rất Tốt") in sentence case; short
    all-capital words ("A", "II", "Nhóm A") are kept.

    >>> group_label(" Khá "), group_label("Trung Bình"), group_label("Rất Tốt"), group_label("Nhóm A")
    ('Khá', 'Trung bình', 'Rất tốt', 'Nhóm A')
    """
    text = clean_text(label)
    words = text.split(" ")
    if len(words) < 2:
        return text[:1].upper() + text[1:] if text[:1].islower() and len(text) > 3 else text
    rest = [w if (w.isupper() and len(w) <= 3) else w.lower() for w in words[1:]]
    return " ".join([words[0][:1].upper() + words[0][1:].lower(), *rest])


def shown_groups(computed: pd.Series, published: pd.Series, *, index: str, period: str,
                 schemes: Schemes | None = None) -> pd.Series:
    """The groups to show: the publisher's, wherever the file published a group column.

    Published labels are normalised by ``group_label``. Computed groups (thresholds or
    quartiles) are only a stand-in for a publisher that gives none: a unit the publisher left
    without a label keeps its computed group when the index has thresholds of its own (the same
    scheme), and "" when its computed group would be a quartile (another scheme).

    Returns a new ``str`` Series aligned with ``computed``. Raises nothing.
    """
    labels = published.fillna("").astype(str).map(group_label)
    given = labels != ""
    if not bool(given.any()):
        return computed
    fallback = computed if group_scheme(index, period, schemes) is not None else ""
    return labels.where(given, fallback).astype("str")


def group_mismatch(computed: pd.Series, published: pd.Series, *, index: str, period: str,
                   schemes: Schemes | None = None) -> pd.Series:
    """True where the publisher's group differs from the one the index's thresholds give.

    Quartiles are not the publisher's scheme, so an index without thresholds never mismatches.
    Returns a new ``bool`` Series aligned with ``computed``. Raises nothing.
    """
    labels = published.fillna("").astype(str)
    if group_scheme(index, period, schemes) is None:
        return pd.Series(False, index=computed.index, dtype=bool)
    return ((labels.str.strip() != "") & (group_keys(labels) != group_keys(computed))).astype(bool)


def group_keys(labels: pd.Series) -> pd.Series:
    """Labels compared without case, accents or a "Nhóm"/"Loại" prefix ("Nhóm A" is "A")."""
    keys = {label: _GROUP_PREFIX.sub("", fold(label)) for label in labels.unique()}
    return labels.map(keys)


__all__ = ["EPSILON", "Schemes", "assign_groups", "block_groups", "group_keys", "group_label",
           "group_scheme", "group_mismatch", "shown_groups"]
