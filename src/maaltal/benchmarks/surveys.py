"""User surveys (brugerundersøgelser): response rate and the share per answer against a comparison group.

Horsens item 4: 1.424 of 3.637 answered, a response rate of 39 pct.; Gladsaxe item 10: 56 pct. satisfied
against 59 pct. in the 13 municipalities together, whose response rate was 43 pct. A share is given as a
count of respondents (the share is then computed) or, as surveys are usually published, as a per cent.
Questions answered by fewer than five are suppressed in outputs.

Input: a YAML file::

    title: Brugerundersøgelse om borgerkontakt under nedlukningen
    municipality: Horsens
    invited: 3637
    responded: 1424
    comparison: {name: 13 pilotkommuner, invited: 23000, responded: 10000}   # optional
    questions:
      - question: Oplevede det som positivt at blive kontaktet
        respondents: 1424            # default: responded
        answers:
          - {answer: Positivt, share: 86, comparison_share: 80}     # or count: 1225
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from maaltal import yamlfile
from maaltal.benchmarks.disclosure import is_small
from maaltal.fields import Fields

ROUNDING_SLACK = 0.5  # per answer: published shares are rounded to whole per cent


@dataclass(frozen=True)
class Group:
    name: str
    invited: int | None
    responded: int | None

    @property
    def response_rate(self) -> float | None:
        if not self.invited or self.responded is None:
            return None
        return self.responded / self.invited * 100


@dataclass(frozen=True)
class Answer:
    answer: str
    share: float
    count: int | None
    comparison_share: float | None

    @property
    def difference(self) -> float | None:
        return None if self.comparison_share is None else self.share - self.comparison_share


@dataclass(frozen=True)
class Question:
    question: str
    respondents: int | None
    answers: tuple[Answer, ...]

    @property
    def small(self) -> bool:
        return is_small(self.respondents)


@dataclass(frozen=True)
class Survey:
    title: str
    source: str
    own: Group
    comparison: Group | None
    questions: tuple[Question, ...]

    def to_dict(self) -> dict:
        def group(g: Group | None) -> dict | None:
            return None if g is None else {"name": g.name, "invited": g.invited, "responded": g.responded,
                                           "response_rate": g.response_rate}

        return {"title": self.title, "source": self.source, "municipality": group(self.own),
                "comparison": group(self.comparison),
                "questions": [{"question": q.question, "respondents": q.respondents, "suppressed": q.small,
                               "answers": [] if q.small else [
                                   {"answer": a.answer, "share": a.share, "count": a.count,
                                    "comparison_share": a.comparison_share, "difference": a.difference}
                                   for a in q.answers]} for q in self.questions]}


def load(path: str | Path) -> Survey:
    r = Fields(yamlfile.load(path))
    if r.mapping((), "filen skal have felterne title, municipality og questions") is None:
        r.check()
    r.unknown((), ("title", "municipality", "source", "invited", "responded", "comparison", "questions"))
    title, municipality = r.text(("title",)), r.text(("municipality",))
    source = r.text(("source",), required=False) or str(path)
    own = _group(r, (), municipality)
    comparison = _group(r, ("comparison",), r.text(("comparison", "name"))) if r.has(("comparison",)) else None
    raw = r.items(("questions",), "der skal være mindst ét spørgsmål (en liste)")
    questions = [_question(r, i, own.responded) for i in range(len(raw))]
    r.check()
    return Survey(title, source, own, comparison, tuple(questions))


def _group(r: Fields, base: tuple, name: str | None) -> Group:
    invited = r.number(base + ("invited",), required=False, integer=True, minimum=1)
    responded = r.number(base + ("responded",), required=False, integer=True, minimum=0)
    if invited is not None and responded is not None and responded > invited:
        r.fail(base + ("responded",), f"{int(responded)} svar er flere end de {int(invited)} adspurgte")
    return Group(name or "", None if invited is None else int(invited),
                 None if responded is None else int(responded))


def _question(r: Fields, i: int, responded: int | None) -> Question:
    base = ("questions", i)
    text = r.text(base + ("question",))
    respondents = r.number(base + ("respondents",), required=False, integer=True, minimum=0) or responded
    raw = r.items(base + ("answers",), "der skal være mindst ét svar (en liste)")
    answers = []
    for j in range(len(raw)):
        path = base + ("answers", j)
        label = r.text(path + ("answer",))
        count = r.number(path + ("count",), required=False, integer=True, minimum=0)
        share = r.number(path + ("share",), required=False, minimum=0)
        comparison = r.number(path + ("comparison_share",), required=False, minimum=0)
        if (count is None) == (share is None):
            r.fail(path, "angiv enten count (antal svar) eller share (procent)")
            continue
        if count is not None:
            if not respondents:
                r.fail(path + ("count",), "antal svar kræver respondents for spørgsmålet eller responded")
                continue
            if count > respondents:
                r.fail(path + ("count",), f"{int(count)} er flere end de {respondents}, der svarede")
                continue
            share = count / respondents * 100
        if share > 100 or (comparison is not None and comparison > 100):
            r.fail(path, "en andel kan ikke være over 100 pct.")
            continue
        if label is not None:
            answers.append(Answer(label, share, None if count is None else int(count), comparison))
    if sum(a.share for a in answers) > 100 + ROUNDING_SLACK * len(answers):
        r.fail(base + ("answers",), "svarenes andele er tilsammen over 100 pct.")
    return Question(text or "", respondents, tuple(answers))
