"""What the scripts' command lines share: the one-line error they refuse bad
input with, and preparing an output directory."""

import os


class UsageError(Exception):
    """Bad input to a script; str() is one line."""


def prepare_out_dir(out):
    """Creates `out` if needed; raises UsageError if it cannot be written."""
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create output directory {out}: {e.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write into output directory {out}")
