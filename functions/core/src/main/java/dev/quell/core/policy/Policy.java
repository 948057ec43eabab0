package dev.quell.core.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.quell.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one configuration that drives both the EventBridge rules the CDK app generates and the decisions the
 * functions make at run time. {@link #load(Path)} validates it, so a bad file fails at synth and at function start.
 *
 * @param mode the global mode; a playbook may override it
 * @param playbooks which finding types lead to which action, in order; the first match wins
 * @param exemptions resources and accounts Quell never changes
 * @param protectedPrincipals IAM principal name patterns ({@code *} wildcard) Quell never changes
 * @param rateBudget how many containments per hour Quell runs before it falls back to plans
 * @param isolation options of the instance isolation action
 * @param credentials options of the credential actions
 * @param notifications options of the notify function, under the JSON key {@code notify}; the component cannot
 *     be named {@code notify}, which would clash with {@link Object#notify()}
 */
public record Policy(
        Mode mode,
        List<Playbook> playbooks,
        Exemptions exemptions,
        List<String> protectedPrincipals,
        RateBudget rateBudget,
        IsolationOptions isolation,
        CredentialOptions credentials,
        @JsonProperty("notify") NotifyOptions notifications) {

    /** The actions a playbook may name. */
    public static final Set<String> ACTIONS = Set.of(
            "isolate-instance", "quarantine-access-key", "revoke-role-sessions", "revoke-instance-credentials");

    /** The resource types a playbook may name, as GuardDuty spells them. */
    public static final Set<String> RESOURCE_TYPES = Set.of("Instance", "AccessKey");

    private static final String DEFAULT_RESOURCE = "default-policy.json";

    public Policy {
        mode = mode == null ? Mode.DRY_RUN : mode;
        playbooks = playbooks == null ? List.of() : List.copyOf(playbooks);
        exemptions = exemptions == null ? Exemptions.DEFAULT : exemptions;
        protectedPrincipals = protectedPrincipals == null ? List.of() : List.copyOf(protectedPrincipals);
        rateBudget = rateBudget == null ? RateBudget.DEFAULT : rateBudget;
        isolation = isolation == null ? IsolationOptions.DEFAULT : isolation;
        credentials = credentials == null ? CredentialOptions.DEFAULT : credentials;
        notifications = notifications == null ? NotifyOptions.DEFAULT : notifications;
    }

    /** Returns the policy Quell ships with: dry run, and the default playbooks in {@code docs/configuration.md}. */
    public static Policy defaults() {
        try (InputStream in = Policy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new PolicyException(DEFAULT_RESOURCE + " is missing from the class path");
            }
            return validated(Json.mapper().readValue(in, Policy.class), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the bundled " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Reads and validates a policy file.
     *
     * @throws PolicyException naming the file and the invalid value when the file is missing or invalid
     */
    public static Policy load(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException("policy file " + file + " not found");
        } catch (IOException e) {
            throw new PolicyException("policy file " + file + " could not be read: " + e.getMessage(), e);
        }
        return read(json, "policy file " + file, file.toString());
    }

    /**
     * Reads and validates a policy from JSON text.
     *
     * @param origin where the text came from, for error messages
     * @throws PolicyException naming the origin and the invalid value
     */
    public static Policy parse(String json, String origin) {
        return read(json, "policy " + origin, origin);
    }

    private static Policy read(String json, String described, String origin) {
        try {
            // Unknown fields are rejected: a misspelt protectedPrincipals would otherwise drop every protection.
            return validated(Json.mapper().readerFor(Policy.class)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(json), origin);
        } catch (UnrecognizedPropertyException e) {
            String path = e.getPath().stream().map(reference -> reference.getFieldName() != null
                    ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining("."));
            throw new PolicyException(described + " is invalid: unknown field " + path
                    + "; the fields there are " + new java.util.TreeSet<>(e.getKnownPropertyIds().stream()
                            .map(String::valueOf).toList()), e);
        } catch (JsonMappingException e) {
            throw new PolicyException(described + " is invalid: " + rootMessage(e), e);
        } catch (IOException e) {
            throw new PolicyException(described + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Returns the first playbook for the action whose type, resource type and direction match. */
    public Optional<Playbook> playbookFor(String action, String findingType, String resourceType) {
        return playbooks.stream()
                .filter(playbook -> playbook.action().equals(action))
                .filter(playbook -> playbook.resourceType().equals(resourceType))
                .filter(playbook -> playbook.matchesType(findingType))
                .findFirst();
    }

    /**
     * Returns the first {@code protectedPrincipals} pattern that matches an IAM user or role name, if any. Names
     * are compared without regard to case, because IAM keeps user and role names unique regardless of case.
     */
    public Optional<String> protectedPattern(String principalName) {
        if (principalName == null) {
            return Optional.empty();
        }
        String name = principalName.toLowerCase(Locale.ROOT);
        return protectedPrincipals.stream()
                .filter(pattern -> TypePattern.matches(pattern.toLowerCase(Locale.ROOT), name))
                .findFirst();
    }

    /** Returns the mode a playbook runs in: its own, or the global one. */
    public Mode modeOf(Playbook playbook) {
        return playbook.mode() == null ? mode : playbook.mode();
    }

    /**
     * Returns this policy with another global mode, for {@code quell respond} and {@code --dry-run}. Dry run
     * wins over every playbook: a playbook that enforces on its own is turned to dry run too, so a plan never
     * changes anything. Enforce leaves a playbook that sets dry run for itself as it is.
     */
    public Policy withMode(Mode newMode) {
        List<Playbook> adjusted = newMode == Mode.DRY_RUN
                ? playbooks.stream().map(playbook -> playbook.mode() == Mode.ENFORCE ? playbook.withMode(Mode.DRY_RUN)
                        : playbook).toList()
                : playbooks;
        return new Policy(newMode, adjusted, exemptions, protectedPrincipals, rateBudget, isolation, credentials,
                notifications);
    }

    private static Policy validated(Policy policy, String origin) {
        Set<String> names = new HashSet<>();
        for (Playbook playbook : policy.playbooks) {
            String where = "policy " + origin + ", playbook \"" + playbook.name() + "\": ";
            require(playbook.name() != null && !playbook.name().isBlank(), where + "name is missing");
            require(names.add(playbook.name()), where + "name is used twice");
            require(ACTIONS.contains(playbook.action()), where + "action must be one of " + ACTIONS);
            require(RESOURCE_TYPES.contains(playbook.resourceType()), where + "resourceType must be one of "
                    + RESOURCE_TYPES);
            require(!playbook.findingTypes().isEmpty(), where + "findingTypes is empty");
            require(playbook.minimumSeverity() >= 0 && playbook.minimumSeverity() <= 10,
                    where + "minimumSeverity must be between 0 and 10");
            require(playbook.connectionDirection() == null
                    || Set.of("INBOUND", "OUTBOUND").contains(playbook.connectionDirection()),
                    where + "connectionDirection must be INBOUND, OUTBOUND or absent");
        }
        policy.exemptions.validate(origin);
        policy.rateBudget.validate(origin);
        policy.isolation.validate(origin);
        policy.notifications.validate(origin);
        return policy;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new PolicyException(message);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof PolicyException) {
            return cause.getMessage();
        }
        return e instanceof JsonMappingException mapping ? mapping.getOriginalMessage() : e.getMessage();
    }
}
