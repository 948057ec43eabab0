package dev.quell.notify.slack;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Reads Slack credentials from AWS Secrets Manager. */
public final class SlackSecrets {

    private SlackSecrets() {
    }

    /**
     * Reads and parses the secret's current value.
     *
     * @param secretId the secret's ARN or name
     * @throws IllegalStateException naming the secret when it is missing, binary, or not valid Slack credentials;
     *     the message never quotes the secret's value
     */
    public static SlackCredentials load(SecretsManagerClient secrets, String secretId) {
        return loadConfigured(secrets, secretId).orElseThrow(() -> new IllegalStateException("Slack secret "
                + secretId + " is empty; store {\"webhookUrl\": ...} or {\"botToken\": ..., \"channel\": ...}"));
    }

    /**
     * Reads the Slack credentials, or returns empty when the secret is still the empty JSON object the stack
     * creates ({@code {}}), so a fresh deployment updates Security Hub before anyone has set up Slack.
     *
     * @throws IllegalStateException as {@link #load} does, for a secret that is missing, binary or invalid
     */
    public static java.util.Optional<SlackCredentials> loadConfigured(SecretsManagerClient secrets,
            String secretId) {
        GetSecretValueResponse response;
        try {
            response = secrets.getSecretValue(request -> request.secretId(secretId));
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Slack secret " + secretId + " not found in Secrets Manager; create it"
                    + " or correct QUELL_SLACK_SECRET", e);
        }
        if (response.secretString() == null) {
            throw new IllegalStateException("Slack secret " + secretId + " contains binary data; store the JSON as"
                    + " the secret string");
        }
        String text = response.secretString().strip();
        if (text.isEmpty() || text.replaceAll("\\s", "").equals("{}")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(SlackCredentials.parse(text, secretId));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }
}
