"""Draw the DataTools application icon for each OS: Windows .ico, macOS .icns, the window's PNG.

    .venv/bin/python packaging/icons/make_icons.py      # rewrites the files beside this script

The drawing is a few shapes given as signed distances (numpy), sampled 4×4 per pixel for smooth
edges, so each size is drawn for itself rather than scaled from one bitmap. Both containers hold
PNG images, which every supported OS reads: ICO since Windows Vista (Microsoft, "Icons", the
ICONDIR/ICONDIRENTRY layout), ICNS types icp4…ic10 since OS X 10.7 (Apple's IconFamily format as
documented in the icnsutil project).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
# The PNG is also the window's icon and the page's favicon, so it ships with the UI's files.
UI_ICON = HERE.parent.parent / "datatools" / "ui" / "icon.png"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS PNG types by edge length in pixels.
ICNS_TYPES = ((16, b"icp4"), (32, b"icp5"), (64, b"icp6"), (128, b"ic07"), (256, b"ic08"),
              (512, b"ic09"), (1024, b"ic10"))
BACKGROUND = (0x1F, 0x5F, 0x8B)
SHEET = (0xFF, 0xFF, 0xFF)
HEADER = (0xBF, 0xDB, 0xF0)
GRID = (0x9A, 0xB4, 0xC8)
BADGE = (0x2B, 0xB6, 0x73)


def rounded_box(x, y, x0, y0, x1, y1, radius):
    """Signed distance to a rounded rectangle (negative inside), in the unit square."""
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - radius, (y1 - y0) / 2 - radius
    dx, dy = np.abs(x - cx) - hx, np.abs(y - cy) - hy
    outside = np.hypot(np.maximum(dx, 0), np.maximum(dy, 0))
    return outside + np.minimum(np.maximum(dx, dy), 0) - radius


def segment(x, y, ax, ay, bx, by, width):
    """Signed distance to a thick line segment from (ax, ay) to (bx, by)."""
    px, py, vx, vy = x - ax, y - ay, bx - ax, by - ay
    t = np.clip((px * vx + py * vy) / (vx * vx + vy * vy), 0, 1)
    return np.hypot(px - t * vx, py - t * vy) - width / 2


def draw(size: int) -> np.ndarray:
    """The icon as an RGBA array of shape (size, size, 4), uint8."""
    samples = 4
    axis = (np.arange(size * samples) + 0.5) / (size * samples)
    x, y = np.meshgrid(axis, axis)
    rgb = np.zeros((*x.shape, 3))
    alpha = np.zeros(x.shape)

    def paint(distance, colour):
        inside = distance <= 0
        rgb[inside] = colour
        alpha[inside] = 1.0

    paint(rounded_box(x, y, 0.04, 0.04, 0.96, 0.96, 0.2), BACKGROUND)
    sheet = rounded_box(x, y, 0.2, 0.2, 0.8, 0.8, 0.04)
    paint(sheet, SHEET)
    paint(np.maximum(sheet, y - 0.34), HEADER)
    line = max(0.012, 1.2 / size)
    for row in (0.34, 0.49, 0.64):
        paint(np.maximum(sheet, np.abs(y - row) - line / 2), GRID)
    for col in (0.4, 0.6):
        paint(np.maximum(sheet, np.abs(x - col) - line / 2), GRID)
    paint(np.hypot(x - 0.74, y - 0.74) - 0.17, BADGE)
    tick = max(0.045, 2.4 / size)
    paint(np.minimum(segment(x, y, 0.66, 0.74, 0.715, 0.795, tick),
                     segment(x, y, 0.715, 0.795, 0.815, 0.68, tick)), SHEET)
    shape = (size, samples, size, samples)
    a = alpha.reshape(shape).mean(axis=(1, 3))
    premultiplied = (rgb * alpha[..., None]).reshape(*shape, 3).mean(axis=(1, 3))
    colour = np.where(a[..., None] > 0, premultiplied / np.maximum(a, 1e-9)[..., None], 0)
    return np.dstack([colour, a * 255]).round().clip(0, 255).astype(np.uint8)


def png_bytes(pixels: np.ndarray) -> bytes:
    """Encode an RGBA uint8 array as PNG (8-bit RGBA, no filter)."""
    height, width, _ = pixels.shape
    raw = b"".join(b"\0" + pixels[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) \
        + chunk(b"IEND", b"")


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG per size (a width/height byte of 0 means 256)."""
    entries, offset = [], 6 + 16 * len(images)
    for size, data in sorted(images.items()):
        entries.append(struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset))
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) \
        + b"".join(data for _, data in sorted(images.items()))


def icns_bytes(images: dict[bytes, bytes]) -> bytes:
    """An ICNS file: 'icns' + total length, then (type, length including its 8 bytes, PNG)."""
    body = b"".join(kind + struct.pack(">I", len(data) + 8) + data for kind, data in images.items())
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def write_icons(folder: Path = HERE, ui_icon: Path = UI_ICON) -> list[Path]:
    """Write datatools.ico and datatools.icns into `folder`, and the 256 px PNG to `ui_icon`."""
    pngs = {size: png_bytes(draw(size)) for size in sorted({*ICO_SIZES, *(s for s, _ in ICNS_TYPES)})}
    outputs = {folder / "datatools.ico": ico_bytes({size: pngs[size] for size in ICO_SIZES}),
               folder / "datatools.icns": icns_bytes({kind: pngs[size] for size, kind in ICNS_TYPES}),
               ui_icon: pngs[256]}
    for path, data in outputs.items():
        path.write_bytes(data)
    return list(outputs)


if __name__ == "__main__":
    for path in write_icons():
        print(f"{path}: {path.stat().st_size} bytes")
