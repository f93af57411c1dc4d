"""The GitOps speaker's deploy path, without GitHub or AWS: registry tags to a deployed model.

The speaker guide registers a model version and assigns it `prod` with GTO, and the example
project's `.github/workflows/deploy.yaml` is meant to start on that tag and deploy. Here:

- the guide's `gto register` / `gto assign` lines run exactly as written, in the speaker's
  repository set up by the page's own `setup:`, whose `origin` is a local bare repository: the
  tags must reach it, and the assignment tag must match the workflow's `on.push.tags`;
- the workflow's `parse` job is GTO reading the tag (`gto check-ref`, what the GTO action runs),
  and its result must satisfy the deploy job's `if:`;
- the deploy job's `run:` steps run in a shell, in a fresh clone of that remote at the tag (what
  `actions/checkout` gives), with `${{ ... }}` replaced as GitHub would. The DVC remote is an S3
  bucket in moto's server (an S3 emulator) started here on 127.0.0.1 with authentication on: the
  model must come down with the credentials the workflow passes from its secrets, and not without.

Nothing leaves the machine: moto listens on the loopback, the commands run behind a guard that
refuses any other connection, and AWS's instance-metadata look-up is off.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from network_guard import GUARD

ROOT = Path(__file__).parents[1]
GUIDE = ROOT / "docs" / "gitops-dvc" / "speaker-guide.md"
WORKFLOW = ROOT / "examples" / "pokemon-dvc" / ".github" / "workflows" / "deploy.yaml"
BUCKET = "workshop-dvc-remote"
# What the deploy job's `pip install` would install is installed here already: this stand-in
# checks that every package it is asked for is there, and installs nothing.
PIP = '''\
#!{python}
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

args = sys.argv[1:]
assert args[0] == "install", args
wanted, rest = [], iter(args[1:])
for arg in rest:
    if arg == "-r":
        wanted += [line.split("#")[0].strip() for line in Path(next(rest)).read_text().splitlines()]
    elif not arg.startswith("-"):
        wanted.append(arg)
for name in filter(None, wanted):
    try:
        version(name)
    except PackageNotFoundError:
        sys.exit(f"pip stand-in: {{name}} is not installed here")
'''


def yaml_on(data: dict):
    return data.get("on", data.get(True))  # YAML 1.1 reads a bare `on:` key as True


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n", 2)[1])


def gto_lines(page: str) -> list[str]:
    """The page's `gto register` and `gto assign` commands, as written."""
    return [line.strip() for line in page.splitlines() if re.match(r"\s*gto (register|assign) ", line)]


def tag_filter(pattern: str) -> re.Pattern:
    """A GitHub Actions filter pattern: `*` any characters but `/`, `**` any, `?` one, `[...]` a set."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + ".", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i:end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def triggered_by(workflow: dict, tag: str) -> bool:
    patterns = yaml_on(workflow)["push"]["tags"]
    return any(tag_filter(p).fullmatch(tag) for p in patterns)


def if_holds(condition: str, outputs: dict[str, str]) -> bool:
    """The deploy job's `if:`, a conjunction of `needs.parse.outputs.X == 'value'`."""
    terms = [term.strip() for term in condition.split("&&")]
    values = [re.fullmatch(r"needs\.parse\.outputs\.(\w+) == '([^']*)'", term) for term in terms]
    assert all(values), f"an `if:` this test cannot read: {condition}"
    return all(outputs.get(name) == value for name, value in (v.groups() for v in values))


def expand(text: str, context: dict[str, str]) -> str:
    """`${{ expression }}` as GitHub replaces it; an expression the test does not know fails."""
    def value(match: re.Match) -> str:
        name = match[1].strip()
        assert name in context, f"the workflow uses ${{{{ {name} }}}}, which this test does not provide"
        return context[name]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


