"""The bench scripts import each other by module name, as when run as `python bench/...`."""

import sys

from dienstenwijzer.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
