package dev.cairn.cli.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.definition.DefinitionJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn features show NAME [--version N]}: one definition as applied, and its versions. */
// Without picocli's standard options: their --version (the program's) would take the place of this command's --version N.
@Command(name = "show", description = "Show a feature definition as applied (the latest version, or --version N).")
public final class FeaturesShowCommand implements Callable<Integer> {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR).build());

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "NAME", description = "An entity, source, feature view or feature service.")
    String name;

    @Option(names = "--version", paramLabel = "N", description = "A version (default: the latest).")
    Long version;

    @Override
    public Integer call() {
        try (MetadataStore metadata = store.open()) {
            FeatureStore features = FeatureStores.of(metadata);
            FeatureDefinition d = features.show(name, version);
            Map<String, Object> definition = DefinitionJson.toMap(features.definition(d));
            if (output.json()) {
                Map<String, Object> json = summary(d);
                json.put("definition", definition);
                output.printJson(System.out, json);
                return 0;
            }
            long latest = metadata.features().versions(name).getLast().version();
            System.out.println(d.kind().label() + " " + d.name() + " v" + d.version() + (d.version() == latest ? " (latest)" : " (latest: v" + latest + ")"));
            System.out.println("  sha256  " + d.sha256());
            System.out.println("  applied " + d.createdAt() + " by " + d.createdBy() + (d.source() == null ? "" : " from " + d.source()));
            System.out.print(yaml(definition).indent(2));
            return 0;
        }
    }

    static Map<String, Object> summary(FeatureDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("kind", d.kind().label());
        m.put("version", d.version());
        m.put("sha256", d.sha256());
        m.put("source", d.source());
        m.put("created_by", d.createdBy());
        m.put("created_at", d.createdAt().toString());
        return m;
    }

    private static String yaml(Map<String, Object> definition) {
        try {
            return YAML.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
