"""Who reports: one reporting body across years is its adcode plus its normalized issuer (metric catalog).

The normalizer has already converted the script and taken the fullest form of the issuer that the page
prints (docs/metadata.md). What still differs between one body's reports is only what each year's page
happens to print, and exactly that is folded here:
- whitespace and full-width forms (PDF letter spacing, `ＸＸ`);
- a parent division written before the place (`临湖市望川县人民政府` for `望川县人民政府`): the fullest form
  adds the prefecture only in a year whose page prints it;
- the government's general office (`望川县人民政府办公室`, `…办公厅`, `…政府办`) for the government: it reports
  for its government (docs/metadata.md, Levels), so one body's series may be issued by either;
- `政府` for `人民政府`: a place has one government, and its region is read without either word.
Nothing else: `科技局` and `科学技术局` stay two bodies (no dictionary expands names). A report without an
adcode (zones, unresolved places) or an issuer has no identity, and is never compared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shared.messages import ReportMetadata

PARENT_DIVISION_ENDINGS = ("省", "自治区", "市", "州", "盟", "地区")
"""Endings of the divisions that may be written before a place: province and prefecture level."""
GOVERNMENT = re.compile(r"(?:人民)?政府(?:办公厅|办公室|办)?$")


@dataclass(frozen=True)
class ReportingBody:
    adcode: str
    issuer: str

    @property
    def key(self) -> str:
        """The one keyword report docs are matched on (`cross_year.identity`)."""
        return f"{self.adcode}|{self.issuer}"

    @classmethod
    def from_key(cls, key: str) -> ReportingBody:
        adcode, issuer = key.split("|", 1)
        return cls(adcode, issuer)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def normalized_issuer(issuer: str, region: str | None = None) -> str:
    """The issuer with the variance of one body's pages folded (see the module docstring)."""
    name = _plain(issuer)
    place = _plain(region or "")
    at = name.find(place) if place else -1
    if at > 0 and name[:at].endswith(PARENT_DIVISION_ENDINGS):
        name = name[at:]
    return GOVERNMENT.sub("人民政府", name)


def reporting_body(metadata: ReportMetadata) -> ReportingBody | None:
    """The body a report comes from, or None when the report cannot be matched across years."""
    if not (metadata.adcode and metadata.issuer):
        return None
    return ReportingBody(metadata.adcode, normalized_issuer(metadata.issuer, metadata.region))
