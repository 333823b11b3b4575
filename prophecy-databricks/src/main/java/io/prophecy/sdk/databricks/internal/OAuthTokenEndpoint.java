package io.prophecy.sdk.databricks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.PermissionDeniedException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.databricks.DatabricksFabricProvider;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OAuth 2.0 token endpoint taking the client-credentials grant: Databricks' own
 * ({@code {workspace}/oidc/v1/token}) or Azure AD's ({@code {authority}/{tenant}/oauth2/v2.0/token}).
 *
 * <p>A token request is safe to repeat (it only issues a token), so HTTP 429 and 503 are retried as
 * {@code Retry-After} asks, and a failed connection after 1, 2, 4... s, up to the fabric's
 * {@code maxRetries} and {@code maxRetryWaitSeconds}. A read timeout is reported with its value. An
 * OAuth error ({@code {"error": "invalid_client", "error_description": ...}}) names the credential
 * fields to check. The client secret never reaches a message or a log line.
 */
final class OAuthTokenEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenEndpoint.class);
  private static final String KIND = DatabricksFabricProvider.KIND;
  /** Used when an answer gives no {@code expires_in}, which OAuth only recommends. */
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private final HttpUrl url;
  private final String service;
  private final String fields;
  private final List<String> secrets;
  private final DatabricksSettings settings;
  private final String userAgent;
  private final Platform.Sleeper sleeper;
  private final Clock clock;
  private final OkHttpClient client;

  /**
   * @param service what issues the tokens, for messages: {@code Databricks OAuth}, {@code Azure AD}
   * @param fields the credential fields to check when the client is refused, for messages
   * @param secrets values to scrub from anything the endpoint sends back
   */
  OAuthTokenEndpoint(HttpUrl url, String service, String fields, List<String> secrets, DatabricksSettings settings,
      String userAgent, Platform.Sleeper sleeper, Clock clock) {
    this.url = url;
    this.service = service;
    this.fields = fields;
    this.secrets = List.copyOf(secrets);
    this.settings = settings;
    this.userAgent = userAgent;
    this.sleeper = sleeper;
    this.clock = clock;
    this.client = new OkHttpClient.Builder()
        .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .followRedirects(false) // a token endpoint does not redirect; a redirect would carry the form elsewhere
        .connectionPool(new okhttp3.ConnectionPool(1, 30, TimeUnit.SECONDS))
        .build();
  }

  HttpUrl url() {
    return url;
  }

  /**
   * Asks for a token.
   *
   * @param form the grant's form fields
   * @param authorization an {@code Authorization} header (HTTP basic for Databricks), or null
   * @throws PermissionDeniedException when the client is refused
   * @throws InvalidInputException when the endpoint rejects the request otherwise (a wrong tenant or scope)
   * @throws ConnectorException when it cannot be reached, times out or stays throttled
   * @throws InterruptedCallException when the thread is interrupted, with its flag kept
   */
  AccessToken fetch(FormBody form, String authorization) {
    Request.Builder b = new Request.Builder().url(url).post(form).header("User-Agent", userAgent)
        .header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    Request request = b.build();
    String where = service + " at " + url.host();
    int retries = 0;
    while (true) {
      Instant sent = clock.instant();
      String text;
      int code;
      Optional<Duration> asked;
      try (Response resp = client.newCall(request).execute()) {
        code = resp.code();
        text = resp.body().string();
        asked = DatabricksHttp.retryAfter(resp.header("Retry-After"), clock);
        LOG.debug("databricks auth: POST {}{} -> HTTP {}", url.host(), url.encodedPath(), code);
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new InterruptedCallException("interrupted while asking " + where + " for a token", e);
        }
        throw new ConnectorException(KIND, where + " did not answer the token request in time (no answer within "
            + settings.readTimeout().toMillis() + " ms). Try again, or raise the fabric setting "
            + DatabricksFabricProvider.READ_TIMEOUT_SECONDS + ".", e);
      } catch (IOException e) {
        if (retries < settings.maxRetries()) {
          sleep(backoff(retries), "the connection failed (" + e.getClass().getSimpleName() + ")", retries);
          retries++;
          continue;
        }
        throw new ConnectorException(KIND, where + " could not be reached for a token: " + scrub(e.getMessage())
            + (retries == 0 ? "" : "; still failing after " + retries + " retries") + ". Check the network"
            + (service.startsWith("Azure") ? " and the fabric setting " + DatabricksFabricProvider.AZURE_AD_AUTHORITY
                : " and the workspace URL") + ".", e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        // OkHttp may let an undeclared InterruptedException out of execute() on an interrupted thread
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new InterruptedCallException("interrupted while asking " + where + " for a token", e);
        }
        throw new ConnectorException(KIND, where + ": the token request failed: " + scrub(e.getMessage()), e);
      }
      if (code == 429 || code == 503) {
        Duration wait = asked.orElse(backoff(retries));
        if (retries < settings.maxRetries() && wait.compareTo(settings.maxRetryWait()) <= 0) {
          sleep(wait, code == 429 ? "throttled (HTTP 429)" : "unavailable (HTTP 503)", retries);
          retries++;
          continue;
        }
        String why = retries >= settings.maxRetries() ? "still refused after " + retries + " retries"
            : "not retried, since it asks to wait " + wait.toSeconds() + " s, longer than the fabric setting "
                + DatabricksFabricProvider.MAX_RETRY_WAIT_SECONDS + " (" + settings.maxRetryWait().toSeconds() + " s)";
        throw new ConnectorException(KIND, where + " is " + (code == 429 ? "throttling" : "unavailable for")
            + " token requests (HTTP " + code + "); " + why + ". Try again later.");
      }
      if (code >= 200 && code < 300) {
        return token(text, sent, where);
      }
      throw error(code, text, where);
    }
  }

  private AccessToken token(String text, Instant sent, String where) {
    JsonNode root;
    try {
      root = DatabricksHttp.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      root = null;
    }
    String value = root == null ? "" : root.path("access_token").asText("");
    if (value.isEmpty()) {
      throw new ConnectorException(KIND, where + " answered the token request without an access_token; check that "
          + url + " is a token endpoint");
    }
    String type = root.path("token_type").asText("Bearer");
    if (!type.equalsIgnoreCase("bearer")) {
      throw new ConnectorException(KIND, where + " issued a token of type '" + type + "'; Databricks takes Bearer tokens");
    }
    JsonNode expiresIn = root.get("expires_in"); // a number; Azure AD's v1 endpoint sends it as a string
    Duration life = DEFAULT_LIFETIME;
    if (expiresIn != null && !expiresIn.isNull()) {
      try {
        life = Duration.ofSeconds(Long.parseLong(expiresIn.asText().trim()));
      } catch (NumberFormatException e) {
        throw new ConnectorException(KIND, where + " answered with expires_in '" + expiresIn.asText()
            + "', which is not a number of seconds");
      }
    }
    // the lifetime counts from when the request was sent: the token may have been issued any time after
    return new AccessToken(value, sent, sent.plus(life));
  }

  private ProphecyException error(int code, String text, String where) {
    String error = "";
    String description = "";
    try {
      JsonNode root = DatabricksHttp.JSON.readTree(text == null || text.isBlank() ? "{}" : text);
      error = root.path("error").asText("");
      description = root.path("error_description").asText("");
    } catch (JsonProcessingException e) {
      // not JSON: the HTTP code says what there is to say
    }
    String first = scrub(description.lines().findFirst().orElse(""));
    if (first.length() > 400) {
      first = first.substring(0, 400) + "...";
    }
    String shown = " (HTTP " + code + (error.isEmpty() ? "" : " " + error) + (first.isEmpty() ? "" : ": " + first) + ")";
    switch (error.toLowerCase(Locale.ROOT)) {
      case "invalid_client", "unauthorized_client", "invalid_grant", "access_denied" -> {
        return new PermissionDeniedException(where + " refused the client credentials" + shown + ". Check the"
            + " credential fields " + fields + ", and that the secret has not expired.");
      }
      default -> {
        // fall through to the HTTP code
      }
    }
    if (code == 401 || code == 403) {
      return new PermissionDeniedException(where + " refused the client credentials" + shown + ". Check the"
          + " credential fields " + fields + ".");
    }
    if (code >= 400 && code < 500) {
      return new InvalidInputException("credentials", where + " rejected the token request" + shown + ". Check the"
          + " credential fields " + fields + (service.startsWith("Azure") ? " and the fabric setting "
              + DatabricksFabricProvider.AZURE_AD_AUTHORITY : "") + ".");
    }
    return new ConnectorException(KIND, where + " failed the token request" + shown + ". Try again later.");
  }

  private void sleep(Duration wait, String reason, int retries) {
    LOG.warn("databricks auth: token request to {}: {}; retry {} of {} in {} ms", url.host(), reason, retries + 1,
        settings.maxRetries(), wait.toMillis());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedCallException("interrupted while waiting to ask " + service + " at " + url.host()
          + " for a token again", e);
    }
  }

  private static Duration backoff(int retries) {
    return Duration.ofSeconds(1L << Math.min(retries, 5));
  }

  private String scrub(String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (String s : secrets) {
      if (!s.isEmpty()) {
        out = out.replace(s, "****");
      }
    }
    return out;
  }

  /** Drops the pooled connection to the endpoint. */
  void close() {
    client.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "OAuthTokenEndpoint[" + service + " " + url + "]";
  }
}
