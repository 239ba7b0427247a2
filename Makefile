# Rapids & Rivers on AWS. `make run` opens the shell on the embedded backend; `make test` runs every test.
MVN ?= mvn -B
BENCH_JAVA_OPTS ?= -XX:+UseSerialGC

.PHONY: help build run test bench clean

help:
	@echo "make run    - the cmd> shell on the embedded backend (no AWS account needed)"
	@echo "make test   - unit and integration tests (what CI runs)"
	@echo "make bench  - throughput, latency, loss and one-shot start-up on the embedded backend"
	@echo "make build  - build cli/target/rr.jar for ./rr"
	@echo "make clean  - remove build output"

build:
	$(MVN) -q -DskipTests package

run: build
	./rr

test:
	$(MVN) verify

bench: build
	RR_JAVA_OPTS="$(BENCH_JAVA_OPTS)" ./rr bench

clean:
	$(MVN) -q clean
