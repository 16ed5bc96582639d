"""The server's own settings: what a visitor's browser may be shown when something goes wrong."""

import tomllib

from tests.conftest import ROOT


def test_the_browser_is_never_shown_a_traceback_or_exception_type():
    # Streamlit reads the legacy `false` as "stacktrace": it still sends the traceback.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
