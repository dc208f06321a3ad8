"""Customer-list text in more scripts, and the encodings real files of each place use (tests and bench share it).

Written for this corpus: invented names, real-looking streets and products, one CSV row a line.
`multilingual_corpus` encodes each text with every code page of its family, in three sizes
(one row, under 100 bytes; a few rows; a few hundred rows), plus UTF-16/32 with and without a
byte-order mark, ISO-2022, and UTF-8 files with lines in legacy code pages.
"""

from __future__ import annotations

import codecs
import random

from encoding_corpus import CENTRAL, CHINESE, CYRILLIC, GREEK, HEADER, JAPANESE, WESTERN, Sample

TURKISH = """\
Ayşe Yılmaz;Atatürk Caddesi 12;İstanbul;Türk kahvesi 250 gr
Mehmet Öztürk;Cumhuriyet Mahallesi 4;Ankara;Lokum çeşitleri kutusu
Gülşen Çelik;İnönü Bulvarı 33;İzmir;Pişmiş kestane şekerli
Oğuz Kağan Doğan;Bağdat Caddesi 101;Kadıköy;Çay bardağı altılı
Şule Aydın;Gazi Sokağı 7;Eskişehir;Sucuk ve pastırma
Ümit Şahin;Kızılay Meydanı 2;Çankırı;Zeytinyağlı yaprak sarması
"""

BALTIC = """\
Jonas Petrauskas;Gedimino prospektas 9;Vilnius;Šakotis su medumi
Aušra Kazlauskienė;Laisvės alėja 51;Kaunas;Cepelinai su spirgučiais
Žydrūnas Jankauskas;Tilžės gatvė 3;Šiauliai;Šaltibarščiai ąsotyje
Jānis Bērziņš;Brīvības iela 62;Rīga;Rupjmaize ar ķimenēm
Līga Kalniņa;Dzirnavu iela 14;Liepāja;Sklandrausis ģimenei
Mārtiņš Ozoliņš;Raiņa bulvāris 8;Jūrmala;Kūpināts zutis
"""

UKRAINIAN = """\
Олександр Іванович Шевченко;вул. Хрещатик, 22;Київ;Вареники з вишнею
Ганна Петрівна Ковальчук;просп. Свободи, 15;Львів;Сало з часником
Юрій Григорович Бондаренко;вул. Дерибасівська, 7;Одеса;Борщ із пампушками
Марія Євгенівна Ткаченко;вул. Сумська, 40;Харків;Узвар сушений
Ігор Васильович Кравець;вул. Соборна, 3;Полтава;Ґалушки полтавські
"""

HEBREW = """\
דוד כהן;רחוב הרצל 12;תל אביב;חומוס ביתי
שרה לוי;שדרות רוטשילד 45;תל אביב;פלאפל עם טחינה
יוסף מזרחי;רחוב יפו 101;ירושלים;חלה לשבת
רחל פרץ;רחוב הנביאים 8;חיפה;שקשוקה חריפה
משה ביטון;רחוב ויצמן 3;באר שבע;בורקס גבינה
"""

ARABIC = """\
محمد أحمد علي;شارع الملك فهد 12;الرياض;تمر سكري فاخر
فاطمة حسن محمود;شارع التحرير 45;القاهرة;كنافة بالقشطة
عبد الله يوسف;شارع الحمراء 7;بيروت;حمص بالطحينة
مريم خالد;شارع الشيخ زايد 101;دبي;قهوة عربية بالهيل
عمر سعيد;شارع محمد الخامس 3;الدار البيضاء;طاجين باللحم
"""

THAI = """\
สมชาย ใจดี;ถนนสุขุมวิท 12;กรุงเทพมหานคร;ข้าวเหนียวมะม่วง
สมหญิง รักไทย;ถนนนิมมานเหมินท์ 5;เชียงใหม่;ต้มยำกุ้งน้ำข้น
ประเสริฐ วงศ์ทอง;ถนนมิตรภาพ 88;ขอนแก่น;ส้มตำไทยใส่ถั่ว
วันเพ็ญ ศรีสุข;ถนนราชดำเนิน 3;นครศรีธรรมราช;แกงเขียวหวานไก่
"""

