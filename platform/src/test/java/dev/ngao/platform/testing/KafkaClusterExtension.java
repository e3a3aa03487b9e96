package dev.ngao.platform.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its in-process Kafka cluster: a {@link KafkaTestCluster} parameter of a constructor,
 * a {@code @BeforeAll}, {@code @BeforeEach} or {@code @Test} method. The cluster starts when the first
 * parameter asks for it (a class whose tests are all skipped starts none), is shared by every test of the
 * class, and stops after the class's last test.
 * <p>
 * One cluster per class, not per JVM: integration tests write to the fixed topic names of {@code Topics} and
 * read them from the beginning, so a cluster shared between classes would let one class see another's records.
 * <pre>{@code
 * @ExtendWith(KafkaClusterExtension.class)
 * class SomeIT {
 *     @BeforeAll
 *     static void start(KafkaTestCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class KafkaClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster(extensionContext);
    }

    /** The cluster of the test class {@code context} belongs to, started on first use. */
    public static KafkaTestCluster cluster(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(classContext.getRequiredTestClass(),
                testClass -> KafkaTestCluster.start(), KafkaTestCluster.class);
    }

    /**
     * The context of the outermost test class: a {@code @Nested} class shares its enclosing class's cluster,
     * and the store of that context is closed (so is the cluster, an {@link AutoCloseable}) after its last test.
     */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().flatMap(ExtensionContext::getParent).isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext;
    }
}
