"""The application icon each OS shows: the Windows .ico, the macOS .icns and the window's PNG."""

from __future__ import annotations

import struct
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ICONS = REPO / "packaging" / "icons"
sys.path.insert(0, str(ICONS))

import make_icons  # noqa: E402


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_windows_icon_holds_every_size_explorer_asks_for():
    data = (ICONS / "datatools.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index:22 + 16 * index])
        image = data[offset:offset + length]
        assert (planes, bits) == (1, 32)
        assert png_size(image) == (width or 256, height or 256)
        sizes.append(width or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_family_runs_from_16_to_1024_pixels():
    data = (ICONS / "datatools.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, at = {}, 8
    while at < len(data):
        kind, length = data[at:at + 4], struct.unpack(">I", data[at + 4:at + 8])[0]
        found[kind] = png_size(data[at + 8:at + length])
        at += length
    assert found == {kind: (size, size) for size, kind in make_icons.ICNS_TYPES}


def test_the_committed_small_icon_is_what_the_drawing_gives():
    ico = (ICONS / "datatools.ico").read_bytes()
    _, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert ico[offset:offset + length] == make_icons.png_bytes(make_icons.draw(16))


def test_the_window_and_the_browser_tab_show_the_icon(desktop):
    with urllib.request.urlopen(f"{desktop.base_url}/ui/icon.png", timeout=10) as answer:
        assert answer.headers["Content-Type"] == "image/png"
        assert png_size(answer.read()) == (256, 256)
    page = (REPO / "datatools" / "ui" / "index.html").read_text()
    assert '<link rel="icon" href="/ui/icon.png">' in page
