"""A bench catalogue whose texts read like the demo's, written as the project's import CSVs.

Every generated service starts from a demo service (fixtures/catalogus/) and is reworded:
its sentences are recombined with sentences of other demo services of the same category,
taxonomy synonyms are swapped for one another (kuisen / poetsen / schoonmaken), the place
names are moved to the zorggebied the service is generated for, and provider names are
recombined from the demo providers' names. Services are spread over the zorggebieden in
proportion to their inhabitants (bench/population.csv).
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from bench_reference import Reference, Region

COLUMNS = (
    "extern_id",
    "naam",
    "aanbieder",
    "categorie",
    "omschrijving",
    "gemeenten",
    "straat",
    "postcode",
    "gemeente",
    "telefoon",
    "email",
    "website",
    "dienstencheques",
    "prijs",
    "doelgroep",
    "openingsuren",
)
SERVICES_PER_PROVIDER = 4
OTHER_REGION_SHARE = 0.05  # services that also serve a municipality of another zorggebied
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"‘(])")
WORD = re.compile(r"[A-Za-zÀ-ÿ][a-zà-ÿ-]+")
# Words in demo provider names that say what kind of provider it is; the rest is the brand.
PROVIDER_KIND_WORDS = {
    "vzw",
    "dienstencheques",
    "dienstenchequebedrijf",
    "ocmw",
    "sociaal",
    "huis",
    "wijk-werken",
    "sociale",
    "werkplaats",
    "kringloopwinkel",
    "kringloopcentrum",
    "bv",
    "bvba",
    "cv",
    "en",
    "de",
    "het",
    "&",
    "co",
    "stad",
    "gemeente",
    "dienst",
    "van",
    "voor",
    "buurtwerk",
    "lde",
}
FIRST_NAMES = (
    "An",
    "Bart",
    "Els",
    "Filip",
    "Greet",
    "Hilde",
    "Jan",
    "Karin",
    "Lotte",
    "Marc",
    "Nadia",
    "Omar",
    "Patrick",
    "Rita",
    "Sofie",
    "Tom",
    "Yasmine",
    "Wim",
    "Ilse",
    "Koen",
)
EXTRA_SENTENCES = (
    "Wij werken in {place} en de omliggende deelgemeenten.",
    "Bel gerust naar {person} voor meer uitleg.",
    "Kom langs in ons kantoor in de {street} in {place}.",
    "Ook in {place2} kunt u bij ons terecht.",
    "Op {day} werken we alleen op afspraak.",
    "Vraag naar {person}: die maakt graag tijd voor u.",
    "Nieuwe klanten uit {place} zijn welkom; er is geen wachtlijst.",
    "Er is een wachtlijst van enkele weken, vooral in {place}.",
)
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


class CatalogueGenerator:
    def __init__(self, ref: Reference, seed: int):
        self.ref = ref
        self.rng = random.Random(seed)
        self.rows = [r for r in ref.demo_rows if r["omschrijving"].strip()]
        self.by_category: dict[str, list[dict]] = {}
        for row in self.rows:
            for cid in row["categorie"].split(";"):
                self.by_category.setdefault(cid.strip(), []).append(row)
        self.sentences = {id(r): _sentences(r["omschrijving"]) for r in self.rows}
        # Single-word synonyms per category: the words swapped for one another.
        self.synonyms: dict[str, list[str]] = {}
        for c in ref.categories.values():
            words = [s for s in c.synonyms if " " not in s and s.isalpha()]
            for w in words:
                self.synonyms.setdefault(w, [])
                self.synonyms[w].extend(x for x in words if x != w)
        demo_places = {p for p in ref.flemish_places if len(p) >= 4}
        demo_text = " ".join(
            r["omschrijving"] + " " + r["naam"] + " " + r["aanbieder"] for r in self.rows
        )
        used = sorted((p for p in demo_places if p in demo_text), key=len, reverse=True)
        self.place_pattern = (
            re.compile(r"\b(" + "|".join(map(re.escape, used)) + r")\b") if used else None
        )
        brands = set()
        for r in self.rows:
            for w in r["aanbieder"].split():
                if (
                    w.lower() not in PROVIDER_KIND_WORDS
                    and w[:1].isupper()
                    and w not in demo_places
                ):
                    brands.add(w.strip("()"))
        self.brands = sorted(brands)
        self.streets = sorted(
            {re.sub(r"\s*\d.*$", "", r["straat"]) for r in self.rows if r["straat"]}
        )

    # --- wording -------------------------------------------------------------------------
    def _place_in(self, region: Region) -> str:
        m = self.rng.choice(region.municipalities)
        return self.rng.choice(m.places + [m.name]) if self.rng.random() < 0.7 else m.name

    def _move_places(self, text: str, region: Region) -> str:
        if not self.place_pattern:
            return text
        return self.place_pattern.sub(lambda _m: self._place_in(region), text)

    def _swap_synonyms(self, text: str) -> str:
        def swap(m: re.Match) -> str:
            word = m.group(0)
            alternatives = self.synonyms.get(word.lower())
            if not alternatives or self.rng.random() > 0.4:
                return word
            new = self.rng.choice(alternatives)
            return new.capitalize() if word[0].isupper() else new

        return WORD.sub(swap, text)

    def _extra_sentence(self, region: Region) -> str:
        return self.rng.choice(EXTRA_SENTENCES).format(
            place=self._place_in(region),
            place2=self._place_in(region),
            person=self.rng.choice(FIRST_NAMES),
            street=self.rng.choice(self.streets),
            day=self.rng.choice(DAYS),
        )

    def _description(self, template: dict, region: Region) -> str:
        own = self.sentences[id(template)]
        keep = own[:1] + self.rng.sample(own[1:], k=min(len(own) - 1, self.rng.randint(1, 3)))
        cats = [c.strip() for c in template["categorie"].split(";")]
        for _ in range(self.rng.randint(1, 3)):
            other = self.rng.choice(self.by_category.get(self.rng.choice(cats)) or self.rows)
            keep.append(self.rng.choice(self.sentences[id(other)]))
        if self.rng.random() < 0.6:
            keep.append(self._extra_sentence(region))
        head, tail = keep[:1], keep[1:]
        self.rng.shuffle(tail)
        text = " ".join(dict.fromkeys(head + tail))
        return self._swap_synonyms(self._move_places(text, region))

    def _provider_name(self, template: dict, region: Region) -> str:
        words = self._move_places(template["aanbieder"], region).split()
        brands = [i for i, w in enumerate(words) if w.strip("()") in self.brands]
        if brands and self.rng.random() < 0.8:
            words[self.rng.choice(brands)] = self.rng.choice(self.brands)
        name = " ".join(words)
        if self.rng.random() < 0.5:
            name += f" {self._place_in(region)}"
        return name

    # --- rows ----------------------------------------------------------------------------
    def service(self, region: Region, number: int, provider: str, template: dict) -> dict:
        rng = self.rng
        home = rng.choice(region.municipalities)
        served = [home.name] + [
            m.name
            for m in rng.sample(
                region.municipalities, k=rng.randint(0, len(region.municipalities) - 1)
            )
        ]
        if rng.random() < OTHER_REGION_SHARE:
            other = rng.choice([r for r in self.ref.regions if r.slug != region.slug])
            served.append(rng.choice(other.municipalities).name)
        name = self._swap_synonyms(self._move_places(template["naam"], region))
        if rng.random() < 0.3:
            name = f"{name} ({self._place_in(region)})"
        slug = re.sub(r"[^a-z0-9]+", "", provider.lower())[:24] or "aanbieder"
        other = rng.choice(self.by_category.get(template["categorie"].split(";")[0]) or self.rows)
        return {
            "extern_id": f"bench-{region.slug}-{number}",
            "naam": name[:200],
            "aanbieder": provider,
            "categorie": template["categorie"],
            "omschrijving": self._description(template, region),
            "gemeenten": ";".join(dict.fromkeys(served)),
            "straat": f"{rng.choice(self.streets)} {rng.randint(1, 250)}",
            "postcode": rng.choice(home.postcodes),
            "gemeente": home.name,
            "telefoon": f"0{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            "email": f"info{number}@{slug}.example",
            "website": f"https://{slug}.example" if rng.random() < 0.7 else "",
            "dienstencheques": template["dienstencheques"],
            "prijs": rng.choice((template["prijs"], other["prijs"])),
            "doelgroep": rng.choice((template["doelgroep"], other["doelgroep"])),
            "openingsuren": rng.choice((template["openingsuren"], other["openingsuren"])),
        }

    def region_rows(self, region: Region, count: int) -> list[dict]:
        """`count` services for one zorggebied; about SERVICES_PER_PROVIDER per provider."""
        rows = []
        providers: list[tuple[str, dict]] = []
        for number in range(1, count + 1):
            if not providers or self.rng.random() < 1 / SERVICES_PER_PROVIDER:
                template = self.rng.choice(self.rows)
                providers.append((self._provider_name(template, region), template))
            provider, first = self.rng.choice(providers)
            # A provider keeps to its trade: its services start from demo services like its first.
            cat = first["categorie"].split(";")[0]
            template = self.rng.choice(self.by_category.get(cat) or self.rows)
            rows.append(self.service(region, number, provider, template))
        return rows


def region_counts(ref: Reference, total: int) -> dict[str, int]:
    """Services per zorggebied in proportion to inhabitants (largest remainder)."""
    weights = ref.population_weights()
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[i] += 1
    return {r.slug: c for r, c in zip(ref.regions, counts, strict=True)}


def write_catalogue(ref: Reference, total: int, out_dir: Path, seed: int) -> dict[str, int]:
    """One import CSV per zorggebied in out_dir; returns the number of services per slug."""
    out_dir.mkdir(parents=True, exist_ok=True)
    generator = CatalogueGenerator(ref, seed)
    counts = region_counts(ref, total)
    for region in ref.regions:
        rows = generator.region_rows(region, counts[region.slug])
        with (out_dir / f"{region.slug}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS, delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
    return counts


def read_catalogue(out_dir: Path) -> dict[str, list[dict]]:
    catalogue = {}
    for path in sorted(out_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            catalogue[path.stem] = list(csv.DictReader(f, delimiter=";"))
    return catalogue
