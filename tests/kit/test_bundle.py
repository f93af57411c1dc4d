"""An offline room: `workshop bundle`'s folder alone installs a kit's project in a fresh venv.

The network test bundles one workshop for Linux x86_64 / Python 3.11 from PyPI, then, in a
network namespace with only its own loopback (`unshare -n`, as root), serves the bundle with the
bundle server and has a fresh virtual environment install the starter's requirements from it
and run the handout's first steps (dvc init, the pipeline).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from workshop_kit.blocks.index import site_kits
from workshop_kit.kit.archive import starter_zip
from workshop_kit.kit.bundle import BundleError, Target, make_bundle, parse_targets, project_name, write_index
from workshop_kit.kit.config import Kit

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"


def test_targets_are_named_platform_slash_python():
    assert [t.name for t in parse_targets(["linux-x86_64/3.11"])] == ["linux-x86_64-py3.11"]
    assert len(parse_targets(None)) == 6
    with pytest.raises(BundleError, match="unknown target 'linux/3.11'.*e.g. linux-x86_64/3.11"):
        parse_targets(["linux/3.11"])


def test_the_index_is_pep_503_with_digests(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "Ruamel.Yaml-0.18.6-py3-none-any.whl").write_bytes(b"wheel")
    write_index(tmp_path)
    assert project_name("Ruamel.Yaml-0.18.6-py3-none-any.whl") == "ruamel-yaml"
    root = (tmp_path / "simple" / "index.html").read_text()
    assert '<a href="ruamel-yaml/">ruamel-yaml</a>' in root
    page = (tmp_path / "simple" / "ruamel-yaml" / "index.html").read_text()
    digest = hashlib.sha256(b"wheel").hexdigest()
    assert f'<a href="../../wheels/Ruamel.Yaml-0.18.6-py3-none-any.whl#sha256={digest}">' in page


def test_bad_inputs_are_refused_with_what_to_do(tmp_path):
    kit = Kit("demo", "dvc-prefect")
    targets = parse_targets(["linux-x86_64/3.11"])
    with pytest.raises(BundleError, match="not a built site.*make site"):
        make_bundle(kit, EXAMPLES, tmp_path / "nosite", tmp_path / "out", targets, ROOT / "constraints.txt")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html></html>")
    with pytest.raises(BundleError, match="no demo-starter.zip"):
        make_bundle(kit, EXAMPLES, site, tmp_path / "out", targets, ROOT / "constraints.txt")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    with pytest.raises(BundleError, match="not empty"):
        make_bundle(kit, EXAMPLES, site, tmp_path / "full", targets, ROOT / "constraints.txt")
    with pytest.raises(BundleError, match="CPU build on Linux"):
        make_bundle(Kit("rps", "rock-paper-scissors", torch_cpu=True), EXAMPLES, site, tmp_path / "out", targets,
                    ROOT / "constraints.txt")


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.network
def test_a_fresh_venv_installs_the_kit_from_the_bundle_alone_and_runs_the_first_steps(tmp_path):
    if not _can_unshare():
        pytest.skip("needs `unshare -n` (root) to cut the network: run as root on Linux")
    kits, _ = site_kits(ROOT / "mkdocs.yml")
    kit = kits["ml-tooling-day-tour"]
    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>Workshop Kit</title>")
    (site / "downloads" / f"{kit.starter_name}.zip").write_bytes(starter_zip(kit, EXAMPLES))
    bundle = tmp_path / "bundle"
    try:
        manifest = make_bundle(kit, EXAMPLES, site, bundle, [Target("linux-x86_64", "3.11")], ROOT / "constraints.txt",
                               log=lambda message: None)
    except BundleError as error:
        if "Could not find a version" in str(error) or "connection" in str(error).lower():
            pytest.skip(f"PyPI does not answer: {error}")
        raise
    wheels = manifest["targets"]["linux-x86_64-py3.11"]["wheels"]
    assert any(name.startswith("dvc-") for name in wheels) and any(name.startswith("prefect-") for name in wheels)
    assert json.loads((bundle / "manifest.json").read_text()) == manifest
    for name, entry in manifest["files"].items():
        assert (bundle / name).stat().st_size == entry["size"], name
    assert manifest["files"][f"kits/{kit.starter_name}.zip"]["size"] > 0

    # Offline: a namespace with nothing but its own loopback; the bundle server and pip inside it.
    project = tmp_path / "participant"
    with zipfile.ZipFile(BytesIO((bundle / "kits" / f"{kit.starter_name}.zip").read_bytes())) as archive:
        archive.extractall(project)
    starter = project / kit.starter_name
    script = f"""
set -e
ip link set lo up
"{sys.executable}" -m workshop_kit.kit.bundle_server "{bundle}" --port 8765 > "{tmp_path}/server.log" 2>&1 &
server=$!
trap 'kill $server' EXIT
for i in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8765/simple/')" \
    2>/dev/null && break; sleep 0.2; done
if python3 -c "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/', timeout=5)" 2>/dev/null; then
    echo "the namespace reaches PyPI"; exit 3
fi
cd "{starter}"
python3 -m venv .venv
source .venv/bin/activate
pip install -q --index-url http://127.0.0.1:8765/simple -r requirements.txt
git init -q && git add -A && git -c user.name=t -c user.email=t@t.invalid commit -qm start
dvc init --quiet
dvc repro
dvc repro
"""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", DVC_NO_ANALYTICS="1",
               HOME=str(tmp_path / "home"), GIT_CONFIG_NOSYSTEM="1")
    done = subprocess.run(["unshare", "-n", "bash", "-c", script], capture_output=True, text=True, env=env,
                          timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Running stage 'evaluate'" in done.stdout and "Data and pipelines are up to date." in done.stdout
    assert (starter / "metrics.json").is_file()


def test_the_workshop_command_makes_and_serves_bundles_and_says_what_is_wrong(tmp_path):
    from workshop_kit.cli import main

    assert main(["bundle", "make", "no-such-kit", "--out", str(tmp_path / "b"), "-f", str(ROOT / "mkdocs.yml")]) == 2
    assert main(["bundle", "make", "ml-tooling-day-tour", "--out", str(tmp_path / "b"), "--site",
                 str(tmp_path / "nosite"), "-f", str(ROOT / "mkdocs.yml")]) == 2
    assert main(["bundle"]) == 2
    # A tiny bundle, served by `workshop bundle serve` in a process of its own; the index answers.
    bundle = tmp_path / "bundle"
    for part in ("site", "simple", "wheels", "kits"):
        (bundle / part).mkdir(parents=True)
    (bundle / "site" / "index.html").write_text("<title>site</title>")
    (bundle / "wheels" / "demo-1.0-py3-none-any.whl").write_bytes(b"wheel")
    write_index(bundle)
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).parent / "workshop"), "bundle", "serve", str(bundle), "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, pages = time.monotonic() + 60, {}
        while time.monotonic() < deadline and not pages:
            try:
                for path in ("/", "/simple/demo/", "/wheels/demo-1.0-py3-none-any.whl"):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                        pages[path] = answer.read()
            except OSError:
                pages = {}
                time.sleep(0.2)
        assert pages["/"] == b"<title>site</title>" and pages["/wheels/demo-1.0-py3-none-any.whl"] == b"wheel"
        assert b'href="../../wheels/demo-1.0-py3-none-any.whl#sha256=' in pages["/simple/demo/"]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/wheels/../manifest.json", timeout=5)
            escaped = True
        except urllib.error.HTTPError:
            escaped = False
        assert not escaped
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
