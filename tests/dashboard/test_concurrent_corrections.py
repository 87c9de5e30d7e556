"""Two people correcting labels in the dashboard at the same moment keep every correction.

Two Reader sessions, each driven from its own thread on one server process (as
two browser tabs are), save corrections on different articles at once; every
save goes through the corpus lock, so the overrides file ends with all of them.
"""

from __future__ import annotations

import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analysis.corpus.articles import load_corpus
from analysis.review.overrides import load_overrides
from dashboard.tables import article_labels
from tests.dashboard.conftest import APP, texts

#: Who works in each session, and on which article.
SESSIONS = {
    "Ann": "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis",
    "Bo": "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail",
}
TARGETS = ("russia", "us_west", "ukraine", "assad")


def _save_all(app: AppTest, who: str, saved: list[str]) -> None:
    for target in TARGETS:
        app.selectbox(key="rd_fix_target").select(target)
        app.run()
        app.selectbox(key="rd_fix_label").select("neutral")
        app.text_input(key="rd_fix_who").input(who)
        app.text_input(key="rd_fix_note").input(f"{who} on {target}")
        app.button(key="rd_fix_save").click()
        app.run()
        saved.extend(s for s in texts(app, "success") if "is now 'neutral'" in s)


def test_two_sessions_saving_at_once_keep_every_correction(corpus_copy: Path, monkeypatch):
    monkeypatch.setenv("NARRATIVES_CORPUS", str(corpus_copy))
    apps = {}
    labels = article_labels(load_corpus(corpus_copy).articles)
    for who, article_id in SESSIONS.items():
        app = AppTest.from_file(APP, default_timeout=120)
        app.switch_page("views/reader.py")
        app.query_params["rd_article"] = labels[article_id]
        app.run()
        apps[who] = app
    saved: dict[str, list[str]] = {who: [] for who in SESSIONS}
    threads = [
        threading.Thread(target=_save_all, args=(apps[who], who, saved[who])) for who in SESSIONS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [len(saved[who]) for who in SESSIONS] == [len(TARGETS), len(TARGETS)]
    rows = load_overrides(corpus_copy).sort_values(["who", "target"])
    assert rows[["article_id", "target", "who", "note"]].values.tolist() == sorted(
        [
            [SESSIONS[who], target, who, f"{who} on {target}"]
            for who in SESSIONS
            for target in TARGETS
        ],
        key=lambda row: (row[2], row[1]),
    )
