"""The word vectors behind the re-ranker's "meaning" feature (kb_index/meaning.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from kb_index import meaning
from kb_index.articles import Article
from kb_index.loader import bundled_kb_path, load_kb
from kb_index.meaning import (
    ANSWER_OPENING,
    CHUNK,
    MeaningModelMissingError,
    Meanings,
    bundled_meanings,
)
from kb_index.rerank import FEATURES
from kb_index.search import SearchIndex


@pytest.fixture(scope="module")
def meanings() -> Meanings:
    return bundled_meanings()


@pytest.mark.parametrize(
    ("question", "alike", "unrelated"),
    [
        ("I forgot my password", "reset a lost login password", "add a photo to a case"),
        ("the app is very slow", "Primero is slow to load pages", "transfer a case to a worker"),
        ("my phone cannot connect to the internet", "network problems", "how to bake bread"),
        (
            "je ne peux pas me connecter",
            "problème de connexion au compte",
            "imprimer un formulaire",
        ),
    ],
)
def test_a_paraphrase_is_nearer_in_meaning_than_an_unrelated_phrase(
    meanings: Meanings, question: str, alike: str, unrelated: str
) -> None:
    asked = meanings.of_question(question)
    near, far = meanings.of_phrases([alike, unrelated]).cosines([0, 1], asked)

    assert near > far + 0.1


def test_a_phrase_is_most_like_itself_and_a_phrase_without_tokens_like_nothing(
    meanings: Meanings,
) -> None:
    phrases = ["How do I close a case?", "", "مرحبا"]
    stored = meanings.of_phrases(phrases)

    for position, phrase in enumerate(phrases):
        alike = stored.cosines(range(len(phrases)), meanings.of_question(phrase))
        if phrase:
            assert alike[position] == pytest.approx(1.0, abs=4e-3)
            assert alike.argmax() == position
        else:
            assert alike.tolist() == [0.0, 0.0, 0.0]


def test_a_question_gets_the_vector_its_phrase_gets_in_a_batch(meanings: Meanings) -> None:
    topics = ("password reset", "photo upload", "case transfer", "offline sync", "language")
    phrases = [f"{topics[n % len(topics)]} question {n}" for n in range(CHUNK + 300)]

    batch = meanings.of_phrases(phrases)

    for position in (0, CHUNK - 1, CHUNK, len(phrases) - 1):  # either side of a chunk's edge
        rows = [r for r in (position - 1, position, position + 1) if 0 <= r < len(phrases)]
        alone = meanings.of_question(phrases[position])
        direct = [float(meanings.of_question(phrases[r]) @ alone) for r in rows]
        assert batch.cosines(rows, alone).tolist() == pytest.approx(direct, abs=4e-3)


def test_search_scores_each_candidate_by_the_cosine_with_its_title(meanings: Meanings) -> None:
    kb = load_kb(bundled_kb_path())
    index = SearchIndex.build(kb.articles, synonyms=kb.synonyms)
    question = "my tablet will not sync the cases I entered in the field"

    candidates = index.candidates(question)

    assert candidates
    asked = meanings.of_question(question)
    titles = meanings.of_phrases([kb.articles[c.position].title for c in candidates])
    expected = np.clip(titles.cosines(range(len(candidates)), asked), 0.0, 1.0)
    column = FEATURES.index("meaning")
    assert [c.features[column] for c in candidates] == pytest.approx(expected.tolist(), abs=1e-6)
    answers = meanings.of_phrases(
        [kb.articles[c.position].body[:ANSWER_OPENING] for c in candidates]
    )
    expected = np.clip(answers.cosines(range(len(candidates)), asked), 0.0, 1.0)
    column = FEATURES.index("answer_meaning")
    assert [c.features[column] for c in candidates] == pytest.approx(expected.tolist(), abs=1e-6)


def test_an_article_without_a_body_is_compared_by_its_title_twice(meanings: Meanings) -> None:
    titles_only = [
        Article(id="sync", title="Records do not sync from the tablet", body=""),
        Article(id="photo", title="Add a photo to a case", body=""),
    ]
    index = SearchIndex.build(titles_only)

    (candidate,) = [c for c in index.candidates("tablet sync problem") if c.position == 0]

    title, answer = FEATURES.index("meaning"), FEATURES.index("answer_meaning")
    assert candidate.features[title] > 0.2
    assert candidate.features[answer] == candidate.features[title]


def test_loading_the_vectors_leaves_the_logging_of_the_bot_alone() -> None:
    # wordllama's own package configures the root logger when imported; the bot reads its files.
    script = (
        "import logging, sys\n"
        "from kb_index.meaning import bundled_meanings\n"
        "bundled_meanings().of_question('hello')\n"
        "print('wordllama' in sys.modules, len(logging.getLogger().handlers))\n"
    )

    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout

    assert printed.split() == ["False", "0"]


def test_missing_vectors_are_reported_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meaning, "_bundled", None)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)

    with pytest.raises(MeaningModelMissingError, match="reinstall supportbot"):
        bundled_meanings()


def test_vectors_other_than_the_fitted_ones_are_refused(tmp_path: Path) -> None:
    # The re-ranker's weights were fitted with one set of vectors; others would skew every score.
    other = tmp_path / "other.safetensors"
    save_file({"embedding.weight": np.ones((10, 256), np.float16)}, str(other))
    folder = meaning._wordllama_folder()

    with pytest.raises(MeaningModelMissingError, match="not the ones article search was fitted"):
        Meanings.from_files(other, folder / meaning.TOKENIZER)


def test_phrases_get_the_tokens_of_the_whole_phrase_though_words_are_tokenized_once(
    meanings: Meanings,
) -> None:
    kb = load_kb(bundled_kb_path())
    phrases = [text for article in kb.articles for text in (article.title, *article.aliases)]
    phrases += ["", " ", "two  spaces", " leading", "trailing ", "three   spaces", "tab\there"]
    phrases += ["line\nbreak", "emoji 😀 here", "إغلاق حالة", "fermer un cas", "COVID-19?"]

    by_word = meanings._token_ids(phrases, {})

    assert by_word == [meanings.token_ids(phrase) for phrase in phrases]
