# supportbot: `supportbot run` starts every configured platform (Slack, Telegram).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY kb_index ./kb_index
COPY register ./register
COPY config ./config
RUN pip install . \
    && useradd --create-home --uid 10001 supportbot \
    && mkdir /data && chown supportbot /data

USER supportbot
WORKDIR /data
# The default register is a SQLite file in the volume; set a PostgreSQL URL in production.
ENV SUPPORTBOT_DATABASE_URL=sqlite:////data/supportbot.sqlite3
VOLUME ["/data"]
EXPOSE 3000 8443

ENTRYPOINT ["supportbot"]
CMD ["run"]
