"""Features of the bot, one extension each."""
