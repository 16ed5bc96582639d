"""A whole workspace as a zip of YAML files plus a manifest: export, and import all-or-nothing (the backup)."""
