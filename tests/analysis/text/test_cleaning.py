from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.registry import load_outlets
from analysis.corpus.types import Article
from analysis.text.cleaning import (
    CleanedText,
    Removal,
    clean_articles,
    clean_text,
    learn_boilerplate,
)
from analysis.text.normalize import normalize_characters
from tests.conftest import SHIPPED_CORPUS

PESKOV = '"Talks were rather constructive, rather honest and detailed," Peskov said.'


def _frame(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "title", "outlet", "outlet_name", "text"])


@pytest.fixture(scope="module")
def seeds(seed_articles: dict[str, Article]) -> pd.DataFrame:
    outlets, _ = load_outlets(SHIPPED_CORPUS)
    rows = [
        (name[:3], article.title, article.outlet, outlets[article.outlet].name, article.text)
        for name, article in seed_articles.items()
    ]
    return _frame(rows)


@pytest.fixture(scope="module")
def cleaned_seeds(seeds: pd.DataFrame) -> dict[str, str]:
    cleaned, _ = clean_articles(seeds)
    return dict(zip(cleaned["id"], cleaned["text_clean"], strict=True))


@pytest.mark.parametrize(
    "chrome",
    [
        "Patron",
        "patron",
        "cookie",
        "Cookie",
        "ad blocker",
        "Post a Comment",
        "Leave a Reply",
        "Copyright",
        "©",
        "Subscribe",
        "Related Posts",
        "Edited by",
        "Article by",
        "Translated by",
        "International Renaissance Foundation",
        "Ctrl + Enter",
        "Disclaimers",
        "Next Post",
        "[…]",
        "[...]",
        "No comments",
        "Euromaidan Press",
        "MCU Times",
        "Required fields",
        "good faith and for general information",
        "15 July, 2016",
        "imageUS",
    ],
)
def test_no_seed_boilerplate_survives(cleaned_seeds: dict[str, str], chrome: str) -> None:
    assert [i for i, text in cleaned_seeds.items() if chrome in text] == []


@pytest.mark.parametrize(
    ("seed", "sentence"),
    [
        ("000", 'That position was summed up by the slogan "nothing about us without us."'),
        ("000", "He wants a Congress of Vienna-type world"),
        ("000", "In fact, in Moscow, it was just the reverse."),
        ("001", "There are two ways out of this situation."),
        ("001", "(downing of Malaysia airline — Ed.)."),
        ("002", "Comments by Kremlin spokesman point to deadlock in discussions about Syria"),
        ("002", 'the old diplomatic formula — "a free and frank exchange of views" — which'),
        ("002", "We do not know the details of the proposals but it seems that the US offered"),
        (
            "002",
            "what we have today is a brief transcript of Putin's and Kerry's introductory "
            "remarks to each other.",
        ),
        ("002", "Prior to going to Moscow Kerry also let slip"),
        ("002", "It is perplexing the US has still not grasped the point."),
        ("003", "the lowest levels of the Cold War. The NATO-Russia Council"),
        ("003", "serious economic consequences. We will use tools"),
        ("003", 'passivity can be worse. "Capitulating to demands'),
        ("003", "Russia has been ravaged by Covid-19"),
        ("003", "cut Putin to size, its unity must be unbreakable."),
        ("004", "Kerry did not succeed in the main aim of his visit;"),
        ("004", "On 7-8 May the US new Secretary of State John Kerry paid his first"),
    ],
)
def test_seed_body_sentences_survive(
    cleaned_seeds: dict[str, str], seed: str, sentence: str
) -> None:
    assert sentence in cleaned_seeds[seed]


def test_seed_peskov_quotation_survives_whole(cleaned_seeds: dict[str, str]) -> None:
    quotation = (
        '"Talks were continued, they were rather constructive, rather honest and detailed. '
        "However many questions remain connected with real cooperation during the operation "
        "in Syria. They discussed different cooperation formats, but the topic of direct "
        "cooperation between the military in combating terrorism in Syria was not mentioned, "
        "the exchange of information in this area is present, but still, unfortunately, we are "
        "not much closer to real cooperation in order to increase the effectiveness of efforts "
        "to combatting terrorism in Syria. As for Assad's fate, Russia's well-known position "
        'has not undergone any changes."'
    )
    assert f"\n\n{quotation}\n\n" in cleaned_seeds["002"]


