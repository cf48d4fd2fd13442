package io.millrace.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema changes stay BACKWARD compatible: today's schemas (src/main/avro) read data written with every released version.
 *
 * <p>A release snapshots the schemas as they are: {@code src/main/avro/<domain>/<Name>.avsc} is copied, unchanged, to
 * {@code src/test/resources/released-schemas/<version>/<domain>/<Name>.avsc}. Each version is parsed as one set, as the
 * Avro plugin parses src/main/avro, so that a schema's references to others resolve to that version's.
 */
class ReleasedSchemasTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path RELEASED = MODULE.resolve("src/test/resources/released-schemas");
    /** Today's schemas by {@code <domain>/<Name>}. */
    private static final Map<String, Schema> TODAY = parseSet(MODULE.resolve("src/main/avro"));
    /** Released versions, each with its schemas by {@code <domain>/<Name>}. */
    private static final Map<String, Map<String, Schema>> RELEASES = releases();

    @ParameterizedTest(name = "today''s {0} reads data written with {0} of {1}")
    @MethodSource("releasedVersionsOfTodaysSchemas")
    void todaysSchemaReadsDataWrittenWithItsReleasedVersion(String schema, String release) {
        Schema reader = TODAY.get(schema);
        Schema writer = RELEASES.get(release).get(schema);

        SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);

        assertThat(compatibility.getType())
                .as("today's %s reading data written with its version of %s: %s", schema, release,
                        compatibility.getResult().getIncompatibilities().stream()
                                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")").toList())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void everySchemaOfTodayHasAReleasedSnapshot() {
        Set<String> snapshotted = RELEASES.values().stream().flatMap(schemas -> schemas.keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> withoutSnapshot = new TreeSet<>(TODAY.keySet());
        withoutSnapshot.removeAll(snapshotted);

        assertThat(TODAY).as("schemas under src/main/avro").isNotEmpty();
        assertThat(withoutSnapshot).as("schemas with no released snapshot. A schema is snapshotted when it is released: copy "
                + "src/main/avro/<domain>/<Name>.avsc unchanged to src/test/resources/released-schemas/<version>/<domain>/, "
                + "so that every later change is checked against it").isEmpty();
    }

    static Stream<Arguments> releasedVersionsOfTodaysSchemas() {
        return TODAY.keySet().stream().flatMap(schema -> RELEASES.entrySet().stream()
                .filter(release -> release.getValue().containsKey(schema))
                .map(release -> Arguments.of(schema, release.getKey())));
    }

    private static Map<String, Map<String, Schema>> releases() {
        Map<String, Map<String, Schema>> releases = new TreeMap<>();
        try (Stream<Path> versions = Files.list(RELEASED)) {
            versions.filter(Files::isDirectory).forEach(version -> releases.put(version.getFileName().toString(), parseSet(version)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return releases;
    }

    /** Every .avsc under {@code root}, parsed together so that references between them resolve, by {@code <domain>/<Name>}. */
    private static Map<String, Schema> parseSet(Path root) {
        SchemaParser parser = new SchemaParser();
        Map<String, SchemaParser.ParseResult> parsed = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String name = root.relativize(file).toString().replace('\\', '/').replaceFirst("\\.avsc$", "");
                parsed.put(name, parser.parse(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Schema> schemas = new TreeMap<>();
        parsed.forEach((name, result) -> schemas.put(name, parser.resolve(result)));
        return schemas;
    }
}
