# Fabrique — container image.
#   docker build -t fabrique .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=postgres://... fabrique
# The *_templ.go files are generated and committed, and the static assets
# and migrations are embedded in the binary: `go build` is the whole build.

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags "-s -w" -o /out/fabrique ./cmd/fabrique

# Static, no shell, CA certificates and tzdata included, runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/fabrique /fabrique
ENV ADDR=:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/fabrique"]
CMD ["serve"]
