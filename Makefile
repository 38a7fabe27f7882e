# sessiontrace: the two commands a new user needs are `make demo` and
# `make test`. Both install what they need (Chromium via apt when run as
# root) or say exactly what is missing.

GO       ?= go
BIN      := bin/sessiontrace
REPORT   ?= sessiontrace-report


.PHONY: all build demo test conformance conformance-stacks lint vet wasm wasm-core chromium poppler xvfb node-tools lab-oidc bench fuzz fuzz-short clean

all: build

build:
	$(GO) build -o $(BIN) ./cli/sessiontrace

chromium:
	@scripts/ensure-chromium.sh >/dev/null

# poppler: pdftotext and pdftoppm (Debian's poppler-utils), with which the
# tests of `sessiontrace report --format pdf` read and render the PDF.
poppler:
	@scripts/ensure-poppler.sh

# xvfb: a virtual display for the tests of sessiontrace record's default
# mode (a Chromium window); Debian's xvfb, installed when missing.
xvfb:
	@scripts/ensure-xvfb.sh

# node-tools: the JSON Schema validators the tests use for SARIF (and HAR),
# from the npm registry, pinned by tools/validate/package-lock.json.
node-tools: tools/validate/node_modules/.package-lock.json
tools/validate/node_modules/.package-lock.json: tools/validate/package.json tools/validate/package-lock.json
	@scripts/ensure-npm.sh
	cd tools/validate && npm ci --no-audit --no-fund --loglevel=error

# lab-oidc: the lab's OpenID Connect provider (op.test), panva's oidc-provider
# from the npm registry, pinned by lab/oidc/package-lock.json. The lab starts
# it with node on the first request to op.test.
lab-oidc: lab/oidc/node_modules/.package-lock.json
lab/oidc/node_modules/.package-lock.json: lab/oidc/package.json lab/oidc/package-lock.json
	@scripts/ensure-npm.sh
	cd lab/oidc && npm ci --no-audit --no-fund --loglevel=error

## demo: run the bundled lab suite in Chromium, then serve the report in the inspector (Ctrl-C stops)
demo: chromium lab-oidc build
	-$(BIN) run --lab -o $(REPORT) scenarios/lab
	$(BIN) serve $(REPORT)

## test: the whole test suite (Go tests incl. real-Chromium end-to-end, vet, lint, wasm build)
test: chromium poppler xvfb node-tools lab-oidc lint wasm-core
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory fuzz-short

## conformance: the diagnosis checked against real session libraries in Chromium (docs/conformance.md)
conformance: chromium conformance-stacks lab-oidc
	$(GO) vet -tags conformance ./conformance/
	$(GO) test -tags conformance -count=1 -timeout 15m ./conformance/

# conformance-stacks: the npm packages (pinned by conformance/node/package-lock.json,
# conformance/browserless/package-lock.json and conformance/oidc/package-lock.json)
# and the Debian packages (php-cli, python3-flask) the conformance tests run.
conformance-stacks: conformance/node/node_modules/.package-lock.json conformance/browserless/node_modules/.package-lock.json conformance/oidc/node_modules/.package-lock.json
	@scripts/ensure-conformance.sh
conformance/node/node_modules/.package-lock.json: conformance/node/package.json conformance/node/package-lock.json
	@scripts/ensure-npm.sh
	cd conformance/node && npm ci --no-audit --no-fund --loglevel=error
# The browserless pool (a real --browser-url endpoint with a token), pinned
# by conformance/browserless/package-lock.json.
conformance/browserless/node_modules/.package-lock.json: conformance/browserless/package.json conformance/browserless/package-lock.json
	@scripts/ensure-npm.sh
	cd conformance/browserless && npm ci --no-audit --no-fund --loglevel=error
# The OpenID Connect stack (oidc-provider, openid-client, oidc-client-ts),
# pinned by conformance/oidc/package-lock.json.
conformance/oidc/node_modules/.package-lock.json: conformance/oidc/package.json conformance/oidc/package-lock.json
	@scripts/ensure-npm.sh
	cd conformance/oidc && npm ci --no-audit --no-fund --loglevel=error

vet:
	$(GO) vet ./...

## wasm: rebuild the inspector (web/inspector.wasm, committed so go install users get it)
wasm:
	$(GO) generate ./web

lint: vet
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/... ./internal/recjson/... ./runfolder/...
	$(GO) vet -tags conformance ./conformance/
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt: not formatted:"; echo "$$out"; exit 1; fi
	$(GO) tool staticcheck ./...
	$(GO) tool staticcheck -tags conformance ./conformance/...

## wasm-core: the pure core must build for the inspector (GOOS=js GOARCH=wasm)
wasm-core:
	GOOS=js GOARCH=wasm $(GO) build ./recording/... ./scenarios/... ./analysis/... ./rundiff/... ./policy/... ./runfolder/... ./internal/synth/... ./internal/yamlfile/...

## bench: benchmarks; results and how to read them in docs/benchmarks.md
bench: chromium
	@command -v jq >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq jq >/dev/null; } || { echo "jq is missing (the audit benchmark's baseline): apt-get install jq"; exit 1; }
	$(GO) test -run '^$$' -bench RecordingOverhead -benchtime 30x -count 1 ./harness/ | tee bench.out
	$(GO) test -run '^$$' -bench AuditVsJQ -benchtime 10x -count 1 ./cli/ | tee -a bench.out
	$(GO) test -run '^$$' -bench InspectorRender -benchtime 7x -count 1 ./web/ | tee -a bench.out
	$(GO) test -run '^$$' -bench InspectorScale -benchtime 5x -count 1 -timeout 30m ./web/ | tee -a bench.out
	@scripts/ensure-npm.sh
	npm ci --prefix bench/playwright --no-audit --no-fund --loglevel=error
	$(GO) test -run '^$$' -bench '^BenchmarkVsPlaywright$$' -benchtime 8x -count 1 -timeout 60m ./bench/ | tee -a bench.out
	$(GO) test -run '^$$' -bench '^BenchmarkScaling$$' -benchtime 3x -count 1 -timeout 60m ./bench/ | tee -a bench.out
	$(GO) test -run '^$$' -bench '^BenchmarkSuite200$$' -benchtime 1x -count 1 -timeout 30m ./bench/ | tee -a bench.out
	$(GO) test -run '^$$' -bench '^BenchmarkContextsVsBrowsers$$' -benchtime 3x -count 1 -timeout 60m ./bench/ | tee -a bench.out

## fuzz: run every fuzz target for FUZZTIME each (default 30s); prints a line per target
FUZZTIME ?= 30s
fuzz:
	GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

## fuzz-short: every fuzz target for 3000 inputs (part of make test). A count, not a
## time: a time limit that ends mid-input makes go test report "context deadline
## exceeded" as a failure now and then
fuzz-short:
	GO=$(GO) scripts/fuzz.sh 3000x

clean:
	rm -rf bin $(REPORT) bench.out
