#!/usr/bin/env bash
# Turns a fresh copy of this project into what a participant has after cloning the workshop
# repository: a Git repository with one commit, with DVC set up already (`--with-dvc`, the GitOps
# workshop) or not yet (the notebook-to-pipeline workshop, where participants run `dvc init`).
set -euo pipefail
git init -q
# Git needs an identity to commit; a fresh laptop has none: give this repository a stand-in
# (an identity already set is kept).
git config user.name >/dev/null || git config user.name "Workshop participant"
git config user.email >/dev/null || git config user.email "participant@example.com"
if [ "${1:-}" = "--with-dvc" ]; then
    dvc init -q
fi
git add -A
git commit -q -m "Workshop starting point"
