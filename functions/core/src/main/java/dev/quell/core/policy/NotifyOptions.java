package dev.quell.core.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of the notify function, which reports each response in Slack and on the Security Hub finding. Every
 * option is optional, so a policy written before these options existed still loads.
 *
 * @param resolveWhenVerified set the Security Hub workflow status to {@code RESOLVED}, instead of
 *     {@code NOTIFIED}, when a response contained the threat and its verification passed (off by default)
 * @param accountAliases a readable name for each account id, shown next to the id in Slack
 */
public record NotifyOptions(Boolean resolveWhenVerified, Map<String, String> accountAliases) {

    public static final NotifyOptions DEFAULT = new NotifyOptions(false, Map.of());

    public NotifyOptions {
        resolveWhenVerified = resolveWhenVerified != null && resolveWhenVerified;
        // Not Map.copyOf, which throws on a null alias before validate can name the account.
        accountAliases = accountAliases == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(accountAliases));
    }

    void validate(String origin) {
        accountAliases.forEach((account, alias) -> {
            Policy.require(account.matches("\\d{12}"), "policy " + origin + ": notify.accountAliases has the key \""
                    + account + "\", which is not a 12-digit account id");
            Policy.require(alias != null && !alias.isBlank(), "policy " + origin
                    + ": notify.accountAliases gives account " + account + " a blank alias");
        });
    }
}
