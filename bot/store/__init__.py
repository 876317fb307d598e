"""Storage: what members asked, how they voted, and the /kb audit log, in SQLite or PostgreSQL.

A floor below the Discord layer and beside retrieval: the Discord layer and the command line use it,
retrieval never imports it. ``database.Store`` opens the database and applies the migrations,
``recorder.Recorder`` writes records in the background, ``reports`` answers moderators' questions.
"""
