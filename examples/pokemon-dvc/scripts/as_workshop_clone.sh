#!/usr/bin/env bash
# Turns a fresh copy of this project into what a participant has after cloning the workshop
# repository: a Git repository with one commit, with DVC set up already (`--with-dvc`, the GitOps
# workshop) or not yet (the notebook-to-pipeline workshop, where participants run `dvc init`).
set -euo pipefail
git init -q
if [ "${1:-}" = "--with-dvc" ]; then
    dvc init -q
fi
git add -A
git commit -q -m "Workshop starting point"
