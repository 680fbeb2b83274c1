"""Deployment settings of supportbot (pydantic-settings); imports nothing of ours."""
