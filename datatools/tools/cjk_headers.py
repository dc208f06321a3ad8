"""Column names written in Japanese, Chinese or Korean, read as the words the engine's rules know.

Every rule that reads a column's name (column_kinds.name_says: phones, addresses, given names;
households: surnames, a customer's own number; house_numbers: postcodes; uncompared_ids: dates
of birth; party_names: whole names and firms; the window's column pairing) looks for Latin words
at a word's start (`Vorname`, `phone`, `Kundennummer`). Japanese, Chinese and Korean write a
column's name without spaces (`電話番号`, `お名前`, `顧客番号`), so none of those rules fired on a
Japanese shop's export (trial H): a household's `鈴木 修` and `鈴木 陽子` in `氏名` were merged as
certain, `電話番号` was not read as phones. header_words gives such a name the Latin words of
what it holds, which column_kinds.column_name_words adds to its words: `電話番号` → phone,
`お名前` → name, `姓` → surname, `名` → first.

A part is found inside the name (HEADER_PARTS, in order; the first of a kind wins), except the
one-character names of a surname (`姓`, `氏`, `성`) and a given name (`名`), which are found only
as the whole name, a reading's mark aside (`姓（カナ）`, `名_フリガナ`): `名` is inside `氏名`
(a whole name), `会社名` (a firm) and `商品名` (a product). `名字` is left out: a surname in
Japanese, a whole or given name in Chinese. Sources: the column names of trial H's Japanese
customer list and sign-up sheet (tests/data/japanese_shop: a reading beside a name, `〒` for a
postcode), and Wikipedia's "Japanese name", "Chinese name", "Korean name" for the words of each
part of a name; the Chinese and Korean words are the same parts' names, not read off real files.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# (part of a column's name, the Latin words it stands for). A reading of a name (`フリガナ`,
# `カナ`, `よみがな`) is the name in kana: a whole name's reading holds a whole name.
HEADER_PARTS = (
    # firms first: `会社名` holds a firm's name, not a person's
    ("会社", "company"), ("社名", "company"), ("法人", "company"), ("企業", "company"),
    ("屋号", "company"), ("店名", "company"), ("회사", "company"), ("상호", "company"),
    ("公司", "company"), ("單位", "company"), ("单位", "company"),
    # a person's own number or a customer's name
    ("顧客", "customer"), ("お客様", "customer"), ("会員", "member"), ("會員", "member"),
    ("会员", "member"), ("客户", "customer"), ("客戶", "customer"), ("고객", "customer"),
    ("회원", "member"),
    # a number a state gives one person (id_headers.py): never a phone, and it vouches
    ("マイナンバー", "mynumber"), ("個人番号", "mynumber"), ("주민등록번호", "rrn"),
    ("身份证", "idcard"), ("身份證", "idcard"), ("身分證", "idcard"),
    # a part found is taken out of the name: `電話番号` is a phone, not a number too
    ("電話", "phone"), ("携帯", "mobile"), ("ケータイ", "mobile"), ("电话", "phone"),
    ("手机", "mobile"), ("手機", "mobile"), ("전화", "phone"), ("휴대폰", "mobile"),
    ("핸드폰", "mobile"),
    ("郵便番号", "postcode"), ("〒", "postcode"), ("邮编", "postcode"), ("邮政编码", "postcode"),
    ("郵遞區號", "postcode"), ("郵政編碼", "postcode"), ("우편번호", "postcode"),
    ("住所", "address"), ("所在地", "address"), ("地址", "address"), ("주소", "address"),
    ("市区町村", "city"), ("市町村", "city"), ("城市", "city"), ("도시", "city"),
    ("メール", "e mail"), ("めーる", "e mail"), ("이메일", "e mail"), ("메일", "e mail"),
    ("邮箱", "e mail"), ("电子邮件", "e mail"), ("電子郵件", "e mail"), ("郵箱", "e mail"),
    ("生年月日", "birthdate"), ("誕生日", "birthdate"), ("出生日期", "birthdate"),
    ("生日", "birthdate"), ("생년월일", "birthdate"),
    ("氏名", "name"), ("名前", "name"), ("姓名", "name"), ("성명", "name"), ("이름", "name"),
    # last: what is left of `郵便番号` and `電話番号` once their kinds are taken
    ("番号", "number"), ("編號", "number"), ("编号", "number"), ("번호", "number"),
)
# A reading's marks, taken off a name before it is compared with the one-character names.
_READING = re.compile(r"[（）()\[\]【】_・\s]|フリガナ|ふりがな|よみがな|ヨミガナ|カナ|かな|ヨミ|よみ")
# Whole names (a reading's marks aside) of one person's name's parts.
_WHOLE = {"姓": "surname", "氏": "surname", "苗字": "surname", "セイ": "surname", "せい": "surname",
          "성": "surname", "名": "first", "下の名前": "first", "メイ": "first", "めい": "first",
          "ファミリーネーム": "surname", "ファーストネーム": "first"}
# Holds a letter of these scripts: Han, kana, Hangul.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f〒]")


@functools.lru_cache(maxsize=256)
def header_words(name: str) -> tuple[str, ...]:
    """The Latin words (HEADER_PARTS) a column's name written in Japanese, Chinese or Korean
    stands for: `電話番号` → (`phone`,), `顧客番号` → (`customer`, `number`), `お名前` →
    (`name`,), `姓（カナ）` → (`surname`,), `フリガナ` → (`name`,); () for a name without a
    letter of those scripts. Width folded first (NFKC: `ＴＥＬ`, half-width `ﾒｰﾙ`)."""
    text = unicodedata.normalize("NFKC", str(name))
    if not _CJK.search(text):
        return ()
    bare = _READING.sub("", text)
    if bare in _WHOLE:
        return (_WHOLE[bare],)
    if not bare:                         # the reading alone (`フリガナ` beside `氏名`)
        return ("name",)
    words: list[str] = []
    rest = text
    for part, latin in HEADER_PARTS:
        if part in rest:
            rest = rest.replace(part, " ")   # later parts look only at what is left
            words += [word for word in latin.split() if word not in words]
    return tuple(words)
