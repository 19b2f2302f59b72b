"""Example questions come from the corpus side, and a decline names what was searched."""

from __future__ import annotations

import json

from homes import make_home, run

from cqqa.examples import EXAMPLES_FILE, example_questions, not_found
from cqqa.index import open_index


def test_the_corpus_file_gives_the_examples(index, settings):
    own = json.loads((settings.corpus_dir / EXAMPLES_FILE).read_text(encoding="utf-8"))
    assert example_questions(index, settings.corpus_dir) == own[:4]


def test_without_a_file_examples_are_made_from_the_facts(tmp_path, built):
    home = make_home(tmp_path, built[0])
    (home.corpus / EXAMPLES_FILE).unlink()
    index = open_index(home.settings, note=lambda m: None)
    made = example_questions(index, home.corpus)
    assert 1 <= len(made) <= 4 and len(set(made)) == len(made)
    units = {f.unit for f in index.facts if f.unit}
    assert any(unit in q for q in made for unit in units)  # they name what the corpus counts
    (home.corpus / EXAMPLES_FILE).write_text("{not json", encoding="utf-8")
    assert example_questions(index, home.corpus) == made  # a broken file is not fatal


def test_one_article_or_several_documents(tmp_path, built, index):
    assert not_found(index) == "Not in the article"
    home = make_home(tmp_path, built[0])
    (home.corpus / "bakery.txt").write_text(
        "Elm Street bakery\n\nThe bakery on Elm Street opened in March 2019 and sells 400 loaves "
        "a day.\n",
        encoding="utf-8",
    )
    result = run("ask", "Who is the mayor of Oslo?", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Not in the documents:")
