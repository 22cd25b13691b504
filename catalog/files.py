"""Reading a catalog file from disk for the commands, with the size limit applied first."""

from __future__ import annotations

from pathlib import Path

from catalog.document import CatalogDocument
from catalog.schema_errors import CatalogInvalid, SchemaError
from catalog.validation import parse_catalog
from catalog.yaml_reader import MAX_BYTES


def read_catalog_file(path: str | Path) -> CatalogDocument:
    """Parse and validate a catalog file; raise CatalogInvalid with every error."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CatalogInvalid(
                [
                    SchemaError(
                        name,
                        1,
                        "",
                        f"the file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
                    )
                ]
            )
        with path.open("rb") as handle:
            source = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise CatalogInvalid(
            [SchemaError(name, None, "", f"cannot read the file: {error.strerror or error}")]
        ) from None
    return parse_catalog(source, filename=name)
