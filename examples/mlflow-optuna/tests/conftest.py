import pytest


@pytest.fixture(scope="session")
def example_project(example_project):
    """The suite's fixture, with MLflow's usage report to its telemetry host turned off: these
    tests reach 127.0.0.1 only (pytest's own marker variable, which MLflow reads, is not passed on)."""

    def make(name: str):
        project = example_project(name)
        project.env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        return project

    return make
