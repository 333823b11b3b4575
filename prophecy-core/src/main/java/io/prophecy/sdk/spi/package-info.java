/**
 * The connector SPI: what a fabric connector module implements so that the SDK can run code on its
 * engine and schedule jobs there, and what a code store implements so that projects are versioned
 * ({@link io.prophecy.sdk.spi.CodeStore}, listed in
 * {@code META-INF/services/io.prophecy.sdk.spi.CodeStore}; module {@code prophecy-git}).
 *
 * <p>A connector ships one {@link io.prophecy.sdk.spi.FabricProvider} listed in
 * {@code META-INF/services/io.prophecy.sdk.spi.FabricProvider}; adding its jar to the class path is all
 * a host application does to gain the fabric kind. Connectors use this package, the values in
 * {@code io.prophecy.sdk.model} and the exceptions of {@code io.prophecy.sdk}; nothing under
 * {@code internal}.
 *
 * <p>Interfaces here only grow by {@code default} methods, so a connector built against an older SDK
 * keeps working.
 */
@ProphecyStyle
package io.prophecy.sdk.spi;

import io.prophecy.sdk.internal.ProphecyStyle;
