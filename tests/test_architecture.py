"""The directions between apps (docs/ARCHITECTURE.md) hold: `lint-imports` keeps every contract
in pyproject.toml, and the contracts the architecture names are there to keep."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_every_import_contract_is_kept():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=settings.BASE_DIR,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_contracts_name_the_layers_the_architecture_page_describes():
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    contracts = {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}
    layers = next(c for c in contracts.values() if c["type"] == "layers")
    assert layers["layers"] == ["demo", "api", "integrations", "evaluation", "operations",
                                "treasury", "documents", "payments", "workflows", "licensing",
                                "events", "notifications"]
    forbidden = {tuple(c["forbidden_modules"]) for c in contracts.values()
                 if c["type"] == "forbidden"}
    assert ("demo",) in forbidden and ("treasury",) in forbidden
    architecture = (Path(settings.BASE_DIR) / "docs" / "ARCHITECTURE.md").read_text()
    for app in layers["layers"]:
        assert f"| `{app}/` |" in architecture
