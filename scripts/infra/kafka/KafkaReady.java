import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * Exits 0 when the broker at args[0] answers a DescribeCluster request and reports a controller.
 * Used by scripts/infra/kafka.sh as a protocol-level readiness probe (works for Kafka 3.x and 4.x).
 */
public final class KafkaReady {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    try (Admin admin = Admin.create(props)) {
      var cluster = admin.describeCluster();
      Node controller = cluster.controller().get(5, TimeUnit.SECONDS);
      int brokers = cluster.nodes().get(5, TimeUnit.SECONDS).size();
      if (controller == null || controller.isEmpty() || brokers == 0) {
        System.err.println("no controller or brokers yet");
        System.exit(1);
      }
      System.out.println("cluster " + cluster.clusterId().get() + " brokers=" + brokers);
    }
  }
}
