package dev.ngao.schemas.registry;

/** Chooses the registry implementation from {@code schema.registry.url}. */
public final class SchemaRegistries {

    private SchemaRegistries() {
    }

    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        String url = config.url();
        if (url.startsWith(SchemaRegistryConfig.MOCK_PREFIX)) {
            return InMemorySchemaRegistry.scope(url.substring(SchemaRegistryConfig.MOCK_PREFIX.length()));
        }
        throw new UnsupportedOperationException("registry not built yet: " + url);
    }
}
