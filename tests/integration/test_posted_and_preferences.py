"""Posted messages (pings to update, notices to answer) and people's preferences are kept."""

from __future__ import annotations

import pytest

from bot.core.model import Level, PostedMessage, Preferences
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import a_request


def _logged_ref(uow: SqlUnitOfWorkFactory) -> str:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        work.commit()
    return request.ref


def test_posted_messages_of_a_request_come_back_oldest_first_and_by_kind(
    uow: SqlUnitOfWorkFactory,
) -> None:
    ref, other = _logged_ref(uow), _logged_ref(uow)
    ping_l1 = PostedMessage(ref, "slack", "C0L1", "1732356000.000100", "ping", Level.L1)
    notice = PostedMessage(ref, "telegram", "111", "42", "notice", None, "7")
    ping_l2 = PostedMessage(ref, "telegram", "-100200", "43", "ping", Level.L2)
    with uow() as work:
        for message in (ping_l1, notice, ping_l2):
            work.posted.add(message)
        work.posted.add(PostedMessage(other, "slack", "C0L1", "1732356999.000100", "ping"))
        work.commit()
    with uow() as work:
        assert work.posted.for_request(ref) == [ping_l1, notice, ping_l2]
        assert work.posted.for_request(ref, kind="ping") == [ping_l1, ping_l2]
        assert work.posted.for_request("SR-0") == []


def test_a_posted_message_is_found_by_platform_chat_and_message_id(
    uow: SqlUnitOfWorkFactory,
) -> None:
    ref = _logged_ref(uow)
    notice = PostedMessage(ref, "telegram", "111", "42", "notice", None, "7")
    with uow() as work:
        work.posted.add(notice)
        work.commit()
    with uow() as work:
        assert work.posted.find("telegram", "111", "42") == notice
        assert work.posted.find("slack", "111", "42") is None


def test_a_posted_message_of_an_unknown_request_is_refused(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work, pytest.raises(LookupError):
        work.posted.add(PostedMessage("SR-777", "slack", "C0L1", "1.2", "ping"))


def test_preferences_are_none_until_saved_then_replaced_on_every_save(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        assert work.preferences.get("slack:U0ALICE001") is None
        work.preferences.save(Preferences("slack:U0ALICE001", language="fr"))
        work.commit()
    with uow() as work:
        assert work.preferences.get("slack:U0ALICE001") == Preferences("slack:U0ALICE001", "fr")
        work.preferences.save(Preferences("slack:U0ALICE001", language="es", site="kenya"))
        work.commit()
    with uow() as work:
        assert work.preferences.get("slack:U0ALICE001") == Preferences(
            "slack:U0ALICE001", "es", "kenya"
        )
