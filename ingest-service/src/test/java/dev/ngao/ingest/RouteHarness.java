package dev.ngao.ingest;

import dev.ngao.events.Outcome;
import dev.ngao.ingest.card.CardAuthorizationRoutes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;

/**
 * The routes under test, started for each test and stopped after it, whatever the test did: a
 * {@link MerchantApiHarness} parameter (the merchant API's routes behind the test guard, producers the test
 * completes or fails by hand) or an {@link ApiFixture} parameter (the whole API behind the real door: signed
 * requests through {@link ApiFixture#sendSigned}, keys in memory). A {@code @BeforeEach} method and the test
 * it prepares get the same instance. A {@link MerchantApiSettings} on the test method, else on its class (directly
 * or on an annotation of theirs), starts the merchant API with its card authorization policy and Kafka timeout
 * instead of {@link MerchantApiHarness#start()}'s.
 * <pre>{@code
 * @ExtendWith(RouteHarness.class)
 * class SomeRoutesTest {
 *     @Test
 *     void shouldAnswer(MerchantApiHarness api) { ... }
 * }
 * }</pre>
 */
public final class RouteHarness implements ParameterResolver {

    /** The merchant API's card authorization policy and Kafka timeout for the annotated test, or every test of the class. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    public @interface MerchantApiSettings {

        /** How long an authorization waits for risk's decision. */
        long authorizationDeadlineMs();

        /** The answer when no decision came within the deadline. */
        Outcome authorizationTimeoutOutcome();

        /** How long a write waits for Kafka's acknowledgement. */
        long kafkaTimeoutMs();
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RouteHarness.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return extensionContext.getTestMethod().isPresent()
                && (type == MerchantApiHarness.class || type == ApiFixture.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        // Stored in the test's own context: closed (an AutoCloseable) once the test and its @AfterEach ran.
        Optional<MerchantApiSettings> settings = settings(extensionContext);
        return extensionContext.getStore(NAMESPACE).getOrComputeIfAbsent(type, started -> start(started, settings));
    }

    private static Optional<MerchantApiSettings> settings(ExtensionContext extensionContext) {
        return AnnotationSupport.findAnnotation(extensionContext.getTestMethod(), MerchantApiSettings.class)
                .or(() -> AnnotationSupport.findAnnotation(extensionContext.getTestClass(), MerchantApiSettings.class));
    }

    private static Object start(Class<?> type, Optional<MerchantApiSettings> settings) {
        try {
            if (type == ApiFixture.class) {
                return ApiFixture.start();
            }
            if (settings.isEmpty()) {
                return MerchantApiHarness.start();
            }
            MerchantApiSettings chosen = settings.get();
            return MerchantApiHarness.start(new CardAuthorizationRoutes.Policy(chosen.authorizationDeadlineMs(),
                    chosen.authorizationTimeoutOutcome()), chosen.kafkaTimeoutMs());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the routes under test", e);
        }
    }
}
