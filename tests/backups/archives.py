"""Archives made by hand from a real backup: altered, damaged or foreign ones."""

import io
import json
import tarfile
from contextlib import redirect_stderr
from pathlib import Path

from django.core.management import call_command


def read_members(archive: Path) -> tuple[dict[str, bytes], dict]:
    """Every member but the manifest, and the manifest."""
    with tarfile.open(archive) as tar:
        files = {info.name: tar.extractfile(info).read() for info in tar if info.isfile()}
    return files, json.loads(files.pop("manifest.json"))


def write_archive(path: Path, files: dict[str, bytes], manifest: dict | None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        items = [*files.items()]
        if manifest is not None:
            items.append(("manifest.json", json.dumps(manifest).encode()))
        for name, data in items:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def run(command: str, *args: object) -> tuple[int, str, str]:
    """The command in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stderr(err):
            call_command(command, *map(str, args), stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
