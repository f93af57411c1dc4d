"""The child process that runs a session's Python blocks in one shared namespace.

Requests arrive as JSON lines on stdin; each result goes back as one JSON line on the file
descriptor given as argv[1], so that anything the blocks print (even from C code or child
processes, at the file-descriptor level) is captured instead of corrupting the protocol.
"""

import ast
import json
import os
import sys
import tempfile
import traceback


def run(code: str, mode: str, namespace: dict) -> int:
    if mode == "single":  # a pycon statement: echo expression values as the REPL does
        tree = ast.parse(code, "<pycon>", "exec")
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Interactive(body=[tree.body.pop()])
            exec(compile(tree, "<pycon>", "exec"), namespace)
            exec(compile(last, "<pycon>", "single"), namespace)
            return 0
    exec(compile(code, "<block>", "exec"), namespace)
    return 0


def main() -> None:
    results = os.fdopen(int(sys.argv[1]), "w")
    namespace = {"__name__": "__main__"}
    for line in sys.stdin:
        request = json.loads(line)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if request["cwd"] not in sys.path:
            sys.path.insert(0, request["cwd"])
        # Into the file the parent names: what a block printed before a timeout kill is kept.
        with open(request["capture"], "w+") if request.get("capture") else tempfile.TemporaryFile(mode="w+") as capture:
            sys.stdout.flush(), sys.stderr.flush()
            saved = os.dup(1), os.dup(2)
            os.dup2(capture.fileno(), 1)
            os.dup2(capture.fileno(), 2)
            exception = None
            try:
                status = run(request["code"], request["mode"], namespace)
            except SystemExit as exit_:
                status = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException as error:
                traceback.print_exc()
                # The last line(s) doctest compares with an expected traceback's message.
                exception = "".join(traceback.format_exception_only(type(error), error))
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
            capture.seek(0)
            output = capture.read()
        results.write(json.dumps({"output": output, "exit_code": status, "exception": exception}) + "\n")
        results.flush()


if __name__ == "__main__":
    main()
