"""Self-check quizzes: a chapter's questions, shown by jupyterquiz in a notebook and on the static page.

A chapter's questions live in one file, ``chapters/quizzes/<chapter>.json``, in jupyterquiz's format (a
list of questions, each with ``question``, ``type`` and ``answers``) plus two keys of the course's own:

- ``"computed_by"`` (numeric questions): a Python expression, in ``numpy as np`` and ``dlkit``, that
  computes the answer; a test checks that the correct range holds what dlkit computes;
- ``"predict": true`` marks a question that asks the reader to predict a cell's output or a figure.

:func:`show_quiz` checks the file, drops those keys and displays the questions; the quiz's script and
styles are written into the cell's output, so the saved notebook shows it on the static site, offline
and from ``file://``, with no kernel and nothing loaded from the internet.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

QUESTION_TYPES = ("multiple_choice", "many_choice", "numeric")
COURSE_KEYS = ("computed_by", "predict")

# jupyterquiz's palette, with every colour behind white text dark enough for 4.5:1 contrast.
COLORS = {
    "--jq-multiple-choice-bg": "#392061",
    "--jq-many-choice-bg": "#8a3b00",
    "--jq-numeric-bg": "#392061",
    "--jq-numeric-input-bg": "#4a4a4a",
    "--jq-numeric-input-label": "#101010",
    "--jq-correct-color": "#00632a",
    "--jq-incorrect-color": "#b00020",
    "--jq-text-color": "#ffffff",
    "--jq-link-color": "#cfe0ff",
}


# jupyterquiz writes "Type numeric answer here:" as a <label> not tied to its input, so screen readers
# announce an unnamed text field: tie each such label to the input that follows it.
LABEL_INPUTS = """
document.querySelectorAll(".Quiz label.InpLabel").forEach(function (label) {
  var input = label.nextElementSibling;
  if (input && input.id && !label.htmlFor) { label.htmlFor = input.id; }
});
"""


class QuizError(ValueError):
    """A quiz file that a reader could not use: says which question and what to fix."""


def _problem(path: Path, number: int, text: str) -> QuizError:
    return QuizError(f"{path.name}, question {number}: {text}")


def _check_question(path: Path, number: int, question: Any) -> None:
    if not isinstance(question, dict):
        raise _problem(path, number, "each question must be a JSON object with 'question' and 'answers'.")
    if not str(question.get("question", "")).strip():
        raise _problem(path, number, "the 'question' text is missing.")
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        raise _problem(path, number, f"'type' must be one of {QUESTION_TYPES}, got {kind!r}.")
    answers = question.get("answers")
    if not isinstance(answers, list) or not answers:
        raise _problem(path, number, "'answers' must be a non-empty list.")
    if kind == "numeric":
        correct = [a for a in answers if a.get("correct") and "range" in a]
        if not correct:
            raise _problem(path, number, "a numeric question needs a correct answer with a 'range' "
                                         "[low, high) that sets the tolerance.")
        if not any(a.get("type") == "default" and a.get("feedback") for a in answers):
            raise _problem(path, number, "a numeric question needs a 'default' answer with feedback "
                                         "for every other number.")
        if not str(question.get("computed_by", "")).strip():
            raise _problem(path, number, "a numeric question needs 'computed_by', the dlkit expression "
                                         "that computes its answer.")
    else:
        if len(answers) < 2:
            raise _problem(path, number, "a choice question needs at least two answers.")
        if not any(a.get("correct") for a in answers):
            raise _problem(path, number, "no answer is marked \"correct\": true.")
    for answer in answers:
        if not str(answer.get("feedback", "")).strip():
            label = answer.get("answer", answer.get("range", answer.get("type")))
            raise _problem(path, number, f"answer {label!r} has no feedback: say why it is right or wrong.")


def load_questions(path: str | Path) -> list[dict]:
    """The questions of a quiz file, checked; a :class:`QuizError` naming the question if one is broken."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No quiz file {path}: a chapter's questions live in chapters/quizzes/.")
    try:
        questions = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuizError(f"{path.name} is not valid JSON (line {error.lineno}: {error.msg}).") from None
    if not isinstance(questions, list) or not questions:
        raise QuizError(f"{path.name} must hold a non-empty JSON list of questions.")
    for number, question in enumerate(questions, start=1):
        _check_question(path, number, question)
    return questions


def for_display(questions: list[dict]) -> list[dict]:
    """The questions as jupyterquiz reads them: the course's own keys removed."""
    return [{k: v for k, v in q.items() if k not in COURSE_KEYS} for q in questions]


def show_quiz(path: str | Path) -> None:
    """Display the quiz in ``path`` (in a notebook; the saved output shows it on the static page).

    Answers keep the file's order, and the page ids come from the file's name, so the output is the
    same every time the notebook runs.
    """
    from IPython.display import Javascript, display
    from jupyterquiz import display_quiz

    questions = for_display(load_questions(path))
    state = random.getstate()
    random.seed(Path(path).stem)  # jupyterquiz names its container with random letters
    try:
        display_quiz(questions, shuffle_answers=False, colors=COLORS)
    finally:
        random.setstate(state)
    display(Javascript(LABEL_INPUTS))
