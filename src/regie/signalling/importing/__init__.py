"""The import of the corporation's export files (IMPORT.md); the entry point is service.import_paths."""
