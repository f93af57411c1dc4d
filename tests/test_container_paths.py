"""The rock/paper/scissors speaker's cloud path, checked without a cloud: the `ovhai job run` and
`ovhai app run` commands of the speaker guide against the Dockerfiles they run.

The guide's blocks are skipped (they need OVHcloud, its registry and a GPU), but what they rely on
can be checked here. Each command is read with `shlex`, its image is traced to the Dockerfile the
guide's `docker build -f` builds it from, and every path the image reads or writes (its `ENV`
values and the command's `--env`) must lie under a volume the command mounts or inside the image.
The app must read its model where the training job writes it, which is also where the guide's
backup copy lands. Then each image's command runs here, without Docker: the attendee's object
storage container is a temporary folder mounted (by path mapping) in both "containers", the job
trains one epoch on a tiny generated data set, and the app, started as its image starts it, finds
the model the job left in that folder. Behind a guard that refuses any connection outside the
loopback.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from pathlib import PurePosixPath as Posix

import pytest

from network_guard import GUARD

ROOT = Path(__file__).parents[1]
PROJECT = ROOT / "examples" / "rock-paper-scissors"
GUIDES = [ROOT / "docs" / "rock-paper-scissors" / name for name in ("speaker-guide.md", "speaker-guide.fr.md")]
# Where the data set lies in the attendee's container: the guide's table says `data/data.yaml`.
DATA_IN_CONTAINER = "data"
# What makes a run cheap here, none of it a path: one epoch, tiny images, the CPU, no download.
CHEAP = {"NB_OF_EPOCHS": "1", "IMG_SIZE": "32", "DEVICE": "cpu", "MODEL": "yolov8n.yaml"}


# --- reading the guide -------------------------------------------------------------------------

def bash_blocks(page: str) -> list[str]:
    return re.findall(r"^ *```bash[^\n]*\n(.*?)^ *```", page, re.M | re.S)


def commands(page: str) -> list[list[str]]:
    """Every command of the page's bash blocks, continuation lines joined, split as the shell would."""
    found = []
    for block in bash_blocks(page):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                found.append(shlex.split(line))
    return found


@dataclass
class Volume:
    container: str  # attendee-$STUDENT_ID-data
    region: str
    mount: Posix
    mode: str


@dataclass
class Run:
    kind: str  # job or app
    image: str
    volumes: list[Volume] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


def ovhai_runs(page: str) -> dict[str, Run]:
    """The page's `ovhai job run` and `ovhai app run`, by kind."""
    runs = {}
    for argv in commands(page):
        if argv[:1] != ["ovhai"] or argv[2:3] != ["run"]:
            continue
        run = Run(kind=argv[1], image="")
        args = iter(argv[3:])
        for arg in args:
            if arg == "--volume":
                source, mount, mode, *_ = next(args).split(":")
                container, region = source.split("@")
                run.volumes.append(Volume(container, region, Posix(mount), mode))
            elif arg == "--env":
                name, value = next(args).split("=", 1)
                run.env[name] = value
            elif arg in {"--unsecure-http"}:
                continue
            elif arg.startswith("--"):
                next(args)  # --name, --gpu, --cpu, --default-http-port: a value each
            else:
                run.image = arg
        runs[run.kind] = run
    return runs


def built_from(page: str) -> dict[str, str]:
    """{image: Dockerfile} for every `docker build -t IMAGE -f FILE .` of the page."""
    images = {}
    for argv in commands(page):
        if argv[:2] == ["docker", "build"]:
            options = dict(zip(argv[2::2], argv[3::2], strict=False))
            images[options["-t"]] = options["-f"]
    return images


def backup_copy(page: str) -> tuple[str, str]:
    """Where `ovhai bucket object copy SOURCE --container DEST OBJECT NAME` puts the model: (DEST, NAME)."""
    [argv] = [argv for argv in commands(page) if argv[:4] == ["ovhai", "bucket", "object", "copy"]]
    rest = argv[4:]
    container = rest[rest.index("--container") + 1]
    names = [arg for i, arg in enumerate(rest) if i > 0 and not arg.startswith("--") and rest[i - 1] != "--container"]
    return container, names[-1]


# --- reading a Dockerfile ----------------------------------------------------------------------

@dataclass
class Image:
    workdir: Posix
    copies: list[tuple[list[str], str]]
    env: dict[str, str]
    cmd: list[str]


