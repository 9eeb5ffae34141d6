"""The edges between areas, read from the source with ast.

An area is a direct subpackage of dienstenwijzer (catalogue, demand, jobs, public, api, ...).
An area may use another area's public, non-view modules, but never its views (they hold
routes and request handling, not shared logic) nor its private `_underscore` names: what two
areas share lives in a lower module under a public name.
"""

import ast
from pathlib import Path

import dienstenwijzer

PACKAGE = Path(dienstenwijzer.__file__).parent
ROOT = PACKAGE.name


def area_names() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/__init__.py")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute module a `from ... import` reads from."""
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def area_of(module: str, areas: set[str]) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == ROOT and parts[1] in areas:
        return parts[1]
    return None


def is_view_module(module: str) -> bool:
    return "views" in module.rsplit(".", 1)[-1]


def imported(tree: ast.AST, importer: str, is_package: bool):
    """(line, module, name) for every import; name is None for a plain `import module`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            module = resolve(node, importer, is_package)
            for alias in node.names:
                yield node.lineno, module, alias.name


def is_module(dotted: str) -> bool:
    path = PACKAGE.parent / Path(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def bad_imports(path: Path, source: str, areas: set[str]) -> list[str]:
    importer = module_name(path)
    own_area = area_of(importer, areas)
    if own_area is None:
        return []
    found = []
    tree = ast.parse(source, filename=str(path))
    for line, module, name in imported(tree, importer, path.name == "__init__.py"):
        shown = f"{module}.{name}" if name else module
        # `from dienstenwijzer.public import views` takes a module, not a name from one.
        target = shown if name and is_module(shown) else module
        other = area_of(target, areas)
        if other is None or other == own_area:
            continue
        where = f"{path.relative_to(PACKAGE.parent)}:{line}"
        if is_view_module(target):
            found.append(f"{where} imports {shown} from a view module of {other}")
        elif name and name.startswith("_"):
            found.append(f"{where} imports the private name {shown} from {other}")
    return found


def area_edges(path: Path, source: str, areas: set[str]) -> set[tuple[str, str, str]]:
    """(importing area, imported area, "file:line") for each import that crosses an edge."""
    importer = module_name(path)
    own_area = area_of(importer, areas)
    if own_area is None:
        return set()
    edges = set()
    for line, module, name in imported(ast.parse(source), importer, path.name == "__init__.py"):
        shown = f"{module}.{name}" if name else module
        other = area_of(shown if name and is_module(shown) else module, areas)
        if other is not None and other != own_area:
            edges.add((own_area, other, f"{path.relative_to(PACKAGE.parent)}:{line}"))
    return edges


def cycles(edges: set[tuple[str, str, str]]) -> list[list[str]]:
    """Every loop in the graph of areas (a -> b -> ... -> a), each once, as the areas in it."""
    graph: dict[str, set[str]] = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
    found: set[tuple[str, ...]] = set()

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == path[0]:
                turn = path.index(min(path))
                found.add(tuple(path[turn:] + path[:turn]))
            elif nxt not in path and nxt > path[0]:
                walk([*path, nxt])

    for start in sorted(graph):
        walk([start])
    return [list(c) for c in sorted(found)]


def test_areas_are_found():
    """The test reads the real tree: the areas named in docs/architecture.md are there."""
    assert {"catalogue", "demand", "jobs", "public", "api", "accounts"} <= area_names()


def test_no_area_imports_another_areas_views_or_private_names():
    areas = area_names()
    found = [
        message
        for path in sorted(PACKAGE.rglob("*.py"))
        for message in bad_imports(path, path.read_text(encoding="utf-8"), areas)
    ]
    assert not found, "Imports across area edges:\n" + "\n".join(found)


def test_the_check_catches_a_view_import_and_a_private_name():
    """A module written like the ones this test guards against is reported, file and line."""
    areas = area_names()
    source = (
        "from ..accounts.admin_views import admin_required\n"
        "from ..public.places import _places\n"
        "from ..public import views\n"
        "from .forms import _own_private\n"
    )
    found = bad_imports(PACKAGE / "demand" / "probe.py", source, areas)
    prefix = "dienstenwijzer/demand/probe.py:"
    assert [message.removeprefix(prefix) for message in found] == [
        "1 imports dienstenwijzer.accounts.admin_views.admin_required from a view module of accounts",
        "2 imports the private name dienstenwijzer.public.places._places from public",
        "3 imports dienstenwijzer.public.views from a view module of public",
    ]


def test_areas_depend_one_way():
    """Areas form layers: when catalogue uses demand, demand does not use catalogue, however
    indirectly. What both need moves down to a module outside the areas (freshness, places)."""
    areas = area_names()
    edges = set().union(
        *(
            area_edges(p, p.read_text(encoding="utf-8"), areas)
            for p in sorted(PACKAGE.rglob("*.py"))
        )
    )
    loops = cycles(edges)
    where = [
        f"{' -> '.join([*loop, loop[0]])}: "
        + ", ".join(
            sorted(w for a, b, w in edges if (a, b) in zip(loop, [*loop[1:], loop[0]], strict=True))
        )
        for loop in loops
    ]
    assert not loops, "Areas that use each other:\n" + "\n".join(where)


def test_the_one_way_check_finds_a_loop_through_three_areas():
    edges = {
        ("catalogue", "demand", "a:1"),
        ("demand", "search", "b:2"),
        ("search", "catalogue", "c:3"),
        ("public", "search", "d:4"),
    }
    assert cycles(edges) == [["catalogue", "demand", "search"]]
    assert cycles(edges - {("search", "catalogue", "c:3")}) == []
