"""The `dienstenwijzer` command answers in Dutch, click's own usage errors included."""

from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_file

from dienstenwijzer import cli_language


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_a_missing_option_is_explained_in_dutch(runner, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_text("x")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 2
    assert "Gebruik: " in result.output
    assert "Fout: Ontbrekende optie '--region'." in result.output
    assert "--help' voor uitleg." in result.output
    for english in ("Usage:", "Error:", "Missing", "Try '"):
        assert english not in result.output


def test_an_unknown_option_and_a_missing_file_in_dutch(runner):
    result = runner.invoke(args=["import", "bestaat-niet.csv", "--regio", "gent"])
    assert "Fout: Onbekende optie '--regio'. Bedoelt u '--region'?" in result.output
    result = runner.invoke(args=["import", "bestaat-niet.csv", "--region", "gent"])
    assert "Ongeldige waarde voor 'FILE': Bestand 'bestaat-niet.csv' bestaat niet." in result.output


def test_help_headings_are_dutch(runner):
    result = runner.invoke(args=["import", "--help"])
    assert "Opties:" in result.output and "Toon deze uitleg en stop." in result.output


def test_usage_lines_name_options_and_commands_in_dutch(runner):
    group = runner.invoke(args=["--help"])
    assert group.exit_code == 0, group.output
    assert "Gebruik: " in group.output and " [OPTIES] OPDRACHT [ARGUMENTEN]..." in group.output
    command = runner.invoke(args=["import", "--help"])
    assert " import [OPTIES] FILE" in command.output
    mistake = runner.invoke(args=["purge", "--onbekend"])
    assert mistake.exit_code == 2 and " purge [OPTIES]" in mistake.output
    for result in (group, command, mistake):
        for english in ("[OPTIONS]", "COMMAND", "[ARGS]"):
            assert english not in result.output


def test_usage_pieces_are_translated_once_even_if_installed_twice():
    cli_language.install()

    @click.group()
    def tool():
        """A tool."""

    @tool.command()
    def step():
        """A step."""

    with click.Context(tool, info_name="tool") as ctx:
        assert tool.get_usage(ctx) == "Gebruik: tool [OPTIES] OPDRACHT [ARGUMENTEN]..."


def test_every_translated_message_still_exists_in_click():
    """A click upgrade that rewords a message would silently bring the English back."""
    source = Path(click.__file__).parent
    ids = set()
    for name in cli_language.CLICK_MODULES:
        path = source / (name.split(".")[1] + ".py")
        for _, message, _, _ in extract_from_file(
            "python", str(path), keywords={"_": None, "ngettext": (1, 2)}
        ):
            ids.add(message)
    assert set(cli_language._messages()) - ids == set()
