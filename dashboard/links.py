"""Links that keep their meaning: every choice on a page is in its URL, by stable keys.

Streamlit's ``bind="query-params"`` leaves a choice out of the URL while it
equals the widget's default and writes a select box's label, so a saved link
drifted when the corpus grew (the first outlet or meeting, hence the default,
changed) and ``?rd_article=<id>`` was ignored; a bound parameter also cannot be
passed to ``st.switch_page``. Here instead:

* a choice is read from the URL when its widget is drawn for the first time in
  a session, or when the URL was changed from outside (a shared link, Back or
  Forward), and accepted as a key (article id, outlet key, meeting key) or as
  the label the widget shows;
* every choice, defaults included, is written back as one parameter per widget
  (lists joined by commas), once per run (:func:`write_url`);
* a link that names something the corpus no longer holds is reported
  (:func:`show_notes`), never silently replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

__all__ = [
    "LIST_SEPARATOR",
    "begin_run",
    "choice",
    "choices",
    "clicked",
    "open_page",
    "section",
    "show_notes",
    "stop",
    "tab",
    "value",
    "write_url",
]

#: Joins the values of a list in one parameter (``f_outlet=osw,cnn``).
LIST_SEPARATOR = ","
#: Parameter prefixes of the dashboard's own choices: the sidebar's, then each page's.
PREFIXES = ("f_", "ov_", "at_", "se_", "mt_", "tc_", "sf_", "rd_", "co_")
_POINT_SEPARATOR = ";"
_FIELD_SEPARATOR = "|"

_CHOSEN = "_links_chosen"
_WRITTEN = "_links_written"
_FROM_URL = "_links_from_url"
_NOTES = "_links_notes"
_PAGE = "_links_page"
_CLEARED = "_links_clicked_"

_T = TypeVar("_T")
_Snapshot = tuple[tuple[str, tuple[str, ...]], ...]


def _snapshot(params: Mapping[str, str | Sequence[str]]) -> _Snapshot:
    return tuple(
        sorted(
            (key, (value,) if isinstance(value, str) else tuple(value))
            for key, value in params.items()
        )
    )


def _current() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _history_navigation() -> bool:
    """Whether this run follows Back or Forward in the browser."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(getattr(ctx, "is_history_navigation", False))


def begin_run(page_prefix: str) -> None:
    """Start a run of the page whose parameters start with ``page_prefix``.

    The URL decides every choice when the session is new, after Back or
    Forward, and when the URL is not the one this session last wrote (a link
    opened in the session, a switch to the Reader). A click on another page in
    the navigation brings no parameter along: the session's choices stay.
    """
    state = st.session_state
    current = _current()
    moved = state.get(_PAGE) not in (None, page_prefix)
    bare = not any(key.startswith(PREFIXES) for key in current)
    state[_CHOSEN] = {}
    state[_NOTES] = []
    state[_PAGE] = page_prefix
    state[_FROM_URL] = _history_navigation() or (
        state.get(_WRITTEN) != _snapshot(current) and not (moved and bare)
    )


def _url_decides(key: str) -> bool:
    return bool(st.session_state.get(_FROM_URL, True)) or key not in st.session_state


def _url_text(key: str) -> str | None:
    values = [v for v in st.query_params.get_all(key) if v.strip()]
    return LIST_SEPARATOR.join(values) if values else None


def _keep(key: str, text: str) -> None:
    st.session_state.setdefault(_CHOSEN, {})[key] = text


def _note(key: str, message: str) -> None:
    st.session_state.setdefault(_NOTES, []).append(message)
    if not key.startswith("f_"):
        # A page's own choice is reported where it is made; the sidebar's at the top of the page.
        show_notes()


def _seed(key: str, parsed: object) -> None:
    st.session_state[key] = parsed


def _forget(key: str) -> None:
    if key in st.session_state:
        del st.session_state[key]


