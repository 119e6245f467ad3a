"""Loaded with `-p` before Django starts: tests run with a throwaway key and the fast hasher."""

import os

os.environ.setdefault("REGIE_TESTING", "1")

# Uploads, import reports and demo files go to a throwaway folder, never into the checkout's var/.
if "REGIE_DATA_DIR" not in os.environ:
    import tempfile

    os.environ["REGIE_DATA_DIR"] = tempfile.mkdtemp(prefix="regie-test-")
