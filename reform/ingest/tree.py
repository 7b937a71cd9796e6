"""The component tree of a sheet: codes, parents and maxima of its fields and criteria.

The tree comes from merged headers (a field name over its criteria), or, when the header is
flat, from sums (a column that is the sum of the columns right after it). Maxima come from
the "Điểm tối đa" row, from labels such as "(10 điểm)", or from the index's kind.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd

from reform.core import config
from reform.core.kinds import kind_of
from reform.core.model import Role
from reform.core.text import fold, parse_number
from reform.ingest.layout import Component, SheetLayout
from reform.ingest.readers import RawSheet
from reform.ingest.roles import Column

_CODE_PREFIX = re.compile(r"^\s*((?:\d+)(?:\.\d+)*)\s*[.)]?\s+(?=\S)")
_MAX_LABEL = re.compile(r"\(\s*(?:tối đa\s*)?([0-9]+(?:[.,][0-9]+)?)\s*(?:điểm|đ|d)\s*\)", re.IGNORECASE)


_MAX_NOTE = re.compile(r"(?:điểm tối đa|thang điểm|tổng điểm tối đa)\s*[:=]?\s*([0-9]+(?:[.,][0-9]+)?)", re.IGNORECASE)
"""A note in the title giving the total's maximum: "(Điểm tối đa: 60)"."""


def split_code(label: str) -> tuple[str, str]:
    """'1.2 Kế hoạch CCHC' -> ('1.2', 'Kế hoạch CCHC'); no code -> ('', label)."""
    match = _CODE_PREFIX.match(label)
    if match and not re.fullmatch(r"(19|20)\d\d", match.group(1)):
        return match.group(1), label[match.end():].strip()
    return "", label


def max_from_label(label: str) -> tuple[float | None, str]:
    """'Tổ chức bộ máy (11 điểm)' -> (11.0, 'Tổ chức bộ máy')."""
    found = _MAX_LABEL.search(label)
    if found:
        number, _ = parse_number(found.group(1))
        return number, (label[: found.start()] + label[found.end():]).strip(" -:")
    return None, label


def _field(label: str, number: int, col: int | None, order: int) -> Component:
    """A top-level field: its printed code when it has a one-part one, else its position."""
    explicit, label = split_code(label)
    max_value, label = max_from_label(label)
    code = explicit if explicit and "." not in explicit else str(number)
    return Component(code, label, "", max_value, col, order)


def _criterion(label: str, parent: str, position: int, col: int, order: int) -> Component:
    explicit, label = split_code(label)
    max_value, label = max_from_label(label)
    code = explicit if explicit.startswith(parent + ".") else f"{parent}.{position}"
    return Component(code, label, parent, max_value, col, order)


_SET_LABELS = re.compile(r"^(?:\d+\s+)?(?:cac\s+)?(?:chi so thanh phan|chi so|linh vuc|tieu chi|tieu chi thanh phan"
                         r"|noi dung|thanh phan|components?|sub indices|fields|criteria)$")
"""Labels that name a set of columns, not a field summing them ("Chỉ số thành phần", "Các lĩnh vực")."""


def labels_a_set(label: str) -> bool:
    """Whether a merged header only labels the columns under it ("1. Chỉ số thành phần")."""
    return bool(_SET_LABELS.match(fold(max_from_label(label)[1])))


def _header_groups(columns: list[Column], header_rows_count: int) -> list[tuple[str, list[Column]]]:
    """Runs of component columns under the same label (the label right above each one;
    a third row above is a banner, and a label that only names a set is none)."""
    groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        upper = column.parts[-2] if len(column.parts) >= 2 and header_rows_count >= 2 else ""
        upper = "" if labels_a_set(upper) else upper
        if groups and upper and groups[-1][0] == upper:
            groups[-1][1].append(column)
        else:
            groups.append((upper, [column]))
    return groups


def _tree_from_headers(groups: list[tuple[str, list[Column]]]) -> list[Component]:
    nodes: list[Component] = []
    number = 0
    for upper, members in groups:
        if upper and len(members) >= 2:
            number += 1
            parent = _field(upper, number, None, len(nodes))
            nodes.append(parent)
            for i, column in enumerate(members, start=1):
                nodes.append(_criterion(column.parts[-1], parent.code, i, column.col, len(nodes)))
            continue
        for column in members:
            number += 1
            nodes.append(_field(column.parts[-1] if column.parts else column.letter, number,
                                column.col, len(nodes)))
    return nodes


