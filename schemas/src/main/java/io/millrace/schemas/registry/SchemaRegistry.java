package io.millrace.schemas.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
    private static final String DELETE_KEY_PREFIX = "delete:";
    private static final String LATEST = "latest";
    private static final int MAX_REGISTER_ATTEMPTS = 16;
    private static final int MAX_SUBJECT_LENGTH = 255;
    // Confluent keeps these subject names for itself.
    private static final Set<String> RESERVED_SUBJECTS = Set.of("__GLOBAL", "__EMPTY");

    private final SchemaLog log;
    private final Object lock = new Object();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    // Oldest first; soft-deleted versions stay until deleted permanently, so their numbers are never given again.
    private final Map<String, List<Version>> versionsBySubject = new HashMap<>();
    // Ids whose every version was deleted permanently: no longer served, and never given to another schema.
    private final Set<Integer> retiredIds = new HashSet<>();
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
            LOG.info("Schema registry ready: {} subjects, {} schemas", versionsBySubject.size(), schemasById.size());
        }
    }

    /**
     * Registers {@code schemaJson} under {@code subject}, or returns its existing live version when already there.
     * A schema whose version was soft-deleted comes back as a new version with its old id, as in Confluent.
     */
    public RegisteredSchema register(String subject, String schemaJson) {
        requireStarted();
        requireValidSubject(subject);
        Schema schema = AvroSchemaRules.parseNew(schemaJson);
        String canonical = schema.toString();
        // Instances elect no leader: each appends a candidate (subject, version, id, schema), every instance applies
        // the log in the same order with the same rule, so the first claim to an id or version wins everywhere
        // and a candidate that lost simply retries with a fresh one.
        for (int attempt = 1; attempt <= MAX_REGISTER_ATTEMPTS; attempt++) {
            Registration candidate;
            synchronized (lock) {
                Optional<RegisteredSchema> existing = findLive(subject, canonical);
                if (existing.isPresent()) {
                    return existing.get();
                }
                List<String> problems = effectiveLevel(subject).incompatibilities(schema, liveSchemasOf(subject));
                if (!problems.isEmpty()) {
                    throw SchemaRegistryException.incompatibleSchema(subject, problems);
                }
                int id = idsBySchema.getOrDefault(canonical, highestId + 1);
                candidate = new Registration(subject, nextVersion(versionsOf(subject)), id, canonical);
            }
            log.append(candidate.key(), encode(candidate));
            synchronized (lock) {
                Optional<RegisteredSchema> registered = findLive(subject, canonical);
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
     * Finds the live version of {@code subject} holding {@code schemaJson}. Never empty: a subject without live
     * versions is 40401 and a schema not in the subject is 40403, as in Confluent's API.
     */
    public Optional<RegisteredSchema> lookup(String subject, String schemaJson) {
        String canonical = AvroSchemaRules.parseForLookup(schemaJson).toString();
        synchronized (lock) {
            requireVersions(subject, false);
            return Optional.of(findLive(subject, canonical).orElseThrow(SchemaRegistryException::schemaNotFound));
        }
    }

    /** Subjects with a live version, sorted. */
    public List<String> subjects() {
        return subjects(false);
    }

    /** Subjects with a live version, and with {@code includeDeleted} those whose versions are all soft-deleted too. */
    public List<String> subjects(boolean includeDeleted) {
        synchronized (lock) {
            return versionsBySubject.entrySet().stream()
                    .filter(subject -> includeDeleted || subject.getValue().stream().anyMatch(Version::live))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** The subject's live version numbers; 40401 when it has none. */
    public List<Integer> versions(String subject) {
        return versions(subject, false);
    }

    /** The subject's version numbers, soft-deleted ones too with {@code includeDeleted}; 40401 when there are none. */
    public List<Integer> versions(String subject, boolean includeDeleted) {
        synchronized (lock) {
            return requireVersions(subject, includeDeleted).stream().map(Version::number).toList();
        }
    }

    /** One live version of a subject, by number or {@code "latest"}. */
    public RegisteredSchema version(String subject, String version) {
        return version(subject, version, false);
    }

    /**
     * One version of a subject by number, a soft-deleted one too with {@code includeDeleted}, or {@code "latest"}:
     * the latest live version. 40401 when the subject has no such versions at all, 40402 when it lacks this one.
     */
    public RegisteredSchema version(String subject, String version, boolean includeDeleted) {
        int requested = parseVersion(version);
        synchronized (lock) {
            List<Version> versions = requireVersions(subject, includeDeleted);
            Optional<Version> found = requested == 0 ? latestLive(versions)
                    : versions.stream().filter(candidate -> candidate.number() == requested).findFirst();
            return registered(subject, found.orElseThrow(() -> versionNotFound(requested)));
        }
    }

    /**
     * Deletes every live version of {@code subject} softly (it leaves the subject listings, its ids still resolve)
     * or, with {@code permanent}, every soft-deleted one for good, which Confluent allows only once none is live.
     * Returns the numbers of the versions deleted.
     */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        requireStarted();
        Deletion deletion;
        synchronized (lock) {
            List<Version> versions = versionsOf(subject);
            if (versions.isEmpty()) {
                throw SchemaRegistryException.subjectNotFound(subject);
            }
            List<Version> live = versions.stream().filter(Version::live).toList();
            if (permanent && !live.isEmpty()) {
                throw SchemaRegistryException.subjectNotSoftDeleted(subject);
            }
            if (!permanent && live.isEmpty()) {
                throw SchemaRegistryException.subjectSoftDeleted(subject);
            }
            deletion = new Deletion(subject, (permanent ? versions : live).stream().map(Version::number).toList(), permanent);
        }
        log.append(deletion.key(), encode(deletion));
        LOG.info("Deleted versions {} of subject '{}' {}", deletion.versions(), printable(subject), permanent ? "permanently" : "softly");
        return deletion.versions();
    }

    /**
     * Deletes one version softly or, with {@code permanent}, a soft-deleted one for good; {@code "latest"} is the
     * latest live version. Returns the number of the version deleted.
     */
    public int deleteVersion(String subject, String version, boolean permanent) {
        requireStarted();
        int requested = parseVersion(version);
        Deletion deletion;
        synchronized (lock) {
            List<Version> versions = versionsOf(subject);
            if (versions.isEmpty()) {
                throw SchemaRegistryException.subjectNotFound(subject);
            }
            Version target = (requested == 0 ? latestLive(versions)
                    : versions.stream().filter(candidate -> candidate.number() == requested).findFirst())
                    .orElseThrow(() -> versionNotFound(requested));
            if (!permanent && target.deleted()) {
                throw SchemaRegistryException.versionSoftDeleted(subject, target.number());
            }
            if (permanent && target.live()) {
                throw SchemaRegistryException.versionNotSoftDeleted(subject, target.number());
            }
            deletion = new Deletion(subject, List.of(target.number()), permanent);
        }
        log.append(deletion.key(), encode(deletion));
        LOG.info("Deleted version {} of subject '{}' {}", deletion.versions().get(0), printable(subject),
                permanent ? "permanently" : "softly");
        return deletion.versions().get(0);
    }

    /** The schema behind a global id, soft-deleted versions included; 40403 once every version holding it is deleted for good. */
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
        Schema candidate = AvroSchemaRules.parseNew(schemaJson);
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
            } else if (key.startsWith(DELETE_KEY_PREFIX)) {
                applyDeletion(JSON.readValue(value, Deletion.class));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping unreadable schema log record '{}': {}", printable(key), e.toString());
        }
    }

    // The acceptance rules must depend only on records before this one: every instance replays the same log
    // and has to reach the same verdict, now and after any restart.
    private void applyRegistration(Registration record) {
        Schema schema = new Schema.Parser().parse(record.schema());
        String canonical = schema.toString();
        synchronized (lock) {
            Integer existingId = idsBySchema.get(canonical);
            boolean idFits = existingId == null ? isUnclaimed(record.id()) : existingId == record.id();
            List<Version> versions = versionsOf(record.subject());
            boolean versionFits = record.version() == nextVersion(versions)
                    && versions.stream().noneMatch(version -> version.live() && version.id() == record.id());
            if (!idFits || !versionFits) {
                return;
            }
            schemasById.put(record.id(), schema);
            idsBySchema.put(canonical, record.id());
            List<Version> subjectVersions = versionsBySubject.computeIfAbsent(record.subject(), subject -> new ArrayList<>());
            // Confluent deletes for good the soft-deleted versions of a schema registered again under the same subject.
            subjectVersions.removeIf(version -> version.id() == record.id());
            subjectVersions.add(new Version(record.version(), record.id(), false));
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

    // A deletion names the versions its writer saw; whatever changed since (a concurrent deletion, a registration
    // that dropped a soft-deleted version) makes it skip those versions, never fail.
    private void applyDeletion(Deletion record) {
        synchronized (lock) {
            List<Version> versions = versionsBySubject.get(record.subject());
            if (versions == null) {
                return;
            }
            if (!record.permanent()) {
                versions.replaceAll(version -> record.versions().contains(version.number()) ? version.softDeleted() : version);
                return;
            }
            // Only a soft-deleted version may go for good, as Confluent requires.
            List<Version> removed = versions.stream()
                    .filter(version -> version.deleted() && record.versions().contains(version.number()))
                    .toList();
            versions.removeAll(removed);
            if (versions.isEmpty()) {
                // As in Confluent, a subject deleted for good loses its compatibility level too.
                versionsBySubject.remove(record.subject());
                subjectLevels.remove(record.subject());
            }
            removed.forEach(version -> retireIfUnused(version.id()));
        }
    }

    private void retireIfUnused(int id) {
        boolean used = versionsBySubject.values().stream().flatMap(List::stream).anyMatch(version -> version.id() == id);
        if (!used) {
            Schema schema = schemasById.remove(id);
            idsBySchema.remove(schema.toString(), id);
            retiredIds.add(id);
        }
    }

    private boolean isUnclaimed(int id) {
        return id > 0 && !schemasById.containsKey(id) && !retiredIds.contains(id);
    }

    private Optional<RegisteredSchema> findLive(String subject, String canonical) {
        Integer id = idsBySchema.get(canonical);
        return id == null ? Optional.empty() : versionsOf(subject).stream()
                .filter(version -> version.live() && version.id() == id)
                .findFirst()
                .map(version -> new RegisteredSchema(subject, version.number(), id, canonical));
    }

    private RegisteredSchema registered(String subject, Version version) {
        return new RegisteredSchema(subject, version.number(), version.id(), schemasById.get(version.id()).toString());
    }

    private List<Version> versionsOf(String subject) {
        return versionsBySubject.getOrDefault(subject, List.of());
    }

    private List<Version> requireVersions(String subject, boolean includeDeleted) {
        List<Version> versions = versionsOf(subject).stream().filter(version -> includeDeleted || version.live()).toList();
        if (versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private List<Schema> liveSchemasOf(String subject) {
        return versionsOf(subject).stream().filter(Version::live).map(version -> schemasById.get(version.id())).toList();
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("Schema registry not started; call start() first");
        }
    }

    /** Confluent's rule (no control characters, not a reserved name) plus a name that is not blank and not huge. */
    private static void requireValidSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw SchemaRegistryException.invalidSubject("it is empty");
        }
        if (subject.length() > MAX_SUBJECT_LENGTH) {
            throw SchemaRegistryException.invalidSubject("it has " + subject.length() + " characters, at most "
                    + MAX_SUBJECT_LENGTH + " are allowed");
        }
        if (subject.chars().anyMatch(Character::isISOControl)) {
            throw SchemaRegistryException.invalidSubject("it contains a control character such as a line break or a tab");
        }
        if (RESERVED_SUBJECTS.contains(subject)) {
            throw SchemaRegistryException.invalidSubject("'" + subject + "' is reserved");
        }
    }

    private static int nextVersion(List<Version> versions) {
        return versions.isEmpty() ? 1 : versions.get(versions.size() - 1).number() + 1;
    }

    private static Optional<Version> latestLive(List<Version> versions) {
        return versions.stream().filter(Version::live).reduce((earlier, later) -> later);
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

    private static SchemaRegistryException versionNotFound(int requested) {
        return requested == 0 ? SchemaRegistryException.latestVersionNotFound() : SchemaRegistryException.versionNotFound(requested);
    }

    // Subjects written before control characters were refused can still be deleted; their names must not forge log lines.
    private static String printable(String text) {
        StringBuilder printable = new StringBuilder(text.length());
        text.chars().forEach(c -> printable.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return printable.toString();
    }

    private static byte[] encode(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw SchemaRegistryException.storeError("Could not encode a schema log record", e);
        }
    }

    /** One version of a subject: the id of its schema, and whether it was soft-deleted. */
    private record Version(int number, int id, boolean deleted) {

        boolean live() {
            return !deleted;
        }

        Version softDeleted() {
            return new Version(number, id, true);
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

    /** A deletion of some versions of a subject, soft or permanent, as stored in the log; older instances skip it. */
    private record Deletion(String subject, List<Integer> versions, boolean permanent) {

        // Unique like a registration's key, for the same reason: a deletion's place among registrations matters.
        String key() {
            return DELETE_KEY_PREFIX + subject + ":" + UUID.randomUUID();
        }
    }

    /** A compatibility setting as stored in the log; the last one per key wins. */
    private record Config(String compatibilityLevel) {
    }
}
