"""Question similarity for incidents: paraphrases and typos of one problem are alike; one shared
word, or a short question inside a long one, is not."""

from __future__ import annotations

import pytest

from kb_index.similarity import StemOverlapSimilarity

THRESHOLD = 70.0  # the default of SUPPORTBOT_INCIDENT__THRESHOLD


def score(a: str, b: str, language: str | None = "en") -> float:
    return StemOverlapSimilarity().similarity(a, b, language=language)


@pytest.mark.parametrize(
    ("a", "b", "language"),
    [
        (
            "Cases do not sync when offline on the tablet",
            "Offline cases are not syncing on my tablet",
            "en",
        ),
        (
            "Export of cases to Excel fails with an error",
            "Case export to Excel fails with an error message",
            "en",
        ),
        ("cannot sync cases offline", "cannot synch casses ofline", "en"),
        (
            "Je n'arrive pas à exporter les dossiers vers Excel",
            "Impossible d'exporter les dossiers vers Excel",
            "fr",
        ),
        (
            "La sincronización de casos falla sin conexión",
            "Falla la sincronizacion de los casos sin conexion",
            "es",
        ),
        ("Export of cases to Excel fails", "Export of cases to Excel fails", None),
    ],
)
def test_paraphrases_and_typos_of_one_problem_are_alike(a: str, b: str, language: str) -> None:
    assert score(a, b, language) >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("password", "I forgot my password and cannot log in to Primero on the tablet"),
        ("The export to Excel fails", "The printer next to the export desk is broken"),
        ("Cases do not sync offline", "How do I reset the password of a social worker"),
    ],
)
def test_one_shared_word_or_a_subset_is_not_alike(a: str, b: str) -> None:
    assert score(a, b) < THRESHOLD


def test_the_score_is_symmetric_and_empty_text_scores_zero() -> None:
    a, b = "Offline sync fails on the tablet", "The tablet fails to sync"
    assert score(a, b) == score(b, a)
    assert score("", b) == 0.0
    assert score("the of and", b) < THRESHOLD