def _lookup(options: Sequence[_T], label: Callable[[_T], str]) -> dict[str, _T]:
    found: dict[str, _T] = {}
    for option in options:
        found.setdefault(label(option), option)
    for option in options:
        found[str(option)] = option
    return found


def choice(
    widget: Callable[..., _T | None],
    label: str,
    options: Sequence[_T],
    *,
    key: str,
    what: str,
    format_func: Callable[[_T], Any] = str,
    missing: Callable[[str], str] | None = None,
    none_when_missing: bool = False,
    **more: Any,
) -> _T | None:
    """A select box or radio (``widget``) whose choice is in the URL as ``key``.

    The URL may hold the option itself or its label. One that is not among
    ``options`` is reported (``missing(value)`` makes the message, else one
    naming ``what``) and the widget shows its default, or nothing with
    ``none_when_missing`` (a select box then returns ``None``).
    """
    if _url_decides(key):
        text = _url_text(key)
        known = _lookup(options, lambda o: str(format_func(o)))
        if text is None:
            if st.session_state.get(_FROM_URL):
                _forget(key)
        elif text in known:
            _seed(key, known[text])
        else:
            if none_when_missing:
                _seed(key, None)
            else:
                _forget(key)
            _note(
                key,
                missing(text)
                if missing
                else f"The link names the {what} '{text}', which is not in the corpus "
                "(or not among the selected articles); the page shows another one instead.",
            )
    chosen = widget(label, options, key=key, format_func=format_func, **more)
    _keep(key, "" if chosen is None else str(chosen))
    return chosen


def choices(
    widget: Callable[..., list[_T]],
    label: str,
    options: Sequence[_T],
    *,
    key: str,
    what: str,
    format_func: Callable[[_T], Any] = str,
    **more: Any,
) -> list[_T]:
    """A multiselect whose choices are in the URL as ``key``, joined by commas."""
    if _url_decides(key):
        text = _url_text(key)
        known = _lookup(options, lambda o: str(format_func(o)))
        if text is None:
            if st.session_state.get(_FROM_URL):
                _forget(key)
        else:
            parts = [text] if text in known else text.split(LIST_SEPARATOR)
            found = list(dict.fromkeys(known[p] for p in parts if p in known))
            unknown = [p for p in parts if p not in known]
            if unknown:
                _note(
                    key,
                    f"The link's {what} filter names {', '.join(map(repr, unknown))}, "
                    "not in the corpus; left out of the filter.",
                )
            _seed(key, found)
    chosen = widget(label, options, key=key, format_func=format_func, **more)
    _keep(key, LIST_SEPARATOR.join(map(str, chosen)))
    return chosen


def value(
    widget: Callable[..., Any],
    *args: Any,
    key: str,
    what: str,
    parse: Callable[[str], Any],
    text: Callable[[Any], str] = str,
    **more: Any,
) -> Any:
    """A slider, select slider or text input whose value is in the URL as ``key``.

    ``parse`` turns the URL's text into a value the widget accepts (raising
    ``ValueError`` when it cannot; the widget then keeps its default), ``text``
    writes the value back.
    """
    if _url_decides(key):
        raw = _url_text(key)
        if raw is None:
            if st.session_state.get(_FROM_URL):
                _forget(key)
        else:
            try:
                _seed(key, parse(raw))
            except ValueError:
                _forget(key)
                _note(key, f"The link's {what} '{raw}' is not valid here; left at its default.")
    chosen = widget(*args, key=key, **more)
    _keep(key, text(chosen))
    return chosen


def tab(labels: Sequence[str], *, key: str) -> Sequence[Any]:
    """Tabs that run only the open one, which is in the URL as ``key``."""
    if _url_decides(key):
        raw = _url_text(key)
        if raw in labels:
            _seed(key, raw)
        elif raw is not None:
            _note(key, f"The link opens the tab '{raw}', which this page does not have.")
    found = st.tabs(list(labels), key=key, on_change="rerun")
    _keep(key, str(st.session_state.get(key, labels[0])))
    return found


