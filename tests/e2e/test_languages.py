"""A whole support conversation in each of the five languages, through `supportbot chat`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.terminal import chat as terminal_chat

REF = re.compile(r"\b(SR-[0-9]+)\b")

ARTICLES = [
    ("en", "Reset a forgotten password", ["I forgot my password"]),
    ("fr", "Réinitialiser un mot de passe oublié", ["J'ai oublié mon mot de passe"]),
    ("es", "Restablecer una contraseña olvidada", ["Olvidé mi contraseña"]),
    ("pt", "Redefinir uma senha esquecida", ["Esqueci a minha senha"]),
    ("ar", "إعادة تعيين كلمة مرور منسية", ["نسيت كلمة المرور"]),
]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    path = tmp_path / "kb.jsonl"
    rows = []
    for language, title, aliases in ARTICLES:
        row = {
            "id": "forgot-password" if language == "en" else f"forgot-password-{language}",
            "title": title,
            "aliases": aliases,
            "language": language,
            "body": title,
        }
        if language != "en":
            row["translation_of"] = "forgot-password"
        rows.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def chat(tmp_path: Path, kb: Path, *lines: str, args: tuple[str, ...] = (), **env: str) -> str:
    return terminal_chat(tmp_path, *lines, args=args, env={"SUPPORTBOT_KB_PATH": str(kb), **env})


CONVERSATIONS = {
    "en": {
        "question": "I forgot my password",
        "suggested": "These articles may help with your question:",
        "logged": "I have logged your question for the support team as {ref}.",
        "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        "resolved": "[to the field user] Your request {ref} is resolved. Note from the support team:",
        "status": "You have no open requests.",
    },
    "fr": {
        "question": "j'ai oublié mon mot de passe",
        "suggested": "Ces articles pourraient répondre à votre question\u00a0:",
        "logged": "J’ai transmis votre question à l’équipe d’assistance sous la référence {ref}.",
        "weekdays": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        "resolved": "[to the field user] Votre demande {ref} est résolue. Note de l’équipe",
        "status": "Vous n’avez aucune demande en cours.",
    },
    "es": {
        "question": "olvidé mi contraseña",
        "suggested": "Estos artículos pueden ayudarle con su pregunta:",
        "logged": "He registrado su pregunta para el equipo de soporte con la referencia {ref}.",
        "weekdays": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        "resolved": "[to the field user] Su solicitud {ref} está resuelta. Nota del equipo",
        "status": "No tiene solicitudes abiertas.",
    },
    "pt": {
        "question": "esqueci a minha senha",
        "suggested": "Estes artigos podem ajudar com a sua pergunta:",
        "logged": "Registei a sua pergunta para a equipa de suporte com a referência {ref}.",
        "weekdays": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira"),
        "resolved": "[to the field user] O seu pedido {ref} está resolvido. Nota da equipa",
        "status": "Não tem pedidos em aberto.",
    },
    "ar": {
        "question": "نسيت كلمة المرور",
        "suggested": "قد تساعدك هذه المقالات في الإجابة عن سؤالك:",
        "logged": "سجّلتُ سؤالك لفريق الدعم برقم المرجع {ref}.",
        "weekdays": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
        "resolved": "[to the field user] تم حل طلبك {ref}. ملاحظة من فريق الدعم",
        "status": "ليس لديك طلبات مفتوحة.",
    },
}
TITLES = {language: title for language, title, _ in ARTICLES}
LANGUAGE_LINES = {
    "en": "Language: English (en)",
    "fr": "Language: French (fr)",
    "es": "Language: Spanish (es)",
    "pt": "Language: Portuguese (pt)",
    "ar": "Language: Arabic (ar)",
}


@pytest.mark.parametrize("language", CONVERSATIONS)
def test_a_question_typed_in_a_language_is_answered_in_it_from_question_to_resolution(
    tmp_path: Path, kb: Path, language: str
) -> None:
    said = CONVERSATIONS[language]
    first = chat(tmp_path, kb, str(said["question"]), "0")
    assert said["suggested"] in first
    assert TITLES[language] in first
    (ref,) = set(REF.findall(first))
    assert str(said["logged"]).format(ref=ref) in first
    logged_line = next(line for line in first.splitlines() if ref in line and "bot>" in line)
    assert any(day in logged_line for day in said["weekdays"]), logged_line
    assert f"[ping to L1 channel] New support request {ref}" in first
    assert LANGUAGE_LINES[language] in first

    out = chat(
        tmp_path,
        kb,
        "/as l1",
        f"/resolve {ref} Done",
        "/as user",
        f"/language {language}",
        "/status",
    )
    assert str(said["resolved"]).format(ref=ref) in out
    assert f"{ref} is resolved; the requester has been told." in out
    assert said["status"] in out


def test_a_language_chosen_in_the_chat_wins_over_the_language_of_the_question(
    tmp_path: Path, kb: Path
) -> None:
    out = chat(tmp_path, kb, "/language es", "I forgot my password")
    assert "A partir de ahora le responderé en español." in out
    assert CONVERSATIONS["es"]["suggested"] in out
    assert TITLES["es"] in out


def test_the_language_option_wins_over_the_language_of_the_question(
    tmp_path: Path, kb: Path
) -> None:
    out = chat(tmp_path, kb, "I forgot my password", args=("--language", "pt"))
    assert CONVERSATIONS["pt"]["suggested"] in out


def test_an_unknown_language_is_refused_with_the_choices(tmp_path: Path, kb: Path) -> None:
    out = chat(tmp_path, kb, "/language klingon", "/language")
    assert "Sorry, I do not speak klingon yet. Choose one of: en, fr, es, pt, ar." in out
    assert "Choose a language, for example: /language fr" in out


def test_pings_follow_the_staff_language_setting_and_name_the_requesters_language(
    tmp_path: Path, kb: Path
) -> None:
    out = chat(tmp_path, kb, "نسيت كلمة المرور", "0", SUPPORTBOT_STAFF_LANGUAGE="fr")
    (ref,) = set(REF.findall(out))
    assert f"[ping to L1 channel] Nouvelle demande d’assistance {ref}" in out
    assert "Langue: arabe (ar)" in out
    assert CONVERSATIONS["ar"]["suggested"] in out
