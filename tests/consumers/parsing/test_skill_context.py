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


def test_a_bibliography_names_people_and_works_not_skills():
    text = (
        "Baek JD, Sudha X, Stoskopf C, Seidman R. (2013). Physician incentives and care.\n"
        "Fitch, D. and Akella, R. Cyber-physical analysis. Lecture Notes, doi:10.1007/x"
    )

    assert find_cv_skills(text) == []
    assert find_cv_skills("Wrote the service in Kotlin and the tests in Python.") == [
        "Kotlin",
        "Python",
    ]


def test_an_employer_named_after_a_product_is_not_a_skill():
    assert find_cv_skills("Account executive at Cisco Systems, selling to banks.") == []
    assert find_cv_skills("SAP - Bengaluru, Karnataka", employers=("SAP",)) == []
    # The same name used as a tool elsewhere in the CV still counts.
    assert find_cv_skills("Built SAP reports with ABAP.", employers=("SAP",)) == ["SAP", "ABAP"]


def test_words_and_acronyms_that_are_also_ordinary_words_need_their_case():
    # Portuguese "dos" and "à vista" are not MS-DOS or Windows Vista.
    assert find_skills("Gestão dos pagamentos à vista") == []
    assert find_skills("MS-DOS, Windows Vista, Debian") == ["MS-DOS", "Windows Vista", "Debian"]


def test_a_line_of_short_names_lists_business_skills_without_a_label():
    line = "Project Management | Contract Negotiations | Procurement | Cost Controls"

    assert find_cv_skills(line) == ["Project Management", "Contract Negotiation", "Procurement"]
    # The same words in a sentence stay ordinary words.
    assert find_cv_skills("Supported the sales team in all areas of the marketing plan.") == []


def test_areas_of_expertise_is_a_skills_section():
    from consumers.parsing.sections import split_sections

    _, sections = split_sections("Ana Lima\nAREAS OF EXPERTISE\nLeadership, Budgeting")

    assert [s.kind.value for s in sections] == ["skills"]


def test_a_version_glued_to_a_name_still_names_it():
    assert find_skills("PHP5, HTML5, C++11 and Java8") == ["PHP", "HTML", "C++", "Java"]
    # Not for one-letter names: "R2" is a release, "C3" a grade.
    assert find_skills("Windows Server 2008 R2, grade C3") == ["Windows Server"]


def test_a_contact_channel_is_not_a_skill():
    assert find_cv_skills("LinkedIn: linkedin.com/in/ana · Skype: ana.lima") == []
    assert find_cv_skills("Tools: Jira | GitHub | Docker") == ["Jira", "GitHub", "Docker"]
