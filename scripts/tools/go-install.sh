# Sourced by the Go-built tool installers: `go_install <module/cmd/path>@<version> [go build flags...]`
# builds one binary into .tools/bin with its build cache under .tools/go-cache, so a CI cache of .tools/
# makes reruns fast (Go builds of Helm take minutes on 2 cores).
go_install() {
  command -v go >/dev/null || { echo "tools: Go is required to build $1 (https://go.dev/dl)" >&2; return 1; }
  local target="$1"; shift
  echo "tools: building $target with go install (cached in .tools/go-cache)" >&2
  GOBIN="$SPLIT_BRAIN_TOOLS/bin" GOCACHE="$SPLIT_BRAIN_TOOLS/go-cache" GOFLAGS="-buildvcs=false" \
    CGO_ENABLED=0 go install -trimpath "$@" "$target"
}

# go_module_dir <module>@<version>: downloads a module (through the Go module proxy) and prints its folder.
go_module_dir() {
  GOFLAGS="-mod=mod" go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}
