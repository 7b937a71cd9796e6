"""A browserless Streamlit session: what one browser tab says to ``streamlit run``, without
the browser.

It speaks Streamlit's own protocol: a websocket to ``/_stcore/stream`` carrying ``BackMsg``
protobufs up (a rerun with a page, a query string and widget states; a request for upload
URLs) and ``ForwardMsg`` protobufs down (the elements a run draws, until ``script_finished``).
Files go up as the frontend sends them: the server hands out an upload URL, the bytes are
``PUT`` there, and the uploader's widget state then names the file. So a load test measures
the server, not a browser drawing charts on the same two cores.

    session = StreamlitSession("http://127.0.0.1:8501")
    await session.open()
    run = await session.visit("xep-hang")            # one page view
    box = run.widget("period")                        # a widget, by its ``key=``
    run = await session.rerun(select(box, box.options[0]))
    await session.close()

Only what the dashboard uses is covered: radios, selectboxes, text inputs, buttons, form
submit buttons and the file uploader.
"""
from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

XSRF_COOKIE = "_streamlit_xsrf"
RUN_TIMEOUT_S = 120.0
"""Longest wait for one script run (20 sessions share 2 cores with the server)."""
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
"""A run that ends early for a rerun (``st.rerun()``) is followed by another: wait for it."""


class ProtocolError(RuntimeError):
    """The server said something a browser tab would not expect (or said nothing in time)."""


@dataclass
class Run:
    """What one script run drew, as far as a load test cares.

    ``widgets`` maps each widget's ``key=`` (or its generated id when it has none) to its
    element proto (``Selectbox``, ``Button``…); ``problems`` lists what a user would see as
    an error: exception boxes and error alerts. ``seconds`` is from the request to the end
    of the last run it caused.
    """

    seconds: float = 0.0
    widgets: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    successes: list[str] = field(default_factory=list)
    title: str = ""

    def widget(self, key: str):
        """The widget drawn with ``key=key``; raises ``KeyError`` naming those there are."""
        try:
            return self.widgets[key]
        except KeyError:
            raise KeyError(f"no widget {key!r} in this run; there are {sorted(self.widgets)}") from None


def user_key(element_id: str) -> str:
    # Streamlit's ids read "$$ID-<hash>-<user key>" (the key is "None" for unkeyed widgets).
    parts = element_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else element_id


def trigger(widget) -> WidgetState:
    """A click of a button or a form's submit button."""
    return WidgetState(id=widget.id, trigger_value=True)


def select(widget, label: str) -> WidgetState:
    """A choice in a selectbox or radio, by the label the user reads (its ``options``)."""
    if label not in widget.options:
        raise ValueError(f"{label!r} is not among {list(widget.options)}")
    return WidgetState(id=widget.id, string_value=label)


def text(widget, value: str) -> WidgetState:
    """What was typed into a text input."""
    return WidgetState(id=widget.id, string_value=value)


