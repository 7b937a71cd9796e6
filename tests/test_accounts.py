"""Accounts and roles: argon2 hashes, lockout, the ``users`` command (stdin and a real
terminal), the store refusing what a role may not do, backups keeping accounts, and the Data
page showing each role what it may do."""
from __future__ import annotations

import io
import json
import os
import pty
import select
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from accounts_helpers import PASSWORD, make_account
from apptest_helpers import landed, on_page
from store_datasets import make_dataset
from streamlit.testing.v1 import AppTest

from reform import cli
from reform.core import config
from reform.core.access import Action, Forbidden, allowed
from reform.store.accounts import Accounts, LoginRefused
from reform.store.backup import restore_backup, write_backup
from reform.store.schema import users_table
from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """A clock the test moves by hand: lockouts are tested without sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 8, 0)

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.parametrize(("role", "action", "expected"), [
    ("viewer", Action.BROWSE, True), ("viewer", Action.UPLOAD, False),
    ("viewer", Action.DELETE, False), ("analyst", Action.UPLOAD, True),
    ("analyst", Action.RESTORE, True), ("analyst", Action.MANAGE_ACCOUNTS, False),
    ("admin", Action.DELETE, True), ("admin", Action.MANAGE_ACCOUNTS, True),
    (None, Action.BROWSE, False), (None, Action.UPLOAD, False),
])
def test_the_permission_table(role, action, expected):
    assert allowed(role, action) is expected


def test_only_an_argon2_hash_is_stored(store: Store, sqlite_url: str):
    Accounts(store).add("Lan", PASSWORD, "analyst", by="admin")
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users_table)).one()
    assert row.name == "lan" and row.role == "analyst"
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    store.engine.dispose()  # checkpoint the WAL, then look at every byte on disk
    database = Path(sqlite_url.removeprefix("sqlite:///")).read_bytes()
    assert PASSWORD.encode() not in database
    assert "correct horse" not in json.dumps([str(v) for v in store.audit_log().to_dict("records")])


def test_sign_in_checks_the_password(store: Store):
    accounts = Accounts(store)
    accounts.add("lan", PASSWORD, "analyst", by="admin")
    assert accounts.sign_in("LAN ", PASSWORD).role == "analyst"
    for name, password in (("lan", "wrong password!"), ("nobody", PASSWORD), ("", PASSWORD)):
        with pytest.raises(LoginRefused, match="Sai tên tài khoản hoặc mật khẩu"):
            accounts.sign_in(name, password)


def test_lockout_after_repeated_failures_then_unlock_after_the_duration(store: Store):
    clock = Clock()
    accounts = Accounts(store, clock=clock)
    accounts.add("lan", PASSWORD, "analyst", by="admin")
    for _ in range(config.LOGIN_MAX_FAILURES - 1):
        with pytest.raises(LoginRefused, match="Sai tên"):
            accounts.sign_in("lan", "not the password")
    with pytest.raises(LoginRefused) as locked:
        accounts.sign_in("lan", "not the password")
    assert f"{config.LOGIN_MAX_FAILURES} wrong passwords" in locked.value.message("en")
    assert "bị khóa" in locked.value.message("vi")
    clock.now += timedelta(minutes=config.LOGIN_LOCK_MINUTES - 1)
    with pytest.raises(LoginRefused, match="locked"):  # even the right password, while locked
        raise_en(lambda: accounts.sign_in("lan", PASSWORD))
    clock.now += timedelta(minutes=1, seconds=1)
    assert accounts.sign_in("lan", PASSWORD).name == "lan"
    assert accounts.get("lan").failed_attempts == 0


def test_a_right_password_resets_the_count(store: Store, monkeypatch):
    monkeypatch.setattr(config, "LOGIN_MAX_FAILURES", 3)  # fewer argon2 checks, same rule
    accounts = Accounts(store, clock=Clock())
    accounts.add("lan", PASSWORD, "analyst", by="admin")
    for _ in range(2):
        for _ in range(config.LOGIN_MAX_FAILURES - 1):
            with pytest.raises(LoginRefused):
                accounts.sign_in("lan", "not the password")
        accounts.sign_in("lan", PASSWORD)  # never locked: the count starts again


def test_accounts_from_secrets_sign_in_and_lock_too(store: Store, monkeypatch):
    from reform.store.accounts import hash_password

    monkeypatch.setattr(config, "LOGIN_MAX_FAILURES", 3)

    clock = Clock()
    accounts = Accounts(store, clock=clock, secrets={
        "Minh": {"role": "admin", "password_hash": hash_password(PASSWORD)}})
    assert [(a.name, a.role, a.source) for a in accounts.list()] == [("minh", "admin", "secrets")]
    assert accounts.sign_in("minh", PASSWORD).role == "admin"
    for _ in range(config.LOGIN_MAX_FAILURES):
        with pytest.raises(LoginRefused):
            accounts.sign_in("minh", "not the password")
    with pytest.raises(LoginRefused, match="locked"):
        raise_en(lambda: accounts.sign_in("minh", PASSWORD))
    clock.now += timedelta(minutes=config.LOGIN_LOCK_MINUTES, seconds=1)
    assert accounts.sign_in("minh", PASSWORD).name == "minh"


def raise_en(call) -> None:
    """Run ``call``; re-raise a ``ReformError`` with its English message (to match on)."""
    try:
        call()
    except LoginRefused as error:
        raise LoginRefused(error.message("en")) from error


def test_a_short_password_or_a_taken_name_is_refused(store: Store):
    accounts = Accounts(store)
    with pytest.raises(Exception, match="quá ngắn"):
        accounts.add("lan", "short", "analyst", by="admin")
    accounts.add("lan", PASSWORD, "analyst", by="admin")
    with pytest.raises(Exception, match="đã có"):
        accounts.add("Lan", PASSWORD, "viewer", by="admin")


# ---- the store refuses what a role may not do ----------------------------------------------

def test_a_guarded_store_refuses_a_viewer_and_nobody(any_store: Store):
    guarded = Store(any_store.url, guarded=True)
    version = any_store.save(make_dataset("first")).version
    token = any_store.state_token()
    for role in ("viewer", None):
        with pytest.raises(Forbidden) as refused:
            guarded.save(make_dataset("second"), user="lan", role=role)
        assert "không được phép tải lên" in refused.value.message("vi")
        assert "may not upload and store data. Nothing was changed" in refused.value.message("en")
        with pytest.raises(Forbidden, match="xóa phiên bản"):
            guarded.delete(version, user="lan", role=role)
        with pytest.raises(Forbidden, match="khôi phục phiên bản"):
            guarded.restore(version, user="lan", role=role)
    assert any_store.state_token() == token
    assert [d["version"] for d in any_store.datasets()] == [version]
    guarded.delete(version, user="lan", role="analyst")
    assert any_store.audit_log()["who"].iloc[0] == "lan"


def test_an_unguarded_store_still_checks_a_role_it_is_given(store: Store):
    with pytest.raises(Forbidden, match="lan \\(vai trò: Người xem\\)"):
        store.save(make_dataset("x"), user="lan", role="viewer")
    assert store.datasets() == []


def test_only_admins_manage_accounts_in_a_guarded_store(store: Store):
    accounts = Accounts(Store(store.url, guarded=True))
    with pytest.raises(Forbidden, match="quản lý tài khoản"):
        accounts.add("lan", PASSWORD, "analyst", by="binh", by_role="analyst")
    accounts.add("lan", PASSWORD, "analyst", by="minh", by_role="admin")
    accounts.set_role("lan", "viewer", by="minh", by_role="admin")
    assert accounts.get("lan").role == "viewer"
    assert list(store.audit_log()["action"][:2]) == ["user_role", "user_add"]


# ---- the users command -----------------------------------------------------------------------

def test_users_add_reads_the_password_from_stdin(sqlite_url, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    monkeypatch.setenv("REFORM_LANG", "en")
    argv = ["users", "add", "Lan", "--role", "analyst", "--password-stdin", "--user", "minh",
            "--db", sqlite_url]
    assert cli.main(argv) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "Account 'lan' created (role: Analyst)."
    assert PASSWORD not in out.out + out.err
    assert Accounts(Store(sqlite_url)).sign_in("lan", PASSWORD).role == "analyst"
    assert Store(sqlite_url).audit_log()["who"].iloc[0] == "minh"

    assert cli.main(["users", "set-role", "lan", "--role", "viewer", "--db", sqlite_url]) == 0
    assert cli.main(["users", "list", "--json", "--db", sqlite_url]) == 0
    listed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert [(a["name"], a["role"]) for a in listed] == [("lan", "viewer")]
    assert "password" not in json.dumps(listed)
    assert cli.main(["users", "remove", "lan", "--db", sqlite_url]) == 0
    assert cli.main(["users", "remove", "lan", "--db", sqlite_url]) == 2
    assert "There is no account 'lan'." in capsys.readouterr().err


def test_users_add_refuses_to_run_without_a_terminal_or_stdin(sqlite_url, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["users", "add", "lan", "--role", "analyst", "--db", sqlite_url]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert Accounts(Store(sqlite_url)).list() == []


def _expect(fd: int, wanted: bytes, seen: bytearray, timeout: float = 60) -> None:
    """Read the terminal ``fd`` into ``seen`` until ``wanted`` shows (or fail)."""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        assert time.monotonic() < deadline, bytes(seen)
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, bytes(seen)
            seen += chunk


def _run_in_terminal(argv: list[str], answers: list[bytes]) -> tuple[int, bytes, bytes]:
    """Run ``python -m reform argv`` on a new pseudo-terminal (its controlling terminal, where
    getpass reads), typing each answer at each "Password" prompt; (exit code, output, argv
    of the child as the process list shows it)."""
    env = {**os.environ, "REFORM_LANG": "en", "PYTHONPATH": str(ROOT)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: never returns
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "reform", *argv], env)
    seen = bytearray()
    cmdline = b""
    for number, answer in enumerate(answers):
        _expect(fd, b"Password again: " if number else b"Password: ", seen)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        os.write(fd, answer + b"\n")
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        try:
            chunk = os.read(fd, 4096) if ready else b""
        except OSError:
            chunk = b""
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), bytes(seen), cmdline


def test_users_add_reads_the_password_at_a_terminal_without_echo(sqlite_url):
    secret = PASSWORD.encode()
    code, output, cmdline = _run_in_terminal(
        ["users", "add", "lan", "--role", "admin", "--db", sqlite_url], [secret, secret])
    assert code == 0, output
    assert b"Account 'lan' created (role: Administrator)." in output
    assert secret not in output  # getpass turned the echo off
    assert secret not in cmdline and b"users\x00add\x00lan" in cmdline
    assert Accounts(Store(sqlite_url)).sign_in("lan", PASSWORD).role == "admin"

    code, output, _ = _run_in_terminal(
        ["users", "add", "binh", "--role", "viewer", "--db", sqlite_url], [secret, b"another one!"])
    assert code == 2 and b"The two passwords differ" in output
    assert Accounts(Store(sqlite_url)).get("binh") is None


# ---- backups keep the accounts -----------------------------------------------------------------

def test_a_backup_holds_the_accounts(store: Store, tmp_path: Path):
    Accounts(store).add("lan", PASSWORD, "analyst", by="admin")
    store.save(make_dataset("kept"))
    summary = write_backup(store, tmp_path / "backup.zip")
    assert summary.rows["users"] == 1
    target = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restore_backup(target, tmp_path / "backup.zip")
    assert Accounts(target).sign_in("lan", PASSWORD).role == "analyst"


# ---- the Data page shows each role what it may do ------------------------------------------------

def _data_page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv("REFORM_DATABASE_URL", url)
    at = landed(on_page("pages/data.py", timeout=90).run(), "pages/data.py")
    assert not at.exception, at.exception
    return at


def _keys(at: AppTest, prefix: str) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith(prefix)]


def test_the_data_page_hides_changes_from_anonymous_users_and_shows_them_to_analysts(
        monkeypatch, sqlite_url):
    store = Store(sqlite_url)
    old = store.save(make_dataset("old", units=5)).version
    new = store.save(make_dataset("new", units=6)).version
    make_account(sqlite_url, "lan", "analyst")

    at = _data_page(monkeypatch, sqlite_url)
    assert [u.key for u in at.get("file_uploader")] == []
    assert _keys(at, "delete_") == [] and _keys(at, "restore_") == []
    assert any("Chỉ chuyên viên đã đăng nhập" in i.value for i in at.info)

    at.text_input(key="login_name").set_value("lan")
    at.text_input(key="login_password").set_value("not the password")
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == ["Sai tên tài khoản hoặc mật khẩu."]
    assert [u.key for u in at.get("file_uploader")] == []

    at.text_input(key="login_name").set_value("lan")
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    assert "upload" in [u.key for u in at.get("file_uploader")]
    assert sorted(_keys(at, "delete_")) == [f"delete_{old}", f"delete_{new}"]
    assert any("lan" in c.value for c in at.sidebar.caption)

    at.button(key=f"delete_{new}").click().run()
    assert not at.exception, at.exception
    audit = store.audit_log()
    assert (audit["action"].iloc[0], audit["who"].iloc[0], audit["version"].iloc[0]) == ("delete", "lan", new)

    at.button(key="sign_out").click().run()
    assert [u.key for u in at.get("file_uploader")] == []


def test_browsing_can_require_a_login(monkeypatch, sqlite_url):
    Store(sqlite_url).save(make_dataset("shown"))
    make_account(sqlite_url, "mai", "viewer")
    monkeypatch.setenv(config.LOGIN_TO_BROWSE_ENV, "1")
    monkeypatch.setenv("REFORM_DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    assert [i.value for i in at.info] == ["Cần đăng nhập để xem bảng điều khiển này."]
    assert len(at.title) == 0  # no page drawn
    at.text_input(key="gate_name").set_value("mai")
    at.text_input(key="gate_password").set_value(PASSWORD)
    at.button(key="gate_submit").click().run()
    assert not at.exception, at.exception
    assert "Cần đăng nhập" not in [i.value for i in at.info]
    assert at.title, "the page is shown once signed in"


def test_an_admin_manages_accounts_on_the_data_page_and_others_see_no_such_panel(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str):
    from accounts_helpers import sign_in_apptest

    def data_page(name: str, role: str) -> AppTest:
        at = on_page("pages/data.py", timeout=60)
        sign_in_apptest(at, sqlite_url, name=name, role=role)
        landed(at.run(), "pages/data.py")
        assert not at.exception, at.exception
        return at

    monkeypatch.setenv("REFORM_DATABASE_URL", sqlite_url)
    analyst = data_page("analyst1", "analyst")
    assert not [f for f in analyst.get("form") if f.proto.form_id == "account_add"]
    admin = data_page("boss", "admin")
    admin.text_input(key="account_add_name").input("reader1")
    admin.selectbox(key="account_add_role").select("viewer")
    admin.text_input(key="account_add_pw").input(PASSWORD)
    admin.text_input(key="account_add_pw2").input(PASSWORD)
    admin.button(key="account_add_submit").click()
    admin.run()
    assert not admin.exception and not admin.error, admin.error
    account = Accounts(Store(sqlite_url)).get("reader1")
    assert account is not None and account.role == "viewer"
    log = Store(sqlite_url).audit_log()
    added = log[(log["action"] == "user_add") & log["detail"].str.contains('"reader1"')]
    assert added["who"].tolist() == ["boss"]
    # The analyst's store call is refused even without the page: the store checks the role.
    with pytest.raises(Forbidden):
        Accounts(Store(sqlite_url)).remove("reader1", by="analyst1", by_role="analyst")
