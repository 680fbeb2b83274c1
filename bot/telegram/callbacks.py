"""What an inline button means, packed into Telegram's 64-byte `callback_data` and back."""

from __future__ import annotations

from dataclasses import dataclass

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit
STAFF_VERBS = ("claim", "resolve", "escalate")  # replying is done by answering the ping message


@dataclass(frozen=True)
class Solved:
    """The requester says the article at `index` (0-based, as shown) solved it."""

    inquiry_id: int
    index: int


@dataclass(frozen=True)
class NoneHelped:
    inquiry_id: int


@dataclass(frozen=True)
class StaffClick:
    verb: str  # one of STAFF_VERBS
    ref: str


@dataclass(frozen=True)
class LanguageChoice:
    code: str


@dataclass(frozen=True)
class SiteChoice:
    """By position in the deployment's list: site names may not fit in 64 bytes."""

    index: int


Choice = Solved | NoneHelped | StaffClick | LanguageChoice | SiteChoice


def encode(choice: Choice) -> str:
    match choice:
        case Solved(inquiry_id, index):
            data = f"s:{inquiry_id}:{index}"
        case NoneHelped(inquiry_id):
            data = f"n:{inquiry_id}"
        case StaffClick(verb, ref):
            data = f"a:{verb}:{ref}"
        case LanguageChoice(code):
            data = f"l:{code}"
        case SiteChoice(index):
            data = f"t:{index}"
    if len(data.encode()) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data longer than {CALLBACK_DATA_LIMIT} bytes: {data!r}")
    return data


def decode(data: str | None) -> Choice | None:
    """The choice a button carries; None for data this bot did not make (or an old format)."""
    kind, _, rest = (data or "").partition(":")
    try:
        if kind == "s":
            inquiry, _, index = rest.partition(":")
            return Solved(int(inquiry), int(index))
        if kind == "n":
            return NoneHelped(int(rest))
        if kind == "t":
            return SiteChoice(int(rest))
    except ValueError:
        return None
    if kind == "a":
        verb, _, ref = rest.partition(":")
        return StaffClick(verb, ref) if verb in STAFF_VERBS and ref else None
    if kind == "l" and rest:
        return LanguageChoice(rest)
    return None
