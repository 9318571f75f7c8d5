"""dlkit.quiz and every chapter's self-check quiz (chapters/quizzes/<chapter>.json)."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import dlkit
from dlkit import quiz

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "chapters" / "quizzes"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))
QUIZ_FILES = sorted(QUIZZES.glob("*.json"))


def quiz_name(chapter: Path) -> str:
    """``06_training.ipynb`` -> ``training``: quiz files are named without the chapter's number."""
    return re.sub(r"^\d+[a-z]?_", "", chapter.stem)


def quiz_cells(chapter: Path) -> list[str]:
    notebook = nbformat.read(chapter, as_version=4)
    return [cell.source for cell in notebook.cells
            if cell.cell_type == "code" and "show_quiz(" in cell.source]


def correct_range(question: dict) -> tuple[float, float]:
    (answer,) = [a for a in question["answers"] if a.get("correct") and "range" in a]
    return tuple(answer["range"])


# ---------------------------------------------------------------------------------------------
# Every chapter has its quiz, and every quiz is sound


def test_there_are_chapters_and_quizzes():
    assert CHAPTERS and QUIZ_FILES


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_shows_its_own_quiz_once(chapter):
    cells = quiz_cells(chapter)
    expected = f'show_quiz("quizzes/{quiz_name(chapter)}.json")'
    assert len(cells) == 1 and expected in cells[0], \
        f"{chapter.name} must have one code cell calling {expected}"
    assert (QUIZZES / f"{quiz_name(chapter)}.json").is_file()


def test_every_quiz_file_belongs_to_a_chapter():
    names = {quiz_name(chapter) for chapter in CHAPTERS}
    assert {path.stem for path in QUIZ_FILES} <= names


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_quiz_has_four_to_eight_questions_and_one_asks_for_a_prediction(path):
    questions = quiz.load_questions(path)
    assert 4 <= len(questions) <= 8, f"{path.name}: {len(questions)} questions"
    assert any(q.get("predict") for q in questions), f"{path.name}: no question asks to predict"


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_every_option_has_feedback_and_every_choice_question_one_right_answer(path):
    for question in quiz.load_questions(path):
        assert all(answer["feedback"].strip() for answer in question["answers"])
        if question["type"] == "multiple_choice":
            assert sum(bool(a.get("correct")) for a in question["answers"]) == 1, question["question"]


NUMERIC = [pytest.param(path.stem, number, q, id=f"{path.stem}-{number}") for path in QUIZ_FILES
           for number, q in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1)
           if q["type"] == "numeric"]


@pytest.mark.parametrize("name, number, question", NUMERIC)
def test_numeric_answer_is_what_dlkit_computes(name, number, question):
    expression = question["computed_by"]
    for module in set(re.findall(r"dlkit\.([a-z_]+)\.", expression)):  # e.g. dlkit.autograd.Value
        importlib.import_module(f"dlkit.{module}")
    value = float(eval(expression, {"np": np, "dlkit": dlkit}))  # noqa: S307 - our own files
    low, high = correct_range(question)
    assert low <= value < high, f"{name} question {number}: dlkit computes {value}, not in [{low}, {high})"
    tolerance = high - low
    assert tolerance <= max(0.02 * abs(value), 0.02), f"{name} question {number}: range too wide"
    for answer in question["answers"]:
        if "range" in answer and not answer.get("correct"):
            lo, hi = answer["range"]
            assert not lo <= value < hi, f"{name} question {number}: a wrong range holds the answer"


def test_at_least_one_numeric_question_in_most_chapters():
    with_numeric = {param.values[0] for param in NUMERIC}
    assert len(with_numeric) >= len(QUIZ_FILES) - 1


# ---------------------------------------------------------------------------------------------
# A broken quiz file is refused with a message that says what to fix


def write(tmp_path: Path, questions) -> Path:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(questions), encoding="utf-8")
    return path


