"""The command line (a contract: see ARCHITECTURE.md).

    python -m reform import FILE [--index CODE] [--period P] [--level LEVEL] [--sheet NAME]
                                 [--dry-run] [--json] [--db URL]
    python -m reform rank --index CODE --period P [--level LEVEL] [--by COMPONENT]
                          [--format table|csv|json] [--db URL]
    python -m reform datasets [--json] [--db URL]
    python -m reform export --index CODE --period P [--level LEVEL]
                            --format xlsx|pptx|png|svg --out FILE [--lang vi|en] [--db URL]
    python -m reform backup --out FILE [--db URL]
    python -m reform restore FILE [--db URL]
    python -m reform users add NAME --role viewer|analyst|admin [--password-stdin] [--user WHO] [--db URL]
    python -m reform users list [--json] [--db URL]
    python -m reform users set-role NAME --role viewer|analyst|admin [--user WHO] [--db URL]
    python -m reform users remove NAME [--user WHO] [--db URL]

``users add`` reads the password typed twice at the terminal (getpass: not echoed) or, for
scripts, one line of standard input (``--password-stdin``); never an argument, which any user
of the machine can read in the process list. Whoever runs ``users`` holds the database, so acts
as an admin; ``--user`` (the OS user by default) is who the audit log names.

Exit codes: 0 done (warnings allowed), 1 the file or request was refused (nothing stored),
2 a usage error. No traceback reaches the user for a bad file.
"""
from __future__ import annotations

