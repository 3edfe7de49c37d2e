package dev.cairn.server.api;

import dev.cairn.core.error.CairnException;
import io.javalin.http.Context;

/** {@code max_results} and {@code page_token}, read and checked the same way by every listing. */
public record Paging(int maxResults, String pageToken) {

    public static final String MAX_RESULTS = "max_results";
    public static final String PAGE_TOKEN = "page_token";
    public static final int DEFAULT = 100;
    public static final int LIMIT = 1000;

    public static Paging from(Context ctx) {
        return of(ctx.queryParam(MAX_RESULTS), ctx.queryParam(PAGE_TOKEN));
    }

    public static Paging of(String maxResults, String pageToken) {
        int max = DEFAULT;
        if (maxResults != null && !maxResults.isBlank()) {
            max = check(Params.parseLong(MAX_RESULTS, maxResults));
        }
        return new Paging(max, pageToken == null || pageToken.isBlank() ? null : pageToken);
    }

    public static Paging of(Integer maxResults, String pageToken) {
        return new Paging(maxResults == null ? DEFAULT : check(maxResults),
                pageToken == null || pageToken.isBlank() ? null : pageToken);
    }

    private static int check(long max) {
        if (max < 1 || max > LIMIT) {
            throw CairnException.invalid(MAX_RESULTS, max, "an integer from 1 to " + LIMIT);
        }
        return (int) max;
    }
}
