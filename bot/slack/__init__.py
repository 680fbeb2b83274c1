"""The Slack adapter: Bolt payloads to core calls, core replies and notifications to Block Kit."""
