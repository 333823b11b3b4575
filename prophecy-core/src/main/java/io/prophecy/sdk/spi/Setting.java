package io.prophecy.sdk.spi;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * One setting a fabric kind takes (in a fabric's settings) or one field of its users' credentials.
 *
 * <pre>{@code
 * Setting.required("workspaceUrl", SettingType.URL, "The workspace URL, https://<instance>")
 * Setting.secret("token", "A personal access token")
 * }</pre>
 */
@Value.Immutable
public abstract class Setting {
  public abstract String name();

  public abstract String description();

  @Value.Default
  public SettingType type() {
    return SettingType.STRING;
  }

  @Value.Default
  public boolean required() {
    return false;
  }

  /** Secret fields are only valid among credential fields; the vault encrypts them. */
  @Value.Default
  public boolean secret() {
    return false;
  }

  /** The value used where none is given; only for optional settings. */
  public abstract Optional<String> defaultValue();

  public static Setting required(String name, SettingType type, String description) {
    return builder().name(name).type(type).description(description).required(true).build();
  }

  public static Setting optional(String name, SettingType type, String defaultValue, String description) {
    return builder().name(name).type(type).description(description).defaultValue(Optional.ofNullable(defaultValue)).build();
  }

  /** A required secret credential field, such as a token or password. */
  public static Setting secret(String name, String description) {
    return builder().name(name).description(description).required(true).secret(true).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  protected void check() {
    if (required() && defaultValue().isPresent()) {
      throw new IllegalStateException("setting '" + name() + "' is required, so it takes no default");
    }
  }

  public static final class Builder extends ImmutableSetting.Builder {}
}
