"""Telegram updates as the core sees them: who wrote, where to answer, whether it was meant for us."""

from __future__ import annotations

from telegram import Chat, Message, MessageEntity, Update, User

from bot.core.incoming import Incoming
from bot.core.model import Address, Person

PLATFORM = "telegram"


def person_of(user: User) -> Person:
    return Person(PLATFORM, str(user.id), user.full_name, user.language_code)


def event_key(bot_id: int, update: Update) -> str:
    """Update ids are per bot, so the bot id keeps two bots on one register apart."""
    return f"{PLATFORM}:{bot_id}:{update.update_id}"


def is_private(chat: Chat) -> bool:
    return chat.type == Chat.PRIVATE


def reply_address(chat: Chat, message: Message | None) -> Address:
    """Where answers go. In a group, later notices are sent as replies to the message that
    asked (kept as the address's thread), so the asker sees them in a busy group."""
    thread = None
    if message is not None and not is_private(chat):
        thread = str(message.message_id)
    return Address(PLATFORM, str(chat.id), thread)


def incoming_from(update: Update, bot_id: int, user: User, chat: Chat) -> Incoming:
    return Incoming(
        sender=person_of(user),
        reply_to=reply_address(chat, update.effective_message),
        event_key=event_key(bot_id, update),
    )


def addressed_to_bot(message: Message, bot: User) -> bool:
    """In groups the bot answers only when mentioned or replied to; everything else there is
    people talking to each other."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True
    return bool(_mentions(message, bot))


def without_mentions(message: Message, bot: User) -> str:
    """The text with the bot's @mentions taken out ("@support_bot my password" -> "my password")."""
    text = message.text or ""
    for entity in sorted(_mentions(message, bot), key=lambda e: e.offset, reverse=True):
        # Entity offsets count UTF-16 units; parse_entity already resolved the text.
        mention = message.parse_entity(entity)
        start = text.find(mention)
        if start >= 0:
            text = text[:start] + text[start + len(mention) :]
    return " ".join(text.split())


def _mentions(message: Message, bot: User) -> list[MessageEntity]:
    found = []
    for entity in message.entities:
        if entity.type == MessageEntity.MENTION:
            named = message.parse_entity(entity).lstrip("@").lower()
            if bot.username and named == bot.username.lower():
                found.append(entity)
        elif entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            found.append(entity)
    return found
