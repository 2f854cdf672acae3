package dev.byok.benchmarks;

import dev.byok.aws.kms.AwsKmsKeyService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * byok's real {@link AwsKmsKeyService} over a {@link FakeKms}, so byok pays the same KMS path as
 * the other competitors (a {@code KmsClient} call with request and response objects, the error
 * classification, the response checks). {@code AwsKmsKeyService} builds its clients from a
 * {@link KmsClientBuilder} supplier; this hands it a builder whose every setter is ignored and
 * whose {@code build()} returns the fake.
 */
final class FakeKmsKeyService {
  private FakeKmsKeyService() {}

  /** A key service whose every region's client is {@code kms}. The caller closes it. */
  static AwsKmsKeyService over(FakeKms kms) {
    return AwsKmsKeyService.builder()
        .clientBuilder(() -> builderReturning(kms))
        .maxAttempts(1)
        .build();
  }

  private static KmsClientBuilder builderReturning(FakeKms kms) {
    InvocationHandler handler = new InvocationHandler() {
      @Override
      public Object invoke(Object proxy, Method method, Object[] args) {
        if (method.getName().equals("build") && method.getParameterCount() == 0) {
          return kms;
        }
        if (method.getDeclaringClass() == Object.class) {
          switch (method.getName()) {
            case "equals": return proxy == args[0];
            case "hashCode": return System.identityHashCode(proxy);
            default: return "FakeKmsClientBuilder";
          }
        }
        // Fluent setters return the builder; getters (overrideConfiguration()) have nothing set.
        return method.getReturnType().isInstance(proxy) ? proxy : null;
      }
    };
    return (KmsClientBuilder) Proxy.newProxyInstance(FakeKmsKeyService.class.getClassLoader(),
        new Class<?>[] {KmsClientBuilder.class}, handler);
  }
}
