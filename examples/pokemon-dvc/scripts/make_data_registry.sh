#!/usr/bin/env bash
# Builds a local stand-in for the workshop's shared data registry: a Git repository whose
# data/external is tracked by DVC and pushed to a folder remote. Prints the registry's path,
# which `dvc import "$DATA_REGISTRY" data/external` then reads from.
set -euo pipefail
folder="${1:?usage: make_data_registry.sh <folder>}"
here="$(cd "$(dirname "$0")" && pwd)"
# An absolute path without GNU realpath (macOS has none with -m): create the folder, then ask pwd.
mkdir -p "$folder"
registry="$(cd "$folder" && pwd)"
cd "$registry"
git init -q
# Git needs an identity to commit; a fresh laptop has none: give this repository a stand-in
# (an identity already set is kept).
git config user.name >/dev/null || git config user.name "Data registry"
git config user.email >/dev/null || git config user.email "registry@example.com"
python3 "$here/generate_data.py" --output data/external > /dev/null
dvc init -q
dvc add -q data/external
dvc remote add -q --default storage "$registry.storage"
dvc push -q
git add .dvc .dvcignore data/.gitignore data/external.dvc
git commit -q -m "Pokémon sprites and stats, tracked by DVC"
echo "$registry"
