"""A labelled encoding corpus built from multilingual text written for it (tests and bench share it).

Each sample is a CSV of customer or product rows in one language family, encoded with the codec a
real file from that place would use. A detection counts as right when decoding the bytes with the
detected codec gives back the original text exactly: Latin-1 text without C1 bytes decodes the
same as cp1252, and plain ASCII the same as UTF-8, so either answer is right there.
"""

from __future__ import annotations

import codecs
import random
from dataclasses import dataclass

# Rows are "name;street;city;product" — what a customer list or an order export holds.
WESTERN = """\
Amélie Dubois;12 rue de la Paix;Montréal;Crème brûlée à la vanille
François Lefèvre;8 place de l’Église;Besançon;Pâté de campagne « maison »
Hélène Mercier;3 allée des Cèdres;Orléans;Bœuf bourguignon – 2 parts
Jürgen Müller;Schloßstraße 5;München;Käsespätzle für 4 €
Björn Größe;Hauptstraße 77;Düsseldorf;Würstchen „Thüringer“ 12,50 €
Dörte Schäfer;Am Bärenzwinger 9;Köln;Glühwein 1 l
José Peña;Calle Núñez de Balboa 14;Málaga;Jamón ibérico — 100 g
Íñigo Gutiérrez;Avenida de Andalucía 3;Cádiz;Piña colada ¡oferta!
María Fernández;Plaza de España 1;León;Turrón de Jijona ¿nuevo?
João Gonçalves;Rua da Conceição 45;São Paulo;Pão de queijo ½ kg
Inês Magalhães;Avenida da Liberdade 200;Lisboa;Bacalhau à Brás
Søren Kierkegaard;Nørregade 4;København;Rødgrød med fløde
Åse Ødegård;Storgata 15;Tromsø;Brunost 250 g
Åsa Ångström;Drottninggatan 8;Göteborg;Kanelbullar “färska”
Niccolò Ferrà;Via Giosuè Carducci 6;Forlì;Caffè macchiato • tazza
Zoë van Dijk;Prinsengracht 263;’s-Hertogenbosch;Stroopwafels (naïve recept)
Sigríður Þórsdóttir;Laugavegur 18;Reykjavík;Skyr með rjóma
Œuvre Cœurdelion;5 quai Voltaire;Nîmes;Œufs à la neige ™
Ærø Færgen;Søndergade 2;Ærøskøbing;Smørrebrød © 2024
Ørjan Sæther;Kongens gate 1;Ålesund;Fiskesuppe 95 kr
Françoise Lévêque;14 boulevard Haussmann;Saint-Étienne;Gâteau “opéra” …
"""

CENTRAL = """\
Łukasz Wiśniewski;ul. Świętokrzyska 12;Łódź;Żurek śląski z jajkiem
Małgorzata Dąbrowska;ul. Źródlana 7;Wrocław;Pączki różane - 6 szt.
Grzegorz Brzęczyszczykiewicz;ul. Chrząszczyżewoszyce 3;Kraków;Kiełbasa żywiecka
Agnieszka Kowalczyk;Aleje Jerozolimskie 44;Gdańsk;Pierogi ruskie ślicznie pakowane
Jiří Dvořák;Náměstí Míru 8;Plzeň;Příliš žluťoučký kůň
Šárka Nováková;Vodičkova 17;Třebíč;Čočková polévka s uzeninou
Tomáš Řezníček;Údolní 33;České Budějovice;Švestkové knedlíky ťuk
Ďurko Ťapák;Štúrova 11;Košice;Bryndzové halušky s oškvarkami
Ľubica Štefániková;Hlavná 5;Žilina;Kapustnica s hríbmi
Győző Szőke;Kossuth Lajos utca 1;Győr;Túrós csusza tepertővel
Erzsébet Kővári;Fő utca 21;Szőreg;Lángos fokhagymás tejföllel
Ödön Fűzfa;Váci út 12;Pécs;Őszibarack befőtt
Zoltán Bőrcsök;Rákóczi út 40;Nyíregyháza;Töltött káposzta főzve
Ştefan Ţurcanu;Strada Mărăşeşti 9;Timişoara;Mămăligă cu brânză
Dražen Šarić;Ulica Kralja Tomislava 4;Đakovo;Ćevapčići s lukom
"""

