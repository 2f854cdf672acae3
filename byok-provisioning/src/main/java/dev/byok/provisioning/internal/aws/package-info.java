/**
 * Not API: one small interface per AWS service provisioning calls (the calls it makes, in our own
 * value types), implemented with the AWS SDK in production and in memory in tests. May change
 * without notice.
 */
@NullMarked
package dev.byok.provisioning.internal.aws;

import org.jspecify.annotations.NullMarked;