def test_seed_header_lines_are_not_glued(cleaned_seeds: dict[str, str]) -> None:
    assert cleaned_seeds["002"].startswith(
        "Comments by Kremlin spokesman point to deadlock in discussions about Syria\n\n"
        "Alexander Mercouris\n\n"
        "Here is how Putin's spokesman Dmitry Peskov described them:\n\n"
    )
    assert "by [Russian Foreign] Minis\n\nAs for Kerry" in cleaned_seeds["002"]


def test_seed_texts_start_and_end_with_the_body(cleaned_seeds: dict[str, str]) -> None:
    starts = {i: text[:30] for i, text in cleaned_seeds.items()}
    assert starts == {
        "000": "Both Western and Russian sourc",
        "001": "When it comes to the meeting b",
        "002": "Comments by Kremlin spokesman ",
        "003": "US Secretary of State Antony B",
        "004": "On 7-8 May the US new Secretar",
    }
    ends = {i: text[-30:] for i, text in cleaned_seeds.items()}
    assert ends == {
        "000": "scow, it was just the reverse.",
        "001": "d during the meeting in Sochi.",
        "002": "s still not grasped the point.",
        "003": "arth's most powerful alliance.",
        "004": "lving international conflicts.",
    }


HERALD_ABOUT = (
    "The Example Herald is an independent newspaper owned by its readers since 1998.\n"
    "We report without fear or favour from the capital."
)
DAILY_FOOTER = (
    "Support independent journalism — donate today\n"
    "© 2019 Daily Example. All rights reserved.\n"
    "Sign up for our newsletter"
)
WORDPRESS_COMMENTS = (
    "Leave a Reply\n"
    "Your email address will not be published. Required fields are marked *\n"
    "Comment *\n"
    "Name *\n"
    "Email *\n"
    "Website\n"
    "Save my name, email, and website in this browser for the next time I comment.\n"
    "Post Comment"
)


@pytest.fixture(scope="module")
def invented() -> pd.DataFrame:
    return _frame(
        [
            (
                "h1",
                "Kerry lands in Moscow",
                "example-herald",
                "The Example Herald",
                "Herald Wire\nKerry lands in Moscow\n\nKerry arrived in Moscow on Tuesday.\n\n"
                f"{PESKOV}\n\nThe talks lasted six hours.\n\n{HERALD_ABOUT}",
            ),
            (
                "h2",
                "Kerry leaves Moscow empty-handed",
                "example-herald",
                "The Example Herald",
                "Herald Wire\n\nKerry left Moscow on Wednesday without a deal.\n\n"
                f"Lavrov called the talks useful.\n\n{HERALD_ABOUT}",
            ),
            (
                "d1",
                "Talks in Moscow end",
                "daily-example",
                "Daily Example",
                "Talks in Moscow end\nBy Jane Roe\n\nThe Moscow talks ended after midnight.\n\n"
                f"{PESKOV}\n\nAnalysts were not surprised.\n\n{DAILY_FOOTER}\n\n"
                f"{WORDPRESS_COMMENTS}",
            ),
            (
                "d2",
                "Putin praises talks",
                "daily-example",
                "Daily Example",
                "Putin praises talks\n\nPutin said the talks were useful and\n"
                f"constructive.\n\n{DAILY_FOOTER.replace('2019', '2020')}",
            ),
        ]
    )


def test_invented_outlets_are_cleaned_exactly(invented: pd.DataFrame) -> None:
    cleaned, _ = clean_articles(invented)
    assert cleaned["text_clean"].tolist() == [
        f"Kerry arrived in Moscow on Tuesday.\n\n{PESKOV}\n\nThe talks lasted six hours.",
        "Kerry left Moscow on Wednesday without a deal.\n\nLavrov called the talks useful.",
        f"The Moscow talks ended after midnight.\n\n{PESKOV}\n\nAnalysts were not surprised.",
        "Putin said the talks were useful and constructive.",
    ]