def _tree_from_sums(columns: list[Column], values: pd.DataFrame) -> list[Component]:
    parents = sum_structure([c.col for c in columns], values)
    nodes: list[Component] = []
    number = 0
    child_index: dict[int, int] = {}
    parent_code: dict[int, str] = {}
    for column in columns:
        label = column.parts[-1] if column.parts else column.letter
        parent_col = parents.get(column.col)
        if parent_col is None:
            number += 1
            node = _field(label, number, column.col, len(nodes))
            parent_code[column.col] = node.code
        else:
            child_index[parent_col] = child_index.get(parent_col, 0) + 1
            _, label = split_code(label)
            max_value, label = max_from_label(label)
            node = Component(f"{parent_code[parent_col]}.{child_index[parent_col]}", label,
                             parent_code[parent_col], max_value, column.col, len(nodes))
        nodes.append(node)
    return nodes


def infer_tree(layout: SheetLayout, values: pd.DataFrame) -> list[Component]:
    """The component tree of ``layout``'s component columns.

    A field name over its criteria (merged, or repeated across) makes a tree; two header rows
    that only name each column twice (English over Vietnamese) do not, and then ``values``
    (unit × column) tell which columns sum the ones after them.
    """
    columns = layout.by_role(Role.COMPONENT)
    groups = _header_groups(columns, len(layout.header_rows))
    if any(upper and len(members) >= 2 for upper, members in groups):
        nodes = _tree_from_headers(groups)
    else:
        nodes = _tree_from_sums(columns, values)
    # Codes must be unique: explicit codes that collide fall back to positions.
    if any(v > 1 for v in Counter(n.code for n in nodes).values()):
        return renumber(nodes)
    return nodes


def renumber(nodes: list[Component]) -> list[Component]:
    """``nodes`` coded by position: fields 1, 2, …, their criteria 1.1, 1.2, …"""
    top = 0
    last_parent = ""
    child: dict[str, int] = {}
    out = []
    for node in nodes:
        if not node.parent:
            top += 1
            last_parent = str(top)
            out.append(replace(node, code=last_parent, parent=""))
        else:
            child[last_parent] = child.get(last_parent, 0) + 1
            out.append(replace(node, code=f"{last_parent}.{child[last_parent]}", parent=last_parent))
    return out


_SUM_SAMPLE = 1000
"""Rows a width is first judged on: a column that is no sum misses on most of them, which
rules the width out without adding up every row (the answer is the same, only sooner)."""


def _first_blanks(matrix: np.ndarray) -> np.ndarray:
    """For each cell, the column of the first NaN at or right of it in its row (the width
    of the matrix when none): how far running sums may go, for every column at once."""
    out = np.full((matrix.shape[0], matrix.shape[1] + 1), matrix.shape[1], dtype=np.int64)
    for j in range(matrix.shape[1] - 1, -1, -1):
        out[:, j] = np.where(np.isnan(matrix[:, j]), j, out[:, j + 1])
    return out


def _blank_as_zero(block: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(block), 0.0, block)


def _sum_width(matrix: np.ndarray, i: int, first_blank: np.ndarray | None = None) -> int:
    """How many columns right after column ``i`` of ``matrix`` (units × columns, NaN where
    no value) it is the sum of (0 when none): the first width, in order, whose running sum
    is within ``SUM_TOLERANCE`` of the column for 95 % of the rows that have every cell, as
    long as three rows at least do. ``first_blank``: :func:`_first_blanks` of ``matrix``."""
    total, block = matrix[:, i], matrix[:, i + 1:]
    width = block.shape[1]
    if width < 2:
        return 0
    first_blank = _first_blanks(matrix) if first_blank is None else first_blank
    reach = first_blank[:, i + 1] - (i + 1)  # cells from the left of the block before a NaN
    has_total = ~np.isnan(total)
    at_least = np.bincount(reach[has_total], minlength=width + 1)[::-1].cumsum()[::-1]
    counts = at_least[1:]  # counts[k - 1]: rows with a total and the first k cells
    sample = min(len(matrix), _SUM_SAMPLE)
    running_sample = np.cumsum(_blank_as_zero(block[:sample]), axis=1)
    usable = has_total[:sample, None] & (reach[:sample, None] >= np.arange(1, width + 1))
    close = np.abs(running_sample - np.nan_to_num(total[:sample])[:, None]) <= config.SUM_TOLERANCE
    sample_misses = (usable & ~close).sum(axis=0)
    running = None
    for k in range(2, width + 1):
        if counts[k - 1] < 3:
            return 0
        if sample_misses[k - 1] > 0.05 * counts[k - 1] + 1:
            continue  # more misses among the sample alone than the whole may have
        if running is None:
            running = np.cumsum(_blank_as_zero(block), axis=1)
        hits = (has_total & (reach >= k) & (np.abs(running[:, k - 1] - np.nan_to_num(total))
                                             <= config.SUM_TOLERANCE)).sum()
        if hits / counts[k - 1] >= 0.95:
            return k
    return 0


