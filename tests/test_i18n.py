"""reform.core.i18n: one catalog, read one way; no key used in the code is missing from it."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from reform.core import i18n
from reform.core.errors import ReformError, UsageError, require_lang
from reform.core.i18n import CATALOG, LANGS, MissingString, load_catalog, t
from reform.core.kinds import KINDS
from reform.core.model import LEVELS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.glob("reform/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py"])
KEY_SHAPE = re.compile(r"^[a-z_]+(\.[A-Za-z0-9_]+)+$")
NAMESPACES = {key.split(".")[0] for key in CATALOG}


def literal_keys(path: Path) -> set[str]:
    """Every string constant in ``path`` shaped like a key of a catalog namespace."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and KEY_SHAPE.match(node.value) and node.value.split(".")[0] in NAMESPACES}


def dynamic_prefixes(path: Path) -> set[str]:
    """The fixed start of every f-string key: ``t(f"index.{code}")`` gives 'index.'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            head = str(node.values[0].value)
            if KEY_SHAPE.match(head.rstrip(".")) and head.endswith(".") and head.split(".")[0] in NAMESPACES:
                found.add(head)
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_the_code_names_is_in_the_catalog(path: Path):
    missing = sorted(key for key in literal_keys(path) if key not in CATALOG)
    assert missing == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_prefix_the_code_builds_has_entries(path: Path):
    empty = sorted(p for p in dynamic_prefixes(path) if not any(k.startswith(p) for k in CATALOG))
    assert empty == []


def test_every_entry_has_both_languages_and_vietnamese_is_not_english():
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


@pytest.mark.parametrize("key", [f"index.{kind.code}" for kind in KINDS] + [f"level.{lv}" for lv in LEVELS])
def test_keys_built_from_the_registries_exist(key: str):
    assert key in CATALOG


def test_a_missing_key_raises_rather_than_showing_the_key():
    with pytest.raises(MissingString, match="no.such.key"):
        t("no.such.key", "vi")


def test_values_are_filled_in_each_language():
    assert t("errors.lang", "vi", language="fr", choices="vi, en").startswith("Ngôn ngữ 'fr'")
    assert t("errors.lang", "en", language="fr", choices="vi, en").startswith("Language 'fr'")


def test_errors_take_their_message_from_the_catalog():
    error = UsageError.of("errors.lang", language="fr", choices="vi, en")
    assert isinstance(error, ReformError)
    assert error.message("vi") == t("errors.lang", "vi", language="fr", choices="vi, en")
    assert error.message("en") == t("errors.lang", "en", language="fr", choices="vi, en")
    with pytest.raises(UsageError, match="fr"):
        require_lang("fr")


def test_a_file_with_a_key_lacking_english_is_refused(tmp_path: Path):
    (tmp_path / "a.toml").write_text('"x.y" = { vi = "Xin chào" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="x.y"):
        load_catalog(tmp_path)


def test_a_key_in_two_files_is_refused(tmp_path: Path):
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('"x.y" = { vi = "A", en = "B" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="another file"):
        load_catalog(tmp_path)


def test_the_kept_catalog_is_read_back_until_a_file_changes(tmp_path: Path):
    (tmp_path / "a.toml").write_text('"x.y" = { vi = "A", en = "B" }\n', encoding="utf-8")
    assert i18n.cached_catalog(tmp_path) == {"x.y": {"vi": "A", "en": "B"}}
    assert (tmp_path / "__pycache__" / "catalog.marshal").exists()
    assert i18n.cached_catalog(tmp_path) == {"x.y": {"vi": "A", "en": "B"}}
    (tmp_path / "a.toml").write_text('"x.y" = { vi = "Á", en = "Bee" }\n', encoding="utf-8")
    assert i18n.cached_catalog(tmp_path) == {"x.y": {"vi": "Á", "en": "Bee"}}
    assert load_catalog() == i18n.CATALOG


def test_numbers_follow_the_language():
    assert i18n.format_number(1234.5, "vi") == "1.234,50"
    assert i18n.format_number(1234.5, "en") == "1,234.50"
    assert i18n.format_percent(85.321, "vi") == "85,32 %"
    assert i18n.format_signed(-0.5, "en") == "−0.50"
