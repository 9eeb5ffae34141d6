"""CSV import: every error reported by line and column, and all or nothing."""

import pytest
from sqlalchemy import func, select

from dienstenwijzer.catalogue.importer import ImportFileError, apply_import, decode, plan_import
from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Region, Service
from dienstenwijzer.places import Places
from tests.conftest import csv_text, service_row


def plan(text: str, region: str = "gent"):
    r = db.session.scalar(select(Region).where(Region.slug == region))
    return plan_import(db.session, r, text, Places(db.session))


def gent() -> Region:
    return db.session.scalar(select(Region).where(Region.slug == "gent"))


def errors(text: str) -> list[str]:
    return [str(e) for e in plan(text).errors]


def test_a_valid_file_creates_providers_and_services(app, add_services):
    summary = add_services(
        "gent", [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkdienst")]
    )
    assert (summary.created, summary.updated, summary.providers_created) == (2, 0, 1)
    service = db.session.scalar(select(Service).where(Service.external_id == "a"))
    assert service.municipality.name == "Gent"
    assert [c.id for c in service.categories] == ["poetsen"]
    assert service.lat == pytest.approx(51.05, abs=0.05)


def test_every_bad_row_is_reported_and_nothing_is_imported(app):
    text = csv_text(
        [
            service_row(extern_id="ok"),
            service_row(extern_id="bad1", categorie="ruimtevaart", telefoon="bel me"),
            service_row(extern_id="bad2", gemeenten="Gnet", postcode="9999"),
            service_row(extern_id="bad3", naam="", email="geen-adres", website="niet een url"),
            service_row(extern_id="bad4", postcode="8500", gemeente="Gent"),
            service_row(extern_id="bad5", categorie="tuinonderhoud", dienstencheques="ja"),
        ]
    )
    found = errors(text)
    assert found == [
        "regel 3, kolom categorie: onbekende categorie 'ruimtevaart' (gebruik de id's uit de taxonomie, bv. poetsen)",
        "regel 3, kolom telefoon: 'bel me' is geen telefoonnummer: gebruik alleen cijfers, spaties en +",
        "regel 4, kolom gemeenten: onbekende gemeente 'Gnet' (bedoelt u Gent?)",
        "regel 4, kolom postcode: postcode 9999 bestaat niet",
        "regel 5, kolom naam: is verplicht en mag niet leeg zijn",
        "regel 5, kolom email: 'geen-adres' is geen geldig e-mailadres (bv. naam@voorbeeld.be)",
        "regel 5, kolom website: 'https://niet een url' is geen geldig webadres (bv. https://www.voorbeeld.be)",
        "regel 6, kolom postcode: postcode 8500 hoort niet bij Gent maar bij Kortrijk",
        "regel 7, kolom dienstencheques: dienstencheques kunnen niet betalen voor deze categorie",
    ]
    assert db.session.scalar(select(func.count(Service.id))) == 0


def test_missing_required_column_is_reported_on_line_1(app):
    text = "naam;aanbieder;omschrijving\nA;B;C\n"
    assert errors(text) == [
        "regel 1, kolom categorie: deze verplichte kolom ontbreekt",
        "regel 1, kolom gemeenten: deze verplichte kolom ontbreekt",
    ]


def test_unknown_column_is_reported(app):
    text = csv_text([service_row()]).replace("openingsuren", "openingstijden")
    assert errors(text) == [
        (
            "regel 1, kolom openingstijden: onbekende kolom; toegelaten zijn: naam, aanbieder, categorie, "
            "omschrijving, gemeenten, straat, postcode, gemeente, telefoon, email, website, dienstencheques, "
            "prijs, doelgroep, openingsuren, extern_id, uuid"
        )
    ]


def test_line_numbers_count_quoted_newlines(app):
    rows = [
        service_row(omschrijving="Eerste regel\ntweede regel"),
        service_row(categorie="onbestaand"),
    ]
    assert errors(csv_text(rows)) == [
        "regel 4, kolom categorie: onbekende categorie 'onbestaand' (gebruik de id's uit de taxonomie, bv. poetsen)"
    ]


def test_duplicate_external_id_in_one_file(app):
    assert errors(csv_text([service_row(extern_id="x"), service_row(extern_id="x")])) == [
        "regel 3, kolom extern_id: 'x' staat ook al op regel 2"
    ]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_comma_or_semicolon_and_bom(app, delimiter):
    raw = ("\ufeff" + csv_text([service_row(extern_id="a")], delimiter=delimiter)).encode("utf-8")
    result = plan(decode(raw))
    assert result.ok and result.rows == 1
    apply_import(db.session, gent(), result)
    assert db.session.scalars(select(Service.name)).all() == ["Poetsdienst De Bezem"]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(app):
    raw = "naam;aanbieder\nCaf\u00e9;X\n".encode("latin-1")
    with pytest.raises(ImportFileError, match="regel 2: het bestand is geen UTF-8"):
        decode(raw)


def test_municipalities_by_name_or_nis_code_and_accents(app):
    result = plan(csv_text([service_row(gemeenten="44021; kortrijk ;Kuurne")]))
    assert result.ok
    apply_import(db.session, gent(), result)
    service = db.session.scalar(select(Service))
    assert sorted(m.nis_code for m in service.municipalities) == ["34022", "34023", "44021"]


def test_same_external_id_updates_the_service(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    summary = add_services("gent", [service_row(extern_id="a", naam="Poetsdienst De Nieuwe Bezem")])
    assert (summary.created, summary.updated) == (0, 1)
    assert db.session.scalars(select(Service.name)).all() == ["Poetsdienst De Nieuwe Bezem"]


def test_reimporting_the_same_file_changes_nothing(app, add_services):
    rows = [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijk")]
    add_services("gent", rows)
    summary = add_services("gent", rows)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert db.session.scalar(select(func.count(Provider.id))) == 1


def test_external_ids_are_per_region(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    add_services(
        "kortrijk",
        [service_row(extern_id="a", gemeenten="Kortrijk", postcode="8500", gemeente="Kortrijk")],
    )
    assert db.session.scalar(select(func.count(Service.id))) == 2


def test_applying_a_plan_with_errors_is_refused(app):
    bad = plan(csv_text([service_row(categorie="onbestaand")]))
    region = db.session.scalar(select(Region).where(Region.slug == "gent"))
    with pytest.raises(ValueError):
        apply_import(db.session, region, bad)


def test_empty_file(app):
    assert errors("") == [
        "regel 1: het bestand is leeg: de eerste regel moet de kolomnamen bevatten"
    ]
    assert errors(csv_text([])) == ["regel 2: het bestand bevat geen diensten"]


def test_a_field_over_128_kb_is_reported_by_its_line(app):
    text = csv_text(
        [service_row(extern_id="a"), service_row(extern_id="b", omschrijving="x" * 200_000)]
    )
    assert errors(text) == [
        (
            'regel 3: een veld is langer dan 128 KB. Meestal staat er een aanhalingsteken (") dat niet '
            "gesloten wordt; vanaf hier is het bestand niet gecontroleerd."
        )
    ]


def test_a_file_on_disk_is_streamed_and_its_bad_encoding_reported_by_line(app, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_bytes(
        csv_text([service_row(extern_id="a")]).encode() + "Caf\u00e9;X\n".encode("latin-1")
    )
    with pytest.raises(ImportFileError, match="regel 3: het bestand is geen UTF-8"):
        plan(path)
    path.write_bytes(
        b"\xef\xbb\xbf" + csv_text([service_row(extern_id=f"r{i}") for i in range(2500)]).encode()
    )
    result = plan(path)
    assert result.ok and result.rows == 2500 and result.summary.created == 2500
    summary = apply_import(db.session, gent(), result)
    assert (summary.created, summary.providers_created) == (2500, 1)
    assert db.session.scalar(select(func.count(Service.id))) == 2500


def test_kept_rows_are_written_without_reading_the_file_again_and_then_deleted(app, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_text(csv_text([service_row(extern_id=f"r{i}") for i in range(1200)]))
    result = plan_import(db.session, gent(), path, Places(db.session), keep_rows=True)
    kept = result.checked_rows
    assert result.ok and kept.exists()
    path.unlink()
    assert apply_import(db.session, gent(), result).created == 1200
    assert not kept.exists() and result.checked_rows is None
    bad = plan_import(
        db.session,
        gent(),
        csv_text([service_row(categorie="x")]),
        Places(db.session),
        keep_rows=True,
    )
    assert not bad.ok and bad.checked_rows is None
