"""`supportbot kb`: check a knowledge base and search it as the bot would."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from bot.cli import fail, settings_or_fail
from kb_index.articles import Article
from kb_index.loader import KbLoad, bundled_kb_path, load_kb
from kb_index.search import SearchHit, SearchIndex

# One line per paragraph: the help screen keeps line breaks as written and wraps by itself.
KB_HELP = "\n\n".join(
    (
        "Check and search a knowledge base.",
        "A KB is a folder of Markdown articles (YAML front matter, then the body) or one .jsonl "
        "file with the same keys and a `body`. Besides id, title, language, tags, "
        "translation_of and url, an article may list `aliases`: other ways users phrase its "
        "question, matched like its title:",
        "    aliases: \\[forgot my password, reset link expired]",  # \\[: not rich markup
        "A KB may also carry a synonyms file: `synonyms.txt` in the KB folder, or "
        "`NAME.synonyms.txt` beside a `NAME.jsonl` KB. One group a line of words or phrases "
        "that mean the same, separated by commas; `#` starts a comment. A question with one "
        "of them also looks for the others:",
        "    password, passcode, mot de passe, contraseña, senha, كلمة المرور",
        "`kb check` reports a bad synonyms line as `path:line: reason`, like a bad article. A "
        "running bot picks up a changed KB by itself (every SUPPORTBOT_KB_RELOAD_SECONDS, and "
        "at once on SIGHUP) and keeps its previous index while the KB has problems.",
    )
)

kb_app = typer.Typer(
    help=KB_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        help="A folder of Markdown articles or a .jsonl file. "
        "Default: SUPPORTBOT_KB_PATH, else the bundled sample KB.",
    ),
]


@kb_app.command("check")
def check(kb: KbOption = None) -> None:
    """Validate a KB: every problem as `path:line: reason` on stderr (exit 1), or a summary."""
    loaded = load_kb(_kb_path(kb))
    if loaded.problems:
        for problem in loaded.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1)
    typer.echo(_summary(loaded.articles))


@kb_app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Argument(metavar="QUERY", help="The question (omit with --stdin).")
    ] = None,
    kb: KbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many articles.")] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help='A JSON array of {"id", "title", "score"}.')
    ] = False,
    from_stdin: Annotated[
        bool,
        typer.Option("--stdin", help="One query per input line, one JSON array per output line."),
    ] = False,
    language: Annotated[
        str | None, typer.Option(help="Prefer articles in this language (en, fr, pt-MZ, …).")
    ] = None,
) -> None:
    """Best articles first, with a score from 0 to 100."""
    if from_stdin == (query is not None):
        ctx.fail("give either a QUERY or --stdin")
    if from_stdin and not as_json:
        ctx.fail("--stdin answers in JSON lines: add --json")
    index = _searchable_index(_kb_path(kb))
    if from_stdin:
        _answer_lines(index, sys.stdin, sys.stdout, limit=limit, language=language)
        return
    hits = index.search(query or "", limit=limit, language=language)
    if as_json:
        typer.echo(_hits_json(hits))
    elif hits:
        Console().print(_hits_table(hits))
    else:
        typer.echo("No matching articles.")


def _kb_path(given: Path | None) -> Path:
    if given is not None:
        return given
    return settings_or_fail().kb_path or bundled_kb_path()


def _searchable_index(path: Path) -> SearchIndex:
    """The index of what loaded; a broken KB is still searched, with a warning."""
    loaded = load_kb(path)
    if not loaded.articles:
        reason = str(loaded.problems[0]) if loaded.problems else f"{path}: no articles"
        fail(f"nothing to search: {reason}")
    if loaded.problems:
        typer.echo(_problems_warning(path, loaded), err=True)
    return SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)


def _problems_warning(path: Path, loaded: KbLoad) -> str:
    problems = _count(len(loaded.problems), "problem")
    articles = _count(len(loaded.articles), "article")
    return (
        f"supportbot: warning: {problems} in {path} (see `supportbot kb check --kb {path}`); "
        f"searching the {articles} that loaded"
    )


def _answer_lines(
    index: SearchIndex, lines: TextIO, out: TextIO, *, limit: int, language: str | None
) -> None:
    # Flushed per line so a caller can feed one question and read its answer before the next.
    for line in lines:
        query = line.rstrip("\r\n")
        hits = index.search(query, limit=limit, language=language) if query.strip() else []
        out.write(_hits_json(hits) + "\n")
        out.flush()


def _hits_json(hits: Sequence[SearchHit]) -> str:
    rows = [
        {"id": hit.article.id, "title": hit.article.title, "score": round(hit.score, 1)}
        for hit in hits
    ]
    return json.dumps(rows, ensure_ascii=False)


def _hits_table(hits: Sequence[SearchHit]) -> Table:
    table = Table("score", "id", "title", "language")
    for hit in hits:
        table.add_row(f"{hit.score:.1f}", hit.article.id, hit.article.title, hit.article.language)
    return table


def _summary(articles: Sequence[Article]) -> str:
    translations = sum(article.is_translation for article in articles)
    languages = len({article.language.casefold() for article in articles})
    return (
        f"{_count(len(articles), 'article')} ({_count(translations, 'translation')}) "
        f"in {_count(languages, 'language')}: OK"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
