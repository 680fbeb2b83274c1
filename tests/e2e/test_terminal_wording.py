"""The terminal chat's own words (help, hints, refusals) follow the chat's language."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.terminal import chat

NBSP = "\u00a0"


def test_the_chats_own_words_switch_language_with_the_language_command(tmp_path: Path) -> None:
    out = chat(tmp_path, "/frobnicate", "/language fr", "/frobnicate", "/claim", "/as nobody")
    before, _, after = out.partition("Désormais")
    assert "supportbot terminal chat." in before
    assert "Unknown command /frobnicate." in before
    assert f"Commande inconnue{NBSP}: /frobnicate." in after
    assert f"Veuillez indiquer une référence, par exemple{NBSP}: /claim SR-1" in after
    assert f"Choisissez parmi{NBSP}: /as user" in after
    assert after.rstrip().endswith("Au revoir.")


def test_the_suggestion_hint_is_in_the_language_given_on_the_command_line(tmp_path: Path) -> None:
    out = chat(tmp_path, "I forgot my password", "9", args=("--language", "es"))
    assert "Chat de supportbot en la terminal." in out
    assert "y pulse Intro si ese artículo lo resolvió" in out
    assert "Escriba un número del 0 al" in out


def test_arabic_help_keeps_the_commands_as_they_are_typed(tmp_path: Path) -> None:
    out = chat(tmp_path, "/help", args=("--language", "ar"))
    assert "محادثة supportbot في الطرفية." in out
    assert "/claim REF" in out
    assert out.rstrip().endswith("مع السلامة.")
