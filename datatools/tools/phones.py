"""Phone numbers to E.164 (`+442079460018`), or to the national or international form
(`020 7946 0018`, `+44 20 7946 0018`), with Google's libphonenumber rules (`phonenumbers`).

libphonenumber knows each country's trunk prefix: the `(0)` of `+44 (0)20 …` is dropped, the
leading 0 of an Italian number is kept (`+39 06 …`). A number without a country code is read
in the default region the user names; with none, only numbers written with `+` or the ITU's
recommended international prefix `00` (ITU-T E.164 Annex; `0049 …`) are read. Whatever the
library cannot parse, or parses to a number that is not valid, is left as it is and counted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from datatools.errors import BadOption


# How numbers are written (DECISIONS 557): libphonenumber's formats of the same names.
# e164 (+819088229328) is what scripts and phone systems read, but Excel reads it as a number
# and drops the "+"; national (090-8822-9328) and international (+81 90-8822-9328) stay text.
PHONE_FORMATS = ("e164", "national", "international")


@dataclass
class PhoneReading:
    """Each number read, written in the chosen format, and the values that could not be read,
    by reason."""

    written: dict[str, str] = field(default_factory=dict)        # value → +digits (or as chosen)
    no_country_code: list[str] = field(default_factory=list)     # national form, no region given
    not_valid: list[str] = field(default_factory=list)           # unparsable or not a real number


def supported_regions() -> list[str]:
    """Every region libphonenumber reads numbers of (ISO 3166-1 alpha-2 codes, sorted; about 245):
    what `--phone-region` takes and the window's list offers."""
    import phonenumbers

    return sorted(phonenumbers.SUPPORTED_REGIONS)


def check_region(code: object) -> str:
    """A two-letter region libphonenumber knows (`gb` → `GB`); BadOption `bad_phone_region`."""
    import phonenumbers

    region = str(code).strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise BadOption(f"Unknown phone region {code!r}; give a two-letter country code "
                        "such as GB, DE or US.", code="bad_phone_region", params={"value": str(code)})
    return region


def read_phones(values: Iterable[str], region: str | None, style: str = "e164") -> PhoneReading:
    """Parse each distinct value once; `region` (ISO 3166 alpha-2) for numbers without `+`;
    `style` one of PHONE_FORMATS (libphonenumber's E164, NATIONAL, INTERNATIONAL)."""
    import phonenumbers

    form = {"e164": phonenumbers.PhoneNumberFormat.E164,
            "national": phonenumbers.PhoneNumberFormat.NATIONAL,
            "international": phonenumbers.PhoneNumberFormat.INTERNATIONAL}[style]
    reading = PhoneReading()
    for value in dict.fromkeys(values):
        text = unicodedata.normalize("NFKC", value).strip()   # full-width digits and dashes
        if region is None and text.startswith("00"):
            text = "+" + text[2:]
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            missing_region = exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE \
                and region is None and not text.startswith("+")
            (reading.no_country_code if missing_region else reading.not_valid).append(value)
            continue
        if not phonenumbers.is_valid_number(number):
            reading.not_valid.append(value)
            continue
        reading.written[value] = phonenumbers.format_number(number, form)
    return reading
