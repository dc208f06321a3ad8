"""Release checks run before PyInstaller: the production keyring, the release date, the names.

    python packaging/release.py check --keyring FILE [--dev-keyring FILE ...] [--stage DIR]
    python packaging/release.py name
    python packaging/release.py smoke --dist DIR [--keyring FILE] [-- PYTEST-ARGS...]
    python packaging/release.py archive --dist DIR --out DIR

`make dist-desktop KEYRING=FILE` runs `check` first, so a wrong keyring stops the build in well
under a second instead of after minutes of PyInstaller; the spec runs the same check again
(`check_release_keyring`) and builds from the staged copy only. Exit codes: 0 ok, 1 refused,
2 usage (no keyring given).

A development key is recognised two ways (DECISIONS 70): its key id starts with `dev` or `test`
(the names bin/dev-run and the test suites give their keys), or its public key also appears in
a development keyring on this machine (bin/dev-run's `var/secrets/signing/keyring.json`, or any
`--dev-keyring`), which catches a development key exported under a production-looking name.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence, TextIO

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datatools import license as codec  # noqa: E402
from datatools import license_keys  # noqa: E402
from datatools.version import RELEASE_DATE, __version__  # noqa: E402

# bin/dev-run makes its key here; a release must not trust it.
DEV_WORLD_KEYRING = ROOT / "var" / "secrets" / "signing" / "keyring.json"
DEV_KID_PREFIXES = ("dev", "test")
MISSING_KEYRING = ("a release build needs the production keyring: "
                   "make dist-desktop KEYRING=FILE, where FILE is the output of "
                   "`licensed keys export-keyring` on the license server")


class ReleaseRefused(Exception):
    """The build must not go on; `message` says why in one line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReleaseKeyring:
    """A keyring fit for a release: its canonical JSON and the kids it trusts and denies."""

    keyring: codec.Keyring
    text: str

    @property
    def trusted(self) -> list[str]:
        return sorted(set(self.keyring.keys) - self.keyring.denied)


def is_development_kid(kid: str) -> bool:
    """True for key ids the development world uses (`dev-1`, `test-1`, `DEV_2026`, `testing`)."""
    return kid.lower().startswith(DEV_KID_PREFIXES)


def check_release_keyring(text: str, dev_keyrings: Sequence[codec.Keyring] = ()) -> ReleaseKeyring:
    """Validate `text` as the production keyring of ARCHITECTURE.md, "The license blob".

    Shape: `{"<kid>": "<base64url raw 32-byte Ed25519 public key>", …, "denied": [...]}`.
    Raises ReleaseRefused when the text is not such a keyring, trusts no key, names a
    development kid, or holds a public key that one of `dev_keyrings` also holds.
    """
    try:
        keyring = codec.Keyring.from_json(text)
    except json.JSONDecodeError as exc:
        raise ReleaseRefused(f"the keyring is not JSON ({exc.msg}, line {exc.lineno})")
    except ValueError as exc:
        raise ReleaseRefused(f"the keyring does not follow the keyring format: {exc}")
    trusted = set(keyring.keys) - keyring.denied
    if not trusted:
        raise ReleaseRefused("the keyring trusts no key: no license could ever be activated")
    development = sorted(kid for kid in set(keyring.keys) | keyring.denied if is_development_kid(kid))
    if development:
        raise ReleaseRefused(f"the keyring holds development key {development[0]!r}; "
                             "a release trusts production keys only")
    dev_public = {codec.public_key_b64(key): kid for ring in dev_keyrings for kid, key in ring.keys.items()}
    for kid, key in sorted(keyring.keys.items()):
        twin = dev_public.get(codec.public_key_b64(key))
        if twin is not None:
            raise ReleaseRefused(f"key {kid!r} is the development key {twin!r} of this machine; "
                                 "a release trusts production keys only")
    return ReleaseKeyring(keyring=keyring, text=keyring.to_json())


def check_release_date(release_date: date, today: date) -> None:
    """A release dated after its build day would refuse licenses that do cover it."""
    if release_date > today:
        raise ReleaseRefused(f"RELEASE_DATE {release_date.isoformat()} (datatools/version.py) is "
                             f"after today, {today.isoformat()}")


def platform_tag(system: str | None = None, machine: str | None = None) -> str:
    """`linux-x86_64`, `macos-arm64`, `windows-amd64`: the OS and CPU a bundle runs on."""
    system = (system or platform.system()).lower()
    system = {"darwin": "macos"}.get(system, system)
    return f"{system}-{(machine or platform.machine()).lower()}"


def artifact_stem(version: str = __version__, tag: str | None = None) -> str:
    """The name every build output starts with, e.g. `datatools-0.1.0-linux-x86_64`."""
    return f"datatools-{version}-{tag or platform_tag()}"


