"""The rock/paper/scissors workshop's Terraform files parse, and hold what its speaker guide relies on.

No test can apply them (that needs an OVHcloud account): they are parsed with python-hcl2, and
the variables the guide's `terraform apply -var=...` lines set, the outputs its
`terraform output ...` lines read and the resources the speaker notes imply are checked.
"""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).parents[1]
PROJECT = ROOT / "examples" / "rock-paper-scissors-terraform"
USERS = PROJECT / "create-users.tf"
SWIFT = PROJECT / "ai-swift" / "create-swift-objects.tf"
OPTIONS = hcl2.SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as file:
        return hcl2.load(file, serialization_options=OPTIONS)


def blocks(config: dict, kind: str) -> dict:
    """`variable "a" {...}` blocks (a list of one-key dicts in python-hcl2's output) as {"a": {...}}."""
    merged: dict = {}
    for block in config.get(kind, []):
        merged.update(block)
    return merged


def resources(config: dict) -> dict:
    """{(type, name): body} for every `resource "type" "name"` block."""
    return {(kind, name): body for block in config.get("resource", []) for kind, named in block.items()
            for name, body in named.items()}


@pytest.mark.parametrize("path", [USERS, SWIFT], ids=["create-users", "create-swift-objects"])
def test_the_file_parses_and_keeps_credentials_out(path):
    config = load(path)
    assert config.get("resource"), f"{path.name} declares no resource"
    text = path.read_text(encoding="utf-8")
    for secret in ("application_secret=", "consumer_key=", 'password="'):
        assert secret not in text.replace(" ", ""), f"{path.name}: credentials belong in the environment"
    assert "starting point" in text, "the file says it is a starting point to check against the provider's docs"


def test_create_users_makes_one_ai_user_per_attendee():
    config = load(USERS)
    providers = config["terraform"][0]["required_providers"][0]
    assert providers["ovh"]["source"] == "ovh/ovh"
    assert blocks(config, "variable")["number_of_users"]["type"] == "number"
    [(kind, name)] = resources(config)
    user = resources(config)[(kind, name)]
    assert kind == "ovh_cloud_project_user"
    assert user["count"] == "${var.number_of_users}"
    assert "ai_training_operator" in user["role_names"] and "objectstore_operator" in user["role_names"]
    output = blocks(config, "output")["ai-users"]
    assert output["sensitive"] is True
    assert f"{kind}.{name}" in output["value"] and "password" in output["value"]


def test_create_swift_objects_makes_the_containers_the_ovhai_commands_mount():
    config = load(SWIFT)
    providers = config["terraform"][0]["required_providers"][0]
    assert providers["openstack"]["source"] == "terraform-provider-openstack/openstack"
    variables = blocks(config, "variable")
    assert variables["number_of_attendees"]["type"] == "number"
    assert variables["region"]["default"] == "GRA"  # attendee-$STUDENT_ID-data@GRA in the guide
    [(kind, name)] = resources(config)
    container = resources(config)[(kind, name)]
    assert kind == "openstack_objectstorage_container_v1"
    assert container["count"] == "${var.number_of_attendees}"
    assert container["name"] == "attendee-${count.index + 1}-data"
    assert f"{kind}.{name}" in blocks(config, "output")["ai-objects-storage"]["value"]


def test_the_speaker_guide_shows_both_files_and_uses_their_names():
    for page in ("speaker-guide.md", "speaker-guide.fr.md"):
        text = (ROOT / "docs" / "rock-paper-scissors" / page).read_text(encoding="utf-8")
        for included in ("rock-paper-scissors-terraform/create-users.tf",
                         "rock-paper-scissors-terraform/ai-swift/create-swift-objects.tf"):
            assert f'--8<-- "{included}"' in text, f"{page} does not include {included}"
        for command in ('-var="number_of_users=', '-var="number_of_attendees=', "terraform output ai-users",
                        "terraform output ai-objects-storage"):
            assert command in text, f"{page} lost {command!r}"
