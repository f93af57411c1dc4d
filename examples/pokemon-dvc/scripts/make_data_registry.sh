#!/usr/bin/env bash
# Builds a local stand-in for the workshop's shared data registry: a Git repository whose
# data/external is tracked by DVC and pushed to a folder remote. Prints the registry's path,
# which `dvc import "$DATA_REGISTRY" data/external` then reads from.
set -euo pipefail
registry="$(realpath -m "${1:?usage: make_data_registry.sh <folder>}")"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$registry"
cd "$registry"
git init -q
python3 "$here/generate_data.py" --output data/external > /dev/null
dvc init -q
dvc add -q data/external
dvc remote add -q --default storage "$registry.storage"
dvc push -q
git add .dvc .dvcignore data/.gitignore data/external.dvc
git commit -q -m "Pokémon sprites and stats, tracked by DVC"
echo "$registry"
