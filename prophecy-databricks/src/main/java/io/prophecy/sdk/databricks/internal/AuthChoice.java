package io.prophecy.sdk.databricks.internal;

import static io.prophecy.sdk.databricks.DatabricksFabricProvider.AZURE_AD_TOKEN;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.AZURE_AD_TOKEN_EXPIRES_AT;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.AZURE_CLIENT_ID;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.AZURE_CLIENT_SECRET;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.AZURE_TENANT_ID;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.CLIENT_ID;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.CLIENT_SECRET;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_CREATED_AT;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_EXPIRES_AT;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.GENERATED_TOKEN_ID;
import static io.prophecy.sdk.databricks.DatabricksFabricProvider.TOKEN;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kinds of auth, each with its credential fields, and the choice among them from the fields a
 * user's credentials hold. Exactly one kind's fields may be present: a mix (a token and a client
 * secret) is refused, naming the fields. The {@code generatedToken*} fields are the SDK's own, written
 * for the Azure AD kinds; they are ignored (with a debug line) beside the others.
 */
enum AuthChoice {
  PERSONAL_ACCESS_TOKEN("a personal access token", List.of(TOKEN), List.of()),
  OAUTH_M2M("Databricks OAuth machine to machine", List.of(CLIENT_ID, CLIENT_SECRET), List.of()),
  AZURE_SERVICE_PRINCIPAL("an Azure AD service principal", List.of(AZURE_TENANT_ID, AZURE_CLIENT_ID,
      AZURE_CLIENT_SECRET), List.of()),
  AZURE_USER_TOKEN("a user's Azure AD token", List.of(AZURE_AD_TOKEN), List.of(AZURE_AD_TOKEN_EXPIRES_AT));

  private static final Logger LOG = LoggerFactory.getLogger(AuthChoice.class);
  static final List<String> GENERATED = List.of(GENERATED_TOKEN, GENERATED_TOKEN_ID, GENERATED_TOKEN_CREATED_AT,
      GENERATED_TOKEN_EXPIRES_AT);

  private final String label;
  private final List<String> required;
  private final List<String> optional;

  AuthChoice(String label, List<String> required, List<String> optional) {
    this.label = label;
    this.required = required;
    this.optional = optional;
  }

  private Stream<String> fields() {
    return Stream.concat(required.stream(), optional.stream());
  }

  private List<String> present(Credentials c) {
    return fields().filter(c::has).toList();
  }

  private String shape() {
    return label + " (" + String.join(" + ", required) + (optional.isEmpty() ? "" : ", optionally "
        + String.join(", ", optional)) + ")";
  }

  private static String kinds() {
    return Arrays.stream(values()).map(AuthChoice::shape).collect(Collectors.joining("; or "));
  }

  /**
   * The kind of auth the credentials hold.
   *
   * @throws InvalidInputException when they hold none, an incomplete one, or fields of two kinds
   */
  static AuthChoice of(Credentials c) {
    List<AuthChoice> found = Arrays.stream(values()).filter(k -> !k.present(c).isEmpty()).toList();
    if (found.size() > 1) {
      throw new InvalidInputException("credentials", "the credentials mix "
          + found.stream().map(k -> k.present(c) + " (" + k.label + ")").collect(Collectors.joining(" and "))
          + ", which cannot be used together; store the fields of one kind of auth only: " + kinds());
    }
    List<String> generated = GENERATED.stream().filter(c::has).toList();
    if (found.isEmpty()) {
      if (!generated.isEmpty()) {
        throw new InvalidInputException("credentials." + generated.get(0), "the credentials hold only " + generated
            + ", which the SDK writes for Azure AD credentials; store " + AZURE_SERVICE_PRINCIPAL.shape() + " or "
            + AZURE_USER_TOKEN.shape() + " with fabric.credentials().set(...)");
      }
      throw nothingUsable(c);
    }
    AuthChoice k = found.get(0);
    List<String> missing = k.required.stream().filter(f -> !c.has(f)).toList();
    if (!missing.isEmpty()) {
      throw new InvalidInputException("credentials." + missing.get(0), k.label + " needs the fields "
          + String.join(", ", k.required) + "; " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
          + " missing (the credentials hold " + c.fields() + ")");
    }
    if (!generated.isEmpty() && !k.azure()) {
      LOG.debug("databricks: ignoring the credential fields {}, which only Azure AD credentials use", generated);
    }
    return k;
  }

  static InvalidInputException nothingUsable(Credentials c) {
    return new InvalidInputException("credentials." + TOKEN, "a Databricks fabric needs the user's credentials, of"
        + " one of these kinds: " + kinds() + "; store them with fabric.credentials().set(...), for example"
        + " Credentials.ofSecret(\"token\", Secret.of(...)) (the credentials hold " + c.fields() + ")");
  }

  boolean azure() {
    return this == AZURE_SERVICE_PRINCIPAL || this == AZURE_USER_TOKEN;
  }

  DatabricksAuth create(Credentials c, FabricConfig config, DatabricksSettings settings, ConnectorContext context,
      Platform platform) {
    switch (this) {
      case PERSONAL_ACCESS_TOKEN:
        return new DatabricksAuth.PersonalAccessToken(secret(c, TOKEN));
      case OAUTH_M2M:
        return new OAuthM2MAuth(plain(c, CLIENT_ID), secret(c, CLIENT_SECRET), settings, context.userAgent(),
            platform.sleeper(), context.clock());
      default:
        break;
    }
    AuthSettings auth = AuthSettings.from(config);
    AzureAdBearer bearer = this == AZURE_SERVICE_PRINCIPAL
        ? new AzureAdBearer.ServicePrincipal(plain(c, AZURE_TENANT_ID), plain(c, AZURE_CLIENT_ID),
            secret(c, AZURE_CLIENT_SECRET), auth, settings, context.userAgent(), platform.sleeper(), context.clock())
        : new AzureAdBearer.UserToken(secret(c, AZURE_AD_TOKEN), expiry(c), context.clock());
    String comment = "Prophecy SDK: fabric " + config.name() + " of " + context.userEmail();
    return new GeneratedTokenAuth(bearer, GeneratedTokenAuth.Pat.stored(c), auth, settings, context,
        platform.sleeper(), comment);
  }

  private static Optional<Instant> expiry(Credentials c) {
    Optional<String> text = c.get(AZURE_AD_TOKEN_EXPIRES_AT).map(String::trim).filter(s -> !s.isEmpty());
    try {
      return text.map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("credentials." + AZURE_AD_TOKEN_EXPIRES_AT, "'" + text.get() + "' is not an"
          + " ISO-8601 instant such as 2026-12-01T13:00:00Z");
    }
  }

  private static String plain(Credentials c, String field) {
    String v = c.get(field).orElseGet(() -> c.secret(field).map(Secret::reveal).orElse("")).trim();
    if (v.isEmpty()) {
      throw new InvalidInputException("credentials." + field, "is empty");
    }
    return v;
  }

  private static Secret secret(Credentials c, String field) {
    return c.secret(field).orElseGet(() -> {
      String v = c.get(field).orElse("");
      if (v.isEmpty()) {
        throw new InvalidInputException("credentials." + field, "is empty");
      }
      return Secret.of(v);
    });
  }
}