GOOD = {"question": "2 + 2?", "type": "multiple_choice", "answers": [
    {"answer": "4", "correct": True, "feedback": "Right."},
    {"answer": "5", "correct": False, "feedback": "Count again."}]}


def test_a_good_file_loads(tmp_path):
    assert quiz.load_questions(write(tmp_path, [GOOD])) == [GOOD]


@pytest.mark.parametrize("change, message", [
    (lambda q: q["answers"][1].pop("feedback"), "has no feedback"),
    (lambda q: q["answers"][0].update(correct=False), "no answer is marked"),
    (lambda q: q.update(type="essay"), "'type' must be one of"),
    (lambda q: q.update(answers=[q["answers"][0]]), "at least two answers"),
    (lambda q: q.pop("question"), "'question' text is missing"),
])
def test_a_broken_question_is_named_with_the_fix(tmp_path, change, message):
    question = json.loads(json.dumps(GOOD))
    change(question)
    with pytest.raises(quiz.QuizError, match=message) as error:
        quiz.load_questions(write(tmp_path, [GOOD, question]))
    assert "question 2" in str(error.value)


def test_a_numeric_question_needs_a_tolerance_a_default_and_its_computation(tmp_path):
    numeric = {"question": "1 + 1?", "type": "numeric", "computed_by": "1 + 1",
               "answers": [{"type": "range", "range": [1.99, 2.01], "correct": True, "feedback": "Yes."},
                           {"type": "default", "feedback": "Add them."}]}
    assert quiz.load_questions(write(tmp_path, [numeric]))
    for key, message in [("computed_by", "needs 'computed_by'")]:
        broken = dict(numeric)
        broken.pop(key)
        with pytest.raises(quiz.QuizError, match=message):
            quiz.load_questions(write(tmp_path, [broken]))
    no_default = dict(numeric, answers=numeric["answers"][:1])
    with pytest.raises(quiz.QuizError, match="'default' answer"):
        quiz.load_questions(write(tmp_path, [no_default]))
    no_range = dict(numeric, answers=[{"type": "value", "value": 2, "correct": True, "feedback": "Yes."},
                                      numeric["answers"][1]])
    with pytest.raises(quiz.QuizError, match="'range'"):
        quiz.load_questions(write(tmp_path, [no_range]))


def test_invalid_json_and_a_missing_file_say_so(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(quiz.QuizError, match="not valid JSON"):
        quiz.load_questions(path)
    with pytest.raises(FileNotFoundError, match="chapters/quizzes"):
        quiz.load_questions(tmp_path / "missing.json")


# ---------------------------------------------------------------------------------------------
# What show_quiz writes into the notebook


@pytest.fixture()
def shown(monkeypatch):
    """Calls show_quiz and returns what it displayed, as (html, javascript)."""
    pytest.importorskip("jupyterquiz")
    import jupyterquiz.dynamic.display as display_module

    def run(path):
        outputs = []
        monkeypatch.setattr(display_module, "display", outputs.append)
        monkeypatch.setattr("IPython.display.display", outputs.append)
        quiz.show_quiz(path)
        html, script, labels = outputs
        assert "label.htmlFor" in labels.data
        return html.data, script.data

    return run


def test_show_quiz_embeds_every_question_and_its_own_script(shown):
    path = QUIZZES / "neurons.json"
    html, script = shown(path)
    assert "<style>" in html and "<div id=" in html
    for question in quiz.load_questions(path):
        assert json.dumps(question["question"]) in script  # the questions travel with the page
        assert "computed_by" not in script
    assert "function show_questions" in script  # jupyterquiz's code itself, not a link to it
    assert "shuffleanswers=\"False\"" in html


def test_show_quiz_writes_the_same_output_every_time_and_leaves_random_alone(shown):
    import random

    random.seed(1)
    expected_next = random.random()
    random.seed(1)
    first = shown(QUIZZES / "neurons.json")
    assert random.random() == expected_next
    assert shown(QUIZZES / "neurons.json") == first
    assert shown(QUIZZES / "layers.json") != first