KOREAN = """\
김민준;서울특별시 강남구 테헤란로 152;서울;김치 한 포기
이서연;부산광역시 해운대구 해운대로 570;부산;떡볶이 세트
박지훈;대구광역시 중구 동성로 12;대구;불고기 양념 500그램
최수아;인천광역시 연수구 송도동 24;인천;호두과자 선물세트
정예준;광주광역시 동구 금남로 45;광주;비빔밥 도시락
"""

TRADITIONAL = """\
陳志明;臺北市中正區重慶南路一段122號;臺北;高山烏龍茶 三百克
林美玲;高雄市前金區中正四路211號;高雄;鳳梨酥禮盒 十二入
黃建國;臺中市西區民權路99號;臺中;太陽餅 一盒六個
張淑芬;臺南市中西區民族路二段1號;臺南;擔仔麵 招牌口味
李家豪;新竹市東區光復路二段101號;新竹;米粉 家庭號
"""

# One sentence of running text per language (an order confirmation), and its code pages.
PROSE: dict[str, tuple[str, tuple[str, ...]]] = {
    "fr": ("Le château de Versailles est célèbre pour ses jardins à la française et sa "
           "galerie des Glaces. Où est la gare? Nous préférons les crêpes au beurre salé.",
           ("cp1252", "iso8859_15", "mac_roman", "cp850")),
    "de": ("Die Straßenbahn fährt über die Brücke nach Süden. Größere Lieferungen können wir"
           " leider nicht übernehmen. Schöne Grüße aus Köln.",
           ("cp1252", "iso8859_15", "mac_roman", "cp850", "cp437")),
    "es": ("El niño comió una manzana en el jardín. ¿Dónde está la estación? Mañana llegarán"
           " los pedidos de Cádiz y Córdoba.",
           ("cp1252", "iso8859_15", "mac_roman", "cp850")),
    "pt": ("A reunião será amanhã às três horas. Não há informação sobre a importação de "
           "açúcar do Maranhão.",
           ("cp1252", "iso8859_15", "mac_roman", "cp850")),
    "pl": ("Zażółć gęślą jaźń. Wszystkie zamówienia zostaną wysłane w przyszłym tygodniu z "
           "magazynu w Poznaniu.",
           ("cp1250", "iso8859_2", "mac_latin2", "cp852")),
    "cs": ("Objednávka byla odeslána včera odpoledne. Děkujeme za nákup a těšíme se na další"
           " spolupráci v Brně.",
           ("cp1250", "iso8859_2", "mac_latin2", "cp852")),
    "hu": ("A megrendelés tegnap délután érkezett. Köszönjük a vásárlást, és várjuk a "
           "további együttműködést Szegeden.",
           ("cp1250", "iso8859_2")),
    "ro": ("Comanda a fost trimisă ieri după-amiază. Vă mulţumim pentru încredere şi vă "
           "aşteptăm în Braşov.",
           ("cp1250", "iso8859_2")),
    "tr": ("Siparişiniz dün öğleden sonra gönderildi. Alışverişiniz için teşekkür ederiz, "
           "İzmir şubemizde görüşmek üzere.",
           ("cp1254", "iso8859_9", "cp857", "mac_turkish")),
    "uk": ("Замовлення було відправлено вчора після обіду. Дякуємо за покупку, чекаємо на "
           "вас знову в Житомирі.",
           ("koi8_u", "cp1251", "cp1125")),
    "ru": ("Заказ был отправлен вчера после обеда. Спасибо за покупку, ждём вас снова в "
           "нашем магазине в Самаре.",
           ("cp1251", "koi8_r", "iso8859_5", "cp866", "mac_cyrillic")),
    "bg": ("Поръчката беше изпратена вчера следобед. Благодарим ви за покупката и очакваме "
           "да ви видим отново в Пловдив.",
           ("cp1251", "iso8859_5", "cp866")),
    "sr": ("Поруџбина је послата јуче поподне. Хвала вам на куповини, видимо се поново у "
           "Новом Саду.",
           ("cp1251", "iso8859_5")),
    "el": ("Η παραγγελία στάλθηκε χθες το απόγευμα. Σας ευχαριστούμε για την αγορά και "
           "ελπίζουμε να σας ξαναδούμε στη Λάρισα.",
           ("cp1253", "iso8859_7", "cp737")),
    "he": ("ההזמנה נשלחה אתמול אחר הצהריים. תודה על הקנייה, נשמח לראות אתכם שוב בסניף שלנו "
           "בנתניה.",
           ("cp1255", "iso8859_8")),
    "ar": ("تم إرسال الطلب أمس بعد الظهر. شكرا لكم على الشراء ونأمل أن نراكم مرة أخرى في "
           "فرعنا في جدة.",
           ("cp1256", "iso8859_6")),
    "fa": ("سفارش شما ديروز بعد از ظهر ارسال شد. از خريد شما سپاسگزاريم و اميدواريم دوباره "
           "شما را در شيراز ببينيم.",
           ("cp1256",)),
    "th": ("คำสั่งซื้อของคุณถูกส่งไปเมื่อวานตอนบ่าย ขอบคุณสำหรับการซื้อสินค้า "
           "หวังว่าจะได้พบคุณอีกครั้งที่ภูเก็ต",
           ("cp874",)),
    "ja": ("ご注文の商品は昨日の午後に発送されました。お買い上げいただきありがとうございます。またのご来店をお待ちしております。",
           ("cp932", "euc_jp", "iso2022_jp")),
    "zh": ("您的订单已于昨天下午发出。感谢您的购买，期待您再次光临我们在南京的门店。",
           ("gb18030", "gbk")),
    "zt": ("您的訂單已於昨天下午發出。感謝您的購買，期待您再次光臨我們在高雄的門市。",
           ("big5", "cp950")),
    "ko": ("주문하신 상품은 어제 오후에 발송되었습니다. 구매해 주셔서 감사합니다. 다음에 또 방문해 주세요.",
           ("cp949", "euc_kr", "iso2022_kr")),
}

