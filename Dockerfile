# syntax=docker/dockerfile:1
# Build: docker build -t piket .
# Run:   docker run -v piket-data:/data -e TELEGRAM_TOKEN=... piket
#        (or deploy/docker-compose.example.yml; health check: piket healthcheck)
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/piket ./cmd/piket
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/piket /usr/local/bin/piket
# /data belongs to nonroot (65532), so a new named volume is writable.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
VOLUME ["/data"]
# /healthz and /metrics when http.listen is ":8080" (see deploy/).
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/piket"]
CMD ["serve", "-config", "/data/piket.yaml"]
