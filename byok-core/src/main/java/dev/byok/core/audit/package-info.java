/**
 * The audit record of every key use ({@link dev.byok.core.audit.KeyUseEvent}) and the
 * {@link dev.byok.core.audit.AuditSink} SPI it is delivered through.
 */
@NullMarked
package dev.byok.core.audit;

import org.jspecify.annotations.NullMarked;
