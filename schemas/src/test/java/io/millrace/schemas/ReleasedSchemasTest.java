package io.millrace.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema version ever released (a copy under src/test/resources/released-schemas, added on release)
 * must stay readable by today's generated class: schema changes stay BACKWARD compatible.
 */
class ReleasedSchemasTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void todaysGeneratedClassReadsDataWrittenWithEachReleasedVersion(Path released) throws Exception {
        Schema releasedSchema = new Schema.Parser().parse(released.toFile());
        Schema current = SpecificData.get().getSchema(Class.forName(releasedSchema.getFullName()));

        assertThat(CompatibilityLevel.BACKWARD.incompatibilities(current, List.of(releasedSchema))).isEmpty();
    }

    static Stream<Path> releasedSchemas() throws IOException, URISyntaxException {
        Path root = Path.of(ReleasedSchemasTest.class.getResource("/released-schemas").toURI());
        List<Path> schemas;
        try (Stream<Path> files = Files.walk(root)) {
            schemas = files.filter(file -> file.toString().endsWith(".avsc")).sorted().toList();
        }
        assertThat(schemas).as("released schemas under %s", root).isNotEmpty();
        return schemas.stream();
    }
}
