package dev.quell.core.policy;

import java.util.List;
import java.util.Map;

/**
 * What Quell never changes.
 *
 * @param tagKey a resource carrying this tag with {@link #tagValue} is exempt
 * @param tagValue the exempting value, compared without regard to case
 * @param accounts account ids whose resources are exempt
 * @param resourceArns resource ARNs that are exempt
 */
public record Exemptions(String tagKey, String tagValue, List<String> accounts, List<String> resourceArns) {

    private static final String DEFAULT_TAG_KEY = "quell:exempt";
    private static final String DEFAULT_TAG_VALUE = "true";

    public static final Exemptions DEFAULT = new Exemptions(DEFAULT_TAG_KEY, DEFAULT_TAG_VALUE, List.of(), List.of());

    public Exemptions {
        tagKey = tagKey == null ? DEFAULT_TAG_KEY : tagKey;
        tagValue = tagValue == null ? DEFAULT_TAG_VALUE : tagValue;
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        resourceArns = resourceArns == null ? List.of() : List.copyOf(resourceArns);
    }

    /** Returns whether the tags carry the exemption tag with the exempting value. */
    public boolean exemptsTags(Map<String, String> tags) {
        String value = tags.get(tagKey);
        return value != null && value.trim().equalsIgnoreCase(tagValue);
    }

    void validate(String origin) {
        Policy.require(!tagKey.isBlank(), "policy " + origin + ": exemptions.tagKey is blank");
        for (String account : accounts) {
            Policy.require(account.matches("\\d{12}"), "policy " + origin + ": exemptions.accounts holds \""
                    + account + "\", which is not a 12-digit account id");
        }
    }
}
