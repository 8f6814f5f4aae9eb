"""Run the benchmarks (`make bench`); each writes its table into docs/benchmarks.md."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    scripts = sorted(p for p in (ROOT / "bench").glob("*/*.py") if not p.name.startswith("_"))
    if not scripts:
        print("no benchmarks yet")
        return 0
    failed = 0
    for script in scripts:
        print(f"== {script.relative_to(ROOT)}", flush=True)
        failed += subprocess.call([sys.executable, str(script)], cwd=ROOT) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
