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

    /** For a listing whose pages are larger than the others' (a metric's history): its own default and limit. */
    public static Paging from(Context ctx, int defaultSize, int limit) {
        return of(ctx.queryParam(MAX_RESULTS), ctx.queryParam(PAGE_TOKEN), defaultSize, limit);
    }

    public static Paging of(String maxResults, String pageToken) {
        return of(maxResults, pageToken, DEFAULT, LIMIT);
    }

    private static Paging of(String maxResults, String pageToken, int defaultSize, int limit) {
        int max = defaultSize;
        if (maxResults != null && !maxResults.isBlank()) {
            max = check(Params.parseLong(MAX_RESULTS, maxResults), limit);
        }
        return new Paging(max, pageToken == null || pageToken.isBlank() ? null : pageToken);
    }

    public static Paging of(Integer maxResults, String pageToken) {
        return new Paging(maxResults == null ? DEFAULT : check(maxResults, LIMIT),
                pageToken == null || pageToken.isBlank() ? null : pageToken);
    }

    private static int check(long max, int limit) {
        if (max < 1 || max > limit) {
            throw CairnException.invalid(MAX_RESULTS, max, "an integer from 1 to " + limit);
        }
        return (int) max;
    }
}
