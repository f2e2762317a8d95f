# syntax=docker/dockerfile:1
# Build: docker build -t piket .
# Run:   docker run -v piket-data:/data -e TELEGRAM_TOKEN=... piket
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/piket ./cmd/piket

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/piket /usr/local/bin/piket
WORKDIR /data
VOLUME ["/data"]
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/piket"]
CMD ["serve", "-config", "/data/piket.yaml"]
