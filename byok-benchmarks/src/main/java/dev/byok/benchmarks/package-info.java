/**
 * JMH benchmarks of byok side by side with the AWS Encryption SDK for Java, Google Tink and raw
 * JDK AES-GCM, all over one in-process fake AWS KMS ({@link dev.byok.benchmarks.FakeKms}).
 *
 * <p>Build and list: {@code mvn -DskipTests -pl byok-benchmarks -am package && java -jar
 * byok-benchmarks/target/benchmarks.jar -l}. The short profile that writes
 * {@code docs/benchmarks.md} is {@code scripts/bench}.
 */
package dev.byok.benchmarks;
