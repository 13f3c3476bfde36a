# netsuite-mock as a container: docker build -t netsuite-mock . && docker run -p 8080:8080 netsuite-mock
# (README "Container"). Only the runtime dependencies; the mock runs as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY suitetalk ./suitetalk
COPY client ./client
COPY contracts ./contracts
COPY docker ./docker
RUN pip install . && useradd --system --uid 10001 --no-create-home netsuite-mock

USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["serve", "--seed", "demo"]
