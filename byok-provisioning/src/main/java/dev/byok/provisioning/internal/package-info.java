/**
 * Not API: the parts of an AWS operation, one per group of resources (the KMS keys, the CloudTrail
 * trail with its bucket and log key, the vendor's log access), and the call plumbing they share.
 * May change without notice.
 */
@NullMarked
package dev.byok.provisioning.internal;

import org.jspecify.annotations.NullMarked;
