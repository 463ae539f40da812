"""What the sandboxed PDF check finds in the PDFs staff upload, hostile and damaged ones too."""

import pytest

from iecmh_site import sandbox
from iecmh_site.demo.pdf import build_pdf
from iecmh_site.pdfs import examine_pdf
from tests import hostile


def examine(data, make_cover=False):
    return sandbox.run(examine_pdf, data, make_cover=make_cover)


def test_the_accessibility_basics_of_a_tagged_and_an_untagged_pdf(tagged_pdf, untagged_pdf):
    tagged, untagged = examine(tagged_pdf), examine(untagged_pdf)

    assert (tagged["pages"], tagged["tagged"], tagged["language"]) == (3, True, "en-US")
    assert tagged["title"] == "An accessible report"
    assert (untagged["tagged"], untagged["language"], untagged["title"]) == (False, "", "")


def test_marked_but_without_a_structure_tree_is_not_tagged():
    pdf = build_pdf("Half tagged", tagged=False).replace(
        b"/Lang", b"/MarkInfo << /Marked true >> /Lang"
    )

    assert examine(pdf)["tagged"] is False


def test_odd_objects_where_dictionaries_belong_mean_missing_not_an_error():
    assert examine(hostile.pdf_with_odd_mark_info())["tagged"] is False  # /MarkInfo 5
    assert examine(hostile.pdf_with_info_array())["title"] == ""  # /Info -> an array


def test_the_cover_is_the_first_page_as_a_jpeg_960_pixels_wide(tagged_pdf):
    from io import BytesIO

    from PIL import Image

    cover = examine(tagged_pdf, make_cover=True)["cover"]
    with Image.open(BytesIO(cover)) as image:
        assert (image.format, image.width) == ("JPEG", 960)
        assert abs(image.height / image.width - 11 / 8.5) < 0.01  # US Letter
        assert image.convert("L").getpixel((5, 5)) > 240  # white paper


def test_a_page_box_too_thin_to_draw_gives_no_cover_and_says_why():
    found = examine(hostile.pdf_with_page_box(0.01, 14400), make_cover=True)

    assert found["cover"] is None
    assert "unusual size" in found["cover_problem"]


def test_a_pdf_with_editing_restricted_but_no_password_to_open_is_accepted():
    found = examine(hostile.encrypted_pdf(user_password=""), make_cover=True)

    assert found["pages"] == 1 and found["cover"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (hostile.encrypted_pdf(user_password="secret"), "needs a password to open"),
        (build_pdf("Cut short")[:300], "damaged"),
        (b"<html>not a pdf</html>", "not a PDF"),
    ],
    ids=["password", "truncated", "html"],
)
def test_unusable_pdfs_are_refused_with_a_reason(data, message):
    with pytest.raises(sandbox.SandboxError, match=message):
        examine(data, make_cover=True)


def test_a_decompression_bomb_fails_its_job_and_the_worker_stays_up():
    bomb = hostile.pdf_bomb()
    assert len(bomb) < 3 * 1024 * 1024  # a small upload...

    with pytest.raises(sandbox.SandboxError, match="more than 1024 MB of memory"):
        examine(bomb, make_cover=True)  # ...that would inflate to 1.5 GB

    assert examine(build_pdf("Next job"))["pages"] == 1
