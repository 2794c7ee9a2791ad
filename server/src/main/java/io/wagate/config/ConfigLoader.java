package io.wagate.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Reads {@link ApplianceConfig} from a YAML file with snake_case keys. Unknown keys are errors (a
 * typo must not silently fall back to a default). Every error names the key.
 */
public final class ConfigLoader {
    private final ObjectMapper mapper;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("wagate-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        mapper = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .registerModule(durations);
    }

    /** @throws ConfigException naming the file, the key and the problem */
    public ApplianceConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; see {@link #load(Path)}. */
    public ApplianceConfig parse(String yaml) {
        if (yaml.isBlank()) {
            throw new ConfigException("the config is empty; data_dir and numbers are required");
        }
        try {
            ApplianceConfig config = mapper.readValue(yaml, ApplianceConfig.class);
            if (config == null) {
                throw new ConfigException("the config is empty; data_dir and numbers are required");
            }
            return config;
        } catch (JsonMappingException e) {
            throw translate(e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static ConfigException translate(JsonMappingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return (ConfigException) t;
            }
        }
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (e instanceof UnrecognizedPropertyException) {
            return new ConfigException("unknown key '" + path + "'", e);
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
        return new ConfigException((path.isEmpty() ? "config" : path) + ": " + why, e);
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return Durations.parse(p.getValueAsString());
        }
    }
}
