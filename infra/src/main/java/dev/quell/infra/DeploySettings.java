package dev.quell.infra;

import dev.quell.core.policy.Policy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The deployment choices read from CDK context ({@code cdk synth -c key=value} or {@code cdk.json}). Every value is
 * validated here, so a bad one fails the synth with a message that names the context key.
 *
 * @param policy the validated policy that drives both the rules and the functions
 * @param policySource where the policy came from: a file path, or {@code bundled default policy}
 * @param startupMode how the responder functions start
 * @param securityHubAggregation also route Security Hub imported findings, for a stack in the Security Hub
 *     aggregation region that receives findings from every linked region
 * @param securityHubCustomActions create the Security Hub custom actions (needs Security Hub enabled)
 * @param organizationId the AWS Organizations id; when present, role assumption is limited to the organization
 * @param slackSecretArn an existing Secrets Manager secret with the Slack credentials; empty creates one
 * @param memberRoleName the role the responders assume in member accounts
 * @param reservedConcurrency the reserved concurrency of each function, which caps the EC2 and IAM API call rate
 * @param alarmEmail an address subscribed to the alarm topic, if any
 */
public record DeploySettings(
        Policy policy,
        String policySource,
        StartupMode startupMode,
        boolean securityHubAggregation,
        boolean securityHubCustomActions,
        Optional<String> organizationId,
        Optional<String> slackSecretArn,
        String memberRoleName,
        int reservedConcurrency,
        Optional<String> alarmEmail) {

    public static final String POLICY = "policy";
    public static final String STARTUP = "startup";
    public static final String SECURITY_HUB_AGGREGATION = "securityHubAggregation";
    public static final String SECURITY_HUB_CUSTOM_ACTIONS = "securityHubCustomActions";
    public static final String ORGANIZATION_ID = "organizationId";
    public static final String SLACK_SECRET_ARN = "slackSecretArn";
    public static final String MEMBER_ROLE_NAME = "memberRoleName";
    public static final String RESERVED_CONCURRENCY = "reservedConcurrency";
    public static final String ALARM_EMAIL = "alarmEmail";

    public static final String DEFAULT_MEMBER_ROLE_NAME = "quell-responder";
    public static final int DEFAULT_RESERVED_CONCURRENCY = 10;

    private static final Pattern ORGANIZATION = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]+-[A-Za-z0-9]{6}");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** Returns the settings a plain {@code cdk synth} uses: the bundled dry-run policy and on-demand starts. */
    public static DeploySettings defaults() {
        return fromContext(key -> null);
    }

    /**
     * Reads and validates the settings.
     *
     * @param context looks up one context key, returning {@code null} when it is not set
     * @throws IllegalArgumentException naming the key and the value when a value is invalid
     * @throws dev.quell.core.policy.PolicyException when the policy file is missing or invalid
     */
    public static DeploySettings fromContext(Function<String, Object> context) {
        Optional<String> policyPath = text(context, POLICY);
        Policy policy = policyPath.map(path -> Policy.load(Path.of(path))).orElseGet(Policy::defaults);
        return new DeploySettings(
                policy,
                policyPath.orElse("bundled default policy"),
                text(context, STARTUP).map(StartupMode::fromText).orElse(StartupMode.ON_DEMAND),
                flag(context, SECURITY_HUB_AGGREGATION, false),
                flag(context, SECURITY_HUB_CUSTOM_ACTIONS, true),
                matching(context, ORGANIZATION_ID, ORGANIZATION, "an organization id such as o-a1b2c3d4e5"),
                matching(context, SLACK_SECRET_ARN, SECRET_ARN, "a complete Secrets Manager secret ARN"),
                matching(context, MEMBER_ROLE_NAME, ROLE_NAME, "an IAM role name of at most 64 characters")
                        .orElse(DEFAULT_MEMBER_ROLE_NAME),
                positive(context, RESERVED_CONCURRENCY, DEFAULT_RESERVED_CONCURRENCY),
                matching(context, ALARM_EMAIL, EMAIL, "an email address"));
    }

    private static Optional<String> text(Function<String, Object> context, String key) {
        Object value = context.apply(key);
        if (value == null || value.toString().isBlank()) {
            return Optional.empty();
        }
        // cdk.json numbers reach Java as doubles, so 10 would read as "10.0" without this.
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return Optional.of(Long.toString(number.longValue()));
        }
        return Optional.of(value.toString().trim());
    }

    private static boolean flag(Function<String, Object> context, String key, boolean fallback) {
        Optional<String> value = text(context, key).map(text -> text.toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "context key " + key + " is \"" + value.get() + "\"; expected true or false");
        };
    }

    private static Optional<String> matching(Function<String, Object> context, String key, Pattern pattern,
            String expected) {
        Optional<String> value = text(context, key);
        value.ifPresent(text -> {
            if (!pattern.matcher(text).matches()) {
                throw new IllegalArgumentException(
                        "context key " + key + " is \"" + text + "\"; expected " + expected);
            }
        });
        return value;
    }

    private static int positive(Function<String, Object> context, String key, int fallback) {
        Optional<String> value = text(context, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below with the key and the value.
        }
        throw new IllegalArgumentException(
                "context key " + key + " is \"" + value.get() + "\"; expected a whole number of at least 1");
    }
}
