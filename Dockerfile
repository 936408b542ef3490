# One image, two commands: the API (the default command, gunicorn) and the worker
# (`celery -A worker.celery_app worker`). See compose.yaml.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY newsdesk ./newsdesk
COPY service ./service
COPY worker ./worker
RUN pip install . && useradd --create-home --uid 10001 newsdesk

USER newsdesk
EXPOSE 8000
# REDIS_URL must name the shared Redis (the embedded one is for single-machine `newsdesk serve`),
# and NEWSDESK_API_KEYS (or _FILE) must be set: bound beyond loopback, the API refuses to run open.
CMD ["gunicorn", "-c", "python:service.gunicorn_conf", "--bind", "0.0.0.0:8000", "service.wsgi:app"]
