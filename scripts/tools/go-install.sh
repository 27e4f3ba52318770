# Sourced by the Go-built tool installers: `go_install <module/cmd/path>@<version> [go build flags...]`
# builds one binary into .tools/bin. The build uses Go's own per-user caches (GOCACHE, GOMODCACHE), so a
# second clone on the same machine rebuilds in seconds; a fresh machine builds from the module proxy
# (Go builds of Helm take minutes on 2 cores).
go_install() {
  command -v go >/dev/null || { echo "tools: Go is required to build $1 (https://go.dev/dl)" >&2; return 1; }
  local target="$1"; shift
  echo "tools: building $target with go install" >&2
  GOBIN="$SPLIT_BRAIN_TOOLS/bin" GOFLAGS="-buildvcs=false" \
    CGO_ENABLED=0 go install -trimpath "$@" "$target"
}

# go_module_dir <module>@<version>: downloads a module (through the Go module proxy) and prints its folder.
go_module_dir() {
  GOFLAGS="-mod=mod" go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}
