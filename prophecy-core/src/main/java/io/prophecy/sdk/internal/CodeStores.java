package io.prophecy.sdk.internal;

import io.prophecy.sdk.ConnectorException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.spi.CodeStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code store the SDK keeps project content in: one registered on the builder, else the one found
 * by {@link ServiceLoader}, else none (projects are plain folders and {@code project.git()} says which
 * jar to add). Two discovered stores are an error naming both classes. Immutable.
 */
public final class CodeStores {
  private static final Logger log = LoggerFactory.getLogger(CodeStores.class);

  private final CodeStore store;

  private CodeStores(CodeStore store) {
    this.store = store;
  }

  public static CodeStores load(ClassLoader loader, CodeStore explicit) {
    if (explicit != null) {
      log.debug("Code store: the registered {}", explicit.getClass().getName());
      return new CodeStores(explicit);
    }
    CodeStore found = null;
    List<ServiceLoader.Provider<CodeStore>> providers;
    try {
      providers = Discovery.providers(CodeStore.class, loader);
    } catch (ServiceConfigurationError e) {
      throw new ProphecyException("A code store listed in META-INF/services/" + CodeStore.class.getName()
          + " could not be loaded: " + e.getMessage() + ". Check the prophecy-git jar and its dependencies", e);
    }
    for (ServiceLoader.Provider<CodeStore> provider : providers) {
      CodeStore candidate;
      try {
        candidate = provider.get();
      } catch (ServiceConfigurationError e) {
        throw new ProphecyException("A code store listed in META-INF/services/" + CodeStore.class.getName()
            + " could not be loaded: " + e.getMessage() + ". Check the prophecy-git jar and its dependencies", e);
      }
      if (found != null && found.getClass() != candidate.getClass()) {
        String[] names = {found.getClass().getName(), candidate.getClass().getName()};
        Arrays.sort(names);
        throw new ProphecyException("Two code stores are on the class path: " + names[0] + " and " + names[1]
            + ". Remove one of the jars, or choose one with Prophecy.builder().codeStore(...)");
      }
      found = candidate;
    }
    log.debug("Code store: {}", found == null ? "none" : found.getClass().getName());
    return new CodeStores(found);
  }

  public Optional<CodeStore> get() {
    return Optional.ofNullable(store);
  }

  /**
   * The code store.
   *
   * @param doing what needed it, for the message
   * @throws ConnectorException saying which jar to add when there is none
   */
  public CodeStore require(String doing) {
    if (store == null) {
      throw new ConnectorException("git", "cannot " + doing + ": no code store is installed. Add the"
          + " io.prophecy.sdk:prophecy-git jar to the class path (or register a CodeStore with"
          + " Prophecy.builder().codeStore(...))");
    }
    return store;
  }
}
