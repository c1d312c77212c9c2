import pytest
from hypothesis import given
from hypothesis import strategies as st

from consumers.parsing.dates import find_date_range, parse_date_range, years_in


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("jan/2020 – atual", "2020-01", None),
        ("03/2018 - 01/2020", "2018-03", "2020-01"),
        ("March 2018 – Present", "2018-03", None),
        ("2019 - 2021", "2019-01", "2021-12"),
        ("mar. 2018 a dez. 2019", "2018-03", "2019-12"),
        ("Janeiro de 2020 - o momento", "2020-01", None),
        ("Jun 2017 to Current", "2017-06", None),
        ("Set 2019 — Atualmente", "2019-09", None),
        ("maio de 2019 até o momento", "2019-05", None),
        ("05/2019 até 03/2021", "2019-05", "2021-03"),
        ("Fevereiro 2020 – Presente", "2020-02", None),
        ("September 2017 onwards", "2017-09", None),
        ("Desde 2020", "2020-01", None),
        ("Analista | 2015—2017", "2015-01", "2017-12"),
        ("2021-03 - 2022-05", "2021-03", "2022-05"),
    ],
)
def test_parse_date_range(text, start, end):
    assert parse_date_range(text) == (start, end)


def test_current_flag_and_span():
    found = find_date_range("Dev – Acme | jan/2020 – atual")

    assert found is not None
    assert found.current is True
    assert "Dev – Acme | jan/2020 – atual"[found.span[0] : found.span[1]] == "jan/2020 – atual"


@pytest.mark.parametrize("text", ["sem datas aqui", "2021 - 2019", "(11) 98765-4321"])
def test_no_range(text):
    assert parse_date_range(text) == (None, None)


def test_month_thirteen_is_not_a_month():
    start, _ = parse_date_range("13/2020")

    assert start is None or not start.endswith("-13")


def test_years_in():
    assert years_in("1999, 2005 e 12345") == [1999, 2005]


_MONTHS_PT = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_STYLES = [
    lambda m, y: f"{m:02d}/{y}",
    lambda m, y: f"{_MONTHS_PT[m - 1]}/{y}",
    lambda m, y: f"{_MONTHS_PT[m - 1]}. {y}",
    lambda m, y: f"{_MONTHS_EN[m - 1]} {y}",
    lambda m, y: f"{_MONTHS_PT[m - 1].upper()} de {y}",
]
_dates = st.tuples(st.integers(1960, 2035), st.integers(1, 12))


@given(
    first=_dates,
    second=_dates,
    style=st.sampled_from(_STYLES),
    separator=st.sampled_from([" - ", " – ", " — ", "-", " a ", " até ", " to "]),
)
def test_generated_ranges_round_trip(first, second, style, separator):
    start, end = sorted([first, second])
    text = f"{style(start[1], start[0])}{separator}{style(end[1], end[0])}"

    assert parse_date_range(text) == (
        f"{start[0]}-{start[1]:02d}",
        f"{end[0]}-{end[1]:02d}",
    )


@given(
    start=_dates,
    style=st.sampled_from(_STYLES),
    current=st.sampled_from(["atual", "Atualmente", "o momento", "Present", "current", "hoje"]),
)
def test_generated_current_ranges(start, style, current):
    found = find_date_range(f"{style(start[1], start[0])} – {current}")

    assert found is not None
    assert found.current is True
    assert (found.start, found.end) == (f"{start[0]}-{start[1]:02d}", None)
