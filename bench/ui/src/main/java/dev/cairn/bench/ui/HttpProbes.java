package dev.cairn.bench.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Server time as a client on the same machine sees it: from sending the request until the last byte of the answer,
 * over one kept-alive HTTP/1.1 connection (java.net.http), so neither connecting nor a browser is counted.
 */
final class HttpProbes {

    /** One HTTP request; a body makes it a POST of JSON. */
    record Request(String path, String body, String accept) {
        static Request page(String path) {
            return new Request(path, null, "text/html");
        }

        static Request json(String path) {
            return new Request(path, null, "application/json");
        }

        static Request post(String path, String body) {
            return new Request(path, body, "application/json");
        }
    }

    /** What is timed: requests made one after the other (a baseline may need several), each must answer 200. */
    record Probe(String name, List<Request> requests) {
        static Probe of(String name, Request... requests) {
            return new Probe(name, List.of(requests));
        }
    }

    /** Cairn's timings beside the baseline's (null when a row has none), and the bytes each answered. */
    record Timing(Stats cairn, Stats baseline, long cairnBytes, long baselineBytes) {}

    /** A round slower than this is repeated only {@link #SLOW_REPETITIONS} times. */
    static final double SLOW_MS = 2000;
    static final int SLOW_REPETITIONS = 5;

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    HttpProbes(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    /** The body of one request (for building the static baselines), failing on anything but 200. */
    byte[] fetch(Request request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(build(request), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.path() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), 0, Math.min(500, response.body().length), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /**
     * {@code warmup} untimed rounds, then {@code repetitions} timed ones; in each round Cairn and the baseline take turns,
     * the one going first alternating, so drift in the machine's load touches both alike.
     */
    Timing measure(Probe cairn, Probe baseline, int warmup, int repetitions) throws IOException, InterruptedException {
        long[] bytes = new long[2];
        // A round of seconds (the anchors at MLflow's failure sizes) gets one warm-up and a few repetitions.
        double probe = time(cairn, bytes, 0) + (baseline == null ? 0 : time(baseline, bytes, 1));
        if (probe > SLOW_MS) {
            warmup = 0;
            repetitions = Math.min(repetitions, SLOW_REPETITIONS);
        } else {
            warmup = Math.max(0, warmup - 1);
        }
        double[] a = new double[repetitions];
        double[] b = new double[repetitions];
        for (int i = -warmup; i < repetitions; i++) {
            boolean cairnFirst = (i & 1) == 0;
            double first = time(cairnFirst ? cairn : baseline, bytes, cairnFirst ? 0 : 1);
            double second = time(cairnFirst ? baseline : cairn, bytes, cairnFirst ? 1 : 0);
            if (i >= 0) {
                a[i] = cairnFirst ? first : second;
                b[i] = cairnFirst ? second : first;
            }
        }
        return new Timing(Stats.of(a), baseline == null ? null : Stats.of(b), bytes[0], bytes[1]);
    }

    /** Milliseconds for all of the probe's requests; NaN for no probe. */
    private double time(Probe probe, long[] bytes, int slot) throws IOException, InterruptedException {
        if (probe == null) return Double.NaN;
        long total = 0;
        long size = 0;
        for (Request request : probe.requests()) {
            HttpRequest built = build(request);
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(built, HttpResponse.BodyHandlers.ofByteArray());
            total += System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(probe.name() + ": " + request.path() + " answered " + response.statusCode());
            }
            size += response.body().length;
        }
        bytes[slot] = size;
        return total / 1e6;
    }

    private HttpRequest build(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path())).timeout(Duration.ofSeconds(120))
                .header("Accept", request.accept());
        if (request.body() != null) {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request.body()));
        } else {
            builder.GET();
        }
        return builder.build();
    }
}
