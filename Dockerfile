# syntax=docker/dockerfile:1

# Build stage: a wheel of the project and of every dependency, from the project's own metadata.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Final stage: only the installed wheels, the bundled knowledge and the example config.
FROM python:3.11-slim
# No BOT_* defaults: the settings' own (knowledge_dir "knowledge", from WORKDIR /app) serve, and a
# variable set here would silently win over config/bot.toml.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 botuser
WORKDIR /app
# The wheels are mounted for the install only, so they never become a layer of the image.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index /wheels/*.whl
COPY --chown=10001:10001 knowledge ./knowledge
# Only the example: a config/bot.toml of the build machine is never baked in (.dockerignore keeps it
# out too); mount your own at /app/config.
COPY --chown=10001:10001 config/bot.example.toml ./config/
# The default database (BOT_DATABASE_URL): a SQLite file in /app/data, created on first use.
RUN mkdir /app/data && chown 10001:10001 /app/data
USER 10001
# Moderators' changes to the knowledge base, the settings and the recorded questions survive restarts.
VOLUME ["/app/knowledge", "/app/config", "/app/data"]
# Healthy means: the knowledge base the bot answers from validates.
HEALTHCHECK --interval=60s --timeout=20s --start-period=20s --retries=3 \
    CMD ["python", "-m", "bot", "check"]
# DISCORD_TOKEN comes from the environment at run time (docker run -e DISCORD_TOKEN=...).
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
