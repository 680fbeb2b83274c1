"""A KB's synonyms file: its format, its problems, and what it changes in a search."""

from __future__ import annotations

from pathlib import Path

from kb_index.articles import Article
from kb_index.loader import load_kb
from kb_index.search import SearchIndex
from kb_index.synonyms import Synonyms, read_synonyms, synonyms_path
from kb_index.text import words

ARTICLE = """---
id: {id}
title: {title}
---
{body}
"""


def write_kb(folder: Path, synonyms: str | None = None) -> Path:
    folder.mkdir()
    articles = {
        "change-language": ("Change the interface language", "Open your account menu."),
        "export-records": ("Export records", "Choose the format of the export."),
    }
    for article_id, (title, body) in articles.items():
        text = ARTICLE.format(id=article_id, title=title, body=body)
        (folder / f"{article_id}.md").write_text(text, encoding="utf-8")
    if synonyms is not None:
        (folder / "synonyms.txt").write_text(synonyms, encoding="utf-8")
    return folder


def test_a_synonyms_file_is_read_group_by_group(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", "# comment\nlanguage, idioma, langue  # inline comment\n\n")

    synonyms, problems = read_synonyms(kb)

    assert problems == []
    assert synonyms.groups == ((("language",), ("idioma",), ("langue",)),)


def test_a_line_with_a_single_phrase_is_a_problem_with_its_line(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", "password, senha\nlonely\n")

    loaded = load_kb(kb)

    assert [str(p) for p in loaded.problems] == [
        f"{kb}/synonyms.txt:2: a synonym line needs two or more words or phrases, "
        "separated by commas"
    ]
    assert len(loaded.articles) == 2
    assert loaded.synonyms.groups == ((("password",), ("senha",)),)


def test_a_jsonl_kb_keeps_its_synonyms_beside_it(tmp_path: Path) -> None:
    assert synonyms_path(tmp_path / "help.jsonl") == tmp_path / "help.synonyms.txt"
    assert synonyms_path(tmp_path) == tmp_path / "synonyms.txt"


def test_a_kb_without_a_synonyms_file_has_none(tmp_path: Path) -> None:
    assert read_synonyms(write_kb(tmp_path / "kb")) == (Synonyms(), [])


def test_phrases_are_found_word_for_word_in_a_question() -> None:
    synonyms = Synonyms(((("mot", "de", "passe"), ("password",)),))

    assert synonyms.alternatives(words("Mot de passe oublié")) == [
        (("mot", "de", "passe"), ("password",))
    ]
    assert synonyms.alternatives(words("mot passe")) == []


def test_a_question_finds_an_article_through_a_synonym(tmp_path: Path) -> None:
    loaded = load_kb(write_kb(tmp_path / "kb", "language, idioma, langue\n"))
    plain = SearchIndex.build(loaded.articles)
    with_synonyms = SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)

    assert plain.search("cambiar el idioma", language="es") == []
    (hit,) = with_synonyms.search("cambiar el idioma", language="es")
    assert hit.article.id == "change-language"


def test_a_group_of_many_synonyms_counts_as_one_word() -> None:
    article = Article(id="a", title="Export records", body="How to export.")
    many = Synonyms(((("export",), ("exporter",), ("exportar",), ("tasdir",), ("extract",)),))
    question = "export all my records quickly"  # not the title: no exact-match 100

    alone = SearchIndex.build([article]).search(question)[0].score
    grouped = SearchIndex.build([article], synonyms=many).search(question)[0].score

    assert grouped == alone


def test_a_misspelt_synonym_still_finds_the_article(tmp_path: Path) -> None:
    loaded = load_kb(write_kb(tmp_path / "kb", "language, idioma, langue\n"))
    index = SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)

    (hit,) = index.search("cambiar el idiomma", language="es")
    assert hit.article.id == "change-language"
    assert index.search("cambiar el xidiomma", language="es") == []  # two edits: no guess
