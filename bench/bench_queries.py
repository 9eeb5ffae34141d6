"""Resident-like search requests, each distinct, written to a file before any server starts.

Kinds (shares in KIND_SHARES): one word, two words, a category's own words, a synonym, an
inflected form, a typo, a short sentence, a word the catalogue does not have, and browsing a
category without words. About a third carry a filter (municipality, category,
dienstencheques, distance from a postcode); some ask for page 2 or 3. The zorggebied of each
request is drawn in proportion to inhabitants. Words come from the demo catalogue and the
taxonomy, never from the generated catalogue, so queries are not tailored to the index.
"""

from __future__ import annotations

import random
import re
import string
import urllib.parse
from collections import Counter
from dataclasses import dataclass

from bench_reference import Reference, Region

KIND_SHARES = {
    "word": 0.28,
    "two_words": 0.12,
    "category": 0.10,
    "synonym": 0.10,
    "inflected": 0.07,
    "typo": 0.12,
    "sentence": 0.09,
    "unknown": 0.07,
    "browse": 0.05,
}
FILTER_SHARE = 0.35
LATER_PAGE_SHARE = 0.07
DISTANCES_KM = (2, 5, 10, 20, 50)
STOPWORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as text)
        "aan al als bij dan dat de den der des die dit door een en er het hij hoe ik in is je kan "
        "kunt maar me met mij mijn na naar niet nog of om onze ook op over te tot u uit uw van "
        "voor wat we wie wij wil zal ze zich zijn zo zoals zonder omdat waar wordt worden heeft "
        "hebben deze ons meer elke iedere alle welke gaat komen komt doen doet nu dus toch even "
        "heel hebt heb geldt iets mogen mag moet moeten kunnen tussen andere ander graag gewoon "
        "samen zelf daar hier wel geen veel want eens wanneer tijdens zodat waarna"
    ).split()
)
# Objects and verbs residents put in a sentence; most relate to the taxonomy, some do not.
SENTENCE_PAIRS = (
    ("gras", "maaien"),
    ("haag", "snoeien"),
    ("ramen", "wassen"),
    ("strijk", "doen"),
    ("huis", "poetsen"),
    ("kinderen", "opvangen"),
    ("boodschappen", "doen"),
    ("fiets", "herstellen"),
    ("kleren", "herstellen"),
    ("tuin", "onderhouden"),
    ("dakgoot", "kuisen"),
    ("computer", "installeren"),
    ("papieren", "invullen"),
    ("moeder", "naar het ziekenhuis brengen"),
    ("maaltijden", "brengen"),
    ("muren", "schilderen"),
    ("verhuis", "helpen"),
    ("hond", "uitlaten"),
    ("piano", "stemmen"),
    ("zwembad", "kuisen"),
    ("vader", "gezelschap houden"),
    ("oude meubels", "ophalen"),
    ("kraan", "herstellen"),
)
SENTENCE_TEMPLATES = (
    "ik zoek iemand om mijn {obj} te {verb}",
    "wie kan mijn {obj} {verb}",
    "hulp nodig om {obj} te {verb}",
    "iemand die mijn {obj} kan {verb}",
    "{obj} {verb} in {place}",
    "{obj} laten {verb} met dienstencheques",
    "ik ben 80 en kan mijn {obj} niet meer {verb}",
    "goedkoop {obj} {verb}",
)
# Real words for things the catalogue does not offer (checked against its words at run time).
UNKNOWN_WORDS = (
    "pianostemmer",
    "hondenkapper",
    "tatoeage",
    "nagelstudio",
    "rijschool",
    "trouwfotograaf",
    "schoorsteenveger",
    "ongedierte",
    "horlogemaker",
    "goudsmid",
    "hoefsmid",
    "escaperoom",
    "bowling",
    "karaoke",
    "sushi",
    "acupunctuur",
    "springkasteel",
    "bruidsjurk",
    "limousine",
    "jacuzzi",
    "sauna",
    "zonnebank",
    "aquarium",
    "duivenmelker",
    "kapsalon",
    "notaris",
    "advocaat",
    "tandarts",
    "kinesist",
    "loodgieter",
    "dakwerker",
    "glazenier",
    "imker",
    "paardrijles",
    "zangles",
    "gitaarles",
    "schaakclub",
    "fitness",
    "zwemles",
    "massage",
    "reisbureau",
    "verzekering",
    "hypotheek",
    "garagist",
    "bandencentrale",
    "slotenmaker",
    "boekhouder",
    "vertaler",
    "drone",
    "kerstboom",
    "vuurwerk",
    "feestzaal",
    "catering",
    "dierenarts",
    "kattenoppas",
    "paardenstal",
    "kampeerplaats",
    "skiles",
    "bootverhuur",
)
COMMON_VERBS = (
    "maaien",
    "snoeien",
    "poetsen",
    "kuisen",
    "strijken",
    "wassen",
    "koken",
    "herstellen",
    "schilderen",
    "verhuizen",
    "oppassen",
    "vervoeren",
    "behangen",
    "wieden",
    "boodschappen",
    "afrijden",
    "opruimen",
    "naaien",
    "stofzuigen",
)
SYLLABLES = (
    "ka",
    "lo",
    "mer",
    "tin",
    "vo",
    "bra",
    "sel",
    "dru",
    "pek",
    "zon",
    "wa",
    "gi",
    "ster",
    "bol",
    "ken",
    "rif",
    "tu",
    "mal",
    "dor",
    "quo",
)


