package io.prophecy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prophecy.sdk.internal.ProviderRegistry;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.spi.ConnectorContext;
import io.prophecy.sdk.spi.FabricConfig;
import io.prophecy.sdk.spi.FabricConnection;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import io.prophecy.sdk.testing.DiscoveredProvider;
import io.prophecy.sdk.testing.TestFabricProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery of fabric providers: ServiceLoader in the context class loader, order, duplicates, explicit registration. */
class ProviderRegistryTest {
  @TempDir Path home;

  @Test
  void providersAreDiscoveredSortedAndDescribed() {
    try (Prophecy p = Prophecy.builder().home(home).register(new TestFabricProvider()).build()) {
      assertThat(p.fabricKinds()).containsExactly("discovered", "test");
      assertThat(p.fabricKind("test").credentials()).extracting(Setting::name).containsExactly("username", "token");
      assertThatThrownBy(() -> p.fabricKind("livy")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("installed kinds: discovered, test").hasMessageContaining("prophecy-livy");
    }
  }

  /** A class loader that adds a services file listing the given classes to the test class path. */
  private ClassLoader withServices(String... classes) throws Exception {
    Path dir = Files.createTempDirectory(home, "cp");
    Path services = dir.resolve("META-INF/services/" + FabricProvider.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, String.join("\n", classes) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void discoveryUsesTheThreadContextClassLoaderAsNotebookKernelsNeed() throws Exception {
    ClassLoader kernelLoader = withServices(TestFabricProvider.class.getName());
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(kernelLoader);
    try (Prophecy p = Prophecy.builder().home(home).build()) {
      assertThat(p.fabricKinds()).containsExactly("discovered", "test");
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void twoDiscoveredProvidersOfOneKindAreAnErrorNamingBoth() throws Exception {
    ClassLoader loader = withServices(DiscoveredProvider.Twin.class.getName());
    assertThatThrownBy(() -> Prophecy.builder().home(home).classLoader(loader).build())
        .isInstanceOf(ProphecyException.class)
        .hasMessageContaining("'discovered'")
        .hasMessageContaining(DiscoveredProvider.class.getName())
        .hasMessageContaining(DiscoveredProvider.Twin.class.getName())
        .hasMessageContaining("register(...)");
  }

  @Test
  void anExplicitRegistrationWinsOverDiscovery() throws Exception {
    ClassLoader loader = withServices(DiscoveredProvider.Twin.class.getName());
    DiscoveredProvider chosen = new DiscoveredProvider.Twin();
    try (Prophecy p = Prophecy.builder().home(home).classLoader(loader).register(chosen).build()) {
      assertThat(p.fabricKinds()).containsExactly("discovered");
    }
    assertThatThrownBy(() -> Prophecy.builder().home(home).register(new TestFabricProvider()).register(new TestFabricProvider()).build())
        .isInstanceOf(ProphecyException.class).hasMessageContaining("Two providers of fabric kind 'test' were registered");
  }

  @Test
  void aBrokenServicesEntryIsReportedWithItsName() throws Exception {
    ClassLoader loader = withServices("com.example.Missing");
    assertThatThrownBy(() -> Prophecy.builder().home(home).classLoader(loader).build())
        .isInstanceOf(ProphecyException.class).hasMessageContaining("com.example.Missing");
  }

  @Test
  void aBrokenServicesEntryIsReportedAgainOnEveryOpen() throws Exception {
    // the lookups are kept per class loader; one that failed must not be kept half done
    ClassLoader loader = withServices("com.example.Missing", TestFabricProvider.class.getName());
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> Prophecy.builder().home(home).classLoader(loader).build())
          .isInstanceOf(ProphecyException.class).hasMessageContaining("com.example.Missing");
    }
  }

  @Test
  void everyRegistryGetsProvidersOfItsOwnThoughTheLookupIsKept() throws Exception {
    ClassLoader loader = withServices(TestFabricProvider.class.getName());
    ProviderRegistry first = ProviderRegistry.load(loader, java.util.List.of());
    ProviderRegistry second = ProviderRegistry.load(loader, java.util.List.of());
    assertThat(first.kinds()).containsExactly("discovered", "test");
    assertThat(second.kinds()).containsExactly("discovered", "test");
    assertThat(second.get("test").provider()).isInstanceOf(TestFabricProvider.class)
        .isNotSameAs(first.get("test").provider());
    assertThat(second.get("discovered").provider()).isNotSameAs(first.get("discovered").provider());
    // another loader sees its own services file
    ClassLoader other = withServices(DiscoveredProvider.Twin.class.getName());
    assertThatThrownBy(() -> ProviderRegistry.load(other, java.util.List.of()))
        .isInstanceOf(ProphecyException.class).hasMessageContaining(DiscoveredProvider.Twin.class.getName());
    assertThat(ProviderRegistry.load(loader, java.util.List.of()).kinds()).containsExactly("discovered", "test");
  }

  /** A class loader that takes jars while in use, as a notebook kernel's does. */
  static final class GrowingLoader extends URLClassLoader {
    GrowingLoader(ClassLoader parent) {
      super(new URL[0], parent);
    }

    void add(URL url) {
      addURL(url);
    }
  }

  @Test
  void providersAddedToARunningClassLoaderAreFoundOnTheNextOpen() throws Exception {
    GrowingLoader kernel = new GrowingLoader(getClass().getClassLoader());
    assertThat(ProviderRegistry.load(kernel, java.util.List.of()).kinds()).containsExactly("discovered");
    URLClassLoader withTest = (URLClassLoader) withServices(TestFabricProvider.class.getName());
    kernel.add(withTest.getURLs()[0]);
    assertThat(ProviderRegistry.load(kernel, java.util.List.of()).kinds()).containsExactly("discovered", "test");
  }

  @Test
  void descriptorsThatMisleadAreRefused() {
    FabricProvider secretSetting = provider("leaky", FabricDescriptor.builder().kind("leaky").displayName("Leaky")
        .addSettings(Setting.secret("password", "A shared password")).build());
    assertThatThrownBy(() -> Prophecy.builder().home(home).register(secretSetting).build())
        .isInstanceOf(ProphecyException.class).hasMessageContaining("secrets belong among its credential fields");
    FabricProvider wrongKind = provider("one", FabricDescriptor.builder().kind("two").displayName("Two").build());
    assertThatThrownBy(() -> Prophecy.builder().home(home).register(wrongKind).build())
        .isInstanceOf(ProphecyException.class).hasMessageContaining("'one'").hasMessageContaining("'two'");
  }

  private static FabricProvider provider(String kind, FabricDescriptor d) {
    return new FabricProvider() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public FabricDescriptor describe() {
        return d;
      }

      @Override
      public FabricConnection connect(FabricConfig config, Credentials credentials, ConnectorContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
