package io.millrace.schemas.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Confluent-compatible Avro schema registry rebuilt purely from a {@link SchemaLog}, so instances sharing one agree. */
public final class SchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    // Tolerates fields added by later versions, so an older instance can still replay a newer log.
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String SCHEMA_KEY_PREFIX = "schema:";
    private static final String CONFIG_KEY_PREFIX = "config:";
    private static final String LATEST = "latest";
    private static final int MAX_REGISTER_ATTEMPTS = 16;

    private final SchemaLog log;
    private final Object lock = new Object();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubjectVersion = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int highestId;
    private volatile boolean started;

    /** Takes ownership of {@code log}: closing the registry closes it. */
    public SchemaRegistry(SchemaLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Replays the log into memory and returns once caught up. */
    public void start() {
        log.start(this::apply);
        started = true;
        synchronized (lock) {
            LOG.info("Schema registry ready: {} subjects, {} schemas", idsBySubjectVersion.size(), schemasById.size());
        }
    }

    /** Registers {@code schemaJson} under {@code subject}, or returns its existing version when already there. */
    public RegisteredSchema register(String subject, String schemaJson) {
        requireStarted();
        requireValidSubject(subject);
        Schema schema = parse(schemaJson);
        String canonical = schema.toString();
        // Instances elect no leader: each appends a candidate (subject, version, id, schema), every instance applies
        // the log in the same order with the same rule, so the first claim to an id or version wins everywhere
        // and a candidate that lost simply retries with a fresh one.
        for (int attempt = 1; attempt <= MAX_REGISTER_ATTEMPTS; attempt++) {
            Registration candidate;
            synchronized (lock) {
                Optional<RegisteredSchema> existing = find(subject, canonical);
                if (existing.isPresent()) {
                    return existing.get();
                }
                List<String> problems = effectiveLevel(subject).incompatibilities(schema, schemasOf(subject));
                if (!problems.isEmpty()) {
                    throw SchemaRegistryException.incompatibleSchema(subject, problems);
                }
                int id = idsBySchema.getOrDefault(canonical, highestId + 1);
                candidate = new Registration(subject, versionsOf(subject).size() + 1, id, canonical);
            }
            log.append(candidate.key(), encode(candidate));
            synchronized (lock) {
                Optional<RegisteredSchema> registered = find(subject, canonical);
                if (registered.isPresent()) {
                    RegisteredSchema result = registered.get();
                    LOG.info("Registered schema id {} as version {} of subject '{}'", result.id(), result.version(), subject);
                    return result;
                }
            }
            LOG.debug("Registration candidate for subject '{}' lost a race (attempt {}), retrying", subject, attempt);
        }
        throw SchemaRegistryException.storeError("Could not register a schema under subject '" + subject + "' after "
                + MAX_REGISTER_ATTEMPTS + " attempts: concurrent registrations kept claiming the same id or version", null);
    }

    /**
     * Finds the version of {@code subject} holding {@code schemaJson}. Never empty: an unknown subject is 40401
     * and a schema not in the subject is 40403, as in Confluent's API.
     */
    public Optional<RegisteredSchema> lookup(String subject, String schemaJson) {
        String canonical = parse(schemaJson).toString();
        synchronized (lock) {
            requireSubject(subject);
            return Optional.of(find(subject, canonical).orElseThrow(SchemaRegistryException::schemaNotFound));
        }
    }

    public List<String> subjects() {
        synchronized (lock) {
            return idsBySubjectVersion.keySet().stream().sorted().toList();
        }
    }

    public List<Integer> versions(String subject) {
        synchronized (lock) {
            return IntStream.rangeClosed(1, requireSubject(subject).size()).boxed().toList();
        }
    }

    /** One version of a subject, by number or {@code "latest"}. */
    public RegisteredSchema version(String subject, String version) {
        int requested = parseVersion(version);
        synchronized (lock) {
            List<Integer> ids = requireSubject(subject);
            int number = requested == 0 ? ids.size() : requested;
            if (number > ids.size()) {
                throw SchemaRegistryException.versionNotFound(number);
            }
            int id = ids.get(number - 1);
            return new RegisteredSchema(subject, number, id, schemasById.get(id).toString());
        }
    }

    public String schemaById(int id) {
        Schema schema = knownSchema(id);
        if (schema == null) {
            // Another instance may have registered it a moment ago: catch up with the log before saying no.
            log.sync();
            schema = knownSchema(id);
        }
        if (schema == null) {
            throw SchemaRegistryException.schemaNotFound(id);
        }
        return schema.toString();
    }

    private Schema knownSchema(int id) {
        synchronized (lock) {
            return schemasById.get(id);
        }
    }

    /** Whether {@code schemaJson} may follow the given version under the direction of the subject's level. */
    public boolean isCompatible(String subject, String version, String schemaJson) {
        Schema candidate = parse(schemaJson);
        RegisteredSchema target = version(subject, version);
        synchronized (lock) {
            return effectiveLevel(subject).isCompatible(candidate, List.of(schemasById.get(target.id())));
        }
    }

    /** The subject's level, falling back to the global one; {@code null} asks for the global level. */
    public CompatibilityLevel compatibility(String subjectOrNull) {
        synchronized (lock) {
            return subjectOrNull == null ? globalLevel : effectiveLevel(subjectOrNull);
        }
    }

    /** Sets the subject's level, or the global one for {@code null}; 42203 when {@code level} is not a level. */
    public CompatibilityLevel setCompatibility(String subjectOrNull, String level) {
        requireStarted();
        CompatibilityLevel parsed = CompatibilityLevel.parse(level);
        if (subjectOrNull != null) {
            requireValidSubject(subjectOrNull);
        }
        String key = CONFIG_KEY_PREFIX + (subjectOrNull == null ? "" : subjectOrNull);
        log.append(key, encode(new Config(parsed.name())));
        LOG.info("Compatibility of {} set to {}", subjectOrNull == null ? "the registry" : "subject '" + subjectOrNull + "'", parsed);
        return parsed;
    }

    @Override
    public void close() {
        log.close();
    }

    private void apply(String key, byte[] value) {
        if (value == null) {
            return;
        }
        try {
            if (key.startsWith(SCHEMA_KEY_PREFIX)) {
                applyRegistration(JSON.readValue(value, Registration.class));
            } else if (key.startsWith(CONFIG_KEY_PREFIX)) {
                applyConfig(key.substring(CONFIG_KEY_PREFIX.length()), JSON.readValue(value, Config.class));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping unreadable schema log record '{}': {}", key, e.toString());
        }
    }

    // The acceptance rule must depend only on records before this one: every instance replays the same log
    // and has to reach the same verdict, now and after any restart.
    private void applyRegistration(Registration record) {
        Schema schema = new Schema.Parser().parse(record.schema());
        String canonical = schema.toString();
        synchronized (lock) {
            Integer existingId = idsBySchema.get(canonical);
            boolean idFits = record.id() > 0
                    && (existingId == null ? !schemasById.containsKey(record.id()) : existingId == record.id());
            List<Integer> ids = versionsOf(record.subject());
            boolean versionFits = record.version() == ids.size() + 1 && !ids.contains(record.id());
            if (!idFits || !versionFits) {
                return;
            }
            schemasById.put(record.id(), schema);
            idsBySchema.put(canonical, record.id());
            idsBySubjectVersion.computeIfAbsent(record.subject(), subject -> new ArrayList<>()).add(record.id());
            highestId = Math.max(highestId, record.id());
        }
    }

    private void applyConfig(String subject, Config config) {
        CompatibilityLevel level = CompatibilityLevel.parse(config.compatibilityLevel());
        synchronized (lock) {
            if (subject.isEmpty()) {
                globalLevel = level;
            } else {
                subjectLevels.put(subject, level);
            }
        }
    }

    private Optional<RegisteredSchema> find(String subject, String canonical) {
        Integer id = idsBySchema.get(canonical);
        int index = id == null ? -1 : versionsOf(subject).indexOf(id);
        return index < 0 ? Optional.empty() : Optional.of(new RegisteredSchema(subject, index + 1, id, canonical));
    }

    private List<Integer> versionsOf(String subject) {
        return idsBySubjectVersion.getOrDefault(subject, List.of());
    }

    private List<Schema> schemasOf(String subject) {
        return versionsOf(subject).stream().map(schemasById::get).toList();
    }

    private List<Integer> requireSubject(String subject) {
        List<Integer> ids = idsBySubjectVersion.get(subject);
        if (ids == null) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return ids;
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("Schema registry not started; call start() first");
        }
    }

    private static void requireValidSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw SchemaRegistryException.invalidSubject(String.valueOf(subject));
        }
    }

    /** 0 stands for "latest". */
    private static int parseVersion(String version) {
        if (LATEST.equals(version)) {
            return 0;
        }
        try {
            int number = Integer.parseInt(version);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // falls through to the same error as a non-positive number
        }
        throw SchemaRegistryException.invalidVersion(version);
    }

    private static Schema parse(String schemaJson) {
        if (schemaJson == null || schemaJson.isBlank()) {
            throw SchemaRegistryException.invalidSchema("empty schema");
        }
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            throw SchemaRegistryException.invalidSchema(e.getMessage());
        }
    }

    private static byte[] encode(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw SchemaRegistryException.storeError("Could not encode a schema log record", e);
        }
    }

    /** A candidate registration as stored in the log. */
    private record Registration(String subject, int version, int id, String schema) {

        // Unique per attempt, so compaction never drops or reorders a registration record: replay after
        // compaction must see exactly the sequence the live instances applied.
        String key() {
            return SCHEMA_KEY_PREFIX + subject + ":" + version + ":" + id + ":" + UUID.randomUUID();
        }
    }

    /** A compatibility setting as stored in the log; the last one per key wins. */
    private record Config(String compatibilityLevel) {
    }
}
