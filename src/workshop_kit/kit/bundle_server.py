"""Serves a bundle (kit/bundle.py) on the room's network: the site at `/`, the PEP 503 index at
`/simple/`, the wheels at `/wheels/` and the kits at `/kits/`, with Starlette's static files under
uvicorn (the `room` extra).

    python -m workshop_kit.kit.bundle_server BUNDLE [--host 127.0.0.1] [--port 8765]
"""

from __future__ import annotations

import argparse
from pathlib import Path


def create_app(bundle: Path):
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    bundle = bundle.resolve()
    for part in ("site", "simple", "wheels", "kits"):
        if not (bundle / part).is_dir():
            raise SystemExit(f"{bundle} is not a bundle: it has no {part}/ folder "
                             "(make one with `workshop bundle make`)")
    # follow_symlink stays off: nothing outside the bundle's folders is served.
    return Starlette(routes=[
        Mount("/simple", StaticFiles(directory=bundle / "simple", html=True)),
        Mount("/wheels", StaticFiles(directory=bundle / "wheels")),
        Mount("/kits", StaticFiles(directory=bundle / "kits")),
        Mount("/", StaticFiles(directory=bundle / "site", html=True)),
    ])


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m workshop_kit.kit.bundle_server",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (0.0.0.0: every interface)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    app = create_app(args.bundle)
    print(f"Serving {args.bundle} at http://{args.host}:{args.port}/ "
          f"(participants: pip install --index-url http://<this machine's address>:{args.port}/simple ...)",
          flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
