"""Retrieval: knowledge files in, cited passages and quotations out. Knows nothing of Discord."""
