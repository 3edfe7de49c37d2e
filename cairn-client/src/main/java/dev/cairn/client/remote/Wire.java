package dev.cairn.client.remote;

import dev.cairn.client.RestClient;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers shared by the remote stores: paths under /api/v1 and request bodies without nulls. */
final class Wire {

    static final String API = "/api/v1";

    private Wire() {}

    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw CairnException.invalid("id", value, "a non-empty id or name");
        }
        return RestClient.encode(value);
    }

    /** A JSON object from alternating keys and values; null values are left out by the SDK's mapper. */
    static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /**
     * The refusal of an operation /api/v1 has no endpoint for. ENDPOINT_NOT_FOUND is what the server
     * itself answers for a route it does not serve, so callers see the same code either way.
     */
    static CairnException noEndpoint(String operation, String instead) {
        return new CairnException(ErrorCode.ENDPOINT_NOT_FOUND, "Cairn's REST API /api/v1 has no endpoint to " + operation
                + "; " + instead, Map.of("operation", operation));
    }
}
