"""Two people correcting labels in the dashboard at the same moment keep every correction.

Two dashboard sessions, each in its own process (two analysts, each running the
dashboard on a shared corpus folder), save corrections on different articles at
once; every save goes through the corpus lock, so the overrides file ends with
all of them. (Streamlit's AppTest cannot run two sessions in one process at
once: each run installs and removes the one runtime. The sessions are plain
subprocesses: a ``multiprocessing`` child would re-run whatever script an
earlier AppTest left as ``__main__``.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis.review import overrides
from analysis.review.overrides import load_overrides
from tests.conftest import REPO
from tests.dashboard.conftest import APP, texts

#: Who works in each session, and on which article.
SESSIONS = {
    "Ann": "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis",
    "Bo": "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail",
}
TARGETS = ("russia", "us_west", "ukraine", "assad")
# A guard against a hung session, not a timing assertion.
PATIENCE_S = 600

_SESSION = """
import json, sys
from pathlib import Path
from tests.dashboard.test_concurrent_corrections import save_all
print(json.dumps(save_all(sys.argv[1], sys.argv[2], Path(sys.argv[3]))))
"""


def _wait_for_everyone(meeting_point: Path, who: str) -> None:
    (meeting_point / who).touch()
    deadline = time.monotonic() + PATIENCE_S
    while len(list(meeting_point.iterdir())) < len(SESSIONS):
        if time.monotonic() > deadline:
            raise TimeoutError("the other session never opened its article")
        time.sleep(0.05)


def save_all(who: str, article_id: str, meeting_point: Path) -> int:
    """One session: open the Reader on an article, wait for the other, save four corrections.

    Returns how many saves the page confirmed.
    """
    # Widen the moment between reading overrides.csv and writing it back, so that
    # without the lock the two sessions' saves overlap and one of them is lost.
    load = overrides.load_overrides

    def load_slowly(root: Path | str) -> pd.DataFrame:
        frame = load(root)
        time.sleep(0.3)
        return frame

    overrides.load_overrides = load_slowly  # type: ignore[assignment]
    app = AppTest.from_file(APP, default_timeout=300)
    app.switch_page("views/reader.py")
    app.query_params["rd_article"] = article_id
    app.run()
    _wait_for_everyone(meeting_point, who)
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


def test_two_sessions_saving_at_once_keep_every_correction(corpus_copy: Path, tmp_path: Path):
    meeting_point = tmp_path / "ready"
    meeting_point.mkdir()
    sessions = {}
    for who, article_id in SESSIONS.items():
        env = {
            **os.environ,
            "NARRATIVES_CORPUS": str(corpus_copy),
            "NARRATIVES_CACHE_DIR": str(tmp_path / f"cache-{who}"),
            "PYTHONPATH": str(REPO),
        }
        sessions[who] = subprocess.Popen(
            [sys.executable, "-c", _SESSION, who, article_id, str(meeting_point)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    saved = {}
    for who, session in sessions.items():
        out, err = session.communicate(timeout=PATIENCE_S)
        assert session.returncode == 0, err[-3000:]
        saved[who] = json.loads(out.strip().splitlines()[-1])
    assert saved == {who: len(TARGETS) for who in SESSIONS}
    rows = load_overrides(corpus_copy).sort_values(["who", "target"])
    assert rows[["article_id", "target", "who", "note"]].values.tolist() == [
        [SESSIONS[who], target, who, f"{who} on {target}"]
        for who in sorted(SESSIONS)
        for target in sorted(TARGETS)
    ]
