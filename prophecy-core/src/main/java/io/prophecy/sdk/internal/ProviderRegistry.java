package io.prophecy.sdk.internal;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.FabricSpec;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import io.prophecy.sdk.spi.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installed fabric kinds. Providers registered on the builder win over discovered ones of the same
 * kind; two discovered providers of one kind are an error naming both classes. Immutable.
 */
public final class ProviderRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  /** A provider, its descriptor and where it came from. */
  public record Entry(FabricProvider provider, FabricDescriptor descriptor, boolean registered) {}

  private final Map<String, Entry> byKind;

  private ProviderRegistry(Map<String, Entry> byKind) {
    this.byKind = Collections.unmodifiableMap(byKind);
  }

  /**
   * Discovers providers with {@link ServiceLoader} in the given class loader and adds the explicit
   * ones.
   */
  public static ProviderRegistry load(ClassLoader loader, List<FabricProvider> explicit) {
    Map<String, Entry> result = new TreeMap<>();
    Map<String, FabricProvider> registered = new LinkedHashMap<>();
    for (FabricProvider p : explicit) {
      String kind = p.kind();
      FabricProvider previous = registered.putIfAbsent(kind, p);
      if (previous != null) {
        throw new ProphecyException(
            "Two providers of fabric kind '" + kind + "' were registered on the builder: "
                + previous.getClass().getName() + " and " + p.getClass().getName() + ". Register one");
      }
      result.put(kind, new Entry(p, checkDescriptor(p), true));
    }
    Map<String, FabricProvider> discovered = new TreeMap<>();
    List<ServiceLoader.Provider<FabricProvider>> candidates;
    try {
      candidates = Discovery.providers(FabricProvider.class, loader);
    } catch (ServiceConfigurationError e) {
      throw notLoadable(e);
    }
    for (ServiceLoader.Provider<FabricProvider> candidate : candidates) {
      FabricProvider p;
      try {
        p = candidate.get();
      } catch (ServiceConfigurationError e) {
        throw notLoadable(e);
      }
      String kind = p.kind();
      if (registered.containsKey(kind)) {
        log.debug("Fabric kind '{}': the registered {} wins over the discovered {}", kind,
            registered.get(kind).getClass().getName(), p.getClass().getName());
        continue;
      }
      FabricProvider previous = discovered.get(kind);
      if (previous != null && previous.getClass() != p.getClass()) {
        String[] names = {previous.getClass().getName(), p.getClass().getName()};
        java.util.Arrays.sort(names);
        throw new ProphecyException(
            "Two providers of fabric kind '" + kind + "' are on the class path: " + names[0] + " and "
                + names[1] + ". Remove one of the jars, or choose one with Prophecy.builder().register(...)");
      }
      discovered.put(kind, p);
    }
    for (var e : discovered.entrySet()) {
      result.put(e.getKey(), new Entry(e.getValue(), checkDescriptor(e.getValue()), false));
    }
    log.debug("Installed fabric kinds: {}", result.keySet());
    return new ProviderRegistry(result);
  }

  private static ProphecyException notLoadable(ServiceConfigurationError e) {
    return new ProphecyException("A fabric provider listed in META-INF/services/" + FabricProvider.class.getName()
        + " could not be loaded: " + e.getMessage() + ". Check the connector jar and its dependencies on the class path",
        e);
  }

  /** The installed kinds, sorted. */
  public Set<String> kinds() {
    return byKind.keySet();
  }

  /**
   * The provider of a kind.
   *
   * @throws InvalidInputException naming the installed kinds when the kind is not installed
   */
  public Entry get(String kind) {
    Entry e = byKind.get(kind);
    if (e == null) {
      throw new InvalidInputException(
          "fabric.kind",
          "no connector of kind '" + kind + "' is installed; installed kinds: "
              + (byKind.isEmpty() ? "none" : String.join(", ", byKind.keySet()))
              + ". Add the connector's jar (such as prophecy-" + kind + ") to the class path");
    }
    return e;
  }

  /** The fabric's settings checked against its kind's descriptor, with defaults applied. */
  public Map<String, String> checkSettings(FabricSpec spec) {
    FabricDescriptor d = get(spec.kind()).descriptor();
    Map<String, String> out = new TreeMap<>();
    for (String key : spec.settings().keySet()) {
      if (d.setting(key).isEmpty()) {
        throw new InvalidInputException(
            "fabric.settings." + key,
            "fabric kind '" + spec.kind() + "' takes no setting '" + key + "'; it takes: "
                + names(d.settings()));
      }
    }
    for (Setting s : d.settings()) {
      String value = spec.settings().get(s.name());
      if (value == null) {
        if (s.required()) {
          throw new InvalidInputException(
              "fabric.settings." + s.name(),
              "fabric kind '" + spec.kind() + "' needs this setting: " + s.description());
        }
        s.defaultValue().ifPresent(v -> out.put(s.name(), v));
        continue;
      }
      checkValue("fabric.settings." + s.name(), s, value);
      out.put(s.name(), value);
    }
    return out;
  }

  /**
   * Credentials checked against the kind's credential fields. Fields the kind declares secret become
   * secrets even when given plain.
   */
  public Credentials checkCredentials(String kind, Credentials given) {
    FabricDescriptor d = get(kind).descriptor();
    Credentials.Builder out = Credentials.builder();
    for (String field : given.fields()) {
      if (d.credential(field).isEmpty()) {
        throw new InvalidInputException(
            "credentials." + field,
            "fabric kind '" + kind + "' takes no credential field '" + field + "'; it takes: "
                + names(d.credentials()));
      }
    }
    for (Setting s : d.credentials()) {
      if (!given.has(s.name())) {
        if (s.required()) {
          throw new InvalidInputException(
              "credentials." + s.name(), "fabric kind '" + kind + "' needs this field: " + s.description());
        }
        continue;
      }
      if (s.secret()) {
        Secret value = given.secret(s.name()).orElseGet(() -> Secret.of(given.get(s.name()).orElseThrow()));
        out.put(s.name(), value);
      } else {
        String value =
            given.get(s.name())
                .orElseGet(() -> given.secret(s.name()).orElseThrow().reveal());
        checkValue("credentials." + s.name(), s, value);
        out.put(s.name(), value);
      }
    }
    return out.build();
  }

  private static void checkValue(String field, Setting s, String value) {
    switch (s.type()) {
      case URL -> {
        try {
          URI uri = new URI(value);
          if (!uri.isAbsolute() || uri.getHost() == null
              || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new URISyntaxException(value, "not an absolute http or https URL");
          }
          if (uri.getUserInfo() != null) {
            throw new InvalidInputException(field, "the URL carries user information; put credentials in your fabric credentials instead");
          }
        } catch (URISyntaxException e) {
          throw new InvalidInputException(field, "'" + value + "' is not an absolute http(s) URL such as https://host.example.com");
        }
      }
      case INTEGER -> {
        try {
          Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw new InvalidInputException(field, "'" + value + "' is not a whole number");
        }
      }
      case BOOLEAN -> {
        if (!value.equals("true") && !value.equals("false")) {
          throw new InvalidInputException(field, "'" + value + "' is not true or false");
        }
      }
      case STRING -> {
        if (s.required() && value.isBlank()) {
          throw new InvalidInputException(field, "must not be empty: " + s.description());
        }
      }
    }
  }

  private static FabricDescriptor checkDescriptor(FabricProvider p) {
    String cls = p.getClass().getName();
    String kind = p.kind();
    Checks.kind("kind of provider " + cls, kind);
    FabricDescriptor d = p.describe();
    if (d == null || !kind.equals(d.kind())) {
      throw new ProphecyException(
          "Fabric provider " + cls + " says its kind is '" + kind + "' but its descriptor says '"
              + (d == null ? null : d.kind()) + "'; they must agree");
    }
    for (Setting s : d.settings()) {
      if (s.secret()) {
        throw new ProphecyException(
            "Fabric provider " + cls + " declares setting '" + s.name() + "' secret; fabric settings are"
                + " shared by the team, so secrets belong among its credential fields");
      }
    }
    checkUnique(cls, "setting", d.settings());
    checkUnique(cls, "credential field", d.credentials());
    return d;
  }

  private static void checkUnique(String cls, String what, List<Setting> settings) {
    Set<String> seen = new HashSet<>();
    for (Setting s : settings) {
      if (!seen.add(s.name())) {
        throw new ProphecyException("Fabric provider " + cls + " declares " + what + " '" + s.name() + "' twice");
      }
    }
  }

  private static String names(List<Setting> settings) {
    if (settings.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (Setting s : settings) {
      out.add(s.name() + (s.required() ? " (required)" : "") + (s.secret() ? " (secret)" : ""));
    }
    return out.stream().collect(Collectors.joining(", "));
  }
}
