"""The `cqqa` command: parse arguments, call the library, print. Nothing else lives here."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .config import RETRIEVERS, Settings
from .errors import CqqaError
from .records import FACT_KINDS
from .textutil import plural, safe_name

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (no usage dump), exit code 2."""

    def error(self, message: str) -> NoReturn:
        hint = f"Run `{self.prog} --help` for usage."
        if "required: question" in message or "unrecognized arguments" in message:
            hint += " A question that starts with '-' goes after `--`: cqqa ask -- '-5 ...'."
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}. {hint}\n")


def main(argv: Sequence[str] | None = None) -> int:
    _degrade_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(argv)
    question = getattr(args, "question", None)
    if isinstance(question, str) and question.startswith("-") and "--" not in argv:
        # argparse takes "-5" for a number, not an option; the documented rule is that a
        # question starting with '-' goes after `--`, so say so instead of answering "-5".
        args.parser.error(f"unrecognized arguments: {question}")
    if not os.environ.get("CQQA_DEBUG"):
        # torch's export and transformers warn about their own internals; users cannot act on it.
        warnings.filterwarnings("ignore")
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        settings = Settings.from_env().with_overrides(
            corpus_dir=args.corpus,
            index_dir=args.index or _own_index(args.corpus),
            model=args.model,
            k=getattr(args, "k", None),
            retriever=getattr(args, "retriever", None),
        )
        return args.run(args, settings) or 0
    except CqqaError as exc:
        print(f"cqqa: {safe_name(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("cqqa: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a user sees one line, a developer sets CQQA_DEBUG
        if os.environ.get("CQQA_DEBUG"):
            raise
        print(
            f"cqqa: unexpected error: {type(exc).__name__}: {safe_name(exc)} "
            "(set CQQA_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 1


def _degrade_output() -> None:
    """Never crash on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii,
    LC_ALL=POSIX): it is printed as '?' (stdout) or an escape (stderr) instead."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=errors)
            except (ValueError, OSError):
                pass


def _print_json(data: object) -> None:
    """JSON on stdout; escaped to ASCII when stdout cannot take UTF-8, so it stays exact."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "")
    print(json.dumps(data, ensure_ascii=encoding not in ("utf8", "utf8sig")))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cqqa",
        description="Ask questions about the documents in corpus/ and get the number "
        "with its source. Runs offline.",
    )
    parser.add_argument("--version", action="version", version=f"cqqa {__version__}")
    common = _Parser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="documents folder (CQQA_CORPUS_DIR)")
    common.add_argument(
        "--index",
        metavar="DIR",
        help="index folder (CQQA_INDEX_DIR; with --corpus alone: DIR/.cqqa-index)",
    )
    common.add_argument("--model", metavar="DIR", help="local sentence-transformers model folder")
    retrieval = _Parser(add_help=False)
    retrieval.add_argument("-k", type=int, metavar="N", help="passages to return (default 5)")
    retrieval.add_argument("--retriever", choices=RETRIEVERS, help="default hybrid")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", parents=[common, retrieval], help="answer a question")
    ask.add_argument("question")
    ask.add_argument(
        "--history",
        nargs="*",
        default=[],
        metavar="PREVIOUS",
        help="earlier questions of the conversation, oldest first",
    )
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument(
        "--doc",
        action="append",
        metavar="ID",
        help="ask only this document (its id, the file name without suffix); repeatable",
    )
    ask.set_defaults(run=_ask, parser=ask)

    index = sub.add_parser("index", parents=[common], help="build the index (when stale)")
    index.add_argument("--force", action="store_true", help="rebuild even when current")
    index.set_defaults(run=_index)

    ev = sub.add_parser("eval", parents=[common, retrieval], help="score a question file")
    ev.add_argument("file", help="JSON Lines question file, e.g. eval/questions.jsonl")
    ev.add_argument("--json", action="store_true", help="print summary and results as JSON")
    ev.set_defaults(run=_eval)

    facts = sub.add_parser("facts", parents=[common], help="list the corpus's numeric facts")
    facts.add_argument("--kind", choices=FACT_KINDS, help="only facts of this kind")
    facts.add_argument("--format", choices=("table", "csv", "json"), default="table")
    facts.set_defaults(run=_facts)

    serve = sub.add_parser("serve", parents=[common], help="start the web chat")
    serve.add_argument("--host", help="default 127.0.0.1 (CQQA_HOST)")
    serve.add_argument("--port", type=int, help="default 7860 (CQQA_PORT)")
    serve.set_defaults(run=_serve)
    return parser


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from .assistant import Assistant
    from .corpus import require_documents
    from .index import indexed_hashes
    from .question import clean_question
    from .render import answer_text

    clean_question(args.question, settings.max_question_chars)  # bad input fails before loading
    require_documents(settings.corpus_dir, known=indexed_hashes(settings.index_dir))
    assistant = Assistant(settings)
    result = assistant.ask(args.question, args.history, documents=args.doc)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(answer_text(result, assistant.index, color=sys.stdout.isatty()))
    return 0


def _index(args: argparse.Namespace, settings: Settings) -> int:
    from .corpus import require_documents
    from .index import build, read_manifest, stale_reasons, verify_problems

    require_documents(settings.corpus_dir)
    found = read_manifest(settings.index_dir)
    reasons = stale_reasons(settings, found[1] if found else None)
    if not args.force and not reasons:
        reasons = verify_problems(settings)  # every file hashed: a flipped byte is stale too
    if not args.force and not reasons:
        counts = found[1]["counts"]
        print(
            f"The index in {safe_name(settings.index_dir)}/ is current "
            f"({plural(counts['documents'], 'document')}, {plural(counts['chunks'], 'chunk')}). "
            "Use --force to rebuild it anyway."
        )
        return 0
    why = "; ".join(reasons) if reasons else "--force"
    print(f"Building the index: {why}.", file=sys.stderr)
    build(settings, progress=True)
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from .assistant import Assistant
    from .corpus import require_documents
    from .evaluate import load_questions, summary_table

    questions = load_questions(args.file)
    require_documents(settings.corpus_dir)
    report = Assistant(settings).evaluate(questions)
    if args.json:
        _print_json(report)
    else:
        print(summary_table(report))
    return 0


def _facts(args: argparse.Namespace, settings: Settings) -> int:
    from .assistant import Assistant
    from .corpus import require_documents
    from .render import facts_csv, facts_table

    require_documents(settings.corpus_dir)
    assistant = Assistant(settings)
    facts = assistant.facts(args.kind)
    if args.format == "json":
        _print_json([f.to_dict() for f in facts])
    elif args.format == "csv":
        sys.stdout.write(facts_csv(facts, assistant.index))
    else:
        print(facts_table(facts))
    return 0


def _own_index(corpus: str | None) -> str | None:
    """`--corpus DIR` alone gets its own index inside DIR, so that it does not replace the
    default corpus's index (and the next plain command does not rebuild that one)."""
    if corpus and not (os.environ.get("CQQA_INDEX_DIR") or os.environ.get("CQQA_INDEX")):
        return os.path.join(corpus, ".cqqa-index")
    return None


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from .server import serve

    serve(settings.with_overrides(host=args.host, port=args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
