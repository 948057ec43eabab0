package dev.quell.core.decision;

import java.util.Map;

/**
 * The facts about a resource that a decision needs, as the resource's own API returned them just now.
 *
 * @param exists {@code false} when the API says the resource is gone (or an instance is terminated)
 * @param arn the resource ARN, matched against exempt ARNs
 * @param tags the resource's tags, matched against the exemption tag
 */
public record ResourceState(boolean exists, String arn, String state, Map<String, String> tags) {

    public ResourceState {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static ResourceState missing(String arn) {
        return new ResourceState(false, arn, "not-found", Map.of());
    }
}
