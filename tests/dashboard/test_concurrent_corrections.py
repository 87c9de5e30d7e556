"""Two people correcting labels in the dashboard at the same moment keep every correction.

Two dashboard sessions, each in its own process (two analysts, each running the
dashboard on a shared corpus folder), save corrections on different articles at
once; every save goes through the corpus lock, so the overrides file ends with
all of them. (Streamlit's AppTest cannot run two sessions in one process at
once: each run installs and removes the one runtime.)
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
import traceback
import types
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.review import overrides
from analysis.review.overrides import load_overrides
from tests.dashboard.conftest import APP, texts

#: Who works in each session, and on which article.
SESSIONS = {
    "Ann": "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis",
    "Bo": "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail",
}
TARGETS = ("russia", "us_west", "ukraine", "assad")


def _session(
    corpus: str, cache: str, who: str, article_id: str, start: mp.Barrier, done: mp.Queue
) -> None:
    """Run :func:`_save_all` in this process; put (who, saves or the error) on ``done``."""
    try:
        done.put((who, _save_all(corpus, cache, who, article_id, start)))
    except BaseException:
        done.put((who, traceback.format_exc()))
        raise


def _save_all(corpus: str, cache: str, who: str, article_id: str, start: mp.Barrier) -> int:
    """Open the Reader on one article, wait for the other session, save four corrections."""
    os.environ["NARRATIVES_CORPUS"] = corpus
    os.environ["NARRATIVES_CACHE_DIR"] = cache
    # Widen the moment between reading overrides.csv and writing it back, so that
    # without the lock the two sessions' saves overlap and one of them is lost.
    slow_load = overrides.load_overrides

    def load_slowly(root: Path | str) -> pd.DataFrame:
        frame = slow_load(root)
        time.sleep(0.3)
        return frame

    overrides.load_overrides = load_slowly  # type: ignore[assignment]
    app = AppTest.from_file(APP, default_timeout=300)
    app.switch_page("views/reader.py")
    app.query_params["rd_article"] = article_id
    app.run()
    start.wait(timeout=300)
    saved = 0
    for target in TARGETS:
        app.selectbox(key="rd_fix_target").select(target)
        app.run()
        app.selectbox(key="rd_fix_label").select("neutral")
        app.text_input(key="rd_fix_who").input(who)
        app.text_input(key="rd_fix_note").input(f"{who} on {target}")
        app.button(key="rd_fix_save").click()
        app.run()
        saved += sum("is now 'neutral'" in s for s in texts(app, "success"))
    return saved


def test_two_sessions_saving_at_once_keep_every_correction(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # An AppTest run earlier in this process leaves the dashboard script installed as
    # ``__main__``; a spawned process would run it again (and die, outside Streamlit)
    # before the session starts. A main module without a file is not run again.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    context = mp.get_context("spawn")
    start, done = context.Barrier(len(SESSIONS)), context.Queue()
    sessions = [
        context.Process(
            target=_session,
            args=(str(corpus_copy), str(tmp_path / who), who, article_id, start, done),
        )
        for who, article_id in SESSIONS.items()
    ]
    for session in sessions:
        session.start()
    saved = dict(done.get(timeout=900) for _ in sessions)
    errors = [result for result in saved.values() if isinstance(result, str)]
    assert not errors, errors[0]
    for session in sessions:
        session.join(timeout=60)
        assert session.exitcode == 0
    assert saved == {who: len(TARGETS) for who in SESSIONS}
    rows = load_overrides(corpus_copy).sort_values(["who", "target"])
    assert rows[["article_id", "target", "who", "note"]].values.tolist() == [
        [SESSIONS[who], target, who, f"{who} on {target}"]
        for who in sorted(SESSIONS)
        for target in sorted(TARGETS)
    ]
