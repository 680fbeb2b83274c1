"""The English message catalogue and a dictionary-backed `Catalogue`; other languages plug in here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

ENGLISH: dict[str, str] = {
    # Questions and suggestions
    "question.empty": "Please type your question in a few words, for example: I forgot my password.",
    "question.too_long": (
        "Your message is very long ({length} characters). Please describe the problem in at most "
        "{limit} characters, without case details."
    ),
    # Safeguarding: case data removed from a message, and too many questions
    "guard.removed": (
        "To protect the people in your cases, I removed {what} from your message before passing "
        "it on. Please do not share case details here."
    ),
    "guard.list": "{items} and {last}",
    "guard.list_comma": ", ",
    "guard.kind.phone": "a phone number",
    "guard.kind.email": "an e-mail address",
    "guard.kind.case_id": "a case or incident ID",
    "guard.kind.dob": "a date of birth",
    "guard.kind.location": "a location",
    "guard.kind.name": "a name",
    "limits.too_many": (
        "You have sent many questions in a short time. Please wait a few minutes, then ask "
        "again; the questions you already sent are not lost."
    ),
    "suggestions.intro": "These articles may help with your question:",
    "suggestions.solved": "This solved it",
    "suggestions.none": "None of these helped",
    "suggestions.original": "Original ({language})",
    "feedback.solved": "Glad that helped! Ask again any time.",
    "feedback.already": "You have already answered about these suggestions.",
    "feedback.unknown": "These suggestions have expired. Please ask your question again.",
    "feedback.not_suggested": "That article was not among the suggestions. Please pick one of them.",
    # Logging a request
    "request.logged": (
        "I have logged your question for the support team as {ref}. Quote {ref} if you contact "
        "support about it. {expectation}"
    ),
    "request.logged_no_match": (
        "I could not find an article about this, so I have logged your question for the support "
        "team as {ref}. Quote {ref} if you contact support about it. {expectation}"
    ),
    "request.expectation": "A site administrator (Level 1) should answer by {due}.",
    # Status
    "status.none": "You have no open requests.",
    "status.header": "Your open requests:",
    "status.line": "{ref} ({level}, {status}): {summary}. Next answer expected by {due}.",
    "status.value.open": "waiting for a support person",
    "status.value.claimed": "being handled by {name}",
    "status.value.waiting": "waiting for your answer",
    "status.value.resolved": "resolved",
    # Staff actions, as the staff member sees the result
    "staff.claimed": "You have claimed {ref}.",
    "staff.replied": "Your reply to {ref} was sent to the requester.",
    "staff.resolved": "{ref} is resolved; the requester has been told.",
    "staff.escalated": "{ref} is escalated to {level}.",
    # Refusals (nothing changes)
    "refused.unknown_ref": "There is no request {ref}. References look like SR-42.",
    "refused.not_allowed": "Sorry, only {level} support staff can act on {ref}.",
    "refused.already_resolved": "{ref} is already resolved.",
    "refused.claimed_by_other": "{ref} is already claimed by {name}.",
    "refused.already_yours": "You have already claimed {ref}.",
    "refused.top_level": "{ref} is already at {level}, the highest support level.",
    "refused.empty_reply": "Please write the text of your reply to {ref}.",
    "refused.not_yours": "{ref} is not one of your requests.",
    "refused.empty_answer": "Please write your answer to the support team about {ref}.",
    # Messages to the requester
    "notice.claimed": "{name} from the support team is now looking at your request {ref}.",
    "notice.reply": "Support team ({name}) about {ref}: {text}",
    "notice.resolved": "Your request {ref} is resolved. {note}",
    "notice.resolved_note": "Note from the support team: {note}",
    "notice.resolved_again": "If the problem comes back, ask again and mention {ref}.",
    "notice.escalated": (
        "Your request {ref} needs more specialised help, so it has been passed to {level_name}. "
        "Expected answer by {due}."
    ),
    "notice.answer_received": "Thank you, your answer about {ref} has been passed to the team.",
    "notice.still_working": (
        "We are still working on your request {ref}. Expected resolution by {due}."
    ),
    "level.L1": "the site administrators (Level 1)",
    "level.L2": "the support coordinators (Level 2)",
    "level.L3": "the developers (Level 3)",
    # Pings to staff
    "ping.new": "New support request {ref}",
    "ping.escalated": "{ref} escalated to {level}",
    "ping.updated": "Support request {ref}",
    "ping.answer": "Requester answered on {ref}: {text}",
    "ping.due_soon": "Reminder: {ref} ({level}) is due soon",
    "ping.auto_escalated": "{ref} escalated to {level} automatically: its SLA target was missed",
    "staff.due_soon": "Reminder: {ref}, which you claimed, is due soon ({due}).",
    "ping.field.level": "Level",
    "ping.field.status": "Status",
    "ping.field.requester": "Requester",
    "ping.field.site": "Site",
    "ping.field.language": "Language",
    "ping.field.first_due": "First response due",
    "ping.field.resolution_due": "Resolution due",
    "ping.field.question": "Question",
    "ping.field.claimed_by": "Claimed by",
    "ping.field.suggested": "Articles tried",
    "ping.value.none": "none",
    "ping.status.open": "open, unclaimed",
    "ping.status.claimed": "claimed",
    "ping.status.waiting": "waiting for the requester",
    "ping.status.resolved": "resolved",
    # L3 pings: a clean reproduction for developers (bot/core/reproduction.py)
    "ping.field.version": "Primero version",
    "ping.field.module": "Module",
    "ping.field.role": "Role",
    "ping.field.mode": "Web or offline",
    "ping.field.device": "Browser/device",
    "ping.value.not_stated": "not stated",
    "ping.value.web": "web",
    "ping.value.offline": "offline",
    # The SLA clock: a request's next due time and where it stands (pings, status lines)
    "ping.field.sla": "SLA",
    "sla.state.on_track": "on track",
    "sla.state.due_soon": "due soon",
    "sla.state.breached": "overdue",
    "sla.target.first_response": "first response",
    "sla.target.resolution": "resolution",
    "sla.standing": "{state} ({target})",
    "sla.standing_paused": "{state} ({target}), clock paused while waiting for the requester",
    "sla.due_with_state": "{due} ({state})",
    "action.claim": "Claim",
    "action.reply": "Reply",
    "action.resolve": "Resolve",
    "action.escalate": "Escalate",
    # Incidents: one problem reported by several people, handled once at L3
    "known_issue.reply": (
        "This looks like a known problem we are already working on ({ref}, reported by {count} "
        "people since {since}, status: {status}). We have linked your message to it and will "
        "tell you here when it is fixed."
    ),
    "known_issue.different": "My problem is different",
    "known_issue.status.open": "being investigated",
    "known_issue.status.claimed": "being fixed",
    "notice.incident_resolved": "Good news: the problem you reported ({ref}) is fixed. {note}",
    "notice.incident_again": "If it still happens to you, please ask again.",
    "notice.incident_update": "Update from the developers ({name}) about the problem {ref}: {text}",
    "notice.incident_linked": (
        "Your request {ref} describes a problem other people have reported too ({incident}). "
        "Our developers are working on it, and we will tell you here when it is fixed."
    ),
    "incident.ping.new": "New incident {ref}: {count} similar requests",
    "incident.ping.updated": "Incident {ref}",
    "incident.field.summary": "Problem",
    "incident.field.reports": "Reported by",
    "incident.field.sites": "Sites",
    "incident.field.first_seen": "First seen",
    "incident.field.last_seen": "Last seen",
    "incident.value.reports": "{requests} requests, {questions} known-issue answers",
    "staff.incident_claimed": "You have claimed incident {ref}.",
    "staff.incident_replied": "Your update on {ref} was sent to {count} requesters.",
    "staff.incident_resolved": "{ref} is resolved; {count} requesters have been told.",
    "refused.unknown_incident": "There is no incident {ref}. Incident references look like INC-3.",
    "refused.incident_resolved": "Incident {ref} is already resolved.",
    "refused.incident_top_level": "{ref} is an incident, already at L3: it cannot be escalated.",
    "console.known_issue_hint": "Type 0 and Enter if your problem is different ('{different}').",
    # Choices
    "language.set": "From now on I will answer you in English.",
    "language.unknown": "Sorry, I do not speak {language} yet. Choose one of: {choices}.",
    # Language names, in the reader's language (staff pings show the requester's language)
    "language.name.en": "English",
    "language.name.fr": "French",
    "language.name.es": "Spanish",
    "language.name.pt": "Portuguese",
    "language.name.ar": "Arabic",
    "site.set": "Your site is now {site}.",
    "site.unknown": "There is no site called {site}. Choose one of: {choices}.",
    # Telegram
    "telegram.welcome": (
        "Hello {name}! I am the support assistant. Type your question in a few words, for "
        "example: I forgot my password. Choose your language and your site below; /help shows "
        "what else I can do."
    ),
    "telegram.help": (
        "Type your question in a few words: I suggest articles, and if none of them helps I log "
        "your question for the support team.\n"
        "/status - your open requests\n"
        "/language - choose your language\n"
        "/site - choose your site\n"
        "In a group, mention me ({mention}) or reply to one of my messages. To answer the "
        "support team, reply to their message."
    ),
    "telegram.choose_language": "Choose your language:",
    "telegram.choose_site": "Choose your site:",
    "telegram.no_sites": "There are no sites to choose from here.",
    "telegram.not_your_suggestions": "Only the person who asked can answer these suggestions.",
    "telegram.ping_hint": "Reply to this message to answer the requester.",
    # Slack's own surfaces: /support help and App Home (requester's language), modals (staff's).
    # Slack limits: modal titles, submit and close at most 24 characters, labels 75.
    "slack.help": (
        "*How to get help*\n"
        "• Send me a direct message with your question, or mention me in a channel: I suggest "
        "articles, and if none helps I log a request for the support team and give you its "
        "reference.\n"
        "• When the support team writes to you, answer in the thread under their message.\n"
        "\n"
        "*Commands*\n"
        "• `/support status`: your open requests\n"
        "• `/support language xx`: the language I answer you in (en, fr, es, pt, ar)\n"
        "• `/support site NAME`: your site, for the right support team and time zone\n"
        "• `/support help`: this help"
    ),
    "slack.home.heading": "Your support requests",
    "slack.home.hint": "Ask me a question in a direct message. `/support help` lists the commands.",
    "slack.modal.reply_title": "Reply {ref}",
    "slack.modal.reply_label": "Your answer to the requester",
    "slack.modal.reply_hint": "The requester gets this as a message from the support team.",
    "slack.modal.resolve_title": "Resolve {ref}",
    "slack.modal.resolve_label": "Note for the requester (optional)",
    "slack.modal.resolve_hint": (
        "For example what fixed it. The requester is told the request is resolved."
    ),
    "slack.modal.send": "Send",
    "slack.modal.cancel": "Cancel",
    # The terminal chat (commands and 'read N' are typed as they are, in English)
    "console.help": (
        'supportbot terminal chat. You are the field user; type a question, e.g. "I forgot my '
        'password".\n'
        "  After suggestions: a number if that article solved it, 0 if none helped, 'read N' to "
        "read one.\n"
        "  /status                      your open requests\n"
        "  /answer REF <text>           answer the support team about a request (as the field "
        "user)\n"
        "  /language en|fr|es|pt|ar     the language the bot answers you in (saved, like a chat "
        "command)\n"
        "  /as user|l1|l2|l3            play the field user, a site admin (L1), coordinator (L2), "
        "developer (L3)\n"
        "  /claim REF                   take a request (staff)\n"
        "  /reply REF <text>            answer the requester (staff)\n"
        "  /resolve REF [note]          close a request; the requester is told (staff)\n"
        "  /escalate REF [reason]       pass a request to the next level (staff)\n"
        "  /help                        this help;  /quit, Ctrl-D or Ctrl-C to leave"
    ),
    "console.persona": "You are now: {persona}.",
    "console.goodbye": "Goodbye.",
    "console.need_reference": "Please give a reference, for example: /{command} SR-1",
    "console.unknown_command": "Unknown command /{command}. Type /help for the list.",
    "console.choose_language": (
        "Choose a language, for example: /language fr (en, fr, es, pt, ar)"
    ),
    "console.choose_persona": "Choose one of: /as user, /as l1, /as l2, /as l3",
    "console.pick_number": "Please type a number from 0 to {count}.",
    "console.feedback_hint": (
        "Type {choices} and Enter if that article solved it ({solved}), or 0 for '{none}'. "
        "Type 'read N' to read an article here."
    ),
    # Errors
    "error.apology": (
        "Sorry, something went wrong on our side and I could not handle that. Please try again "
        "in a moment; nothing you sent has been lost."
    ),
}


class DictCatalogue:
    """Messages from per-language dictionaries, falling back to English for a missing one."""

    def __init__(
        self,
        languages: Mapping[str, Mapping[str, str]] | None = None,
        *,
        default_timezone: str = "UTC",
        site_timezones: Mapping[str, str] | None = None,
    ) -> None:
        self._languages: dict[str, Mapping[str, str]] = {"en": ENGLISH, **(languages or {})}
        self._default_tz = ZoneInfo(default_timezone)
        self._site_tz = {site: ZoneInfo(name) for site, name in (site_timezones or {}).items()}

    def text(self, key: str, language: str, /, **params: object) -> str:
        messages = self._languages.get(language.split("-")[0], ENGLISH)
        template = messages.get(key) or ENGLISH[key]
        return template.format(**params)

    def format_time(self, moment: datetime, language: str, site: str | None) -> str:
        zone = self._site_tz.get(site or "", self._default_tz)
        local = moment.astimezone(zone)
        return local.strftime("%a %d %b %H:%M ") + (local.tzname() or "")

    def format_duration(self, delta: timedelta, language: str) -> str:
        """English only, to the largest whole unit (bot.i18n's catalogue speaks every language)."""
        minutes = int(delta.total_seconds() // 60)
        for unit, size in (("day", 1440), ("hour", 60)):
            if minutes >= size:
                count = round(minutes / size)
                return f"{count} {unit}{'' if count == 1 else 's'}"
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
