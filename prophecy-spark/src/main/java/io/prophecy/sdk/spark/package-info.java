/**
 * The embedded Spark fabric, kind {@code spark}: Apache Spark inside the host JVM ({@code local[*]} by
 * default) or at any Spark master URL, with no credentials.
 *
 * <p>Adding this module's jar to the class path is all a host application does to gain the kind: the
 * SDK finds {@link io.prophecy.sdk.spark.SparkFabricProvider} through {@link java.util.ServiceLoader}.
 * The JVM needs Spark's {@code --add-opens} flags on Java 17 (see the module's README). Everything but
 * the provider and {@link io.prophecy.sdk.spark.SparkPaths} is internal.
 */
package io.prophecy.sdk.spark;
