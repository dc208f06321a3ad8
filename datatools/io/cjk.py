"""How common a CJK character is in Japanese, simplified or traditional Chinese, or Korean text.

The four double-byte families overlap: most byte pairs decode in all of them, so a short file
decodes "fine" as the wrong one (26 bytes of Shift_JIS read as cp949 give Korean syllables).
What differs is which characters come out. Each national standard orders its characters by
frequency in levels (JIS X 0208 level 1 before level 2, GB 2312 level 1 before level 2, Big5's
frequently used characters before the less frequent ones, KS X 1001's 2,350 modern syllables
before cp949's extension), and a wrong decoding lands mostly in the rare levels and extension
areas. A character of the language's most frequent few hundred scores 1; its standard's first
level scores 0.7, the second 0.35, an extension area 0.1. Levels are read off each standard's
own byte ranges (encode the character, look at the lead byte).
"""

from __future__ import annotations

from functools import lru_cache

# Frequent characters of running text and of the words customer and order tables hold.
_ZH_S = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
    "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前"
    "开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重"
    "并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常"
    "先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报"
    "才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼"
    "书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术"
    "领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失"
    "转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技"
    "际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显"
    "京沪津渝苏浙粤闽鲁豫鄂湘川陕街镇县村号楼室限责股份客户订单额期货款姓址邮箱编码备注部经理销售"
    "龙井绿茶克笼包饼礼盒麻婆豆腐调料西湖醋鱼朝阳浦伟娜敏洋静刘陈杨黄赵吴周徐孙胡朱高林何郭罗")
_ZH_T = set(
    "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過"
    "發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前"
    "開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重"
    "並物手應戰向頭文體政美相見被利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常"
    "先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報"
    "才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬科司五基眼"
    "書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊死張該交規萬取拉格望覺術"
    "臺台灣港澳街鎮縣村號樓室限責股份客戶訂單額期貨款姓址郵箱編碼備註經理銷售陳林黃張李王吳劉蔡楊許"
    "鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余趙盧梁顏柯孫魏翁戴范宋方鄧杜傅侯")
_JA = set(
    "日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党地合市業内相方四"
    "定今回新場金員九入選立開手米力学問高代明実円関決子動京全目表戦経通外最言氏現理調体化田当八六約"
    "主題下首意法不来作性的要用制治度務強気小七成期公持野協取都和統以機平総加山思家話世受区領多県続"
    "進正安設保改数記院女初北午指権心界支第産結百派点教報済書府活原先共得解名交資予川向際査勝面委告"
    "軍文反元重近千考判認画海参売利組知案道信策集在件団別物側任引使求所次水半品昨論計死官増係感特情"
    "投示変打男基私各始島直両朝革価式確村提運終挙果西勢減台広容必応演電歳住争談能無再位置企真流格有"
    "顧客番号様株式会社電話住所郵便番号都道府県市区町村丁目番地注文商品価格数量合計金額備考担当部署"
    "東京大阪名古屋札幌福岡横浜京都神戸佐藤鈴木高橋田中渡辺伊藤山本中村小林加藤吉田山田佐々木松本井上"
    "木村林清水斎藤山口森池田橋本阿部石川山下小川石井前田藤田後藤岡田長谷川村上近藤坂本遠藤青木太郎"
    "花子一郎美咲健抹茶焼味噌弁当丸内梅田栄通西駅前博多区央鍋明太子個入")
_KO = set(
    "이의가에는을를은한하고다지서기로도사대정국인일자보수시리아나부전여해어제스만그주들상장우게연신라"
    "요원세경오조성소구비과면동내문유실관회재저안미방적학업위불계간무개금명심야물통및체교모중화처분공"
    "선출당영양말행점식입등차생최결민료진별단현달감각남키드트르파타카마바러루레머무김박윤강임한황송"
    "류홍고손배백허심노곽엄채천변염추석설길표반왕옥육맹탁은편용예봉복태목형피두음빈온호범좌팽승갈"
    "견울특광역도군읍번길호층번화름객문액날짜량격품비고담당센터점포매출월년")

_LANGUAGE_CODEC = {"ja": "cp932", "zh-s": "gb2312", "zh-t": "big5", "ko": "euc_kr"}
_FREQUENT = {"ja": _JA, "zh-s": _ZH_S, "zh-t": _ZH_T, "ko": _KO}
# Lead-byte ranges of each standard's first and second level of ideographs (or syllables).
_LEVELS = {
    "ja": ((0x88, 0x9F), (0xE0, 0xEA)), "zh-s": ((0xB0, 0xD7), (0xD8, 0xF7)),
    "zh-t": ((0xA4, 0xC6), (0xC9, 0xF9)), "ko": ((0xB0, 0xC8), (0xCA, 0xFD)),
}
_PUNCTUATION = set("、。，．・：；？！「」『』（）〔〕［］｛｝〈〉《》【】〜～…‥“”‘’　ー〃々〇＃％＆＊＋－／＝＠")


def is_punctuation(char: str) -> bool:
    """CJK and full-width punctuation that every CJK text uses."""
    return char in _PUNCTUATION or 0xFF01 <= ord(char) <= 0xFF5E


def _kana(code: int) -> bool:
    return 0x3041 <= code <= 0x30FF


def _hangul(code: int) -> bool:
    return 0xAC00 <= code <= 0xD7A3


@lru_cache(maxsize=65536)
def commonness(char: str, language: str) -> float:
    """0–1: how common `char` is in running text of `language` (ja, zh-s, zh-t, ko)."""
    code = ord(char)
    if is_punctuation(char):
        return 0.9
    if char in _FREQUENT[language]:
        return 1.0
    if _kana(code):
        return 1.0 if language == "ja" else 0.1
    if 0xFF61 <= code <= 0xFF9F:          # half-width katakana: old Japanese systems only
        return 0.5 if language == "ja" else 0.0
    if _hangul(code):
        if language != "ko":
            return 0.0
        return 0.75 if _level(char, language) == 1 else 0.1
    if 0x3131 <= code <= 0x318E:          # a lone Korean letter (jamo), not a syllable
        return 0.2 if language == "ko" else 0.0
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        level = _level(char, language)
        if language == "ko":
            return 0.3 if level else 0.05     # Hanja are rare in modern Korean text
        return {1: 0.7, 2: 0.35}.get(level, 0.1)
    return 0.4 if char.isalpha() else 0.6


def _level(char: str, language: str) -> int:
    try:
        lead = char.encode(_LANGUAGE_CODEC[language])[0]
    except UnicodeEncodeError:
        return 0
    for level, (low, high) in enumerate(_LEVELS[language], start=1):
        if low <= lead <= high:
            return level
    return 0


def between_ascii_letters(word: str) -> bool:
    """An ideograph or syllable with an ASCII letter on both sides: a Latin word misread as CJK."""
    return any(not char.isascii() and word[i - 1].isascii() and word[i - 1].isalpha()
               and word[i + 1].isascii() and word[i + 1].isalpha()
               for i, char in enumerate(word[1:-1], start=1))


def text_factor(text: str, language: str) -> float:
    """A Japanese text has kana; a text of many ideographs and no kana is not Japanese."""
    if language != "ja":
        return 1.0
    ideographs = sum(1 for c in text if 0x4E00 <= ord(c) <= 0x9FFF)
    kana = sum(1 for c in text if _kana(ord(c)) or 0xFF61 <= ord(c) <= 0xFF9F)
    return 0.75 if ideographs >= 12 and kana == 0 else 1.0
