"""The case-data guard: finds and masks the details of children's cases in a support message."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

PHONE, EMAIL, CASE_ID, DOB, LOCATION, NAME = "phone", "email", "case_id", "dob", "location", "name"
KINDS = (PHONE, EMAIL, CASE_ID, DOB, LOCATION, NAME)
PLACEHOLDERS = {
    PHONE: "[phone]",
    EMAIL: "[email]",
    CASE_ID: "[case id]",
    DOB: "[date of birth]",
    LOCATION: "[location]",
    NAME: "[name]",
}
# Where two findings overlap, the more specific kind wins (an e-mail full of digits is an e-mail).
PRIORITY = (EMAIL, LOCATION, CASE_ID, DOB, PHONE, NAME)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Masked:
    """The message with every finding replaced by its placeholder; `kinds` in order of first
    appearance, each once."""

    text: str
    kinds: tuple[str, ...]


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _words(*words: str) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_APOS = "['’]"

# --- e-mail addresses and UUIDs: recognisable without any cue --------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_HEX = "[0-9A-Fa-f]"
_UUID = re.compile(rf"(?<![\w-]){_HEX}{{8}}-(?:{_HEX}{{4}}-){{3}}{_HEX}{{12}}(?![\w-])")
# Primero shows a case by its short id: the last 7 hex characters of its UUID, e.g. a1b2c3d.
_SHORT_ID = re.compile(
    r"(?<![\w#/-])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7}(?![\w-])"
    r"|(?<![\w#/-])(?=[0-9A-F]*\d)(?=[0-9A-F]*[A-F])[0-9A-F]{7}(?![\w-])"
)
_NOT_CASE_HEX = re.compile(r"(?:commit|build|hash|sha|rev|revision|version)\W*$", re.IGNORECASE)

# --- ids that are case ids only after a cue word ("case 12345", "dossier 2023-0457") ---------

_CASE_CUE = _words(
    "case", "incident", "record", "case id", "incident id",
    "cas", "dossier", "fiche",
    "caso", "expediente", "incidente", "registro", "ficha",
    "processo", "registo",
    "الحالة", "حالة", "الحادثة", "حادثة", "الحادث", "ملف", "الملف",
)  # fmt: skip
_ID_LABEL = r"(?:id|no\.?|n\.?\s?[°º]\.?|number|num[ée]ro|número|#|:|رقم)"
# "in case 300 users…", "en cas de…": the phrase, not a case.
_CASE_ID = re.compile(
    r"(?<![\w-])(?<!in )(?<!en )(?<!em )(?<!no )"
    rf"(?:{_CASE_CUE})(?![^\W\d_])\s*(?:{_ID_LABEL}\s*)*"
    r"((?:[A-Za-z]{1,6}-){0,2}#?\d[\dA-Za-z]*(?:[-/][\dA-Za-z]+)*)(?![\w-])",
    re.IGNORECASE,
)

# --- phone numbers ---------------------------------------------------------------------------

_GROUP = r"(?:\(\d{1,4}\)[ .-]?)?\d++"
_PHONE = re.compile(rf"(?<![\w+\-./@#,])(?<!\d:)(?:\+ ?)?{_GROUP}(?:[ .-]{_GROUP})*+(?!\w|:\d)")
_PHONE_CUE = re.compile(
    "(?<![^\\W\\d_])(?:phone|tel|mobile|cell|call|whatsapp|contact|"
    "téléphone|portable|numéro|appel|joindre|"
    "teléfono|telefono|celular|móvil|movil|número|numero|llam|"
    "telefone|ligar|contato|"
    "هاتف|جوال|موبايل|واتساب|تلفون|اتصل|رقمي)",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(
    r"\d{1,4}([./-])\d{1,2}\1\d{1,4}"
    r"|(?:19|20)\d\d ([01]?\d) [0-3]?\d|[0-3]?\d [01]?\d (?:19|20)\d\d"  # 2001 09 05
    r"|(?:19|20)\d\d[01]\d[0-3]\d(?:[0-2]\d[0-5]\d(?:[0-5]\d)?)?"  # 20140205101309
    r"|[0-3]\d[01]\d(?:19|20)\d\d"  # 31122006
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_IP_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")

# --- dates of birth: a date after a cue --------------------------------------------------------

_MONTHS = _words(
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
    "septembre", "octobre", "novembre", "décembre", "decembre",
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "setiembre", "octubre", "noviembre", "diciembre",
    "janeiro", "fevereiro", "março", "marco", "maio", "junho", "julho", "setembro", "outubro",
    "novembro", "dezembro",
    "يناير", "فبراير", "مارس", "أبريل", "ابريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس",
    "اغسطس", "سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر",
    "كانون الثاني", "شباط", "آذار", "اذار", "نيسان", "أيار", "ايار", "حزيران", "تموز", "آب",
    "أيلول", "ايلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|º|ª)?"
_OF = r"(?:\s+(?:of|de|del)\s+|\s*,?\s+)"
_DATE = (
    r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"
    rf"|{_DAY}{_OF}(?:{_MONTHS})(?:{_OF}\d{{4}})?"
    rf"|(?:{_MONTHS})\s+{_DAY}(?:\s*,\s*|\s+)\d{{4}}"
    rf"|(?:{_MONTHS}){_OF}\d{{4}}"
    r"|\d{4})(?![\w/.-]\d|\w)"
)
_DOB_CUE = _words(
    "born", "dob", "d.o.b.", "d.o.b", "date of birth", "birth date", "birthdate", "birthday",
    "né", "née", "date de naissance", "date de naiss.", "ddn",
    "nacido", "nacida", "nació", "nacio", "fecha de nacimiento", "fecha de nac.", "f. nac.",
    "nascido", "nascida", "nasceu", "data de nascimento", "data de nasc.", "d.n.",
    "تاريخ الميلاد", "تاريخ ميلاده", "تاريخ ميلادها", "تاريخ الولادة", "مواليد",
    "مولود", "مولودة", "ولد في", "ولدت في", "ولد عام", "ولدت عام",
)  # fmt: skip
# Up to a few words may sit between the cue and the date ("born in the camp in 2015"), but not
# a sentence end: "He was born there. Since 2020 …" is no date of birth.
_DOB = re.compile(rf"(?<!\w)(?:{_DOB_CUE})(?!\w)[^\d.!?;\n]{{0,24}}?({_DATE})", re.IGNORECASE)

# --- GPS positions ---------------------------------------------------------------------------

_DEC = r"[-+−]?\d{1,3}[.,٫](\d{2,8})(?:\s*°)?(?:\s*[NSEWO](?!\w))?"
_DEC_PAIR = re.compile(rf"(?<![\w.,]){_DEC}\s*[,;/،]?\s*{_DEC}(?![\d.,]?\d)")
_DMS_ONE = r"\d{1,3}\s*°\s*\d{1,2}\s*['′’]\s*(?:\d{1,2}(?:[.,]\d+)?\s*(?:[\"″”]|''|’’)?)?(?:\s*[NSEWO](?!\w))?"
_DMS = re.compile(rf"(?<![\w.]){_DMS_ONE}(?:\s*[,;/]?\s*{_DMS_ONE})?")
_GPS_CUE = re.compile(
    r"(?<![^\W\d_])(?:gps|coord|lat|lon|lng|location|position|ubicaci|localiza|posi|إحداثيات|الموقع)",
    re.IGNORECASE,
)

# --- names after a cue ------------------------------------------------------------------------

_ADJECTIVE = r"(?:(?:jeune|petite?|little|young|small|pequeñ[oa]|pequen[oa]|jovem|joven)\s+)?"
_PERSON_NOUNS = (
    # article, noun: the noun must be lower case ("the Child Protection module" is no cue)
    rf"(?:[Tt]he|[Aa]n?|[Tt]his|[Oo]ur|[Mm]y)\s+{_ADJECTIVE}(?:child|girl|boy|kid|minor|baby|"
    r"survivor|client|beneficiary|teenager|orphan|woman|man|mother|father|caregiver|victim)"
    rf"|(?:[Ll]{_APOS}|[Uu]ne?\s+)(?:enfant|adolescente?)"
    rf"|(?:[Ll]a|[Uu]ne)\s+{_ADJECTIVE}(?:fillette|fille|petite|survivante|mineure|"
    r"bénéficiaire|victime)"
    rf"|(?:[Ll]e|[Uu]n)\s+{_ADJECTIVE}(?:garçon|petit|survivant|mineur|bénéficiaire)"
    rf"|(?:[Ee]l|[Uu]n)\s+{_ADJECTIVE}(?:niño|nino|menor|chico|adolescente|sobreviviente|"
    r"beneficiario)"
    rf"|(?:[Ll]a|[Uu]na)\s+{_ADJECTIVE}(?:niña|nina|menor|chica|adolescente|sobreviviente|"
    r"beneficiaria)"
    rf"|(?:[Oo]|[Uu]m)\s+{_ADJECTIVE}(?:menino|menor|adolescente|sobrevivente|beneficiário)"
    rf"|(?:[Aa]|[Uu]ma)\s+{_ADJECTIVE}(?:criança|crianca|menina|menor|adolescente|sobrevivente|"
    r"beneficiária)"
)
_NAMED = (
    r"(?:'s)?\s+(?:named|called|whose\s+name\s+is|by\s+the\s+name\s+of|"
    r"nommée?|appelée?|prénommée?|dénommée?|du\s+nom\s+de|qui\s+s['’]appelle|"
    r"llamad[oa]|de\s+nombre|que\s+se\s+llama|chamad[oa]|de\s+nome|que\s+se\s+chama)"
)
# After these only a name can follow, so a name typed in lower case counts too.
_STRONG_PHRASES = "|".join(
    [
        r"(?:his|her|their|the\s+child['’]s|the\s+girl['’]s|the\s+boy['’]s)\s+name\s+is",
        r"son\s+(?:pré)?nom\s+est|su\s+nombre\s+es|o\s+nome\s+del[ea]\s+é|seu\s+nome\s+é",
    ]
)
# After these a capitalised word is a name; "the case of offline sync" is not.
_WEAK_PHRASES = "|".join(
    [
        r"(?:child['’]?s?|full|first|last|family)\s+name\s*:",
        r"(?:^|(?<=[.;,] ))(?:name|nom|nombre|nome|pr[ée]nom)\s*:",
        r"the\s+case\s+of",
        rf"le\s+cas\s+de|s{_APOS}appelle|nom\s+de\s+l{_APOS}enfant\s*:",
        r"el\s+caso\s+de|se\s+llama|nombre\s+(?:del\s+niño|de\s+la\s+niña)\s*:",
        r"o\s+caso\s+de|se\s+chama|nome\s+da\s+criança\s*:",
    ]
)
_LATIN_CUE = re.compile(
    rf"(?<!\w)(?:(?P<strong>(?i:{_STRONG_PHRASES})|(?:{_PERSON_NOUNS}){_NAMED})"
    rf"|(?i:{_WEAK_PHRASES})|(?:{_PERSON_NOUNS})(?:['’]s)?)(?=\s)"
)
_ARABIC_CUE = re.compile(
    r"(?<!\w)(?:[وفب]?ال|لل)طفل(?:ة)?(?!\w)"
    r"|(?<!\w)و?(?:اسمه|اسمها|المدعو|المدعوة|يدعى|تدعى|الفتاة|الصبي|الولد|البنت|الاسم)(?!\w)"
)
_WORD = re.compile(r"[ \t]*:?[ \t]*([^\W\d_][\w'’-]*)")
_PARTICLES = _word_set("de da do dos das del della di du la le van von bin ben ibn al el abu y e")
# Capitalised words that follow a cue in support questions and are not people.
_NOT_NAMES = _word_set(
    """primero mobile offline online android ios iphone ipad web app excel pdf csv gbv cp
    cpims cpims+ admin module form forms case cases incident incidents tracing request report
    reports dashboard i the a an le la les el los las o os as um uma un une uno una this ce
    cette este esta mark id sr chrome firefox windows google kobo unicef wifi sms whatsapp
    telegram slack protection ministry office"""
)
# Words that end a name typed in lower case ("the kid named omar farah is not in my list").
_FUNCTION_WORDS = _word_set(
    """is was are has had and or but in on at to from with who which that since after before
    not no does did do will can could would should he she it they his her their for of by as
    est et ou mais dans sur à du des qui que ne pas avec pour par il elle ils son sa ses depuis
    es está fue y pero en con del por para se su sus tiene
    é foi e mas em na no com não do da seu sua tem
    unknown missing wrong misspelled spelled written correct incorrect different empty blank
    inconnu inconnue mal faux fausse desconocido incorrecto desconhecido errado incorreto"""
)
_ARABIC_STOP = _word_set(
    """لا لم لن ما في من على عن إلى الى مع هو هي الذي التي قد كان كانت ليس ليست غير بعد قبل
    عند حتى كل أي اي هذا هذه ذلك تلك نفس يظهر تظهر ظهر ظهرت يوجد توجد موجود موجودة مسجل مسجلة
    عمره عمرها تم لديه لديها له لها او أو ثم لكن يعيش تعيش يحتاج تحتاج"""
)


def _overlaps(finding: Finding, others: list[Finding]) -> bool:
    return any(finding.start < o.end and o.start < finding.end for o in others)


def _resolve(findings: list[Finding]) -> list[Finding]:
    """Keep one finding wherever several overlap: the higher priority kind, then the longer."""
    ranked = sorted(findings, key=lambda f: (PRIORITY.index(f.kind), f.start - f.end, f.start))
    kept: list[Finding] = []
    for finding in ranked:
        if not _overlaps(finding, kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(EMAIL, match.start(), match.end())


def _case_ids(text: str) -> Iterator[Finding]:
    for match in _UUID.finditer(text):
        yield Finding(CASE_ID, match.start(), match.end())
    for match in _SHORT_ID.finditer(text):
        if not _NOT_CASE_HEX.search(text, max(0, match.start() - 20), match.start()):
            yield Finding(CASE_ID, match.start(), match.end())
    for match in _CASE_ID.finditer(text):
        token = match.group(1)
        digits = sum(ch.isdigit() for ch in token)
        if digits >= 3 and not _YEAR.fullmatch(token):
            yield Finding(CASE_ID, match.start(1), match.end(1))


def _is_other_number(number: str, groups: list[str]) -> bool:
    """Dates, IP addresses, year ranges, counts and lists look like phone numbers too."""
    if _DATE_LIKE.fullmatch(number) or _IP_LIKE.fullmatch(number):
        return True
    if all(_YEAR.fullmatch(group) for group in groups):
        return True  # "2019-2023", "2023 2024"
    if _THOUSANDS.fullmatch(number) and len("".join(groups)) <= 8:
        return True  # "12.500.000" children is a count, not a phone
    if all(re.fullmatch(r"\d{1,2}\.\d\d", token) for token in number.split()):
        return True  # "10.30 11.45": times, or short decimals
    return sum(len(group) == 1 for group in groups[1:]) > 2  # "1 2 3 4 5 6 7 8" is a list


def _is_phone(number: str, cued: bool) -> bool:
    groups = re.findall(r"\d+", number)
    digits = len("".join(groups))
    international = number.startswith("+") or re.match(r"00[1-9]", number) is not None
    if not (6 if cued else 7 if international else 8) <= digits <= 15:
        return False
    if not cued and re.fullmatch(r"[1-9]\d{7}", number):
        return False  # a bare 8-digit number is an account, an id or a count more often than not
    return not _is_other_number(number, groups)


def _phones(text: str) -> Iterator[Finding]:
    # Numbers inside a link are ids of pages and posts; a case id or position there still counts.
    links = [Finding("link", m.start(), m.end()) for m in _URL.finditer(text)]
    for match in _PHONE.finditer(text):
        cued = bool(_PHONE_CUE.search(text, max(0, match.start() - 30), match.start()))
        finding = Finding(PHONE, match.start(), match.end())
        if _is_phone(match.group(), cued) and not _overlaps(finding, links):
            yield finding


def _dates_of_birth(text: str) -> Iterator[Finding]:
    for match in _DOB.finditer(text):
        yield Finding(DOB, match.start(1), match.end(1))


def _valid_pair(match: re.Match[str]) -> bool:
    numbers = re.findall(r"[-+−]?\d{1,3}[.,٫]\d+", match.group())
    values = [abs(float(n.replace("−", "-").replace(",", ".").replace("٫", "."))) for n in numbers]
    return len(values) == 2 and min(values) <= 90 and max(values) <= 180


def _locations(text: str) -> Iterator[Finding]:
    for match in _DEC_PAIR.finditer(text):
        precise = min(len(match.group(1)), len(match.group(2))) >= 4
        cued = bool(_GPS_CUE.search(text, max(0, match.start() - 30), match.start()))
        if (precise or cued) and _valid_pair(match):
            yield Finding(LOCATION, match.start(), match.end())
    for match in _DMS.finditer(text):
        yield Finding(LOCATION, match.start(), match.end())


def _capitalised(word: str) -> bool:
    if len(word) <= 3 and word.isupper():
        return False  # PC, ID, GBV: names are not written as short acronyms
    return unicodedata.category(word[0]) in ("Lu", "Lt") and word.lower() not in _NOT_NAMES


def _latin_name(text: str, pos: int, *, strong: bool) -> tuple[int, int] | None:
    """Capitalised words from `pos` on ("Maria da Silva"), at most four, within one clause.
    After a strong cue ("named") up to two words typed in lower case count as well."""
    start = end = -1
    words = particles = 0
    while words < 4:
        match = _WORD.match(text, pos)
        if match is None:
            break
        word, pos = match.group(1), match.end()
        lowered = strong and words < 2 and word.lower() not in _FUNCTION_WORDS | _NOT_NAMES
        if _capitalised(word) or lowered:
            start = match.start(1) if start < 0 else start
            end, words, particles = pos, words + 1, 0
        elif start >= 0 and particles < 2 and word.lower() in _PARTICLES:
            particles += 1  # "da" in "Maria da Silva" counts only if a name follows
        else:
            break
    return (start, end) if start >= 0 else None


def _arabic_word_ok(word: str) -> bool:
    bare = word[1:] if word.startswith("و") and len(word) > 3 else word
    is_arabic = "\u0621" <= word[0] <= "\u064a"
    return is_arabic and not word.startswith("ال") and not {word, bare} & _ARABIC_STOP


def _arabic_name(text: str, pos: int) -> tuple[int, int] | None:
    """One or two words after the cue; Arabic has no capitals, so stop at function words."""
    start = end = -1
    for _ in range(2):
        match = _WORD.match(text, pos)
        if match is None or not _arabic_word_ok(match.group(1)):
            break
        start = match.start(1) if start < 0 else start
        end = pos = match.end()
    return (start, end) if start >= 0 else None


def _names(text: str) -> Iterator[Finding]:
    for match in _LATIN_CUE.finditer(text):
        span = _latin_name(text, match.end(), strong=match.group("strong") is not None)
        if span is not None:
            yield Finding(NAME, *span)
    for match in _ARABIC_CUE.finditer(text):
        span = _arabic_name(text, match.end())
        if span is not None:
            yield Finding(NAME, *span)


_DETECTORS = (_emails, _case_ids, _phones, _dates_of_birth, _locations, _names)


def find_case_data(text: str, *, reference_prefix: str = "SR") -> list[Finding]:
    """Every piece of case data in `text`, in order, none overlapping.

    Our own request references (`SR-42`) are never case data: a user quoting one must be able
    to, so nothing that touches one is reported."""
    findings = [finding for detect in _DETECTORS for finding in detect(text)]
    references = [
        Finding("reference", m.start(), m.end())
        for m in re.finditer(rf"(?<![\w-]){re.escape(reference_prefix)}-\d+(?![\w-])", text)
    ]
    return _resolve([f for f in findings if not _overlaps(f, references)])


def mask(text: str, *, reference_prefix: str = "SR") -> Masked:
    """`text` with each finding replaced by a placeholder such as `[phone]`."""
    findings = find_case_data(text, reference_prefix=reference_prefix)
    parts: list[str] = []
    last = 0
    for finding in findings:
        parts += [text[last : finding.start], PLACEHOLDERS[finding.kind]]
        last = finding.end
    parts.append(text[last:])
    kinds = tuple(dict.fromkeys(finding.kind for finding in findings))
    return Masked("".join(parts), kinds)
