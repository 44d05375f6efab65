"""The wheel ships every package and the schemas/ data."""
import tomllib

from .conftest import ROOT


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "x12kit").rglob("__init__.py")}
    assert found <= listed
    assert "x12kit._schemas" in listed
