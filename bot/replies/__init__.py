"""Pure formatting of retrieval results for people: terminal text and Discord messages."""
