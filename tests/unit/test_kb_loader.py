"""Loading a KB from Markdown folders and JSONL files, and reporting every problem in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_index.loader import KbProblem, bundled_kb_path, load_kb

FIXTURES = Path(__file__).parents[1] / "kb_fixtures"

# (file, line, part of the reason): one of each problem kind the loader knows.
BROKEN_FOLDER_PROBLEMS = [
    ("bad-language.md", 4, "unknown language code format 'english'"),
    ("bad-tags.md", 4, "tags must be a list of strings"),
    ("bad-yaml.md", 3, "bad YAML: mapping values are not allowed here"),
    ("dangling-translation.md", 5, "translation_of names no article: 'no-such-article'"),
    ("duplicate-id-1.md", 2, "id 'twice' is used again at {root}/duplicate-id-2.md:3"),
    ("duplicate-id-2.md", 3, "duplicate id 'twice': first used at {root}/duplicate-id-1.md:2"),
    ("empty-body.md", 5, "empty body"),
    ("id-not-string.md", 2, "id must be a string, not int"),
    ("missing-id.md", 1, "missing id"),
    ("missing-title.md", 1, "missing title"),
    ("no-front-matter.md", 1, "missing front matter"),
    ("not-utf8.md", 5, "not UTF-8 text (byte 0xe9 at column 4)"),
    ("title-not-string.md", 3, "title must be a string, not list"),
    ("unclosed-front-matter.md", 1, "front matter is never closed"),
    ("unreadable.md", 0, "cannot read the file"),
]


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    """The broken fixture folder plus what git and ruff cannot hold: Latin-1 text, a dead link."""
    root = tmp_path / "broken"
    shutil.copytree(FIXTURES / "broken", root)
    (root / "not-utf8.md").write_bytes(
        b"---\nid: not-utf8\ntitle: Latin-1\n---\nCaf\xe9 au lait.\n"
    )
    (root / "unreadable.md").symlink_to(tmp_path / "gone.md")
    return root


@pytest.fixture
def broken_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "broken.jsonl"
    latin1_line = b'{"id": "latin1", "title": "Caf\xe9", "body": "x"}\n'
    path.write_bytes((FIXTURES / "broken.jsonl").read_bytes() + latin1_line)
    return path


def test_a_good_folder_loads_every_article_without_problems() -> None:
    loaded = load_kb(FIXTURES / "good")

    assert loaded.ok
    assert sorted(a.id for a in loaded.articles) == [
        "account-locked",
        "account-locked-pt",
        "forgot-password",
        "forgot-password-fr",
        "mark-for-offline",
    ]


def test_a_folder_loads_in_sorted_path_order_every_time() -> None:
    first = [str(a.source) for a in load_kb(FIXTURES / "good").articles]

    assert first == sorted(first)
    assert first == [str(a.source) for a in load_kb(FIXTURES / "good").articles]


def test_front_matter_becomes_the_article_fields() -> None:
    articles = {a.id: a for a in load_kb(FIXTURES / "good").articles}
    french = articles["forgot-password-fr"]

    assert french.title == "Réinitialiser un mot de passe oublié"
    assert french.language == "fr"
    assert french.translation_of == "forgot-password"
    assert french.original_id == "forgot-password"
    assert french.aliases == ("mot de passe oublié", "lien de réinitialisation expiré")
    assert french.source == FIXTURES / "good" / "fr" / "forgot-password-fr.md"
    assert french.line == 1
    assert articles["forgot-password"].tags == (
        "password",
        "reset",
        "forgot",
        "login",
        "email link",
    )
    assert articles["forgot-password"].body.startswith("If you forgot your password")
    assert articles["mark-for-offline"].language == "en"  # the default


def test_every_problem_in_a_broken_folder_is_reported_with_path_and_line(
    broken_folder: Path,
) -> None:
    loaded = load_kb(broken_folder)

    found = [(p.path.name, p.line, p.reason) for p in loaded.problems]
    assert len(found) == len(BROKEN_FOLDER_PROBLEMS)
    for (name, line, reason), (want_name, want_line, want_reason) in zip(
        found, BROKEN_FOLDER_PROBLEMS, strict=True
    ):
        assert (name, line) == (want_name, want_line)
        assert want_reason.format(root=broken_folder) in reason
    assert all(p.path.parent == broken_folder for p in loaded.problems)


def test_articles_with_problems_are_left_out_and_the_rest_load(broken_folder: Path) -> None:
    assert [a.id for a in load_kb(broken_folder).articles] == ["valid"]


def test_a_problem_reads_as_path_colon_line_colon_reason() -> None:
    assert str(KbProblem(Path("kb/en/a.md"), 3, "empty body")) == "kb/en/a.md:3: empty body"
    assert str(KbProblem(Path("kb"), 0, "no such file or folder")) == "kb: no such file or folder"


def test_a_jsonl_file_loads_one_article_per_line_skipping_blank_lines() -> None:
    loaded = load_kb(FIXTURES / "good.jsonl")

    assert loaded.ok
    assert [(a.id, a.line) for a in loaded.articles] == [
        ("forgot-password", 1),
        ("forgot-password-es", 3),
        ("account-locked", 4),
    ]
    spanish = loaded.articles[1]
    assert (spanish.language, spanish.translation_of) == ("es", "forgot-password")
    assert loaded.articles[2].url == "https://example.org/locked"


def test_every_bad_jsonl_line_is_reported_and_the_good_ones_load(broken_jsonl: Path) -> None:
    loaded = load_kb(broken_jsonl)

    assert [(p.line, p.reason.split(":")[0]) for p in loaded.problems] == [
        (1, "id 'fine' is used again at " + str(broken_jsonl)),
        (2, "bad JSON"),
        (3, "missing title"),
        (4, "each line must be one JSON object"),
        (5, "duplicate id 'fine'"),
        (6, "body must be a string, not int"),
        (7, "empty body"),
        (8, "not UTF-8 text (byte 0xe9 at column 31); save the file as UTF-8"),
    ]
    assert loaded.articles == []


def test_a_missing_path_is_one_problem(tmp_path: Path) -> None:
    loaded = load_kb(tmp_path / "nowhere")

    assert [str(p) for p in loaded.problems] == [f"{tmp_path / 'nowhere'}: no such file or folder"]


def test_a_folder_without_articles_is_a_problem(tmp_path: Path) -> None:
    assert [p.reason for p in load_kb(tmp_path).problems] == [
        "no Markdown articles (*.md) in this folder"
    ]


def test_files_in_hidden_folders_are_not_articles(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good" / "en", tmp_path / "en")
    (tmp_path / ".trash").mkdir()
    (tmp_path / ".trash" / "old.md").write_text("not an article", encoding="utf-8")

    assert load_kb(tmp_path).ok


def test_a_translation_of_a_translation_is_refused(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good", tmp_path / "kb")
    chained = "---\nid: chained\ntitle: Chained\ntranslation_of: forgot-password-fr\n---\nBody.\n"
    (tmp_path / "kb" / "chained.md").write_text(chained, encoding="utf-8")

    (problem,) = load_kb(tmp_path / "kb").problems

    assert problem.line == 4
    assert "'forgot-password-fr' is itself a translation" in problem.reason


def test_the_bundled_kb_is_the_sample_kb_folder_of_the_package() -> None:
    path = bundled_kb_path()

    assert path.is_dir()
    assert path.parts[-2:] == ("kb_index", "sample_kb")