def test_invented_outlets_removals_name_rule_and_reason(invented: pd.DataFrame) -> None:
    _, removed = clean_articles(invented)
    assert list(removed.columns) == ["id", "line_start", "line_end", "rule", "reason", "text"]
    herald = "repeated in 2 articles of example-herald"
    end = "after the end-of-article marker 'Leave a Reply' (line 14)"
    assert list(
        removed[["id", "line_start", "line_end", "rule", "reason"]].itertuples(
            index=False, name=None
        )
    ) == [
        ("h1", 1, 1, "repeated", herald),
        ("h1", 2, 2, "headline", "line repeats the headline"),
        ("h1", 10, 11, "repeated", herald),
        ("h2", 1, 1, "repeated", herald),
        ("h2", 7, 8, "repeated", herald),
        ("d1", 1, 1, "headline", "line repeats the headline"),
        ("d1", 2, 2, "byline", "byline or credit line"),
        ("d1", 10, 10, "donation", "donation appeal"),
        ("d1", 11, 11, "copyright", "copyright notice"),
        ("d1", 12, 12, "newsletter", "newsletter sign-up prompt"),
        ("d1", 14, 15, "comment_form", "comment form"),
        ("d1", 16, 16, "end_of_article", end),
        ("d1", 17, 21, "comment_form", "comment form"),
        ("d2", 1, 1, "headline", "line repeats the headline"),
        ("d2", 6, 6, "donation", "donation appeal"),
        ("d2", 7, 7, "copyright", "copyright notice"),
        ("d2", 8, 8, "newsletter", "newsletter sign-up prompt"),
    ]
    assert removed["text"].iloc[2] == HERALD_ABOUT


def test_clean_articles_keeps_index_and_does_not_mutate(invented: pd.DataFrame) -> None:
    articles = invented.set_axis([10, 20, 30, 40])
    before = articles.copy()
    cleaned, _ = clean_articles(articles)
    pd.testing.assert_frame_equal(articles, before)
    assert cleaned.index.tolist() == [10, 20, 30, 40]
    assert cleaned["id"].tolist() == ["h1", "h2", "d1", "d2"]


def test_removal_records_raw_text_lines_rule_and_reason() -> None:
    raw = (
        "Copyright © 2021\n"
        "\n"
        "Kerry meets Putin | Example Times\n"
        "Edited by: A. N.\n"
        "Kerry met Putin\u00a0in Moscow.\n"
        "Example Times\n"
        "No comments:\n"
        "Post a Comment\n"
        "Thanks, readers"
    )
    result = clean_text(raw, title="Kerry meets Putin", outlet_name="Example Times")
    assert result == CleanedText(
        "Kerry met Putin in Moscow.",
        (
            Removal(1, 1, "Copyright © 2021", "copyright", "copyright notice"),
            Removal(
                3, 3, "Kerry meets Putin | Example Times", "headline", "line repeats the headline"
            ),
            Removal(4, 4, "Edited by: A. N.", "byline", "byline or credit line"),
            Removal(6, 6, "Example Times", "outlet_name", "line is only the outlet's name"),
            Removal(7, 8, "No comments:\nPost a Comment", "comment_form", "comment form"),
            Removal(
                9,
                9,
                "Thanks, readers",
                "end_of_article",
                "after the end-of-article marker 'No comments:' (line 7)",
            ),
        ),
    )


def test_quotation_shared_by_two_outlets_is_kept_in_body_and_at_the_end() -> None:
    quote = '"We are not much closer to real cooperation," Peskov told reporters in Moscow.'
    articles = _frame(
        [
            ("a", "", "first-outlet", "", f"Kerry met Putin.\n\n{quote}\n\nTalks went on."),
            ("b", "", "second-outlet", "", f"Talks ended late.\n\n{quote}"),
        ]
    )
    cleaned, removed = clean_articles(articles)
    assert cleaned["text_clean"].tolist() == [
        f"Kerry met Putin.\n\n{quote}\n\nTalks went on.",
        f"Talks ended late.\n\n{quote}",
    ]
    assert removed.empty


def test_quotation_repeated_in_one_outlets_body_is_kept() -> None:
    quote = '"We are not much closer to real cooperation," Peskov told reporters in Moscow.'
    model = learn_boilerplate(
        [f"Kerry met Putin.\n{quote}\nTalks went on.", f"Talks ended.\n{quote}\nKerry left."],
        ["herald", "herald"],
    )
    result = clean_text(
        f"Kerry met Putin.\n{quote}\nTalks went on.", boilerplate=model, article_outlet="herald"
    )
    assert result.text == f"Kerry met Putin.\n\n{quote}\n\nTalks went on."
    assert result.removed == ()


