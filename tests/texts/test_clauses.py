"""Splitting deal texts into clauses with labels, lead-ins and exact words."""

from __future__ import annotations

from rightsledger.texts import split_clauses


def labels(text: str) -> list[str]:
    return [c.label for c in split_clauses(text)]


def test_numbered_points_of_every_style():
    text = "1. One.\n\n(2) Two.\n\nIII. Three.\n\nd) Four.\n\n(e) Five."
    assert labels(text) == ["1", "(2)", "III", "d)", "(e)"]
    assert [c.text for c in split_clauses(text)] == [
        "One.",
        "Two.",
        "Three.",
        "Four.",
        "Five.",
    ]


def test_unnumbered_paragraphs_are_labelled_by_position():
    text = "First paragraph\nwrapped over two lines.\n\nSecond paragraph."
    clauses = split_clauses(text)
    assert [c.label for c in clauses] == ["¶1", "¶2"]
    assert clauses[0].text == "First paragraph wrapped over two lines."
    assert clauses[1].line == 4


def test_items_keep_the_lead_in_that_governs_them():
    text = "The DPRK shall:\n- close the camps;\n- free the prisoners.\n\nThe end."
    clauses = split_clauses(text)
    assert [c.label for c in clauses] == ["¶1", "¶1-1", "¶1-2", "¶4"]
    assert clauses[1].lead == "The DPRK shall:"
    assert clauses[2].text == "free the prisoners."
    assert clauses[3].lead == ""


def test_lead_in_carries_over_a_blank_line_to_numbered_items():
    text = "The Parties agree:\n\n(a) to meet;\n\n(b) to talk."
    clauses = split_clauses(text)
    assert [c.lead for c in clauses] == ["", "The Parties agree:", "The Parties agree:"]


def test_nested_numbers_form_one_label():
    assert labels("1. (a) Declaration on Principles") == ["1 (a)"]


def test_editorial_notes_are_not_clauses():
    text = (
        "[...]\n\n[From point 2, as quoted:]\nThe DPRK and Japan undertook to talk.\n"
    )
    clauses = split_clauses(text)
    assert len(clauses) == 1
    assert clauses[0].text == "The DPRK and Japan undertook to talk."


def test_sentences_after_a_list_become_their_own_clauses():
    text = "They intend:\n- to ease travel;\nThey will lower fees.\nThey intend more."
    assert labels(text) == ["¶1", "¶1-1", "¶3", "¶4"]


def test_abbreviations_do_not_look_like_numbers():
    assert labels("U.S. forces will stay.\n\nMr. Wu chaired the talks.") == [
        "¶1",
        "¶2",
    ]
