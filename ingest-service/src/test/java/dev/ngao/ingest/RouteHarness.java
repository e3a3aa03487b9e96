package dev.ngao.ingest;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The routes under test, started for each test and stopped after it, whatever the test did: a
 * {@link MerchantApiHarness} parameter (the merchant API's routes behind the test guard, producers the test
 * completes or fails by hand) or an {@link ApiFixture} parameter (the whole API behind the real door: signed
 * requests through {@link ApiFixture#sendSigned}, keys in memory). A {@code @BeforeEach} method and the test
 * it prepares get the same instance.
 * <pre>{@code
 * @ExtendWith(RouteHarness.class)
 * class SomeRoutesTest {
 *     @Test
 *     void shouldAnswer(MerchantApiHarness api) { ... }
 * }
 * }</pre>
 */
public final class RouteHarness implements ParameterResolver {

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
        return extensionContext.getStore(NAMESPACE).getOrComputeIfAbsent(type, RouteHarness::start);
    }

    private static Object start(Class<?> type) {
        try {
            return type == MerchantApiHarness.class ? MerchantApiHarness.start() : ApiFixture.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the routes under test", e);
        }
    }
}
