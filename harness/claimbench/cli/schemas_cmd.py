"""`claimbench schemas`: write or check the committed JSON Schemas."""

from pathlib import Path

import click

from claimbench.errors import UsageError
from claimbench.paths import DataKind, inside_package, locate


@click.command()
@click.option(
    "--dir",
    "schema_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Schema folder [default: schema/ of the gold folder, found as for --gold; see "
    "`claimbench info`].",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files differ.")
def schemas(schema_dir: Path | None, check: bool) -> None:
    """Generate the JSON Schemas of the data contract from the models."""
    import claimbench.reporting.results  # noqa: F401 (registers the results schema)
    from claimbench.fileio import current_bytes, write_atomic
    from claimbench.schemas import render_schemas

    if schema_dir is None:
        schema_dir = (locate(DataKind.GOLD).path or Path()) / "schema"
    if not check and inside_package(schema_dir):
        raise UsageError(
            f"--dir {schema_dir}: that is inside the installed claimbench package, which is "
            "never written to; give --dir DIR"
        )
    rendered = render_schemas()
    stale = [
        name
        for name, text in rendered.items()
        if current_bytes(schema_dir / name) != text.encode("utf-8")
    ]
    if check:
        if stale:
            click.echo(f"schemas differ from the models: {', '.join(stale)}", err=True)
            raise SystemExit(1)
        click.echo(f"schemas are up to date ({len(rendered)} files)")
        return
    for name in stale:
        write_atomic(schema_dir / name, rendered[name])
    click.echo(f"wrote {len(stale)} of {len(rendered)} schemas to {schema_dir}")
