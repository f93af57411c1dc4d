"""TensorFlow without its start-up messages, which a laptop without an NVIDIA GPU does not need.

On every import, TensorFlow's C++ libraries write lines such as `oneDNN custom operations are on`
and `Could not find cuda drivers on your machine, GPU will not be used`, and on its first
computation `E0000 ... failed call to cuInit` on a machine without an NVIDIA GPU: none of them is
a problem for this lab, which runs on the CPU. `TF_CPP_MIN_LOG_LEVEL=3` hides the later ones; the
first ones are written while the libraries load, before TensorFlow reads that variable, so the
import runs with the process's error output sent to nowhere (Python errors still show: they are
raised, not written, during the import).

Set TF_CPP_MIN_LOG_LEVEL to another level yourself (0 shows everything) to see TensorFlow's messages again.
"""

from __future__ import annotations

import os
import sys


def import_tensorflow():
    """`import tensorflow as tf`, quietly unless TF_CPP_MIN_LOG_LEVEL is set to another level."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # inherited by the processes this one starts
    if "tensorflow" in sys.modules or os.environ["TF_CPP_MIN_LOG_LEVEL"] != "3":
        import tensorflow

        return tensorflow
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 2)
            import tensorflow
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tensorflow
