# Backend Path: gunicorn + whitenoise on an official (optimised) Python build.
FROM python:3.11-slim
# The build's name (cached pages are keyed by it): docker build --build-arg RELEASE=$(git rev-parse --short=12 HEAD)
ARG RELEASE=unreleased

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHON=/app/.venv/bin/python \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_DEBUG=0 \
    DJANGO_RELEASE=$RELEASE \
    BIND=0.0.0.0:8000

WORKDIR /app
RUN useradd --create-home --uid 10001 app
COPY requirements.txt ./
RUN python -m venv /app/.venv && /app/.venv/bin/pip install -r requirements.txt
COPY --chown=app:app . .
# collectstatic needs settings to import; the build-time key is thrown away with the layer.
RUN DJANGO_SECRET_KEY=build-only-key-build-only-key-build-only-key-0123456789 \
    DJANGO_ALLOWED_HOSTS=localhost \
    /app/.venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
 && mkdir -p /app/var && chown -R app:app /app/var
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["bin/serve"]
