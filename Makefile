# Rapids & Rivers on AWS. `make run` opens the shell on the embedded backend; `make test` runs every test.
MVN ?= mvn -B
PYTHON ?= python3
BENCH_JAVA_OPTS ?= -XX:+UseSerialGC
VENV := .venv
MOTO := $(VENV)/bin/moto_server
CFN_LINT := .venv-lint/bin/cfn-lint
CHECKOV := .venv-checkov/bin/checkov
# The emulator targets say so (--emulator): what an emulator refuses is left out with a warning, and it is
# spoken to in JSON rather than CBOR; on AWS nothing is left out.
EMULATOR_FLAGS = --backend aws --emulator --endpoint-url $$(emulator/start.sh)

.PHONY: help build run install example test unit-tests conformance-then-smoke shell-tests test-localstack localstack-runtime smoke browser lint deploy deploy-services remove scenario bench package emulator emulator-stop run-aws-local bench-aws bench-status bench-coldstart bench-archive clean

help:
	@echo "make run            the cmd> shell on the embedded backend (no AWS account needed)"
	@echo "make test           lint, unit and integration tests, the emulator ones included (what CI runs)"
	@echo "make lint           cfn-lint and checkov on the CloudFormation templates in cfn/"
	@echo "make test-localstack  the AWS conformance suite on LocalStack's own runtime (no Docker)"
	@echo "make deploy STAGE=x [REGION=..] [ENDPOINT=.. EMULATOR=1]   both stacks on AWS (or an emulator), jars built first"
	@echo "make deploy-services STAGE=x [SERVICES=a,b SERVICES_JAR=..]   services as functions, a stack each (default: the five offers services)"
	@echo "make remove STAGE=x [FORCE=1]   delete the stacks, the services' first (FORCE=1: the key and the catalog too)"
	@echo "make install        the toolkit's artifacts, sources and javadoc, its BOM, a service's parent and archetype into the local Maven repository (no tests)"
	@echo "make example        examples/greeter built against them, tested, and run on a stage (rr service --jar, its main)"
	@echo "make scenario       the offers scenario end to end on the embedded backend: five services, one bundle"
	@echo "make bench          throughput, latency, loss and one-shot start-up on the embedded backend"
	@echo "make package        the Lambda jars (control-plane, data-plane, service-function), checked to be <= 20 MB"
	@echo "make emulator       start the AWS emulator (moto) on 127.0.0.1; prints its URL last"
	@echo "make emulator-stop  stop every emulator started here (moto, fauxqs, LocalStack)"
	@echo "make run-aws-local  emulator + provision + the shell on the AWS path, planes hosted here"
	@echo "make bench-aws      the benchmark on emulators (moto; fauxqs for SNS+SQS), with API call counts"
	@echo "                    and the original one-Publish-per-event fan-out for comparison"
	@echo "make bench-status   rr status on 100 rivers on the emulator: time and API calls"
	@echo "make bench-coldstart  each handler's first batch in a fresh JVM, URL-connection vs CRT client"
	@echo "make bench-archive  an embedded archive of ARCHIVE_EVENTS (default 1000000): trace, replay and summary times"