@dataclass(frozen=True)
class Query:
    kind: str
    region: str
    params: tuple[tuple[str, str], ...]  # the search page's parameters, in order

    def html_path(self) -> str:
        return f"/{self.region}/zoeken?" + urllib.parse.urlencode(self.params)

    def api_path(self) -> str:
        params = [("search" if k == "q" else k, v) for k, v in self.params]
        return f"/{self.region}/api/v1/services?" + urllib.parse.urlencode(params)


def typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: a letter dropped, swapped, doubled or wrong."""
    if len(word) < 4:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]


def inflect(verb: str, rng: random.Random) -> str:
    """A rough Dutch form of a verb (poetsen -> poetst, gepoetst): what residents type."""
    stem = verb[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        stem = stem[:-1]  # wassen -> was
    if stem.endswith("z"):
        stem = stem[:-1] + "s"
    if stem.endswith("v"):
        stem = stem[:-1] + "f"
    voiceless = stem[-1:] in "tkfschp"  # 't kofschip: gepoetst, gemaaid
    ending = "" if stem[-1:] in "td" else ("t" if voiceless else "d")
    past = stem + ("te" if voiceless else "de")
    return rng.choice(
        (stem + ("" if stem.endswith("t") else "t"), "ge" + stem + ending, stem, past)
    )


class QueryWriter:
    def __init__(self, ref: Reference, seed: int):
        self.ref = ref
        self.rng = random.Random(seed)
        words = Counter()
        self.rows = [r for r in ref.demo_rows if r["omschrijving"].strip()]
        for row in self.rows:
            words.update(self._content_words(row["omschrijving"] + " " + row["naam"]))
        self.words = sorted(words)
        self.word_weights = [words[w] for w in self.words]
        self.categories = list(ref.categories.values())
        # Categories weighted by how often the demo uses them: what browsing residents pick.
        used = Counter(c for r in self.rows for c in r["categorie"].split(";"))
        self.category_weights = [1 + used[c.id] for c in self.categories]
        self.synonyms = [(s, c.id) for c in self.categories for s in c.synonyms]
        demo_text = " ".join(r["omschrijving"].lower() for r in self.rows)
        # Verbs: taxonomy words the demo uses after "te" (te poetsen); other words ending
        # in -en are mostly plural nouns (kinderen, fietspaden).
        candidates = {
            w for s, _ in self.synonyms for w in s.split() if w.endswith("en") and len(w) >= 6
        }
        self.verbs = sorted(
            w for w in candidates | set(COMMON_VERBS) if f"te {w}" in demo_text or w in COMMON_VERBS
        )
        known = set(words) | {w for s, _ in self.synonyms for w in s.split()}
        self.unknown = [w for w in UNKNOWN_WORDS if w not in known]
        self.known = known
        self.region_weights = ref.population_weights()

    @staticmethod
    def _content_words(text: str) -> list[str]:
        return [
            w for w in re.findall(r"[a-zà-ÿ]+", text.lower()) if len(w) >= 4 and w not in STOPWORDS
        ]

    def _row_words(self) -> tuple[list[str], str]:
        row = self.rng.choice(self.rows)
        return self._content_words(row["omschrijving"]), row["categorie"].split(";")[0]

    def _place(self, region: Region) -> str:
        m = self.rng.choice(region.municipalities)
        return self.rng.choice(m.places + [m.name]).lower()

    def _text(self, kind: str, region: Region) -> tuple[str, str | None]:
        """The words typed, and a category that fits them (for a resident who also filters)."""
        rng = self.rng
        if kind == "word":
            return rng.choices(self.words, self.word_weights)[0], None
        if kind == "two_words":  # two words near each other in one text (warme maaltijd)
            words, category = self._row_words()
            i = rng.randrange(len(words) - 1)
            return f"{words[i]} {words[min(len(words) - 1, i + rng.randint(1, 3))]}", category
        if kind == "category":
            c = rng.choices(self.categories, self.category_weights)[0]
            return rng.choice(
                (c.label.split(" (")[0].split(" & ")[0].lower(), c.id.replace("-", " "))
            ), c.id
        if kind == "synonym":
            return rng.choice(self.synonyms)
        if kind == "inflected":
            return inflect(rng.choice(self.verbs), rng), None
        if kind == "typo":
            if rng.random() < 0.5:
                source, category = rng.choice(self.synonyms)
            else:
                source, category = rng.choices(self.words, self.word_weights)[0], None
            words = source.split()
            i = rng.randrange(len(words))
            words[i] = typo(words[i], rng)
            return " ".join(words), category
        if kind == "sentence":
            obj, verb = rng.choice(SENTENCE_PAIRS)
            return rng.choice(SENTENCE_TEMPLATES).format(
                obj=obj, verb=verb, place=self._place(region)
            ), None
        if kind == "unknown":
            if rng.random() < 0.5 and self.unknown:
                return rng.choice(self.unknown), None
            while True:  # a made-up name: a shop or brand the catalogue cannot know
                word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
                if word not in self.known:
                    return word, None
        return "", None  # browse: no words, a category only

    def _filters(self, region: Region, browse: bool, category: str | None) -> list[tuple[str, str]]:
        rng = self.rng
        params: list[tuple[str, str]] = []
        if browse:
            params.append(("categorie", rng.choices(self.categories, self.category_weights)[0].id))
        if rng.random() < FILTER_SHARE:
            for _ in range(1 if rng.random() < 0.85 else 2):
                kind = rng.randrange(4)
                if kind == 0 and not browse:
                    params.append(
                        (
                            "categorie",
                            category or rng.choices(self.categories, self.category_weights)[0].id,
                        )
                    )
                elif kind == 1:
                    params.append(("gemeente", rng.choice(region.municipalities).nis_code))
                elif kind == 2:
                    params.append(("dienstencheques", "y"))
                else:
                    m = rng.choice(region.municipalities)
                    params.append(("postcode", rng.choice(m.postcodes)))
                    params.append(("km", str(rng.choice(DISTANCES_KM))))
        if rng.random() < LATER_PAGE_SHARE:
            params.append(("page", str(rng.randint(2, 3))))
        return list(dict.fromkeys(params))

    def one(self) -> Query:
        rng = self.rng
        region = rng.choices(self.ref.regions, self.region_weights)[0]
        kind = rng.choices(list(KIND_SHARES), list(KIND_SHARES.values()))[0]
        text, category = self._text(kind, region)
        params = ([("q", text)] if text else []) + self._filters(region, kind == "browse", category)
        return Query(kind, region.slug, tuple(params))

    def distinct(self, count: int, seen: set[str]) -> list[Query]:
        """`count` requests whose paths are not in `seen` (which is updated)."""
        out: list[Query] = []
        attempts = 0
        while len(out) < count:
            attempts += 1
            if attempts > count * 50:
                raise RuntimeError("cannot draw enough distinct queries")
            q = self.one()
            path = q.html_path()
            if path not in seen:
                seen.add(path)
                out.append(q)
        return out


def write_query_file(path, queries: list[Query]) -> None:
    """Tab-separated: kind, zorggebied, HTML path, API path. One request per line."""
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(f"{q.kind}\t{q.region}\t{q.html_path()}\t{q.api_path()}\n" for q in queries)


def read_query_file(path) -> list[tuple[str, str, str, str]]:
    with open(path, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t")) for line in f if line.strip()]


def random_token(rng: random.Random, length: int = 10) -> str:
    """A word no catalogue contains, to make an edited service findable by it alone."""
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(length))
