"""Every stage starts the same way: `python3 src/<stage>.py --params params.yaml`."""

import argparse

import yaml


def load_params(description: str) -> dict:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--params", dest="params", required=True, help="path of params.yaml")
    args = parser.parse_args()
    with open(args.params) as param_file:
        return yaml.safe_load(param_file)