def dev_keyrings_on_this_machine(extra: Sequence[Path]) -> list[codec.Keyring]:
    """bin/dev-run's keyring when it exists, plus every `--dev-keyring` given."""
    paths = [*([DEV_WORLD_KEYRING] if DEV_WORLD_KEYRING.is_file() else []), *extra]
    rings = []
    for path in paths:
        try:
            rings.append(license_keys.load_keyring(path))
        except (OSError, ValueError) as exc:
            raise ReleaseRefused(f"cannot read development keyring {path}: {exc}")
    return rings


def check_revocations(text: str, keyring: codec.Keyring, cutoff: date) -> int:
    """A revocation list fit for a release: signed by a key the release trusts, and issued on
    or after the release's cut-off (RELEASE_DATE), so refunds up to the release are in it.
    Returns how many lids it lists; raises ReleaseRefused."""
    from datatools.revocations import RevocationListError, verify_revocation_list

    try:
        listed = verify_revocation_list(text, keyring)
    except RevocationListError as exc:
        raise ReleaseRefused(f"the revocation list does not verify: {exc.message}")
    if listed.issued < cutoff:
        raise ReleaseRefused(f"the revocation list was issued {listed.issued.isoformat()}, before "
                             f"the release's cut-off {cutoff.isoformat()}: export a fresh one "
                             "(GET /internal/revocations)")
    return len(listed.lids)


