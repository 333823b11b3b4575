package io.prophecy.sdk.databricks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.databricks.Cluster;
import io.prophecy.sdk.databricks.ClusterSpec;
import io.prophecy.sdk.databricks.ClusterState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Clusters API 2.0 calls and the wait until RUNNING, against a MockWebServer. */
class ClustersClientTest {
  private MockWorkspace ws;
  private DatabricksHttp http;
  private ClustersClient clusters;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ws = new MockWorkspace();
    http = ws.http(ws.settings());
    clusters = new ClustersClient(http, ws.test.platform().sleeper(), ws.test.clock);
  }

  @AfterEach
  void stop() {
    http.close();
    ws.close();
  }

  static String cluster(String state, String message) {
    return "{\"cluster_id\":\"0923-164208-meows279\",\"cluster_name\":\"shared\",\"spark_version\":\"15.4.x-scala2.12\","
        + "\"state\":\"" + state + "\",\"state_message\":\"" + message + "\"}";
  }

  private void record(Cluster c, Duration waited) {
    progress.add(c.state() + "@" + waited.toSeconds() + (c.stateMessage().isEmpty() ? "" : " " + c.stateMessage()));
  }

  @Test
  void listsEveryPage() throws Exception {
    ws.enqueue(200, "{\"clusters\":[" + cluster("RUNNING", "") + "],\"next_page_token\":\"p2\"}");
    ws.enqueue(200, "{\"clusters\":[{\"cluster_id\":\"1\",\"cluster_name\":\"etl\",\"spark_version\":\"14.3.x-scala2.12\","
        + "\"state\":\"TERMINATED\",\"state_message\":\"Inactive cluster terminated (inactive for 120 minutes).\","
        + "\"termination_reason\":{\"code\":\"INACTIVITY\",\"type\":\"SUCCESS\","
        + "\"parameters\":{\"inactivity_duration_min\":\"120\"}}}]}");

    assertThat(clusters.list()).containsExactly(
        new Cluster("0923-164208-meows279", "shared", ClusterState.RUNNING, "", "15.4.x-scala2.12", Optional.empty()),
        new Cluster("1", "etl", ClusterState.TERMINATED, "Inactive cluster terminated (inactive for 120 minutes).",
            "14.3.x-scala2.12", Optional.of("INACTIVITY (SUCCESS): inactivity_duration_min=120")));
    ws.take("GET", "/api/2.0/clusters/list");
    ws.take("GET", "/api/2.0/clusters/list?page_token=p2");
  }

  @Test
  void getsOneAndSaysWhenItIsMissing() throws Exception {
    ws.enqueue(200, cluster("PENDING", "Finding instances for new nodes"));
    ws.enqueue(400, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Cluster nope does not exist\"}");

    assertThat(clusters.get("0923-164208-meows279").state()).isEqualTo(ClusterState.PENDING);
    assertThatThrownBy(() -> clusters.get("nope")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Cluster nope does not exist");
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=0923-164208-meows279");
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=nope");
  }

  @Test
  void createsFromASpec() throws Exception {
    ws.enqueue(200, "{\"cluster_id\":\"1202-211320-brick1\"}");

    String id = clusters.create(ClusterSpec.of("alice-dev", "15.4.x-scala2.12", "i3.xlarge", 2)
        .withAutoterminationMinutes(30).withSparkConf(Map.of("spark.sql.shuffle.partitions", "8")));

    assertThat(id).isEqualTo("1202-211320-brick1");
    ws.takePost("/api/2.0/clusters/create", "{\"cluster_name\":\"alice-dev\",\"spark_version\":\"15.4.x-scala2.12\","
        + "\"node_type_id\":\"i3.xlarge\",\"num_workers\":2,\"autotermination_minutes\":30,"
        + "\"spark_conf\":{\"spark.sql.shuffle.partitions\":\"8\"}}");
  }

  @Test
  void aCreateIsNotRepeatedAfterA503() throws Exception {
    ws.enqueue(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"later\"}");
    assertThatThrownBy(() -> clusters.create(ClusterSpec.of("a", "15.4.x-scala2.12", "i3.xlarge", 0)))
        .hasMessageContaining("not safe to repeat");
    assertThat(ws.requestCount()).isEqualTo(1);
    assertThat(ws.test.sleeps).isEmpty();
  }

  @Test
  void ensureRunningStartsATerminatedClusterAndReportsEachChange() throws Exception {
    ws.enqueue(200, cluster("TERMINATED", "Inactive cluster terminated"));
    ws.enqueue(200, "{}");
    ws.enqueue(200, cluster("PENDING", "Finding instances"));
    ws.enqueue(200, cluster("PENDING", "Finding instances"));
    ws.enqueue(200, cluster("PENDING", "Installing libraries"));
    ws.enqueue(200, cluster("RUNNING", ""));

    Cluster c = clusters.ensureRunning("0923-164208-meows279", Duration.ofMinutes(20), this::record);

    assertThat(c.state()).isEqualTo(ClusterState.RUNNING);
    assertThat(progress).containsExactly("TERMINATED@0 Inactive cluster terminated", "PENDING@0 Finding instances",
        "PENDING@3 Installing libraries", "RUNNING@7");
    // polls wait 1, 2, 4 s (up to 10 s)
    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=0923-164208-meows279");
    ws.takePost("/api/2.0/clusters/start", "{\"cluster_id\":\"0923-164208-meows279\"}");
    for (int i = 0; i < 4; i++) {
      ws.take("GET", "/api/2.0/clusters/get?cluster_id=0923-164208-meows279");
    }
  }

  @Test
  void ensureRunningOnARunningClusterMakesOneCall() throws Exception {
    ws.enqueue(200, cluster("RUNNING", ""));
    assertThat(clusters.ensureRunning("0923-164208-meows279", Duration.ofMinutes(1), this::record).state())
        .isEqualTo(ClusterState.RUNNING);
    assertThat(progress).containsExactly("RUNNING@0");
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aStartThatClashesWithAnotherStartWaitsForIt() throws Exception {
    ws.enqueue(200, cluster("TERMINATED", ""));
    ws.enqueue(400, "{\"error_code\":\"INVALID_STATE\",\"message\":\"Cluster 0923-164208-meows279 is in unexpected"
        + " state Pending.\"}");
    ws.enqueue(200, cluster("RUNNING", ""));

    assertThat(clusters.ensureRunning("0923-164208-meows279", Duration.ofMinutes(1), this::record).state())
        .isEqualTo(ClusterState.RUNNING);
    assertThat(ws.requestCount()).isEqualTo(3);
  }

  @Test
  void failsWithTheTerminationReasonWhenTheClusterStops() throws Exception {
    ws.enqueue(200, cluster("PENDING", ""));
    ws.enqueue(200, "{\"cluster_id\":\"0923-164208-meows279\",\"cluster_name\":\"shared\",\"state\":\"TERMINATED\","
        + "\"state_message\":\"Cloud provider launch failure\",\"termination_reason\":{\"code\":"
        + "\"CLOUD_PROVIDER_LAUNCH_FAILURE\",\"type\":\"CLOUD_FAILURE\",\"parameters\":{\"databricks_error_message\":"
        + "\"InsufficientInstanceCapacity\"}}}");

    assertThatThrownBy(() -> clusters.awaitRunning("0923-164208-meows279", Duration.ofMinutes(20), this::record))
        .isExactlyInstanceOf(ConnectorException.class)
        .hasMessageContaining("shared (0923-164208-meows279) is TERMINATED instead of starting")
        .hasMessageContaining("CLOUD_PROVIDER_LAUNCH_FAILURE (CLOUD_FAILURE): databricks_error_message="
            + "InsufficientInstanceCapacity")
        .hasMessageContaining("Cloud provider launch failure");
    assertThat(progress).containsExactly("PENDING@0", "TERMINATED@1 Cloud provider launch failure");
  }

  @Test
  void failsOnError() throws Exception {
    ws.enqueue(200, cluster("ERROR", "Driver is unresponsive"));
    assertThatThrownBy(() -> clusters.ensureRunning("0923-164208-meows279", Duration.ofMinutes(20), this::record))
        .hasMessageContaining("is ERROR instead of starting").hasMessageContaining("Driver is unresponsive");
    assertThat(ws.requestCount()).as("an ERROR cluster is not started").isEqualTo(1);
    ws.take("GET", "/api/2.0/clusters/get?cluster_id=0923-164208-meows279");
  }

  @Test
  void givesUpAtTheTimeoutOnTheInjectedClock() throws Exception {
    for (int i = 0; i < 10; i++) {
      ws.enqueue(200, cluster("PENDING", ""));
    }
    assertThatThrownBy(() -> clusters.awaitRunning("0923-164208-meows279", Duration.ofSeconds(20), this::record))
        .hasMessageContaining("is still PENDING after 20 s").hasMessageContaining("clusterStartTimeoutSeconds");
    // 1 + 2 + 4 + 8, then the 5 s that are left
    assertThat(ws.test.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8), Duration.ofSeconds(5));
    assertThat(progress).containsExactly("PENDING@0");
  }

  @Test
  void anInterruptedWaitThrowsInterruptedException() throws Exception {
    ws.enqueue(200, cluster("PENDING", ""));
    ws.test.interruptNextSleep.set(true);
    assertThatThrownBy(() -> clusters.awaitRunning("0923-164208-meows279", Duration.ofMinutes(1), this::record))
        .isInstanceOf(InterruptedException.class);
    assertThat(ws.requestCount()).isEqualTo(1);
  }

  @Test
  void aClusterIdIsRequired() {
    assertThatThrownBy(() -> clusters.get(" ")).hasMessageContaining("clusterId: no cluster id given");
    assertThat(ws.requestCount()).isZero();
  }
}
