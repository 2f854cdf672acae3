/**
 * byok's shared vocabulary: the value types ({@link dev.byok.core.KeyArn},
 * {@link dev.byok.core.EncryptionContext}, {@link dev.byok.core.AccessReason},
 * {@link dev.byok.core.HandoffBundle}, ...), the {@link dev.byok.core.TenantDirectory} and the
 * exceptions rooted in {@link dev.byok.core.ByokException}. Nothing here is nullable unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.byok.core;

import org.jspecify.annotations.NullMarked;