def test_short_line_repeated_at_the_edges_is_removed_across_outlets() -> None:
    texts = ["Kerry met Putin.\nShare on Telegram", "Lavrov spoke.\nShare on Telegram"]
    model = learn_boilerplate(texts, ["a", "b"])
    result = clean_text("Talks failed.\n\nShare on Telegram", boilerplate=model, article_outlet="a")
    assert result.text == "Talks failed."
    assert result.removed == (
        Removal(3, 3, "Share on Telegram", "share", "share or follow prompt"),
    )
    tagline = clean_text(
        "Talks failed.\n\nBrought to you daily",
        boilerplate=learn_boilerplate(
            ["x\nBrought to you daily", "y\nBrought to you daily"], ["a", "b"]
        ),
        article_outlet="a",
    )
    assert tagline.removed == (
        Removal(3, 3, "Brought to you daily", "repeated", "repeated in 2 articles of 2 outlets"),
    )


def test_hard_line_breaks_are_joined_but_header_lines_are_not() -> None:
    raw = (
        "Talks Fail\n"
        "Kremlin points to deadlock\n"
        "Alexander Mercouris\n"
        "15 July, 2016\n"
        "We\n"
        "do not know the details. It seems he came to Moscow\n"
        "Kerry also let slip that a\n"
        "brief transcript of\n"
        "Putin's remarks exists.\n"
        "Instead we have a header\n"
        "Next line"
    )
    result = clean_text(raw, title="Talks Fail", authors=["Alexander Mercouris"])
    assert result.text == (
        "Kremlin points to deadlock\n\n"
        "We do not know the details. It seems he came to Moscow Kerry also let slip that a "
        "brief transcript of Putin's remarks exists.\n\n"
        "Instead we have a header\n\n"
        "Next line"
    )
    assert [(r.line_start, r.rule) for r in result.removed] == [
        (1, "headline"),
        (3, "byline"),
        (4, "dateline"),
    ]


def test_glued_sentences_are_spaced_without_breaking_abbreviations() -> None:
    raw = (
        "It was the Cold War.The NATO council met in 2014.”Officials agreed.\n"
        "It was worse.“Capitulating is no option,” he said.We know.\n"
        'The "deal is dead."Officials left. He said."No."\n'
        "The U.S. and e.g. euromaidanpress.com grew 1.5 percent during Covid-19."
    )
    assert normalize_characters(raw).split("\n") == [
        'It was the Cold War. The NATO council met in 2014." Officials agreed.',
        'It was worse. "Capitulating is no option," he said. We know.',
        'The "deal is dead." Officials left. He said. "No."',
        "The U.S. and e.g. euromaidanpress.com grew 1.5 percent during Covid-19.",
    ]


def test_characters_are_normalized_and_lines_kept() -> None:
    raw = "«Да»\u00a0—\u200b it’s  a\u2013b\u2011c…\r\n\r\n\t• Point\u2028end "
    assert normalize_characters(raw) == '"Да" — it\'s a—b-c...\n\nPoint\nend'


def test_clean_text_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="raw must be a str, not NoneType"):
        clean_text(None)  # type: ignore[arg-type]


def test_learn_boilerplate_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="got 2 texts but 1 outlets"):
        learn_boilerplate(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="min_articles must be at least 2, got 1"):
        learn_boilerplate(["a"], ["x"], min_articles=1)
    with pytest.raises(ValueError, match=r"min_share must be in \(0, 1\], got 1.5"):
        learn_boilerplate(["a"], ["x"], min_share=1.5)


def test_clean_articles_checks_columns_and_texts() -> None:
    with pytest.raises(ValueError, match="articles is missing column"):
        clean_articles(pd.DataFrame({"id": ["a"], "text": ["x"]}))
    with pytest.raises(ValueError, match="article 'a': text is float, not str"):
        clean_articles(pd.DataFrame({"id": ["a"], "outlet": ["o"], "text": [float("nan")]}))


def test_clean_articles_on_empty_frame() -> None:
    cleaned, removed = clean_articles(_frame([]))
    assert cleaned.empty
    assert list(cleaned.columns) == ["id", "text_clean"]
    assert list(removed.columns) == ["id", "line_start", "line_end", "rule", "reason", "text"]


FOOTER = "The Example Herald is read in forty countries"
BODY_LINE = "The ministry repeated that the talks would go on for as long as they had to."


_DAYS = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "May",
    "June",
]


