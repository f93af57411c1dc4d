"""A `sitecustomize.py` for test subprocesses that must stay on this machine: any connection or
name look-up beyond the loopback is logged (NETWORK_GUARD_LOG) and refused. Put GUARD in a folder
on the child's PYTHONPATH as sitecustomize.py (tests/test_container_paths.py, test_tag_deploy.py)."""

GUARD = '''\
import os, sys


def _guard(event, args):
    if event not in {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}:
        return
    target = args[1] if event == "socket.connect" else args[0]
    host = str(target[0] if isinstance(target, tuple) else target)
    if host.startswith(("127.", "/")) or host in {"localhost", "::1", "", "None"}:
        return
    with open(os.environ["NETWORK_GUARD_LOG"], "a") as log:
        log.write(f"{event} {host} in {sys.argv}\\n")
    raise OSError(f"network guard: {event} {host}")


sys.addaudithook(_guard)
'''
