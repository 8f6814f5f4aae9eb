"""The benchmark modules live in bench/ (not a package of src): put it on the path."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
