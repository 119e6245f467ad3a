"""Loaded with `-p` before Django starts: tests run with a throwaway key and the fast hasher."""

import os

os.environ.setdefault("REGIE_TESTING", "1")
