"""What a developer needs to reproduce a request, read from the requester's (masked) words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The guard's placeholders ("[phone]", "[case id]") are not what the requester said: a masked
# phone number must not read as "uses a phone".
_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,30}\]")

_VERSION = re.compile(
    r"(?<![\w.+-])(?P<v>[vV]\s?)?"
    r"(?P<num>\d{1,2}\.\d{1,2}(?P<patch>\.\d{1,3})?(?P<pre>-(?:rc|beta|alpha)\.?\d*)?)"
    r"(?![\w+]|[.,]\d)",
)
# A bare "2.11" is only a version next to a word that says so; "v2.11" or "2.15.2" are always.
_VERSION_CUE = re.compile(
    r"(?:version|versão|versao|versión|primero|release|upgrade|mise à jour|actualiza|atualiza"
    r"|إصدار|الإصدار|اصدار|الاصدار|النسخة|نسخة)\W{0,3}(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)


def _words(*patterns: str) -> re.Pattern[str]:
    """One pattern matching any of the phrases as whole words (Arabic included)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)


_MODULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CPIMS+", _words(r"cpims\+?", "cp", "حماية الطفل", "protection de l'enfance")),
    ("GBVIMS+", _words(r"gbvims\+?", "gbv", "vbg", "العنف القائم على النوع")),
    ("MRM", _words("mrm")),
)

_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Most specific first: "CP Administrator" before any "administrator", "case manager"
    # (a supervisor in CPIMS+) before "case worker".
    ("CP Administrator", _words(r"cp\s?admin(?:istrator)?", r"administrateur\s+cp")),
    (
        "System Administrator",
        _words(
            r"sys(?:tem)?\s?admin(?:istrator)?",
            r"administrat(?:eur|rice)\s+(?:du\s+)?système",
            r"administrador(?:a)?\s+(?:del?|do)\s+sistema",
            "مسؤول النظام",
            "مدير النظام",
        ),
    ),
    (
        "Superuser",
        _words(r"super\s?-?user", "superutilisateur", r"super\s?usuario", "superutilizador"),
    ),
    (
        "Social Worker",
        _words(
            r"social\s+worker",
            r"travailleu(?:r|se)s?\s+socia(?:l|le|ux)",
            r"assistant(?:e)?\s+socia(?:l|le)",
            r"trabajador(?:a)?\s+social",
            r"assistente\s+social",
            r"técnic[oa]\s+social",
            r"(?:ال)?[أا]خصائي(?:ة)?\s+(?:ال)?اجتماعي(?:ة)?",
        ),
    ),
    (
        "Manager",
        _words(
            r"(?:cp\s+|gbv\s+|case\s+)?manager",
            r"supervis(?:or|eur|euse|ora)",
            "gerente",
            r"responsable\s+de\s+cas",
            r"(?:ال)?مشرف(?:ة)?",
        ),
    ),
    (
        "Case Worker",
        _words(
            r"(?:cp\s+|gbv\s+)?case\s?worker",
            r"gestionnaire\s+de\s+cas",
            r"agent(?:e)?\s+de\s+(?:gestion\s+de\s+)?cas",
            r"trabajador(?:a)?\s+de\s+casos",
            r"gestor(?:a)?\s+de\s+casos",
            r"técnic[oa]\s+de\s+casos",
            r"(?:عامل|مسؤول|مسؤولة)\s+(?:ال)?حالات?",
        ),
    ),
    ("Service Provider", _words(r"service\s+provider", r"prestataire\s+de\s+services?")),
)

_OFFLINE = _words(
    r"off[\s-]?line",
    r"field\s+mode",
    "pwa",
    r"hors[\s-]ligne",
    r"sans\s+(?:connexion|internet|réseau)",
    r"fuera\s+de\s+línea",
    r"sin\s+(?:conexión|internet|red)",
    r"sem\s+(?:internet|conexão|rede)",
    "desconectad[oa]",
    r"بدون\s+(?:ال)?[اإ]نترنت",
    r"(?:بدون|دون)\s+اتصال",
    r"غير\s+متصل",
    r"عدم\s+الاتصال",
)
_WEB = _words(
    "web",
    r"on[\s-]?line",
    r"en\s+ligne",
    r"en\s+línea",
    "browser",
    "navigateur",
    "navegador",
    "(?:ال)?متصفح",
)

_DEVICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Chrome", _words("chrome")),
    ("Firefox", _words("firefox")),
    ("Edge", re.compile(r"(?<!\w)(?:Edge|MS Edge|Microsoft Edge)(?!\w)")),
    ("Safari", _words("safari")),
    ("Android", _words("android", "أندرويد", "اندرويد")),
    ("iOS", _words("ios", "iphone", "ipad")),
    ("Windows", _words("windows")),
    ("tablet", _words("tablet", "tablette", "tableta", "جهاز لوحي", "تابلت")),
    (
        "phone",
        _words(
            r"(?:smart)?phone",
            "téléphone",
            "teléfono",
            "telefone",
            "telemóvel",
            "celular",
            "móvil",
            "هاتف",
            "جوال",
        ),
    ),
    ("laptop", _words("laptop", r"ordinateur\s+portable", "portátil", "لابتوب")),
)


@dataclass(frozen=True)
class Reproduction:
    """The details found; None where the requester did not say."""

    version: str | None = None
    module: str | None = None
    role: str | None = None
    mode: str | None = None  # "web" or "offline"
    device: str | None = None


def find_version(text: str) -> str | None:
    for match in _VERSION.finditer(text):
        cued = match["v"] or match["patch"] or match["pre"]
        if cued or _VERSION_CUE.search(text[: match.start()]):
            return match["num"]
    return None


def _first(table: Iterable[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    """The value of the earliest row whose pattern occurs in the text."""
    return next((value for value, pattern in table if pattern.search(text)), None)


def _all(table: Iterable[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    found = [value for value, pattern in table if pattern.search(text)]
    return ", ".join(found) or None


def find_mode(text: str) -> str | None:
    if _OFFLINE.search(text):
        return "offline"
    return "web" if _WEB.search(text) else None


def _read(text: str) -> Reproduction:
    text = _PLACEHOLDER.sub(" ", text)
    return Reproduction(
        version=find_version(text),
        module=_all(_MODULES, text),
        role=_first(_ROLES, text),
        mode=find_mode(text),
        device=_all(_DEVICES, text),
    )


def extract(question: str, answers: Sequence[str] = ()) -> Reproduction:
    """Details from the question and the requester's later answers; a later statement of the
    same detail wins, since answers usually correct or sharpen the question."""
    found = Reproduction()
    for text in (question, *answers):
        later = _read(text)
        found = Reproduction(
            version=later.version or found.version,
            module=later.module or found.module,
            role=later.role or found.role,
            mode=later.mode or found.mode,
            device=later.device or found.device,
        )
    return found
