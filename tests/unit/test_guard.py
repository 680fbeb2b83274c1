"""The case-data guard: what it finds in each language, and what it must leave alone."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.guard import KINDS, PLACEHOLDERS, find_case_data, mask


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_case_data(text)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Please call me on +252 61 234 5678, the sync fails", "+252 61 234 5678"),
        ("Vous pouvez me joindre au 06 12 34 56 78", "06 12 34 56 78"),
        ("Mi número es +57 310 555 1234, llámenme", "+57 310 555 1234"),
        ("Meu celular é (84) 98765-4321, me liguem", "(84) 98765-4321"),
        ("رقم هاتفي 0791234567 يرجى الاتصال بي", "0791234567"),
        ("واتساب المشرفة: ٠٧٧٠١٢٣٤٥٦٧", "٠٧٧٠١٢٣٤٥٦٧"),
        ("Call the focal point on (061) 555-0142 before 4 pm", "(061) 555-0142"),
        ("the UK office: +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("tel:+33612345678 is the interpreter", "+33612345678"),
        ("Le téléphone du tuteur (77 123 45 67) est dans la note", "77 123 45 67"),
    ],
)
def test_phone_numbers_are_found_in_every_format(text: str, number: str) -> None:
    assert found(text) == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "I cannot log in to Primero",
        "Mark for Offline does not work",
        "Primero 2.15.2 on Android 12 fails after 6 attempts",
        "The export from 01/01/2024 to 31/03/2024 is empty",
        "Reports for 2019-2023 are missing",
        "SR-1042 mentioned the same error on 2024-05-06 10:45",
        "The server at 192.168.10.25 is unreachable",
        "We registered 12 500 children, the dashboard says 12 499",
        "Tenemos 1.250 casos activos y 12.500.000 de registros",
        "After 30 minutes the app logs me out",
        "pmid 17688459 and account 20905432",
        "convert 20140205101309 into a date",
        "الإصدار 2.15.2 لا يعمل منذ 3 آذار",
        "approximately 945000 people use it daily",
    ],
)
def test_versions_dates_counts_years_and_references_are_not_case_data(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("My email is fatuma.ali@savechildren-so.org, thanks", "fatuma.ali@savechildren-so.org"),
        ("Merci d'écrire à jean-paul.mbuyi@yahoo.fr", "jean-paul.mbuyi@yahoo.fr"),
        ("بريدي rana.khalil@unrwa-partner.org ولم", "rana.khalil@unrwa-partner.org"),
    ],
)
def test_email_addresses_are_found(text: str, address: str) -> None:
    assert found(text) == [("email", address)]


@pytest.mark.parametrize(
    ("text", "case_id"),
    [
        (
            "referral for 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ),
        ("Case 4f2a9c1 was transferred to me", "4f2a9c1"),
        ("the record a1b2c3d shows twice", "a1b2c3d"),
        ("incident 2024-0153 has the wrong location", "2024-0153"),
        ("Please update case CP-2024-0012 today", "CP-2024-0012"),
        ("Cas n° 10234 : la date est bloquée", "10234"),
        ("El expediente CO-2024-0091 tiene errores", "CO-2024-0091"),
        ("O incidente nº 7781 ficou como rascunho", "7781"),
        ("الحالة رقم 45213 لا يمكن نقلها", "45213"),
    ],
)
def test_case_and_incident_ids_are_found(text: str, case_id: str) -> None:
    assert found(text) == [("case_id", case_id)]


@pytest.mark.parametrize(
    "text",
    [
        "SR-42 is still open",
        "my case SR-42 is still open",
        "In case 300 users log in at once, is it slow?",
        "I have 120 cases and 3 incidents",
        "the case 2 of the training exercise",
        "Build 3f9a2c1 crashes when I open a form",
        "el registro 2024 de casos",
    ],
)
def test_our_references_and_case_words_without_an_id_are_left_alone(text: str) -> None:
    assert found(text) == []


def test_a_different_reference_prefix_is_protected_instead() -> None:
    assert find_case_data("case HD-42 please", reference_prefix="HD") == []
    assert found("case HD-4242 please") == [("case_id", "HD-4242")]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Date of birth shows 12/03/2015 but the age says 12", "12/03/2015"),
        ("The girl was born on 4 May 2016", "4 May 2016"),
        ("Her name is Sagal and she was born in 2013", "2013"),
        ("L'enfant, né le 14/02/2013, est inscrit deux fois", "14/02/2013"),
        ("née le 2 juin 2017", "2 juin 2017"),
        ("La niña, nacida el 03/08/2014, no aparece", "03/08/2014"),
        ("Fecha de nac. 04/12/2012 no coincide", "04/12/2012"),
        ("nascido em 12/09/2015", "12/09/2015"),
        ("O menino nasceu em 2014", "2014"),
        ("تاريخ الميلاد: ٠٥/١١/٢٠١٥", "٠٥/١١/٢٠١٥"),
        ("وهي من مواليد 15 أيار 2016", "15 أيار 2016"),
    ],
)
def test_dates_of_birth_are_found_after_a_cue(text: str, date: str) -> None:
    assert ("dob", date) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Since the update on 3 March the dashboard shows 0 cases",
        "La réunion est le 12/05/2024 à 14h",
        "The date of birth field is mandatory but has no date picker",
        "He was born there. Since 2020 the record is closed",
    ],
)
def test_a_date_without_a_birth_cue_is_not_a_date_of_birth(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("GPS of the incident: 2.0469, 45.3182 - can I add it?", "2.0469, 45.3182"),
        ("new coordinates are -1.2921, 36.8219 please", "-1.2921, 36.8219"),
        ("The family lives at 9°01'45\"N 38°44'12\"E today", "9°01'45\"N 38°44'12\"E"),
        ("Position du domicile : 14,6937 ; -17,4441 selon la tablette", "14,6937 ; -17,4441"),
        ("الموقع حسب الجهاز: ٣٣٫٣١٥٢، ٤٤٫٣٦٦١", "٣٣٫٣١٥٢، ٤٤٫٣٦٦١"),
    ],
)
def test_gps_positions_are_found(text: str, position: str) -> None:
    assert found(text) == [("location", position)]


def test_version_pairs_and_times_are_not_positions() -> None:
    assert found("upgrade from 2.15, 2.16 or 10.30 11.45?") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The child named Yusuf Abdi Hassan was registered twice", "Yusuf Abdi Hassan"),
        ("the girl called Hodan was born", "Hodan"),
        ("the kid named omar farah is not in my caseload", "omar farah"),
        ("The case of Amina Warsame does not show", "Amina Warsame"),
        ("Le cas de Fatoumata Diallo n'apparaît plus", "Fatoumata Diallo"),
        ("L'enfant Moussa Traoré est enregistré deux fois", "Moussa Traoré"),
        ("La jeune fille appelée Awa a été transférée", "Awa"),
        ("El niño Juan Carlos Pérez aparece duplicado", "Juan Carlos Pérez"),
        ("la niña María José no aparece", "María José"),
        ("O caso de Ana Beatriz Souza sumiu", "Ana Beatriz Souza"),
        ("A criança Maria da Silva foi registrada", "Maria da Silva"),
        ("الطفلة فاطمة أحمد لا تظهر في القائمة", "فاطمة أحمد"),
        ("اسمه يوسف خالد وعمره 10 سنوات", "يوسف خالد"),
    ],
)
def test_names_after_a_cue_are_found_in_five_languages(text: str, name: str) -> None:
    assert found(text) == [("name", name)]


@pytest.mark.parametrize(
    "text",
    [
        "The Child Protection module is missing",
        "Dans le cas de Primero Mobile, faut-il resynchroniser ?",
        "L'enfant ne figure pas dans la liste",
        "La niña no aparece en la lista",
        "A criança não aparece na lista",
        "الطفل لا يظهر في قائمة الحالات",
        "a field called Status is empty",
        "the child I registered yesterday is gone",
    ],
)
def test_a_cue_followed_by_no_name_masks_nothing(text: str) -> None:
    assert found(text) == []


def test_mask_replaces_each_finding_with_its_placeholder_and_lists_the_kinds_once() -> None:
    masked = mask("Call 0612 345 678 or 0798 765 432 about the child named Amina")
    assert masked.text == "Call [phone] or [phone] about the child named [name]"
    assert masked.kinds == ("phone", "name")


def test_an_ordinary_question_is_returned_unchanged() -> None:
    question = "Mark for Offline does not work on version 2.15.2 after 30 minutes, see SR-12"
    assert mask(question).text == question
    assert mask(question).kinds == ()


def test_where_findings_overlap_the_more_specific_kind_wins() -> None:
    assert found("write to 0612345678@example.org") == [("email", "0612345678@example.org")]


def test_every_kind_has_a_placeholder_without_digits() -> None:
    assert set(PLACEHOLDERS) == set(KINDS)
    assert not any(ch.isdigit() for placeholder in PLACEHOLDERS.values() for ch in placeholder)


@given(st.text(alphabet=st.sampled_from("0123456789 +-.()/:@abcXYZ°'\"casenmdb\u0660\u0661")))
def test_findings_are_ordered_within_the_text_and_never_overlap(text: str) -> None:
    findings = find_case_data(text)
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    rebuilt = mask(text).text
    for finding in reversed(findings):
        text = text[: finding.start] + PLACEHOLDERS[finding.kind] + text[finding.end :]
    assert rebuilt == text