#: How the URL says that a :func:`section` is open (``ov_list=open``).
OPEN = "open"


def section(label: str, *, key: str, opened_by: Sequence[str] = ()) -> Any:
    """A section that starts closed and is drawn only while open: in the URL as ``key=open``.

    An expander whose ``.open`` the page checks before drawing what is in it, so a
    page with a long table under its charts sends and draws that table only for an
    analyst who opens it. A link that names one of ``opened_by`` (a choice made
    inside the section, such as the page of a list) opens it too. ``label`` must
    not change between runs: Streamlit would take it for another expander, closed.
    """
    if _url_decides(key):
        raw = _url_text(key)
        if raw == OPEN or (raw is None and any(_url_text(k) is not None for k in opened_by)):
            _seed(key, True)
        elif raw is None:
            if st.session_state.get(_FROM_URL):
                _seed(key, False)
        else:
            _seed(key, False)
            _note(
                key,
                f"The link's '{raw}' for the section '{label}' is not valid here (only "
                f"'{OPEN}' is); the section is left closed.",
            )
    found = st.expander(label, key=key, on_change="rerun")
    _keep(key, OPEN if found.open else "")
    return found


def clicked(key: str, points: list[list[Any]], *, fields: int) -> list[list[Any]]:
    """The points clicked in chart ``key``, or those the URL names when none is.

    The first ``fields`` values of each point's ``customdata`` go into the URL
    (``a|b;c|d``); a selection the reader cleared is cleared in the URL too.
    """
    state = st.session_state
    if points:
        state[_CLEARED + key] = True
        _keep(
            key,
            _POINT_SEPARATOR.join(
                _FIELD_SEPARATOR.join(str(v) for v in point[:fields]) for point in points
            ),
        )
        return points
    if state.get(_CLEARED + key):
        state[_CLEARED + key] = False
        _keep(key, "")
        return []
    raw = _url_text(key)
    if raw is None:
        return []
    _keep(key, raw)
    return [part.split(_FIELD_SEPARATOR) for part in raw.split(_POINT_SEPARATOR) if part]


def show_notes() -> None:
    """Say which parts of the link opened name something the corpus does not hold."""
    for message in st.session_state.get(_NOTES, []):
        st.warning(message, icon=":material/link_off:")
    st.session_state[_NOTES] = []


def write_url(*, stopped: bool = False) -> None:
    """Write this run's choices into the URL (one message, only when it changes).

    Parameters of other pages are dropped. With ``stopped`` (the page stopped
    before drawing all its widgets) this page's unread parameters are kept, so
    widening the filters brings the linked view back.
    """
    state = st.session_state
    chosen: dict[str, str] = state.get(_CHOSEN, {})
    keep = ("f_", state.get(_PAGE, "")) if stopped else ()
    params: dict[str, str] = {}
    for key, values in _current().items():
        if key in chosen:
            continue
        ours = key.startswith(PREFIXES)
        if ours and not (keep and key.startswith(keep)):
            continue
        params[key] = values[-1] if values else ""
    params.update((key, text) for key, text in chosen.items() if text)
    ordered = dict(sorted(params.items(), key=lambda item: not item[0].startswith("f_")))
    if _snapshot(ordered) != _snapshot(_current()):
        st.query_params.from_dict(ordered)
    state[_WRITTEN] = _snapshot(ordered)


def stop() -> NoReturn:
    """``st.stop()`` after writing the URL (a stopped run writes nothing afterwards)."""
    write_url(stopped=True)
    st.stop()
    raise AssertionError("st.stop() returned")


def open_page(page: str, **params: str) -> NoReturn:
    """Switch to ``page`` with the sidebar's filters and ``params`` in its URL."""
    chosen: dict[str, str] = st.session_state.get(_CHOSEN, {})
    query = {key: text for key, text in chosen.items() if key.startswith("f_") and text}
    query.update(params)
    st.switch_page(page, query_params=query)
    raise AssertionError("st.switch_page() returned")
