"""Corpus: add articles with the CLI's import, add or edit outlets, the validation report, and
the whole corpus as CSV."""

from __future__ import annotations

import streamlit as st

from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata
from analysis.ingest.report import ImportReport
from analysis.ingest.report_tables import import_report_tables, validation_table
from analysis.pipeline.tables import ARTICLE_EXPORT_COLUMNS
from analysis.wording import counted
from dashboard import layout
from dashboard.data import corpus_changed, corpus_dir
from dashboard.outlet_editor import outlet_editor

FORMATS = ["txt", "md", "html", "htm", "csv", "jsonl", "ndjson"]

page = layout.start_page(
    "Corpus",
    "Add articles and outlets, check the corpus for problems, and take the whole corpus away "
    "as CSV.",
    needs="corpus",
)
corpus, selection = page.corpus, page.selection

st.subheader("Add articles")
st.caption(
    "The same import as `narratives import`: text, Markdown, HTML, CSV or JSONL files. Outlet, "
    "date, language and meetings are inferred where the files leave them out, and every inference "
    "is shown with its basis. An outlet not in the registry is added to it in the group "
    "'unassigned' (place it under Outlets below). Each file is all or nothing; duplicates are "
    "never added twice; nothing is written until you confirm a preview."
)
uploads = st.file_uploader(
    "Files to import", type=FORMATS, accept_multiple_files=True, key="co_upload"
)
outlet_names = dict(zip(corpus.outlets["outlet"], corpus.outlets["name"], strict=True))
with st.expander(
    "Metadata for every uploaded article (optional: wins over the files and inference)"
):
    given = st.columns(3)
    outlet = given[0].selectbox(
        "Outlet",
        list(outlet_names),
        index=None,
        format_func=outlet_names.__getitem__,
        placeholder="infer from the files",
        key="co_outlet",
    )
    meetings = given[1].multiselect(
        "Meetings covered",
        list(corpus.meetings["meeting"]),
        placeholder="infer from the text",
        key="co_meetings",
    )
    published = given[2].text_input(
        "Published", placeholder="YYYY-MM-DD, YYYY-MM or YYYY", key="co_published"
    )
    language = given[0].text_input("Language code", placeholder="e.g. en", key="co_language")
    skip_bad_rows = given[1].checkbox(
        "Let the good rows of a CSV/JSONL in",
        key="co_skip_rows",
        help="By default one bad row keeps the whole file out.",
    )
    skip_near = given[2].checkbox("Leave near duplicates out", key="co_skip_near")
    no_new_outlets = given[0].checkbox(
        "Add no outlets",
        key="co_no_new_outlets",
        help="Refuse rows whose outlet is not in outlets.yaml instead of adding it there.",
    )


def run_import(*, dry_run: bool) -> ImportReport | None:
    """Import the uploads (their names only choose the format; they are never paths)."""
    sources = [(upload.name, upload.getvalue()) for upload in uploads or []]
    metadata = ImportMetadata(
        outlet=outlet,
        published=published.strip() or None,
        language=language.strip() or None,
        meetings=tuple(meetings) or None,
    )
    try:
        return import_articles(
            sources,
            corpus_dir(),
            metadata=metadata,
            skip_bad_rows=skip_bad_rows,
            near_duplicates="skip" if skip_near else "add",
            new_outlets=not no_new_outlets,
            dry_run=dry_run,
        )
    except (ValueError, OSError) as err:
        st.error(f"Nothing was imported: {layout.escape_markdown(err)}", icon=":material/error:")
        return None
    finally:
        if not dry_run:
            # Every page reads the folder again at once, whatever the import wrote.
            corpus_changed()


def show_report(report: ImportReport) -> None:
    verb = "Would add" if report.dry_run else "Added"
    shown = import_report_tables(report)
    (st.success if report.added else st.info)(
        f"{verb} {counted(len(report.added), 'article')}. "
        + ("Nothing was written yet." if report.dry_run else "The corpus has been reloaded."),
        icon=":material/check:" if report.added else ":material/info:",
    )
    if report.added:
        layout.table(shown["added"], what="import preview", selection=selection, key="co_added")
    if report.outlets:
        st.markdown(
            f"**Outlets {'to add' if report.dry_run else 'added'} to outlets.yaml**, in the "
            "group 'unassigned' until you place them under Outlets below"
        )
        layout.table(
            shown["outlets"], what="new outlets", selection=selection, key="co_new_outlets"
        )
    inferred = shown["inferred"]
    if not inferred.empty:
        st.markdown("**What was inferred, and from what**")
        layout.table(inferred, what="import inferences", selection=selection, key="co_inferred")
    for heading, found in (("Duplicates", report.duplicates), ("Skipped", report.skipped)):
        if found:
            name = heading.lower()
            st.markdown(f"**{heading}**")
            layout.table(shown[name], what=f"import {name}", selection=selection, key=f"co_{name}")
    if report.problems:
        st.error(
            f"{len(report.problems)} problems: the files below add nothing until they are fixed.",
            icon=":material/error:",
        )
        layout.table(
            shown["problems"],
            what="import problems",
            selection=selection,
            key="co_problems",
        )


if uploads:
    buttons = st.columns([1, 1, 3])
    preview = buttons[0].button("Preview (dry run)", key="co_preview", icon=":material/preview:")
    confirm = buttons[1].button("Import", key="co_import", type="primary", icon=":material/upload:")
    if preview:
        report = run_import(dry_run=True)
        if report is not None:
            show_report(report)
    elif confirm:
        report = run_import(dry_run=False)
        if report is not None:
            # Rerun so the sidebar and every page load the corpus with the new articles.
            st.session_state["co_report"] = report
            st.rerun()
if "co_report" in st.session_state:
    show_report(st.session_state.pop("co_report"))

st.subheader("Outlets")
st.caption(
    "Add an outlet or change one: its name, its group, why it is in that group and where that "
    "judgement comes from. Saved to outlets.yaml at once, its comments kept."
)
outlet_editor(corpus.outlets)

st.subheader("Validation")
errors = corpus.errors
if corpus.problems:
    warnings = len(corpus.problems) - len(errors)
    if errors:
        st.error(
            f"{len(errors)} errors: files with errors are left out of every analysis until they "
            "are fixed.",
            icon=":material/error:",
        )
    else:
        st.warning(f"{warnings} warnings; no file is left out.", icon=":material/warning:")
    layout.table(
        validation_table(corpus.problems),
        what="validation report",
        selection=selection,
        key="co_problems_report",
    )
else:
    n = len(corpus.articles)
    st.success(
        "The corpus has no articles to validate yet."
        if n == 0
        else "The one article passes validation."
        if n == 1
        else f"All {n:,} articles pass validation.",
        icon=":material/check:",
    )

st.subheader("The whole corpus")
st.caption(
    f"{counted(len(corpus.articles), 'article')}, {counted(len(corpus.outlets), 'outlet')}, "
    f"{counted(len(corpus.meetings), 'meeting')}, in {layout.escape_markdown(corpus.root)}. "
    "The CSV has the metadata and the text as published; the filters do not apply to it."
)
if not corpus.articles.empty:
    whole = corpus.articles[[*ARTICLE_EXPORT_COLUMNS, "text"]]
    layout.download_csv(whole, what="whole corpus", selection=type(selection)(), key="co_whole")
st.markdown("**Meetings catalogue**")
layout.table(
    corpus.meetings,
    what="meetings catalogue",
    selection=type(selection)(),
    key="co_meetings_table",
)