class StreamlitSession:
    """One tab of the app at ``base`` (``http://host:port``), driven over its websocket.

    Widget values persist from run to run as the frontend keeps them: each rerun resends
    the values set so far for widgets the last run drew; clicks are sent once.
    """

    def __init__(self, base: str, *, timeout: float = RUN_TIMEOUT_S) -> None:
        self.base = base
        self.timeout = timeout
        self.session_id = ""
        self.query_string = ""
        self._page = ""
        self.pages: dict[str, str] = {}
        """Each page's url path to its script hash, from the server's navigation message."""
        self._states: dict[str, WidgetState] = {}
        self._xsrf = ""
        self._socket = None

    @property
    def page(self) -> str:
        """The url path of the page this session is on ("" for the default page)."""
        return self._page

    async def open(self) -> None:
        """Take the XSRF cookie as a browser does (from any page of the server), then connect."""
        self._xsrf = await asyncio.to_thread(self._fetch_xsrf)
        ws_url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        # The frontend passes the XSRF token as the second "subprotocol": the server checks it
        # against the cookie before trusting anything else the connection carries.
        self._socket = await connect(
            ws_url, subprotocols=["streamlit", self._xsrf], max_size=None, open_timeout=self.timeout,
            additional_headers={"Cookie": f"{XSRF_COOKIE}={self._xsrf}", "Origin": self.base})

    def _fetch_xsrf(self) -> str:
        with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=self.timeout) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name.strip() == XSRF_COOKIE:
                    return rest.split(";", 1)[0].strip('"')
        raise ProtocolError("the server set no XSRF cookie")

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def visit(self, page: str, query_string: str = "") -> Run:
        """Open the page with url path ``page`` (a sidebar link or a typed address)."""
        self._page, self.query_string = page, query_string
        return await self.rerun()

    async def rerun(self, *changes: WidgetState) -> Run:
        """Send ``changes`` (clicks, choices, typing) on the current page and wait until the
        server has finished every run they cause. Raises ``ProtocolError`` on a timeout or a
        closed connection; what the page shows as an error is in ``Run.problems``."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        # As the frontend: a known page by its hash (the default page's url path is ""),
        # a page typed into the address bar by its path.
        state.page_script_hash = self.pages.get(self._page, "")
        state.page_name = self._page
        state.context_info.timezone = "Asia/Ho_Chi_Minh"
        state.context_info.locale = "vi-VN"
        state.context_info.url = f"{self.base}/{self._page}"
        for change in changes:
            if change.WhichOneof("value") != "trigger_value":
                self._states[change.id] = change
        sent = {**self._states, **{c.id: c for c in changes}}
        state.widget_states.widgets.extend(sent.values())
        started = time.monotonic()
        await self._send(message)
        run = await self._read_run()
        run.seconds = time.monotonic() - started
        # The frontend forgets the values of widgets the last run did not draw.
        drawn = {w.id for w in run.widgets.values()}
        self._states = {k: v for k, v in self._states.items() if k in drawn}
        return run

    async def _send(self, message: BackMsg) -> None:
        try:
            await self._socket.send(message.SerializeToString())
        except Exception as exc:  # websockets' ConnectionClosed and OS errors alike
            raise ProtocolError(f"send failed: {type(exc).__name__}: {exc}") from exc

    async def _receive(self) -> ForwardMsg:
        try:
            frame = await asyncio.wait_for(self._socket.recv(), self.timeout)
        except TimeoutError:
            raise ProtocolError(f"no message from the server in {self.timeout:.0f} s") from None
        except Exception as exc:  # the connection dropped
            raise ProtocolError(f"connection lost: {type(exc).__name__}: {exc}") from exc
        message = ForwardMsg()
        message.ParseFromString(frame)
        return message

    async def _read_run(self) -> Run:
        run = Run()
        while True:
            message = await self._receive()
            kind = message.WhichOneof("type")
            if kind == "new_session":  # sent as every run starts
                self.session_id = message.new_session.initialize.session_id or self.session_id
                # After an ``st.rerun()`` only the last run's elements are on screen; what
                # went wrong before it still counts.
                run = Run(problems=run.problems)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
                for p in message.navigation.app_pages:
                    if p.is_default:
                        self.pages[""] = p.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _note_element(run, message.delta.new_element)
            elif kind == "page_not_found":
                run.problems.append(f"page not found: {message.page_not_found.page_name!r}")
            elif kind == "ref_hash":
                raise ProtocolError("the server sent a cached-message reference nobody asked for")
            elif kind == "script_finished" and message.script_finished in _DONE:
                if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.problems.append("the script did not compile")
                return run

    async def upload(self, uploader, files: list[tuple[str, bytes]]) -> WidgetState:
        """Put ``files`` (name, bytes) on the server for ``uploader`` as the frontend does;
        the uploader's new widget state, to send with ``rerun``."""
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.extend(name for name, _ in files)
        await self._send(request)
        while (message := await self._receive()).WhichOneof("type") != "file_urls_response":
            pass  # nothing else is in flight between runs
        urls = message.file_urls_response.file_urls
        state = FileUploaderState()
        for (name, data), where in zip(files, urls, strict=True):
            await asyncio.to_thread(self._put, where.upload_url, name, data)
            info = state.uploaded_file_info.add(name=name, size=len(data), file_id=where.file_id)
            info.file_urls.CopyFrom(where)
        change = WidgetState(id=uploader.id)
        change.file_uploader_state_value.CopyFrom(state)
        return change

    def _put(self, path: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data \
            + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base + path, data=body, method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "Cookie": f"{XSRF_COOKIE}={self._xsrf}", "X-Xsrftoken": self._xsrf})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            if response.status != 204:
                raise ProtocolError(f"upload of {name} answered {response.status}")


def _note_element(run: Run, element) -> None:
    """Keep a drawn element's widget, error or success message, or page title."""
    kind = element.WhichOneof("type")
    body = getattr(element, kind) if kind else None
    if kind == "exception":
        run.problems.append(f"exception: {body.type}: {body.message[:300]}")
    elif kind == "alert" and body.format == Alert.ERROR:
        run.problems.append(f"error: {body.body[:300]}")
    elif kind == "alert" and body.format == Alert.SUCCESS:
        run.successes.append(body.body)
    elif kind == "heading" and body.tag == "h1" and not run.title:
        run.title = body.body
    elif body is not None and getattr(body, "id", "").startswith("$$ID-"):
        run.widgets[user_key(body.id)] = body
