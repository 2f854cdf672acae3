/**
 * Not API: what byok's own modules share beyond the public types (the canonical serialization of an
 * encryption context, the audit event's JSON line writer). Exported only to those modules; it may
 * change without notice.
 */
@NullMarked
package dev.byok.core.internal;

import org.jspecify.annotations.NullMarked;
