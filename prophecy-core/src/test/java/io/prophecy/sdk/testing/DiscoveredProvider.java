package io.prophecy.sdk.testing;

import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;

/**
 * A provider of kind {@code discovered}, listed in this module's test
 * {@code META-INF/services}, that proves discovery through {@link java.util.ServiceLoader}. It takes no
 * settings and no credentials.
 */
public class DiscoveredProvider implements FabricProvider {
  @Override
  public String kind() {
    return "discovered";
  }

  @Override
  public FabricDescriptor describe() {
    return FabricDescriptor.builder().kind(kind()).displayName("Discovered").build();
  }

  @Override
  public FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
    throw new UnsupportedOperationException("not connected in tests");
  }

  /** A second class claiming the same kind, for the duplicate test. */
  public static final class Twin extends DiscoveredProvider {}
}
