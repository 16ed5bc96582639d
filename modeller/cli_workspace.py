"""Command line for the workspace: `python -m modeller workspace list|save|show|diff|export|import`.

The same store the app uses (MODELLER_DATABASE_URL, else ./data/workspace.sqlite3 under MODELLER_DATA_DIR);
`--user` defaults to the computer's user name. The database layer is imported only when a workspace command
runs, so the other commands start as fast as before.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no user name in a bare container
        return os.environ.get("USER") or "local"


def add_workspace_command(sub) -> None:
    """Register `workspace` and its sub-commands on the main parser's subparsers."""
    w = sub.add_parser("workspace", help="saved scenarios and versions: list, save, show, diff, export, import")
    w.add_argument("--user", default=os_user(), help="act as this user (default: your computer user name)")
    w.add_argument("--database", metavar="URL", default=None,
                   help="database URL (default: MODELLER_DATABASE_URL, else data/workspace.sqlite3)")
    ws = w.add_subparsers(dest="action", required=True)
    a = ws.add_parser("list", help="scenarios you can see, the most recently saved first")
    a.add_argument("--deleted", action="store_true", help="include scenarios in the bin")
    a.add_argument("--reviews", action="store_true", help="list reviews instead of scenarios")
    a.add_argument("--workspace", type=int, default=None, metavar="ID", help="only this workspace")
    s = ws.add_parser("save", help="save a scenario file as a new scenario, or a new version of one")
    s.add_argument("file")
    s.add_argument("--name", default=None, help="name to save under (default: the scenario's own name)")
    s.add_argument("--parent", type=int, default=None, metavar="VERSION_ID",
                   help="the version this is an edit of (its scenario gets a new version)")
    s.add_argument("--note", default="", help="a note saying what changed")
    s.add_argument("--tag", action="append", default=[], help="a tag (repeat for several)")
    s.add_argument("--workspace", type=int, default=None, metavar="ID", help="save into this workspace")
    h = ws.add_parser("show", help="a scenario's versions, or one version's YAML text")
    h.add_argument("scenario_id", type=int, nargs="?", help="list this scenario's versions")
    h.add_argument("--version", type=int, default=None, metavar="VERSION_ID", help="print this version's YAML")
    d = ws.add_parser("diff", help="what changed between two versions, in plain words, with KPI differences")
    d.add_argument("version_a", type=int)
    d.add_argument("version_b", type=int)
    d.add_argument("--no-kpis", action="store_true", help="assumptions only (do not run the model)")
    e = ws.add_parser("export", help="write every scenario and version you can see to a zip (a backup)")
    e.add_argument("out", metavar="OUT.zip")
    e.add_argument("--workspace", type=int, default=None, metavar="ID", help="only this workspace")
    i = ws.add_parser("import", help="add every scenario in a workspace zip to your workspace")
    i.add_argument("zip", metavar="IN.zip")
    i.add_argument("--workspace", type=int, default=None, metavar="ID", help="into this workspace")
    w.set_defaults(func=cmd_workspace)


def cmd_workspace(args) -> int:
    from modeller.workspace import Store, VersionConflict, WorkspaceError

    try:
        store = Store.open(args.database)
        try:
            return ACTIONS[args.action](store, args)
        finally:
            store.close()
    except VersionConflict as err:
        print(f"{err}\nThe newest is version id {err.latest.id}: look at it with `workspace show --version "
              f"{err.latest.id}`, then save again with --parent {err.latest.id}.", file=sys.stderr)
        return 1
    except WorkspaceError as err:
        print(str(err), file=sys.stderr)
        for line in getattr(err, "problems", [])[1:]:
            print(line, file=sys.stderr)
        return 1


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def do_list(store, args) -> int:
    kind = "review" if args.reviews else "scenario"
    found = store.list_scenarios(args.user, args.workspace, include_deleted=args.deleted, kind=kind)
    if not found:
        print(f"No saved {kind}s yet for {args.user}.")
        return 0
    rows = [["Id", "Name", "Version", "Version id", "Saved", "By", "Workspace", "Tags"]]
    for s in found:
        name = s.name + (" (in the bin)" if s.deleted_at else "")
        workspace = s.workspace_name + ("" if s.owner == args.user else f" ({s.owner})")
        rows.append([str(s.id), name, str(s.latest_number), str(s.latest_version_id), _when(s.updated_at),
                     s.updated_by, workspace, ", ".join(s.tags)])
    print(_table(rows))
    return 0


def do_save(store, args) -> int:
    from modeller.scenario_io import load_scenario

    path = Path(args.file)
    scenario = load_scenario(path, source=path.name)   # a ScenarioError prints its lines and exits 1
    version = store.save(args.user, args.name or scenario.name, path.read_text(encoding="utf-8"), note=args.note,
                         parent_version=args.parent, tags=args.tag, workspace=args.workspace)
    print(f"Saved {version.name!r} version {version.number} (version id {version.id}, scenario id "
          f"{version.scenario_id}).")
    return 0


def do_show(store, args) -> int:
    if args.version is not None:
        sys.stdout.write(store.open_version(args.user, args.version).text)
        return 0
    if args.scenario_id is None:
        raise _usage("show needs a scenario id (see `workspace list`) or --version VERSION_ID")
    info = store.get(args.user, args.scenario_id)
    print(f"{info.name} ({info.kind}, workspace {info.workspace_name!r} of {info.owner})"
          + (f"; tags: {', '.join(info.tags)}" if info.tags else ""))
    rows = [["Version", "Version id", "Saved", "By", "Note"]]
    for v in store.versions(args.user, args.scenario_id):
        rows.append([str(v.number), str(v.id), _when(v.created_at), v.author, v.note.replace("\n", " ")])
    print(_table(rows))
    return 0


def do_diff(store, args) -> int:
    diff = store.diff(args.user, args.version_a, args.version_b, kpis=not args.no_kpis)
    print(f"{diff.before.name} version {diff.before.number} → {diff.after.name} version {diff.after.number}")
    for line in diff.lines():
        print(f"  {line}")
    return 0


def do_export(store, args) -> int:
    data = store.export_zip(args.user, args.workspace)
    Path(args.out).write_bytes(data)
    print(f"Wrote {args.out} ({len(data):,} bytes).")
    return 0


def do_import(store, args) -> int:
    found = store.import_zip(args.user, Path(args.zip).read_bytes(), args.workspace)
    print(f"Imported {len(found)} document(s): " + ", ".join(repr(s.name) for s in found))
    return 0


def _usage(message: str):
    from modeller.workspace import WorkspaceError

    return WorkspaceError(message)


ACTIONS = {"list": do_list, "save": do_save, "show": do_show, "diff": do_diff, "export": do_export,
           "import": do_import}

