package io.prophecy.sdk.model;

import io.prophecy.sdk.internal.Checks;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a fabric is: its name within the team, its kind (the connector that runs it: {@code spark},
 * {@code databricks}, {@code livy}, {@code snowflake}) and the kind's settings, such as a workspace
 * URL. Settings are shared by the team and are never secret; each user's secrets go into their own
 * {@link Credentials}.
 *
 * <pre>{@code
 * FabricSpec dev = FabricSpec.of("spark", "dev");
 * FabricSpec prod = FabricSpec.builder().kind("databricks").name("prod")
 *     .putSettings("workspaceUrl", "https://adb-123.azuredatabricks.net").build();
 * }</pre>
 */
@Value.Immutable
public abstract class FabricSpec {
  public abstract String kind();

  public abstract String name();

  public abstract Map<String, String> settings();

  public abstract Optional<String> description();

  /** A fabric of the given kind and name, with default settings. */
  public static FabricSpec of(String kind, String name) {
    return builder().kind(kind).name(name).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  protected void check() {
    Checks.kind("fabric.kind", kind());
    Checks.name("fabric.name", name());
    settings().forEach((k, v) -> Checks.notBlank("fabric.settings key", k));
  }

  public static final class Builder extends ImmutableFabricSpec.Builder {}
}
