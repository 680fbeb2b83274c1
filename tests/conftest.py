"""Settings shared by every test."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# Property tests assert behaviour, never speed: on a loaded CI machine a slow example is not a
# failure (timing targets live in bench/).
settings.register_profile("supportbot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("supportbot")
