package io.prophecy.sdk.git.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.ConflictException;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.NotFoundException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.model.Secret;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * The HTTP side every provider client shares: one OkHttp client with the user agent, the provider's
 * authentication and the bounded retry of throttled GETs as interceptors, and the mapping of answers to
 * the SDK's exceptions. Not API.
 */
final class ProviderHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String USER_AGENT = "prophecy-java-sdk/" + Prophecy.version() + " java/" + System.getProperty("java.version");
  /** Set by the retry interceptor on a throttled answer it gave up on: why. Never sent to the provider. */
  static final String NOT_RETRIED_HEADER = "X-Prophecy-Sdk-Not-Retried";

  private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  /** A successful answer: status, headers and the body as JSON (a missing node when empty). */
  record Answer(int code, okhttp3.Headers headers, JsonNode json) {}

  /**
   * A provider's reading of an error answer before the general mapping, e.g. GitLab's 400 "has already
   * been taken" is a conflict. Returns null to leave the answer to the general mapping.
   */
  interface ErrorReader {
    ProphecyException read(int code, String message, String operation);
  }

  private final ProviderKind kind;
  private final String host;
  private final Secret token;
  private final OkHttpClient client;
  private final ErrorReader errorReader;
  private final ClientOptions options;
  private final Predicate<Response> throttledTest;

  /**
   * @param kind the provider
   * @param host the provider's host as users know it (the vault key), for messages
   * @param apiRoots the URLs whose host and port the authentication headers may be sent to; a redirect
   *     elsewhere gets none
   * @param authHeaders the headers that authenticate a request (name to value)
   * @param extraHeaders headers every request carries (Accept, API version)
   * @param throttled which answers are throttling (429 and 503, plus what the provider adds)
   */
  ProviderHttp(ProviderKind kind, String host, List<HttpUrl> apiRoots, Secret token, Map<String, String> authHeaders,
      Map<String, String> extraHeaders, Predicate<Response> throttled, ErrorReader errorReader,
      ClientOptions options) {
    this.kind = kind;
    this.host = host;
    this.token = token;
    this.errorReader = errorReader;
    this.options = options;
    List<String> allowed = apiRoots.stream().map(ProviderHttp::origin).toList();
    Interceptor common = chain -> {
      Request.Builder b = chain.request().newBuilder().header("User-Agent", USER_AGENT);
      extraHeaders.forEach(b::header);
      return chain.proceed(b.build());
    };
    // A network interceptor sees every hop, so a redirect to another host never carries the token
    // (OkHttp strips only "Authorization" on such redirects, not PRIVATE-TOKEN).
    Interceptor auth = chain -> {
      Request r = chain.request();
      if (!allowed.contains(origin(r.url()))) {
        LOG.debug("{}: not sending the token to {}, which is not an API host of {}", kind.id(), r.url().host(), host);
        return chain.proceed(r);
      }
      Request.Builder b = r.newBuilder();
      authHeaders.forEach(b::header);
      return chain.proceed(b.build());
    };
    Interceptor retry = chain -> {
      long started = System.nanoTime();
      Request r = chain.request();
      Response resp = chain.proceed(r);
      boolean safe = r.method().equals("GET") || r.method().equals("HEAD");
      int retries = 0;
      String notRetried = null;
      while (safe && throttled.test(resp)) {
        if (retries >= options.maxRetries()) {
          notRetried = retries == 0 ? "not retried (ClientOptions.maxRetries is 0)"
              : "still throttled after " + retries + " retries";
          break;
        }
        Duration wait = retryAfter(resp, Clock.systemUTC()).orElse(Duration.ofSeconds(1L << retries));
        if (wait.compareTo(options.maxRetryWait()) > 0) {
          notRetried = "not retried, since the wait is longer than ClientOptions.maxRetryWait ("
              + options.maxRetryWait().toSeconds() + " s)";
          break;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (elapsed.plus(wait).compareTo(options.callTimeout()) >= 0) {
          notRetried = "not retried, since the wait would pass ClientOptions.callTimeout ("
              + options.callTimeout().toSeconds() + " s)";
          break;
        }
        LOG.warn("{} at {} throttled {} {} (HTTP {}); retry {} of {} in {} ms", kind.displayName(), host, r.method(),
            r.url().encodedPath(), resp.code(), retries + 1, options.maxRetries(), wait.toMillis());
        resp.close();
        try {
          options.sleeper().sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to retry");
        }
        retries++;
        resp = chain.proceed(r);
      }
      return notRetried == null ? resp : resp.newBuilder().header(NOT_RETRIED_HEADER, notRetried).build();
    };
    this.client = new OkHttpClient.Builder()
        .connectTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .addInterceptor(common)
        .addInterceptor(retry)
        .addNetworkInterceptor(auth)
        .build();
    this.throttledTest = throttled;
  }

  private static String origin(HttpUrl url) {
    return url.scheme() + "://" + url.host().toLowerCase(Locale.ROOT) + ":" + url.port();
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  Answer get(HttpUrl url, String operation) {
    return call(new Request.Builder().url(url).get().build(), operation);
  }

  Answer post(HttpUrl url, JsonNode body, String operation) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
    return call(new Request.Builder().url(url).post(RequestBody.create(text, JSON_TYPE)).build(), operation);
  }

  private Answer call(Request request, String operation) {
    long start = System.nanoTime();
    String what = request.method() + " " + request.url().encodedPath();
    try (Response resp = client.newCall(request).execute()) {
      String text = resp.body().string();
      LOG.debug("{} {} -> {} in {} ms", kind.id(), what, resp.code(), (System.nanoTime() - start) / 1_000_000);
      if (resp.isSuccessful() && !throttledTest.test(resp)) {
        ProphecyException read = errorReader.read(resp.code(), null, operation);
        if (read != null) {
          throw read;
        }
        return new Answer(resp.code(), resp.headers(), parse(text, resp, operation));
      }
      throw mapError(request, resp, text, operation);
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(what, operation, e);
      }
      throw new ConnectorException(kind.id(), kind.displayName() + " at " + host + " did not answer " + what + " ("
          + operation + ") in time: " + describeTimeout(e) + ". Try again, or raise the timeouts in ClientOptions.", e);
    } catch (IOException e) {
      throw new ConnectorException(kind.id(), kind.displayName() + " at " + host + " could not be reached for " + what
          + " (" + operation + "): " + scrub(String.valueOf(e.getMessage())) + ". Check the base URL and the network.", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // OkHttp (Kotlin) can let a checked InterruptedException out of execute() on an interrupted thread
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw interrupted(what, operation, e);
      }
      throw new ConnectorException(kind.id(), kind.displayName() + " at " + host + ": " + what + " (" + operation
          + ") failed: " + scrub(String.valueOf(e.getMessage())), e);
    }
  }

  /** The calling thread was interrupted: the call stopped; the thread's interrupt flag stays set. */
  private ConnectorException interrupted(String what, String operation, Exception cause) {
    return new ConnectorException(kind.id(), kind.displayName() + " at " + host + ": " + what + " (" + operation
        + ") was interrupted; the thread's interrupt flag is kept", cause);
  }

  private String describeTimeout(IOException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.toLowerCase(Locale.ROOT).contains("connect")) {
      return "no connection within the connect timeout of " + options.connectTimeout().toMillis() + " ms";
    }
    return "no answer within the read timeout of " + options.readTimeout().toMillis() + " ms (call timeout "
        + options.callTimeout().toMillis() + " ms)";
  }

  private JsonNode parse(String text, Response resp, String operation) {
    if (text.isBlank()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConnectorException(kind.id(), kind.displayName() + " at " + host + " answered " + operation
          + " with HTTP " + resp.code() + " but not JSON (Content-Type " + resp.header("Content-Type")
          + "); check that the base URL points at the provider's API");
    }
  }

  private ProphecyException mapError(Request request, Response resp, String text, String operation) {
    int code = resp.code();
    String message = scrub(errorMessage(text));
    String shown = message.isEmpty() ? "" : ": " + message;
    String where = kind.displayName() + " at " + host;
    String what = request.method() + " " + request.url().encodedPath();
    if (throttledTest.test(resp)) {
      Optional<Duration> after = retryAfter(resp, Clock.systemUTC());
      String wait = after.map(d -> "; it asks to wait " + Math.max(1, (d.toMillis() + 999) / 1000) + " s")
          .orElse("");
      boolean safe = request.method().equals("GET") || request.method().equals("HEAD");
      String why = !safe ? "not retried, since " + operation + " is not safe to repeat"
          : resp.header(NOT_RETRIED_HEADER) != null ? resp.header(NOT_RETRIED_HEADER) : "not retried";
      return new ConnectorException(kind.id(), where + " is " + (code == 503 ? "unavailable" : "throttling requests")
          + " (HTTP " + code + shown + ") for " + what + " (" + operation + "); " + why + wait + ". Try again later.");
    }
    ProphecyException special = errorReader.read(code, message, operation);
    if (special != null) {
      return special;
    }
    switch (code) {
      case 401:
        return new PermissionDeniedException(where + " did not accept the token for " + operation + " (HTTP 401" + shown
            + "): it is wrong, expired or revoked. Store a new personal access token for " + host + ".");
      case 403:
        return new PermissionDeniedException(where + " refused " + operation + " (HTTP 403" + shown
            + "): the token is valid but lacks the permission or scope this needs, or the account may not do it.");
      case 404:
        return new NotFoundException(where + ": not found for " + operation + " (HTTP 404" + shown + " on " + what
            + "). Check the names, and that the token may see them.");
      case 409:
        return new ConflictException(where + ": " + operation + " conflicts with what exists (HTTP 409" + shown + ").");
      default:
        if (code >= 400 && code < 500) {
          return new InvalidInputException(kind.id() + ".request", where + " rejected " + operation + " (HTTP " + code
              + shown + ").");
        }
        return new ConnectorException(kind.id(), where + " failed " + operation + " (HTTP " + code + shown + " on "
            + what + "). Try again later.");
    }
  }

  /** Removes the token from text a provider sent back, should it ever echo it. */
  String scrub(String text) {
    if (text == null) {
      return "";
    }
    String t = token.reveal();
    return t.isEmpty() ? text : text.replace(t, "****");
  }

  /** The human message of a provider's error body, whichever of the usual shapes it has. */
  static String errorMessage(String text) {
    if (text == null || text.isBlank()) {
      return "";
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    collect(root, parts);
    return String.join("; ", parts.stream().distinct().toList());
  }

  private static void collect(JsonNode node, List<String> parts) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isTextual()) {
      parts.add(node.asText());
      return;
    }
    if (node.isArray()) {
      node.forEach(n -> collect(n, parts));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode message = node.get("message");
    if (message != null && message.isObject()) {
      // GitLab validation errors: {"message": {"name": ["has already been taken"]}}
      Iterator<Map.Entry<String, JsonNode>> fields = message.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        List<String> inner = new ArrayList<>();
        collect(f.getValue(), inner);
        inner.forEach(i -> parts.add(f.getKey() + " " + i));
      }
    } else {
      collect(message, parts);
    }
    JsonNode error = node.get("error");
    if (error != null && error.isObject()) {
      collect(error, parts);
    } else if (error != null && error.isTextual()) {
      parts.add(error.asText());
    }
    collect(node.get("error_description"), parts);
    JsonNode errors = node.get("errors");
    if (errors != null && errors.isArray()) {
      for (JsonNode e : errors) {
        if (e.hasNonNull("message")) {
          parts.add(e.get("message").asText());
        } else if (e.hasNonNull("code")) {
          parts.add((e.hasNonNull("field") ? e.get("field").asText() + " " : "") + e.get("code").asText());
        } else {
          collect(e, parts);
        }
      }
    }
  }

  /** The wait a {@code Retry-After} header asks for: delta seconds or an HTTP date. */
  static Optional<Duration> retryAfter(Response resp, Clock clock) {
    String v = resp.header("Retry-After");
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    v = v.trim();
    try {
      long seconds = Long.parseLong(v);
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
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

  /** 429 or 503: the throttling answers of every provider. */
  static boolean throttledStatus(Response r) {
    return r.code() == 429 || r.code() == 503;
  }

  ProviderKind kind() {
    return kind;
  }

  String host() {
    return host;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "ProviderHttp[" + kind.id() + " at " + host + "]";
  }
}
