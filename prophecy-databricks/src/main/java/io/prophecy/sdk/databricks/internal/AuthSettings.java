package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.DatabricksFabricProvider.AZURE_AD_AUTHORITY;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_LIFETIME_SECONDS;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.spi.FabricConfig;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The fabric settings that only the Azure AD kinds of auth read, parsed.
 *
 * @param authority the Azure AD authority, such as {@code https://login.microsoftonline.com}, without a
 *     trailing slash
 * @param generatedTokenLifetime the lifetime of the personal access tokens generated with Azure AD
 */
record AuthSettings(HttpUrl authority, Duration generatedTokenLifetime) {
  static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
  static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);
  /** Shorter tokens would be rotated every few minutes. */
  static final Duration MIN_LIFETIME = Duration.ofMinutes(10);

  static AuthSettings defaults() {
    return new AuthSettings(HttpUrl.get(DEFAULT_AUTHORITY), DEFAULT_LIFETIME);
  }

  /**
   * Parses the settings.
   *
   * @throws InvalidInputException naming the setting that is malformed
   */
  static AuthSettings from(FabricConfig config) {
    String field = DatabricksSettings.FIELD + AZURE_AD_AUTHORITY;
    String text = config.setting(AZURE_AD_AUTHORITY).map(String::trim).filter(s -> !s.isEmpty())
        .orElse(DEFAULT_AUTHORITY);
    HttpUrl authority = HttpUrl.parse(text);
    if (authority == null || authority.query() != null) {
      throw new InvalidInputException(field, "'" + text + "' is not an http or https URL without a query; give the"
          + " authority, such as " + DEFAULT_AUTHORITY);
    }
    Optional<String> life = config.setting(GENERATED_TOKEN_LIFETIME_SECONDS).map(String::trim).filter(s -> !s.isEmpty());
    Duration lifetime = DEFAULT_LIFETIME;
    if (life.isPresent()) {
      String lf = DatabricksSettings.FIELD + GENERATED_TOKEN_LIFETIME_SECONDS;
      try {
        lifetime = Duration.ofSeconds(Long.parseLong(life.get()));
      } catch (NumberFormatException e) {
        throw new InvalidInputException(lf, "'" + life.get() + "' is not a whole number of seconds");
      }
      if (lifetime.compareTo(MIN_LIFETIME) < 0) {
        throw new InvalidInputException(lf, "is " + lifetime.toSeconds() + "; give at least " + MIN_LIFETIME.toSeconds()
            + " seconds (the default is " + DEFAULT_LIFETIME.toSeconds() + ")");
      }
    }
    return new AuthSettings(authority, lifetime);
  }

  /** The token endpoint of a tenant: {@code {authority}/{tenant}/oauth2/v2.0/token}. */
  HttpUrl tokenEndpoint(String tenant) {
    HttpUrl.Builder b = authority.newBuilder();
    // the authority may carry a path of its own; the tenant and the endpoint follow it
    String path = authority.encodedPath();
    b.encodedPath(path.endsWith("/") ? path : path + "/");
    return b.addPathSegment(tenant).addPathSegments("oauth2/v2.0/token").build();
  }
}
