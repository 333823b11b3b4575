package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one connection: one OkHttp client whose interceptors send the user agent, the
 * authorization (only to the workspace's own origin) and retry what may be retried; and the mapping of
 * Databricks' answers, in both error shapes ({@code error_code}/{@code message} and API 1.2's
 * {@code error}), to the SDK's exceptions.
 *
 * <p>What is retried, up to {@link DatabricksSettings#maxRetries()} times, waiting as {@code Retry-After}
 * asks (seconds or an HTTP date) or else 1, 2, 4... seconds, never longer than
 * {@link DatabricksSettings#maxRetryWait()}:
 *
 * <ul>
 *   <li>HTTP 429, on every call: Databricks refused it before doing anything;
 *   <li>a "cluster not ready" answer ({@code ClusterNotReadyException}), on every call: nothing was done;
 *   <li>HTTP 503 and a connection lost after the request may have been sent, only on calls that are
 *       {@link Repeat#SAFE} to repeat (reads, start, cancel, destroy, and a POST carrying an
 *       {@code idempotency_token});
 *   <li>a connection that could not be opened ({@link ConnectException}), on every call: nothing was sent.
 * </ul>
 *
 * <p>A read timeout is never retried: it is reported with the timeout's value.
 */
public final class DatabricksHttp implements AutoCloseable {
  /** Floats read as BigDecimal, so that decimal columns keep every digit; doubles are taken from them. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Logger LOG = LoggerFactory.getLogger(DatabricksHttp.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final String KIND = DatabricksFabricProvider.KIND;
  /** Set on an answer the retry interceptor gave up on, saying why; never sent to Databricks. */
  private static final String NOT_RETRIED = "X-Prophecy-Sdk-Not-Retried";

  /** Whether a call may be sent again when it is not known whether Databricks received it. */
  public enum Repeat {
    /** Repeating it does no harm: a read, or a call whose second time changes nothing. */
    SAFE,
    /** A second time would do it twice (create a context, run a command, create a cluster). */
    NOT_SAFE
  }

  /** What a request is, carried as its tag to the retry interceptor. */
  record Call(String operation, Repeat repeat) {}

  /** The {@code Authorization} value of one attempt, carried as a tag from the renewing interceptor to the network one. */
  record SentAuthorization(String value) {
    @Override
    public String toString() {
      return "SentAuthorization[****]";
    }
  }

  private final HttpUrl workspace;
  private final DatabricksAuth auth;
  private final DatabricksSettings settings;
  private final Platform.Sleeper sleeper;
  private final Clock clock;
  private final OkHttpClient client;

  public DatabricksHttp(DatabricksSettings settings, DatabricksAuth auth, String userAgent, Platform.Sleeper sleeper,
      Clock clock) {
    this.workspace = settings.workspace();
    this.auth = auth;
    this.settings = settings;
    this.sleeper = sleeper;
    this.clock = clock;
    String origin = origin(workspace);
    Interceptor agent = chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent)
        .header("Accept", "application/json").build());
    // The authorization is had once per attempt, before a connection is taken (it may ask for a token
    // first); a 401 from the workspace renews it once, when the auth can, and sends the request again.
    Interceptor renewing = chain -> {
      Request r = chain.request();
      SentAuthorization sent = new SentAuthorization(auth.authorization());
      Response resp = chain.proceed(r.newBuilder().tag(SentAuthorization.class, sent).build());
      if (resp.code() != 401 || !origin(resp.request().url()).equals(origin) || !auth.renew(sent.value())) {
        return resp;
      }
      resp.close();
      LOG.debug("databricks {} {}: the {} was refused (HTTP 401) and renewed; sending once more", r.method(),
          r.url().encodedPath(), auth.description());
      return chain.proceed(r.newBuilder().tag(SentAuthorization.class, new SentAuthorization(auth.authorization()))
          .build());
    };
    // A network interceptor sees every hop: a redirect to another origin never carries the token.
    Interceptor authorization = chain -> {
      Request r = chain.request();
      if (!origin(r.url()).equals(origin)) {
        LOG.debug("databricks: not sending the {} to {}, which is not the workspace", auth.description(),
            r.url().host());
        return chain.proceed(r);
      }
      SentAuthorization sent = r.tag(SentAuthorization.class);
      return chain.proceed(r.newBuilder().header("Authorization", sent.value()).build());
    };
    this.client = new OkHttpClient.Builder()
        .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        // the retry interceptor decides; OkHttp's own silent retry would repeat calls that are not safe
        .retryOnConnectionFailure(false)
        // idle connections are dropped before a proxy or load balancer is likely to close them, since a
        // call that is not safe to repeat is not retried on a connection found closed
        .connectionPool(new okhttp3.ConnectionPool(5, 30, TimeUnit.SECONDS))
        .addInterceptor(agent)
        .addInterceptor(this::retry)
        .addInterceptor(renewing)
        .addNetworkInterceptor(authorization)
        .build();
  }

  private static String origin(HttpUrl url) {
    return url.scheme() + "://" + url.host().toLowerCase(Locale.ROOT) + ":" + url.port();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The workspace URL. */
  public HttpUrl workspace() {
    return workspace;
  }

  /**
   * A GET, always safe to repeat.
   *
   * @param query names and values of the query parameters, in order
   */
  public JsonNode get(String path, String operation, String... query) {
    HttpUrl.Builder url = url(path);
    for (int i = 0; i + 1 < query.length; i += 2) {
      url.addQueryParameter(query[i], query[i + 1]);
    }
    return execute(new Request.Builder().url(url.build()).get().tag(Call.class, new Call(operation, Repeat.SAFE))
        .build());
  }

  /**
   * A POST of a JSON body. A body carrying an {@code idempotency_token} (Jobs {@code run-now} and
   * {@code runs/submit}) is {@link Repeat#SAFE} to repeat whatever {@code repeat} says: Databricks starts
   * no second run for a token it has seen.
   */
  public JsonNode post(String path, JsonNode body, String operation, Repeat repeat) {
    return send("POST", path, body, operation, hasIdempotencyToken(body) ? Repeat.SAFE : repeat);
  }

  /** A PATCH of a JSON body (such as {@code /api/2.0/permissions/...}). */
  public JsonNode patch(String path, JsonNode body, String operation, Repeat repeat) {
    return send("PATCH", path, body, operation, repeat);
  }

  /** Whether a body carries a non-empty {@code idempotency_token}, which makes repeating it safe. */
  static boolean hasIdempotencyToken(JsonNode body) {
    JsonNode token = body == null ? null : body.get("idempotency_token");
    return token != null && token.isTextual() && !token.asText().isBlank();
  }

  private JsonNode send(String method, String path, JsonNode body, String operation, Repeat repeat) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the body of " + operation, e);
    }
    return execute(new Request.Builder().url(url(path).build()).method(method, RequestBody.create(text, JSON_TYPE))
        .tag(Call.class, new Call(operation, repeat)).build());
  }

  private HttpUrl.Builder url(String path) {
    return workspace.newBuilder().encodedPath(path);
  }

  private JsonNode execute(Request request) {
    Call call = request.tag(Call.class);
    String what = request.method() + " " + request.url().encodedPath();
    long start = System.nanoTime();
    try (Response resp = client.newCall(request).execute()) {
      String text = resp.body().string();
      LOG.debug("databricks {} ({}) -> HTTP {} in {} ms", what, call.operation(), resp.code(),
          (System.nanoTime() - start) / 1_000_000);
      if (!resp.isSuccessful()) {
        throw mapError(request, resp, text, call);
      }
      return parse(text, resp, call);
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new InterruptedCallException("interrupted during " + what + " (" + call.operation() + ") at "
            + workspace.host(), e);
      }
      throw new ConnectorException(KIND, "Databricks at " + workspace.host() + " did not answer " + what + " ("
          + call.operation() + ") in time: " + describeTimeout(e) + ". Try again, or raise the fabric setting "
          + DatabricksFabricProvider.READ_TIMEOUT_SECONDS + " or " + DatabricksFabricProvider.CONNECT_TIMEOUT_SECONDS
          + ".", e);
    } catch (IOException e) {
      throw new ConnectorException(KIND, "Databricks at " + workspace.host() + " could not be reached for " + what
          + " (" + call.operation() + "): " + scrub(String.valueOf(e.getMessage())) + notRetriedConnection(call, e)
          + ". Check the workspace URL and the network.", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // OkHttp (Kotlin) lets a checked InterruptedException out of execute() when the thread is interrupted
      // while it waits for a connection; it is declared nowhere, so it is caught here by its supertype
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new InterruptedCallException("interrupted during " + what + " (" + call.operation() + ") at "
            + workspace.host(), e);
      }
      throw new ConnectorException(KIND, "Databricks at " + workspace.host() + ": " + what + " (" + call.operation()
          + ") failed: " + scrub(String.valueOf(e.getMessage())), e);
    }
  }

  private String notRetriedConnection(Call call, IOException e) {
    if (call.repeat() == Repeat.NOT_SAFE && !(e instanceof ConnectException)) {
      return "; not retried, since the request may have reached Databricks and " + call.operation()
          + " is not safe to repeat";
    }
    return settings.maxRetries() == 0 ? "" : "; still failing after " + settings.maxRetries() + " retries";
  }

  private String describeTimeout(IOException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("connect")) {
      return "no connection within " + settings.connectTimeout().toSeconds() + " s";
    }
    return "no answer within " + settings.readTimeout().toMillis() + " ms";
  }

  private JsonNode parse(String text, Response resp, Call call) {
    if (text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConnectorException(KIND, "Databricks at " + workspace.host() + " answered " + call.operation()
          + " with HTTP " + resp.code() + " but not JSON (Content-Type " + resp.header("Content-Type")
          + "); check that the workspace URL points at a Databricks workspace");
    }
  }

  // ---------------------------------------------------------------- retries

  private Response retry(Interceptor.Chain chain) throws IOException {
    Request request = chain.request();
    Call call = request.tag(Call.class);
    int retries = 0;
    while (true) {
      Response resp;
      String reason;
      Optional<Duration> asked = Optional.empty();
      try {
        resp = chain.proceed(request);
      } catch (InterruptedIOException e) {
        throw e; // a timeout or an interrupt: reported, never repeated
      } catch (IOException e) {
        if (!(e instanceof ConnectException) && call.repeat() == Repeat.NOT_SAFE) {
          throw e;
        }
        if (retries >= settings.maxRetries()) {
          throw e;
        }
        reason = "the connection failed (" + e.getClass().getSimpleName() + ")";
        sleepBeforeRetry(call, request, reason, backoff(retries), retries);
        retries++;
        continue;
      }
      reason = retryReason(resp, call);
      if (reason == null) {
        return resp;
      }
      asked = retryAfter(resp.header("Retry-After"), clock);
      Duration wait = asked.orElse(backoff(retries));
      String giveUp = null;
      if (retries >= settings.maxRetries()) {
        giveUp = retries == 0 ? "not retried, since the fabric setting " + DatabricksFabricProvider.MAX_RETRIES
            + " is 0" : "still refused after " + retries + " retries";
      } else if (wait.compareTo(settings.maxRetryWait()) > 0) {
        giveUp = "not retried, since Databricks asks to wait " + wait.toSeconds() + " s, longer than the fabric"
            + " setting " + DatabricksFabricProvider.MAX_RETRY_WAIT_SECONDS + " (" + settings.maxRetryWait().toSeconds()
            + " s)";
      }
      if (giveUp != null) {
        return resp.newBuilder().header(NOT_RETRIED, giveUp).build();
      }
      resp.close();
      sleepBeforeRetry(call, request, reason, wait, retries);
      retries++;
    }
  }

  private void sleepBeforeRetry(Call call, Request request, String reason, Duration wait, int retries)
      throws InterruptedIOException {
    LOG.warn("databricks {} {} ({}): {}; retry {} of {} in {} ms", request.method(), request.url().encodedPath(),
        call.operation(), reason, retries + 1, settings.maxRetries(), wait.toMillis());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted while waiting to retry");
      io.initCause(e);
      throw io;
    }
  }

  /** Why an answer is worth sending the request again, or null when it is not. */
  private static String retryReason(Response resp, Call call) throws IOException {
    int code = resp.code();
    if (code == 429) {
      return "throttled (HTTP 429)";
    }
    if (code == 503 && call.repeat() == Repeat.SAFE) {
      return "unavailable (HTTP 503)";
    }
    if (!resp.isSuccessful() && isClusterNotReady(resp.peekBody(64 * 1024).string())) {
      return "the cluster is not ready (HTTP " + code + ")";
    }
    return null;
  }

  static boolean isClusterNotReady(String body) {
    return body != null && body.contains("ClusterNotReadyException");
  }

  private static Duration backoff(int retries) {
    return Duration.ofSeconds(1L << Math.min(retries, 5));
  }

  /** The wait a {@code Retry-After} header asks for: delta seconds or an HTTP date. */
  static Optional<Duration> retryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  // ---------------------------------------------------------------- errors

  /** The error of an answer: Databricks' code (may be empty) and message. */
  record ErrorBody(String code, String message) {}

  static ErrorBody errorBody(String text) {
    if (text == null || text.isBlank()) {
      return new ErrorBody("", "");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new ErrorBody("", "");
    }
    if (root == null || !root.isObject()) {
      return new ErrorBody("", "");
    }
    String code = root.path("error_code").asText("");
    String message = root.path("message").asText("");
    JsonNode error = root.get("error");
    if (message.isEmpty() && error != null) {
      message = error.isTextual() ? error.asText() : error.toString(); // API 1.2: {"error": "..."}
    }
    return new ErrorBody(code, message);
  }

  private ProphecyException mapError(Request request, Response resp, String text, Call call) {
    int code = resp.code();
    ErrorBody body = errorBody(text);
    String message = scrub(body.message());
    String shown = " (HTTP " + code + (body.code().isEmpty() ? "" : " " + body.code())
        + (message.isEmpty() ? "" : ": " + firstLines(message)) + ")";
    String where = "Databricks at " + workspace.host();
    String what = request.method() + " " + request.url().encodedPath();
    String op = call.operation();
    String notRetried = resp.header(NOT_RETRIED);
    if (code == 429 || code == 503) {
      String why = notRetried != null ? notRetried
          : "not retried, since " + op + " is not safe to repeat when Databricks may have received it";
      String wait = retryAfter(resp.header("Retry-After"), clock)
          .map(d -> "; it asks to wait " + Math.max(1, (d.toMillis() + 999) / 1000) + " s").orElse("");
      return new ConnectorException(KIND, where + " is " + (code == 503 ? "unavailable" : "throttling requests")
          + shown + " for " + what + " (" + op + "); " + why + wait + ". Try again later.");
    }
    if (isClusterNotReady(text)) {
      return new ConnectorException(KIND, where + ": the cluster is not ready for " + op + shown
          + (notRetried == null ? "" : "; " + notRetried) + ". Wait until it is RUNNING and try again.");
    }
    switch (body.code()) {
      case "PERMISSION_DENIED":
        return new PermissionDeniedException(where + " refused " + op + shown
            + ": the user lacks the permission this needs; ask a workspace admin.");
      case "RESOURCE_DOES_NOT_EXIST":
      case "NOT_FOUND":
        return new NotFoundException(where + ": not found for " + op + shown + ". Check the id, and that the user"
            + " may see it.");
      case "RESOURCE_ALREADY_EXISTS":
      case "ALREADY_EXISTS":
      case "INVALID_STATE":
      case "RESOURCE_CONFLICT":
        return new ConflictException(where + ": " + op + " clashes with the current state" + shown + ".");
      case "INVALID_PARAMETER_VALUE":
      case "MALFORMED_REQUEST":
      case "BAD_REQUEST":
        return new InvalidInputException("databricks." + op.replace(' ', '_'), where + " rejected " + op + shown
            + ".");
      case "UNAUTHENTICATED":
        return unauthenticated(where, op, shown);
      default:
        break;
    }
    switch (code) {
      case 401:
        return unauthenticated(where, op, shown);
      case 403:
        return new PermissionDeniedException(where + " refused " + op + shown
            + ": the " + auth.description() + " is valid but lacks the permission this needs.");
      case 404:
        return new NotFoundException(where + ": not found for " + op + shown + " on " + what
            + ". Check the workspace URL and the id.");
      case 409:
        return new ConflictException(where + ": " + op + " clashes with the current state" + shown + ".");
      default:
        if (code >= 400 && code < 500) {
          return new InvalidInputException("databricks." + op.replace(' ', '_'), where + " rejected " + op + shown
              + ".");
        }
        return new ConnectorException(KIND, where + " failed " + op + shown + " on " + what + ". Try again later.");
    }
  }

  private PermissionDeniedException unauthenticated(String where, String op, String shown) {
    return new PermissionDeniedException(where + " did not accept the " + auth.description() + " for " + op + shown
        + ": it is wrong, expired or revoked. Store a new one in the fabric's credentials.");
  }

  /** The first lines of a long message (a stack trace): enough to tell what went wrong. */
  private static String firstLines(String message) {
    String[] lines = message.split("\n", 4);
    String head = String.join("\n", java.util.Arrays.copyOf(lines, Math.min(3, lines.length)));
    return head.length() > 600 ? head.substring(0, 600) + "..." : head;
  }

  /** Removes the secrets of the auth from text Databricks sent back, should it ever echo them. */
  String scrub(String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (String s : auth.secrets()) {
      if (!s.isEmpty()) {
        out = out.replace(s, "****");
      }
    }
    return out;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    auth.close();
  }

  @Override
  public String toString() {
    return "DatabricksHttp[" + workspace.host() + ", " + auth.description() + "]";
  }
}