CYRILLIC = """\
Иван Петрович Сидоров;ул. Ленина, д. 5;Москва;Пельмени сибирские
Анна Сергеевна Кузнецова;пр. Невский, д. 28;Санкт-Петербург;Блины с икрой
Дмитрий Алексеевич Смирнов;ул. Гагарина, д. 17;Новосибирск;Борщ украинский
Екатерина Викторовна Попова;ул. Мира, д. 3;Екатеринбург;Квас хлебный 1,5 л
Сергей Николаевич Волков;пер. Садовый, д. 9;Казань;Чак-чак медовый
Юлия Андреевна Фёдорова;ул. Советская, д. 44;Нижний Новгород;Щи из квашеной капусты
Михаил Юрьевич Лермонтов;ул. Пушкина, д. 10;Пятигорск;Шашлык из баранины
Ольга Игоревна Жукова;наб. Фонтанки, д. 21;Ярославль;Сырники со сметаной
"""

GREEK = """\
Γιώργος Παπαδόπουλος;Οδός Ερμού 15;Αθήνα;Μουσακάς παραδοσιακός
Μαρία Κωνσταντίνου;Λεωφόρος Συγγρού 102;Θεσσαλονίκη;Σπανακόπιτα χωριάτικη
Νίκος Αλεξίου;Πλατεία Συντάγματος 2;Πάτρα;Φέτα Δωδώνης 400 γρ.
Ελένη Δημητρίου;Οδός Αιόλου 7;Ηράκλειο;Ελαιόλαδο εξαιρετικό παρθένο
"""

JAPANESE = """\
山田太郎;東京都千代田区丸の内1-1;東京;抹茶アイスクリーム
佐藤花子;大阪府大阪市北区梅田3-2;大阪;たこ焼き　十二個入り
鈴木一郎;愛知県名古屋市中区栄2-5;名古屋;味噌カツ弁当
高橋美咲;北海道札幌市中央区大通西4;札幌;ジンギスカン鍋セット
田中健太;福岡県福岡市博多区博多駅前;福岡;明太子おにぎり
"""

CHINESE = """\
王伟;北京市朝阳区建国路88号;北京;龙井绿茶 二百五十克
李娜;上海市浦东新区世纪大道100号;上海;小笼包 一笼十个
张敏;广州市天河区体育西路5号;广州;广式月饼礼盒
刘洋;成都市锦江区春熙路12号;成都;麻婆豆腐调料
陈静;杭州市西湖区龙井路1号;杭州;西湖醋鱼
"""

# Latin-1 era text: accents only, none of cp1252's extra characters (€, curly quotes, dashes).
LATIN1 = """\
Amélie Dubois;12 rue de la Paix;Montréal;Crème brûlée à la vanille
Jürgen Müller;Schloßstraße 5;München;Käsespätzle für 4 Personen
José Peña;Calle Núñez de Balboa 14;Málaga;Jamón ibérico 100 g
Søren Kierkegaard;Nørregade 4;København;Rødgrød med fløde
João Gonçalves;Rua da Conceição 45;São Paulo;Pão de queijo ½ kg
Sigríður Þórsdóttir;Laugavegur 18;Reykjavík;Skyr með rjóma
"""

# ISO-8859-15 text: Western with the euro sign and œ, which sit where Latin-1 has ¤ and ½.
LATIN9 = """\
Œuvre Cœurdelion;5 quai Voltaire;Nîmes;Œufs à la neige 4 €
Amélie Dubois;12 rue de la Paix;Montréal;Crème brûlée 6,50 €
Jürgen Müller;Schloßstraße 5;München;Käsespätzle für 4 €
José Peña;Calle Núñez de Balboa 14;Málaga;Jamón ibérico 12 €
"""

HEADER = "name;street;city;product\n"


@dataclass(frozen=True)
class Sample:
    name: str
    label: str          # the codec the file was written with
    category: str       # the class this sample stands for
    data: bytes
    text: str           # what a right decoding gives back (BOM excluded)


def _rows(text: str, count: int, rng: random.Random) -> str:
    lines = text.strip().splitlines()
    return "".join(rng.choice(lines) + "\n" for _ in range(count))


def _ascii_rows(count: int, rng: random.Random) -> str:
    first = ["John", "Mary", "Peter", "Linda", "James", "Susan", "Robert", "Karen"]
    last = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts"]
    towns = ["Leeds", "Boston", "Dublin", "Perth", "Austin", "Bristol", "Denver"]
    items = ["Tea 250 g", "Coffee beans", "Oat biscuits", "Apple juice 1 l", "Cheddar 400 g"]
    return "".join(
        f"{rng.choice(first)} {rng.choice(last)};{rng.randint(1, 999)} High Street;"
        f"{rng.choice(towns)};{rng.choice(items)}\n" for _ in range(count))


