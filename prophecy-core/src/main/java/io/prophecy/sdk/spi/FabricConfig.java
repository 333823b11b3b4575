package io.prophecy.sdk.spi;

import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** A fabric as its connector sees it: ids, names and settings with defaults applied. */
@Value.Immutable
public abstract class FabricConfig {
  public abstract String fabricId();

  public abstract String name();

  public abstract String kind();

  public abstract String team();

  public abstract Map<String, String> settings();

  public Optional<String> setting(String name) {
    return Optional.ofNullable(settings().get(name));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableFabricConfig.Builder {}
}
