"""Conversations in Slack: threads under pings and notices, mentions in channels, and what the
bot must not answer (its own messages, edits, channel chatter, other people's suggestions)."""

from __future__ import annotations

import time

from bot.core.model import Status
from tests.adapters.slack.builders import (
    ALICE,
    ALICE_DM,
    BOB,
    BOB_DM,
    GENERAL,
    L1_DESK,
    LINA,
    click,
    dm,
    envelope,
    load,
    mention,
    submission,
    thread_reply,
)
from tests.adapters.slack.conftest import SlackBot, posted_to
from tests.adapters.slack.test_flow import ask_and_log, press, whispered

GRACE_SECONDS = 0.7  # "nothing else happened" needs a moment (PLATFORMS.md pitfall 14)


def test_a_staff_reply_in_the_ping_thread_reaches_the_requester_and_her_answer_comes_back(
    bot: SlackBot,
) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    ping_ts = ping.response["ts"]

    bot.transport.event(
        thread_reply("Try the link again", user=LINA, channel=L1_DESK, thread_ts=ping_ts)
    )
    notice = slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Try the link again"))
    bot.wait_until_remembered(notice)
    assert f"Support team (Lina Admin) about {ref}" in notice.args["text"]
    whispered(slack, LINA, f"Your reply to {ref} was sent")

    bot.transport.event(dm("It works now, thanks", thread_ts=notice.response["ts"]))
    relay = slack.wait_for("chat.postMessage", posted_to(L1_DESK, "It works now"))
    assert relay.args["thread_ts"] == ping_ts
    assert relay.args["text"] == f"Requester answered on {ref}: It works now, thanks"
    thanks = slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Thank you, your answer"))
    assert thanks.args["thread_ts"] == notice.response["ts"]


def test_the_reply_button_opens_a_modal_whose_text_goes_to_the_requester(bot: SlackBot) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_reply", LINA)
    modal = slack.wait_for("views.open")
    assert modal.args["view"]["callback_id"] == "supportbot_reply"
    assert modal.args["view"]["title"]["text"] == f"Reply {ref}"

    bot.transport.interaction(submission(modal, user=LINA, text="Which site are you on?"))
    slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Which site are you on?"))
    request = bot.request(ref)
    assert request is not None
    assert request.status is Status.WAITING


def test_a_mention_in_a_channel_is_answered_in_its_thread(bot: SlackBot) -> None:
    slack = bot.standin
    body = mention("I forgot my password")
    bot.transport.event(body)
    answer = slack.wait_for("chat.postMessage", posted_to(GENERAL, "These articles"))
    assert answer.args["thread_ts"] == body["event"]["ts"]


def test_who_asked_in_a_channel_hears_from_the_staff_in_a_dm_and_can_answer_there(
    bot: SlackBot,
) -> None:
    slack = bot.standin
    bot.transport.event(mention("I forgot my password"))
    suggestions = slack.wait_for("chat.postMessage", posted_to(GENERAL, "These articles"))
    bot.transport.interaction(click(suggestions, "suggestion_none", user=ALICE))
    logged = slack.wait_for("chat.postMessage", posted_to(GENERAL, "I have logged"))
    assert logged.args["thread_ts"] == suggestions.args["thread_ts"]
    ping = bot.wait_until_remembered(slack.wait_for("chat.postMessage", posted_to(L1_DESK)))

    reply = thread_reply("Which site?", user=LINA, channel=L1_DESK, thread_ts=ping.response["ts"])
    bot.transport.event(reply)
    notice = bot.wait_until_remembered(slack.wait_for("chat.postMessage", posted_to(ALICE)))
    assert notice.response["channel"] == ALICE_DM
    bot.transport.event(dm("Kenya", thread_ts=notice.response["ts"]))
    slack.wait_for("chat.postMessage", posted_to(L1_DESK, "Requester answered"))


def test_someone_elses_click_on_suggestions_is_refused_and_changes_nothing(bot: SlackBot) -> None:
    slack = bot.standin
    bot.transport.event(mention("I forgot my password"))
    suggestions = slack.wait_for("chat.postMessage", posted_to(GENERAL, "These articles"))
    bot.transport.interaction(click(suggestions, "suggestion_none", user=BOB))

    whispered(slack, BOB, "These suggestions have expired")
    bot.transport.interaction(click(suggestions, "suggestion_none", user=ALICE))
    slack.wait_for("chat.postMessage", posted_to(GENERAL, "I have logged"))
    updates = slack.calls_of("chat.update")
    assert len(updates) == 1, "only Alice's own click updates her suggestions"


def test_own_messages_edits_and_channel_chatter_get_no_answer(bot: SlackBot) -> None:
    slack = bot.standin
    bot.transport.event(envelope("event_bot_message.json", {}))
    bot.transport.event(load("event_message_changed.json") | {"event_id": "Ev0EDITED01"})
    chatter = thread_reply("lunch?", user=ALICE, channel=GENERAL, thread_ts="1795751000.000100")
    bot.transport.event(chatter)
    bot.transport.event(dm("I forgot my password", user=BOB, channel=BOB_DM))

    slack.wait_for("chat.postMessage", posted_to(BOB_DM))
    time.sleep(GRACE_SECONDS)
    answered = {call.args["channel"] for call in slack.calls_of("chat.postMessage")}
    assert answered == {BOB_DM}


def test_a_hostile_display_name_cannot_ping_the_whole_staff_channel(bot: SlackBot) -> None:
    _, ping = ask_and_log(bot, user=BOB, channel=BOB_DM)
    shown = str(ping.args["blocks"])
    assert "<!channel>" not in shown
    assert "Bob &lt;!channel&gt; &amp; co" in shown
    assert ALICE not in shown
