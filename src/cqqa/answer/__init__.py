"""Question (+history) -> passages -> a short answer with its offsets, or an honest decline.

The stages, in data-flow order, one file each:
- question parsing (`cqqa.question`): what is asked for and constrained;
- `followup`: what an elliptical question borrows from the conversation;
- `sentences`: the retrieved passages' sentences, scored against the question;
- `verify`: rules about language a supporting sentence must satisfy (near misses);
- the reader (`cqqa.reader`) proposes spans; `extract` keeps the best one the verifier
  passes, snapped to a numeric fact (`numeric`) when the question asks for a number;
- `confidence`: a fitted model of whether that span answers the question at all;
- `acronym`, `source`, `describe`: what a defined abbreviation stands for, where the text
  says it comes from ("Source: …"), and how it describes a thing ("How is X described?"),
  before the reader is asked;
- `clauses`: what a clause gives by its grammar (an example after "including", a purpose,
  what a fact reflects), also before the reader.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import check_history, check_k, check_retriever
from ..index import Index
from ..multilingual import language
from ..question import Question, clean_question, without_attribution
from ..records import Answer, AnswerSpan, Fact, Passage
from ..retrieve import retrieve
from ..vocabulary import correct_typos, proper_nouns
from .acronym import abbreviation
from .clauses import clause_answer
from .describe import describe
from .extract import read, the_other
from .followup import clean_history, in_english, resolve, same_conversation
from .lifespan import life_years
from .reasoning import reason
from .sentences import scored_sentences
from .source import source
from .verify import gate

__all__ = ["answer"]


def answer(
    index: Index,
    question: str,
    history: Sequence[str] = (),
    k: int = 5,
    retriever: str = "hybrid",
    rrf_k: int = 60,
    max_chars: int = 2000,
) -> Answer:
    """Answer one question from the index; never raises for odd text, only for bad input."""
    question = clean_question(question, max_chars)
    k, retriever = check_k(k), check_retriever(retriever)
    history = tuple(clean_history(check_history(history), max_chars))
    lang = language(question)
    history = same_conversation(question, lang, history)
    if lang != "en":
        # Another language: the question is put to the same stages in the documents' English.
        from .foreign import answer_foreign  # only then: its parsers cost an English ask

        return answer_foreign(index, question, history, lang, k, retriever, rrf_k)
    corrected = without_attribution(correct_typos(index, question))
    earlier = in_english(index, history)  # a Chinese turn it leans on, as the English asked
    earlier = tuple(correct_typos(index, h) for h in earlier)
    query, asked, context = resolve(corrected, earlier, proper_nouns(index))
    vector = index.encoder.encode([query])
    passages = retrieve(index, query, k=k, mode=retriever, rrf_k=rrf_k, vector=vector)
    facts = facts_of(index, passages)
    sentences = scored_sentences(index, vector[0], asked, passages)
    derived = reason(index, corrected, asked, context, query, passages, sentences, earlier)
    if derived is None:
        derived = (
            abbreviation(index, corrected, passages)
            or source(index, corrected, passages)
            or describe(index, asked, context, corrected, sentences)
            or clause_answer(index, asked, context, corrected, sentences)
            or life_years(index, corrected, sentences)
        )
    if derived is not None:  # a yes/no, comparison, sum, superlative or summary question
        span, why = derived
    else:
        span, why = gated_read(index, asked, context, query, passages, sentences)
        if span is not None:  # "Which country is the other one from?": not the one named
            span = the_other(span, corrected, " ".join([corrected, *earlier]))
    return answered(question, history, span, passages, facts, query, why)


def gated_read(
    index: Index,
    asked: Question,
    context: str,
    query: str,
    passages: Sequence[Passage],
    sentences: list,
) -> tuple[AnswerSpan | None, str]:
    """The verifier's gate first (nothing is about the question, a name found nowhere…),
    then the reader's verified span: the span, or None, and why."""
    why = gate(index, asked, context, query, sentences)
    if why:
        return None, why
    return read(index, asked, context, passages, sentences)


def answered(
    question: str,
    history: Sequence[str],
    span: AnswerSpan | None,
    passages: Sequence[Passage],
    facts: Sequence[Fact],
    query: str,
    reason: str,
    lang: str = "en",
) -> Answer:
    """The Answer record of a question, in any language: declined when there is no span."""
    return Answer(
        question=question,
        history=tuple(history),
        answer=span,
        abstained=span is None,
        passages=tuple(passages),
        facts=tuple(facts),
        query=query,
        reason=reason,
        lang=lang,
    )


def facts_of(index: Index, passages: Sequence[Passage]) -> list[Fact]:
    seen, out = set(), []
    for p in passages:
        for f in index.facts_for(p.doc, p.start, p.end):
            if (f.doc, f.start) not in seen:
                seen.add((f.doc, f.start))
                out.append(f)
    return out
