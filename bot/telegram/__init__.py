"""The Telegram adapter: python-telegram-bot updates in, core replies and notifications out."""
