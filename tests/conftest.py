import sys
from pathlib import Path

# Test helpers (fence_scan) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
pytest_plugins = ["pytester"]
