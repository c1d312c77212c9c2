from bench.eval_parsing import _wanted


def test_every_field_is_wanted_when_none_is_named():
    wanted = _wanted(None)
    assert wanted("name")
    assert wanted("skills (precision)")


def test_a_named_field_selects_its_precision_and_recall_rows():
    wanted = _wanted(["skills"])
    assert wanted("skills (precision)")
    assert wanted("skills (recall)")
    assert not wanted("name")


def test_field_names_are_matched_whole():
    wanted = _wanted(["phone"])
    assert wanted("phone")
    assert not wanted("phones (all)")