@dataclass
class S3:
    endpoint: str
    key: str
    secret: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def quiet_aws(tmp: Path) -> dict[str, str]:
    """No AWS configuration of this machine, no instance-metadata look-up, no proxy for the loopback."""
    return {"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(tmp / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "no-aws-credentials"), "AWS_DEFAULT_REGION": "us-east-1",
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """Moto's S3 on the loopback: a bucket and one IAM user allowed on it; then authentication on."""
    import boto3

    tmp = tmp_path_factory.mktemp("moto")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")} | quiet_aws(tmp)
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "moto_server did not start"
                time.sleep(0.3)
        setup = {"endpoint_url": endpoint, "region_name": "us-east-1", "aws_access_key_id": "setup",
                 "aws_secret_access_key": "setup"}
        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="deploy")
        iam.put_user_policy(UserName="deploy", PolicyName="dvc-remote", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*",
                           "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]}]}))
        key = iam.create_access_key(UserName="deploy")["AccessKey"]
        boto3.client("s3", **setup).create_bucket(Bucket=BUCKET)
        # From now on every request must be signed by a known user with the right policy.
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                                      headers={"Content-Type": "text/plain"}), timeout=10)
        yield S3(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def speaker(example_project, s3, tmp_path_factory):
    """The speaker's repository as the guide's `setup:` leaves it, its DVC remote then moved to the S3
    bucket (the guide's preparation), and the guide's `gto register` / `gto assign` run as written."""
    project = example_project("pokemon-dvc")
    guard = project.path.parent / "network-guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    project.network_log = guard / "attempts.log"
    project.env.update(quiet_aws(project.path.parent), PYTHONPATH=str(guard),
                       NETWORK_GUARD_LOG=str(project.network_log))
    credentials = {"AWS_ACCESS_KEY_ID": s3.key, "AWS_SECRET_ACCESS_KEY": s3.secret}
    page = GUIDE.read_text(encoding="utf-8")
    project.run(front_matter(page)["setup"])
    remote = project.run("git remote get-url origin").stdout.strip()
    project.remote = (project.path / remote).resolve()
    assert project.run("git rev-parse --is-bare-repository", cwd=project.remote).stdout.strip() == "true"
    project.run(f"dvc remote add -f -d storage s3://{BUCKET}/pokemon-dvc && "
                f"dvc remote modify storage endpointurl {s3.endpoint} && "
                "git add .dvc/config && git commit -q -m 'DVC remote: the S3 bucket' && git push -q origin HEAD")
    project.run("dvc push -q", env=credentials)
    project.gto = [project.run(line) for line in gto_lines(page)]
    return project


def test_the_guide_registers_and_assigns_with_push():
    lines = gto_lines(GUIDE.read_text(encoding="utf-8"))
    assert [shlex.split(line)[1] for line in lines] == ["register", "assign"]
    assert all("--push" in shlex.split(line) for line in lines), lines


def test_the_tags_reach_the_remote_and_the_assignment_starts_the_workflow(speaker):
    remote_tags = {line.split("refs/tags/")[1].removesuffix("^{}")
                   for line in speaker.run("git ls-remote --tags origin").stdout.splitlines()}
    assert {"pokemon-classifier@v1.0.0", "pokemon-classifier#prod#1"} <= remote_tags
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert triggered_by(workflow, "pokemon-classifier#prod#1")
    started = {tag for tag in remote_tags if triggered_by(workflow, tag)}
    outputs = {tag: json.loads(speaker.run(f"gto check-ref --json '{tag}'").stdout) for tag in started}
    deploying = [tag for tag, out in outputs.items()
                 if if_holds(workflow["jobs"]["deploy"]["if"], {**out, "name": out["artifact"]})]
    assert deploying == ["pokemon-classifier#prod#1"], outputs


def run_deploy_job(speaker, tag: str, secrets: dict[str, str], where: str) -> tuple[subprocess.CompletedProcess, Path]:
    """The deploy job's steps for `tag`: checkout, then each `run:` with its `env:`, in bash -e."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["deploy"]
    checkout = speaker.path.parent / where
    speaker.run(f"git clone -q '{speaker.remote}' '{checkout}' && git -C '{checkout}' checkout -q '{tag}'")
    tools = speaker.path.parent / f"{where}-tools"
    tools.mkdir()
    (tools / "pip").write_text(PIP.format(python=sys.executable))
    (tools / "pip").chmod(0o755)
    parsed = json.loads(speaker.run(f"gto check-ref --json '{tag}'").stdout)
    context = {"github.ref_name": tag, "github.ref": f"refs/tags/{tag}",
               **{f"secrets.{name}": value for name, value in secrets.items()},
               **{f"needs.parse.outputs.{name}": str(parsed.get(key, ""))
                  for name, key in (("event", "event"), ("name", "artifact"), ("stage", "stage"),
                                    ("version", "version"))}}
    # A secret the repository does not have is an empty string in GitHub's expressions.
    for name in re.findall(r"secrets\.(\w+)", WORKFLOW.read_text()):
        context.setdefault(f"secrets.{name}", "")
    output = []
    for step in job["steps"]:
        uses = step.get("uses", "")
        if uses.startswith(("actions/checkout@", "actions/setup-python@")):
            continue  # the clone above; the suite's Python
        if uses.startswith("actions/upload-artifact@"):
            published = checkout / expand(step["with"]["path"], context)
            assert published.is_file(), f"the job publishes {published.name}, which no step wrote"
            continue
        assert "run" in step, f"a step this test cannot run: {step}"
        env = {name: expand(str(value), context) for name, value in step.get("env", {}).items()}
        done = speaker.run(expand(step["run"], context), cwd=checkout, check=False,
                           env={**env, "PATH": f"{tools}:{speaker.env['PATH']}"})
        output.append(f"$ {step.get('name', step['run'])}\n{done.stdout}")
        if done.returncode != 0:
            return subprocess.CompletedProcess(step["run"], done.returncode, "\n".join(output)), checkout
    return subprocess.CompletedProcess("deploy", 0, "\n".join(output)), checkout


def test_the_deploy_job_fetches_the_model_with_the_secrets_and_checks_it(speaker, s3):
    done, checkout = run_deploy_job(speaker, "pokemon-classifier#prod#1",
                                    {"AWS_ACCESS_KEY_ID": s3.key, "AWS_SECRET_ACCESS_KEY": s3.secret}, "deploy")
    assert done.returncode == 0, done.stdout[-4000:]
    assert (checkout / "model.keras").is_file()
    assert re.search(r"smoke-test/images/1\.png: [01]\.\d{3}", done.stdout), done.stdout[-2000:]
    assert not speaker.network_log.exists(), speaker.network_log.read_text()


def test_the_deploy_job_cannot_fetch_the_model_without_the_secrets(speaker, s3):
    done, checkout = run_deploy_job(speaker, "pokemon-classifier#prod#1", {}, "no-secrets")
    assert done.returncode != 0 and "dvc get" in done.args, done.stdout[-3000:]
    assert "Unable to locate credentials" in done.stdout, done.stdout[-3000:]
    assert not (checkout / "model.keras").exists()
    wrong, checkout = run_deploy_job(speaker, "pokemon-classifier#prod#1",
                                     {"AWS_ACCESS_KEY_ID": s3.key, "AWS_SECRET_ACCESS_KEY": "not-the-secret"},
                                     "wrong-secret")
    assert wrong.returncode != 0 and "dvc get" in wrong.args, wrong.stdout[-3000:]
    assert "(403)" in wrong.stdout, "moto checks the signature: a wrong secret is refused"
    assert not (checkout / "model.keras").exists()
    assert not speaker.network_log.exists(), speaker.network_log.read_text()


def test_the_filter_reading_follows_github():
    assert tag_filter("pokemon-classifier#*").fullmatch("pokemon-classifier#prod#1")
    assert not tag_filter("pokemon-classifier#*").fullmatch("pokemon-classifier@v1.0.0")
    assert not tag_filter("*").fullmatch("a/b") and tag_filter("**").fullmatch("a/b")  # unlike fnmatch's `*`
