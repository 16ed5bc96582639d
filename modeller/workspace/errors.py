"""The workspace's exceptions: each carries one plain sentence a person can act on."""

from __future__ import annotations


class WorkspaceError(Exception):
    """Something the workspace cannot do; `str(err)` is a plain sentence naming the thing and the fix."""


class StorageUnavailable(WorkspaceError):
    """The database is missing, locked, read-only or unreachable; the app keeps the scenario in memory."""


class NotFound(WorkspaceError):
    """No such scenario, version or workspace among those the acting user may see.

    Another user's unshared item gives this same error, so nobody learns what others have saved."""


class InvalidDocument(WorkspaceError):
    """The YAML text is not a valid scenario (or review); `problems` holds one plain line per problem."""

    def __init__(self, message: str, problems: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = list(problems)


class VersionConflict(WorkspaceError):
    """Someone saved a newer version first. Nothing was written and nothing is lost: the error carries
    the latest saved version (`latest`, with its text) and the text this save attempted (`attempted_text`)."""

    def __init__(self, message: str, latest, attempted_text: str):
        super().__init__(message)
        self.latest = latest                  # records.Version: the newest saved version, text included
        self.attempted_text = attempted_text  # the YAML text that was not saved