# rr.jar and the Lambda jars come from one mvn package, redone only when a source, a pom or a template
# is newer than rr.jar: make run on a built tree starts the shell at once.
RR_JAR := cli/target/rr.jar
SOURCES := pom.xml $(wildcard */pom.xml cli/*/pom.xml) $(wildcard cfn/*.yaml) \
	$(shell find . -path ./.git -prune -o -path '*/src/main/*' -type f -print 2>/dev/null)

$(RR_JAR): $(SOURCES)
	$(MVN) -q -DskipTests package
	@touch $@

build: $(RR_JAR)

run: $(RR_JAR)
	./rr

# The toolkit's artifacts, with its BOM (org.rapidsrivers:rapids-rivers-bom), for a service built elsewhere;
# redone only when a source is newer than the last install (make test installs too).
INSTALLED := target/installed
$(INSTALLED): $(SOURCES)
	$(MVN) -q -DskipTests -Pdocs install
	@mkdir -p target && touch $(RR_JAR) $@

install: $(INSTALLED)

# A service in a project of its own, built against what make install put in the local Maven repository.
example: $(INSTALLED)
	scripts/test-example.sh

# The emulator lives in a project-local virtual environment, made on first use.
$(MOTO): emulator/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r emulator/requirements.txt
	touch $(MOTO)

# Every tool the tests use is installed, each into a place of its own (made on first use), while the
# modules build, install and run their unit tests; then two lanes at once: the conformance suite
# (LocalStack's runtime up for it), the linters and the smoke run of every documented make target, beside
# the shell's integration tests (the longer lane). The integration tests run on what was built and installed
# (failsafe's goals, no second package), so the smoke run never rebuilds what the shell's tests run.
test:
	$(MAKE) -j6 $(CFN_LINT) $(CHECKOV) $(MOTO) localstack-runtime browser unit-tests
	@mkdir -p target && touch $(INSTALLED)
	$(MAKE) -j2 conformance-then-smoke shell-tests
	@scripts/skipped.sh

unit-tests:
	$(MVN) -T 2 install -DskipITs=true

conformance-then-smoke:
	scripts/with-localstack.sh $(MVN) -pl aws,conformance failsafe:integration-test failsafe:verify
	$(MAKE) lint
	scripts/smoke.sh

shell-tests:
	$(MVN) -pl cli/shell failsafe:integration-test failsafe:verify

# LocalStack's runtime wants a Python of 3.13 or newer: without one, make test goes on and says so.
localstack-runtime:
	@emulator/localstack/install.sh || echo "no LocalStack runtime here: its conformance tests will be skipped"

# The live page is tested in Debian's headless Chromium, and a clock that jumps with Debian's faketime:
# installed here where apt-get may run (CI runs as root); elsewhere, or if the install fails, those tests
# are skipped and say why.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v faketime >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium, chromium-driver and faketime for the live page and clock tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver faketime >/dev/null) \
	    || echo "could not install them: the live page and clock tests will be skipped (and fail where RR_EVERY_TEST=1, as on CI)"; \
	else echo "no chromium, chromium-driver or faketime here and no apt-get as root: the tests needing them will be skipped (and fail where RR_EVERY_TEST=1, as on CI)"; fi

# Each linter in a virtual environment of its own, made on first use (checkov pins an older boto3).
$(CFN_LINT): cfn/lint-requirements.txt
	$(PYTHON) -m venv .venv-lint
	.venv-lint/bin/pip install -q --disable-pip-version-check -r cfn/lint-requirements.txt
	touch $(CFN_LINT)

$(CHECKOV): cfn/checkov-requirements.txt
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/pip install -q --disable-pip-version-check -r cfn/checkov-requirements.txt
	touch $(CHECKOV)

# Zero errors and zero failed checks; every suppression stands in the template with its reason.
lint: $(CFN_LINT) $(CHECKOV)
	$(CFN_LINT) cfn/*.yaml
	$(CHECKOV) --skip-download --quiet --compact --framework cloudformation -d cfn

# What rr needs to reach a stage on AWS: the stage, and a region or an endpoint if not the default chain's.
AWS_STAGE_FLAGS = --backend aws --stage $(STAGE) $(if $(REGION),--region $(REGION)) $(if $(ENDPOINT),--endpoint-url $(ENDPOINT)) \
	$(if $(EMULATOR),--emulator)

deploy: package
	@test -n "$(STAGE)" || { echo "make deploy needs STAGE=<1-16 lower-case letters or digits>" >&2; exit 2; }
	./rr $(AWS_STAGE_FLAGS) deploy

# The services of a jar as functions on a deployed stage, one stack each (rr deploy --service).
SERVICES ?= location,segmentation,membership,brand,offer-engine
SERVICES_JAR ?= $(wildcard scenario-offers/target/scenario-offers-*[0-9T].jar)
deploy-services: package
	@test -n "$(STAGE)" || { echo "make deploy-services needs STAGE=<1-16 lower-case letters or digits>" >&2; exit 2; }
	./rr $(AWS_STAGE_FLAGS) deploy --service $(SERVICES) --jar $(SERVICES_JAR)

remove: $(RR_JAR)
	@test -n "$(STAGE)" || { echo "make remove needs STAGE=<1-16 lower-case letters or digits>" >&2; exit 2; }
	./rr $(AWS_STAGE_FLAGS) remove $(if $(FORCE),--force)

scenario: $(RR_JAR)
	./rr --stage dev scenario offers

bench: $(RR_JAR)
	RR_JAVA_OPTS="$(BENCH_JAVA_OPTS)" ./rr bench $(BENCH_ARGS)

package: $(RR_JAR)
	@scripts/check-lambda-jars.sh control-plane/function/target/control-plane-function-*-lambda.jar data-plane/function/target/data-plane-function-*-lambda.jar
	@SERVICE_RUNTIME=1 scripts/check-lambda-jars.sh service-function/target/service-function-*-lambda.jar

emulator: $(MOTO)
	@emulator/start.sh

emulator-stop:
	@emulator/stop.sh

run-aws-local: $(RR_JAR) $(MOTO)
	./rr --stage dev $(EMULATOR_FLAGS) provision
	./rr --stage dev $(EMULATOR_FLAGS) --host-planes

# SNS and SQS on fauxqs, the rest on moto: moto's SQS slows down with the square of a queue's depth,
# which would measure moto rather than the fan-out. Both strategies run on the same emulators.
bench-aws: $(RR_JAR) $(MOTO)
	sns_sqs=$$(emulator/start-sns-sqs.sh) && AWS_ENDPOINT_URL_SNS=$$sns_sqs AWS_ENDPOINT_URL_SQS=$$sns_sqs \
	  RR_JAVA_OPTS="$(BENCH_JAVA_OPTS)" ./rr $(EMULATOR_FLAGS) --host-planes bench $(BENCH_ARGS); \
	  status=$$?; emulator/stop.sh; exit $$status

# rr status on a stage of 100 rivers on moto: the median of five reports and the API calls of one.
STATUS_RIVERS ?= 100
ARCHIVE_EVENTS ?= 1000000
bench-archive: $(RR_JAR)
	RR_JAVA_OPTS="$(BENCH_JAVA_OPTS)" ./rr bench --archive --events $(ARCHIVE_EVENTS)

bench-status: $(RR_JAR) $(MOTO)
	./rr $(EMULATOR_FLAGS) bench --status --rivers $(STATUS_RIVERS); status=$$?; emulator/stop.sh; exit $$status

# COLDSTART_RUNS fresh JVMs per plane and HTTP client (default 5)
bench-coldstart: package $(MOTO)
	scripts/bench-coldstart.sh $$(emulator/start.sh); status=$$?; emulator/stop.sh; exit $$status

# The AWS conformance suite on LocalStack's own runtime without Docker (a Python 3.13 or newer is found on
# the machine and LocalStack installed into .venv-localstack on first use); DynamoDB from moto.
test-localstack: $(MOTO)
	scripts/test-localstack.sh

# Every make target the README and docs/ name, run once at a small size (make test ends with it).
smoke: $(RR_JAR) $(MOTO)
	scripts/smoke.sh

clean:
	$(MVN) -q clean
