/**
 * Immutable values of the SDK: users, teams, fabrics, projects, jobs, schedules, credentials and audit
 * events. Each has a nested {@code Builder} or a static factory; none needs {@code new} on a class of
 * an implementation.
 */
@ProphecyStyle
package io.prophecy.sdk.model;

import io.prophecy.sdk.internal.ProphecyStyle;
