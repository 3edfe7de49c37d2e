package dev.cairn.server.api;

/** A query, path or header parameter of an {@link ApiRoute}; {@code type} is a JSON schema type name. */
public record ApiParameter(String name, In in, String type, boolean required, String description) {

    public enum In {
        PATH, QUERY, HEADER;

        public String openApiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
