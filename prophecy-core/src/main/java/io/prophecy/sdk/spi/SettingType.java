package io.prophecy.sdk.spi;

/** How a setting's text is checked before a fabric is created. */
public enum SettingType {
  STRING,
  /** An absolute http or https URL. */
  URL,
  INTEGER,
  /** {@code true} or {@code false}. */
  BOOLEAN
}
