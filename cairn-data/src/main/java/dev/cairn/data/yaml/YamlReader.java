package dev.cairn.data.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads YAML text into a {@link YamlNode} tree with the line of every key and value, through Jackson's streaming
 * parser. Duplicate keys and aliases ({@code *name}, which Jackson does not expand) are problems; so are a second
 * document and an empty one. The one YAML-with-lines reader of Cairn: pipeline specs and feature definitions use it.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {}

    /**
     * What is being read, for messages: {@code name} as in "the spec is empty" or "a definition file is one document",
     * {@code expected} what an empty document should have held ("a mapping with name and steps").
     */
    public record Document(String name, String expected) {}

    /** The document's root, or null when the text is not one YAML document (the problem is added). */
    public static YamlNode read(String text, YamlProblems problems, Document document) {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(1, 1, "", "the " + document.name() + " is empty; expected " + document.expected());
                return null;
            }
            YamlNode root = node(parser, first, "", problems, document);
            JsonToken more = parser.nextToken();
            if (more != null) {
                JsonLocation at = parser.currentTokenLocation();
                problems.add(at.getLineNr(), at.getColumnNr(), "",
                        "a second YAML document begins here; a " + document.name() + " is one document (remove the '---')");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()), "",
                    "not valid YAML: " + summary(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private static YamlNode node(YAMLParser p, JsonToken token, String path, YamlProblems problems, Document document)
            throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        switch (token) {
            case START_OBJECT -> {
                List<YamlNode.Entry> entries = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = node(p, p.nextToken(), keyPath, problems, document);
                    YamlNode.Entry entry = new YamlNode.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value);
                    YamlNode.Entry first = entries.stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
                    if (first != null) {
                        problems.add(entry, keyPath, "duplicate key '" + key + "' (first at line " + first.line() + ")");
                    } else {
                        entries.add(entry);
                    }
                }
                return new YamlNode.Mapping(List.copyOf(entries), line, column);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    items.add(node(p, t, path + "[" + items.size() + "]", problems, document));
                }
                return new YamlNode.Sequence(List.copyOf(items), line, column);
            }
            case VALUE_STRING -> {
                if (p.isCurrentAlias()) {
                    problems.add(line, column, path, "YAML aliases (*" + p.getText() + ") are not supported in a "
                            + document.name() + "; write the value out");
                    return new YamlNode.Invalid(line, column);
                }
                return new YamlNode.Scalar(p.getText(), p.getText(), line, column);
            }
            case VALUE_NUMBER_INT -> {
                Number n = p.getNumberValue();
                Object value = n instanceof BigInteger big && big.bitLength() >= 64 ? big : (Object) n.longValue();
                return new YamlNode.Scalar(value, p.getText(), line, column);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(p.getDoubleValue(), p.getText(), line, column);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(token == JsonToken.VALUE_TRUE, p.getText(), line, column);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(null, p.getText(), line, column);
            }
            default -> {
                problems.add(line, column, path, "unsupported YAML value (" + token + "); expected a text, number, "
                        + "boolean, list or mapping");
                return new YamlNode.Invalid(line, column);
            }
        }
    }

    /** SnakeYAML's message without its source excerpt: "while parsing ...; expected ..., but found ...". */
    private static String summary(String message) {
        if (message == null) return "unreadable";
        String s = message.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip)
                .distinct()
                .collect(Collectors.joining("; "));
        return s.isEmpty() ? message.strip() : s;
    }
}
