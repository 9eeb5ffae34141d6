"""A QR code per service on the printed list and in its PDF (issue 12, item 2): a phone that
scans it opens that service's page. The codes are decoded, not compared with what made them."""

import io
import re

import pypdfium2
import zxingcpp
from PIL import Image, ImageDraw

from tests.public.test_print_list import _catalogue
from tests.public.test_print_pdf import _require_pdf

BASE = "http://dienstenwijzer.test/gent/diensten/"


def svg_to_image(svg: str, pixels_per_module: int = 8) -> Image.Image:
    """Draw segno's SVG path (horizontal runs: M x y, m dx dy, h dx) in black on white."""
    width, height = (
        int(float(v)) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    )
    image = Image.new("L", (width * pixels_per_module, height * pixels_per_module), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, a, b in re.findall(
        r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", re.search(r' d="([^"]+)"', svg).group(1)
    ):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y)  # the stroke runs along the middle of its row of modules
            draw.rectangle(
                [
                    x * pixels_per_module,
                    row * pixels_per_module,
                    (x + float(a)) * pixels_per_module - 1,
                    (row + 1) * pixels_per_module - 1,
                ],
                fill=0,
            )
            x += float(a)
    return image


def services_by_name(client) -> dict[str, int]:
    page = client.get("/gent/zoeken?q=poetsen").get_data(as_text=True)
    return {
        name: int(i) for i, name in re.findall(r'href="/gent/diensten/(\d+)">([^<]+)</a>', page)
    }


def test_each_printed_service_has_a_qr_code_of_its_page(client, add_services):
    _catalogue(add_services)
    ids = services_by_name(client)
    page = client.get("/gent/zoeken/afdrukken?q=poetsen").get_data(as_text=True)
    articles = re.findall(r'<article class="print-service">(.*?)</article>', page, re.DOTALL)
    decoded = {}
    for article in articles:
        name = re.search(r"<h3>([^<]+)</h3>", article).group(1)
        svg = re.search(r"<svg.*?</svg>", article, re.DOTALL).group(0)
        assert "<title>QR-code: scan hem met uw telefoon" in svg
        decoded[name] = [r.text for r in zxingcpp.read_barcodes(svg_to_image(svg))]
    assert decoded == {
        "Poetshulp Proper": [f"{BASE}{ids['Poetshulp Proper']}"],
        "Strijkatelier De Plooi": [f"{BASE}{ids['Strijkatelier De Plooi']}"],
    }
    # The address is printed too, for who types it.
    assert f"{BASE}{ids['Poetshulp Proper']}</dd>" in page


def test_the_qr_codes_in_the_pdf_scan_to_each_services_page(client, add_services):
    _require_pdf()
    _catalogue(add_services)
    ids = services_by_name(client)
    response = client.get("/gent/zoeken/afdrukken.pdf?q=poetsen")
    assert response.status_code == 200
    pdf = pypdfium2.PdfDocument(io.BytesIO(response.data))
    try:
        found = {
            r.text for page in pdf for r in zxingcpp.read_barcodes(page.render(scale=2).to_pil())
        }
    finally:
        pdf.close()
    assert found == {f"{BASE}{ids['Poetshulp Proper']}", f"{BASE}{ids['Strijkatelier De Plooi']}"}
