package dev.quell.core.finding.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises GuardDuty's product ARN, finding ids and finding types inside Security Hub (ASFF) and OCSF findings,
 * so that a GuardDuty finding gets the same id and type whichever way it reaches Quell.
 */
public final class GuardDutyNames {

    /** A GuardDuty type as GuardDuty writes it, {@code ThreatPurpose:ResourceType/ThreatFamily...}. */
    private static final Pattern NATIVE_TYPE = Pattern.compile("[A-Za-z0-9]+:[A-Za-z0-9]+/[^/]+");
    /**
     * A GuardDuty type as an ASFF {@code Types} entry ends, with the {@code /} replaced by {@code -}:
     * {@code TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce}. GuardDuty's resource type part
     * ({@code EC2}, {@code IAMUser}, {@code S3}, {@code Runtime}...) never contains {@code -}, so the first
     * {@code -} after the colon is the replaced {@code /}.
     */
    private static final Pattern ASFF_TYPE = Pattern.compile("([A-Za-z0-9]+:[A-Za-z0-9]+)-(.+)");

    private GuardDutyNames() {
    }

    /** Returns whether a Security Hub product ARN ({@code product/} or {@code productv2/}) is GuardDuty's. */
    public static boolean isGuardDutyProduct(String productArn) {
        Arn arn = Arn.parse(productArn);
        if (arn == null) {
            return productArn != null && productArn.endsWith("/aws/guardduty");
        }
        return "product/aws/guardduty".equals(arn.resource()) || "productv2/aws/guardduty".equals(arn.resource());
    }

    /** Returns the finding id at the end of a GuardDuty finding ARN, or the text unchanged if it is not one. */
    public static String findingId(String findingArn) {
        Arn arn = Arn.parse(findingArn);
        String id = arn == null ? null : arn.guardDutyFindingId();
        return id == null ? findingArn : id;
    }

    /**
     * Returns the GuardDuty type named by a list of ASFF or OCSF finding types: the first entry already in
     * GuardDuty's form, else the first ASFF-style entry turned back into it, else {@code null}.
     */
    public static String typeFrom(List<String> types) {
        for (String type : types) {
            if (NATIVE_TYPE.matcher(type).matches()) {
                return type;
            }
        }
        for (String type : types) {
            Matcher matcher = ASFF_TYPE.matcher(type.substring(type.lastIndexOf('/') + 1));
            if (matcher.matches()) {
                return matcher.group(1) + "/" + matcher.group(2);
            }
        }
        return null;
    }
}
