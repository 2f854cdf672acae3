/**
 * The customer's key events, pushed: {@link dev.byok.aws.events.KeyEventListener} takes the
 * CloudTrail records of the customer's KMS calls (DisableKey, EnableKey, ...) from this vendor
 * instance's SQS queue and revokes, or checks, access to the key at once. Everything in
 * {@code dev.byok.aws.events.internal} is not public API.
 */
package dev.byok.aws.events;
