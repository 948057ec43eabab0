package dev.quell.core.policy;

import java.util.List;
import java.util.Locale;

/**
 * A rule that maps findings to a containment action.
 *
 * @param name a stable name, shown in results and used in rule names
 * @param findingTypes finding type patterns; {@code *} matches any run of characters, so
 *     {@code Backdoor:EC2/*} matches every EC2 backdoor type
 * @param resourceType the GuardDuty resource type the playbook acts on ({@code Instance} or {@code AccessKey})
 * @param minimumSeverity the lowest severity score, from 0 to 10, that the playbook acts on
 * @param connectionDirection {@code OUTBOUND} or {@code INBOUND} to act only on findings with that direction,
 *     or {@code null} to act whatever the direction
 * @param action the action to run, for example {@code isolate-instance}
 * @param mode overrides the global mode for this playbook, or {@code null} to follow it
 */
public record Playbook(
        String name,
        List<String> findingTypes,
        String resourceType,
        double minimumSeverity,
        String connectionDirection,
        String action,
        Mode mode) {

    public Playbook {
        findingTypes = findingTypes == null ? List.of() : List.copyOf(findingTypes);
        connectionDirection = connectionDirection == null ? null : connectionDirection.toUpperCase(Locale.ROOT);
    }

    /** Returns this playbook with another mode override. */
    public Playbook withMode(Mode newMode) {
        return new Playbook(name, findingTypes, resourceType, minimumSeverity, connectionDirection, action, newMode);
    }

    /** Returns whether a finding type matches one of this playbook's patterns. */
    public boolean matchesType(String type) {
        return type != null && findingTypes.stream().anyMatch(pattern -> TypePattern.matches(pattern, type));
    }

    /** Returns the patterns' common prefixes, which EventBridge rules match with {@code prefix}. */
    public List<String> typePrefixes() {
        return findingTypes.stream().map(TypePattern::prefix).distinct().toList();
    }
}
