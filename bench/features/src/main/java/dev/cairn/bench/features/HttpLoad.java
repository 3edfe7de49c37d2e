package dev.cairn.bench.features;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Closed-loop HTTP/1.1 clients (java.net.http, keep-alive) posting single-row predictions, each body in turn. */
final class HttpLoad {
    private HttpLoad() {}

    /** Answers 200 in {@code seconds}, other answers (and the first of them), latency percentiles in ms. */
    record Round(String name, long requests, long errors, double seconds, double p50, double p99, double p999, String firstError) {
        double rate() {
            return requests / seconds;
        }
    }

    static Round drive(String name, String url, List<String> bodies, int clients, double seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(url);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("bench-client-" + t).start(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                int next = id * 7919;
                while (System.nanoTime() < deadline) {
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(next++ % bodies.size()))).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
                            mine[n++] = System.nanoTime() - t0;
                        } else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, response.statusCode() + " " + response.body());
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                latencies[id] = mine;
                counts[id] = n;
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        http.close();
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new Round(name, ok.get(), errors.get(), elapsed, Latency.percentile(all, 0.5), Latency.percentile(all, 0.99),
                Latency.percentile(all, 0.999), firstError.get());
    }
}
