package io.prophecy.sdk.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A workspace with one running cluster that plays the Command Execution API 1.2 on a simulated clock: a
 * command whose text is {@code # runs for <ISO-8601 duration>} reports Running until that much simulated
 * time has passed since its {@code commands/execute}, then Finished with a text result. The clock moves only
 * when the client sleeps ({@link SimulatedClock#sleep}), so a five-minute command takes the real time of its
 * HTTP calls only. Every request's method, path, query, token and body is checked; what is wrong goes to
 * {@link #problems}, which the benchmark's tear-down fails on.
 */
final class SimulatedCommandApi extends Dispatcher {
  static final String CLUSTER = "1201-120000-polling1";
  static final String CONTEXT = "4000000000000000001";
  static final String PREFIX = "# runs for ";

  final List<String> problems = new CopyOnWriteArrayList<>();
  private final SimulatedClock clock;
  private final String authorization;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Long> finishAt = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong statusReads = new AtomicLong();
  private volatile boolean contextOpen;

  SimulatedCommandApi(SimulatedClock clock, String token) {
    this.clock = clock;
    this.authorization = "Bearer " + token;
  }

  /** The {@code commands/status} reads answered so far. */
  long statusReads() {
    return statusReads.get();
  }

  /** Commands started and not yet seen Finished. */
  int running() {
    return finishAt.size();
  }

  @Override
  public MockResponse dispatch(RecordedRequest r) {
    if (!authorization.equals(r.getHeaders().get("Authorization"))) {
      problem(r, "Authorization is not the token's");
    }
    try {
      switch (r.getMethod() + " " + r.getUrl().encodedPath()) {
        case "GET /api/2.0/clusters/get":
          query(r, "cluster_id", CLUSTER);
          return ok("{\"cluster_id\":\"" + CLUSTER + "\",\"cluster_name\":\"polling\",\"state\":\"RUNNING\","
              + "\"state_message\":\"\"}");
        case "POST /api/1.2/contexts/create":
          body(r, "clusterId", CLUSTER, "language", "python");
          contextOpen = true;
          return ok("{\"id\":\"" + CONTEXT + "\"}");
        case "GET /api/1.2/contexts/status":
          query(r, "clusterId", CLUSTER);
          query(r, "contextId", CONTEXT);
          return ok("{\"id\":\"" + CONTEXT + "\",\"status\":\"Running\"}");
        case "POST /api/1.2/commands/execute": {
          JsonNode b = body(r, "clusterId", CLUSTER, "contextId", CONTEXT, "language", "python");
          String text = b.path("command").asText();
          if (!contextOpen || !text.startsWith(PREFIX)) {
            problem(r, "execute in a closed context or of an unknown command: " + text);
            return error(400, "INVALID_PARAMETER_VALUE");
          }
          String id = "cmd-" + ids.incrementAndGet();
          finishAt.put(id, clock.nanos() + Duration.parse(text.substring(PREFIX.length())).toNanos());
          return ok("{\"id\":\"" + id + "\"}");
        }
        case "GET /api/1.2/commands/status": {
          statusReads.incrementAndGet();
          query(r, "clusterId", CLUSTER);
          query(r, "contextId", CONTEXT);
          String id = r.getUrl().queryParameter("commandId");
          Long end = id == null ? null : finishAt.get(id);
          if (end == null) {
            problem(r, "status of an unknown or finished command");
            return error(404, "RESOURCE_DOES_NOT_EXIST");
          }
          if (clock.nanos() < end) {
            return ok("{\"id\":\"" + id + "\",\"status\":\"Running\"}");
          }
          finishAt.remove(id);
          return ok("{\"id\":\"" + id + "\",\"status\":\"Finished\",\"results\":{\"resultType\":\"text\","
              + "\"data\":\"done\"}}");
        }
        case "POST /api/1.2/contexts/destroy":
          body(r, "clusterId", CLUSTER, "contextId", CONTEXT);
          contextOpen = false;
          return ok("{\"id\":\"" + CONTEXT + "\"}");
        default:
          problem(r, "unexpected call");
          return error(404, "ENDPOINT_NOT_FOUND");
      }
    } catch (Exception e) {
      problem(r, e.toString());
      return error(500, "INTERNAL_ERROR");
    }
  }

  private void query(RecordedRequest r, String name, String expected) {
    if (!expected.equals(r.getUrl().queryParameter(name))) {
      problem(r, "query " + name + " is " + r.getUrl().queryParameter(name));
    }
  }

  /** Reads the JSON body and checks the given fields (name, value, ...). */
  private JsonNode body(RecordedRequest r, String... expected) throws Exception {
    JsonNode b = json.readTree(r.getBody().utf8());
    for (int i = 0; i < expected.length; i += 2) {
      if (!expected[i + 1].equals(b.path(expected[i]).asText(null))) {
        problem(r, expected[i] + " is " + b.path(expected[i]));
      }
    }
    return b;
  }

  private void problem(RecordedRequest r, String what) {
    if (problems.size() < 20) {
      problems.add(r.getMethod() + " " + r.getTarget() + ": " + what);
    }
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse error(int code, String errorCode) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .body("{\"error_code\":\"" + errorCode + "\",\"message\":\"the simulated workspace refused this\"}").build();
  }

  /** A clock that stands still until {@link #sleep} moves it; shared by the client and the dispatcher. */
  static final class SimulatedClock extends Clock {
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong();

    /** Simulated nanoseconds since the start. */
    long nanos() {
      return nanos.get();
    }

    /** The connector's sleeper: moves the clock on by the wait, at once. */
    void sleep(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    @Override
    public Instant instant() {
      return START.plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the simulated clock is UTC");
    }
  }
}
