"""Uploaded images are checked before anything is kept (issue 13, item 3): type, size and pixel count."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db
Image = get_image_model()


def _png(width, height):
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG", optimize=True)  # 1 bit per pixel: a small file
    return buffer.getvalue()


def _upload(client, name, content):
    return client.post(
        "/admin/images/add/", {"title": "Logo", "file": SimpleUploadedFile(name, content), "collection": 1}
    )


def test_a_real_png_is_kept(admin_client):
    response = _upload(admin_client, "logo.png", _png(64, 64))
    assert response.status_code == 302 and Image.objects.filter(title="Logo").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        (
            "logo.png",
            b"<html><script>alert(1)</script></html>",
            "invalid_image_known_format",
        ),  # not an image at all
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "invalid_image_extension",
        ),
        ("logo.png", _png(5000, 5000), "file_too_many_pixels"),  # 25 Mpx, in a small file
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024 + 1), "file_too_large"),
    ],
    ids=["html-as-png", "svg", "pixels", "size"],
)
def test_a_bad_image_is_refused_with_the_reason_and_nothing_is_kept(admin_client, name, content, code):
    response = _upload(admin_client, name, content)
    assert response.status_code == 200  # the form again, the file field saying why
    assert [error.code for error in response.context["form"].errors.as_data()["file"]] == [code]
    assert Image.objects.count() == 0
