package dev.cairn.pipeline.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code notify}: writes the message to the run's log at its level and, when a webhook is given, POSTs it as JSON
 * ({@code {pipeline, run_id, step, level, message, time}}). A webhook that does not answer 2xx within the timeout
 * fails the attempt with an ordinary exception, which the engine retries as the step says: a chat service that is
 * down for a minute is the usual case. Only http(s) URLs are taken.
 */
public final class NotifyStep implements StepRunner {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> LEVELS = List.of("info", "warning", "error");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    public NotifyStep() {
        this(HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public NotifyStep(HttpClient http) {
        this.http = http;
    }

    @Override
    public StepType type() {
        return StepType.NOTIFY;
    }

    @Override
    public StepResult run(StepContext context) throws IOException, InterruptedException {
        String message = context.text("message");
        String level = context.optionalText("level").orElse("info").strip().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) throw CairnException.invalid(context.field("level"), level, "one of " + LEVELS);
        URI webhook = context.has("webhook") ? webhook(context) : null;

        // StepContext has INFO and WARN lines; an error-level message is a WARN line that says so.
        switch (level) {
            case "info" -> context.log(message);
            case "warning" -> context.warn(message);
            default -> context.warn("[error] " + message);
        }
        if (webhook == null) return StepResult.empty();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", context.run().pipeline());
        body.put("run_id", context.run().runId());
        body.put("step", context.step().id());
        body.put("level", level);
        body.put("message", message);
        body.put("time", context.now().toString());
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot write the notification as JSON: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        // Webhook URLs often carry their secret in the path: the log names the host only.
        String where = webhook.getScheme() + "://" + webhook.getHost() + (webhook.getPort() < 0 ? "" : ":" + webhook.getPort());
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            if (answer.length() > 200) answer = answer.substring(0, 200) + "…";
            throw new IOException("The webhook " + where + " of " + context.field("webhook") + " answered " + response.statusCode()
                    + (answer.isEmpty() ? "" : ": " + answer));
        }
        context.log("Sent to " + where + " (" + response.statusCode() + ")");
        return StepResult.empty();
    }

    /** The webhook URL: absolute http(s) only (HttpClient speaks nothing else, and a confined server must not be led elsewhere). */
    private static URI webhook(StepContext context) {
        String text = context.text("webhook").strip();
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid(context.field("webhook"), redact(text), "an http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw CairnException.invalid(context.field("webhook"), redact(text), "an http(s) URL such as https://hooks.example.com/T000/B000"
                    + (context.workspace().confined() ? " (a confined workspace takes no other)" : ""));
        }
        return uri;
    }

    /** Webhook URLs often carry their secret in the path or query: messages show the scheme and host only. */
    private static String redact(String url) {
        int start = url.indexOf("://");
        if (start < 0) return url.length() > 20 ? url.substring(0, 20) + "…" : url;
        int end = url.indexOf('/', start + 3);
        return end < 0 ? url : url.substring(0, end) + "/…";
    }
}
