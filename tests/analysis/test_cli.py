from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from tests.analysis.sentiment.handmade import write_datasets, write_rusentne
from tests.conftest import SHIPPED_CORPUS, last_line_of_python
from tests.scale_corpus import write_scale_corpus


def _analyze(out: Path, *extra: str) -> int:
    return main(["analyze", "--corpus", str(SHIPPED_CORPUS), "--out", str(out), *extra])


def test_analyze_writes_every_table_and_a_manifest(tmp_path: Path):
    out = tmp_path / "out"
    status = _analyze(out, "--compare", "euromaidan-press", "osw", "--kwic", "Assad", "--top", "20")
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "agenda.csv",
        "agenda_matrix.csv",
        "articles.csv",
        "contrast_pair.csv",
        "contrasts.csv",
        "evidence.csv",
        "frames.csv",
        "frames_by_group.csv",
        "kwic.csv",
        "manifest.json",
        "omissions.csv",
        "outcome.csv",
        "removed.csv",
        "sources.csv",
        "sources_by_group.csv",
        "stance.csv",
        "stance_by_group.csv",
    ]
    record = json.loads((out / "manifest.json").read_text())
    assert record["filters_in_words"] == "all articles"
    assert record["parameters"]["compare"] == ["euromaidan-press", "osw"]
    assert record["tables"]["articles"] == 5
    assert len(record["corpus_fingerprint"]) == 32
    kwic = pd.read_csv(out / "kwic.csv")
    assert set(kwic["term"]) == {"Assad"}
    assert kwic["sentence"].str.contains("Assad").all()


def test_analyze_is_byte_identical_on_a_rerun(tmp_path: Path):
    assert _analyze(tmp_path / "a", "--meeting", "2015-12-moscow", "--meeting", "none") == 0
    assert _analyze(tmp_path / "b", "--meeting", "2015-12-moscow", "--meeting", "none") == 0
    for csv in sorted((tmp_path / "a").glob("*.csv")):
        assert csv.read_bytes() == (tmp_path / "b" / csv.name).read_bytes(), csv.name


def test_analyze_filters_select_the_articles(tmp_path: Path):
    assert _analyze(tmp_path, "--year", "2015-2016", "--group-by", "outlet_group") == 0
    articles = pd.read_csv(tmp_path / "articles.csv")
    assert sorted(articles["year"]) == [2015, 2015, 2016]
    contrasts = pd.read_csv(tmp_path / "contrasts.csv")
    assert set(contrasts["group"]) == {"Ukrainian", "pro-Kremlin"}


def test_analyze_with_an_empty_selection_is_a_clear_error(tmp_path: Path, capsys):
    assert _analyze(tmp_path, "--outlet", "osw", "--meeting", "2015-05-sochi") == 2
    assert "no article matches the filters" in capsys.readouterr().err


def test_analyze_rejects_a_bad_year(tmp_path: Path):
    with pytest.raises(SystemExit, match=r"write a year \(2015\) or a range \(2015-2016\)"):
        _analyze(tmp_path, "--year", "last year")


def test_import_command_adds_and_reports(registry_corpus: Path, tmp_path: Path, capsys):
    source = tmp_path / "sochi.txt"
    source.write_text(
        "Kerry in Sochi\n\nJohn Kerry met Vladimir Putin in Sochi to discuss Ukraine "
        "and the Minsk agreements.\n",
        encoding="utf-8",
    )
    argv = ["import", str(source), "--corpus", str(registry_corpus), "--outlet", "osw", "--quiet"]
    assert main([*argv, "--dry-run"]) == 0
    assert list((registry_corpus / "articles").glob("*.md")) == []
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "inferred meetings = 2015-05-sochi" in out
    assert [p.name for p in (registry_corpus / "articles").glob("*.md")] == [
        "osw-undated-kerry-in-sochi.md"
    ]
    assert main(["validate", str(registry_corpus)]) == 0


def test_import_command_names_a_bad_row_and_adds_nothing(registry_corpus: Path, tmp_path, capsys):
    source = tmp_path / "rows.csv"
    source.write_text(
        "title,text,outlet,publish_date\n"
        "Good,Kerry met Putin in Moscow.,osw,2016-07-15\n"
        "Bad,Kerry met Putin.,osw,2016-02-31\n",
        encoding="utf-8",
    )
    assert main(["import", str(source), "--corpus", str(registry_corpus), "--quiet"]) == 1
    assert "rows.csv:3" in capsys.readouterr().out
    assert list((registry_corpus / "articles").glob("*.md")) == []