PROSE_FAMILY = {"fr": "western", "de": "western", "es": "western", "pt": "western",
                "pl": "central-european", "cs": "central-european", "hu": "central-european",
                "ro": "central-european", "tr": "turkish", "ru": "cyrillic", "bg": "cyrillic",
                "sr": "cyrillic", "uk": "ukrainian", "el": "greek", "he": "hebrew",
                "ar": "arabic", "fa": "arabic", "th": "thai", "ja": "japanese", "zh": "chinese-simplified",
                "zt": "chinese-traditional", "ko": "korean"}


# Each family, its text, and the code pages a real file of that place is written in.
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "western": (WESTERN, ("cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850", "cp437")),
    "central-european": (CENTRAL, ("cp1250", "iso8859_2", "mac_latin2", "cp852")),
    "turkish": (TURKISH, ("cp1254", "iso8859_9", "cp857", "mac_turkish")),
    "baltic": (BALTIC, ("cp1257", "iso8859_13")),
    "cyrillic": (CYRILLIC, ("cp1251", "koi8_r", "iso8859_5", "cp866", "mac_cyrillic")),
    "ukrainian": (UKRAINIAN, ("koi8_u", "cp1251", "cp1125")),
    "greek": (GREEK, ("cp1253", "iso8859_7", "cp737")),
    "hebrew": (HEBREW, ("cp1255", "iso8859_8")),
    "arabic": (ARABIC, ("cp1256", "iso8859_6")),
    "thai": (THAI, ("cp874", "tis_620")),
    "japanese": (JAPANESE, ("cp932", "shift_jis", "euc_jp")),
    "chinese-simplified": (CHINESE, ("gb18030", "gbk", "gb2312")),
    "chinese-traditional": (TRADITIONAL, ("big5", "cp950")),
    "korean": (KOREAN, ("cp949", "euc_kr")),
}
ESCAPES = {"iso2022_jp": JAPANESE, "iso2022_kr": KOREAN}
WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_BOM = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}


def encodable_lines(text: str, encoding: str) -> list[str]:
    """The lines of `text` that `encoding` can hold (mac_roman has no ½, cp437 no €)."""
    lines = []
    for line in text.strip().splitlines():
        try:
            line.encode(encoding)
        except UnicodeEncodeError:
            continue
        lines.append(line)
    return lines


