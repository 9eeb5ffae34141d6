"""The `dienstenwijzer` command (plus Flask's own commands), one module per group of commands:

- setup.py      init (database, reference data, demo catalogue and history)
- serving.py    serve, worker
- catalogue.py  import, export-open-data
- index.py      reindex, check-index
- users.py      create-user
- retention.py  purge
"""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from .. import cli_language

# Click's own messages ("Gebruik:", "Fout: Ontbrekende optie …") in Dutch. Before the command
# modules are imported: click translates some words (a path's "bestand") when a command is built.
cli_language.install()


def main() -> None:
    from .. import create_app

    FlaskGroup(create_app=create_app, help="Dienstenwijzer: beheer en opstart van de site.")(
        prog_name="dienstenwijzer"
    )


def register_commands(app: Flask) -> None:
    from .catalogue import export_open_data_command, import_command
    from .index import check_index_command, reindex_command
    from .retention import purge_command
    from .serving import serve_command, worker_command
    from .setup import init_command
    from .users import create_user_command

    for command in (
        init_command,
        serve_command,
        worker_command,
        import_command,
        reindex_command,
        check_index_command,
        create_user_command,
        purge_command,
        export_open_data_command,
    ):
        app.cli.add_command(command)
