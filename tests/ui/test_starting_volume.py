"""The volume the person set is the volume the first word is spoken at, and a change in
Settings reaches the player at once."""
from __future__ import annotations

from dataclasses import replace

import pytest

from app.core.preferences import Preferences
from app.ui.context import AppContext
from tests.support.factories import dispose


def test_the_player_starts_at_the_saved_volume_and_follows_changes(qtbot):
    context = AppContext(practices=[], broken=[], preferences=Preferences(volume=0.35))
    player = context.player
    try:
        assert player.volume() == pytest.approx(0.35, abs=0.01)
        context.update_preferences(replace(context.preferences, volume=0.6))
        assert player.volume() == pytest.approx(0.6, abs=0.01)
    finally:
        dispose(player)