def sum_structure(cols: list[int], values: pd.DataFrame) -> dict[int, int]:
    """Columns that are the sum of the columns right after them (PAPI: a dimension, then its
    sub-dimensions). Returns child column -> parent column."""
    matrix = values.reindex(columns=cols).to_numpy(dtype=float, na_value=np.nan)
    first_blank = _first_blanks(matrix)
    parents: dict[int, int] = {}
    i = 0
    while i < len(cols):
        found = _sum_width(matrix, i, first_blank)
        for j in range(i + 1, i + 1 + found):
            parents[cols[j]] = cols[i]
        i += found + 1
    return parents


def with_maximums(components: list[Component], max_cells: dict[int, object], index: str) -> list[Component]:
    """``components`` with maxima filled in: from the maximum row (``max_cells``: column ->
    cell), then the kind's field maximum for fields, then a field's criteria added up."""
    default = kind_of(index).field_maximum
    nodes = []
    for node in components:
        maximum = node.max_value
        if maximum is None and node.col is not None and node.col in max_cells:
            maximum, _ = parse_number(max_cells[node.col])
        if maximum is None and not node.parent and default is not None:
            maximum = default
        nodes.append(replace(node, max_value=maximum))
    out = []
    for node in nodes:
        if node.max_value is None and node.col is None:
            children = [c.max_value for c in nodes if c.parent == node.code]
            if children and all(m is not None for m in children):
                node = replace(node, max_value=float(sum(children)))
        out.append(node)
    return out


def total_maximum(layout: SheetLayout, sheet: RawSheet, index: str) -> float | None:
    """The total's maximum: the maximum row, the total's label, the kind's, else (additive
    kinds) the sum of the fields' maxima."""
    totals = layout.by_role(Role.TOTAL)
    if totals and layout.max_row is not None:
        number, _ = parse_number(sheet.cell(layout.max_row, totals[0].col))
        if number:
            return number
    if totals:
        from_label, _ = max_from_label(totals[0].header)
        if from_label:
            return from_label
    note = _MAX_NOTE.search(layout.title)
    if totals and note:
        return parse_number(note.group(1))[0]
    kind = kind_of(index)
    if kind.total_maximum is not None:
        return kind.total_maximum
    fields = [n for n in layout.components if not n.parent]
    if kind.additive and fields and all(n.max_value is not None for n in fields):
        return float(sum(n.max_value for n in fields))
    return None


def _adds_up(node: Component, children: list[Component], index: str) -> bool:
    """Whether a field is the sum of its criteria: an additive index, or criteria whose
    maxima add up to the field's."""
    child_max = [c.max_value for c in children]
    return kind_of(index).additive or (
        node.max_value is not None and all(m is not None for m in child_max)
        and abs(sum(child_max) - node.max_value) <= config.SUM_TOLERANCE)


def derive_parents(scores: pd.DataFrame, components: list[Component], index: str,
                   period: str | None) -> pd.DataFrame:
    """``scores`` plus, for each field with no column of its own, the sum of its criteria
    when that is what it is; the source of a derived value is the formula over its cells."""
    derived = []
    for node in components:
        if node.col is not None:
            continue
        children = [c for c in components if c.parent == node.code]
        if not children or not _adds_up(node, children, index):
            continue
        part = scores[scores["component"].isin([c.code for c in children])]
        if part.empty:
            continue
        values = part.groupby("unit_id", sort=False)["value"].sum()
        cells = part.pivot(index="unit_id", columns="component", values="source").reindex(values.index)
        formulas = ["=" + "+".join(c for c in row if isinstance(c, str))
                    for row in zip(*(cells[col] for col in cells.columns), strict=True)]
        sums = pd.DataFrame({"value": values, "source": formulas}).reset_index()
        sums["index"], sums["period"], sums["component"] = index, period, node.code
        sums["max_value"] = np.nan if node.max_value is None else float(node.max_value)
        derived.append(sums[list(scores.columns)])
    if not derived:
        return scores
    return pd.concat([scores, *derived], ignore_index=True)