def prepare_release(keyring_path: Path | None, dev_keyring_paths: Sequence[Path] = (),
                    stage: Path | None = None, today: date | None = None,
                    revocations_path: Path | None = None) -> ReleaseKeyring:
    """Every check a release build makes before PyInstaller; writes `stage/keyring.json` (and
    `stage/revocations.txt` when a revocation list is given).

    Raises ReleaseRefused (its message is shown to the maintainer as it is).
    """
    if keyring_path is None or not str(keyring_path).strip():
        raise ReleaseRefused(MISSING_KEYRING)
    try:
        text = Path(keyring_path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseRefused(f"cannot read the keyring {keyring_path}: {exc.strerror}")
    checked = check_release_keyring(text, dev_keyrings_on_this_machine(dev_keyring_paths))
    check_release_date(RELEASE_DATE, today or date.today())
    revocations = None
    if revocations_path is not None:
        try:
            revocations = Path(revocations_path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ReleaseRefused(f"cannot read the revocation list {revocations_path}: "
                                 f"{exc.strerror}")
        check_revocations(revocations, checked.keyring, RELEASE_DATE)
    if stage is not None:
        stage.mkdir(parents=True, exist_ok=True)
        license_keys.write_keyring(stage / "keyring.json", checked.keyring)
        if revocations is not None:
            (stage / "revocations.txt").write_text(revocations.strip() + "\n", encoding="utf-8")
    return checked


def bundle_paths(dist: Path | str, stem: str | None = None, exe: str | None = None) -> list[Path]:
    """The two bundles a build leaves in `dist`, as absolute paths: one-folder, then one-file.

    `dist` may be relative (to the current folder, as make's `DIST=` is) or absolute; the result
    is absolute because the smoke tests start each bundle from a temporary folder of their own.
    `exe` is `.exe` on Windows and empty elsewhere unless given.
    """
    root = Path(os.path.expanduser(str(dist))).resolve()
    stem = stem or artifact_stem()
    exe = (".exe" if platform.system() == "Windows" else "") if exe is None else exe
    return [root / stem / f"datatools{exe}", root / f"{stem}-onefile{exe}"]


def tree_size(path: Path) -> int:
    """Bytes in `path` (a file, or a folder walked without following links, as `du` counts)."""
    if not path.is_dir():
        return path.lstat().st_size
    return sum(os.lstat(os.path.join(folder, name)).st_size
               for folder, _, names in os.walk(path) for name in names)


def smoke_test(apps: Sequence[Path], keyring: Path | None, tests: Sequence[str],
               out: TextIO, err: TextIO) -> int:
    """Run the smoke tests (pytest, from the repository root) once per bundle in `apps`.

    Each bundle must exist; its absolute path reaches the tests as DATATOOLS_APP and the keyring
    it was built with as DATATOOLS_EXPECT_KEYRING. Returns 0 when every bundle passes, else 1.
    """
    missing = [str(app) for app in apps if not app.is_file()]
    if missing:
        print(f"release refused: no bundle at {', '.join(missing)} (did the build run with this DIST?)",
              file=err)
        return 1
    env = {**os.environ}
    if keyring is not None and str(keyring).strip():
        env["DATATOOLS_EXPECT_KEYRING"] = str(Path(keyring).expanduser().resolve())
    for app in apps:
        print(f"== smoke test of {app}", file=out, flush=True)
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                              cwd=ROOT, env={**env, "DATATOOLS_APP": str(app)})
        if done.returncode != 0:
            print(f"release refused: the smoke tests failed on {app}", file=err)
            return 1
    print("built and smoke-tested:", file=out)
    for app in apps:
        folder = app.parent if app.parent.name == artifact_stem() else app
        size = tree_size(folder)
        print(f"{size / 1e6:8.0f} MB  {folder}", file=out)
    return 0


def archive_bundles(dist: Path | str, out: Path | str, system: str | None = None) -> list[Path]:
    """Pack the bundles in `dist` for download into `out`, each with a `<archive>.sha256` file.

    Linux: `<stem>.tar.gz` (one-folder) and the one-file program; Windows: `<stem>.zip` and
    `<stem>-onefile.exe`; macOS: `<stem>.app` zipped by `ditto` (which keeps the app's symlinks and
    signature), and the one-file program. The checksum files use `sha256sum`'s format, so
    `sha256sum -c` (or `shasum -a 256 -c`) checks a download. Returns the archives written.
    Raises ReleaseRefused when a bundle is missing.
    """
    system = (system or platform.system()).lower()
    stem = artifact_stem()
    folder_app, onefile = bundle_paths(dist, stem, ".exe" if system == "windows" else "")
    root, out = folder_app.parent.parent, Path(out).expanduser().resolve()
    for needed in (folder_app, onefile):
        if not needed.is_file():
            raise ReleaseRefused(f"no bundle at {needed} (did the build run with this DIST?)")
    out.mkdir(parents=True, exist_ok=True)
    if system == "darwin" and shutil.which("ditto"):
        packed = out / f"{stem}-macos-app.zip"
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(root / f"{stem}.app"), str(packed)],
                       check=True)
    else:
        kind = "zip" if system == "windows" else "gztar"
        packed = Path(shutil.make_archive(str(out / stem), kind, root_dir=root, base_dir=stem))
    single = out / onefile.name
    shutil.copy2(onefile, single)
    for archive in (packed, single):
        digest = hashlib.sha256()
        with archive.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        Path(f"{archive}.sha256").write_text(f"{digest.hexdigest()}  {archive.name}\n", encoding="ascii")
    return [packed, single]


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="packaging/release.py", description=__doc__.splitlines()[0])
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate the production keyring and the release date")
    check.add_argument("--keyring", type=Path, default=None, metavar="FILE",
                       help="the production keyring (`licensed keys export-keyring`)")
    check.add_argument("--dev-keyring", type=Path, action="append", default=[], metavar="FILE",
                       help="a development keyring whose keys must not ship (repeatable)")
    check.add_argument("--revocations", type=Path, default=None, metavar="FILE",
                       help="the signed revocation list (GET /internal/revocations) to embed; "
                            "refused when issued before the release date")
    check.add_argument("--stage", type=Path, default=None, metavar="DIR",
                       help="write the checked keyring to DIR/keyring.json for the build")
    actions.add_parser("name", help="print the name the build's files start with")
    smoke = actions.add_parser("smoke", help="smoke-test both built bundles in DIST",
                               epilog="example: python packaging/release.py smoke --dist dist "
                                      "--keyring production-keyring.json -- tests/desktop/test_app_process.py")
    smoke.add_argument("--dist", required=True, metavar="DIR", help="the build's output folder")
    smoke.add_argument("--keyring", type=Path, default=None, metavar="FILE",
                       help="the keyring the bundles were built with")
    smoke.add_argument("tests", nargs="*", help="pytest arguments (the smoke test files)")
    archive = actions.add_parser("archive", help="pack the built bundles with SHA-256 checksums")
    archive.add_argument("--dist", required=True, metavar="DIR", help="the build's output folder")
    archive.add_argument("--out", required=True, metavar="DIR", help="where the archives go")
    args = parser.parse_args(argv)
    if args.action == "archive":
        try:
            written = archive_bundles(args.dist, args.out)
        except ReleaseRefused as exc:
            print(f"release refused: {exc.message}", file=err)
            return 1
        for path in written:
            print(path, file=out)
        return 0
    if args.action == "name":
        print(artifact_stem(), file=out)
        return 0
    if args.action == "smoke":
        return smoke_test(bundle_paths(args.dist), args.keyring, args.tests, out, err)
    try:
        checked = prepare_release(args.keyring, args.dev_keyring, args.stage,
                                  revocations_path=args.revocations)
    except ReleaseRefused as exc:
        print(f"release refused: {exc.message}", file=err)
        return 2 if exc.message == MISSING_KEYRING else 1
    denied = sorted(checked.keyring.denied)
    print(f"release {artifact_stem()}: released {RELEASE_DATE.isoformat()}, trusts "
          f"{', '.join(checked.trusted)}" + (f", denies {', '.join(denied)}" if denied else ""),
          file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
