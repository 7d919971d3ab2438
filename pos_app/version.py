"""The till's version. Its one home is pyproject.toml's [project] version; at run time it is
read back from the installed package's metadata, which the PyInstaller bundle carries too
(build.spec copies it in)."""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "duka-pos"


def app_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never `pip install`ed
        return "unknown"
