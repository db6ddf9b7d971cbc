# shellcheck shell=bash
# Apache Kafka, single KRaft node (broker + controller), from Maven Central jars.
# Sourced by infra.sh; expects INFRA_DIR, INFRA_SCRIPTS and lib.sh.

KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}

kafka_state() { printf '%s/kafka' "$INFRA_DIR"; }
kafka_pidfile() { printf '%s/kafka.pid' "$(kafka_state)"; }
kafka_logfile() { printf '%s/logs/kafka.log' "$INFRA_DIR"; }
kafka_marker() { printf 'kafka.Kafka %s/server.properties' "$(kafka_state)"; }

kafka_home() {
  local pom="$INFRA_SCRIPTS/kafka/pom.xml"
  printf '%s/kafka-%s-%s' "$(cache_root)" "$KAFKA_VERSION" \
    "$(sha_of "$pom" "$INFRA_SCRIPTS/kafka/KafkaReady.java")"
}

kafka_log_config() {
  case $KAFKA_VERSION in
    3.*) printf -- '-Dlog4j.configuration=file:%s/kafka/log4j.properties' "$INFRA_SCRIPTS" ;;
    *) printf -- '-Dlog4j2.configurationFile=%s/kafka/log4j2.xml' "$INFRA_SCRIPTS" ;;
  esac
}

# Resolves the broker classpath into the cache (once per version and pom) and compiles the probe.
kafka_prepare() {
  local home profile
  home=$(kafka_home)
  [[ -f $home/.complete ]] && return 0
  case $KAFKA_VERSION in
    3.*) profile=kafka3 ;;
    4.*) profile=kafka4 ;;
    *) die "unsupported KAFKA_VERSION=$KAFKA_VERSION (expected 3.x or 4.x)" ;;
  esac
  command -v java >/dev/null || die "java not found (Java 17+ is required for Kafka)"
  command -v mvn >/dev/null || die "mvn not found (Maven fetches the Kafka jars)"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $home"
  rm -rf "$home"
  local mvnlog="$INFRA_DIR/logs/kafka-fetch.log"
  mvn -B -f "$INFRA_SCRIPTS/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" -P "$profile" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$home/libs" >"$mvnlog" 2>&1 || {
    grep -E 'ERROR' "$mvnlog" | head -n 5 >&2
    die "mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION; see $mvnlog"
  }
  javac -nowarn -cp "$home/libs/*" -d "$home/probe" "$INFRA_SCRIPTS/kafka/KafkaReady.java" >&2 ||
    die "could not compile KafkaReady.java"
  touch "$home/.complete"
}

kafka_java() {
  local home
  home=$(kafka_home)
  java -cp "$home/libs/*" "$(kafka_log_config)" "$@"
}

kafka_write_config() {
  local state
  state=$(kafka_state)
  cat >"$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$state/data
num.partitions=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
PROPS
}

# Formats the log dir once; the cluster id is kept so later starts reuse the data.
kafka_format() {
  local state id
  state=$(kafka_state)
  if [[ -f $state/version && $(cat "$state/version") != "$KAFKA_VERSION" ]]; then
    log "Kafka version changed ($(cat "$state/version") -> $KAFKA_VERSION): wiping $state/data"
    rm -rf "$state/data"
  fi
  if [[ ! -s $state/cluster.id ]]; then
    kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | grep -E '^[A-Za-z0-9_-]{22}$' >"$state/cluster.id" ||
      die "could not generate a Kafka cluster id"
  fi
  id=$(cat "$state/cluster.id")
  kafka_java kafka.tools.StorageTool format -t "$id" -c "$state/server.properties" --ignore-formatted \
    >>"$(kafka_logfile)" 2>&1 || die "Kafka storage format failed; see $(kafka_logfile)"
  echo "$KAFKA_VERSION" >"$state/version"
}

kafka_running() { pid_alive "$(read_pid "$(kafka_pidfile)")" "$(kafka_marker)"; }

kafka_probe() { java -cp "$(kafka_home)/libs/*:$(kafka_home)/probe" "$(kafka_log_config)" KafkaReady "127.0.0.1:$KAFKA_PORT"; }

kafka_start() {
  local state pid home
  state=$(kafka_state)
  mkdir -p "$state"
  kafka_prepare # also when already running: kafka_wait needs the probe of this checkout
  if kafka_running; then
    log "Kafka already running (pid $(read_pid "$(kafka_pidfile)"))"
    return 0
  fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is in use by another process; stop it or set KAFKA_PORT"
  port_open "$KAFKA_CONTROLLER_PORT" &&
    die "port $KAFKA_CONTROLLER_PORT is in use by another process; stop it or set KAFKA_CONTROLLER_PORT"
  kafka_write_config
  kafka_format
  home=$(kafka_home)
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: $(kafka_logfile))"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several JVM flags
  setsid nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "$(kafka_log_config)" -cp "$home/libs/*" \
    kafka.Kafka "$state/server.properties" </dev/null >>"$(kafka_logfile)" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$(kafka_pidfile)"
}

kafka_wait() {
  wait_until "Kafka" "${KAFKA_START_TIMEOUT:-90}" "$(kafka_logfile)" "$(read_pid "$(kafka_pidfile)")" kafka_probe
  log "Kafka ready on 127.0.0.1:$KAFKA_PORT"
}

kafka_stop() {
  local pid
  pid=$(read_pid "$(kafka_pidfile)")
  if pid_alive "$pid" "$(kafka_marker)"; then
    stop_pid Kafka "$pid" 30
  fi
  rm -f "$(kafka_pidfile)"
}

kafka_status() {
  if kafka_running; then
    echo "kafka: up (pid $(read_pid "$(kafka_pidfile)"), 127.0.0.1:$KAFKA_PORT)"
  else
    echo "kafka: down"
    return 1
  fi
}

kafka_env() { echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"; }
