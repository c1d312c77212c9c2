"""A skill counts when its context says so: a skills section, a list, or a tool in use."""

from consumers.parsing.skills import find_cv_skills, find_skills


def test_generic_words_in_prose_are_not_skills():
    text = "Excellent communication and leadership, I love sales and teaching."

    assert find_cv_skills(text) == []


def test_tools_named_in_a_sentence_are_skills():
    assert find_cv_skills("Automated weekly reporting with Python and pandas.") == [
        "Python",
        "Pandas",
    ]


def test_a_labelled_list_names_business_skills_too():
    assert find_cv_skills("Competencies: Sales, Negotiation, Customer Service") == [
        "Sales",
        "Negotiation",
        "Customer Service",
    ]


def test_words_that_double_as_skill_names_need_a_list_around_them():
    assert find_cv_skills("Student Teacher, Spring 2016. Wrote in Word every day") == []
    assert find_cv_skills("Java, Spring, Hibernate, Word") == [
        "Java",
        "Spring",
        "Hibernate",
        "Word",
    ]


def test_the_skills_section_is_taken_whole():
    assert find_cv_skills("Leadership in prose", "Leadership\nCommunication") == [
        "Leadership",
        "Communication",
    ]


def test_single_letters_inside_other_tokens_are_not_languages():
    assert find_skills("R&D at SAP R/3, grade (C), C/o the office") == ["SAP"]
    assert find_skills("C, C++ and R") == ["C", "C++", "R"]


def test_a_degree_vouches_for_a_technical_field_but_not_a_business_one():
    degrees = "Bachelor of Business Administration\nMestrado em Estatística"
    text = f"Education\n{degrees}"

    assert find_cv_skills(text, studied=degrees) == ["Statistics"]


def test_a_season_in_a_listed_line_is_a_term_not_the_framework():
    assert "Spring" not in find_cv_skills("", listed="Java, Hibernate (course, Spring 2019)")


def test_a_sentence_run_into_a_skills_section_is_read_as_prose():
    listed = (
        "Java, SQL, Docker\nExcellent communication with the customers and the whole sales team"
    )

    assert find_cv_skills(listed, listed=listed) == ["Java", "SQL", "Docker"]