def _herald(
    article_id: str, first: str, *, body_line: bool = True, outlet: str = "herald", footer=True
):
    """An article whose first and last lines are its own; herald articles end with the footer."""
    middle = f"\n\n{BODY_LINE}" if body_line else ""
    text = f"{first}{middle}\n\nThey left on {_DAYS[len(first) % 9]} {first.lower()}"
    if outlet == "herald" and footer:
        text += f"\n\n{FOOTER}"
    return (article_id, "", outlet, "", text)


def _cleaned_again(rows: list, state):
    """Cleaning with the kept state; asserts it equals cleaning from scratch."""
    kept: list = []
    cleaned, removed = clean_articles(_frame(rows), reuse=state, keep=kept.append)
    full = clean_articles(_frame(rows))
    pd.testing.assert_frame_equal(cleaned, full[0])
    pd.testing.assert_frame_equal(removed, full[1])
    return removed, kept[0]


@pytest.fixture
def cleaned_now(monkeypatch) -> list[str]:
    """The first line of each article cleaned from now on, in order."""
    from analysis.text import cleaning

    seen: list[str] = []
    original = cleaning._clean

    def counting(raw, article, **options):
        seen.append(raw.split("\n")[0])
        return original(raw, article, **options)

    monkeypatch.setattr(cleaning, "_clean", counting)
    return seen


def test_cleaning_again_with_the_kept_state_equals_cleaning_from_scratch(cleaned_now) -> None:
    rows = [_herald(f"h{i}", f"Kerry met Putin on {_DAYS[i]}.") for i in range(3)]
    rows.append(_herald("o1", "Lavrov spoke.", outlet="other", body_line=False))
    kept: list = []
    _, removed = clean_articles(_frame(rows), keep=kept.append)
    assert removed["reason"].tolist() == ["repeated in 3 articles of herald"] * 6
    assert removed["text"].tolist() == [BODY_LINE, FOOTER] * 3

    # An article of another outlet with no line in common: only it is cleaned.
    rows.append(_herald("o2", "Peskov spoke.", outlet="other", body_line=False))
    cleaned_now.clear()
    _, state = _cleaned_again(rows, kept[0])
    assert cleaned_now[0] == "Peskov spoke."
    assert len(cleaned_now) == 1 + len(rows)  # the check cleans every article from scratch

    # A fourth herald article: the footer's count (in every reason) changes,
    # so every herald article is cleaned again.
    cleaned_now.clear()
    rows.append(_herald("h3", f"Kerry met Putin on {_DAYS[3]}."))
    removed, state = _cleaned_again(rows, state)
    assert cleaned_now[:4] == [f"Kerry met Putin on {_DAYS[i]}." for i in range(4)]
    assert set(removed["reason"]) == {"repeated in 4 articles of herald"}

    # Herald articles with no line of the others: in 4 of 8 articles the body
    # line is in half of them and removed; in 4 of 9 it is kept. Only the
    # outlet's size changed, and the articles with that line are cleaned again.
    for i in range(4, 9):
        first = f"Kerry met Lavrov on {_DAYS[i]}."
        rows.append(_herald(f"h{i}", first, body_line=False, footer=False))
        cleaned_now.clear()
        removed, state = _cleaned_again(rows, state)
        assert cleaned_now[:5] == [*(f"Kerry met Putin on {_DAYS[k]}." for k in range(4)), first]
        assert (BODY_LINE in removed["text"].tolist()) == (i < 8)

    # Edited and deleted articles.
    rows[0] = _herald("h0", "Kerry met Putin again later.")
    del rows[1]
    cleaned_now.clear()
    _cleaned_again(rows, state)
    assert cleaned_now[0] == "Kerry met Putin again later."


def test_a_shared_line_a_line_rule_removes_does_not_clean_the_others_again(cleaned_now) -> None:
    # Each text starts with its headline; numbers blinded, every headline line
    # has one repeat key, shared by all articles, but the headline rule removes it.
    def report(i: int) -> tuple:
        return (f"r{i}", f"Report {i}", "wire", "", f"Report {i}\n\nKerry met {_DAYS[i]}.")

    rows = [report(i) for i in range(3)]
    kept: list = []
    clean_articles(_frame(rows), keep=kept.append)
    cleaned_now.clear()
    rows.append(report(3))
    removed, _ = _cleaned_again(rows, kept[0])
    assert cleaned_now[0:1] == ["Report 3"]
    assert len(cleaned_now) == 1 + len(rows)
    assert removed["rule"].tolist() == ["headline"] * 4
