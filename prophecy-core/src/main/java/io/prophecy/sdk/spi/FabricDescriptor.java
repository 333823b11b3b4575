package io.prophecy.sdk.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * What a fabric kind takes and offers: its fabric settings (shared by the team, never secret), the
 * fields of each user's credentials (some secret), and its capabilities.
 */
@Value.Immutable
public abstract class FabricDescriptor {
  public abstract String kind();

  /** A name for people, such as {@code Databricks}. */
  public abstract String displayName();

  public abstract List<Setting> settings();

  public abstract List<Setting> credentials();

  public abstract Set<Capability> capabilities();

  public Optional<Setting> setting(String name) {
    return settings().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<Setting> credential(String name) {
    return credentials().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableFabricDescriptor.Builder {}
}
