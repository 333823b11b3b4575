package io.prophecy.sdk.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** How to open an execution session. */
@Value.Immutable
public abstract class SessionOptions {
  public abstract CodeLanguage language();

  /** Engine configuration for the session, such as Spark conf entries. */
  public abstract Map<String, String> conf();

  /** How long to wait for the session (a cluster, a context) to be ready. */
  public abstract Optional<Duration> startTimeout();

  public static SessionOptions of(CodeLanguage language) {
    return builder().language(language).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableSessionOptions.Builder {}
}
