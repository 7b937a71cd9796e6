"""The command line (a contract: see ARCHITECTURE.md).

    python -m reform import FILE [--index CODE] [--period P] [--level LEVEL] [--sheet NAME]
                                 [--dry-run] [--json] [--db URL]
    python -m reform rank --index CODE --period P [--level LEVEL] [--by COMPONENT]
                          [--format table|csv|json] [--db URL]
    python -m reform datasets [--json] [--db URL]
    python -m reform export --index CODE --period P [--level LEVEL]
                            --format xlsx|pptx|png|svg --out FILE [--lang vi|en] [--db URL]

Exit codes: 0 done (warnings allowed), 1 the file or request was refused (nothing stored),
2 a usage error. No traceback reaches the user for a bad file.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

import pandas as pd

from reform.core import config
from reform.core.errors import FileRefused, ReformError, UsageError
from reform.core.i18n import t

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _lang() -> str:
    return "en" if os.environ.get("REFORM_LANG", "vi").lower().startswith("en") else "vi"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2 too; keep its text
        self.print_usage(sys.stderr)
        print(f"Lỗi cú pháp / usage error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m reform", description="Chỉ số CCHC / administrative reform indices")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("import", help="đọc, kiểm tra và lưu một tệp / read, check and store a file")
    p.add_argument("file")
    p.add_argument("--index")
    p.add_argument("--period")
    p.add_argument("--level")
    p.add_argument("--sheet")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", default=config.DEFAULT_USER)
    p.add_argument("--db")

    p = sub.add_parser("rank", help="xếp hạng / ranking")
    p.add_argument("--index", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--level")
    p.add_argument("--by", default="TOTAL")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--db")

    p = sub.add_parser("datasets", help="các phiên bản dữ liệu / dataset versions")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")

    p = sub.add_parser("export", help="xuất bảng xếp hạng / export the ranking")
    p.add_argument("--index", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--level")
    p.add_argument("--format", choices=["xlsx", "pptx", "png", "svg"], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--db")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", None) or _lang()
    try:
        return {"import": cmd_import, "rank": cmd_rank, "datasets": cmd_datasets,
                "export": cmd_export}[args.command](args)
    except UsageError as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_USAGE
    except ReformError as exc:
        if getattr(args, "json", False):
            issues = [i.as_dict(lang) for i in getattr(exc, "issues", [])]
            print(json.dumps({"ok": False, "error": exc.message(lang), "issues": issues,
                              "units": 0, "periods": [], "components": 0}, ensure_ascii=False))
        print(exc.message(lang), file=sys.stderr)
        return EXIT_REFUSED


def _store(args):
    from reform.store.store import Store

    return Store(args.db)


def cmd_import(args) -> int:
    from reform.ingest.pipeline import import_file
    from reform.ingest.readers import read_path

    lang = _lang()
    store = _store(args)
    data, _ = read_path(args.file)
    options = {"index": args.index, "period": args.period, "level": args.level, "sheet": args.sheet}
    parsed = import_file(data, Path(args.file).name, store.units(), store.previous_units, **options)
    result = None
    if parsed.ok and not args.dry_run:
        result = store.save(parsed.dataset(options), user=args.user)
    summary = {
        "ok": parsed.ok,
        "version": result.version if result else None,
        "duplicate": bool(result and result.duplicate),
        "dry_run": bool(args.dry_run),
        "file": parsed.file_name,
        "sha256": parsed.sha256,
        "index": parsed.index,
        "units": parsed.unit_count,
        "periods": parsed.periods,
        "components": parsed.component_count,
        "sheets": [s.layout.sheet for s in parsed.sheets],
        "issues": [i.as_dict(lang) for i in parsed.issues],
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print_import(summary, lang)
    return EXIT_OK if parsed.ok else EXIT_REFUSED


def _print_import(summary: dict, lang: str) -> None:
    errors = [i for i in summary["issues"] if i["severity"] == "error"]
    warnings = [i for i in summary["issues"] if i["severity"] == "warning"]
    print(t("cli.head", lang, file=summary["file"], index=summary["index"],
                 periods=", ".join(summary["periods"]), units=summary["units"],
                 components=summary["components"], errors=len(errors), warnings=len(warnings)))
    for issue in (errors + warnings)[:50]:
        where = f"{issue['sheet']}!{issue['cell']}" if issue["cell"] else issue["sheet"]
        print(f"  [{issue['severity']}] {where}: {issue['message']}")
    if len(errors) + len(warnings) > 50:
        print(f"  … (+{len(errors) + len(warnings) - 50})")
    outcome = ("refused" if not summary["ok"] else "dry_run" if summary["dry_run"]
               else "duplicate" if summary["duplicate"] else "stored")
    print(t("cli." + outcome, lang, version=summary["version"]))


def ranking_table(snapshot, *, index: str, period: str, level: str | None, by: str = "TOTAL"):
    """The ranking the command line prints and exports; resolves --by names and the level."""
    from reform.analysis import ranking, scope
    from reform.core.text import fold

    index = index.upper()
    scores = snapshot.scores
    here = scores[(scores["index"] == index) & (scores["period"] == str(period))]
    if here.empty:
        known = sorted(set(scores.loc[scores["index"] == index, "period"]))
        raise UsageError.of("cli.no_period_data", index=index, period=period,
                            known_vi=", ".join(known) or t("cli.none", "vi"),
                            known_en=", ".join(known) or t("cli.none", "en"))
    component = by
    codes = set(here["component"])
    if by not in codes:
        comps = snapshot.components
        named = comps[(comps["index"] == index) & (comps["period"] == str(period))]
        hits = named[named["name"].map(fold) == fold(by)]
        if hits.empty:
            raise UsageError.of("cli.no_component", by=by, index=index, period=period)
        component = hits["component"].iloc[0]
    if level is None:
        level = scope.default_level(scores, index, str(period), units=snapshot.units)
    return ranking.rank_units(
        scores, snapshot.units, index=index, period=str(period), level=level,
        component=component, published=snapshot.published), level


def cmd_rank(args) -> int:
    from reform.store.snapshot import load_snapshot

    snapshot = load_snapshot(_store(args))
    table, level = ranking_table(snapshot, index=args.index, period=args.period, level=args.level, by=args.by)
    out = pd.DataFrame({
        "rank": table["rank"],
        "unit": table["unit"],
        "value": table["value"].round(4),
        "change": table["change"],
        "group": table["group"],
        "percent": table["percent"].round(4),
        "previous_rank": table["previous_rank"],
        "is_new": table["is_new"],
        "published_rank": table["published_rank"],
        "published_group": table["published_group"],
        "unit_id": table["unit_id"],
    })
    if args.format == "csv":
        buffer = io.StringIO()
        out.to_csv(buffer, index=False)
        sys.stdout.write(buffer.getvalue())
    elif args.format == "json":
        print(out.to_json(orient="records", force_ascii=False))
    else:
        print(f"{args.index.upper()} {args.period} — {level}")
        print(out.drop(columns=["unit_id"]).to_string(index=False))
    return EXIT_OK


def cmd_datasets(args) -> int:
    rows = _store(args).datasets()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("Chưa có dữ liệu. / No data yet: python -m reform import FILE")
        return EXIT_OK
    frame = pd.DataFrame(rows)[["version", "index", "periods", "file", "status", "units", "uploaded_at", "uploaded_by"]]
    frame["periods"] = frame["periods"].map(lambda p: ", ".join(p) if len(p) <= 3 else f"{p[0]}…{p[-1]}")
    print(frame.to_string(index=False))
    return EXIT_OK


def cmd_export(args) -> int:
    from reform.core.i18n import t
    from reform.present import charts, exports, narrative
    from reform.store.snapshot import load_snapshot

    store = _store(args)
    snapshot = load_snapshot(store)
    table, level = ranking_table(snapshot, index=args.index, period=args.period, level=args.level)
    title = f"{t('index.' + args.index.upper(), args.lang)} {args.period} — {t('level.' + str(level), args.lang)}"
    sample = any(d["status"] == "active" and d["file"].startswith("sample_") and d["index"] == args.index.upper()
                 for d in store.datasets())
    subtitle = t("sample.banner", args.lang) if sample else ""
    if sample and args.format in ("png", "svg"):
        title += " — " + t("sample.banner", args.lang)
    if args.format == "xlsx":
        payload = exports.ranking_to_excel(table, lang=args.lang, title=title, subtitle=subtitle)
    elif args.format in ("png", "svg"):
        payload = exports.figure_to_image(charts.ranking_bars(table, lang=args.lang, title=title), fmt=args.format)
    else:
        sentences = narrative.ranking_sentences(table, index=args.index.upper(), lang=args.lang)
        figure = charts.ranking_bars(table, lang=args.lang, title=title)
        payload = exports.ranking_to_pptx(table, lang=args.lang, title=title, subtitle=subtitle,
                                          sentences=sentences, figures=[figure])
    out = Path(args.out)
    try:
        out.write_bytes(payload)
    except OSError as exc:
        raise FileRefused.of("cli.cannot_write", path=out, reason=exc.strerror) from exc
    print(f"{out} ({len(payload):,} bytes)")
    return EXIT_OK
