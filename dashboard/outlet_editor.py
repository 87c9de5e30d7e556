"""The Corpus page's outlet form: add an outlet to outlets.yaml or change one.

The writing is :func:`analysis.corpus.outlet_file.save_outlet` (atomic, under
the corpus lock, comments kept); this module only lays out the form and says
what happened.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.corpus.lock import CorpusBusyError
from analysis.corpus.outlet_file import NEW_OUTLET_GROUP, OutletEditError, save_outlet
from analysis.corpus.registry import OUTLET_KINDS, Outlet, RegistryError
from dashboard import layout
from dashboard.data import corpus_changed, corpus_dir

__all__ = ["outlet_editor"]

_NEW = ""
_SAVED = "co_outlet_saved"


def _field(row: pd.Series | None, name: str, default: str = "") -> str:
    return default if row is None else str(row[name])


def outlet_editor(outlets: pd.DataFrame) -> None:
    """A form over one outlet of ``outlets`` (the registry frame), or over a new one."""
    if _SAVED in st.session_state:
        st.success(st.session_state.pop(_SAVED), icon=":material/check:")
    names = dict(zip(outlets["outlet"], outlets["name"], strict=True))
    unassigned = outlets.loc[outlets["group"] == NEW_OUTLET_GROUP, "outlet"].tolist()
    chosen = st.selectbox(
        "Outlet",
        [_NEW, *unassigned, *(k for k in names if k not in unassigned)],
        format_func=lambda k: "New outlet" if k == _NEW else f"{names[k]} ({k})",
        key="co_outlet_choice",
        help=f"Outlets in the group {NEW_OUTLET_GROUP} (added by an import) come first.",
    )
    row = None if chosen == _NEW else outlets[outlets["outlet"] == chosen].iloc[0]
    groups = sorted(set(outlets["group"]))
    # Keys carry the outlet, so choosing another one shows its values, not the last one's.
    with st.form(f"co_outlet_form_{chosen}"):
        first = st.columns(3)
        key = first[0].text_input(
            "Key",
            value=chosen,
            disabled=row is not None,
            placeholder="e.g. ria-novosti",
            key=f"co_outlet_key_{chosen}",
        )
        name = first[1].text_input(
            "Name", value=_field(row, "name"), key=f"co_outlet_name_{chosen}"
        )
        group = first[2].text_input(
            "Group",
            value=_field(row, "group", NEW_OUTLET_GROUP),
            help=f"Groups in use: {', '.join(groups)}.",
            key=f"co_outlet_group_{chosen}",
        )
        reason = st.text_input(
            "Why it is in this group",
            value=_field(row, "group_reason"),
            key=f"co_outlet_reason_{chosen}",
        )
        source = st.text_input(
            "Where that judgement comes from",
            value=_field(row, "group_source"),
            key=f"co_outlet_source_{chosen}",
        )
        second = st.columns(4)
        current_kind = _field(row, "kind", "other")
        kind = second[0].selectbox(
            "Kind",
            OUTLET_KINDS,
            index=OUTLET_KINDS.index(current_kind) if current_kind in OUTLET_KINDS else None,
            key=f"co_outlet_kind_{chosen}",
        )
        domains = second[1].text_input(
            "Web domains",
            value=_field(row, "domains"),
            help="Separated by ';', such as 'ria.ru; riafan.ru'.",
            key=f"co_outlet_domains_{chosen}",
        )
        language = second[2].text_input(
            "Language", value=_field(row, "language"), key=f"co_outlet_language_{chosen}"
        )
        country = second[3].text_input(
            "Country", value=_field(row, "country"), key=f"co_outlet_country_{chosen}"
        )
        saved = st.form_submit_button("Save outlet", icon=":material/save:", key="co_outlet_save")
    if not saved:
        return
    outlet = Outlet(
        key=(key if row is None else chosen).strip(),
        name=name,
        country=country,
        kind=kind or "",
        domains=tuple(d for d in domains.split(";") if d.strip()),
        language=language,
        group=group,
        group_reason=reason,
        group_source=source,
    )
    try:
        written = save_outlet(corpus_dir(), outlet, new=row is None)
    except OutletEditError as err:
        st.error(
            f"Not saved: {layout.escape_markdown(err)}. outlets.yaml is unchanged.",
            icon=":material/error:",
        )
        return
    except (RegistryError, CorpusBusyError, OSError) as err:
        st.error(f"Not saved: {layout.escape_markdown(err)}", icon=":material/error:")
        return
    corpus_changed()
    verb = "Added" if row is None else "Saved"
    st.session_state[_SAVED] = (
        f"{verb} {written.name} ({written.key}) in the group {written.group}."
    )
    st.rerun()