def test_every_label_in_analyze_output_has_evidence(tmp_path: Path):
    assert _analyze(tmp_path) == 0
    stance = pd.read_csv(tmp_path / "stance.csv")
    evidence = pd.read_csv(tmp_path / "evidence.csv")
    decided = stance[stance["label"].isin(["favorable", "unfavorable"])]
    backed = set(
        zip(
            evidence.loc[evidence["analysis"] == "stance", "article_id"],
            evidence.loc[evidence["analysis"] == "stance", "target"],
            strict=True,
        )
    )
    assert not decided.empty
    for row in decided.itertuples():
        assert (row.article_id, row.target) in backed
    outcome = pd.read_csv(tmp_path / "outcome.csv").set_index("article_id")["label"]
    assert outcome.filter(like="mcu-times").isna().all()
    assert outcome.filter(like="2015-12-19").tolist() == ["Russia gained"]


def test_evaluate_command_prints_the_frozen_report(capsys):
    assert main(["evaluate", "--corpus", str(SHIPPED_CORPUS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Evaluation on the frozen split")
    assert "majority" in out
    assert "sentiment" in out


@pytest.fixture(scope="module")
def handmade_models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A datasets folder of hand-written sentences, and models trained on it by the CLI."""
    root = tmp_path_factory.mktemp("sentiment")
    data = write_datasets(root / "datasets")
    assert main(["train", "--data", str(data), "--out", str(root / "models")]) == 0
    return data, root / "models"


def test_train_writes_both_models_and_a_manifest(handmade_models):
    models = handmade_models[1]
    assert sorted(p.name for p in models.iterdir()) == [
        "sentiment_en.npz",
        "sentiment_manifest.json",
        "sentiment_ru.npz",
    ]
    manifest = json.loads((models / "sentiment_manifest.json").read_text(encoding="utf-8"))
    english, russian = manifest["models"]["en"], manifest["models"]["ru"]
    assert sorted(english["data_files"]) == [
        "newsmtsc/mt-dev.jsonl",
        "newsmtsc/mt-test.jsonl",
        "newsmtsc/rw-dev.jsonl",
        "newsmtsc/rw-test.jsonl",
        "newsmtsc/rw-train.jsonl",
    ]
    assert english["train_examples"] == 108
    assert english["scores"]["rw-test"]["macro_f1"] == 1.0
    assert sorted(russian["scores"]) == ["train-holdout (choice)", "validation_labeled"]
    assert russian["chosen_on_choice_data"]["pn_bias"] in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4)
    assert russian["params"]["stem"] is True


def test_evaluate_benchmark_prints_one_json_object_per_test_split(handmade_models, capsys):
    data, models = handmade_models
    capsys.readouterr()
    argv = ["evaluate", "--benchmark", "newsmtsc", "--data", str(data), "--json"]
    assert main([*argv, "--model", str(models / "sentiment_en.npz")]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["benchmark"], r["split"]) for r in records] == [
        ("newsmtsc", "rw-test"),
        ("newsmtsc", "mt-test"),
    ]
    assert records[0]["macro_f1"] == 1.0
    assert records[0]["n"] == 108
    assert {"f1_pn", "baseline_macro_f1", "baseline_f1_pn", "macro_f1_difference"} <= set(
        records[0]
    )


def test_evaluate_benchmark_prints_the_model_beside_the_baseline(handmade_models, capsys):
    data, models = handmade_models
    capsys.readouterr()
    argv = ["evaluate", "--benchmark", "rusentne", "--data", str(data)]
    assert main([*argv, "--model", str(models / "sentiment_ru.npz")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rusentne (ru): model ")
    assert [line.split()[:2] for line in lines[2:4]] == [
        ["validation_labeled", "model"],
        ["validation_labeled", "baseline"],
    ]
    assert lines[4].split()[0] == "model-bl"


def test_evaluate_benchmark_with_a_missing_column_names_it(handmade_models, tmp_path: Path, capsys):
    data = write_datasets(tmp_path / "datasets")
    write_rusentne(data / "rusentne2023" / "train.tsv", [], drop="label")
    model = handmade_models[1] / "sentiment_ru.npz"
    argv = ["evaluate", "--benchmark", "rusentne", "--data", str(data), "--model", str(model)]
    assert main(argv) == 2
    assert "train.tsv: no column 'label'" in capsys.readouterr().err


def test_evaluate_benchmark_with_a_corrupt_model_says_what_to_run(tmp_path: Path, capsys):
    data = write_datasets(tmp_path / "datasets")
    model = tmp_path / "broken.npz"
    model.write_bytes(b"not a model")
    argv = ["evaluate", "--benchmark", "newsmtsc", "--data", str(data), "--model", str(model)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "broken.npz: not a readable sentiment model file" in err
    assert "narratives train --data DATASETS_DIR" in err


def test_evaluate_options_of_the_benchmark_need_it(capsys):
    assert main(["evaluate", "--corpus", str(SHIPPED_CORPUS), "--json"]) == 2
    assert "go with --benchmark" in capsys.readouterr().err
    assert main(["evaluate", "--benchmark", "newsmtsc"]) == 2
    assert "--benchmark needs --data" in capsys.readouterr().err


def _write_tiny_devset(folder: Path) -> tuple[Path, Path]:
    rows = [
        {
            "url": "https://example.org/sochi",
            "language": "ru",
            "published": "2015-05-12",
            "title": "Керри у Путина",
            "text": "Госсекретарь Керри прилетел в Сочи к Путину.",
        },
        {
            "url": "https://example.org/geneva",
            "language": "en",
            "published": "2016-09-10",
            "title": "Kerry and Lavrov agree",
            "text": "Kerry and Lavrov agreed on a plan in Geneva.",
        },
        {
            "url": "https://example.org/moscow",
            "language": "fr",
            "published": "2016-07",
            "title": None,
            "text": "Poutine a reçu Kerry au Kremlin pour parler d'al-Nosra.",
        },
        {"url": "https://example.org/gone", "language": "en", "published": "2016", "text": None},
        {
            "url": "https://example.org/undated",
            "language": "de",
            "text": "Putin empfing Kerry im Kreml.",
        },
    ]
    articles = folder / "articles.jsonl"
    articles.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    labels = folder / "labels.jsonl"
    meetings = ["M2", "NONE", "M5", "M1", "M4"]
    labels.write_text(
        "".join(
            json.dumps({"url": r["url"], "meeting": m}) + "\n"
            for r, m in zip(rows, meetings, strict=True)
        ),
        encoding="utf-8",
    )
    return articles, labels


def test_evaluate_meetings_prints_accuracy_languages_confusion_and_misses(tmp_path: Path, capsys):
    articles, labels = _write_tiny_devset(tmp_path)
    argv = ["evaluate", "--corpus", str(SHIPPED_CORPUS), "--meetings", "--devset", str(articles)]
    assert main([*argv, "--labels", str(labels), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["articles"] == 4
    assert record["without_text"] == 1
    assert record["accuracy"] == 0.75
    assert record["by_language"] == {
        "de": {"articles": 1, "correct": 0, "accuracy": 0.0, "targets_named": 1},
        "en": {"articles": 1, "correct": 1, "accuracy": 1.0, "targets_named": 1},
        "fr": {"articles": 1, "correct": 1, "accuracy": 1.0, "targets_named": 1},
        "ru": {"articles": 1, "correct": 1, "accuracy": 1.0, "targets_named": 1},
    }
    assert record["confusion"]["2016-03-moscow"]["undetermined"] == 1
    assert record["confusion"]["none"]["none"] == 1
    assert record["confusion"]["2015-05-sochi"]["2015-05-sochi"] == 1
    assert record["misses"] == [
        {
            "line": 5,
            "url": "https://example.org/undated",
            "language": "de",
            "expected": "2016-03-moscow",
            "got": "undetermined",
            "why": "names kerry and putin; undated; 2013-05-moscow and 2015-12-moscow are "
            "close: similarity 0.81 (Kreml) against 0.81 (Kreml): set meetings by hand",
        }
    ]
    assert main([*argv, "--labels", str(labels)]) == 0
    lines = capsys.readouterr().out.rstrip("\n").splitlines()
    assert lines[:2] == [
        "Meeting assignment on 4 articles (1 rows without text left out)",
        "accuracy 0.750 (3/4)",
    ]
    assert lines[-1].startswith("  line 5 [de] expected 2016-03-moscow, got undetermined: ")


def test_evaluate_meetings_refuses_an_unknown_label(tmp_path: Path, capsys):
    articles, labels = _write_tiny_devset(tmp_path)
    labels.write_text(labels.read_text(encoding="utf-8").replace('"M2"', '"M9"'), encoding="utf-8")
    argv = ["evaluate", "--corpus", str(SHIPPED_CORPUS), "--meetings", "--devset", str(articles)]
    assert main([*argv, "--labels", str(labels)]) == 2
    assert "line 1: meeting 'M9' is neither a key of meetings.yaml" in capsys.readouterr().err


def test_analyze_compares_a_pair_with_its_own_prior(tmp_path: Path):
    pair = ("--compare", "euromaidan-press", "osw")
    assert _analyze(tmp_path / "pair", *pair, "--prior-from", "pair") == 0
    assert _analyze(tmp_path / "all", *pair) == 0
    own = pd.read_csv(tmp_path / "pair" / "contrast_pair.csv").set_index("term")
    shared = pd.read_csv(tmp_path / "all" / "contrast_pair.csv").set_index("term")
    record = json.loads((tmp_path / "pair" / "manifest.json").read_text())
    assert record["parameters"]["prior"] == "pair"
    assert (own["count_group"] == shared.loc[own.index, "count_group"]).all()
    assert not own["z"].equals(shared.loc[own.index, "z"])
    # Only the pair's articles decide: the same contrast without the other outlets.
    alone = tmp_path / "alone"
    two = ("--outlet", "euromaidan-press", "--outlet", "osw")
    assert _analyze(alone, *pair, *two, "--prior-from", "pair") == 0
    pd.testing.assert_series_equal(
        pd.read_csv(alone / "contrast_pair.csv").set_index("term")["z"], own["z"]
    )


def test_analyze_writes_the_blind_spots_of_each_group_on_request(tmp_path: Path):
    corpus = write_scale_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    status = main(
        ["analyze", "--corpus", str(corpus), "--out", str(out), "--group-by", "outlet_group",
         "--blind-spots"]
    )  # fmt: skip
    assert status == 0
    rows = pd.read_csv(out / "blind_spots.csv", keep_default_na=False)
    meetings = rows[rows["kind"] == "meeting"]
    # Only the think tank wrote on Moscow; it alone left Sochi out.
    assert meetings[
        ["meeting", "outlet_group", "covered_by", "articles_covering"]
    ].values.tolist() == [
        ["2015-05-sochi", "think tank", "Ukrainian; pro-Kremlin; unassigned", 13],
        ["2015-12-moscow", "Ukrainian", "think tank", 1],
        ["2015-12-moscow", "pro-Kremlin", "think tank", 1],
        ["2015-12-moscow", "unassigned", "think tank", 1],
    ]
    subjects = rows[rows["kind"] == "subject"]
    assert len(subjects) == 10
    assert subjects.iloc[0][["subject", "outlet_group", "n_articles"]].tolist() == [
        "iran", "Ukrainian", 5,
    ]  # fmt: skip
    assert json.loads((out / "manifest.json").read_text())["parameters"]["blind_spots"] is True
    # Without the option, neither the file nor the parameter.
    assert _analyze(tmp_path / "plain") == 0
    assert not (tmp_path / "plain" / "blind_spots.csv").exists()
    assert (
        "blind_spots"
        not in json.loads((tmp_path / "plain" / "manifest.json").read_text())["parameters"]
    )


def test_analyze_grouped_by_meeting_has_no_omissions(tmp_path: Path):
    assert _analyze(tmp_path, "--group-by", "meeting") == 0
    assert (tmp_path / "omissions.csv").read_text(encoding="utf-8").splitlines() == [
        "meeting,subject,subject_name,n_articles,covered_by,articles_covering"
    ]
    assert set(pd.read_csv(tmp_path / "contrasts.csv")["group"]) >= {"2015-05-sochi", "none"}


_ANALYZE_ALONE = """
import sys
from analysis.cli import main
code = main(["analyze", "--corpus", sys.argv[1], "--out", sys.argv[2]])
print(code, sorted(name for name in ("sklearn", "scipy.stats") if name in sys.modules))
"""


def test_analyze_labels_with_the_committed_models_without_loading_scikit_learn(tmp_path):
    # Importing scikit-learn (and SciPy's statistics with it) takes longer than
    # analysing one added article; only training and evaluation need it.
    last = last_line_of_python(
        _ANALYZE_ALONE, str(SHIPPED_CORPUS), str(tmp_path / "out"), cache=tmp_path / "cache"
    )
    assert last == "0 []"
    assert (tmp_path / "out" / "stance.csv").is_file()
