"""Real-world files in many encodings (web pages, readmes, mail, subtitles), for tests and bench.

The files come from chardet's public test suite (github.com/chardet/chardet, `tests/`, commit
1355907; the repository is LGPL-2.1, the files are pages collected from the web): one folder
per encoding, named as chardet names it. `tests/data/encoding_real/` keeps a compact subset (up
to three files per folder, each cut at a line end to at most 6 KB); `bench/encoding.py --real
DIR` runs the whole suite from a checkout. tests/data/encoding_real/SOURCES.md lists each file.

A detection is right when decoding the bytes with the detected codec gives exactly the text the
labelled codec gives. Where the label's own codec cannot decode the file (pages labelled
Shift_JIS that hold cp932's extra characters, GB2312 pages holding GBK characters), or decodes
it into C1 control characters (pages labelled TIS-620 holding windows-874's quotes and dashes),
the text is that of the label's usual superset, the codec browsers use for that label (WHATWG
Encoding).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SUBSET = Path(__file__).resolve().parent / "data" / "encoding_real"

# chardet's folder prefix → (Python codec, superset or None, script family)
FOLDERS = {
    "ascii": ("ascii", None, "ASCII"),
    "utf-8": ("utf-8", None, "Unicode"),
    "utf-8-sig": ("utf-8-sig", None, "Unicode"),
    "UTF-16": ("utf-16", None, "Unicode"),
    "UTF-16LE": ("utf-16-le", None, "Unicode"),
    "UTF-16BE": ("utf-16-be", None, "Unicode"),
    "UTF-32": ("utf-32", None, "Unicode"),
    "UTF-32LE": ("utf-32-le", None, "Unicode"),
    "UTF-32BE": ("utf-32-be", None, "Unicode"),
    "iso-8859-1": ("latin-1", "cp1252", "Western"),
    "windows-1252": ("cp1252", None, "Western"),
    "MacRoman": ("mac_roman", None, "Western"),
    "iso-8859-2": ("iso8859_2", None, "Central European"),
    "windows-1250": ("cp1250", None, "Central European"),
    "iso-8859-9": ("iso8859_9", "cp1254", "Turkish"),
    "windows-1254": ("cp1254", None, "Turkish"),
    "iso-8859-5": ("iso8859_5", None, "Cyrillic"),
    "windows-1251": ("cp1251", None, "Cyrillic"),
    "KOI8-R": ("koi8_r", None, "Cyrillic"),
    "IBM866": ("cp866", None, "Cyrillic"),
    "IBM855": ("cp855", None, "Cyrillic"),
    "MacCyrillic": ("mac_cyrillic", None, "Cyrillic"),
    "iso-8859-7": ("iso8859_7", "cp1253", "Greek"),
    "windows-1255": ("cp1255", None, "Hebrew"),
    "iso-8859-6": ("iso8859_6", None, "Arabic"),
    "windows-1256": ("cp1256", None, "Arabic"),
    "TIS-620": ("tis_620", "cp874", "Thai"),
    "SHIFT_JIS": ("shift_jis", "cp932", "Japanese"),
    "CP932": ("cp932", None, "Japanese"),
    "EUC-JP": ("euc_jp", None, "Japanese"),
    "iso-2022-jp": ("iso2022_jp", None, "Japanese"),
    "EUC-KR": ("euc_kr", "cp949", "Korean"),
    "CP949": ("cp949", None, "Korean"),
    "Johab": ("johab", None, "Korean"),
    "iso-2022-kr": ("iso2022_kr", None, "Korean"),
    "GB2312": ("gb2312", "gb18030", "Chinese"),
    "Big5": ("big5", "cp950", "Chinese"),
}


@dataclass(frozen=True)
class RealFile:
    name: str           # folder/file
    label: str          # the Python codec of the folder's label
    category: str       # the script family
    data: bytes
    text: str           # what a right decoding gives (BOM excluded)


def folder_codec(folder: str) -> tuple[str, str | None, str] | None:
    """The codec, superset and family of a chardet folder (`windows-1251-bulgarian`), or None
    for a folder whose encoding Python has no codec for (EUC-TW)."""
    for prefix in sorted(FOLDERS, key=len, reverse=True):
        if folder == prefix or folder.startswith(prefix + "-"):
            return FOLDERS[prefix]
    return None


def real_files(root: Path = SUBSET) -> list[RealFile]:
    """Every file under `root`/<folder>/ whose label Python can decode, in name order."""
    files = []
    for path in sorted(p for p in root.glob("*/*") if p.is_file()):
        known = folder_codec(path.parent.name)
        if known is None:
            continue
        codec, superset, family = known
        data = path.read_bytes()
        text = None
        for name in (codec, superset):
            if name is None:
                continue
            try:
                decoded = data.decode(name)
            except UnicodeDecodeError:
                continue
            if superset is not None and name != superset and \
                    any("\x80" <= char <= "\x9f" for char in decoded):
                continue       # C1 controls are never text: the page used the superset
            text, codec = decoded, name
            break
        if text is None:
            continue
        files.append(RealFile(f"{path.parent.name}/{path.name}", codec, family, data,
                              text.lstrip("\ufeff")))
    return files


def decodes_right(sample: RealFile, encoding: str | None) -> bool:
    """Whether `encoding` decodes the file to exactly its labelled text."""
    if not encoding:
        return False
    try:
        return sample.data.decode(encoding).lstrip("\ufeff") == sample.text
    except (LookupError, UnicodeDecodeError):
        return False
