"""An offline room: pack one workshop's built site, its kits and every wheel its participants
install into a folder the speaker serves on the room's network (`workshop bundle serve`).
Participants then need no internet: `pip install --index-url http://<speaker>:8765/simple ...`.

The wheels come from PyPI through pip's own `download`, pinned by constraints.txt, for each
target's platform, Python and environment markers (default: Linux x86_64, macOS arm64 and Windows
x86_64 on Python 3.11 and 3.12). bench/results/bundle-sizes.md gives the sizes to expect.

Examples:
  make site && workshop bundle make gitops-dvc --out room-bundle
  workshop bundle make ml-tooling-day --out room --target linux-x86_64/3.11 --target windows-x86_64/3.12
  workshop bundle serve room-bundle --host 0.0.0.0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .site import UsageError, existing_config

HELP = "pack a workshop's site, kits and wheels for a room without internet, and serve them"


def arguments(sub: argparse.ArgumentParser) -> None:
    commands = sub.add_subparsers(dest="bundle_command", metavar="<subcommand>")
    make = commands.add_parser("make", help="make the bundle of one workshop", description=__doc__,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    make.add_argument("workshop", help="the workshop's kit name, as under `kits:` in mkdocs.yml")
    make.add_argument("--out", type=Path, required=True, help="a new (or empty) folder for the bundle")
    make.add_argument("--site", type=Path, help="the built site (default: site_dir of mkdocs.yml, else site)")
    make.add_argument("--target", action="append", metavar="PLATFORM/PYTHON",
                      help="e.g. linux-x86_64/3.11; repeat for several (default: all six)")
    make.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                      help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    serve = commands.add_parser("serve", help="serve a bundle: the site, the kits and the package index",
                                description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("bundle", type=Path)
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1: this laptop only; 0.0.0.0: the room)")
    serve.add_argument("--port", type=int, default=8765)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "bundle_command", None) == "serve":
        return _serve(args)
    if getattr(args, "bundle_command", None) != "make":
        print("workshop bundle: name a subcommand: workshop bundle make WORKSHOP --out DIR, "
              "or workshop bundle serve DIR", file=sys.stderr)
        return 2
    from ..kit.bundle import BundleError, make_bundle, parse_targets
    from ..kit.config import KitError, kits_from_config
    from ..site_config import load_config

    config_file = existing_config(args.config_file or Path("mkdocs.yml"))
    config = load_config(config_file)
    try:
        kits = kits_from_config(config)
    except KitError as err:
        raise UsageError(f"{config_file}: {err}") from None
    if args.workshop not in kits:
        raise UsageError(f"no kit '{args.workshop}' in {config_file} (kits: {', '.join(sorted(kits)) or 'none'})")
    root = config_file.parent
    site = args.site or root / (config.get("site_dir") or "site")
    try:
        targets = parse_targets(args.target)
        manifest = make_bundle(kits[args.workshop], root / "examples", site, args.out, targets,
                               root / "constraints.txt", log=lambda message: print(message, flush=True))
    except BundleError as err:
        raise UsageError(str(err)) from None
    for name, target in manifest["targets"].items():
        print(f"{name}: {len(target['wheels'])} wheels, {target['bytes'] / 1e6:.0f} MB")
    print(f"workshop bundle: {args.out} holds {manifest['totals']['all'] / 1e6:.0f} MB; serve it with "
          f"`workshop bundle serve {args.out} --host 0.0.0.0`")
    return 0


def _serve(args: argparse.Namespace) -> int:
    missing = [part for part in ("site", "simple", "wheels", "kits") if not (args.bundle / part).is_dir()]
    if missing:
        raise UsageError(f"{args.bundle} is not a bundle (no {', '.join(p + '/' for p in missing)}): make one with "
                         "`workshop bundle make WORKSHOP --out DIR`")
    try:
        import uvicorn  # noqa: F401 - the room extra
    except ImportError:
        raise UsageError("serving a bundle needs the 'room' extra: pip install 'workshop-kit[room]'") from None
    from ..kit.bundle_server import main

    main([str(args.bundle), "--host", args.host, "--port", str(args.port)])
    return 0
