"""The installer scripts that only run elsewhere (Windows, macOS, a Debian CI machine), checked
as far as Linux can: they parse, and they hold what each installer needs."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path, PureWindowsPath

import pytest
import yaml

from installers import bundle_plan

REPO = Path(__file__).resolve().parents[2]
INSTALLERS = REPO / "installers"


def iss_sections(text: str) -> dict[str, list[str]]:
    """Inno Setup script -> {section: its non-comment lines} (preprocessor lines dropped)."""
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), [])
        elif current is not None:
            current.append(line)
    return sections


def iss_entry(line: str) -> dict[str, str]:
    """`Name: "x"; Filename: "y"; Flags: z` -> {"Name": "x", ...}."""
    fields = {}
    for part in re.findall(r'(\w+):\s*("[^"]*"|[^;]+)', line):
        fields[part[0]] = part[1].strip().strip('"')
    return fields


def test_inno_setup_script_installs_per_user_with_start_menu_entry_and_uninstaller() -> None:
    iss = INSTALLERS / "windows" / "duka-till.iss"
    sections = iss_sections(iss.read_text(encoding="utf-8"))
    assert {"Setup", "Files", "Icons", "Languages"} <= set(sections)
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    for key in ("AppId", "AppName", "AppVersion", "DefaultDirName", "OutputBaseFilename"):
        assert setup.get(key), key
    assert setup["AppVersion"] == "{#AppVersion}"  # passed in from pyproject.toml, no copy
    assert setup["PrivilegesRequired"] == "lowest"  # per user, no administrator
    assert setup["DefaultDirName"].startswith("{autopf}")  # %LOCALAPPDATA%\Programs per user
    icon = iss.parent / PureWindowsPath(setup["SetupIconFile"]).as_posix()
    assert icon.resolve() == Path(bundle_plan.icon(REPO, "win32") or "").resolve()
    files = [iss_entry(line) for line in sections["Files"]]
    assert [PureWindowsPath(f["Source"]).parts[-2:] for f in files] == [("duka-till", "*")]
    icons = [iss_entry(line) for line in sections["Icons"]]
    start_menu = [i for i in icons if i["Name"].startswith("{group}")]
    assert {i["Filename"] for i in start_menu} == {"{app}\\{#AppExe}", "{uninstallexe}"}
    # nothing deletes the till's data folder on uninstall
    assert "UninstallDelete" not in sections


def test_workflow_builds_and_smoke_starts_on_windows_and_macos() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/installers.yml").read_text())
    jobs = workflow["jobs"]
    assert jobs["windows"]["runs-on"].startswith("windows")
    assert jobs["macos"]["runs-on"].startswith("macos")
    for job in jobs.values():
        script = "\n".join(step.get("run", "") for step in job["steps"])
        assert "build.spec" in script
        assert script.count("--smoke") >= 2  # the bundle, then the installed till
    assert "duka-till.iss" in "\n".join(s.get("run", "") for s in jobs["windows"]["steps"])
    assert "build-dmg.sh" in "\n".join(s.get("run", "") for s in jobs["macos"]["steps"])


@pytest.mark.parametrize(
    "script",
    ["installers/macos/build-dmg.sh", "installers/linux/build-deb.sh", ".ci/bundle", ".ci/deb"],
)
def test_shell_scripts_parse(script: str) -> None:
    done = subprocess.run(["bash", "-n", str(REPO / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_dmg_script_makes_a_compressed_image_with_the_app_and_applications_link() -> None:
    text = (INSTALLERS / "macos" / "build-dmg.sh").read_text()
    assert "hdiutil create" in text and "UDZO" in text
    assert "ln -s /Applications" in text
    assert '"$repo/dist/Duka POS.app"' in text
    assert 'name="Duka POS.app"' in (REPO / "build.spec").read_text()


def test_desktop_entry_starts_the_installed_till_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLERS / "linux" / "duka-till.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "duka-till"
    assert (REPO / "resources" / "icons" / f"{desktop['Icon']}.svg").exists()
    if shutil.which("desktop-file-validate"):
        subprocess.run(
            ["desktop-file-validate", str(INSTALLERS / "linux" / "duka-till.desktop")], check=True
        )


RULE = re.compile(r'(?P<key>[A-Z]+(?:\{\w+\})?)\s*(?P<op>==|!=|\+=|:=|=)\s*"(?P<value>[^"]*)"')


def test_udev_rules_give_printers_and_scanners_to_the_group_postinst_creates() -> None:
    rules = [
        line
        for line in (INSTALLERS / "linux" / "60-duka-till.rules").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules
    subsystems = set()
    for line in rules:
        pairs = [match.groupdict() for match in RULE.finditer(line)]
        # every comma-separated part is one well-formed key/operator/value
        assert len(pairs) == len(line.split(",")), line
        assigned = {p["key"]: p["value"] for p in pairs if p["op"] in ("=", "+=")}
        assert assigned == {"GROUP": "duka-pos", "MODE": "0660", "TAG": "uaccess"}, line
        subsystems |= {p["value"] for p in pairs if p["key"] == "SUBSYSTEM"}
        for p in pairs:
            if p["key"] in ("ATTR{idVendor}", "ATTRS{idVendor}", "ATTR{idProduct}"):
                assert re.fullmatch(r"[0-9a-f]{4}", p["value"]), line
    assert {"usb", "usbmisc", "tty", "hidraw"} <= subsystems
    assert "groupadd --system duka-pos" in (INSTALLERS / "linux" / "postinst").read_text()


def test_maintainer_scripts_never_touch_the_data_folder() -> None:
    for name in ("postinst", "postrm"):
        code = [
            line
            for line in (INSTALLERS / "linux" / name).read_text().splitlines()
            if not line.lstrip().startswith("#")
        ]
        assert not [line for line in code if "rm " in line or "duka-pos/" in line], name


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb (Debian)")
def test_build_deb_packs_a_bundle(tmp_path: Path) -> None:
    """The packaging script on a stand-in bundle (the real one is packed by .ci/bundle)."""
    version = bundle_plan.project_version(REPO)
    bundle = tmp_path / "duka-till"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "data.txt").write_text("x")
    executable = bundle / "duka-till"
    executable.write_text(f"#!/bin/sh\necho 'duka-till {version}'\n")
    executable.chmod(0o700)  # the script must make it readable and runnable for everyone
    out = tmp_path / "out"
    done = subprocess.run(
        ["bash", str(INSTALLERS / "linux" / "build-deb.sh"), str(bundle), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DEB_STAGE_DIR": str(tmp_path / "stage")},
    )
    assert done.returncode == 0, done.stderr
    (deb,) = out.glob("duka-till_*.deb")
    assert deb.name.startswith(f"duka-till_{version}_")
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True).stdout
    assert f"Version: {version}" in info and "libxcb-cursor0" in info
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True).stdout
    lines = {line.split()[-1].removeprefix("."): line for line in listing.splitlines()}
    assert lines["/opt/duka-till/duka-till"].startswith("-rwxr-xr-x root/root")
    assert "/usr/bin/duka-till -> ../../opt/duka-till/duka-till" in listing
    for path in (
        "/usr/share/applications/duka-till.desktop",
        "/usr/lib/udev/rules.d/60-duka-till.rules",
        "/usr/share/icons/hicolor/scalable/apps/duka-till.svg",
        "/usr/share/icons/hicolor/256x256/apps/duka-till.png",
        "/opt/duka-till/_internal/data.txt",
    ):
        assert path in lines, path


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb (Debian)")
def test_build_deb_refuses_a_bundle_with_another_version(tmp_path: Path) -> None:
    bundle = tmp_path / "duka-till"
    bundle.mkdir()
    (bundle / "duka-till").write_text("#!/bin/sh\necho 'duka-till 0.0.0-stale'\n")
    (bundle / "duka-till").chmod(0o755)
    done = subprocess.run(
        ["bash", str(INSTALLERS / "linux" / "build-deb.sh"), str(bundle), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DEB_STAGE_DIR": str(tmp_path / "stage")},
    )
    assert done.returncode != 0
    assert "rebuild" in done.stderr