import argparse
import getpass
import io
import json
import os
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from reform.core import config
from reform.core.access import ROLES
from reform.core.errors import FileRefused, ReformError, UsageError
from reform.core.i18n import t

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _iso_date(text: str) -> date:
    """``--as-of`` as a date; argparse turns the ValueError into a usage error (exit 2)."""
    return date.fromisoformat(text)


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
    p.add_argument("--parent", help="đơn vị cấp trên của các đơn vị trong tệp / the parent unit the file is about")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", default=config.DEFAULT_USER)
    p.add_argument("--db")

    p = sub.add_parser("rank", help="xếp hạng / ranking")
    p.add_argument("--index", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--level")
    p.add_argument("--by", default="TOTAL")
    p.add_argument("--as-of", type=_iso_date, help="YYYY-MM-DD: trên các đơn vị có hiệu lực ngày này / on the units valid that day")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--db")

    p = sub.add_parser("backup", help="sao lưu toàn bộ kho vào một tệp zip / back up the whole store to one zip")
    p.add_argument("--out", required=True)
    p.add_argument("--db")

    p = sub.add_parser("restore", help="khôi phục bản sao lưu vào kho trống / restore a backup into an empty store")
    p.add_argument("file")
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
    p.add_argument("--unit", action="append", help="unit_id: một trang hồ sơ / one profile slide")
    p.add_argument("--as-of", dest="as_of", type=_iso_date,
                   help="YYYY-MM-DD: trên các đơn vị có hiệu lực ngày này / on the units valid that day")
    p.add_argument("--db")

    lineage = sub.add_parser("lineage", help="đơn vị trước và sau sắp xếp / units across reorganisations")
    steps = lineage.add_subparsers(dest="step", required=True)
    p = steps.add_parser("import", help="đọc và lưu bảng chuyển đổi / read and store a crosswalk")
    p.add_argument("file")
    p.add_argument("--sheet")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", default=config.DEFAULT_USER)
    p.add_argument("--db")
    p = steps.add_parser("show", help="đơn vị tiền thân và kế thừa / predecessors and successors")
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    add_users_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", None) or _lang()
    try:
        return {"import": cmd_import, "rank": cmd_rank, "datasets": cmd_datasets,
                "export": cmd_export, "lineage": cmd_lineage, "backup": cmd_backup,
                "restore": cmd_restore, "users": cmd_users}[args.command](args)
    except UsageError as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_USAGE
    except ReformError as exc:
        if getattr(args, "json", False):
            issues = [i.as_dict(lang) for i in getattr(exc, "issues", [])]
            print(json.dumps({"ok": False, "error": exc.message(lang), "issues": issues,
                              "units": 0, "periods": [], "components": 0, "published_changes": 0},
                             ensure_ascii=False))
        print(exc.message(lang), file=sys.stderr)
        return EXIT_REFUSED


def _store(args):
    from reform.store.store import Store

    return Store(args.db)


def cmd_import(args) -> int:
    from reform.ingest.pipeline import import_each_index
    from reform.ingest.readers import read_bytes

    lang = _lang()
    store = _store(args)
    data = read_bytes(args.file)
    options = {"index": args.index, "period": args.period, "level": args.level, "sheet": args.sheet,
               "parent": args.parent}
    # A file whose index column names several indices gives one dataset per index; all of
    # them are stored, or none when one is refused.
    parsed_files = import_each_index(data, Path(args.file).name, store.units(),
                                     store.previous_units, **options)
    ok = all(parsed.ok for parsed in parsed_files)
    results = [None] * len(parsed_files)
    if ok and not args.dry_run:
        # The Data page's rule for the options recorded (so the same file read the same way is
        # one upload from either), and one transaction for every index of the file.
        from reform.present.pages.data import datasets_to_store

        results = store.save_many(datasets_to_store(parsed_files, options), user=args.user)
    summaries = [_import_summary(parsed, result, ok=ok, dry_run=args.dry_run, lang=lang)
                 for parsed, result in zip(parsed_files, results, strict=True)]
    if args.json:
        # One object, as for a file of one index; every dataset in ``datasets`` when several.
        extra = {"datasets": summaries} if len(summaries) > 1 else {}
        print(json.dumps({**summaries[0], **extra}, ensure_ascii=False))
    else:
        for summary in summaries:
            _print_import(summary, lang)
    return EXIT_OK if ok else EXIT_REFUSED


def _import_summary(parsed, result, *, ok: bool, dry_run: bool, lang: str) -> dict:
    """What ``import`` says of one dataset (the ``--json`` contract)."""
    return {
        "ok": ok,
        "version": result.version if result else None,
        "duplicate": bool(result and result.duplicate),
        "dry_run": bool(dry_run),
        "file": parsed.file_name,
        "sha256": parsed.sha256,
        "index": parsed.index,
        "units": parsed.unit_count,
        "periods": parsed.periods,
        "components": parsed.component_count,
        "published_changes": len(parsed.published_changes),
        "sheets": list(dict.fromkeys(s.layout.sheet for s in parsed.sheets)),
        "shapes": _shapes(parsed, lang),
        "issues": [i.as_dict(lang) for i in parsed.issues],
    }


def _shapes(parsed, lang: str) -> list[str]:
    """The shape each sheet was read in ("'Sheet1': Long table: 13 periods from column E.")."""
    from reform.present.pages.data import shape_lines

    return shape_lines(parsed.sheets, lang=lang)


SHOWN_ISSUES = 50
"""Issues printed one by one; the JSON output keeps them all."""

SHOWN_OF_A_KIND = 5
"""Beyond ``SHOWN_ISSUES``, warnings of one kind are counted, and this many printed."""


def _print_issues(errors: list[dict], warnings: list[dict]) -> None:
    """Every error (up to ``SHOWN_ISSUES``); warnings one by one when few, else a count per
    kind with the first few of each: a file with thousands of unknown units stays readable."""
    def show(issue: dict) -> None:
        where = f"{issue['sheet']}!{issue['cell']}" if issue["cell"] else issue["sheet"]
        print(f"  [{issue['severity']}] {where}: {issue['message']}")

    for issue in errors[:SHOWN_ISSUES]:
        show(issue)
    if len(errors) > SHOWN_ISSUES:
        print(f"  … (+{len(errors) - SHOWN_ISSUES})")
    if len(errors) + len(warnings) <= SHOWN_ISSUES:
        for issue in warnings:
            show(issue)
        return
    kinds: dict[str, list[dict]] = {}
    for issue in warnings:
        kinds.setdefault(issue.get("code", ""), []).append(issue)
    for code, issues in kinds.items():
        print(f"  [warning] {code}: {len(issues)}")
        for issue in issues[:SHOWN_OF_A_KIND]:
            show(issue)
        if len(issues) > SHOWN_OF_A_KIND:
            print(f"  … (+{len(issues) - SHOWN_OF_A_KIND})")


def _print_import(summary: dict, lang: str) -> None:
    errors = [i for i in summary["issues"] if i["severity"] == "error"]
    warnings = [i for i in summary["issues"] if i["severity"] == "warning"]
    print(t("cli.head", lang, file=summary["file"], index=summary["index"],
                 periods=", ".join(summary["periods"]), units=summary["units"],
                 components=summary["components"], errors=len(errors), warnings=len(warnings)))
    for line in summary.get("shapes", []):
        print(f"  {line}")
    _print_issues(errors, warnings)
    outcome = ("refused" if not summary["ok"] else "dry_run" if summary["dry_run"]
               else "duplicate" if summary["duplicate"] else "stored")
    print(t("cli." + outcome, lang, version=summary["version"]))


def ranking_table(snapshot, *, index: str, period: str, level: str | None, by: str = "TOTAL",
                  links: pd.DataFrame | None = None, as_of: date | None = None):
    """The ranking the command line prints and exports; resolves --by names and the level.

    With ``links`` (the store's lineage) the previous period is re-aggregated onto this
    period's units when a reorganisation lies between them; with ``as_of`` both are shown on
    the units valid that day. The table then has a ``coverage`` column ('13/14')."""
    from reform.analysis import lineage, ranking, scope
    from reform.core.text import fold

    index = index.upper()
    scores = lineage.on_units(snapshot.scores, links, index=index, period=str(period), as_of=as_of)
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
    table = ranking.rank_units(
        scores, snapshot.units, index=index, period=str(period), level=level,
        component=component, published=snapshot.published)
    return lineage.with_coverage(table, scores, index=index, period=str(period),
                                 component=component), level


def cmd_rank(args) -> int:
    from reform.store.snapshot import load_snapshot

    store = _store(args)
    snapshot = load_snapshot(store)
    table, level = ranking_table(snapshot, index=args.index, period=args.period, level=args.level,
                                 by=args.by, links=snapshot.links, as_of=args.as_of)
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
    if table["coverage"].astype(bool).any():
        out.insert(5, "coverage", table["coverage"])
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


def cmd_backup(args) -> int:
    """``backup --out FILE``: the whole store in one zip file."""
    from reform.store.backup import write_backup

    summary = write_backup(_store(args), args.out)
    print(t("backup.written", _lang(), file=summary.path, versions=summary.versions,
            rows=summary.total_rows))
    return EXIT_OK


def cmd_restore(args) -> int:
    """``restore FILE``: a backup into an empty store (refused, exit 1, when damaged)."""
    from reform.store.backup import restore_backup

    summary = restore_backup(_store(args), args.file)
    print(t("backup.restored", _lang(), file=summary.path, versions=summary.versions,
            rows=summary.total_rows))
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
    from reform.present import charts, deck, exports
    from reform.store.snapshot import load_snapshot

    store = _store(args)
    snapshot = load_snapshot(store)
    # The ranking, the deck and the images all stand on the units valid --as-of when given.
    table, level = ranking_table(snapshot, index=args.index, period=args.period, level=args.level,
                                 links=snapshot.links, as_of=args.as_of)
    index = args.index.upper()
    meeting = deck.build_deck(snapshot, index=index, period=str(args.period), level=level,
                              units=tuple(args.unit or ()), datasets=store.datasets(),
                              as_of=args.as_of, lang=args.lang)
    if args.format == "xlsx":
        subtitle = t("sample.banner", args.lang) if meeting.illustrative else ""
        payload = exports.ranking_to_excel(
            table, lang=args.lang, title=f"{meeting.title} — {t('level.' + str(level), args.lang)}",
            subtitle=subtitle, sources=meeting.sources, as_of=meeting.as_of,
            illustrative=meeting.illustrative)
    elif args.format in ("png", "svg"):
        figure = charts.ranking_bars(table, lang=args.lang, title=meeting.title)
        payload = exports.chart_image(figure, args.format, illustrative=meeting.illustrative,
                                      lang=args.lang)
    else:
        payload = exports.deck_to_pptx(meeting, progress=lambda done, total: print(
            t("deck.progress", args.lang, done=done, total=total), file=sys.stderr))
    out = Path(args.out)
    try:
        out.write_bytes(payload)
    except OSError as exc:
        raise FileRefused.of("cli.cannot_write", path=out, reason=exc.strerror) from exc
    print(f"{out} ({len(payload):,} bytes)")
    return EXIT_OK


def cmd_lineage(args) -> int:
    """``lineage import FILE`` stores a crosswalk; ``lineage show NAME`` prints a unit's lineage."""
    return cmd_lineage_import(args) if args.step == "import" else cmd_lineage_show(args)


def cmd_lineage_import(args) -> int:
    from reform.ingest.crosswalk import read_lineage
    from reform.ingest.readers import read_bytes

    lang = _lang()
    store = _store(args)
    data = read_bytes(args.file)
    lineage, crosswalk = read_lineage(data, Path(args.file).name, store.units(), sheet=args.sheet)
    result = None
    if crosswalk.ok and not args.dry_run:
        result = store.save_lineage(lineage, user=args.user)
    links = lineage.links
    summary = {
        "ok": crosswalk.ok, "version": result.version if result else None,
        "duplicate": bool(result and result.duplicate), "dry_run": bool(args.dry_run),
        "file": lineage.file_name, "sheet": crosswalk.sheet, "effective": lineage.effective,
        "links": len(links), "old_units": int(links["old_unit_id"].nunique()),
        "new_units": int(links["new_unit_id"].nunique()),
        "issues": [i.as_dict(lang) for i in crosswalk.issues],
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(t("cli.lineage.head", lang, **{k: summary[k] for k in (
            "file", "sheet", "effective", "links", "old_units", "new_units")}))
        for issue in summary["issues"][:20]:
            print(f"  [{issue['severity']}] {issue['sheet']}!{issue['cell']}: {issue['message']}")
        outcome = ("refused" if not summary["ok"] else "dry_run" if summary["dry_run"]
                   else "duplicate" if summary["duplicate"] else "stored")
        print(t("cli." + outcome, lang, version=summary["version"]))
    return EXIT_OK if crosswalk.ok else EXIT_REFUSED


def cmd_lineage_show(args) -> int:
    from reform.analysis import lineage
    from reform.core.text import unit_key

    lang = _lang()
    store = _store(args)
    links, units = store.lineage(), store.units()
    wanted = unit_key(args.name)
    found = units[units["name"].map(unit_key) == wanted]
    if found.empty:
        raise UsageError.of("cli.lineage.unknown", name=args.name)
    rows = []
    for unit in found.itertuples(index=False):
        before = lineage.predecessors(links, unit.unit_id)
        after = lineage.successors(links, unit.unit_id)
        rows.append({
            "unit_id": unit.unit_id, "name": unit.name, "level": unit.level,
            "valid_from": unit.valid_from, "valid_to": unit.valid_to,
            "predecessors": _link_rows(before, "old"), "successors": _link_rows(after, "new")})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        print(t("cli.lineage.unit", lang, name=row["name"], unit_id=row["unit_id"],
                valid_from=row["valid_from"] or "…", valid_to=row["valid_to"] or "…"))
        for side, key in (("predecessors", "cli.lineage.from"), ("successors", "cli.lineage.into")):
            for link in row[side]:
                print("  " + t(key, lang, name=link["name"], kind=t(f"lineage.kind.{link['kind']}", lang),
                               effective=link["effective"]))
    return EXIT_OK


def _link_rows(links: pd.DataFrame, side: str) -> list[dict]:
    return [{"unit_id": u, "name": n, "kind": str(k), "effective": e}
            for u, n, k, e in zip(links[f"{side}_unit_id"], links[f"{side}_name"], links["kind"],
                                  links["effective"], strict=True)]


# ---- users: accounts of the built-in sign-in ------------------------------------------------

def add_users_parsers(sub) -> None:
    """The ``users`` command and its steps, on the subparsers ``sub`` of the main parser."""
    users = sub.add_parser("users", help="tài khoản và vai trò / accounts and roles")
    steps = users.add_subparsers(dest="step", required=True)
    p = steps.add_parser("add", help="tạo tài khoản / create an account")
    p.add_argument("name")
    p.add_argument("--role", choices=list(ROLES), required=True)
    p.add_argument("--password-stdin", action="store_true",
                   help="đọc mật khẩu từ một dòng đầu vào chuẩn / read the password from one line of stdin")
    _user_and_db(p)
    p = steps.add_parser("list", help="các tài khoản / the accounts")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    p = steps.add_parser("set-role", help="đổi vai trò / change the role")
    p.add_argument("name")
    p.add_argument("--role", choices=list(ROLES), required=True)
    _user_and_db(p)
    p = steps.add_parser("remove", help="xóa tài khoản / remove an account")
    p.add_argument("name")
    _user_and_db(p)


def _user_and_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", default=config.DEFAULT_USER,
                        help="người thực hiện, ghi vào nhật ký / who does it, for the audit log")
    parser.add_argument("--db")


def cmd_users(args) -> int:
    """Run ``users <step>``; returns the exit code (0 done). Raises ``ReformError``s."""
    from reform.store.accounts import Accounts
    from reform.store.store import Store

    lang = _lang()
    accounts = Accounts(Store(args.db))
    if args.step == "list":
        return _list_users(accounts, args.json, lang)
    if args.step == "add":
        password = read_password(stdin=args.password_stdin, lang=lang)
        account = accounts.add(args.name, password, args.role, by=args.user)
        print(t("accounts.added", lang, name=account.name, role=t(f"accounts.role.{account.role}", lang)))
    elif args.step == "set-role":
        accounts.set_role(args.name, args.role, by=args.user)
        print(t("accounts.role_set", lang, name=args.name.strip().lower(),
                role=t(f"accounts.role.{args.role}", lang)))
    else:
        accounts.remove(args.name, by=args.user)
        print(t("accounts.removed", lang, name=args.name.strip().lower()))
    return 0


def read_password(*, stdin: bool, lang: str) -> str:
    """The new password: one line of standard input, or typed twice at the terminal.

    Raises :class:`UsageError` when the two differ or no terminal is there to type in.
    """
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError.of("accounts.no_terminal")
    first = getpass.getpass(t("accounts.password", lang))
    if getpass.getpass(t("accounts.password_again", lang)) != first:
        raise UsageError.of("accounts.mismatch")
    return first


def _list_users(accounts, as_json: bool, lang: str) -> int:
    found = accounts.list()
    if as_json:
        print(json.dumps([a.as_dict() for a in found], ensure_ascii=False))
    elif not found:
        print(t("accounts.none", lang))
    for account in [] if as_json else found:
        locked = f"  locked until {account.locked_until:%Y-%m-%d %H:%M}" if account.locked_until else ""
        print(f"{account.name:<30} {t(f'accounts.role.{account.role}', lang):<14} {account.source}{locked}")
    return 0