def _sample(name: str, label: str, category: str, text: str, *, bom: bytes = b"") -> Sample:
    return Sample(name, label, category, bom + text.encode(label), text)


def build_corpus(*, include_large: bool = True, seed: int = 7) -> list[Sample]:
    """Every sample of the corpus; `include_large` adds the files of more than 10 MB."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    sizes = {"tiny": 4, "small": 40, "medium": 2000}

    def add(name: str, label: str, category: str, body: str, **kw: bytes) -> None:
        samples.append(_sample(name, label, category, HEADER + body, **kw))

    for size, rows in sizes.items():
        add(f"western-cp1252-{size}", "cp1252", "cp1252", _rows(WESTERN, rows, rng))
        add(f"western-utf8-{size}", "utf-8", "utf-8", _rows(WESTERN, rows, rng))
        add(f"latin1-{size}", "latin-1", "latin-1", _rows(LATIN1, rows, rng))
        add(f"latin9-{size}", "iso8859_15", "iso-8859-x", _rows(LATIN9, rows, rng))
        add(f"central-cp1250-{size}", "cp1250", "cp1250", _rows(CENTRAL, rows, rng))
        add(f"central-iso8859_2-{size}", "iso8859_2", "iso-8859-x", _rows(CENTRAL, rows, rng))
        add(f"central-utf8-{size}", "utf-8", "utf-8", _rows(CENTRAL, rows, rng))
        add(f"russian-koi8_r-{size}", "koi8_r", "koi8-r", _rows(CYRILLIC, rows, rng))
        add(f"russian-cp1251-{size}", "cp1251", "cyrillic", _rows(CYRILLIC, rows, rng))
        add(f"russian-iso8859_5-{size}", "iso8859_5", "iso-8859-x", _rows(CYRILLIC, rows, rng))
        add(f"greek-iso8859_7-{size}", "iso8859_7", "iso-8859-x", _rows(GREEK, rows, rng))
        add(f"japanese-shift_jis-{size}", "shift_jis", "shift-jis", _rows(JAPANESE, rows, rng))
        add(f"chinese-gb18030-{size}", "gb18030", "gb18030", _rows(CHINESE, rows, rng))
        mixed = _rows(WESTERN + CENTRAL + CYRILLIC + JAPANESE, rows, rng)
        add(f"utf16le-bom-{size}", "utf-16-le", "utf-16", mixed, bom=codecs.BOM_UTF16_LE)
        add(f"utf16be-bom-{size}", "utf-16-be", "utf-16", mixed, bom=codecs.BOM_UTF16_BE)
        add(f"utf16le-nobom-{size}", "utf-16-le", "utf-16", _rows(WESTERN + CYRILLIC, rows, rng))
        add(f"utf16be-nobom-{size}", "utf-16-be", "utf-16", _rows(WESTERN + CENTRAL, rows, rng))
        add(f"utf8-bom-{size}", "utf-8", "utf-8", mixed, bom=codecs.BOM_UTF8)
        add(f"ascii-{size}", "ascii", "ascii", _ascii_rows(rows, rng))
        # A long plain-ASCII start with one accented row at the end: samples miss it.
        late = _ascii_rows(rows * 20, rng) + _rows(WESTERN, 1, rng)
        add(f"late-cp1252-{size}", "cp1252", "late-bytes", late)
        add(f"late-utf8-{size}", "utf-8", "late-bytes", late)
    if include_large:
        for label in ("cp1252", "utf-8"):
            samples.append(large_late_sample(label, rng))
    return samples


def large_late_sample(label: str, rng: random.Random | None = None) -> Sample:
    """A file of just over 10 MB whose first non-ASCII byte is past 5 MB."""
    rng = rng or random.Random(11)
    head = HEADER + _ascii_rows(50_000, rng)           # about 2 MB of ASCII
    while len(head) < 5_300_000:
        head += head[len(HEADER):len(HEADER) + 1_000_000]
    tail = _rows(WESTERN, 3, rng) + _ascii_rows(100_000, rng)
    text = head + tail
    assert len(text) > 10_000_000
    return Sample(f"large-late-{label}", label, "late-bytes", text.encode(label), text)


def decodes_right(sample: Sample, encoding: str | None) -> bool:
    """True when decoding the sample with `encoding` gives back its text."""
    if not encoding:
        return False
    try:
        text = sample.data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return False
    return text.lstrip("\ufeff") == sample.text
