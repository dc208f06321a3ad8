"""Names written in Chinese characters (kanji, hanzi, hanja) and kana: what makes two of them one.

A Latin name's typo is a letter pressed wrong, so `Meier`/`Meyer` or `Jonas`/`Jnoas` are one
name a keying error apart. A Japanese name is typed by its reading and converted (an IME), so
its errors are another character of the same reading, not a neighbouring one; and each
character is a large part of a name of two to four: `佐藤`/`伊藤` (Satō, Itō), `真由美`/`由美`
(Mayumi, Yumi) and `修`/`陽子` are other people's names, though a string measure scores `佐藤
悠真`/`伊藤 悠真` 93 (trial H matched them as certain, and merged a household's `鈴木 修` and
`鈴木 陽子`, a one-character given name being read as an initial). So two names written in
these characters are one name only when their characters are the same, written apart or
together (`田中健太`/`田中 健太`), once a character's old and new forms are one (VARIANTS:
`髙橋`/`高橋`, `齋藤`/`斎藤`, `渡邊`/`渡辺`).

Kana keep their voiced marks (`ス`/`ズ`): normalize_text strips accents, and the marks are
combining characters after NFKD (compose_kana). Sources: Wikipedia, "Japanese name", "Kyūjitai"
(the old forms of the Jōyō kanji, 2010 list) and "Itaiji" (the variants of names' characters
kept by family registers).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# A character's old or variant form → the form in use, for the characters common in Japanese
# names (Kyūjitai → shinjitai, and the itaiji family registers keep: `髙`, `﨑`, `嶋`, `邉`).
# `斉` and `斎` are one here: `斉藤` and `斎藤` are both read Saitō and each is written for the
# other. A compatibility ideograph with a decomposition (`U+F9DC` 隆) is already folded by NFKD.
VARIANTS = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎", "齋": "斎", "齊": "斎", "斉": "斎",
    "邊": "辺", "邉": "辺", "澤": "沢", "濱": "浜", "濵": "浜", "廣": "広", "國": "国",
    "櫻": "桜", "德": "徳", "眞": "真", "壽": "寿", "冨": "富", "嶋": "島", "嶌": "島",
    "槇": "槙", "桒": "桑", "惠": "恵", "實": "実", "榮": "栄", "藏": "蔵", "龍": "竜",
    "瀧": "滝", "曾": "曽", "條": "条", "與": "与", "黑": "黒", "增": "増", "淺": "浅",
    "檜": "桧", "萬": "万", "學": "学", "圓": "円", "會": "会", "峯": "峰", "巖": "巌",
    "來": "来", "禮": "礼", "靜": "静", "淸": "清", "舘": "館", "莊": "荘", "藪": "薮",
    "兒": "児", "亞": "亜", "傳": "伝", "嶽": "岳", "圖": "図", "壯": "壮", "將": "将",
    "鷗": "鴎", "驒": "騨", "顯": "顕", "戶": "戸", "淵": "渕", "廼": "乃",
}
# A name of more words than this is compared in its own order only (the orders grow as n!).
_ORDERS = 4
# Kana's combining voiced and semi-voiced marks (after NFKD).
_MARKS = "[\u3099\u309a]"
# An ideograph (or the iteration mark `々`); a name of ideographs and kana, spaces allowed:
# the names han_names_differ compares.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]")
_CJK_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3040-\u30ff ]+")


def compose_kana(text: "pa.Array") -> "pa.Array":
    """`text` (a pyarrow string array, NFKD) with each kana's voiced mark joined to it again
    (NFC, only in the values holding one: `ス` + U+3099 → `ズ`)."""
    from datatools.tools.normalize import changed_where

    return changed_where(text, _MARKS, lambda values: [unicodedata.normalize("NFC", v)
                                                      for v in values])


def han_names_differ(left: str, right: str) -> "bool | None":
    """Are two names (normalised text) written in Chinese characters or kana two names? None
    when either is written otherwise (Latin letters, digits: the Latin rules read it). Two
    such names are one when they are the same once spaces are taken out, in any order of
    their words (`田中健太`/`田中 健太`, `サトウタクヤ`/`サトウ タクヤ`, `学 伊藤`/`伊藤学`:
    _written_alike); otherwise, when either holds an ideograph, two
    (`佐藤 悠真`/`伊藤 悠真`, `修`/`陽子`, `真由美`/`由美`); kana alone that differ: None (a
    reading's typo is a keying error's, read by the Latin rules). Old and new forms are one
    already (normalize_text folds VARIANTS)."""
    if not (_CJK_NAME.fullmatch(left) and _CJK_NAME.fullmatch(right)):
        return None
    if _written_alike(left, right) or _written_alike(right, left):
        return False
    return True if _HAN.search(left) or _HAN.search(right) else None


def _written_alike(left: str, right: str) -> bool:
    """Is `right`, spaces taken out, `left`'s words joined in some order (`佐藤 一郎` and
    `一郎 佐藤`, `佐藤一郎`, `一郎佐藤`): one name, the family name written first or last, as
    Japanese lists in Western order do?"""
    words, bare = left.split(), right.replace(" ", "")
    if len(words) > _ORDERS:
        return "".join(words) == bare
    return any("".join(order) == bare for order in itertools.permutations(words))
