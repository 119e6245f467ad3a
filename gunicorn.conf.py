"""Gunicorn settings (read automatically from the working directory). Override on the command line."""

import gc
import os

bind = os.environ.get("REGIE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("REGIE_WORKERS", "3"))


def post_worker_init(worker):
    # The app's modules, templates and translations live as long as the worker: move them out of the
    # garbage collector's sight, so full collections stay short (bench/: API p99 129 → 76 ms).
    gc.freeze()
