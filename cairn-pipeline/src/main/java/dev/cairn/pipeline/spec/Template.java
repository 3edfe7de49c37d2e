package dev.cairn.pipeline.spec;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code ${...}} references, as written in a step's {@code with} values: {@code ${params.NAME}},
 * {@code ${steps.STEP.outputs.NAME}}, {@code ${run.NAME}} (see {@link Reference#RUN_VARIABLES}); {@code $${} is a
 * literal {@code ${}. A value that is exactly one reference resolves to the referenced value itself (a boolean stays
 * a boolean, a list a list); otherwise references are rendered as text into the surrounding text.
 */
public final class Template {
    static final String FORMS = "${params.NAME}, ${steps.STEP.outputs.NAME} or ${run.NAME}";
    private static final Pattern PARAM = Pattern.compile("params\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern OUTPUT = Pattern.compile("steps\\.([a-z0-9][a-z0-9_-]*)\\.outputs\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern RUN = Pattern.compile("run\\.([A-Za-z_][A-Za-z0-9_]*)");

    /** A piece of the text: literal text, or a reference. */
    private sealed interface Part {}

    private record Literal(String text) implements Part {}

    private record Ref(Reference reference) implements Part {}

    private final String text;
    private final List<Part> parts;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Whether {@code text} may hold a reference (or an escaped {@code $${}). */
    public static boolean mayReference(String text) {
        return text != null && text.contains("${");
    }

    /** Parses {@code text}; a malformed or unknown reference is an error whose message names it. */
    public static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
                continue;
            }
            if (!text.startsWith("${", i)) {
                literal.append(text.charAt(i++));
                continue;
            }
            int close = text.indexOf('}', i + 2);
            if (close < 0) throw invalid(text, "'${' at position " + (i + 1) + " is not closed by '}' (write $${ for a literal ${)");
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(new Ref(reference(text, text.substring(i, close + 1))));
            i = close + 1;
        }
        if (!literal.isEmpty()) parts.add(new Literal(literal.toString()));
        return new Template(text, List.copyOf(parts));
    }

    /** The template, or empty when {@code text} does not parse as one. */
    static Optional<Template> parseQuietly(String text) {
        try {
            return Optional.of(parse(text));
        } catch (CairnException e) {
            return Optional.empty();
        }
    }

    /** One {@code ${...}} (braces included) as a reference; errors name it and the forms allowed. */
    static Reference reference(String context, String written) {
        String inner = written.substring(2, written.length() - 1).strip();
        Matcher m = PARAM.matcher(inner);
        if (m.matches()) return Reference.param(m.group(1));
        m = OUTPUT.matcher(inner);
        if (m.matches()) return Reference.output(m.group(1), m.group(2));
        m = RUN.matcher(inner);
        if (m.matches()) {
            if (!Reference.RUN_VARIABLES.contains(m.group(1))) {
                throw invalid(context, "unknown run variable '" + m.group(1) + "' in " + written + " (known: "
                        + String.join(", ", Reference.RUN_VARIABLES) + ")");
            }
            return Reference.run(m.group(1));
        }
        String hint = inner.startsWith("steps.") && !inner.contains(".outputs.") ? " (a step's value is ${steps.STEP.outputs.NAME})"
                : inner.startsWith("param.") || inner.startsWith("parameters.") ? " (parameters are ${params.NAME})" : "";
        throw invalid(context, written + " is not a reference: expected " + FORMS + hint);
    }

    public String text() {
        return text;
    }

    /** The references, in order of appearance, each once. */
    public List<Reference> references() {
        LinkedHashSet<Reference> refs = new LinkedHashSet<>();
        for (Part p : parts) if (p instanceof Ref r) refs.add(r.reference());
        return List.copyOf(refs);
    }

    /** Whether the text is exactly one reference, whose value then replaces it whole. */
    public boolean isSingleReference() {
        return parts.size() == 1 && parts.getFirst() instanceof Ref;
    }

    /** Whether there is any reference at all (a text with only {@code $${} escapes has none). */
    public boolean hasReferences() {
        return parts.stream().anyMatch(p -> p instanceof Ref);
    }

    /**
     * The value: for a single reference, its value as {@code values} gives it; otherwise the text with every
     * reference rendered as text (null as empty).
     */
    public Object render(Function<Reference, Object> values) {
        if (isSingleReference()) return values.apply(((Ref) parts.getFirst()).reference());
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.text());
                case Ref r -> {
                    Object v = values.apply(r.reference());
                    if (v != null) out.append(v);
                }
            }
        }
        return out.toString();
    }

    /**
     * Resolves every reference in a {@code with} value (a text, a list or a mapping of them, or any other scalar,
     * returned as is). Used by the engine once upstream outputs are known.
     */
    public static Object resolve(Object value, Function<Reference, Object> values) {
        if (value instanceof String s) return mayReference(s) ? parse(s).render(values) : s;
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(resolve(o, values));
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, values)));
            return Collections.unmodifiableMap(out);
        }
        return value;
    }

    private static CairnException invalid(String text, String message) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message,
                Map.of("field", "template", "value", text, "expected", FORMS));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
