"""The Discord layer: a thin client and cogs over the retrieval package."""
