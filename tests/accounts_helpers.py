"""Signing in, for tests that change data through the app (the Data page refuses anonymous
changes): make an account in the store, then sign in under AppTest or in a browser."""
from __future__ import annotations

from reform.store.accounts import Accounts
from reform.store.store import Store

PASSWORD = "correct horse battery staple"
"""The password of every test account (long enough for ``config.MIN_PASSWORD_CHARS``)."""


def make_account(url: str, name: str = "analyst1", role: str = "analyst") -> str:
    """The account ``name`` with ``role`` and ``PASSWORD`` in the store at ``url`` (made once);
    returns its name."""
    store = Store(url)
    try:
        accounts = Accounts(store)
        if accounts.get(name) is None:
            accounts.add(name, PASSWORD, role, by="tests")
    finally:
        store.engine.dispose()  # its last connection closed: SQLite's WAL is in the file
    return name


def sign_in_apptest(at, url: str, name: str = "analyst1", role: str = "analyst") -> None:
    """Sign ``at`` (an AppTest, before its next run) in as ``name``, as the sign-in form does."""
    at.session_state["_account"] = make_account(url, name, role)


def sign_in_browser(page, name: str = "analyst1", password: str = PASSWORD) -> None:
    """Sign in through the sidebar's form of a Playwright ``page`` showing the app."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Đăng nhập", exact=True).first.click()
    sidebar.locator(".st-key-login_name input").fill(name)
    sidebar.locator(".st-key-login_password input").fill(password)
    sidebar.locator(".st-key-login_submit button").click()
    sidebar.get_by_text(f"{name}").first.wait_for(timeout=30_000)