def read_dockerfile(text: str) -> Image:
    lines = [line for line in text.replace("\\\n", " ").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    image = Image(workdir=Posix("/"), copies=[], env={}, cmd=[])
    for line in lines:
        instruction, _, rest = line.strip().partition(" ")
        if instruction == "WORKDIR":
            image.workdir = image.workdir / rest.strip()
        elif instruction == "COPY":
            *sources, target = rest.split()
            image.copies.append((sources, target))
        elif instruction == "ENV":
            image.env.update(pair.split("=", 1) for pair in shlex.split(rest))
        elif instruction == "CMD":
            image.cmd = json.loads(rest)
    return image


def image_for(page: str, run: Run, files: dict[str, str]) -> Image:
    dockerfile = built_from(page).get(run.image)
    assert dockerfile, f"the guide runs {run.image} but never builds it (docker build -t ... -f ...)"
    assert dockerfile in files, f"{run.image} is built from {dockerfile}, which the project does not have"
    return read_dockerfile(files[dockerfile])


def under(path: Posix, folder: Posix) -> bool:
    return path == folder or folder in path.parents


def absolute_paths(env: dict[str, str]) -> dict[str, Posix]:
    return {name: Posix(value) for name, value in env.items() if value.startswith("/")}


# --- the checks, on any version of the guide and Dockerfiles ----------------------------------

def check_paths(page: str, files: dict[str, str]) -> dict[str, tuple[Run, Image, dict[str, str]]]:
    """Asserts where each image reads and writes; returns {kind: (run, image, its environment)}."""
    runs = ovhai_runs(page)
    assert set(runs) == {"job", "app"}, f"the guide should run a training job and an app: {sorted(runs)}"
    found = {}
    for kind, run in runs.items():
        image = image_for(page, run, files)
        env = {**image.env, **run.env}
        assert run.volumes, f"ovhai {kind} run mounts nothing"
        mounts = [volume.mount for volume in run.volumes]
        for name, path in absolute_paths(env).items():
            assert any(under(path, mount) for mount in mounts) or under(path, image.workdir), (
                f"{kind}: {name}={path} is neither under a volume the command mounts ({', '.join(map(str, mounts))}) "
                f"nor inside the image ({image.workdir})")
        found[kind] = run, image, env

    job_run, _, job_env = found["job"]
    app_run, _, app_env = found["app"]
    job_mounts = {volume.mount: volume for volume in job_run.volumes}

    def volume_of(run: Run, path: Posix) -> Volume | None:
        return next((volume for volume in run.volumes if under(path, volume.mount)), None)

    # What the job reads comes from object storage, and what it writes must go back to it.
    for name in ("DATA_DIR", "OUTPUT_DIR", "EXPORT_PATH"):
        assert name in job_env, f"the job's image does not set {name}"
        volume = volume_of(job_run, Posix(job_env[name]))
        assert volume, f"job: {name}={job_env[name]} is not on a mounted volume ({', '.join(map(str, job_mounts))})"
        if name != "DATA_DIR":
            assert volume.mode == "RW", f"job: {name} is on a volume mounted {volume.mode}, not RW"
    # The app reads the model where the job wrote it: the same container, the same object.
    model = Posix(app_env["MODEL_PATH"])
    app_volume, job_volume = volume_of(app_run, model), volume_of(job_run, Posix(job_env["EXPORT_PATH"]))
    assert app_volume, f"app: MODEL_PATH={model} is not on a mounted volume"
    in_container = model.relative_to(app_volume.mount)
    assert (job_volume.container, job_volume.region, Posix(job_env["EXPORT_PATH"]).relative_to(job_volume.mount)) == (
        app_volume.container, app_volume.region, in_container), \
        "the app does not read the model where the job writes it"
    # ...and where the backup copy lands.
    container, name = backup_copy(page)
    assert (container, Posix(name)) == (app_volume.container, in_container), (
        f"the backup copy lands at {container}/{name}, the app reads {app_volume.container}/{in_container}")
    return found


def project_files() -> dict[str, str]:
    return {path.name: path.read_text() for path in PROJECT.glob("Dockerfile*")}


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_path_of_the_images_lies_on_a_volume_or_in_the_image(guide):
    check_paths(guide.read_text(encoding="utf-8"), project_files())


def test_the_guide_says_where_the_data_set_lies():
    assert f"`{DATA_IN_CONTAINER}/data.yaml`" in GUIDES[0].read_text(encoding="utf-8")


def test_the_checks_catch_an_image_that_writes_outside_the_volume():
    page = GUIDES[0].read_text(encoding="utf-8")
    files = project_files()
    files["Dockerfile.train"] = files["Dockerfile.train"].replace("OUTPUT_DIR=/workspace/attendee/model",
                                                                  "OUTPUT_DIR=/workspace/model")
    with pytest.raises(AssertionError, match="OUTPUT_DIR=/workspace/model is neither under a volume"):
        check_paths(page, files)
    files = project_files()
    files["Dockerfile.app"] = files["Dockerfile.app"].replace("MODEL_PATH=/workspace/attendee/best.torchscript",
                                                              "MODEL_PATH=/workspace/attendee/model.torchscript")
    with pytest.raises(AssertionError, match="does not read the model where the job writes it"):
        check_paths(page, files)


# --- running each image's command here ---------------------------------------------------------

class Container:
    """A container's file system under `root`, with the object storage volumes mapped to `buckets`."""

    def __init__(self, root: Path, run: Run, buckets: Path):
        self.root, self.run, self.buckets = root, run, buckets

    def path(self, path: str | Posix) -> Path:
        path = Posix(path)
        for volume in self.run.volumes:
            if under(path, volume.mount):
                return self.buckets / volume.container / path.relative_to(volume.mount)
        return self.root / path.relative_to("/")

    def install(self, image: Image) -> Path:
        """COPY the project's files to the image's WORKDIR, as `docker build` does."""
        workdir = self.path(image.workdir)
        for sources, target in image.copies:
            destination = workdir / target
            for source in sources:
                folder = target.endswith("/") or target == "." or len(sources) > 1
                into = destination / Path(source).name if folder else destination
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(PROJECT / source, into)
        return workdir

    def environment(self, env: dict[str, str], tmp: Path) -> dict[str, str]:
        guard = tmp / "guard"
        guard.mkdir(exist_ok=True)
        (guard / "sitecustomize.py").write_text(GUARD)
        mapped = {name: str(self.path(value)) if value.startswith("/") else value for name, value in env.items()}
        return {**os.environ, **mapped, "HOME": str(tmp / "home"), "PYTHONPATH": str(guard),
                "NETWORK_GUARD_LOG": str(tmp / "network.log"),
                "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def run_the_job_then_the_app(page: str, files: dict[str, str], tmp: Path) -> str:
    """The job's command on a tiny data set placed in the attendee's container, then the app on what
    it left there; returns what the app shows."""
    runs = ovhai_runs(page)
    buckets = tmp / "object-storage"
    job_run, app_run = runs["job"], runs["app"]
    job_image, app_image = image_for(page, job_run, files), image_for(page, app_run, files)

    # The attendee's container holds the data set, where the notebook's first cell extracted it.
    [attendee] = {volume.container for volume in job_run.volumes}
    data = buckets / attendee / DATA_IN_CONTAINER
    subprocess.run([sys.executable, "generate_data.py", "--output", str(data), "--scale", "0.1"], cwd=PROJECT,
                   check=True, capture_output=True)

    job = Container(tmp / "job", job_run, buckets)
    workdir = job.install(job_image)
    env = job.environment({**job_image.env, **job_run.env, **CHEAP}, tmp)
    trained = subprocess.run(job_image.cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
    assert trained.returncode == 0, trained.stdout[-3000:] + trained.stderr[-3000:]
    assert not (tmp / "network.log").exists(), (tmp / "network.log").read_text()

    app = Container(tmp / "app", app_run, buckets)
    workdir = app.install(app_image)
    env = app.environment(app_image.env, tmp)
    assert app_image.cmd[:3] == ["streamlit", "run", "app.py"]
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "app = AppTest.from_file('app.py', default_timeout=120).run()\n"
        "print('errors', [e.value for e in app.error])\n"
        "if app.selectbox:\n"
        "    app.selectbox[0].select(app.selectbox[0].options[1]).run()\n"
        "    print('examples', len(app.selectbox[0].options) - 1, 'shown', len(app.image))\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], cwd=workdir, env=env, capture_output=True, text=True,
                           timeout=300)
    assert shown.returncode == 0, shown.stdout[-3000:] + shown.stderr[-3000:]
    assert not (tmp / "network.log").exists(), (tmp / "network.log").read_text()
    return shown.stdout


def test_the_job_trains_from_the_volume_and_the_app_serves_what_it_wrote(tmp_path):
    page = GUIDES[0].read_text(encoding="utf-8")
    shown = run_the_job_then_the_app(page, project_files(), tmp_path)
    assert "errors []" in shown, shown
    assert re.search(r"examples [1-9]\d* shown 1", shown), f"the app offers the data set's test images: {shown}"
    attendee = tmp_path / "object-storage" / "attendee-$STUDENT_ID-data"
    written = sorted(str(p.relative_to(attendee)) for p in attendee.rglob("*") if p.is_file()
                     and not p.is_relative_to(attendee / DATA_IN_CONTAINER))
    assert "best.torchscript" in written and "model/weights/best.torchscript" in written, written
    assert "model/results.csv" in written and "model/weights/best.pt" in written
