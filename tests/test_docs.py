"""Docs stay true to the code: every setting is documented."""

from __future__ import annotations

from pathlib import Path

from rightsledger.config import Settings

ROOT = Path(__file__).parents[1]


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in text, name
        assert f"RIGHTSLEDGER_{name.upper()}" in text, name


def test_every_setting_has_help_text():
    for name, field in Settings.model_fields.items():
        assert field.description, name