def _rows(lines: list[str], count: int, rng: random.Random) -> str:
    return "".join(rng.choice(lines) + "\n" for _ in range(count))


def prose_samples(words: int | None = None) -> list[Sample]:
    """The PROSE sentences in each of their code pages; `words` keeps only the first few words."""
    samples = []
    for language, (text, encodings) in PROSE.items():
        body = " ".join(text.split()[:words]) + "\n" if words else text + "\n"
        for encoding in encodings:
            family = "iso-2022" if encoding.startswith("iso2022") else PROSE_FAMILY[language]
            samples.append(Sample(f"prose-{language}-{encoding}-{words or 'all'}", encoding,
                                  f"{family} (prose{', %d words' % words if words else ''})",
                                  body.encode(encoding), body))
    return samples


def multilingual_corpus(seed: int = 5) -> list[Sample]:
    """Every sample: each family × code page × size, wide encodings, ISO-2022, mixed files."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    for family, (text, encodings) in FAMILIES.items():
        for encoding in encodings:
            lines = encodable_lines(text, encoding)
            assert len(lines) >= 3, (family, encoding)
            short = min(lines, key=len)
            if len(short.encode(encoding)) >= 100:
                short = short.split(";")[0] + ";" + short.split(";")[2]
            for size, body in (("short", short + "\n"), ("small", _rows(lines, 5, rng)),
                               ("medium", HEADER + _rows(lines, 300, rng))):
                samples.append(Sample(f"{family}-{encoding}-{size}", encoding, family,
                                      body.encode(encoding), body))
    everything = WESTERN + CENTRAL + CYRILLIC + GREEK + JAPANESE + KOREAN + ARABIC
    for encoding in WIDE:
        for label, text in (("latin", WESTERN + CENTRAL), ("cjk", JAPANESE + CHINESE),
                            ("mixed", everything)):
            body = HEADER + _rows(text.strip().splitlines(), 40, rng)
            samples.append(Sample(f"{encoding}-nobom-{label}", encoding, "utf-16/32 no BOM",
                                  body.encode(encoding), body))
            samples.append(Sample(f"{encoding}-bom-{label}", encoding, "utf-16/32 BOM",
                                  _BOM[encoding] + body.encode(encoding), body))
    for encoding, text in ESCAPES.items():
        for size, count in (("short", 1), ("medium", 100)):
            body = _rows(text.strip().splitlines(), count, rng)
            samples.append(Sample(f"{encoding}-{size}", encoding, "iso-2022",
                                  body.encode(encoding), body))
    samples.extend(mixed_samples(rng))
    samples.extend(prose_samples())
    return samples


def mixed_samples(rng: random.Random) -> list[Sample]:
    """UTF-8 files with lines in legacy code pages; `label` is "utf-8+<code pages>"."""
    samples = []
    cases = (("cp1252", WESTERN), ("cp1251", CYRILLIC), ("cp1250", CENTRAL))
    for legacy, text in cases:
        utf8_lines = HEADER + _rows(WESTERN.strip().splitlines(), 50, rng)
        odd = _rows(encodable_lines(text, legacy), 2, rng)
        body = utf8_lines + odd + _rows(WESTERN.strip().splitlines(), 20, rng)
        data = utf8_lines.encode() + odd.encode(legacy) + body[len(utf8_lines) + len(odd):].encode()
        samples.append(Sample(f"mixed-utf8-{legacy}", f"utf-8+{legacy}", "mixed", data, body))
    parts = [(HEADER, "utf-8"), (_rows(encodable_lines(WESTERN, "cp1252"), 1, rng), "cp1252"),
             (_rows(WESTERN.strip().splitlines(), 30, rng), "utf-8"),
             (_rows(CYRILLIC.strip().splitlines(), 1, rng), "cp1251"),
             (_rows(CENTRAL.strip().splitlines(), 30, rng), "utf-8")]
    samples.append(Sample("mixed-utf8-cp1252-cp1251", "utf-8+cp1252+cp1251", "mixed",
                          b"".join(t.encode(c) for t, c in parts), "".join(t for t, _ in parts)))
    return samples
