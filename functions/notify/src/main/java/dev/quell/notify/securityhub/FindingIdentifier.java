package dev.quell.notify.securityhub;

import dev.quell.core.finding.Finding;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identifiers {@code BatchUpdateFindings} needs for one finding: its Security Hub {@code Id} and
 * {@code ProductArn}, and the region whose Security Hub contains it.
 */
public record FindingIdentifier(String id, String productArn, String region) {

    /** A GuardDuty finding ARN: partition, region, account, detector id and finding id. */
    private static final Pattern GUARDDUTY_ARN = Pattern.compile(
            "arn:(aws[a-z-]*):guardduty:([a-z0-9-]+):(\\d{12}):detector/[^/]+/finding/[^/]+");

    /**
     * Returns the identifiers of a finding: the ones Security Hub sent when the finding came through it, else,
     * for a finding straight from GuardDuty, the ones Security Hub gives its copy of that finding. GuardDuty's
     * integration uses the GuardDuty finding ARN as the {@code Id} and
     * {@code arn:<partition>:securityhub:<region>::product/aws/guardduty} as the product ARN.
     *
     * @return empty when the finding carries neither Security Hub identifiers nor a GuardDuty finding ARN
     */
    public static Optional<FindingIdentifier> of(Finding finding) {
        Finding.SecurityHubRef hub = finding.securityHub();
        if (hub != null && present(hub.id()) && present(hub.productArn())) {
            String region = present(finding.region()) ? finding.region() : regionOf(hub.productArn());
            return region == null ? Optional.empty() : Optional.of(new FindingIdentifier(hub.id(),
                    hub.productArn(), region));
        }
        if (finding.arn() == null) {
            return Optional.empty();
        }
        Matcher arn = GUARDDUTY_ARN.matcher(finding.arn());
        if (!arn.matches()) {
            return Optional.empty();
        }
        String partition = arn.group(1);
        String region = arn.group(2);
        return Optional.of(new FindingIdentifier(finding.arn(),
                "arn:" + partition + ":securityhub:" + region + "::product/aws/guardduty", region));
    }

    private static String regionOf(String productArn) {
        String[] parts = productArn.split(":");
        return parts.length > 3 && !parts[3].isBlank() ? parts[3] : null;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
