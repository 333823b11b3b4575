package io.prophecy.sdk.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One user's credentials for one fabric: named fields, some plain (a user name, a client id) and some
 * secret (a token, a password). Which fields a fabric takes, and which are secret, its provider's
 * descriptor says; {@code Fabric.credentials().set(...)} checks them against it.
 *
 * <p>The vault stores credentials only encrypted. {@code toString()} lists field names and plain
 * values, never a secret.
 *
 * <pre>{@code
 * fabric.credentials().set(Credentials.builder()
 *     .put("username", "alice")
 *     .put("password", Secret.of(passwordFromPrompt))
 *     .build());
 * }</pre>
 */
public final class Credentials {
  private static final Credentials EMPTY = new Credentials(Map.of(), Map.of());

  private final Map<String, String> plain;
  private final Map<String, Secret> secrets;

  private Credentials(Map<String, String> plain, Map<String, Secret> secrets) {
    this.plain = Collections.unmodifiableMap(new TreeMap<>(plain));
    this.secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
  }

  /** No credentials, for fabrics that need none (the embedded Spark fabric). */
  public static Credentials none() {
    return EMPTY;
  }

  /** Credentials made of one secret field, the common case of a personal access token. */
  public static Credentials ofSecret(String field, Secret value) {
    return builder().put(field, value).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A plain field's value. */
  public Optional<String> get(String field) {
    return Optional.ofNullable(plain.get(field));
  }

  /** A secret field's value. */
  public Optional<Secret> secret(String field) {
    return Optional.ofNullable(secrets.get(field));
  }

  /** Whether a field is present, plain or secret. */
  public boolean has(String field) {
    return plain.containsKey(field) || secrets.containsKey(field);
  }

  /** The names of all fields, sorted. */
  public Set<String> fields() {
    Set<String> names = new TreeSet<>(plain.keySet());
    names.addAll(secrets.keySet());
    return Collections.unmodifiableSet(names);
  }

  /** The plain fields. */
  public Map<String, String> plainFields() {
    return plain;
  }

  /** The secret fields. */
  public Map<String, Secret> secretFields() {
    return secrets;
  }

  public boolean isEmpty() {
    return plain.isEmpty() && secrets.isEmpty();
  }

  /** A builder seeded with these fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.plain.putAll(plain);
    b.secrets.putAll(secrets);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && plain.equals(c.plain) && secrets.equals(c.secrets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(plain, secrets.keySet());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Credentials{");
    String sep = "";
    for (String field : fields()) {
      sb.append(sep).append(field).append('=');
      sb.append(plain.containsKey(field) ? plain.get(field) : "****");
      sep = ", ";
    }
    return sb.append('}').toString();
  }

  /** Collects fields; the last value given for a field wins. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> plain = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    private Builder() {}

    /** A plain field. */
    public Builder put(String field, String value) {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, () -> "credential field '" + field + "' has no value");
      secrets.remove(field);
      plain.put(field, value);
      return this;
    }

    /** A secret field. */
    public Builder put(String field, Secret value) {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, () -> "credential field '" + field + "' has no value");
      plain.remove(field);
      secrets.put(field, value);
      return this;
    }

    /** Drops a field. */
    public Builder remove(String field) {
      plain.remove(field);
      secrets.remove(field);
      return this;
    }

    public Credentials build() {
      return new Credentials(plain, secrets);
    }
  }
}
