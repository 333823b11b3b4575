package io.prophecy.sdk;

import io.prophecy.sdk.internal.CodeStores;
import io.prophecy.sdk.internal.Engine;
import io.prophecy.sdk.internal.ProviderRegistry;
import io.prophecy.sdk.internal.SessionImpl;
import io.prophecy.sdk.internal.UsersImpl;
import io.prophecy.sdk.internal.security.KeysetVault;
import io.prophecy.sdk.internal.store.Database;
import io.prophecy.sdk.model.AuditEvent;
import io.prophecy.sdk.model.Secret;
import io.prophecy.sdk.model.User;
import io.prophecy.sdk.security.KeyProvider;
import io.prophecy.sdk.security.KeyProviders;
import io.prophecy.sdk.security.Vault;
import io.prophecy.sdk.spi.CodeStore;
import io.prophecy.sdk.spi.FabricDescriptor;
import io.prophecy.sdk.spi.FabricProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The entry point of the SDK: one instance per home directory (or shared store), immutable,
 * thread-safe and {@link AutoCloseable}. Every operation is made as a user, through
 * {@link #as(String)}.
 *
 * <pre>{@code
 * try (Prophecy prophecy = Prophecy.builder().home(Path.of("build/prophecy-home")).build()) {
 *   prophecy.users().create("alice@example.com");
 *   ProphecySession alice = prophecy.as("alice@example.com");
 *   Team team = alice.teams().create("analytics");
 *   Project shop = team.projects().create("shop");
 * }
 * }</pre>
 */
public final class Prophecy implements AutoCloseable {
  private static final String VERSION = loadVersion();

  private final Engine engine;
  private final String storeDescription;

  private Prophecy(Engine engine, String storeDescription) {
    this.engine = engine;
    this.storeDescription = storeDescription;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The SDK's version. */
  public static String version() {
    return VERSION;
  }

  /** The users, managed by the host application. */
  public Users users() {
    return new UsersImpl(engine);
  }

  /**
   * A session acting as the user.
   *
   * @throws NotFoundException when the user no longer exists
   */
  public ProphecySession as(User user) {
    Objects.requireNonNull(user, "user");
    User current = engine.db().read(c -> engine.userById(c, user.id()))
        .orElseThrow(() -> new NotFoundException("User " + user.email() + " no longer exists"));
    return new SessionImpl(engine, current);
  }

  /**
   * A session acting as the user with this e-mail.
   *
   * @throws NotFoundException when no user has it
   */
  public ProphecySession as(String email) {
    return new SessionImpl(engine, users().get(email));
  }

  /** The vault, for key rotation and re-encryption. */
  public Vault vault() {
    return engine.vault();
  }

  /**
   * The newest entries of the whole audit log, newest first: for the host application.
   *
   * @param limit at most this many, 1 to 10,000
   */
  public List<AuditEvent> auditLog(int limit) {
    return engine.auditEvents(null, limit);
  }

  /** The installed fabric kinds, sorted. */
  public Set<String> fabricKinds() {
    return engine.providers().kinds();
  }

  /**
   * What a fabric kind takes: its settings and credential fields.
   *
   * @throws InvalidInputException listing the installed kinds when the kind is not installed
   */
  public FabricDescriptor fabricKind(String kind) {
    return engine.providers().get(kind).descriptor();
  }

  /** The home directory. */
  public Path home() {
    return engine.home();
  }

  /**
   * Empties the code cache ({@code <home>/cache/code}): generated run plans made during interactive work,
   * encrypted. Safe at any time, also while runs are being prepared: the next runs generate their plans
   * again. Deleting the folder by hand is just as safe.
   *
   * @return how many cache files were removed
   */
  public int clearCodeCache() {
    return engine.codeCache().clear();
  }

  /** Closes the store's connections. Handles made from this instance stop working. Idempotent. */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "Prophecy[home=" + engine.home() + ", store=" + storeDescription + (engine.isClosed() ? ", closed" : "") + "]";
  }

  private static String loadVersion() {
    try (InputStream in = Prophecy.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Configures a {@link Prophecy}. Not thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private Path home;
    private String storeUrl;
    private String storeUser;
    private Secret storePassword;
    private KeyProvider keyProvider;
    private final List<FabricProvider> providers = new ArrayList<>();
    private CodeStore codeStore;
    private ClassLoader classLoader;
    private Clock clock = Clock.systemUTC();
    private Duration keepConnections = Duration.ofMinutes(30);
    private Function<String, String> env = System::getenv;
    private boolean codeCache = true;
    private long codeCacheMaxBytes = 256L * 1024 * 1024;
    private Duration codeCacheTtl = Duration.ofDays(7);

    private Builder() {}

    /**
     * The home directory: the default SQLite store, the master key, project working copies.
     * Default: {@code $PROPHECY_HOME}, else {@code ~/.prophecy}.
     */
    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /**
     * The metadata store's JDBC URL. Default: {@code jdbc:sqlite:<home>/prophecy.db}. For a shared
     * deployment, {@code jdbc:postgresql://host:5432/prophecy}.
     */
    public Builder storeUrl(String jdbcUrl) {
      this.storeUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      return this;
    }

    /** The store's database user and password, for PostgreSQL. */
    public Builder storeCredentials(String user, Secret password) {
      this.storeUser = Objects.requireNonNull(user, "user");
      this.storePassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Where the vault's key-encryption key comes from. Default: {@code <home>/master.key}. */
    public Builder keyProvider(KeyProvider keyProvider) {
      this.keyProvider = Objects.requireNonNull(keyProvider, "keyProvider");
      return this;
    }

    /** A fabric provider used in place of any discovered provider of the same kind. */
    public Builder register(FabricProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * The code store projects are versioned in, in place of the one discovered (module
     * {@code prophecy-git} registers its JGit store through {@link java.util.ServiceLoader}).
     */
    public Builder codeStore(CodeStore store) {
      this.codeStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The class loader connectors are discovered in. Default: the thread's context class loader when
     * {@link #build()} runs (notebook kernels load jars there), else the SDK's own.
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * How long a fabric connection that a run or an analysis opened stays open once unused, so that the
     * next run on the same fabric, by the same user, does not start the engine again (a Spark context, a
     * remote session). Default 30 minutes; {@link Duration#ZERO} closes each connection when its run
     * ends. Kept connections are closed with this instance, and replaced when the fabric's settings or
     * the user's credentials change.
     */
    public Builder keepConnections(Duration idle) {
      Objects.requireNonNull(idle, "idle");
      if (idle.isNegative()) {
        throw new InvalidInputException("keepConnections", "must be zero or positive, was " + idle);
      }
      this.keepConnections = idle;
      return this;
    }

    /**
     * Whether run plans generated for interactive runs are kept in the encrypted code cache under
     * {@code <home>/cache/code}, so that running an unchanged pipeline again does not compile it again.
     * Default on. The cache never changes what a run does: an entry is found only for exactly the inputs it
     * was made from, and a damaged or missing entry is compiled again.
     */
    public Builder codeCache(boolean enabled) {
      this.codeCache = enabled;
      return this;
    }

    /**
     * The code cache's size cap in bytes on disk; when over it, the entries used longest ago are removed.
     * Default 256 MiB.
     */
    public Builder codeCacheMaxBytes(long maxBytes) {
      if (maxBytes <= 0) {
        throw new InvalidInputException("codeCacheMaxBytes", "must be positive, was " + maxBytes
            + "; turn the cache off with codeCache(false)");
      }
      this.codeCacheMaxBytes = maxBytes;
      return this;
    }

    /** How long a code cache entry is kept after its last use. Default 7 days. */
    public Builder codeCacheTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new InvalidInputException("codeCacheTtl", "must be positive, was " + ttl
            + "; turn the cache off with codeCache(false)");
      }
      this.codeCacheTtl = ttl;
      return this;
    }

    /** The clock of audit entries, records and the code cache's last uses; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    Builder environment(Function<String, String> env) {
      this.env = env;
      return this;
    }

    /** The home this builder resolves to. */
    Path resolveHome() {
      if (home != null) {
        return home.toAbsolutePath().normalize();
      }
      String fromEnv = env.apply("PROPHECY_HOME");
      if (fromEnv != null && !fromEnv.isBlank()) {
        return Path.of(fromEnv).toAbsolutePath().normalize();
      }
      return Path.of(System.getProperty("user.home"), ".prophecy").toAbsolutePath().normalize();
    }

    /**
     * Opens the store (migrating its schema when behind), the vault and the connectors.
     *
     * @throws StoreException when the store cannot be opened
     * @throws ProphecyException when two connectors claim one fabric kind
     */
    public Prophecy build() {
      Path h = resolveHome();
      try {
        if (!Files.isDirectory(h)) {
          Files.createDirectories(h);
        }
      } catch (IOException e) {
        throw new ProphecyException("Cannot create the Prophecy home " + h + ": " + e.getMessage()
            + ". Choose a writable folder with Prophecy.builder().home(path) or PROPHECY_HOME", e);
      }
      ClassLoader loader = classLoader;
      if (loader == null) {
        loader = Thread.currentThread().getContextClassLoader();
      }
      if (loader == null) {
        loader = Prophecy.class.getClassLoader();
      }
      ProviderRegistry registry = ProviderRegistry.load(loader, providers);
      CodeStores codeStores = CodeStores.load(loader, codeStore);
      String url = storeUrl != null ? storeUrl : "jdbc:sqlite:" + h.resolve("prophecy.db");
      Database db = Database.open(url, Optional.ofNullable(storeUser), Optional.ofNullable(storePassword),
          h.resolve(".store.lock"));
      KeyProvider keys = keyProvider != null ? keyProvider : KeyProviders.masterKeyFile(h.resolve("master.key"));
      KeysetVault vault = new KeysetVault(db, keys, clock);
      try {
        vault.ensureKeyset();
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
      String agent = "prophecy-java-sdk/" + VERSION + " java/" + System.getProperty("java.version");
      Engine.CacheSettings cache =
          new Engine.CacheSettings(codeCache, h.resolve("cache").resolve("code"), codeCacheMaxBytes, codeCacheTtl);
      return new Prophecy(new Engine(h, db, vault, registry, codeStores, clock, agent, keepConnections, VERSION, cache),
          db.description());
    }
  }
}
