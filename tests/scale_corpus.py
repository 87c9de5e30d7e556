"""A hand-written corpus with one meeting covered by eleven outlets in three groups.

The Sochi meeting (2015-05-sochi) is covered by four Ukrainian outlets (five
articles), four pro-Kremlin outlets (five articles) and three outlets nobody has
placed yet (group ``unassigned``, three articles). A fourth group, a think
tank, wrote only on the December 2015 Moscow meeting, so Sochi is its blind
spot. The subjects are planted per group:

* Ukrainian articles name Ukraine, Crimea and the Minsk agreements;
* pro-Kremlin articles name Ukraine, the sanctions and Syria;
* unassigned articles name Syria and Iran.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import SHIPPED_CORPUS

SOCHI = "2015-05-sochi"
#: (key, name, group, articles on Sochi), in registry order.
OUTLETS = [
    ("kyiv-daily", "Kyiv Daily", "Ukrainian", 2),
    ("lviv-courier", "Lviv Courier", "Ukrainian", 1),
    ("odesa-herald", "Odesa Herald", "Ukrainian", 1),
    ("kharkiv-times", "Kharkiv Times", "Ukrainian", 1),
    ("moscow-wire", "Moscow Wire", "pro-Kremlin", 2),
    ("volga-review", "Volga Review", "pro-Kremlin", 1),
    ("neva-post", "Neva Post", "pro-Kremlin", 1),
    ("ural-voice", "Ural Voice", "pro-Kremlin", 1),
    ("tidewater-gazette", "Tidewater Gazette", "unassigned", 1),
    ("prairie-ledger", "Prairie Ledger", "unassigned", 1),
    ("harbour-news", "Harbour News", "unassigned", 1),
    ("baltic-institute", "Baltic Institute", "think tank", 0),
]
#: Each group's two texts: an outlet's second article differs from its first, as the
#: cleaning drops the sentences an outlet repeats in every article (its boilerplate).
TEXTS = {
    "Ukrainian": (
        "Kerry met Putin in Sochi on Tuesday, {name} reports. The talks turned to Ukraine and "
        "to Crimea, annexed a year ago. Kerry said the Minsk agreements must be carried out in "
        "full before anything else changes.",
        "A day after the Sochi meeting, {name} asks what Kerry obtained from Putin. Kyiv fears "
        "a deal over its head on Crimea. The Minsk agreements remain the only plan on the table.",
    ),
    "pro-Kremlin": (
        "Kerry came to Sochi to meet Putin, {name} notes. Washington now admits that its policy "
        "on Ukraine has gone nowhere. The sanctions did not work, and Moscow stands firm on Syria.",
        "The Sochi visit shows, {name} argues, that Kerry needs Putin more than the reverse. "
        "Sanctions have cost Europe dearly, Ukraine is divided, and Syria needs Moscow's help.",
    ),
    "unassigned": (
        "Kerry and Putin met in Sochi, {name} writes. The two men discussed Syria and Iran for "
        "four hours. Officials called the talks useful.",
    ),
}
MOSCOW_TEXT = (
    "Kerry met Putin in Moscow. The Baltic Institute notes that Syria dominated the talks."
)


def write_scale_corpus(root: Path) -> Path:
    """Write the corpus into ``root`` (created), with the shipped meetings catalogue."""
    (root / "articles").mkdir(parents=True)
    shutil.copy(SHIPPED_CORPUS / "meetings.yaml", root / "meetings.yaml")
    registry = []
    for key, name, group, _ in OUTLETS:
        registry.append(
            f"{key}:\n  name: {name}\n  country: unknown\n  kind: online outlet\n"
            f"  domains: []\n  language: en\n  group: {group}\n"
            f"  group_reason: Planted for the tests.\n  group_source: tests/scale_corpus.py\n"
        )
    (root / "outlets.yaml").write_text("\n".join(registry), encoding="utf-8")
    for key, name, group, count in OUTLETS:
        for number in range(1, count + 1):
            text = TEXTS[group][number - 1].format(name=name)
            _write(root, f"{key}-sochi-{number}", key, f"{name} on Sochi, part {number}", text,
                   published=f"2015-05-{11 + number}", meeting=SOCHI)  # fmt: skip
    _write(root, "baltic-institute-moscow", "baltic-institute", "Moscow talks", MOSCOW_TEXT,
           published="2015-12-16", meeting="2015-12-moscow")  # fmt: skip
    return root


def _write(
    root: Path, article_id: str, outlet: str, title: str, text: str, *, published: str,
    meeting: str,
) -> None:  # fmt: skip
    header = (
        f"---\nid: {article_id}\ntitle: {json.dumps(title)}\noutlet: {outlet}\nauthors: []\n"
        f"published: '{published}'\nlanguage: en\nmeetings:\n- {meeting}\n---\n"
    )
    (root / "articles" / f"{article_id}.md").write_text(header + text + "\n", encoding="utf-8")
