"""Slack adapter tests: real Bolt over HTTP and Socket Mode against the Web API stand-in."""
